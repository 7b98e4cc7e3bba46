//! What source-controller puts in an artifact built from a source tree
//! (flux-semantics.md §7): which files of a checkout, a pulled OCI artifact
//! or a bucket survive its ignore rules.
//!
//! - GitRepository and OCIRepository (`reconcileArtifact`): the `.sourceignore`
//!   of every directory (scoped to that directory, `.git` not searched), then
//!   `spec.ignore` scoped to the root. `storage.SourceIgnoreFilter` keeps the
//!   version-control patterns always, and the Ext/CI/Extra defaults only when
//!   there is **no** user pattern at all, so one user line replaces them.
//! - Bucket (`fetchEtagIndex`): only the root `.sourceignore` plus
//!   `spec.ignore`, no defaults of any kind; the root `.sourceignore` object
//!   itself is never part of the artifact.
//! - `Storage.Archive` walks every path and asks the filter about each one,
//!   so an ignored directory does not hide a file below it that a later `!`
//!   pattern re-includes: the decision is made per file.
//!
//! The matcher itself (Flux's gitignore fork) lives in
//! [`crate::flux::generate::ignore`]; this module only decides which
//! patterns apply and walks the tree.

use crate::flux::generate::ignore::{
    components, load_ignore_files, read_patterns, Matcher, Pattern, IGNORE_FILE,
};
use crate::source::{FileSystem, MemoryFs};
use std::io;
use std::path::{Path, PathBuf};

/// The source kinds whose artifacts source-controller builds from a tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    GitRepository,
    OciRepository,
    Bucket,
}

impl SourceKind {
    /// The kind as written in a manifest (`GitRepository`, `OCIRepository`,
    /// `Bucket`); `None` for kinds without ignore rules.
    pub fn from_kind(kind: &str) -> Option<SourceKind> {
        match kind {
            "GitRepository" => Some(SourceKind::GitRepository),
            "OCIRepository" => Some(SourceKind::OciRepository),
            "Bucket" => Some(SourceKind::Bucket),
            _ => None,
        }
    }
}

/// The ignore decision for the files below one root.
#[derive(Clone, Debug)]
pub struct SourceFilter {
    root: PathBuf,
    matcher: Matcher,
    /// Bucket: the root `.sourceignore` is never an object of the artifact.
    drop_root_ignore_file: bool,
}

impl SourceFilter {
    /// The filter source-controller applies to the tree at `root`.
    pub fn for_source(
        fs: &dyn FileSystem,
        root: &Path,
        kind: SourceKind,
        spec_ignore: Option<&str>,
    ) -> io::Result<SourceFilter> {
        let domain = components(root);
        let (mut user, drop_root_ignore_file) = match kind {
            SourceKind::GitRepository | SourceKind::OciRepository => {
                (load_ignore_files(fs, root, &domain)?, false)
            }
            SourceKind::Bucket => {
                let file = root.join(IGNORE_FILE);
                let patterns = if fs.is_file(&file) {
                    read_patterns(&fs.read_to_string(&file)?, &domain)
                } else {
                    Vec::new()
                };
                (patterns, true)
            }
        };
        if let Some(text) = spec_ignore {
            user.extend(read_patterns(text, &domain));
        }
        let matcher = match kind {
            SourceKind::Bucket => only(&user),
            _ => archive_matcher(&user, &domain),
        };
        Ok(SourceFilter {
            root: root.to_path_buf(),
            matcher,
            drop_root_ignore_file,
        })
    }

    /// The filter source-watcher archives an ExternalArtifact with
    /// (`SourceIgnoreFilter(nil, nil)`): all default patterns.
    pub fn defaults(root: &Path) -> SourceFilter {
        let domain = components(root);
        SourceFilter {
            root: root.to_path_buf(),
            matcher: archive_matcher(&[], &domain),
            drop_root_ignore_file: false,
        }
    }

    /// True when the file at `path` (below the root) is left out.
    pub fn is_ignored(&self, path: &Path) -> bool {
        if self.drop_root_ignore_file && path == self.root.join(IGNORE_FILE) {
            return true;
        }
        self.matcher.is_ignored(&components(path), false)
    }

    /// The files below the root that the artifact keeps, in path order.
    pub fn files(&self, fs: &dyn FileSystem) -> io::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = walk_files(fs, &self.root)?
            .into_iter()
            .filter(|p| !self.is_ignored(p))
            .collect();
        out.sort();
        Ok(out)
    }
}

/// `storage.SourceIgnoreFilter`: without user patterns, every default; with
/// any, the version-control patterns and then the user's.
fn archive_matcher(user: &[Pattern], domain: &[String]) -> Matcher {
    if user.is_empty() {
        Matcher::with_defaults(&[], domain)
    } else {
        let mut patterns: Vec<Pattern> = EXCLUDE_VCS
            .iter()
            .map(|p| Pattern::parse(p, domain))
            .collect();
        patterns.extend_from_slice(user);
        only(&patterns)
    }
}

