//! Every kustomization directory of the real fleets in ../shared/fleets,
//! built by fluxlint and by the real kustomize (`kubectl kustomize
//! --load-restrictor LoadRestrictionsNone`): where kustomize succeeds, our
//! output must be identical byte for byte; where it fails, ours must fail too.
//!
//! kubectl is required in CI (CI=true); elsewhere the test is skipped without it.

#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::kustomize::{self, BuildOptions, LoadRestrictor};
use fluxlint::source::{DiskFs, SourceMap};
use fluxlint::yaml::emit_documents;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

fn fleets_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fleets");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if !dir.is_dir() {
        assert!(!ci, "../shared/fleets is missing: CI must have ../shared");
        eprintln!("skipping: ../shared/fleets not found");
        return None;
    }
    let kubectl = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output();
    if kubectl.map(|o| !o.status.success()).unwrap_or(true) {
        assert!(
            !ci,
            "kubectl is not installed: CI needs it as the reference kustomize"
        );
        eprintln!("skipping: kubectl not installed");
        return None;
    }
    Some(dir.canonicalize().unwrap())
}

fn kustomization_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    if KUSTOMIZATION_FILES.iter().any(|f| dir.join(f).is_file()) {
        out.push(dir.to_path_buf());
    }
    for e in entries {
        if e.is_dir() && !e.is_symlink() {
            kustomization_dirs(&e, out);
        }
    }
}

enum Verdict {
    Same,
    BothFail,
    Differ(String),
}

fn compare(fleet: &Path, dir: &Path) -> Verdict {
    let reference = Command::new("kubectl")
        .args(["kustomize", "--load-restrictor", "LoadRestrictionsNone"])
        .arg(dir)
        .output()
        .expect("run kubectl");
    let sources = SourceMap::new(Arc::new(DiskFs::new(fleet).unwrap()));
    let opts = BuildOptions {
        load_restrictor: LoadRestrictor::None,
        ..BuildOptions::default()
    };
    let ours = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        kustomize::build(&sources, dir, &opts).map(|o| emit_documents(&o.to_nodes()))
    }));
    let ours = match ours {
        Ok(r) => r,
        Err(_) => return Verdict::Differ("fluxlint panicked".into()),
    };
    match (reference.status.success(), ours) {
        (true, Ok(text)) if text.as_bytes() == reference.stdout => Verdict::Same,
        (true, Ok(text)) => {
            let expected = String::from_utf8_lossy(&reference.stdout);
            let line = text
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| text.lines().count().min(expected.lines().count()));
            Verdict::Differ(format!(
                "output differs from kustomize at line {}: ours {:?}, kustomize {:?}",
                line + 1,
                text.lines().nth(line),
                expected.lines().nth(line)
            ))
        }
        (true, Err(e)) => Verdict::Differ(format!(
            "kustomize builds it, fluxlint fails: {}",
            e.message
        )),
        (false, Ok(_)) => Verdict::Differ(format!(
            "kustomize fails ({}), fluxlint builds it",
            String::from_utf8_lossy(&reference.stderr).trim()
        )),
        (false, Err(_)) => Verdict::BothFail,
    }
}

#[test]
fn fleet_kustomizations_match_kustomize() {
    let Some(root) = fleets_dir() else { return };
    // The real fleets, and the example fleet shipped in testdata/.
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fleets");
    let mut fleets: Vec<PathBuf> = [root.as_path(), testdata.as_path()]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .map(|p| p.canonicalize().unwrap())
        .collect();
    fleets.sort();
    let mut jobs = Vec::new();
    for fleet in &fleets {
        let mut dirs = Vec::new();
        kustomization_dirs(fleet, &mut dirs);
        jobs.extend(dirs.into_iter().map(|d| (fleet.clone(), d)));
    }
    let results: Vec<(PathBuf, Verdict)> = std::thread::scope(|s| {
        let chunks: Vec<_> = jobs.chunks(jobs.len().div_ceil(4).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(fleet, dir)| (dir.clone(), compare(fleet, dir)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let same = results
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Same))
        .count();
    let both_fail = results
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::BothFail))
        .count();
    let mut failures = Vec::new();
    for (dir, v) in &results {
        if let Verdict::Differ(why) = v {
            failures.push(format!("{}: {why}", dir.display()));
        }
    }
    eprintln!(
        "fleet kustomizations: {} directories, {same} identical to kustomize, {both_fail} failing in both, {} differing",
        results.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
