//! Builtin generators: configMapGenerator and secretGenerator, and the
//! content hash of generated names.
//!
//! TODO(generators helper): implement.

use super::error::Result;
use super::kustomization::{GeneratorArgs, GeneratorOptions};
use super::loader::Loader;
use super::resource::Resource;
use crate::yaml::Node;

/// Builds the ConfigMap of one `configMapGenerator` entry.
pub fn config_map(
    _args: &GeneratorArgs,
    _global: Option<&GeneratorOptions>,
    _loader: &Loader,
) -> Result<Resource> {
    unimplemented!()
}

/// Builds the Secret of one `secretGenerator` entry.
pub fn secret(
    _args: &GeneratorArgs,
    _global: Option<&GeneratorOptions>,
    _loader: &Loader,
) -> Result<Resource> {
    unimplemented!()
}

/// kustomize's name-suffix hash of an object (10 characters).
pub fn content_hash(_node: &Node) -> Result<String> {
    unimplemented!()
}
