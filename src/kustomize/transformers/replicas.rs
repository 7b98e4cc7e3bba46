//! replicas entries.
use crate::kustomize::{
    error::Result, fieldspec::FieldSpec, kustomization::Replica, resmap::ResMap,
};

pub fn apply(_resmap: &mut ResMap, _replica: &Replica, _specs: &[FieldSpec]) -> Result<()> {
    unimplemented!()
}
