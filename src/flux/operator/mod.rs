//! Flux Operator (fluxcd.controlplane.io/v1): rendering ResourceSets offline,
//! as flux-operator's builder and `flux-operator build resourceset` do.
//!
//! Data flow: [`inputs`] combines the input sets (the ResourceSet's own
//! `spec.inputs`, then its providers; Flatten or Permute) → [`resourceset`]
//! templates `resources[]` and `resourcesTemplate` per input set with the Go
//! template engine in [`template`], drops disabled and duplicate objects, and
//! groups them by step → (CLI mode) commonMetadata and owner labels.

pub mod inputs;
pub mod resourceset;
pub mod template;

pub use inputs::{combine, InputSet, Provider};
pub use resourceset::{
    build_resources, build_resourceset, build_steps, validate_spec, RenderedStep,
};

/// A ResourceSet build error, worded as flux-operator's.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}
