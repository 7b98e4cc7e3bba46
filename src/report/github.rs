//! Diagnostics as GitHub Actions workflow commands, which GitHub shows as
//! annotations on the pull request's files:
//!
//! ```text
//! ::error file=apps/web.yaml,line=3,col=9,endLine=3,endColumn=12,title=dependency-cycle::message
//! ```
//!
//! Error → `error`, warning → `warning`, info → `notice`. GitHub takes
//! `endColumn` as the last column of the annotation, so it is the column of
//! the span's last character here (not the one after it, as in JSON and
//! SARIF), and columns are left out when the span covers several lines,
//! where GitHub ignores them. Paths are relative to the repository root,
//! which must be the workflow's checkout for GitHub to find them.
//!
//! The message carries what a person needs without the other formats: the
//! cluster, Kustomization and object, the notes, and each related location,
//! one per line. Escaping follows the Actions toolkit: `%`, CR and LF in the
//! message; also `:` and `,` in property values.

use super::position::place;
use super::{context_line, ReportContext};
use crate::diag::{Diagnostic, Severity};
use std::io::{self, Write};

/// Writes one workflow command per diagnostic.
pub fn write_github(
    w: &mut dyn Write,
    diagnostics: &[Diagnostic],
    ctx: &ReportContext,
) -> io::Result<()> {
    for d in diagnostics {
        writeln!(w, "{}", command(d, ctx))?;
    }
    Ok(())
}

fn command(d: &Diagnostic, ctx: &ReportContext) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(location) = &d.location {
        let place = place(ctx, location);
        properties.push(("file", place.path.clone()));
        if let Some(r) = place.range {
            let last_line = r.last_line();
            properties.push(("line", r.start.line.to_string()));
            if last_line == r.start.line {
                // Inclusive end; an empty span marks its one column.
                let end_column = if r.end.line > last_line {
                    // Ends in the line break: up to the end of the text.
                    place
                        .file
                        .as_ref()
                        .map_or(r.start.column, |f| f.line_text(last_line).chars().count())
                } else {
                    r.end.column - 1
                };
                properties.push(("col", r.start.column.to_string()));
                properties.push(("endLine", last_line.to_string()));
                properties.push(("endColumn", end_column.max(r.start.column).to_string()));
            } else {
                properties.push(("endLine", last_line.to_string()));
            }
        }
    }
    properties.push(("title", d.rule.to_string()));

    let mut message = d.message.clone();
    if let Some(context) = context_line(d) {
        message.push_str(&format!("\nin {context}"));
    }
    for note in &d.notes {
        message.push('\n');
        message.push_str(note);
    }
    for r in &d.related {
        let p = place(ctx, &r.location);
        message.push_str(&format!("\n{}: {}", p.describe(), r.message));
    }

    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    format!(
        "::{} {}::{}",
        kind(d.severity),
        properties.join(","),
        escape_data(&message)
    )
}

fn kind(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A command's message: `%`, CR and LF percent-encoded.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value: as [`escape_data`], and `:` and `,`, which end a value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Summary;
    use crate::source::{FileId, MemoryFs, SourceMap, Span};
    use std::path::Path;
    use std::sync::Arc;

    fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
        let mut fs = MemoryFs::new();
        fs.insert("/repo/a,b:c.yaml", text);
        let sources = SourceMap::new(Arc::new(fs));
        let summary = Summary::default();
        let ctx = ReportContext::new(Path::new("/repo"), &sources, &summary);
        let mut out = Vec::new();
        write_github(&mut out, diagnostics, &ctx).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn span(start: usize, end: usize) -> Option<Span> {
        Some(Span::new(FileId(0), start, end))
    }

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_diagnostic() {
        let text = "name: çé\nb: 2\n";
        let d = [
            Diagnostic::new("r", Severity::Error, "100% bad").at("a,b:c.yaml", span(6, 10)),
            Diagnostic::new("w", Severity::Warning, "m").at("a,b:c.yaml", None),
            Diagnostic::new("i", Severity::Info, "m")
                .in_cluster("prod")
                .note("help: x"),
        ];
        assert_eq!(
            render(text, &d),
            "::error file=a%2Cb%3Ac.yaml,line=1,col=7,endLine=1,endColumn=8,title=r::100%25 bad\n\
             ::warning file=a%2Cb%3Ac.yaml,title=w::m\n\
             ::notice title=i::m%0Ain cluster prod%0Ahelp: x\n"
        );
    }

    #[test]
    fn columns_only_on_one_line_and_empty_spans_mark_one_column() {
        let text = "a: 1\nb: 2\nc: 3\n";
        let d = [
            Diagnostic::new("r", Severity::Error, "m").at("a,b:c.yaml", span(0, 8)),
            Diagnostic::new("r", Severity::Error, "m").at("a,b:c.yaml", span(5, 10)),
            Diagnostic::new("r", Severity::Error, "m")
                .at("a,b:c.yaml", span(12, 12))
                .related("a,b:c.yaml", span(0, 1), "see"),
        ];
        assert_eq!(
            render(text, &d),
            "::error file=a%2Cb%3Ac.yaml,line=1,endLine=2,title=r::m\n\
             ::error file=a%2Cb%3Ac.yaml,line=2,col=1,endLine=2,endColumn=4,title=r::m\n\
             ::error file=a%2Cb%3Ac.yaml,line=3,col=3,endLine=3,endColumn=3,title=r::m%0Aa,b:c.yaml:1:1: see\n"
        );
    }
}
