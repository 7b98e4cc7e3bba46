//! Unit tests of the dependency graph (kept beside `graph.rs` for length).

use super::*;
use crate::cluster::discover::Discovery;
use crate::cluster::{ClusterRun, KustomizationRun, Outcome, Skipped};
use crate::flux::generate::Action;
use crate::flux::render::{Rendered, RenderedObject};
use crate::flux::variables::LoadedVariables;
use crate::source::FileId;
use crate::yaml::{parse_documents, LoadOptions};

fn docs(text: &str) -> Vec<Node> {
    parse_documents(text, FileId(7), &LoadOptions::default()).expect("valid YAML")
}

/// A Kustomization run for one object, rendered with `objects`.
fn run(object: &str, file: &str, objects: Vec<RenderedObject>) -> KustomizationRun {
    let object = docs(object).remove(0);
    KustomizationRun {
        namespace: object
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default")
            .to_string(),
        name: object
            .str_at(&["metadata", "name"])
            .unwrap_or("")
            .to_string(),
        object,
        parent: Some(("flux-system".into(), "flux-system".into())),
        file: Some(PathBuf::from(file)),
        source: "GitRepository/flux-system/flux-system".into(),
        source_dir: Some(String::new()),
        generated_errors: Vec::new(),
        generated_notes: Vec::new(),
        variables: LoadedVariables::default(),
        outcome: Outcome::Rendered(Rendered {
            objects,
            action: Action::Unchanged,
            unresolved: Vec::new(),
            built: Vec::new(),
        }),
    }
}

fn cluster(kustomizations: Vec<KustomizationRun>) -> ClusterRun {
    ClusterRun {
        name: "test".into(),
        path: "clusters/test".into(),
        source_root: String::new(),
        how: Discovery::Roots,
        kustomizations,
        duplicates: Vec::new(),
        artifact_errors: Vec::new(),
    }
}

/// A Kustomization in flux-system named `name` that depends on `deps`
/// (each `name` or `namespace/name`).
fn ks(name: &str, deps: &[&str]) -> KustomizationRun {
    run(
        &manifest(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "flux-system",
            name,
            deps,
        ),
        &format!("clusters/test/{name}.yaml"),
        Vec::new(),
    )
}

fn manifest(api_version: &str, kind: &str, namespace: &str, name: &str, deps: &[&str]) -> String {
    let mut text = format!(
        "apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n"
    );
    if !deps.is_empty() {
        text.push_str("  dependsOn:\n");
    }
    for dep in deps {
        match dep.split_once('/') {
            Some((ns, n)) => text.push_str(&format!("    - name: {n}\n      namespace: {ns}\n")),
            None => text.push_str(&format!("    - name: {dep}\n")),
        }
    }
    text
}

fn helm_release(namespace: &str, name: &str, deps: &[&str], root: &Path) -> RenderedObject {
    RenderedObject {
        node: docs(&manifest(
            "helm.toolkit.fluxcd.io/v2",
            "HelmRelease",
            namespace,
            name,
            deps,
        ))
        .remove(0),
        file: Some(root.join(format!("apps/{name}.yaml"))),
    }
}

fn kid(name: &str) -> NodeId {
    NodeId::new(NodeKind::Kustomization, "flux-system", name)
}

fn hid(namespace: &str, name: &str) -> NodeId {
    NodeId::new(NodeKind::HelmRelease, namespace, name)
}

fn graph(runs: Vec<KustomizationRun>) -> DependencyGraph {
    DependencyGraph::build(&cluster(runs), Path::new("/repo"))
}

fn names(ids: &[NodeId]) -> Vec<&str> {
    ids.iter().map(|id| id.name.as_str()).collect()
}

#[test]
fn a_cycle_is_reported_once_in_loop_order_from_its_smallest_member() {
    // b → a → c → b, declared in another order.
    let g = graph(vec![
        ks("c", &["b"]),
        ks("b", &["a"]),
        ks("a", &["c"]),
        ks("d", &[]),
    ]);
    assert_eq!(g.cycles().len(), 1);
    let cycle = &g.cycles()[0];
    assert_eq!(names(&cycle.members), ["a", "c", "b"]);
    let steps: Vec<(&str, &str)> = cycle
        .entries
        .iter()
        .map(|e| (e.dependent.name.as_str(), e.dependency.name.as_str()))
        .collect();
    assert_eq!(steps, [("a", "c"), ("c", "b"), ("b", "a")]);
    // Each step points at its dependsOn entry in the dependent's file.
    let step = &cycle.entries[0];
    assert_eq!(
        step.file.as_deref(),
        Some(Path::new("clusters/test/a.yaml"))
    );
    assert_eq!(step.span.file, FileId(7));
    assert!(!step.span.is_none());
    let waves = g.waves();
    assert_eq!(names(&waves.cyclic), ["a", "b", "c"]);
    assert_eq!(waves.levels, vec![vec![kid("d")]]);
}

