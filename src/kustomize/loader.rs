//! Reading the files a kustomization names, relative to its directory, under
//! kustomize's load restrictions (`api/internal/loader/fileloader.go`).

use super::error::{Error, ErrorKind, Result};
use crate::source::{fs::clean, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// kustomize's `--load-restrictor`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LoadRestrictor {
    /// Files must be in or below the kustomization's directory.
    #[default]
    RootOnly,
    /// Any file the filesystem lets us read.
    None,
}

/// A loader rooted at one kustomization directory.
#[derive(Clone)]
pub struct Loader<'a> {
    pub sources: &'a SourceMap,
    root: PathBuf,
    restrictor: LoadRestrictor,
    /// Roots of the kustomizations that led here, to detect cycles.
    visited: Vec<PathBuf>,
}

/// True for entries kustomize would fetch over the network.
pub fn is_remote(entry: &str) -> bool {
    let lower = entry.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("git@")
        || lower.starts_with("ssh://")
        || lower.starts_with("git::")
        || lower.starts_with("github.com/")
        || lower.starts_with("gitlab.com/")
        || lower.starts_with("bitbucket.org/")
        || lower.contains("?ref=")
        || lower.contains(".git//")
}

impl<'a> Loader<'a> {
    pub fn new(sources: &'a SourceMap, root: &Path, restrictor: LoadRestrictor) -> Loader<'a> {
        let root = clean(root);
        Loader {
            sources,
            visited: vec![root.clone()],
            root,
            restrictor,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn restrictor(&self) -> LoadRestrictor {
        self.restrictor
    }

    /// Absolute, clean path of an entry relative to this root.
    pub fn resolve(&self, entry: &str) -> PathBuf {
        clean(&self.root.join(entry))
    }

    /// Reads a file named relative to this root, enforcing the restrictor.
    pub fn load_file(&self, entry: &str) -> Result<Arc<SourceFile>> {
        if is_remote(entry) {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("remote file '{entry}' is not supported: fluxlint does not fetch over the network"),
            ));
        }
        let path = self.resolve(entry);
        let fs = self.sources.fs();
        if fs.is_dir(&path) {
            return Err(Error::new(
                ErrorKind::Load,
                format!("'{}' must resolve to a file", path.display()),
            ));
        }
        if self.restrictor == LoadRestrictor::RootOnly {
            let real = fs.real_path(&path).map_err(|e| {
                Error::new(
                    ErrorKind::Load,
                    format!("evalsymlink failure on '{}' : {e}", path.display()),
                )
            })?;
            let real_root = fs
                .real_path(&self.root)
                .unwrap_or_else(|_| self.root.clone());
            if !real.starts_with(&real_root) {
                return Err(Error::new(
                    ErrorKind::Restriction,
                    format!(
                        "security; file '{}' is not in or below '{}'",
                        real.display(),
                        real_root.display()
                    ),
                ));
            }
        }
        self.sources.load(&path).map_err(|e| {
            Error::new(ErrorKind::Load, format!("open {}: {e}", path.display())).in_file(&path)
        })
    }

    /// A loader for a directory entry (a base, an overlay, a component).
    /// Directories are not subject to the restrictor, but cycles are errors.
    pub fn child(&self, entry: &str) -> Result<Loader<'a>> {
        if is_remote(entry) {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("remote resource '{entry}' is not supported: fluxlint does not fetch over the network"),
            ));
        }
        if Path::new(entry).is_absolute() {
            return Err(Error::new(
                ErrorKind::Load,
                format!("new root '{entry}' cannot be absolute"),
            ));
        }
        let root = self.resolve(entry);
        if !self.sources.fs().is_dir(&root) {
            return Err(Error::new(
                ErrorKind::Load,
                format!(
                    "must build at directory: not a valid directory: '{}'",
                    root.display()
                ),
            ));
        }
        for v in &self.visited {
            if v.starts_with(&root) {
                return Err(Error::new(
                    ErrorKind::Load,
                    format!(
                        "cycle detected: candidate root '{}' contains visited root '{}'",
                        root.display(),
                        v.display()
                    ),
                ));
            }
        }
        let mut visited = self.visited.clone();
        visited.push(root.clone());
        Ok(Loader {
            sources: self.sources,
            root,
            restrictor: self.restrictor,
            visited,
        })
    }
}
