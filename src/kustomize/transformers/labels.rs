//! commonLabels and labels entries.
use crate::kustomize::{
    error::Result, fieldspec::FieldSpec, kustomization::StringMap, resmap::ResMap,
};

pub fn apply(_resmap: &mut ResMap, _pairs: &StringMap, _specs: &[FieldSpec]) -> Result<()> {
    unimplemented!()
}
