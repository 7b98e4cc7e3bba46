//! Diagnostics for people, in the style of rustc and ruff:
//!
//! ```text
//! error[dependency-cycle]: Kustomization flux-system/apps depends on itself
//!  --> clusters/prod/apps.yaml:9:9
//!   |
//! 9 |     - name: apps
//!   |             ^^^^
//!   |
//!  ::: clusters/prod/infra.yaml:4:9
//!   |
//! 4 |   name: infra
//!   |         ----- which depends on apps
//!   |
//!   = note: in cluster prod, Kustomization flux-system/apps
//!   = help: remove one of the dependsOn entries
//! ```
//!
//! A span over several lines marks its first line and names the range. Tabs
//! show as four spaces and control characters as `�`, so a file cannot move
//! the markers or drive the terminal. Every diagnostic ends with a blank
//! line; the report ends with a summary line.

use super::position::{place, Place};
use super::{context_line, Counts, ReportContext};
use crate::diag::{Diagnostic, Severity, Summary};
use std::io::{self, Write};

/// Writes `diagnostics` (in the order given) and a summary line to `w`.
pub fn write_human(
    w: &mut dyn Write,
    diagnostics: &[Diagnostic],
    ctx: &ReportContext,
) -> io::Result<()> {
    let paint = Paint { on: ctx.color };
    for d in diagnostics {
        write_diagnostic(w, d, ctx, paint)?;
        writeln!(w)?;
    }
    let line = summary_line(&Counts::of(diagnostics), ctx.summary);
    writeln!(w, "{}", paint.apply(BOLD, &line))
}

/// `2 errors, 1 warning, 0 infos in 1 cluster, 3 kustomizations, 12 objects`.
pub fn summary_line(counts: &Counts, summary: &Summary) -> String {
    format!(
        "{}, {}, {} in {}, {}, {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(summary.clusters, "cluster"),
        plural(summary.kustomizations, "kustomization"),
        plural(summary.objects, "object"),
    )
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One source excerpt: the primary location or a related one.
struct Snippet {
    place: Place,
    /// `^` under the primary span, `-` under related ones.
    marker: char,
    label: String,
}

fn write_diagnostic(
    w: &mut dyn Write,
    d: &Diagnostic,
    ctx: &ReportContext,
    paint: Paint,
) -> io::Result<()> {
    let severity = severity_style(d.severity);
    writeln!(
        w,
        "{}{}",
        paint.apply(severity, &format!("{}[{}]", d.severity.as_str(), d.rule)),
        paint.apply(BOLD, &format!(": {}", printable(&d.message)))
    )?;

    let primary = d.location.as_ref().map(|l| Snippet {
        place: place(ctx, l),
        marker: '^',
        label: String::new(),
    });
    let related: Vec<Snippet> = d
        .related
        .iter()
        .map(|r| Snippet {
            place: place(ctx, &r.location),
            marker: '-',
            label: r.message.clone(),
        })
        .collect();
    let width = primary
        .iter()
        .chain(&related)
        .filter_map(|s| s.place.range.map(|r| r.start.line))
        .max()
        .map_or(1, |line| line.to_string().len());
    let gutter = Gutter { width, paint };

    let mut printed_location = false;
    if let Some(snippet) = &primary {
        gutter.header(w, "-->", &snippet.place.describe())?;
        write_excerpt(w, &gutter, snippet, severity)?;
        printed_location = true;
    }
    for snippet in &related {
        if printed_location {
            gutter.empty(w)?;
        }
        if snippet.place.range.is_some() {
            gutter.header(w, ":::", &snippet.place.describe())?;
            write_excerpt(w, &gutter, snippet, BLUE)?;
        } else if snippet.label.is_empty() {
            gutter.header(w, ":::", &snippet.place.path)?;
        } else {
            let text = format!("{}: {}", snippet.place.path, printable(&snippet.label));
            gutter.header(w, ":::", &text)?;
        }
        printed_location = true;
    }

    let notes = note_lines(d);
    if printed_location && !notes.is_empty() {
        gutter.empty(w)?;
    }
    for (label, text) in notes {
        writeln!(
            w,
            "{} {} {}",
            " ".repeat(width),
            paint.apply(BLUE, "="),
            format_args!("{}: {}", paint.apply(BOLD, label), printable(&text))
        )?;
    }
    Ok(())
}

/// The `= note:` lines: where the finding arose, then the diagnostic's
/// notes. A note that starts with `help:` or `note:` keeps its own label.
fn note_lines(d: &Diagnostic) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    if let Some(context) = context_line(d) {
        lines.push(("note", format!("in {context}")));
    }
    for note in &d.notes {
        let labelled = ["help", "note"].into_iter().find_map(|label| {
            let rest = note.strip_prefix(label)?.strip_prefix(':')?;
            Some((label, rest.trim_start().to_string()))
        });
        lines.push(labelled.unwrap_or(("note", note.clone())));
    }
    lines
}

