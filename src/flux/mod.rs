//! Flux's layer on top of the native kustomize build: what kustomize-controller does
//! around `kustomize build`.
//!
//! kustomize-controller writes (or rewrites) the kustomization file of `spec.path` from
//! the Flux `Kustomization` object (the generated kustomization), applies the `Spec`
//! transforms (targetNamespace, namePrefix/Suffix, patches, images, components,
//! commonMetadata), and after the build substitutes `${VAR}` references in every object
//! (`spec.postBuild`). This module holds those steps; [`envsubst`] is the substitution
//! dialect itself; [`model`] holds the typed Flux objects read from manifests.

pub mod artifact;
pub mod envsubst;
pub mod generate;
pub mod model;
pub mod operator;
pub mod render;
pub mod sourceignore;
pub mod substitute;
pub mod variables;
