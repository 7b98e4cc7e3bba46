//! Re-emits every `expected.yaml` of the kustomize conformance corpus and
//! requires the same bytes: the emitter must reproduce kustomize's output
//! from the data alone.
//!
//! The expected files were written by goyaml.v2, which quotes every string
//! it would itself read as another type; their plain scalars are therefore
//! typed the same by our go-yaml v3 loader, so the plain loader gives the
//! data back. Mapping keys are re-sorted by the emitter, so the input key
//! order does not help it.

use fluxlint::source::FileId;
use fluxlint::yaml::{emit_documents, parse_documents, LoadOptions};
use std::path::{Path, PathBuf};

/// `../shared/conformance/kustomize` beside the crate (or under
/// `$FLUXLINT_SHARED`; `../../shared` from a worktree under `wt/`).
/// Missing: skip, except in CI, where it fails.
fn corpus_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = match std::env::var_os("FLUXLINT_SHARED") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![root.join("../shared"), root.join("../../shared")],
    };
    let found = candidates
        .iter()
        .map(|d| d.join("conformance/kustomize"))
        .find(|d| d.is_dir());
    if found.is_none() {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !in_ci,
            "the conformance corpus is missing at {}",
            candidates[0].join("conformance/kustomize").display()
        );
    }
    found
}

/// The first line where `got` and `want` differ, for the failure report.
fn first_difference(got: &str, want: &str) -> String {
    let mut got_lines = got.lines();
    let mut want_lines = want.lines();
    for line in 1.. {
        match (got_lines.next(), want_lines.next()) {
            (Some(g), Some(w)) if g == w => continue,
            (None, None) => return "line endings differ".to_string(),
            (g, w) => return format!("line {line}: got {g:?}, want {w:?}"),
        }
    }
    unreachable!("the loop returns")
}

#[test]
fn expected_outputs_round_trip_byte_for_byte() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory is readable")
        .flatten()
        .map(|e| e.path().join("expected.yaml"))
        .filter(|p| p.is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no expected.yaml under {}",
        dir.display()
    );

    let mut failures = Vec::new();
    for path in &cases {
        let case = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).expect("expected.yaml is UTF-8");
        let docs = match parse_documents(&text, FileId::NONE, &LoadOptions::default()) {
            Ok(docs) => docs,
            Err(e) => {
                failures.push(format!("{case}: does not load: {e}"));
                continue;
            }
        };
        let got = emit_documents(&docs);
        if got != text {
            failures.push(format!("{case}: {}", first_difference(&got, &text)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} expected outputs differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
