//! One tiny repository per way clusters are found (testdata/layouts and the
//! example fleet): bootstrap, no bootstrap, a source root below the
//! repository root, and a Flux Operator FluxInstance.

use fluxlint::cluster::discover::Discovery;
use fluxlint::cluster::{render_repository, ClusterRun, Outcome};
use fluxlint::config::Config;
use fluxlint::source::{DiskFs, SourceMap};
use std::path::Path;
use std::sync::Arc;

fn render(dir: &str) -> Vec<ClusterRun> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(dir)
        .canonicalize()
        .unwrap();
    let sources = SourceMap::new(Arc::new(DiskFs::new(&root).unwrap()));
    render_repository(&sources, &root, &Config::default(), &[], None, None)
}

fn objects(c: &ClusterRun, name: &str) -> Vec<fluxlint::yaml::Node> {
    let k = c
        .kustomizations
        .iter()
        .find(|k| k.name == name)
        .expect(name);
    match &k.outcome {
        Outcome::Rendered(r) => r.objects.iter().map(|o| o.node.clone()).collect(),
        other => panic!("{name} not rendered: {other:?}"),
    }
}

#[test]
fn bootstrap_layout() {
    let clusters = render("testdata/fleets/example");
    assert_eq!(clusters.len(), 2);
    for c in &clusters {
        assert!(matches!(c.how, Discovery::Bootstrap(_)), "{:?}", c.how);
        assert_eq!(c.source_root, "");
    }
}

#[test]
fn no_bootstrap_layout() {
    let clusters = render("testdata/layouts/no-bootstrap");
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].name, "lab");
    assert_eq!(clusters[0].how, Discovery::Roots);
    assert_eq!(objects(&clusters[0], "apps").len(), 1);
}

#[test]
fn source_root_below_the_repository_root() {
    let clusters = render("testdata/layouts/subdir-root");
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].source_root, "kubernetes");
    assert_eq!(
        objects(&clusters[0], "apps")[0].str_at(&["kind"]),
        Some("ConfigMap")
    );
}

#[test]
fn flux_instance_sync_with_operator_patches() {
    let clusters = render("testdata/layouts/flux-instance");
    assert_eq!(clusters.len(), 1);
    let c = &clusters[0];
    assert_eq!(c.name, "edge");
    assert!(matches!(c.how, Discovery::FluxInstance(_)));
    // The instance's kustomize patch gave the sync Kustomization a variable,
    // which reached the child's targetNamespace.
    let cm = &objects(c, "apps")[0];
    assert_eq!(cm.str_at(&["metadata", "namespace"]), Some("edge"));
}
