//! Findings: what is wrong, where, and how bad. Stages record facts; the
//! check command turns them into [`Diagnostic`]s; reporters print them.
//!
//! Locations are [`Span`]s (byte ranges in a file of the source map); line
//! and column are computed only when printing.

use crate::source::Span;
use std::path::PathBuf;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in the repository: a file (relative to the repository root) and,
/// when known, a span in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub span: Option<Span>,
}

/// A secondary location with a note ("substituted by Kustomization flux-system/apps").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// The object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable kebab-case rule id (`dependency-cycle`, `unresolved-variable`, …).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where to fix it; `None` when the finding has no file (e.g. a cluster-wide fact).
    pub location: Option<Location>,
    pub cluster: Option<String>,
    /// `namespace/name` of the Flux Kustomization concerned.
    pub kustomization: Option<String>,
    pub object: Option<ObjectRef>,
    pub related: Vec<Related>,
    /// Extra lines for people ("help: did you mean `apps`?").
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            location: None,
            cluster: None,
            kustomization: None,
            object: None,
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn at(mut self, file: impl Into<PathBuf>, span: Option<Span>) -> Diagnostic {
        self.location = Some(Location {
            file: file.into(),
            span,
        });
        self
    }

    pub fn in_cluster(mut self, cluster: impl Into<String>) -> Diagnostic {
        self.cluster = Some(cluster.into());
        self
    }

    pub fn for_kustomization(mut self, ks: impl Into<String>) -> Diagnostic {
        self.kustomization = Some(ks.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn related(
        mut self,
        file: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            location: Location {
                file: file.into(),
                span,
            },
            message: message.into(),
        });
        self
    }
}

/// Totals for the report's summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub clusters: usize,
    pub kustomizations: usize,
    pub objects: usize,
}
