//! namePrefix and nameSuffix.
use crate::kustomize::{error::Result, fieldspec::FieldSpec, resmap::ResMap};

pub fn apply(
    _resmap: &mut ResMap,
    _prefix: &str,
    _suffix: &str,
    _specs: &[FieldSpec],
) -> Result<()> {
    unimplemented!()
}