#[test]
fn a_self_dependency_is_a_cycle_of_one() {
    let g = graph(vec![ks("loop", &["loop"]), ks("after", &["loop"])]);
    assert_eq!(g.cycles().len(), 1);
    assert_eq!(g.cycles()[0].members, vec![kid("loop")]);
    assert_eq!(g.cycles()[0].entries.len(), 1);
    assert_eq!(g.cycles()[0].entries[0].dependency, kid("loop"));
    let waves = g.waves();
    assert_eq!(waves.cyclic, vec![kid("loop")]);
    assert_eq!(waves.blocked, vec![kid("after")]);
    assert!(waves.levels.is_empty());
    assert_eq!(g.wave_of(&kid("after")), None);
}

#[test]
fn a_tangle_of_loops_is_walked_through_every_member() {
    // a ⇄ b ⇄ c: no simple cycle holds all three.
    let g = graph(vec![ks("a", &["b"]), ks("b", &["a", "c"]), ks("c", &["b"])]);
    assert_eq!(g.cycles().len(), 1);
    let cycle = &g.cycles()[0];
    assert_eq!(names(&cycle.members), ["a", "b", "c"]);
    let walk: Vec<&str> = cycle
        .entries
        .iter()
        .map(|e| e.dependent.name.as_str())
        .collect();
    assert_eq!(walk, ["a", "b", "c", "b"]);
    assert_eq!(
        cycle.entries.last().map(|e| e.dependency.name.as_str()),
        Some("a")
    );
}

#[test]
fn separate_cycles_are_separate_findings() {
    let g = graph(vec![
        ks("x", &["y"]),
        ks("y", &["x"]),
        ks("a", &["b"]),
        ks("b", &["a"]),
    ]);
    let cycles: Vec<Vec<&str>> = g.cycles().iter().map(|c| names(&c.members)).collect();
    assert_eq!(cycles, [["a", "b"], ["x", "y"]]);
}

#[test]
fn a_missing_dependency_gets_the_nearest_name() {
    let g = graph(vec![
        ks("infra-configs", &[]),
        ks("apps", &["infra-config", "nothing-alike"]),
    ]);
    let missing = g.missing();
    assert_eq!(missing.len(), 2);
    assert_eq!(missing[0].entry.dependent, kid("apps"));
    assert_eq!(missing[0].entry.dependency, kid("infra-config"));
    assert_eq!(missing[0].suggestion, Some(kid("infra-configs")));
    assert!(!missing[0].incomplete);
    assert_eq!(missing[1].suggestion, None);
    assert_eq!(missing[1].other_kind, None);
}

#[test]
fn a_missing_dependency_in_the_wrong_namespace_suggests_the_right_one() {
    let root = Path::new("/repo");
    let objects = vec![
        helm_release("cert-manager", "cert-manager", &[], root),
        // The namespace defaults to `monitoring`, where there is none.
        helm_release("monitoring", "prometheus", &["cert-manager"], root),
        // A HelmRelease can only wait for HelmReleases.
        helm_release("monitoring", "grafana", &["flux-system/infra"], root),
    ];
    let infra = run(
        &manifest(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "flux-system",
            "infra",
            &[],
        ),
        "clusters/test/infra.yaml",
        objects,
    );
    let g = DependencyGraph::build(&cluster(vec![infra]), root);
    let missing = g.missing();
    assert_eq!(missing.len(), 2);
    assert_eq!(missing[0].entry.dependent, hid("monitoring", "grafana"));
    assert_eq!(missing[0].other_kind, Some(kid("infra")));
    assert_eq!(
        missing[1].entry.dependency,
        hid("monitoring", "cert-manager")
    );
    assert_eq!(
        missing[1].suggestion,
        Some(hid("cert-manager", "cert-manager"))
    );
}

#[test]
fn an_unrendered_kustomization_makes_missing_uncertain() {
    let mut external = ks("external", &[]);
    external.outcome = Outcome::Skipped(Skipped::ExternalSource {
        source: "OCIRepository/flux-system/x".into(),
        url: None,
    });
    let g = graph(vec![external, ks("apps", &["elsewhere"])]);
    assert!(g.missing()[0].incomplete);
}