/// The source line of a snippet with its markers; nothing when the position is unknown.
fn write_excerpt(
    w: &mut dyn Write,
    gutter: &Gutter,
    snippet: &Snippet,
    marker_style: &str,
) -> io::Result<()> {
    let (Some(file), Some(range)) = (&snippet.place.file, snippet.place.range) else {
        return Ok(());
    };
    let line = range.start.line;
    let text = file.line_text(line);
    let chars: Vec<char> = text.chars().collect();
    let last_line = range.last_line();
    // Columns are 1-based character indexes; a span that runs past the line
    // (into its line break, or onto later lines) is marked to the line's end.
    let first = (range.start.column - 1).min(chars.len());
    let end = if range.end.line > line {
        chars.len()
    } else {
        (range.end.column - 1).clamp(first, chars.len())
    };
    let offset: usize = chars[..first].iter().map(|c| display_width(*c)).sum();
    let marked: usize = chars[first..end].iter().map(|c| display_width(*c)).sum();
    let mut label = printable(&snippet.label);
    if last_line > line {
        let lines = format!("lines {line}-{last_line}");
        label = if label.is_empty() {
            lines
        } else {
            format!("{label} ({lines})")
        };
    }

    gutter.empty(w)?;
    gutter.source(w, line, &expand(&chars))?;
    let markers = snippet.marker.to_string().repeat(marked.max(1));
    let mut marks = format!(
        "{}{}",
        " ".repeat(offset),
        gutter.paint.apply(marker_style, &markers)
    );
    if !label.is_empty() {
        marks.push(' ');
        marks.push_str(&gutter.paint.apply(marker_style, &label));
    }
    gutter.line(w, &marks)
}

/// The left margin: line numbers right-aligned in `width` columns, then `|`.
struct Gutter {
    width: usize,
    paint: Paint,
}

impl Gutter {
    /// ` --> path:line:col` (or `:::` for a related location).
    fn header(&self, w: &mut dyn Write, arrow: &str, text: &str) -> io::Result<()> {
        writeln!(
            w,
            "{}{} {}",
            " ".repeat(self.width),
            self.paint.apply(BLUE, arrow),
            text
        )
    }

    fn empty(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "{} {}",
            " ".repeat(self.width),
            self.paint.apply(BLUE, "|")
        )
    }

    fn line(&self, w: &mut dyn Write, text: &str) -> io::Result<()> {
        writeln!(
            w,
            "{} {} {text}",
            " ".repeat(self.width),
            self.paint.apply(BLUE, "|")
        )
    }

    fn source(&self, w: &mut dyn Write, number: usize, text: &str) -> io::Result<()> {
        let margin = format!("{number:>width$} |", width = self.width);
        if text.is_empty() {
            writeln!(w, "{}", self.paint.apply(BLUE, &margin))
        } else {
            writeln!(w, "{} {text}", self.paint.apply(BLUE, &margin))
        }
    }
}

/// Columns a character takes in a snippet (tabs are shown as four spaces).
fn display_width(c: char) -> usize {
    if c == '\t' {
        4
    } else {
        1
    }
}

