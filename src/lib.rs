//! fluxlint: render and check a Flux CD fleet repository offline.
//!
//! Data flows one way: [`source`] (files, spans) → [`yaml`] (value trees) →
//! [`kustomize`] (a native `kustomize build`) → reports.

pub mod flux;
pub mod kustomize;
pub mod source;
pub mod yaml;
