//! A filesystem with a few files laid over another: how a build sees the
//! source tree after Flux has written its kustomization file into it,
//! without touching the tree itself.
//!
//! Files in the overlay replace files of the same path in the base and may
//! add new ones; their directories then exist too. Everything else reads
//! through to the base.

use super::fs::{clean, FileSystem};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A base filesystem plus files that shadow or extend it.
#[derive(Clone)]
pub struct OverlayFs {
    base: Arc<dyn FileSystem>,
    files: BTreeMap<PathBuf, String>,
}

impl OverlayFs {
    pub fn new(base: Arc<dyn FileSystem>) -> OverlayFs {
        OverlayFs {
            base,
            files: BTreeMap::new(),
        }
    }

    /// Lays a file over the base (replacing an earlier overlay file of the
    /// same path).
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(clean(&path.into()), text.into());
    }

    /// The filesystem below the overlay.
    pub fn base(&self) -> &Arc<dyn FileSystem> {
        &self.base
    }

    /// The overlay's own files.
    pub fn files(&self) -> &BTreeMap<PathBuf, String> {
        &self.files
    }

    fn overlay_dir(&self, dir: &Path) -> bool {
        self.files.keys().any(|p| p != dir && p.starts_with(dir))
    }
}

impl FileSystem for OverlayFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        match self.files.get(&clean(path)) {
            Some(text) => Ok(text.clone()),
            None => self.base.read_to_string(path),
        }
    }

    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(&clean(path)) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => self.base.read_bytes(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&clean(path)) || self.base.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        let dir = clean(path);
        !self.files.contains_key(&dir) && (self.overlay_dir(&dir) || self.base.is_dir(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let dir = clean(path);
        let mut entries = match self.base.read_dir(path) {
            Ok(entries) => entries,
            Err(e) if !self.overlay_dir(&dir) => return Err(e),
            Err(_) => Vec::new(),
        };
        for file in self.files.keys() {
            if let Some(first) = file
                .strip_prefix(&dir)
                .ok()
                .and_then(|rest| rest.components().next())
            {
                entries.push(dir.join(first));
            }
        }
        entries.sort();
        entries.dedup();
        Ok(entries)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        match self.base.real_path(path) {
            Ok(real) => Ok(real),
            Err(_) if self.is_file(path) || self.is_dir(path) => Ok(clean(path)),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryFs;

    fn overlay() -> OverlayFs {
        let mut base = MemoryFs::new();
        base.insert("/r/app/kustomization.yml", "resources: [a.yaml]\n");
        base.insert("/r/app/a.yaml", "kind: A\n");
        let mut fs = OverlayFs::new(Arc::new(base));
        fs.insert(
            "/r/app/kustomization.yml",
            "resources: [a.yaml]\nnamespace: x\n",
        );
        fs.insert("/r/new/kustomization.yaml", "namespace: _placeholder\n");
        fs
    }

    #[test]
    fn overlay_files_shadow_the_base() {
        let fs = overlay();
        assert_eq!(
            fs.read_to_string(Path::new("/r/app/kustomization.yml"))
                .unwrap(),
            "resources: [a.yaml]\nnamespace: x\n"
        );
        assert_eq!(
            fs.read_to_string(Path::new("/r/app/./a.yaml")).unwrap(),
            "kind: A\n"
        );
        assert_eq!(
            fs.read_bytes(Path::new("/r/new/kustomization.yaml"))
                .unwrap(),
            b"namespace: _placeholder\n"
        );
    }

    #[test]
    fn overlay_files_make_their_directories() {
        let fs = overlay();
        assert!(fs.is_dir(Path::new("/r/new")));
        assert!(fs.is_file(Path::new("/r/new/kustomization.yaml")));
        assert!(!fs.is_dir(Path::new("/r/new/kustomization.yaml")));
        assert_eq!(
            fs.read_dir(Path::new("/r")).unwrap(),
            vec![PathBuf::from("/r/app"), PathBuf::from("/r/new")]
        );
        assert_eq!(
            fs.read_dir(Path::new("/r/app")).unwrap(),
            vec![
                PathBuf::from("/r/app/a.yaml"),
                PathBuf::from("/r/app/kustomization.yml")
            ]
        );
        assert!(fs.read_dir(Path::new("/nowhere")).is_err());
        assert!(fs.read_to_string(Path::new("/r/none.yaml")).is_err());
    }

    #[test]
    fn real_path_falls_back_for_overlay_only_files() {
        let fs = overlay();
        assert_eq!(
            fs.real_path(Path::new("/r/new/../new/kustomization.yaml"))
                .unwrap(),
            PathBuf::from("/r/new/kustomization.yaml")
        );
    }
}
