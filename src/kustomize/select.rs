//! Selecting objects: patch targets (anchored regexes) and label selectors.
use super::{error::Result, kustomization::Selector, resmap::ResMap};

/// Indexes of the objects a `patches[].target` selects.
pub fn select(_resmap: &ResMap, _selector: &Selector) -> Result<Vec<usize>> {
    unimplemented!()
}

/// Whether a Kubernetes label selector (`a=b,c in (x),!d`) matches.
pub fn matches_label_selector(_selector: &str, _labels: &[(String, String)]) -> Result<bool> {
    unimplemented!()
}
