//! Locations as reporters print them: the path relative to the repository
//! root with `/` separators and, when the file can be read inside the root,
//! the span's 1-based lines and columns (columns count characters).

use super::ReportContext;
use crate::diag::Location;
use crate::source::fs::clean;
use crate::source::SourceFile;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    pub line: usize,
    pub column: usize,
}

/// A span as lines and columns: `end` is the position just after the last
/// character (exclusive), as in SARIF and LSP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    /// The line of the last character. A span that ends with a line break
    /// ends at column 1 of the next line, which holds none of it.
    pub fn last_line(&self) -> usize {
        if self.end.line > self.start.line && self.end.column == 1 {
            self.end.line - 1
        } else {
            self.end.line
        }
    }
}

/// A location resolved for printing.
pub(crate) struct Place {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    /// The file's text, when the location has a span and the file was read.
    pub file: Option<Arc<SourceFile>>,
    pub range: Option<Range>,
}

impl Place {
    /// `path:line:column`, or `path` when the position is unknown.
    pub fn describe(&self) -> String {
        match self.range {
            Some(r) => format!("{}:{}:{}", self.path, r.start.line, r.start.column),
            None => self.path.clone(),
        }
    }
}

/// Resolves `location`, reading its file through the context's source map
/// when it has a span. A file outside the root is named but never read.
pub(crate) fn place(ctx: &ReportContext, location: &Location) -> Place {
    let root = clean(ctx.root);
    let Some(relative) = inside_root(&root, &location.file) else {
        return Place {
            path: slashed(&location.file),
            file: None,
            range: None,
        };
    };
    let path = if relative.as_os_str().is_empty() {
        ".".to_string()
    } else {
        slashed(&relative)
    };
    let Some(span) = location.span.filter(|s| !s.is_none()) else {
        return Place {
            path,
            file: None,
            range: None,
        };
    };
    let absolute = root.join(&relative);
    // The span's own file when it is this path (it may be a file laid over
    // the disk, such as the kustomization Flux generates); else read it.
    let file = ctx
        .sources
        .get(span.file)
        .filter(|f| f.path == absolute)
        .or_else(|| ctx.sources.load(&absolute).ok());
    let Some(file) = file else {
        return Place {
            path,
            file: None,
            range: None,
        };
    };
    let len = file.text.len() as u32;
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    let position = |offset| {
        let (line, column) = file.line_col(offset);
        Position { line, column }
    };
    let range = Range {
        start: position(start),
        end: position(end),
    };
    Place {
        path,
        file: Some(file),
        range: Some(range),
    }
}

/// `file` relative to `root`, without `.` or `..`; `None` when it leaves the
/// root (or is absolute elsewhere).
fn inside_root(root: &Path, file: &Path) -> Option<PathBuf> {
    let relative = if file.is_absolute() {
        clean(file).strip_prefix(root).ok()?.to_path_buf()
    } else {
        file.to_path_buf()
    };
    let mut out = PathBuf::new();
    for c in relative.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// A path with `/` between its components, whatever the platform.
fn slashed(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Summary;
    use crate::source::{FileId, MemoryFs, SourceMap, Span};

    fn sources(files: &[(&str, &str)]) -> SourceMap {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(*path, *text);
        }
        SourceMap::new(Arc::new(fs))
    }

    fn resolve(sources: &SourceMap, file: &str, span: Option<Span>) -> Place {
        let summary = Summary::default();
        let ctx = ReportContext::new(Path::new("/repo"), sources, &summary);
        place(
            &ctx,
            &Location {
                file: file.into(),
                span,
            },
        )
    }

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn columns_count_characters() {
        let map = sources(&[("/repo/a.yaml", "name: çà\nx: 1\n")]);
        let text = "name: çà\n";
        let start = text.find('ç').unwrap();
        let place = resolve(&map, "a.yaml", Some(Span::new(FileId(9), start, 10)));
        assert_eq!(place.path, "a.yaml");
        let range = place.range.unwrap();
        assert_eq!(range.start, at(1, 7));
        // 'ç' and 'à' are two bytes each; the span ends after 'à'.
        assert_eq!(range.end, at(1, 9));
    }

    #[test]
    fn span_at_end_of_file() {
        let map = sources(&[("/repo/a.yaml", "a: 1\nb: 2")]);
        let range = resolve(&map, "a.yaml", Some(Span::new(FileId(0), 10, 10)))
            .range
            .unwrap();
        assert_eq!((range.start, range.end), (at(2, 5), at(2, 5)));
        // Past the end (the file changed since): clamped, no panic.
        let range = resolve(&map, "a.yaml", Some(Span::new(FileId(0), 40, 90)))
            .range
            .unwrap();
        assert_eq!(range.start, at(2, 5));
    }

    #[test]
    fn crlf_lines() {
        let map = sources(&[("/repo/a.yaml", "a: 1\r\nb: 2\r\n")]);
        let file = map.load(Path::new("/repo/a.yaml")).unwrap();
        assert_eq!(file.line_text(1), "a: 1");
        let range = resolve(&map, "a.yaml", Some(Span::new(FileId(0), 9, 10)))
            .range
            .unwrap();
        assert_eq!((range.start, range.end), (at(2, 4), at(2, 5)));
    }

    #[test]
    fn a_span_ending_with_a_line_break_ends_on_its_line() {
        let map = sources(&[("/repo/a.yaml", "a: 1\nb: 2\n")]);
        let range = resolve(&map, "a.yaml", Some(Span::new(FileId(0), 0, 5)))
            .range
            .unwrap();
        assert_eq!(range.end, at(2, 1));
        assert_eq!(range.last_line(), 1);
    }

    #[test]
    fn paths_outside_the_root_are_named_not_read() {
        let map = sources(&[("/etc/passwd", "root:x:0:0\n")]);
        let span = Some(Span::new(FileId(0), 0, 4));
        for file in ["../etc/passwd", "/etc/passwd", "a/../../etc/passwd"] {
            let place = resolve(&map, file, span);
            assert!(place.file.is_none() && place.range.is_none(), "{file}");
        }
        // Absolute paths inside the root are shown relative to it.
        let map = sources(&[("/repo/k/a.yaml", "a: 1\n")]);
        let place = resolve(&map, "/repo/./k/a.yaml", span);
        assert_eq!(place.path, "k/a.yaml");
        assert!(place.range.is_some());
    }

    #[test]
    fn the_span_file_is_used_only_when_it_is_the_named_file() {
        let map = sources(&[("/repo/a.yaml", "abc\n"), ("/repo/b.yaml", "x\ny\n")]);
        let b = map.load(Path::new("/repo/b.yaml")).unwrap();
        // The span names b's id but the location names a.yaml: a.yaml is read.
        let place = resolve(&map, "a.yaml", Some(Span::new(b.id, 2, 3)));
        assert_eq!(place.file.unwrap().path, Path::new("/repo/a.yaml"));
        // A file that is not there: named, no position.
        let place = resolve(&map, "missing.yaml", Some(Span::new(b.id, 0, 1)));
        assert_eq!((place.path.as_str(), place.range), ("missing.yaml", None));
        assert_eq!(place.describe(), "missing.yaml");
    }
}