#[test]
fn the_dependency_namespace_defaults_to_the_dependents() {
    let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
                metadata:\n  name: apps\n  namespace: team\nspec:\n  dependsOn:\n\
                \x20   - name: a\n    - name: b\n      namespace: flux-system\n\
                \x20   - name: c\n      namespace: \"\"\n    - namespace: x\n";
    let g = graph(vec![run(text, "apps.yaml", Vec::new())]);
    let node = g
        .node(&NodeId::new(NodeKind::Kustomization, "team", "apps"))
        .expect("node");
    let targets: Vec<String> = node
        .dependencies
        .iter()
        .map(|d| d.target.to_string())
        .collect();
    // The entry without a name is left out.
    assert_eq!(
        targets,
        [
            "Kustomization/team/a",
            "Kustomization/flux-system/b",
            "Kustomization/team/c"
        ]
    );
}

#[test]
fn waves_follow_the_longest_chain() {
    // controllers → configs → apps, and apps also on controllers directly.
    let g = graph(vec![
        ks("apps", &["configs", "controllers"]),
        ks("configs", &["controllers"]),
        ks("controllers", &[]),
        ks("monitoring", &["controllers", "ghost"]),
        ks("standalone", &[]),
    ]);
    let waves = g.waves();
    let levels: Vec<Vec<&str>> = waves.levels.iter().map(|l| names(l)).collect();
    assert_eq!(
        levels,
        vec![
            vec!["controllers", "standalone"],
            vec!["configs", "monitoring"],
            vec!["apps"]
        ]
    );
    assert!(waves.cyclic.is_empty() && waves.blocked.is_empty());
    assert_eq!(g.wave_of(&kid("apps")), Some(2));
    assert!(g.cycles().is_empty());
}

#[test]
fn helm_releases_depend_on_helm_releases() {
    let root = Path::new("/repo");
    let objects = vec![
        helm_release("infra", "cert-manager", &[], root),
        helm_release("infra", "issuers", &["cert-manager"], root),
        helm_release("apps", "podinfo", &["infra/issuers"], root),
    ];
    let g = DependencyGraph::build(
        &cluster(vec![run(
            &manifest(
                "kustomize.toolkit.fluxcd.io/v1",
                "Kustomization",
                "flux-system",
                "apps",
                &[],
            ),
            "clusters/test/apps.yaml",
            objects,
        )]),
        root,
    );
    assert_eq!(
        g.edges(),
        vec![
            (&hid("apps", "podinfo"), &hid("infra", "issuers")),
            (&hid("infra", "issuers"), &hid("infra", "cert-manager")),
        ]
    );
    let node = g.node(&hid("infra", "issuers")).expect("node");
    assert_eq!(node.file.as_deref(), Some(Path::new("apps/issuers.yaml")));
    assert_eq!(node.applied_by, Some(kid("apps")));
    assert_eq!(g.wave_of(&hid("apps", "podinfo")), Some(2));
    assert_eq!(g.wave_of(&kid("apps")), Some(0));
    assert!(g.missing().is_empty());
}

#[test]
fn an_object_met_twice_keeps_its_first_declaration() {
    let mut second = ks("a", &["b"]);
    second.file = Some(PathBuf::from("other.yaml"));
    let g = graph(vec![ks("a", &[]), second, ks("b", &[])]);
    assert_eq!(g.nodes().len(), 2);
    assert!(g.edges().is_empty());
    assert_eq!(
        g.node(&kid("a")).and_then(|n| n.file.clone()),
        Some(PathBuf::from("clusters/test/a.yaml"))
    );
}

#[test]
fn dependencies_on_suspended_objects_are_listed() {
    let mut paused = ks("paused", &[]);
    paused
        .object
        .get_path_mut(&["spec"])
        .expect("spec")
        .set("suspend", Node::new(Value::Bool(true)));
    let g = graph(vec![paused, ks("apps", &["paused"]), ks("other", &[])]);
    let found = g.suspended_dependencies();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (&found[0].dependent, &found[0].dependency),
        (&kid("apps"), &kid("paused"))
    );
}

#[test]
fn ready_exprs_that_do_not_compile_are_listed() {
    let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
                metadata:\n  name: apps\n  namespace: flux-system\nspec:\n  dependsOn:\n\
                \x20   - name: a\n      readyExpr: dep.status.ready ==\n\
                \x20   - name: b\n      readyExpr: dep.status.conditions.exists(c, c.type == 'Ready')\n";
    let g = graph(vec![
        run(text, "apps.yaml", Vec::new()),
        ks("a", &[]),
        ks("b", &[]),
    ]);
    let invalid = g.invalid_ready_exprs();
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].entry.dependency, kid("a"));
    assert_eq!(invalid[0].expr.text, "dep.status.ready ==");
    assert!(
        invalid[0]
            .message
            .starts_with("ERROR: <input>:1:20: Syntax error"),
        "{}",
        invalid[0].message
    );
    assert!(!invalid[0].expr.span.is_none());
}

