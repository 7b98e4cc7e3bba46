//! A cache of built kustomization directories, shared by the builds of one
//! run, so a base that many Flux Kustomizations include is accumulated once.
//!
//! A directory's accumulation (kustomize's independent child build) depends
//! only on its files, the load restrictor, origin tracking and the plugin
//! setting, and on the OpenAPI schema when one is set. The key holds the
//! first four (the kustomization file's id covers a file Flux generated in
//! place); results are cached only while no schema is set, before or after.

use super::loader::LoadRestrictor;
use super::target::Accumulator;
use crate::source::FileId;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub dir: PathBuf,
    /// The kustomization file read for `dir` (a generated one has its own id).
    pub kustomization_file: FileId,
    /// Origin paths are relative to the top of the build.
    pub origin_path: String,
    pub track_origin: bool,
    pub restrictor: LoadRestrictor,
    pub alpha_plugins: bool,
}

#[derive(Default)]
pub struct BuildCache {
    entries: Mutex<HashMap<CacheKey, Accumulator>>,
    hits: AtomicUsize,
}

impl std::fmt::Debug for BuildCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildCache")
            .field("hits", &self.hits())
            .finish()
    }
}

impl BuildCache {
    pub fn new() -> BuildCache {
        BuildCache::default()
    }

    pub fn get(&self, key: &CacheKey) -> Option<Accumulator> {
        let found = self.entries.lock().ok()?.get(key).cloned();
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    pub fn insert(&self, key: CacheKey, acc: &Accumulator) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(key, acc.clone());
        }
    }

    /// How many directory builds were answered from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}
