//! kustomize conformance: every case of ../shared/conformance/kustomize
//! (kustomize v5.5.0's own tests with the real tool's output), built in
//! process. A case passes *semantically* when our documents equal the
//! expected ones as data, in order (or when both fail), and *byte-exactly*
//! when stdout would equal expected.yaml.
//!
//! tests/conformance/kustomize-semantic.txt and kustomize-bytes.txt list the
//! cases that pass; the test fails when a listed case regresses and prints the
//! cases that newly pass so they can be added. Results per case go to
//! target/conformance-kustomize.json.

#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use fluxlint::source::{DiskFs, FileId, SourceMap};
use fluxlint::yaml::{emit_documents, parse_documents, LoadOptions, Node};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/kustomize");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/conformance/kustomize is missing: CI must have ../shared");
    }
    eprintln!("skipping: ../shared/conformance/kustomize not found");
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Pass { bytes: bool },
    Fail(String),
}

struct Case {
    name: String,
    tags: Vec<String>,
    outcome: Outcome,
}

fn options(flags: &[String]) -> BuildOptions {
    let mut opts = BuildOptions::default();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        match f.as_str() {
            "--reorder" => {
                opts.reorder = match it.next().map(String::as_str) {
                    Some("legacy") => Reorder::Legacy,
                    Some("none") => Reorder::None,
                    _ => Reorder::Unspecified,
                }
            }
            "--load-restrictor" => {
                if it.next().map(String::as_str) == Some("LoadRestrictionsNone") {
                    opts.load_restrictor = LoadRestrictor::None;
                }
            }
            "--enable-managedby-label" => opts.managed_by_label = true,
            "--enable-alpha-plugins" => opts.alpha_plugins = true,
            other => panic!("unknown flag in case.json: {other}"),
        }
    }
    opts
}

fn parse(text: &str) -> Result<Vec<Node>, String> {
    parse_documents(text, FileId::NONE, &LoadOptions::default())
        .map(|docs| docs.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(|e| e.message)
}

fn run_case(dir: &Path) -> (Vec<String>, Outcome) {
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let tags = case["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let flags: Vec<String> = case["flags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let in_dir = dir.join("in").canonicalize().unwrap();
    let build_dir = in_dir.join(case["dir"].as_str().unwrap_or("."));
    let opts = options(&flags);
    let result = std::panic::catch_unwind(|| {
        let sources = SourceMap::new(Arc::new(DiskFs::new(&in_dir).unwrap()));
        let dir = fluxlint::source::fs::clean(&build_dir);
        kustomize::build(&sources, &dir, &opts).map(|out| emit_documents(&out.to_nodes()))
    });
    let outcome = match (result, case["expect"].as_str()) {
        (Err(_), _) => Outcome::Fail("panicked".into()),
        (Ok(Err(_)), Some("error")) => Outcome::Pass { bytes: true },
        (Ok(Ok(_)), Some("error")) => Outcome::Fail("built, but kustomize fails".into()),
        (Ok(Err(e)), _) => Outcome::Fail(format!("error: {}", e.message)),
        (Ok(Ok(text)), _) => {
            let expected = std::fs::read_to_string(dir.join("expected.yaml")).unwrap();
            let bytes = text == expected;
            match (parse(&text), parse(&expected)) {
                (Ok(ours), Ok(theirs)) if ours == theirs => Outcome::Pass { bytes },
                (Ok(ours), Ok(theirs)) => Outcome::Fail(format!(
                    "different output ({} documents, expected {})",
                    ours.len(),
                    theirs.len()
                )),
                (Err(e), _) => Outcome::Fail(format!("our output does not parse: {e}")),
                (_, Err(e)) => Outcome::Fail(format!("expected.yaml does not parse: {e}")),
            }
        }
    };
    (tags, outcome)
}

fn read_list(name: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn kustomize_corpus() {
    let Some(corpus) = corpus_dir() else { return };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    if let Ok(filter) = std::env::var("CASE") {
        dirs.retain(|d| d.to_string_lossy().contains(&filter));
    }
    let cases: Vec<Case> = dirs
        .iter()
        .map(|d| {
            let (tags, outcome) = run_case(d);
            Case {
                name: d.file_name().unwrap().to_string_lossy().into_owned(),
                tags,
                outcome,
            }
        })
        .collect();

    // Per-tag table.
    let mut per_tag: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for c in &cases {
        for t in c.tags.iter().map(String::as_str).chain(["(all)"]) {
            let e = per_tag.entry(t).or_default();
            e.0 += 1;
            if let Outcome::Pass { bytes } = c.outcome {
                e.1 += 1;
                if bytes {
                    e.2 += 1;
                }
            }
        }
    }
    eprintln!(
        "{:<32} {:>5} {:>9} {:>9}",
        "tag", "cases", "semantic", "bytes"
    );
    for (tag, (n, s, b)) in &per_tag {
        eprintln!("{tag:<32} {n:>5} {s:>9} {b:>9}");
    }
    for c in &cases {
        if let Outcome::Fail(why) = &c.outcome {
            eprintln!("FAIL {}: {why}", c.name);
        }
    }
    let semantic: BTreeSet<String> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Pass { .. }))
        .map(|c| c.name.clone())
        .collect();
    let bytes: BTreeSet<String> = cases
        .iter()
        .filter(|c| c.outcome == Outcome::Pass { bytes: true })
        .map(|c| c.name.clone())
        .collect();
    let passed = semantic.len();
    eprintln!(
        "kustomize conformance: {passed} of {} pass semantically, {} byte for byte",
        cases.len(),
        bytes.len()
    );

    let json: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "tags": c.tags,
                "semantic": matches!(c.outcome, Outcome::Pass { .. }),
                "bytes": c.outcome == Outcome::Pass { bytes: true },
                "reason": match &c.outcome { Outcome::Fail(w) => w.clone(), _ => String::new() },
            })
        })
        .collect();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/conformance-kustomize.json");
    let _ = std::fs::write(out, serde_json::to_string_pretty(&json).unwrap());

    if std::env::var("CASE").is_ok() {
        return;
    }
    let mut problems = Vec::new();
    for (list, got) in [
        ("kustomize-semantic.txt", &semantic),
        ("kustomize-bytes.txt", &bytes),
    ] {
        let expected = read_list(list);
        let regressed: Vec<_> = expected.difference(got).collect();
        let new: Vec<_> = got.difference(&expected).collect();
        if !new.is_empty() {
            eprintln!(
                "newly passing ({list}), add them to tests/conformance/{list}:\n{}",
                new.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        if !regressed.is_empty() {
            problems.push(format!("{list}: regressed: {regressed:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
