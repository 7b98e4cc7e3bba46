//! Runs every case of ../shared/conformance/resourceset in its mode
//! (builder, builder-steps, cli, combine, permuter) and reports pass counts.
//! Missing corpus: skipped, except with CI=true, where it fails.

#![allow(clippy::print_stderr)] // the harness reports pass counts and skips on stderr

use fluxlint::flux::operator::inputs::{self, InputSet, Permuter, Provider};
use fluxlint::flux::operator::template::Value;
use fluxlint::flux::operator::{build_resources, build_resourceset, build_steps, RenderedStep};
use fluxlint::source::FileId;
use fluxlint::yaml::{emit_document, parse_documents, LoadOptions, Node};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    // ../shared next to the checkout (worktrees sit one level deeper).
    for up in ["..", "../.."] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(up)
            .join("shared/conformance/resourceset");
        if dir.is_dir() {
            return Some(dir);
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/conformance/resourceset is missing: CI must have ../shared");
    }
    eprintln!("skipping: ../shared/conformance/resourceset not found");
    None
}

fn docs(path: &Path) -> Result<Vec<Node>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs =
        parse_documents(&text, FileId(0), &LoadOptions::default()).map_err(|e| e.to_string())?;
    Ok(docs.into_iter().filter(|d| !d.is_null()).collect())
}

fn to_sets(node: &Node) -> Vec<InputSet> {
    node.as_seq()
        .map(|s| {
            s.iter()
                .filter_map(|i| match Value::from_node(i) {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The expected file split into steps at `# step: NAME` lines.
fn expected_steps(text: &str) -> Vec<(Option<String>, Vec<Node>)> {
    let mut steps: Vec<(Option<String>, String)> = vec![(None, String::new())];
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# step: ") {
            steps.push((Some(name.to_string()), String::new()));
        } else {
            let cur = &mut steps.last_mut().expect("one step").1;
            cur.push_str(line);
            cur.push('\n');
        }
    }
    steps
        .into_iter()
        .filter(|(n, t)| n.is_some() || !t.trim().is_empty())
        .map(|(n, t)| {
            let d = parse_documents(&t, FileId(0), &LoadOptions::default())
                .expect("expected.yaml parses");
            (n, d.into_iter().filter(|d| !d.is_null()).collect())
        })
        .collect()
}

fn same(got: &[Node], want: &[Node]) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!(
            "{} objects, want {}:\n{}",
            got.len(),
            want.len(),
            text(got)
        ));
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if g != w {
            return Err(format!(
                "object {i} differs:\n{}\nwant:\n{}",
                text(std::slice::from_ref(g)),
                text(std::slice::from_ref(w))
            ));
        }
    }
    Ok(())
}

fn text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for n in nodes {
        out.push_str("---\n");
        emit_document(n, &mut out);
    }
    out
}

fn check_steps(got: &[RenderedStep], dir: &Path, mode: &str) -> Result<(), String> {
    let want_text =
        std::fs::read_to_string(dir.join("expected.yaml")).map_err(|e| e.to_string())?;
    let want = expected_steps(&want_text);
    // builder-steps prints every step; the CLI only non-empty named steps.
    let got: Vec<(Option<String>, Vec<Node>)> = got
        .iter()
        .filter(|s| mode != "cli" || !s.objects.is_empty())
        .map(|s| (s.name.clone(), s.objects.clone()))
        .collect();
    let got: Vec<_> = if got.iter().all(|(n, _)| n.is_none()) {
        vec![(
            None,
            got.into_iter().flat_map(|(_, o)| o).collect::<Vec<_>>(),
        )]
    } else {
        got
    };
    let want: Vec<_> = if want.iter().all(|(n, _)| n.is_none()) {
        vec![(
            None,
            want.into_iter().flat_map(|(_, o)| o).collect::<Vec<_>>(),
        )]
    } else {
        want
    };
    if got.len() != want.len() {
        return Err(format!("{} steps, want {}", got.len(), want.len()));
    }
    for ((gn, go), (wn, wo)) in got.iter().zip(&want) {
        if gn != wn {
            return Err(format!("step {gn:?}, want {wn:?}"));
        }
        same(go, wo).map_err(|e| format!("step {gn:?}: {e}"))?;
    }
    Ok(())
}