#[test]
fn outputs_are_sorted_and_mark_cycles_and_missing() {
    let mut paused = ks("paused", &[]);
    paused
        .object
        .get_path_mut(&["spec"])
        .expect("spec")
        .set("suspend", Node::new(Value::Bool(true)));
    let g = graph(vec![
        ks("b", &["a", "ghost"]),
        ks("a", &[]),
        ks("x", &["y"]),
        ks("y", &["x"]),
        paused,
    ]);
    assert_eq!(
        g.to_mermaid(),
        "flowchart RL\n\
         \x20 n0[\"Kustomization<br/>flux-system/a\"]\n\
         \x20 n1[\"Kustomization<br/>flux-system/b\"]\n\
         \x20 n2[\"Kustomization<br/>flux-system/paused\"]\n\
         \x20 n3[\"Kustomization<br/>flux-system/x\"]\n\
         \x20 n4[\"Kustomization<br/>flux-system/y\"]\n\
         \x20 m0[\"Kustomization<br/>flux-system/ghost\"]\n\
         \x20 n1 --> n0\n\
         \x20 n3 --> n4\n\
         \x20 n4 --> n3\n\
         \x20 n1 -.-> m0\n\
         \x20 classDef cycle stroke:#d00,stroke-width:2px\n\
         \x20 class n3,n4 cycle\n\
         \x20 classDef suspended stroke-dasharray:5 5\n\
         \x20 class n2 suspended\n\
         \x20 classDef missing stroke:#d00,stroke-dasharray:3 3,color:#d00\n\
         \x20 class m0 missing\n"
    );
    assert_eq!(
        g.to_dot(),
        "digraph dependencies {\n  rankdir=RL;\n  node [shape=box];\n\
         \x20 \"Kustomization/flux-system/a\" [label=\"Kustomization\\nflux-system/a\"];\n\
         \x20 \"Kustomization/flux-system/b\" [label=\"Kustomization\\nflux-system/b\"];\n\
         \x20 \"Kustomization/flux-system/paused\" [label=\"Kustomization\\nflux-system/paused\", style=dashed];\n\
         \x20 \"Kustomization/flux-system/x\" [label=\"Kustomization\\nflux-system/x\", color=red];\n\
         \x20 \"Kustomization/flux-system/y\" [label=\"Kustomization\\nflux-system/y\", color=red];\n\
         \x20 \"Kustomization/flux-system/ghost\" [label=\"Kustomization\\nflux-system/ghost\", style=dashed, color=red, fontcolor=red];\n\
         \x20 \"Kustomization/flux-system/b\" -> \"Kustomization/flux-system/a\";\n\
         \x20 \"Kustomization/flux-system/x\" -> \"Kustomization/flux-system/y\";\n\
         \x20 \"Kustomization/flux-system/y\" -> \"Kustomization/flux-system/x\";\n\
         \x20 \"Kustomization/flux-system/b\" -> \"Kustomization/flux-system/ghost\" [style=dashed, color=red];\n\
         }\n"
    );
    let json = g.to_json();
    assert_eq!(
        json["nodes"][1],
        serde_json::json!({
            "id": "Kustomization/flux-system/b",
            "kind": "Kustomization",
            "namespace": "flux-system",
            "name": "b",
            "file": "clusters/test/b.yaml",
            "wave": 1,
            "suspended": false,
        })
    );
    assert_eq!(json["nodes"][3]["wave"], serde_json::Value::Null);
    assert_eq!(
        json["edges"][0],
        serde_json::json!({"from": "Kustomization/flux-system/b", "to": "Kustomization/flux-system/a"})
    );
    assert_eq!(
        json["missing"],
        serde_json::json!([{"from": "Kustomization/flux-system/b", "to": "Kustomization/flux-system/ghost"}])
    );
    assert_eq!(
        json["cycles"],
        serde_json::json!([["Kustomization/flux-system/x", "Kustomization/flux-system/y"]])
    );
}

#[test]
fn labels_are_escaped() {
    let id = NodeId::new(NodeKind::HelmRelease, "a\"b", "<c>");
    assert_eq!(
        output_labels(&id),
        (
            "HelmRelease<br/>a#quot;b/#lt;c#gt;".to_string(),
            "\"HelmRelease\\na\\\"b/<c>\"".to_string()
        )
    );
}

fn output_labels(id: &NodeId) -> (String, String) {
    let g = DependencyGraph::from_nodes(
        vec![GraphNode {
            id: id.clone(),
            file: None,
            span: Span::NONE,
            suspended: false,
            applied_by: None,
            dependencies: Vec::new(),
        }],
        true,
    );
    let mermaid = g.to_mermaid();
    let dot = g.to_dot();
    let m = mermaid.split('"').nth(1).unwrap_or("").to_string();
    let d = dot
        .split("label=")
        .nth(1)
        .and_then(|s| s.strip_suffix("];\n}\n"))
        .unwrap_or("")
        .to_string();
    (m, d)
}
