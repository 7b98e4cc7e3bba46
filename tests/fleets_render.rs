//! Renders every fleet of ../shared/fleets and testdata/fleets with no
//! configuration and compares a summary (clusters, how they were found, each
//! Kustomization's source, outcome and object count, unresolved variables)
//! with tests/snapshots/fleets-render.txt, so any change in behaviour shows
//! in review. `UPDATE_SNAPSHOTS=1 cargo test --test fleets_render` rewrites it.
#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::cluster::{render_repository, Outcome, Skipped};
use fluxlint::config::Config;
use fluxlint::source::{DiskFs, SourceMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fleets() -> Vec<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/fleets");
    if !shared.is_dir() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "../shared/fleets is missing: CI must have ../shared"
        );
    }
    let mut out: Vec<PathBuf> = [shared, manifest.join("testdata/fleets")]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    out
}

fn summary(fleet: &Path) -> String {
    let root = fleet.canonicalize().unwrap();
    let sources = SourceMap::new(Arc::new(DiskFs::new(&root).unwrap()));
    let clusters = render_repository(&sources, &root, &Config::default(), &[], None, None);
    let mut s = String::new();
    let name = fleet.file_name().unwrap().to_string_lossy();
    writeln!(s, "fleet {name}: {} clusters", clusters.len()).unwrap();
    for c in &clusters {
        writeln!(
            s,
            "  cluster {} ({}; {}): {} kustomizations, {} objects",
            c.name,
            c.path,
            c.how.describe(),
            c.kustomizations.len(),
            c.object_count()
        )
        .unwrap();
        let mut ks: Vec<_> = c.kustomizations.iter().collect();
        ks.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        for k in ks {
            let outcome = match &k.outcome {
                Outcome::Rendered(r) => {
                    let unresolved: Vec<String> =
                        r.unresolved.iter().map(|(_, u)| u.name.clone()).collect();
                    let mut o = format!("{} objects", r.objects.len());
                    if !unresolved.is_empty() {
                        o.push_str(&format!(", unresolved {}", unresolved.join(",")));
                    }
                    o
                }
                Outcome::Failed(e) => format!("error: {e}"),
                Outcome::Skipped(Skipped::Suspended) => "suspended".to_string(),
                Outcome::Skipped(Skipped::ExternalSource { .. }) => "external source".to_string(),
            };
            writeln!(
                s,
                "    {}/{} path={} source={}: {outcome}",
                k.namespace,
                k.name,
                k.path(),
                k.source
            )
            .unwrap();
        }
    }
    s
}

#[test]
fn fleets_render_as_the_snapshot_says() {
    let text: String = fleets().iter().map(|f| summary(f)).collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/fleets-render.txt");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != text {
        let new = path.with_extension("txt.new");
        std::fs::write(&new, &text).unwrap();
        for (a, b) in expected.lines().zip(text.lines()) {
            if a != b {
                eprintln!("first difference:\n  snapshot: {a}\n  now:      {b}");
                break;
            }
        }
        panic!(
            "fleet summary differs from {} (new summary in {}; UPDATE_SNAPSHOTS=1 to accept)",
            path.display(),
            new.display()
        );
    }
}
