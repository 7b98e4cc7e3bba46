//! Runs the `envsubst` and `envsubst-parse` cases of the Flux conformance corpus
//! (`../shared/conformance/flux`, transcribed from fluxcd/pkg's envsubst tests) against
//! `fluxlint::flux::envsubst`.
//!
//! - `envsubst`: `template.txt` with the variables of `vars.json` must give exactly
//!   `expected.txt`, or fail with an error containing `expected-error.txt`.
//! - `envsubst-parse`: `template.txt` must parse to the tree of `expected-ast.json`
//!   (Go's right-nested lists flattened).
//!
//! Without the corpus the tests pass with a note, except under `CI=true`, where a
//! missing corpus is a failure.

#![allow(clippy::print_stderr)]

use fluxlint::flux::envsubst::{eval, parse, Node};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The corpus directory, or `None` (outside CI) when it is not there. It is
/// `../shared/conformance/flux` from the crate root; a checkout nested deeper (a git
/// worktree) finds it in a further ancestor.
fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = root
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/conformance/flux"))
        .find(|dir| dir.is_dir());
    if found.is_some() {
        return found;
    }
    let expected = root.join("../shared/conformance/flux");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("conformance corpus missing: {}", expected.display());
    }
    eprintln!("skipping: no conformance corpus at {}", expected.display());
    None
}

/// The cases of `mode`, sorted by name, with their `case.json`.
fn cases(dir: &Path, mode: &str) -> Vec<(String, PathBuf, Value)> {
    let mut found = Vec::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let Ok(text) = fs::read_to_string(path.join("case.json")) else {
            continue;
        };
        let case: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}/case.json: {e}", path.display()));
        if case["mode"] == mode {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            found.push((name, path, case));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs one `envsubst` case; `Err` describes the mismatch.
fn run_envsubst_case(dir: &Path, case: &Value) -> Result<(), String> {
    let template = read(&dir.join("template.txt"));
    let vars: HashMap<String, String> = serde_json::from_str(&read(&dir.join("vars.json")))
        .map_err(|e| format!("vars.json: {e}"))?;
    let strict = case["strict"].as_bool().unwrap_or(false);
    let result = eval(&template, |name| vars.get(name), strict);
    match case["expect"].as_str() {
        Some("output") => {
            let expected = read(&dir.join("expected.txt"));
            match result {
                Ok(done) if done.output == expected => Ok(()),
                Ok(done) => Err(format!("got {:?}, want {expected:?}", done.output)),
                Err(err) => Err(format!("error {err:?}, want {expected:?}")),
            }
        }
        Some("error") => {
            let expected = read(&dir.join("expected-error.txt"));
            match result {
                Err(err) if err.to_string().contains(expected.trim_end_matches('\n')) => Ok(()),
                Err(err) => Err(format!("error {:?} lacks {expected:?}", err.to_string())),
                Ok(done) => Err(format!("got {:?}, want an error", done.output)),
            }
        }
        other => Err(format!("unknown expect {other:?}")),
    }
}

/// Our tree in the corpus notation, one entry per top-level node.
fn tree_json(nodes: &[Node<'_>]) -> Vec<Value> {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(text) => json!({ "text": text.value }),
            Node::Reference(r) => json!({ "func": {
                "param": r.name,
                "name": r.operator.as_str(),
                "args": tree_json(&r.args),
            }}),
        })
        .collect()
}

/// Go's right-nested `list` nodes as one flat sequence.
fn flatten(node: &Value, out: &mut Vec<Value>) {
    match node.get("list").and_then(Value::as_array) {
        Some(items) => items.iter().for_each(|item| flatten(item, out)),
        None => out.push(normalize(node)),
    }
}

/// Flattens lists inside function arguments too, so both sides compare alike.
fn normalize(node: &Value) -> Value {
    let Some(func) = node.get("func") else {
        return node.clone();
    };
    let mut args = Vec::new();
    for arg in func["args"].as_array().into_iter().flatten() {
        flatten(arg, &mut args);
    }
    let mut func: Map<String, Value> = func.as_object().cloned().unwrap_or_default();
    func.insert("args".into(), Value::Array(args));
    json!({ "func": func })
}

fn run_parse_case(dir: &Path) -> Result<(), String> {
    let template = read(&dir.join("template.txt"));
    let tree = parse(&template).map_err(|e| format!("does not parse: {e}"))?;
    let expected: Value = serde_json::from_str(&read(&dir.join("expected-ast.json")))
        .map_err(|e| format!("expected-ast.json: {e}"))?;
    let mut want = Vec::new();
    flatten(&expected, &mut want);
    let got = tree_json(tree.nodes());
    if got == want {
        Ok(())
    } else {
        Err(format!("tree {got:?}, want {want:?}"))
    }
}

fn run_mode(mode: &str, run: impl Fn(&Path, &Value) -> Result<(), String>) {
    let Some(dir) = corpus() else {
        return;
    };
    let cases = cases(&dir, mode);
    assert!(!cases.is_empty(), "no {mode} cases in {}", dir.display());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, path, case)| run(path, case).err().map(|why| format!("{name}: {why}")))
        .collect();
    eprintln!(
        "{mode}: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{mode} failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn envsubst_cases() {
    run_mode("envsubst", run_envsubst_case);
}

#[test]
fn envsubst_parse_cases() {
    run_mode("envsubst-parse", |dir, _| run_parse_case(dir));
}
