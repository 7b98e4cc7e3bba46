//! Reading YAML text into [`Node`]s with byte spans (saphyr-parser events).
//!
//! TODO(loader helper): implement.

use super::Node;
use crate::source::{FileId, Span};

/// What to do when a mapping repeats a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateKeys {
    /// An error, as kustomize reports for resources (`mapping key "x" already defined`).
    Error,
    /// The last value wins, as kustomize accepts in kustomization files.
    LastWins,
}

/// Loader policies.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub duplicate_keys: DuplicateKeys,
    /// Deepest nesting of collections accepted (go-yaml v3 refuses past 10,000).
    pub max_depth: usize,
    /// Most nodes that alias expansion may create in one document.
    pub alias_budget: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            duplicate_keys: DuplicateKeys::Error,
            max_depth: 10_000,
            alias_budget: 100_000,
        }
    }
}

/// A YAML syntax or policy error, with where it happened.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// Parses every document of a YAML stream. An empty document is `Value::Null`.
pub fn parse_documents(
    _text: &str,
    _file: FileId,
    _opts: &LoadOptions,
) -> Result<Vec<Node>, YamlError> {
    unimplemented!()
}
