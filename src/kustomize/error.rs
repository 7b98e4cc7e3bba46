//! Errors of the kustomize engine: what failed, in which file and where.

use crate::source::Span;
use std::fmt;
use std::path::PathBuf;

/// Which part of the build failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file or directory could not be read or does not exist.
    Load,
    /// YAML or JSON that does not parse.
    Parse,
    /// A kustomization file that is invalid.
    Kustomization,
    /// A resource that is invalid (no kind, no name, …).
    Resource,
    /// Two objects with one id, or a merge/replace without a target.
    Conflict,
    /// A path outside the kustomization root under LoadRestrictionsRootOnly.
    Restriction,
    Generator,
    Patch,
    Transformer,
    NameReference,
    Replacement,
    Var,
    /// A feature fluxlint does not implement offline (helm, plugins, remote).
    Unsupported,
}

/// A build error. The message reads like kustomize's.
#[derive(Clone, Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The file the error is about, when there is one.
    pub file: Option<PathBuf>,
    /// Where in `file`, when known.
    pub span: Option<Span>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            file: None,
            span: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Error {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    pub fn at(mut self, span: Span) -> Error {
        if self.span.is_none() && !span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// Prefixes the message with context, as Go's `errors.Wrapf` does.
    pub fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
