//! images entries.
use crate::kustomize::{error::Result, fieldspec::FieldSpec, kustomization::Image, resmap::ResMap};

pub fn apply(_resmap: &mut ResMap, _image: &Image, _specs: &[FieldSpec]) -> Result<()> {
    unimplemented!()
}
