//! Flux's own build and controller tests (../shared/conformance/flux, modes
//! `build` and `controller`): the generated kustomization, the build, the
//! substitution, and (controller) the owner labels and commonMetadata.
#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::flux::render::{render, RenderRequest};
use fluxlint::flux::variables::{self, source_of, VarSource};
use fluxlint::source::{DiskFs, FileId, SourceMap};
use fluxlint::yaml::{parse_documents, LoadOptions, Node};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod common;
use common::{identity, objects_match, subset};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/flux");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "../shared/conformance/flux is missing: CI must have ../shared"
    );
    None
}

fn docs(text: &str) -> Vec<Node> {
    parse_documents(text, FileId::NONE, &LoadOptions::default())
        .unwrap()
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

fn run_case(dir: &Path) -> Result<(), String> {
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let mode = case["mode"].as_str().unwrap_or("");
    let strict = case["strict"].as_bool().unwrap_or(false);
    let ks_text = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    let ks = docs(&ks_text).remove(0);
    let cluster: Vec<Node> = std::fs::read_to_string(dir.join("cluster.yaml"))
        .map(|t| docs(&t))
        .unwrap_or_default();
    let lookup = |kind: &str, ns: &str, name: &str| -> Option<VarSource> {
        cluster
            .iter()
            .find(|o| {
                o.str_at(&["kind"]) == Some(kind)
                    && o.str_at(&["metadata", "name"]) == Some(name)
                    && o.str_at(&["metadata", "namespace"]).unwrap_or(ns) == ns
            })
            .and_then(source_of)
    };
    let loaded = variables::load(&ks, strict, &lookup);
    let root = dir.join("source").canonicalize().unwrap();
    let sources = SourceMap::new(Arc::new(DiskFs::new(&root).unwrap()));
    let result = render(&RenderRequest {
        sources: &sources,
        source_root: &root,
        object: &ks,
        substitution: &loaded.substitution,
        apply_metadata: mode == "controller",
        cache: None,
    });
    let missing_error = if loaded.missing.is_empty() {
        None
    } else {
        Some(format!(
            "substitute from '{}/{}' error: not found",
            loaded.missing[0].kind, loaded.missing[0].name
        ))
    };
    match case["expect"].as_str() {
        Some("error") => {
            let want = std::fs::read_to_string(dir.join("expected-error.txt")).unwrap_or_default();
            let got = match (missing_error, result) {
                (Some(m), _) => m,
                (None, Err(e)) => e.to_string(),
                (None, Ok(_)) => return Err("rendered, but Flux fails".into()),
            };
            if got.contains(want.trim()) {
                Ok(())
            } else {
                Err(format!("error {got:?} does not contain {:?}", want.trim()))
            }
        }
        _ => {
            if let Some(m) = missing_error {
                return Err(m);
            }
            let rendered = result.map_err(|e| format!("error: {e}"))?;
            if case["expect"].as_str() == Some("ok") {
                return Ok(());
            }
            let expected = docs(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap());
            let actual: Vec<Node> = rendered.objects.into_iter().map(|o| o.node).collect();
            if expected.len() != actual.len() {
                return Err(format!(
                    "{} objects, expected {}",
                    actual.len(),
                    expected.len()
                ));
            }
            // The controller tests read each object back from the cluster, so
            // in subset mode objects pair by identity, not by position.
            let same = objects_match(
                &expected,
                &actual,
                case["compare"].as_str() == Some("subset"),
            );
            if same {
                Ok(())
            } else {
                let mut text = String::new();
                for e in &expected {
                    if !subset(e, actual.iter().find(|a| identity(a) == identity(e))) {
                        text.push_str(&format!("expected (not matched): {e:?}\n"));
                    }
                }
                for a in &actual {
                    fluxlint::yaml::emit_document(a, &mut text);
                    text.push_str("---\n");
                }
                Err(format!("different objects:\n{text}"))
            }
        }
    }
}

#[test]
fn flux_build_and_controller_cases() {
    let Some(corpus) = corpus() else { return };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    for dir in dirs {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
        if !matches!(case["mode"].as_str(), Some("build" | "controller")) {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match std::panic::catch_unwind(|| run_case(&dir)) {
            Ok(Ok(())) => passed.push(name),
            Ok(Err(why)) => failed.push(format!("{name}: {why}")),
            Err(_) => failed.push(format!("{name}: panicked")),
        }
    }
    eprintln!(
        "flux build/controller cases: {} passed, {} failed",
        passed.len(),
        failed.len()
    );
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    assert!(failed.is_empty(), "{} failed", failed.len());
}