/// source-controller's version-control patterns (`sourceignore.ExcludeVCS`),
/// the ones a user pattern never drops.
const EXCLUDE_VCS: &[&str] = &[".git/", ".gitignore", ".gitmodules", ".gitattributes"];

/// A matcher of exactly `patterns`. [`Matcher`] only offers a constructor
/// that puts the defaults first; scoped to a directory no path is below (a
/// component never holds NUL), those defaults never match.
fn only(patterns: &[Pattern]) -> Matcher {
    Matcher::with_defaults(patterns, &["\0".to_string()])
}

/// Every file below `dir`, depth first in name order.
pub fn walk_files(fs: &dyn FileSystem, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut subdirs = Vec::new();
        for entry in fs.read_dir(&dir)? {
            if fs.is_dir(&entry) {
                subdirs.push(entry);
            } else if fs.is_file(&entry) {
                out.push(entry);
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(out)
}

/// The files of the artifact source-controller would build from the tree at
/// `root`, as absolute paths below `root`, sorted.
pub fn source_files(
    fs: &dyn FileSystem,
    root: &Path,
    kind: SourceKind,
    spec_ignore: Option<&str>,
) -> io::Result<Vec<PathBuf>> {
    SourceFilter::for_source(fs, root, kind, spec_ignore)?.files(fs)
}

/// The artifact as a tree in memory at the same root: the files of
/// [`source_files`] with their contents. Bytes that are not UTF-8 are
/// replaced (a [`MemoryFs`] holds text).
pub fn source_tree(
    fs: &dyn FileSystem,
    root: &Path,
    kind: SourceKind,
    spec_ignore: Option<&str>,
) -> io::Result<MemoryFs> {
    let mut tree = MemoryFs::new();
    for file in source_files(fs, root, kind, spec_ignore)? {
        let bytes = fs.read_bytes(&file)?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        tree.insert(file, text);
    }
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> MemoryFs {
        let mut fs = MemoryFs::new();
        for (p, t) in files {
            fs.insert(*p, *t);
        }
        fs
    }

    fn kept(fs: &MemoryFs, kind: SourceKind, ignore: Option<&str>) -> Vec<String> {
        source_files(fs, Path::new("/r"), kind, ignore)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix("/r").unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn git_defaults_apply_without_user_patterns() {
        let fs = tree(&[
            ("/r/a.yaml", ""),
            ("/r/.git/config", ""),
            ("/r/.github/workflows/ci.yaml", ""),
            ("/r/x/.sops.yaml", ""),
            ("/r/logo.png", ""),
        ]);
        assert_eq!(kept(&fs, SourceKind::GitRepository, None), vec!["a.yaml"]);
    }

    #[test]
    fn any_user_pattern_drops_all_but_the_vcs_defaults() {
        let fs = tree(&[
            ("/r/a.yaml", ""),
            ("/r/b.txt", ""),
            ("/r/.git/config", ""),
            ("/r/logo.png", ""),
        ]);
        assert_eq!(
            kept(&fs, SourceKind::OciRepository, Some("*.txt\n")),
            vec!["a.yaml", "logo.png"]
        );
    }

    #[test]
    fn nested_sourceignore_is_scoped_and_a_negation_reincludes() {
        let fs = tree(&[
            ("/r/sub/.sourceignore", "*.yaml\n!keep.yaml\n"),
            ("/r/sub/drop.yaml", ""),
            ("/r/sub/keep.yaml", ""),
            ("/r/top.yaml", ""),
        ]);
        assert_eq!(
            kept(&fs, SourceKind::GitRepository, None),
            vec!["sub/.sourceignore", "sub/keep.yaml", "top.yaml"]
        );
    }

    #[test]
    fn bucket_has_no_defaults_and_reads_only_the_root_ignore_file() {
        let fs = tree(&[
            ("/r/.sourceignore", "*.txt\n"),
            ("/r/a.txt", ""),
            ("/r/logo.png", ""),
            ("/r/sub/.sourceignore", "*.png\n"),
        ]);
        assert_eq!(
            kept(&fs, SourceKind::Bucket, None),
            vec!["logo.png", "sub/.sourceignore"]
        );
    }

    #[test]
    fn default_filter_is_source_watchers() {
        let f = SourceFilter::defaults(Path::new("/a"));
        assert!(f.is_ignored(Path::new("/a/x/.sops.yaml")));
        assert!(f.is_ignored(Path::new("/a/.github/x.yaml")));
        assert!(!f.is_ignored(Path::new("/a/x/app.yaml")));
    }
}
