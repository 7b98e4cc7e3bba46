//! RFC 6902 JSON patch over nodes.
use crate::kustomize::error::Result;
use crate::yaml::Node;

/// Applies the operations (a sequence node) to `target`.
pub fn apply(_target: &mut Node, _ops: &Node) -> Result<()> {
    unimplemented!()
}
