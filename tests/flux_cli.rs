//! The `flux-build` cases of ../shared/conformance/flux run through
//! `fluxlint build kustomization` as `flux build kustomization` would run
//! (the case's `path` and `cli_args`, in the case folder).
#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::source::FileId;
use fluxlint::yaml::{parse_documents, LoadOptions, Node};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn docs(text: &str) -> Vec<Node> {
    parse_documents(text, FileId::NONE, &LoadOptions::default())
        .unwrap()
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

/// Splits `cli_args` as a shell would (double quotes only, as the corpus uses).
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn flux_build_cli_cases() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/flux");
    if !corpus.is_dir() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "../shared is missing"
        );
        return;
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in dirs {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
        if case["mode"].as_str() != Some("flux-build") {
            continue;
        }
        ran += 1;
        let ks = docs(&std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap()).remove(0);
        let mut args = vec![
            "build".to_string(),
            "kustomization".into(),
            ks.str_at(&["metadata", "name"]).unwrap().into(),
            "-n".into(),
            ks.str_at(&["metadata", "namespace"])
                .unwrap_or("default")
                .into(),
            "--path".into(),
            case["path"].as_str().unwrap_or("").into(),
            "--kustomization-file".into(),
            "./kustomization.yaml".into(),
        ];
        args.extend(split_args(case["cli_args"].as_str().unwrap_or("")));
        let out = Command::new(env!("CARGO_BIN_EXE_fluxlint"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if case["expect"].as_str() == Some("error") {
            let want = std::fs::read_to_string(dir.join("expected-error.txt")).unwrap_or_default();
            if out.status.success() || !stderr.contains(want.trim()) {
                failures.push(format!(
                    "{name}: expected an error containing {want:?}, got {stderr}"
                ));
            }
            continue;
        }
        let expected = docs(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap());
        let subset_mode = case["compare"].as_str() == Some("subset");
        if !out.status.success() || !common::objects_match(&expected, &docs(&stdout), subset_mode) {
            failures.push(format!(
                "{name}: output differs (exit {:?}): {stderr}",
                out.status.code()
            ));
        }
    }
    eprintln!(
        "flux-build CLI cases: {} passed, {} failed",
        ran - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
