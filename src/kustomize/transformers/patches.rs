//! patches, patchesStrategicMerge and patchesJson6902.
use crate::kustomize::{
    error::Result, kustomization::Patch, loader::Loader, patch::openapi::Schema, resmap::ResMap,
};

/// The `patches:` field: each entry in order.
pub fn apply_patches(
    _resmap: &mut ResMap,
    _patches: &[Patch],
    _loader: &Loader,
    _schema: &Schema,
) -> Result<()> {
    unimplemented!()
}
/// The legacy `patchesStrategicMerge:` field (paths or inline YAML).
pub fn apply_strategic_merge(
    _resmap: &mut ResMap,
    _entries: &[String],
    _loader: &Loader,
    _schema: &Schema,
) -> Result<()> {
    unimplemented!()
}
/// The legacy `patchesJson6902:` field.
pub fn apply_json6902(_resmap: &mut ResMap, _patches: &[Patch], _loader: &Loader) -> Result<()> {
    unimplemented!()
}
