//! The repository as fluxlint sees it: files read once, identified by a
//! [`FileId`], with byte [`Span`]s into their text and a line index for
//! printing positions.
//!
//! Every read goes through a [`SourceMap`], which caches file contents (a base
//! shared by many Kustomizations is read once) and refuses paths outside its
//! root, so nothing downstream can read outside the repository it was given.

pub mod fs;
pub mod overlay;

pub use fs::{DiskFs, FileSystem, MemoryFs};

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in a [`SourceMap`]. `FileId::NONE` marks synthesized nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    /// The id of text that comes from no file (generated objects, inline values).
    pub const NONE: FileId = FileId(u32::MAX);
}

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span that points nowhere: the node was made, not read.
    pub const NONE: Span = Span {
        file: FileId::NONE,
        start: 0,
        end: 0,
    };

    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn is_none(&self) -> bool {
        self.file == FileId::NONE
    }
}

impl Default for Span {
    fn default() -> Self {
        Span::NONE
    }
}

/// One file's text, read once.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as the filesystem names it (absolute for [`DiskFs`]).
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    fn new(id: FileId, path: PathBuf, text: Arc<str>) -> SourceFile {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        SourceFile {
            id,
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| *e as usize - 1)
            .unwrap_or(self.text.len());
        self.text
            .get(start as usize..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// The files of one run: a cache in front of a [`FileSystem`].
///
/// Thread-safe and append-only, so parallel renders share it.
pub struct SourceMap {
    fs: Arc<dyn FileSystem>,
    files: Arc<RwLock<Files>>,
    /// Files laid over the filesystem for this view only (the kustomization
    /// file Flux generates), outside the shared path cache.
    overlay: HashMap<PathBuf, Arc<SourceFile>>,
    /// Files this view does not see (source-controller's ignore rules).
    hidden: Option<Hidden>,
}

/// A predicate over absolute paths: true for files left out of a view.
pub type Hidden = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// A filesystem with some files left out.
struct HidingFs {
    base: Arc<dyn FileSystem>,
    hidden: Hidden,
}

impl FileSystem for HidingFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        if (self.hidden)(path) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "ignored by the source's ignore rules",
            ));
        }
        self.base.read_to_string(path)
    }
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        if (self.hidden)(path) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "ignored by the source's ignore rules",
            ));
        }
        self.base.read_bytes(path)
    }
    fn is_file(&self, path: &Path) -> bool {
        !(self.hidden)(path) && self.base.is_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.base.is_dir(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(self
            .base
            .read_dir(path)?
            .into_iter()
            .filter(|p| !(self.hidden)(p) || self.base.is_dir(p))
            .collect())
    }
    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        self.base.real_path(path)
    }
}

#[derive(Default)]
struct Files {
    by_id: Vec<Arc<SourceFile>>,
    by_path: HashMap<PathBuf, FileId>,
}

impl SourceMap {
    pub fn new(fs: Arc<dyn FileSystem>) -> SourceMap {
        SourceMap {
            fs,
            files: Arc::new(RwLock::new(Files::default())),
            overlay: HashMap::new(),
            hidden: None,
        }
    }

    /// A view that does not see the files `hidden` selects. It shares the
    /// cache and file ids.
    pub fn with_hidden(&self, hidden: Hidden) -> SourceMap {
        SourceMap {
            fs: Arc::new(HidingFs {
                base: self.fs.clone(),
                hidden: hidden.clone(),
            }),
            files: self.files.clone(),
            overlay: self.overlay.clone(),
            hidden: Some(hidden),
        }
    }

    /// A view with `files` laid over this map's filesystem. It shares the
    /// cache and file ids (nothing is read twice); the overlay files get ids
    /// of their own and are seen only through this view.
    pub fn with_overlay(&self, files: impl IntoIterator<Item = (PathBuf, String)>) -> SourceMap {
        let mut fs = overlay::OverlayFs::new(self.fs.clone());
        let mut map = HashMap::new();
        for (path, text) in files {
            let path = fs::clean(&path);
            fs.insert(path.clone(), text.clone());
            let mut all = self.files.write().expect("source map lock");
            let id = FileId(all.by_id.len() as u32);
            let file = Arc::new(SourceFile::new(id, path.clone(), text.into()));
            all.by_id.push(file.clone());
            map.insert(path, file);
        }
        SourceMap {
            fs: Arc::new(fs),
            files: self.files.clone(),
            overlay: map,
            hidden: self.hidden.clone(),
        }
    }

    pub fn fs(&self) -> &dyn FileSystem {
        self.fs.as_ref()
    }

    /// The filesystem, shared.
    pub fn fs_arc(&self) -> Arc<dyn FileSystem> {
        self.fs.clone()
    }

    /// Reads a file (once; later calls return the cached text).
    pub fn load(&self, path: &Path) -> io::Result<Arc<SourceFile>> {
        if let Some(file) = self.overlay.get(path) {
            return Ok(file.clone());
        }
        if self.hidden.as_ref().is_some_and(|h| h(path)) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "ignored by the source's ignore rules",
            ));
        }
        // Take the file under one read lock and release it before anything
        // else locks: std's RwLock lets a waiting writer block a second read.
        let cached = {
            let files = self.files.read().expect("source map lock");
            files
                .by_path
                .get(path)
                .map(|id| files.by_id[id.0 as usize].clone())
        };
        if let Some(file) = cached {
            return Ok(file);
        }
        let text: Arc<str> = self.fs.read_to_string(path)?.into();
        Ok(self.add(path.to_path_buf(), text))
    }

    /// Registers text that does not come from the filesystem (inline values, tests).
    pub fn add(&self, path: PathBuf, text: Arc<str>) -> Arc<SourceFile> {
        let mut files = self.files.write().expect("source map lock");
        if let Some(id) = files.by_path.get(&path) {
            return files.by_id[id.0 as usize].clone();
        }
        let id = FileId(files.by_id.len() as u32);
        let file = Arc::new(SourceFile::new(id, path.clone(), text));
        files.by_id.push(file.clone());
        files.by_path.insert(path, id);
        file
    }

    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.files
            .read()
            .expect("source map lock")
            .by_id
            .get(id.0 as usize)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new(FileId(0), "x".into(), "ab\nçd: e\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes; the ':' after "çd" is column 3.
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.line_text(2), "çd: e");
    }
}
