//! replacements.
use super::{error::Result, kustomization::ReplacementField, loader::Loader, resmap::ResMap};
use crate::yaml::Node;

/// Reads `replacements:` entries (inline, or `path:` files holding one or a list).
pub fn load(_entries: &[ReplacementField], _loader: &Loader) -> Result<Vec<Node>> {
    unimplemented!()
}

/// Applies replacements in order.
pub fn apply(_resmap: &mut ResMap, _replacements: &[Node]) -> Result<()> {
    unimplemented!()
}
