//! Typing plain scalars as go-yaml v3 does (kyaml's resolver, YAML 1.2 core
//! schema with go-yaml's extensions: `0777` octal, `1_000`, timestamps).
//!
//! TODO(loader helper): implement.
