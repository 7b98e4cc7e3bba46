//! kustomize-controller's layer (see ../shared/docs/flux-semantics.md).
pub mod model;
