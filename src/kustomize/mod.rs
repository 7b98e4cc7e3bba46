//! A native `kustomize build` with kustomize v5.5.0 semantics and output.
//!
//! Knows nothing of Flux. The stages mirror krusty's (see
//! ../shared/docs/kustomize-semantics.md): [`target`] accumulates one
//! kustomization directory recursively (resources, generators, components,
//! builtin transformers), then [`build`] finishes the whole tree once (hash
//! suffixes, name references, vars, local-config removal, sort).

pub mod build;
pub mod cache;
pub mod crds;
pub mod error;
pub mod fieldspec;
pub mod generators;
pub mod kustomization;
pub mod loader;
pub mod nameref;
pub mod patch;
pub mod plugins;
pub mod replacements;
pub mod resid;
pub mod resmap;
pub mod resource;
pub mod select;
pub mod sort;
pub mod target;
pub mod transformers;
pub mod vars;

pub use build::{build, BuildOptions, BuildOutput, Reorder};
pub use error::{Error, ErrorKind, Result};
pub use loader::LoadRestrictor;
pub use resmap::ResMap;
pub use resource::Resource;
