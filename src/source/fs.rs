//! Filesystems the engine reads through: the disk below one root, or a tree in
//! memory (artifacts that Flux would build, tests).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What the engine needs from a filesystem. Paths are absolute and clean
/// (no `.` or `..` components); [`clean`] makes them so.
pub trait FileSystem: Send + Sync {
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
    /// The file's bytes, for content that need not be UTF-8 (generator
    /// sources: a non-UTF-8 file becomes a ConfigMap's `binaryData`).
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_to_string(path).map(String::into_bytes)
    }
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// Entries of a directory, sorted by name.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// The path with symlinks resolved (kustomize's `CleanedAbs`), for load restrictions.
    fn real_path(&self, path: &Path) -> io::Result<PathBuf>;
}

/// Lexically cleans a path: drops `.`, resolves `..` against earlier components.
/// A `..` above the root stays at the root, as Go's `filepath.Clean` does.
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The real disk, confined to `root`: any path outside it is refused with
/// `PermissionDenied`, whatever symlinks point to.
pub struct DiskFs {
    root: PathBuf,
    /// Directories outside the root the user mapped explicitly (`--source`).
    extra_roots: Vec<PathBuf>,
}

impl DiskFs {
    /// `root` is canonicalized; reads outside it fail.
    pub fn new(root: &Path) -> io::Result<DiskFs> {
        Ok(DiskFs {
            root: root.canonicalize()?,
            extra_roots: Vec::new(),
        })
    }

    /// Also allows reads below `dirs` (canonicalized): local stand-ins for
    /// sources outside the repository that the user named.
    pub fn with_extra_roots(mut self, dirs: &[PathBuf]) -> io::Result<DiskFs> {
        for d in dirs {
            self.extra_roots.push(d.canonicalize()?);
        }
        Ok(self)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn check(&self, path: &Path) -> io::Result<PathBuf> {
        let real = path.canonicalize()?;
        if real.starts_with(&self.root) || self.extra_roots.iter().any(|r| real.starts_with(r)) {
            Ok(real)
        } else {
            Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "'{}' is outside the repository '{}'",
                    path.display(),
                    self.root.display()
                ),
            ))
        }
    }
}

impl FileSystem for DiskFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        let real = self.check(path)?;
        std::fs::read_to_string(real)
    }

    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        let real = self.check(path)?;
        std::fs::read(real)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.check(path).map(|p| p.is_file()).unwrap_or(false)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.check(path).map(|p| p.is_dir()).unwrap_or(false)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.check(path)?;
        let mut entries = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<Vec<_>>>()?;
        entries.sort();
        Ok(entries)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        // Resolve symlinks of the directory, keep the file name (kustomize's CleanedAbs).
        match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => {
                Ok(dir.canonicalize()?.join(name))
            }
            _ => path.canonicalize(),
        }
    }
}

/// A tree held in memory: path → contents. Directories are implied by files.
#[derive(Default, Clone)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryFs {
    pub fn new() -> MemoryFs {
        MemoryFs::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(clean(&path.into()), text.into());
    }

    /// Every file, by path.
    pub fn files(&self) -> impl Iterator<Item = (&PathBuf, &String)> {
        self.files.iter()
    }
}

impl FileSystem for MemoryFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.files
            .get(&clean(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&clean(path))
    }

    fn is_dir(&self, path: &Path) -> bool {
        let dir = clean(path);
        self.files.keys().any(|p| p != &dir && p.starts_with(&dir))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let dir = clean(path);
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| {
                let rest = p.strip_prefix(&dir).ok()?;
                let first = rest.components().next()?;
                Some(dir.join(first))
            })
            .collect();
        out.dedup();
        if out.is_empty() && !self.is_dir(&dir) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such directory"));
        }
        Ok(out)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(clean(path))
    }
}
