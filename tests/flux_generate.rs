//! Runs the `generate` and `generate-ignore` cases of the Flux conformance
//! corpus (../shared/conformance/flux, README "Modes"): the kustomization
//! file Flux writes for `source/<spec.path>`, compared with
//! `expected-kustomization.yaml` as a subset (each listed top-level key
//! equal, lists in order; `null` = absent), or the error with
//! `expected-error.txt` as a substring (empty = any error).
//!
//! The `build`, `build-ignore` and `controller` cases start with the same
//! generator; for those that must succeed, generation must too.

use fluxlint::flux::generate::{generate, generate_with_ignore, Generated, GeneratorSpec};
use fluxlint::source::{DiskFs, FileId};
use fluxlint::yaml::{emit_document, parse_documents, LoadOptions, Node, Value};
use std::path::{Path, PathBuf};

/// `../shared/conformance/flux` beside the crate (or under
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
        .map(|d| d.join("conformance/flux"))
        .find(|d| d.is_dir());
    if found.is_none() {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !in_ci,
            "the conformance corpus is missing at {}",
            candidates[0].join("conformance/flux").display()
        );
    }
    found
}

struct Case {
    name: String,
    dir: PathBuf,
    mode: String,
    expect: String,
    ignore_paths: Vec<String>,
}

fn cases(corpus: &Path, modes: &[&str]) -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("corpus directory is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .filter_map(|dir| {
            let text = std::fs::read_to_string(dir.join("case.json")).expect("case.json");
            let json: serde_json::Value = serde_json::from_str(&text).expect("case.json is JSON");
            let mode = json["mode"].as_str().unwrap_or("").to_string();
            if !modes.contains(&mode.as_str()) {
                return None;
            }
            let ignore_paths = json["ignore_paths"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            Some(Case {
                name: dir.file_name()?.to_string_lossy().into_owned(),
                mode,
                expect: json["expect"].as_str().unwrap_or("").to_string(),
                ignore_paths,
                dir,
            })
        })
        .collect()
}

fn load_yaml(path: &Path) -> Node {
    let text = std::fs::read_to_string(path).expect("readable YAML");
    parse_documents(&text, FileId::NONE, &LoadOptions::default())
        .expect("valid YAML")
        .into_iter()
        .next()
        .unwrap_or_else(Node::null)
}

fn run(case: &Case) -> Result<Generated, String> {
    let object = load_yaml(&case.dir.join("kustomization.yaml"));
    let spec = GeneratorSpec::from_object(&object).map_err(|e| e.message)?;
    let fs = DiskFs::new(&case.dir.join("source")).map_err(|e| e.to_string())?;
    let root = fs.root().to_path_buf();
    let result = if case.mode.ends_with("-ignore") {
        generate_with_ignore(&fs, &root, &spec, &case.ignore_paths)
    } else {
        generate(&fs, &root, &spec)
    };
    result.map_err(|e| e.message)
}

/// The README's subset rule: each listed top-level key equals the
/// generated value; a listed `null` means the key must be absent.
fn subset_mismatch(generated: &Node, expected: &Node) -> Option<String> {
    let Value::Map(want) = &expected.value else {
        return Some("expected-kustomization.yaml is not a mapping".to_string());
    };
    for (key, value) in want {
        let got = generated.get(&key.name);
        let ok = match (value.is_null(), got) {
            (true, None) => true,
            (true, Some(_)) | (false, None) => false,
            (false, Some(got)) => got == value,
        };
        if !ok {
            let show = |node: Option<&Node>| match node {
                None => "(absent)\n".to_string(),
                Some(node) => {
                    let mut text = String::new();
                    emit_document(node, &mut text);
                    text
                }
            };
            return Some(format!(
                "key {:?}: got\n{}want\n{}",
                key.name,
                show(got),
                show((!value.is_null()).then_some(value))
            ));
        }
    }
    None
}

fn check(case: &Case) -> Result<(), String> {
    let result = run(case);
    match case.expect.as_str() {
        "error" => {
            let want =
                std::fs::read_to_string(case.dir.join("expected-error.txt")).unwrap_or_default();
            let want = want.trim_end_matches('\n');
            match result {
                Ok(g) => Err(format!("expected an error, generated:\n{}", g.text())),
                Err(message) if message.contains(want) => Ok(()),
                Err(message) => Err(format!("error {message:?} lacks {want:?}")),
            }
        }
        _ => {
            let generated = result.map_err(|e| format!("generation failed: {e}"))?;
            let expected_file = case.dir.join("expected-kustomization.yaml");
            if !expected_file.is_file() {
                return Ok(());
            }
            match subset_mismatch(&generated.kustomization, &load_yaml(&expected_file)) {
                None => Ok(()),
                Some(diff) => Err(format!("{diff}\ngenerated:\n{}", generated.text())),
            }
        }
    }
}

fn run_all(modes: &[&str]) -> (usize, Vec<String>) {
    let Some(corpus) = corpus_dir() else {
        return (0, Vec::new());
    };
    let cases = cases(&corpus, modes);
    assert!(
        !cases.is_empty(),
        "no {modes:?} cases in {}",
        corpus.display()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check(case).err().map(|e| format!("{}: {e}", case.name)))
        .collect();
    (cases.len(), failures)
}

#[test]
fn generate_cases_match_flux() {
    let (total, failures) = run_all(&["generate", "generate-ignore"]);
    assert!(
        failures.is_empty(),
        "{} of {total} generate cases fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn build_cases_generate_without_error() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let cases = cases(&corpus, &["build", "build-ignore", "controller"]);
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases
        .iter()
        .filter(|c| c.expect != "error")
        .filter_map(|case| run(case).err().map(|e| format!("{}: {e}", case.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "generation fails for cases that must build:\n{}",
        failures.join("\n")
    );
}
