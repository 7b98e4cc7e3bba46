//! Field specs: which fields of which kinds a transformer touches
//! (kustomize's `types.FieldSpec`, `builtinpluginconsts`, `api/filters/fsslice`).
//!
//! TODO(fieldspec helper): default tables, parsing of `configurations:` files,
//! merging, and the traversal that applies a function to every matched field.

use super::resid::Gvk;

/// One field of some kinds: `path` is `/`-separated (`\/` escapes a slash);
/// `x[]` walks every element of the list `x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Empty fields select any group, version or kind.
    pub gvk: Gvk,
    pub path: String,
    /// Create the field (maps and the final scalar, never lists) when missing.
    pub create: bool,
}

/// A kind that can be referred to by name, and the fields that refer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameBackReference {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

/// Field specs of every builtin transformer (kustomize's `TransformerConfig`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransformerConfig {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackReference>,
    pub var_reference: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

use super::error::Result;
use crate::yaml::Node;

impl FieldSpec {
    pub fn new(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: Gvk::new(group, version, kind),
            path: path.to_string(),
            create,
        }
    }
}

impl TransformerConfig {
    /// kustomize's default tables (generated from ../shared/reference/kustomize).
    pub fn defaults() -> TransformerConfig {
        unimplemented!()
    }

    /// Reads a `configurations:` file (or a builtin plugin's `fieldSpecs`).
    pub fn from_node(_node: &Node) -> Result<TransformerConfig> {
        unimplemented!()
    }

    /// Adds `other`'s specs, skipping ones already present (kustomize's `Merge`).
    pub fn merge(&mut self, _other: &TransformerConfig) {
        unimplemented!()
    }
}

/// Calls `f` on every field of `node` (an object of kind `gvk`) that `spec`
/// selects, creating missing maps and the final field when `spec.create`
/// (kustomize's `fsslice`/`fieldspec` filters). A created field starts null.
pub fn apply_to_fields(
    _node: &mut Node,
    _gvk: &Gvk,
    _spec: &FieldSpec,
    _f: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    unimplemented!()
}
