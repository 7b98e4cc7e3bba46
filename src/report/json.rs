//! Diagnostics as JSON, in the schema the design promises to scripts
//! (version 1):
//!
//! ```text
//! {"version": 1,
//!  "diagnostics": [{"rule", "severity", "message", "file", "line", "column",
//!                   "end_line", "end_column", "cluster", "kustomization",
//!                   "object": {"apiVersion", "kind", "namespace", "name"} | null,
//!                   "related": [{"file", "line", "column", "message"}]}],
//!  "summary": {"errors", "warnings", "infos", "clusters", "kustomizations", "objects"}}
//! ```
//!
//! Paths are relative to the repository root with `/` separators; lines and
//! columns are 1-based, columns count characters, and `end_column` is the
//! column just after the span's last character. Every key is always present;
//! what is not known is `null`. A cluster-scoped object has namespace `""`.
//! Notes are for people and are not part of the schema.

use super::position::place;
use super::{Counts, ReportContext};
use crate::diag::Diagnostic;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Writes the report as pretty-printed JSON followed by a line break.
pub fn write_json(
    w: &mut dyn Write,
    diagnostics: &[Diagnostic],
    ctx: &ReportContext,
) -> io::Result<()> {
    let counts = Counts::of(diagnostics);
    let report = json!({
        "version": 1,
        "diagnostics": diagnostics.iter().map(|d| diagnostic(d, ctx)).collect::<Vec<_>>(),
        "summary": {
            "errors": counts.errors,
            "warnings": counts.warnings,
            "infos": counts.infos,
            "clusters": ctx.summary.clusters,
            "kustomizations": ctx.summary.kustomizations,
            "objects": ctx.summary.objects,
        },
    });
    serde_json::to_writer_pretty(&mut *w, &report)?;
    writeln!(w)
}

fn diagnostic(d: &Diagnostic, ctx: &ReportContext) -> Value {
    let primary = d.location.as_ref().map(|l| place(ctx, l));
    let range = primary.as_ref().and_then(|p| p.range);
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let p = place(ctx, &r.location);
            json!({
                "file": p.path,
                "line": p.range.map(|r| r.start.line),
                "column": p.range.map(|r| r.start.column),
                "message": r.message,
            })
        })
        .collect();
    json!({
        "rule": d.rule,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": primary.map(|p| p.path),
        "line": range.map(|r| r.start.line),
        "column": range.map(|r| r.start.column),
        "end_line": range.map(|r| r.end.line),
        "end_column": range.map(|r| r.end.column),
        "cluster": d.cluster,
        "kustomization": d.kustomization,
        "object": d.object.as_ref().map(|o| json!({
            "apiVersion": o.api_version,
            "kind": o.kind,
            "namespace": o.namespace,
            "name": o.name,
        })),
        "related": related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Severity, Summary};
    use crate::source::{FileId, MemoryFs, SourceMap, Span};
    use std::path::Path;
    use std::sync::Arc;

    fn report(diagnostics: &[Diagnostic]) -> Value {
        let mut fs = MemoryFs::new();
        fs.insert("/repo/k/a.yaml", "kind: Kustomization\nname: café-x\n");
        let sources = SourceMap::new(Arc::new(fs));
        let summary = Summary {
            clusters: 1,
            kustomizations: 2,
            objects: 3,
        };
        let ctx = ReportContext::new(Path::new("/repo"), &sources, &summary);
        let mut out = Vec::new();
        write_json(&mut out, diagnostics, &ctx).unwrap();
        assert!(out.ends_with(b"}\n"));
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn every_key_is_present_and_unknowns_are_null() {
        let v = report(&[Diagnostic::new("r", Severity::Warning, "m")]);
        let keys: Vec<&str> = v["diagnostics"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "rule",
                "severity",
                "message",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "cluster",
                "kustomization",
                "object",
                "related"
            ]
        );
        let d = &v["diagnostics"][0];
        for key in ["file", "line", "column", "end_line", "end_column", "object"] {
            assert!(d[key].is_null(), "{key}");
        }
        assert_eq!(d["severity"], "warning");
        assert_eq!(
            v["summary"],
            json!({"errors": 0, "warnings": 1, "infos": 0, "clusters": 1, "kustomizations": 2, "objects": 3})
        );
    }

    #[test]
    fn positions_are_one_based_characters_with_an_exclusive_end() {
        let text = "kind: Kustomization\nname: café-x\n";
        let start = text.find("café").unwrap();
        let end = start + "café-x".len();
        let d = Diagnostic::new("r", Severity::Error, "m")
            .at("k/a.yaml", Some(Span::new(FileId(0), start, end)))
            .related("./k/a.yaml", None, "here");
        let v = report(&[d]);
        let d = &v["diagnostics"][0];
        assert_eq!(
            (
                &d["file"],
                &d["line"],
                &d["column"],
                &d["end_line"],
                &d["end_column"]
            ),
            (
                &json!("k/a.yaml"),
                &json!(2),
                &json!(7),
                &json!(2),
                &json!(13)
            )
        );
        assert_eq!(
            d["related"],
            json!([{"file": "k/a.yaml", "line": null, "column": null, "message": "here"}])
        );
    }
}
