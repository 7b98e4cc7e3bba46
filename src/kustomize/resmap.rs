//! An ordered list of resources (kustomize's `resWrangler`).

use super::error::{Error, ErrorKind, Result};
use super::resid::ResId;
use super::resource::Resource;

#[derive(Clone, Debug, Default)]
pub struct ResMap {
    resources: Vec<Resource>,
}

impl ResMap {
    pub fn new() -> ResMap {
        ResMap::default()
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.resources.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.resources.iter_mut()
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    pub fn resources_mut(&mut self) -> &mut Vec<Resource> {
        &mut self.resources
    }

    pub fn into_resources(self) -> Vec<Resource> {
        self.resources
    }

    /// Appends, refusing an object whose current id is already present
    /// ("may not add resource with an already registered id").
    pub fn append(&mut self, res: Resource) -> Result<()> {
        let id = res.id();
        if self.resources.iter().any(|r| r.id().same_as(&id)) {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("may not add resource with an already registered id: {id}"),
            ));
        }
        self.resources.push(res);
        Ok(())
    }

    /// Appends every resource of `other`, in order.
    pub fn append_all(&mut self, other: ResMap) -> Result<()> {
        for r in other.resources {
            self.append(r)?;
        }
        Ok(())
    }

    /// Indexes of resources whose current id is `id` (effective namespaces compared).
    pub fn find_by_current_id(&self, id: &ResId) -> Vec<usize> {
        self.positions(|r| r.id().same_as(id))
    }

    /// Indexes of resources whose current id or any previous id is `id`
    /// (kustomize's `GetMatchingResourcesByAnyId`).
    pub fn find_by_any_id(&self, id: &ResId) -> Vec<usize> {
        self.positions(|r| r.all_ids().iter().any(|i| i.same_as(id)))
    }

    pub fn positions(&self, mut f: impl FnMut(&Resource) -> bool) -> Vec<usize> {
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| f(r))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn get(&self, i: usize) -> &Resource {
        &self.resources[i]
    }

    pub fn get_mut(&mut self, i: usize) -> &mut Resource {
        &mut self.resources[i]
    }

    pub fn remove(&mut self, i: usize) -> Resource {
        self.resources.remove(i)
    }

    pub fn retain(&mut self, f: impl FnMut(&Resource) -> bool) {
        self.resources.retain(f)
    }
}

impl FromIterator<Resource> for ResMap {
    fn from_iter<T: IntoIterator<Item = Resource>>(iter: T) -> Self {
        ResMap {
            resources: iter.into_iter().collect(),
        }
    }
}
