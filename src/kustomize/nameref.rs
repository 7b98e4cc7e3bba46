//! Name-reference fix-up after renames.
use super::{error::Result, fieldspec::NameBackReference, resmap::ResMap};

pub fn fix_back_references(_resmap: &mut ResMap, _config: &[NameBackReference]) -> Result<()> {
    unimplemented!()
}
