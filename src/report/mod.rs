//! Writing results: diagnostics in four formats, and files written whole or
//! not at all.
//!
//! Every reporter prints the same `&[Diagnostic]`, in the order given (the
//! caller sorts), through the same [`ReportContext`]: [`human`] (rustc-style
//! snippets for a terminal), [`json`] (the design's stable schema), [`sarif`]
//! (SARIF 2.1.0 for code-scanning tools) and [`github`] (workflow commands that
//! annotate a pull request). [`write_report`] picks one by [`Format`].
//!
//! Diagnostics name files relative to the repository root; a reporter reads
//! them (for line numbers and snippets) only through the context's
//! [`SourceMap`], and only inside the root.

pub mod github;
pub mod human;
pub mod json;
mod position;
pub mod sarif;

use crate::diag::{Diagnostic, Severity, Summary};
use crate::source::SourceMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

/// What every reporter needs besides the diagnostics.
pub struct ReportContext<'a> {
    /// The repository root (absolute, as the [`SourceMap`] was opened on).
    pub root: &'a Path,
    pub sources: &'a SourceMap,
    pub summary: &'a Summary,
    /// ANSI colors in the human format; the caller decides (terminal, `NO_COLOR`).
    pub color: bool,
    /// A one-line description of a rule id, for SARIF's rule table; `None`
    /// falls back to the id spelled as words.
    pub rule_summary: &'a dyn Fn(&str) -> Option<String>,
}

fn no_rule_summary(_: &str) -> Option<String> {
    None
}

impl<'a> ReportContext<'a> {
    /// A context without color and without rule descriptions.
    pub fn new(root: &'a Path, sources: &'a SourceMap, summary: &'a Summary) -> ReportContext<'a> {
        ReportContext {
            root,
            sources,
            summary,
            color: false,
            rule_summary: &no_rule_summary,
        }
    }

    pub fn with_color(mut self, color: bool) -> ReportContext<'a> {
        self.color = color;
        self
    }

    pub fn with_rule_summaries(
        mut self,
        rule_summary: &'a dyn Fn(&str) -> Option<String>,
    ) -> ReportContext<'a> {
        self.rule_summary = rule_summary;
        self
    }
}

/// An output format of `fluxlint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Human, Format::Json, Format::Sarif, Format::Github];

    /// The name on the command line (`--format sarif`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format '{s}' (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Writes `diagnostics` to `w` in `format`.
pub fn write_report(
    format: Format,
    w: &mut dyn Write,
    diagnostics: &[Diagnostic],
    ctx: &ReportContext,
) -> io::Result<()> {
    match format {
        Format::Human => human::write_human(w, diagnostics, ctx),
        Format::Json => json::write_json(w, diagnostics, ctx),
        Format::Sarif => sarif::write_sarif(w, diagnostics, ctx),
        Format::Github => github::write_github(w, diagnostics, ctx),
    }
}

/// How many diagnostics of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

/// Where a finding arose, for people: "cluster prod, Kustomization
/// flux-system/apps, Deployment default/web". `None` when nothing is known.
fn context_line(d: &Diagnostic) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(cluster) = &d.cluster {
        parts.push(format!("cluster {cluster}"));
    }
    if let Some(ks) = &d.kustomization {
        parts.push(format!("Kustomization {ks}"));
    }
    if let Some(o) = d.object.as_ref().filter(|o| {
        // The object is the Kustomization itself: said once.
        !(o.kind == "Kustomization"
            && d.kustomization.as_deref() == Some(format!("{}/{}", o.namespace, o.name).as_str()))
    }) {
        if o.namespace.is_empty() {
            parts.push(format!("{} {}", o.kind, o.name));
        } else {
            parts.push(format!("{} {}/{}", o.kind, o.namespace, o.name));
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// renamed into place, so a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.fluxlint-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::ObjectRef;

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        let err = "xml".parse::<Format>().unwrap_err();
        assert!(err.contains("human, json, sarif, github"), "{err}");
    }

    #[test]
    fn counts_by_severity() {
        let d = |s| Diagnostic::new("r", s, "m");
        let counts = Counts::of(&[
            d(Severity::Error),
            d(Severity::Info),
            d(Severity::Error),
            d(Severity::Warning),
        ]);
        assert_eq!(
            counts,
            Counts {
                errors: 2,
                warnings: 1,
                infos: 1
            }
        );
    }

    #[test]
    fn context_names_cluster_kustomization_and_object() {
        let mut d = Diagnostic::new("r", Severity::Error, "m");
        assert_eq!(context_line(&d), None);
        d = d.in_cluster("prod").for_kustomization("flux-system/apps");
        d.object = Some(ObjectRef {
            api_version: "v1".into(),
            kind: "Namespace".into(),
            namespace: String::new(),
            name: "apps".into(),
        });
        assert_eq!(
            context_line(&d).as_deref(),
            Some("cluster prod, Kustomization flux-system/apps, Namespace apps")
        );
    }
}
