//! Patches: kyaml's strategic merge (with the Kubernetes schema's merge keys)
//! and RFC 6902 JSON patches, over [`crate::yaml::Node`].
//!
//! TODO(patch helpers): implement.

pub mod json6902;
pub mod openapi;
pub mod strategic_merge;
