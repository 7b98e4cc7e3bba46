//! The dependsOn graph of real repositories: testdata/fleets/example has a
//! known apply order; every fleet in ../shared/fleets builds its graphs
//! without panicking, and their findings are printed.
#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::cluster::graph::{DependencyGraph, NodeId, NodeKind};
use fluxlint::cluster::{render_repository, ClusterRun};
use fluxlint::config::Config;
use fluxlint::source::{DiskFs, SourceMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn render(fleet: &Path) -> (PathBuf, Vec<ClusterRun>) {
    let root = fleet.canonicalize().expect("the fleet exists");
    let sources = SourceMap::new(Arc::new(DiskFs::new(&root).expect("a readable fleet")));
    let clusters = render_repository(&sources, &root, &Config::default(), &[], None, None);
    (root, clusters)
}

fn kustomization(name: &str) -> NodeId {
    NodeId::new(NodeKind::Kustomization, "flux-system", name)
}

fn helm_release(namespace: &str, name: &str) -> NodeId {
    NodeId::new(NodeKind::HelmRelease, namespace, name)
}

/// `$FLUXLINT_SHARED`, else `../shared` beside the crate or `../../shared`
/// from a worktree under `wt/`.
fn shared_fleets() -> Option<PathBuf> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = match std::env::var_os("FLUXLINT_SHARED") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![crate_dir.join("../shared"), crate_dir.join("../../shared")],
    };
    candidates
        .iter()
        .map(|d| d.join("fleets"))
        .find(|d| d.is_dir())
}

#[test]
fn the_example_applies_controllers_then_configs_then_apps() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fleets/example");
    let (root, clusters) = render(&example);
    let mut names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["production", "staging"]);
    for cluster in &clusters {
        let graph = DependencyGraph::build(cluster, &root);
        let waves = graph.waves();
        let mut expected = vec![
            vec![
                helm_release("cert-manager", "cert-manager"),
                kustomization("flux-system"),
                kustomization("infra-controllers"),
            ],
            vec![
                helm_release("ingress-nginx", "ingress-nginx"),
                kustomization("infra-configs"),
            ],
            vec![kustomization("apps")],
        ];
        // Production also has `extras`, which waits for apps.
        if cluster.name == "production" {
            expected.push(vec![kustomization("extras")]);
        }
        assert_eq!(waves.levels, expected, "cluster {}", cluster.name);
        assert!(graph.cycles().is_empty());
        assert!(graph.missing().is_empty());
        assert!(graph.suspended_dependencies().is_empty());
        assert!(graph.invalid_ready_exprs().is_empty());
        let apps = graph.node(&kustomization("apps")).expect("apps");
        assert_eq!(
            apps.file.as_deref(),
            Some(Path::new(&format!("clusters/{}/apps.yaml", cluster.name)))
        );
        assert_eq!(apps.dependencies.len(), 1);
        assert!(!apps.dependencies[0].span.is_none());
        let ingress = graph
            .node(&helm_release("ingress-nginx", "ingress-nginx"))
            .expect("the ingress-nginx HelmRelease");
        assert_eq!(
            ingress.file.as_deref(),
            Some(Path::new("infrastructure/controllers/ingress-nginx.yaml"))
        );
        assert_eq!(ingress.applied_by, Some(kustomization("infra-controllers")));
        if cluster.name != "staging" {
            continue; // production also has `extras`; the edges below are staging's.
        }
        let json = graph.to_json();
        assert_eq!(
            json["edges"],
            serde_json::json!([
                {"from": "HelmRelease/ingress-nginx/ingress-nginx", "to": "HelmRelease/cert-manager/cert-manager"},
                {"from": "Kustomization/flux-system/apps", "to": "Kustomization/flux-system/infra-configs"},
                {"from": "Kustomization/flux-system/infra-configs", "to": "Kustomization/flux-system/infra-controllers"},
            ])
        );
        // n0, n1: the HelmReleases; n2 apps, n4 infra-configs, n5 infra-controllers.
        assert!(graph
            .to_mermaid()
            .contains("  n1 --> n0\n  n2 --> n4\n  n4 --> n5\n"));
    }
}

#[test]
fn every_shared_fleet_builds_its_graphs() {
    let Some(shared) = shared_fleets() else {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "../shared/fleets is missing: CI must have ../shared"
        );
        eprintln!("skipped: no shared fleets");
        return;
    };
    let mut fleets: Vec<PathBuf> = std::fs::read_dir(&shared)
        .expect("a readable directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    fleets.sort();
    let mut nodes = 0;
    for fleet in &fleets {
        let (root, mut clusters) = render(fleet);
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        for cluster in &clusters {
            let graph = DependencyGraph::build(cluster, &root);
            nodes += graph.nodes().len();
            let waves = graph.waves();
            let _ = (graph.to_mermaid(), graph.to_dot(), graph.to_json());
            eprintln!(
                "{} / {}: {} nodes ({} HelmReleases), {} edges, {} waves, {} cycles, \
                 {} missing, {} on suspended, {} invalid readyExpr",
                fleet.file_name().unwrap_or_default().to_string_lossy(),
                cluster.name,
                graph.nodes().len(),
                graph
                    .nodes()
                    .iter()
                    .filter(|n| n.id.kind == NodeKind::HelmRelease)
                    .count(),
                graph.edges().len(),
                waves.levels.len(),
                graph.cycles().len(),
                graph.missing().len(),
                graph.suspended_dependencies().len(),
                graph.invalid_ready_exprs().len(),
            );
            for cycle in graph.cycles() {
                let loop_: Vec<String> = cycle.members.iter().map(ToString::to_string).collect();
                eprintln!("    cycle: {}", loop_.join(" -> "));
            }
            for m in graph.missing() {
                eprintln!(
                    "    missing: {} -> {} (suggestion {:?}, incomplete {})",
                    m.entry.dependent,
                    m.entry.dependency,
                    m.suggestion.map(|s| s.to_string()),
                    m.incomplete
                );
            }
            // Waves, cycle members and blocked objects partition the nodes.
            let placed = waves.levels.iter().map(Vec::len).sum::<usize>()
                + waves.cyclic.len()
                + waves.blocked.len();
            assert_eq!(placed, graph.nodes().len(), "cluster {}", cluster.name);
        }
    }
    assert!(nodes > 0, "the fleets gave no nodes at all");
}
