//! fluxlint: render and check a Flux CD fleet repository offline.
//!
//! Data flows one way: [`source`] (files read once, byte spans) → [`yaml`]
//! (value trees) → [`kustomize`] (a native `kustomize build`) → [`flux`]
//! (kustomize-controller's layer) → [`cluster`] (discovery and the walk over a
//! cluster's Kustomizations) → [`report`]. [`cli`] and `main.rs` print.

pub mod check;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod diag;
pub mod flux;
pub mod kustomize;
pub mod report;
pub mod source;
pub mod yaml;