/// A source line as shown: tabs expanded, control characters replaced.
fn expand(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    for &c in chars {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text from the repository or a message, safe for a terminal: control
/// characters other than line breaks and tabs become `�`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

const BOLD: &str = "1";
const BLUE: &str = "1;34";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn apply(self, style: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{MemoryFs, SourceMap, Span};
    use std::path::Path;
    use std::sync::Arc;

    fn render(files: &[(&str, &str)], diagnostics: &[Diagnostic], color: bool) -> String {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(Path::new("/repo").join(path), *text);
        }
        let sources = SourceMap::new(Arc::new(fs));
        let summary = Summary {
            clusters: 1,
            kustomizations: 2,
            objects: 3,
        };
        let ctx = ReportContext::new(Path::new("/repo"), &sources, &summary).with_color(color);
        let mut out = Vec::new();
        write_human(&mut out, diagnostics, &ctx).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn span(start: usize, end: usize) -> Option<Span> {
        // The id names no file of the map: the reporter reads by path.
        Some(Span::new(crate::source::FileId(99), start, end))
    }

    #[test]
    fn carets_count_characters_not_bytes() {
        let text = "name: çàé-x\n";
        let start = text.find('-').unwrap();
        let d = Diagnostic::new("r", Severity::Error, "bad").at("a.yaml", span(start, start + 2));
        let out = render(&[("a.yaml", text)], &[d], false);
        assert_eq!(
            out,
            "error[r]: bad\n --> a.yaml:1:10\n  |\n1 | name: çàé-x\n  |          ^^\n\n\
             1 error, 0 warnings, 0 infos in 1 cluster, 2 kustomizations, 3 objects\n"
        );
    }

    #[test]
    fn tabs_and_control_characters_keep_markers_aligned() {
        let text = "a:\t\x1b[31mb\n";
        let start = text.find('b').unwrap();
        let d =
            Diagnostic::new("r", Severity::Warning, "m\x07").at("a.yaml", span(start, start + 1));
        let out = render(&[("a.yaml", text)], &[d], false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "warning[r]: m\u{FFFD}");
        assert_eq!(lines[3], "1 | a:    \u{FFFD}[31mb");
        // "a:" and the tab take 6 columns, the replaced escape and "[31m" 5 more.
        assert_eq!(lines[4], format!("  | {}^", " ".repeat(11)));
    }

    #[test]
    fn multi_line_spans_mark_the_first_line_and_name_the_range() {
        let text = "spec:\n  a: 1\n  b: 2\nnext: 3\n";
        let end = text.find("next").unwrap();
        let d = Diagnostic::new("r", Severity::Info, "m").at("a.yaml", span(0, end));
        let out = render(&[("a.yaml", text)], &[d], false);
        let lines: Vec<&str> = out.lines().collect();
        // Ends with the line break after line 3: the range is 1-3.
        assert_eq!(lines[3..5], ["1 | spec:", "  | ^^^^^ lines 1-3"]);
    }

    #[test]
    fn span_at_end_of_file_and_crlf() {
        let text = "a: 1\r\nb: 2";
        let d = Diagnostic::new("r", Severity::Error, "m").at("a.yaml", span(10, 10));
        let out = render(&[("a.yaml", text)], &[d], false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], " --> a.yaml:2:5");
        assert_eq!(lines[3..5], ["2 | b: 2", "  |     ^"]);
        // A span that takes in the '\r' is marked to the end of the line.
        let d = Diagnostic::new("r", Severity::Error, "m").at("a.yaml", span(0, 5));
        let out = render(&[("a.yaml", text)], &[d], false);
        assert_eq!(out.lines().nth(4), Some("  | ^^^^"));
    }

    #[test]
    fn without_location_header_and_notes_only() {
        let d = Diagnostic::new("missing-source", Severity::Error, "no source")
            .in_cluster("prod")
            .note("help: add a GitRepository")
            .note("plain");
        let out = render(&[], &[d], false);
        assert_eq!(
            out,
            "error[missing-source]: no source\n  = note: in cluster prod\n  \
             = help: add a GitRepository\n  = note: plain\n\n\
             1 error, 0 warnings, 0 infos in 1 cluster, 2 kustomizations, 3 objects\n"
        );
    }

    #[test]
    fn gutter_fits_the_widest_line_number() {
        let text: String = (1..=12).map(|i| format!("k{i}: v\n")).collect();
        let at = |line: usize| text.match_indices('k').nth(line - 1).unwrap().0;
        let d = Diagnostic::new("r", Severity::Error, "m")
            .at("a.yaml", span(at(2), at(2) + 2))
            .related("a.yaml", span(at(12), at(12) + 3), "here");
        let out = render(&[("a.yaml", &text)], &[d], false);
        let expected = "error[r]: m\n  --> a.yaml:2:1\n   |\n 2 | k2: v\n   | ^^\n   |\n  \
                        ::: a.yaml:12:1\n   |\n12 | k12: v\n   | --- here\n";
        assert!(out.starts_with(expected), "{out}");
    }

    #[test]
    fn color_wraps_header_gutter_and_markers() {
        let d = Diagnostic::new("r", Severity::Error, "m").at("a.yaml", span(0, 1));
        let out = render(&[("a.yaml", "a: 1\n")], &[d], true);
        assert!(
            out.starts_with("\x1b[1;31merror[r]\x1b[0m\x1b[1m: m\x1b[0m\n"),
            "{out:?}"
        );
        assert!(out.contains("\x1b[1;31m^\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[1;34m-->\x1b[0m"), "{out:?}");
        let plain = render(&[("a.yaml", "a: 1\n")], &[], false);
        assert!(!plain.contains('\x1b'));
    }

    #[test]
    fn summary_pluralizes() {
        let counts = Counts {
            errors: 1,
            warnings: 0,
            infos: 2,
        };
        let summary = Summary {
            clusters: 2,
            kustomizations: 1,
            objects: 0,
        };
        assert_eq!(
            summary_line(&counts, &summary),
            "1 error, 0 warnings, 2 infos in 2 clusters, 1 kustomization, 0 objects"
        );
    }
}
