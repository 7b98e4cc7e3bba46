//! Builtin transformers, one file each, in the order kustomize runs them.
//!
//! TODO(transformers helper): implement.

pub mod annotations;
pub mod images;
pub mod labels;
pub mod namespace;
pub mod patches;
pub mod prefix_suffix;
pub mod replicas;
