//! The namespace transformer.
use crate::kustomize::{error::Result, fieldspec::FieldSpec, resmap::ResMap};

/// How RoleBinding subjects get the namespace (`setRoleBindingSubjects`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleBindingSubjects {
    #[default]
    DefaultOnly,
    AllServiceAccounts,
    None,
}

pub fn apply(
    _resmap: &mut ResMap,
    _namespace: &str,
    _specs: &[FieldSpec],
    _subjects: RoleBindingSubjects,
    _unset_only: bool,
) -> Result<()> {
    unimplemented!()
}
