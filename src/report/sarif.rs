//! Diagnostics as a SARIF 2.1.0 log, for code-scanning tools (GitHub code
//! scanning, IDE viewers).
//!
//! One run; `tool.driver` lists each rule id that occurs, in order of first
//! occurrence, and each result points at its rule by `ruleIndex`. Levels map
//! error → `error`, warning → `warning`, info → `note`. Artifact URIs are
//! relative to `%SRCROOT%` (the repository root, given in
//! `originalUriBaseIds` when the root is absolute) and percent-encoded.
//! Columns count characters (`columnKind: unicodeCodePoints`); `endColumn` is
//! the column just after the span, as SARIF defines it. Notes follow the
//! message on lines of their own; cluster, Kustomization and object go in the
//! result's property bag. A diagnostic without a location has no `locations`.

use super::position::{place, Place};
use super::ReportContext;
use crate::diag::{Diagnostic, Severity};
use serde_json::{json, Map, Value};
use std::io::{self, Write};
use std::path::Path;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
const ROOT_BASE_ID: &str = "%SRCROOT%";

/// Writes the SARIF log as pretty-printed JSON followed by a line break.
pub fn write_sarif(
    w: &mut dyn Write,
    diagnostics: &[Diagnostic],
    ctx: &ReportContext,
) -> io::Result<()> {
    let mut rules: Vec<&'static str> = Vec::new();
    let mut results = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let index = match rules.iter().position(|r| *r == d.rule) {
            Some(i) => i,
            None => {
                rules.push(d.rule);
                rules.len() - 1
            }
        };
        results.push(result(d, index, ctx));
    }

    let mut driver = Map::new();
    driver.insert("name".into(), json!("fluxlint"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    let homepage = option_env!("CARGO_PKG_REPOSITORY").unwrap_or("");
    if !homepage.is_empty() {
        driver.insert("informationUri".into(), json!(homepage));
    }
    driver.insert(
        "rules".into(),
        rules
            .iter()
            .map(|id| {
                let text = (ctx.rule_summary)(id).unwrap_or_else(|| words(id));
                json!({"id": id, "shortDescription": {"text": text}})
            })
            .collect(),
    );

    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {ROOT_BASE_ID: root_location(ctx.root)},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

fn result(d: &Diagnostic, rule_index: usize, ctx: &ReportContext) -> Value {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push('\n');
        text.push_str(note);
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.rule));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({"text": text}));
    if let Some(location) = &d.location {
        let place = place(ctx, location);
        result.insert(
            "locations".into(),
            json!([{"physicalLocation": physical_location(&place)}]),
        );
    }
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| {
                json!({
                    "id": id,
                    "physicalLocation": physical_location(&place(ctx, &r.location)),
                    "message": {"text": r.message},
                })
            })
            .collect();
        result.insert("relatedLocations".into(), related.into());
    }
    let mut properties = Map::new();
    if let Some(cluster) = &d.cluster {
        properties.insert("cluster".into(), json!(cluster));
    }
    if let Some(ks) = &d.kustomization {
        properties.insert("kustomization".into(), json!(ks));
    }
    if let Some(o) = &d.object {
        properties.insert(
            "object".into(),
            json!({"apiVersion": o.api_version, "kind": o.kind, "namespace": o.namespace, "name": o.name}),
        );
    }
    if !properties.is_empty() {
        result.insert("properties".into(), properties.into());
    }
    result.into()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn physical_location(place: &Place) -> Value {
    let mut location = Map::new();
    location.insert(
        "artifactLocation".into(),
        json!({"uri": encode_uri_path(&place.path), "uriBaseId": ROOT_BASE_ID}),
    );
    if let Some(r) = place.range {
        location.insert(
            "region".into(),
            json!({
                "startLine": r.start.line,
                "startColumn": r.start.column,
                "endLine": r.end.line,
                "endColumn": r.end.column,
            }),
        );
    }
    location.into()
}

/// `%SRCROOT%` as a `file:` URI ending in `/`; only a description when the
/// root is not absolute (a relative URI may not stand here).
fn root_location(root: &Path) -> Value {
    if !root.is_absolute() {
        return json!({"description": {"text": "The repository root."}});
    }
    let path = root
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/");
    let mut uri = String::from("file://");
    if !path.starts_with('/') {
        // A Windows drive path: file:///C:/...
        uri.push('/');
    }
    uri.push_str(&encode_uri_path(&path).replace("%3A", ":"));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    json!({"uri": uri})
}

/// Percent-encodes a `/`-separated path for a URI reference: everything but
/// unreserved characters, `/` and a few sub-delimiters. `:` is encoded so a
/// relative path never reads as a scheme.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `dependency-cycle` → `Dependency cycle`, for rules without a summary.
fn words(id: &str) -> String {
    let spaced = id.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Summary;
    use crate::source::{FileId, MemoryFs, SourceMap, Span};
    use std::sync::Arc;

    fn log(root: &str, diagnostics: &[Diagnostic], summaries: bool) -> Value {
        let mut fs = MemoryFs::new();
        fs.insert(format!("{root}/a b/ç.yaml"), "a: 1\nb: 2\n");
        let sources = SourceMap::new(Arc::new(fs));
        let summary = Summary::default();
        let describe = |id: &str| (id == "known").then(|| "A known rule".to_string());
        let mut ctx = ReportContext::new(Path::new(root), &sources, &summary);
        if summaries {
            ctx = ctx.with_rule_summaries(&describe);
        }
        let mut out = Vec::new();
        write_sarif(&mut out, diagnostics, &ctx).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn rules_are_listed_once_in_order_of_first_use() {
        let d = |rule, s| Diagnostic::new(rule, s, "m");
        let v = log(
            "/repo",
            &[
                d("b-rule", Severity::Error),
                d("known", Severity::Info),
                d("b-rule", Severity::Warning),
            ],
            true,
        );
        let run = &v["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"],
            json!([
                {"id": "b-rule", "shortDescription": {"text": "B rule"}},
                {"id": "known", "shortDescription": {"text": "A known rule"}},
            ])
        );
        let indexes: Vec<(&Value, &Value, &Value)> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (&r["ruleId"], &r["ruleIndex"], &r["level"]))
            .collect();
        assert_eq!(
            indexes,
            [
                (&json!("b-rule"), &json!(0), &json!("error")),
                (&json!("known"), &json!(1), &json!("note")),
                (&json!("b-rule"), &json!(0), &json!("warning")),
            ]
        );
        assert!(run["results"][0].get("locations").is_none());
    }

    #[test]
    fn uris_are_relative_encoded_and_rooted() {
        let d = Diagnostic::new("r", Severity::Error, "m")
            .at("a b/ç.yaml", Some(Span::new(FileId(0), 5, 9)))
            .note("help: fix it");
        let v = log("/my repo", &[d], false);
        let run = &v["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"],
            json!({"%SRCROOT%": {"uri": "file:///my%20repo/"}})
        );
        let result = &run["results"][0];
        assert_eq!(result["message"]["text"], "m\nhelp: fix it");
        assert_eq!(
            result["locations"][0]["physicalLocation"],
            json!({
                "artifactLocation": {"uri": "a%20b/%C3%A7.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 5},
            })
        );
    }

    #[test]
    fn relative_root_is_described_not_given_as_uri() {
        assert_eq!(
            root_location(Path::new("repo")),
            json!({"description": {"text": "The repository root."}})
        );
        assert_eq!(encode_uri_path("c:/x%#?"), "c%3A/x%25%23%3F");
    }
}
