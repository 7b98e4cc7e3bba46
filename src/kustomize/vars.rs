//! Legacy vars.
use super::{error::Result, fieldspec::FieldSpec, kustomization::Var, resmap::ResMap};

/// Resolves `$(VAR)` references in the `varReference` fields of every object.
pub fn resolve(_resmap: &mut ResMap, _vars: &[Var], _specs: &[FieldSpec]) -> Result<()> {
    unimplemented!()
}