fn run_case(dir: &Path) -> Result<(), String> {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("case.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let mode = case["mode"].as_str().unwrap_or_default();
    let expect = case["expect"].as_str().unwrap_or_default();
    let exact_err = case["error_exact"].as_bool().unwrap_or(false);
    let rset = if mode == "permuter" {
        None
    } else {
        docs(&dir.join("resourceset.yaml"))?.into_iter().next()
    };
    let result: Result<Outcome, String> = match mode {
        "builder" | "builder-steps" => {
            let rset = rset.ok_or("no resourceset")?;
            let spec = rset.get("spec").cloned().unwrap_or_else(Node::map);
            let sets = spec.get("inputs").map(to_sets).unwrap_or_default();
            if mode == "builder" {
                let tmpl = spec.get("resourcesTemplate").and_then(Node::as_str);
                let res = spec
                    .get("resources")
                    .and_then(Node::as_seq)
                    .cloned()
                    .unwrap_or_default();
                build_resources(tmpl, &res, &sets)
                    .map(|o| {
                        Outcome::Steps(vec![RenderedStep {
                            name: None,
                            objects: o,
                        }])
                    })
                    .map_err(|e| e.message)
            } else {
                build_steps(&spec, &sets)
                    .map(Outcome::Steps)
                    .map_err(|e| e.message)
            }
        }
        "cli" => {
            let rset = rset.ok_or("no resourceset")?;
            let args: Vec<String> = case["cli_args"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let flag = |f: &str| {
                args.iter()
                    .position(|a| a == f)
                    .and_then(|i| args.get(i + 1))
                    .cloned()
            };
            let override_inputs = match flag("--inputs-from") {
                Some(f) => Some(to_sets(
                    &docs(&dir.join(f))?
                        .into_iter()
                        .next()
                        .unwrap_or_else(Node::null),
                )),
                None => None,
            };
            let providers = match flag("--inputs-from-provider") {
                Some(f) => {
                    let ns = rset.str_at(&["metadata", "namespace"]).unwrap_or_default();
                    let mut ps = Vec::new();
                    for d in docs(&dir.join(f))? {
                        if let Some(p) =
                            Provider::from_static_manifest(&d, ns).map_err(|e| e.message)?
                        {
                            ps.push(p);
                        }
                    }
                    Some(ps)
                }
                None => None,
            };
            build_resourceset(&rset, override_inputs, providers.as_deref())
                .map(Outcome::Steps)
                .map_err(|e| e.message)
        }
        "combine" => {
            let rset = rset.ok_or("no resourceset")?;
            let mut ps = Vec::new();
            for d in docs(&dir.join("providers.yaml"))? {
                ps.push(Provider::from_manifest(&d).map_err(|e| e.message)?);
            }
            inputs::combine(&rset, &ps)
                .map(Outcome::Inputs)
                .map_err(|e| e.message)
        }
        "permuter" => {
            let list = docs(&dir.join("providers.yaml"))?
                .into_iter()
                .next()
                .ok_or("no providers")?;
            let mut p = Permuter::new(false);
            let mut res = Ok(());
            for item in list.as_seq().cloned().unwrap_or_default() {
                let name = item.str_at(&["name"]).unwrap_or_default().to_string();
                let sets = item.get("inputs").map(to_sets).unwrap_or_default();
                if let Err(e) = p.add_provider(&name, sets) {
                    res = Err(e.message);
                    break;
                }
            }
            res.map(|_| Outcome::Inputs(p.combine()))
        }
        other => return Err(format!("unknown mode {other}")),
    };
    match (expect, result) {
        ("error", Err(msg)) => {
            let want = std::fs::read_to_string(dir.join("expected-error.txt"))
                .map_err(|e| e.to_string())?;
            let want = want.trim_end();
            let ok = if exact_err {
                msg == want || msg.ends_with(&format!(": {want}"))
            } else {
                msg.contains(want)
            };
            if ok {
                Ok(())
            } else {
                Err(format!("error {msg:?}, want {want:?}"))
            }
        }
        ("error", Ok(_)) => Err("expected an error, got output".into()),
        (_, Err(msg)) => Err(format!("unexpected error: {msg}")),
        ("output", Ok(Outcome::Steps(steps))) => check_steps(&steps, dir, mode),
        ("inputs", Ok(Outcome::Inputs(sets))) => {
            let want = docs(&dir.join("expected-inputs.yaml"))?
                .into_iter()
                .next()
                .unwrap_or_else(|| Node::seq(vec![]));
            let got: Vec<Node> = sets.into_iter().map(|s| Value::Map(s).to_node()).collect();
            same(&got, want.as_seq().map(Vec::as_slice).unwrap_or_default())
        }
        ("count", Ok(Outcome::Inputs(sets))) => {
            let want: usize = std::fs::read_to_string(dir.join("expected-count.txt"))
                .map_err(|e| e.to_string())?
                .trim()
                .parse()
                .map_err(|e| format!("{e}"))?;
            if sets.len() == want {
                Ok(())
            } else {
                Err(format!("{} input sets, want {want}", sets.len()))
            }
        }
        (e, _) => Err(format!("expectation {e} does not fit mode {mode}")),
    }
}

enum Outcome {
    Steps(Vec<RenderedStep>),
    Inputs(Vec<InputSet>),
}

#[test]
fn resourceset_conformance() {
    let Some(root) = corpus() else { return };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if let Err(e) = run_case(dir) {
            failures.push(format!("{name}: {e}"));
        }
    }
    // normalize-key.tsv
    let tsv = std::fs::read_to_string(root.join("normalize-key.tsv")).expect("normalize-key.tsv");
    let mut keys = 0;
    for line in tsv.lines().skip(1) {
        let (input, want) = line.split_once('\t').unwrap_or((line, ""));
        keys += 1;
        let got = inputs::normalize_key(input);
        if got != want {
            failures.push(format!(
                "normalize-key {input:?}: got {got:?}, want {want:?}"
            ));
        }
    }
    eprintln!(
        "resourceset conformance: {}/{} cases pass, {keys} normalize-key rows",
        cases.len()
            - failures
                .iter()
                .filter(|f| !f.starts_with("normalize-key"))
                .count(),
        cases.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n\n"));
}
