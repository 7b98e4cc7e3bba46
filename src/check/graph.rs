//! The dependsOn checks, judged from a cluster's [`DependencyGraph`]:
//! `dependency-cycle`, `missing-dependency`, `dependency-on-suspended`,
//! `invalid-ready-expr`; and `cross-namespace-source` when the user asks for
//! Flux's `--no-cross-namespace-refs`.

use super::CheckContext;
use crate::cluster::graph::{DependencyGraph, DependsOnEntry};
use crate::cluster::ClusterRun;
use crate::diag::{Diagnostic, Severity};
use crate::source::Span;
use crate::yaml::Node;

pub const RULES: &[(&str, &str)] = &[
    (
        "dependency-cycle",
        "Kustomizations or HelmReleases that depend on each other in a loop",
    ),
    (
        "missing-dependency",
        "a dependsOn entry that names nothing in the cluster",
    ),
    (
        "dependency-on-suspended",
        "a dependsOn entry that names a suspended object",
    ),
    (
        "invalid-ready-expr",
        "a dependsOn readyExpr that is not a valid CEL boolean expression",
    ),
    (
        "cross-namespace-source",
        "a sourceRef into another namespace, refused by --no-cross-namespace-refs",
    ),
];

fn at_entry(ctx: &CheckContext, d: Diagnostic, entry: &DependsOnEntry) -> Diagnostic {
    match (&entry.file, entry.span) {
        (_, span) if !span.is_none() => match ctx.locate(span) {
            Some((file, span)) => d.at(file, Some(span)),
            None => d,
        },
        (Some(file), _) => d.at(file.clone(), None),
        _ => d,
    }
}

/// The dependsOn findings of one cluster.
pub fn check_graph(
    ctx: &CheckContext,
    cluster: &ClusterRun,
    graph: &DependencyGraph,
    out: &mut Vec<Diagnostic>,
) {
    for cycle in graph.cycles() {
        let names: Vec<String> = cycle.members.iter().map(|m| m.to_string()).collect();
        let mut loop_text = names.join(" → ");
        if let Some(first) = names.first() {
            loop_text.push_str(&format!(" → {first}"));
        }
        let message = if cycle.members.len() == 1 {
            format!("{} depends on itself", names[0])
        } else {
            format!("dependency cycle: {loop_text}")
        };
        let mut d = Diagnostic::new("dependency-cycle", Severity::Error, message)
            .in_cluster(&cluster.name)
            .note("none of these ever becomes ready: Flux waits for each dependency forever");
        if let Some(first) = cycle.entries.first() {
            d = at_entry(ctx, d, first);
            d.kustomization = Some(first.dependent.namespaced_name());
        }
        for e in cycle.entries.iter().skip(1) {
            if let Some((file, span)) = ctx.locate(e.span) {
                d = d.related(
                    file,
                    Some(span),
                    format!("{} depends on {}", e.dependent, e.dependency),
                );
            }
        }
        out.push(d);
    }
    for m in graph.missing() {
        let mut d = Diagnostic::new(
            "missing-dependency",
            if m.incomplete {
                Severity::Warning
            } else {
                Severity::Error
            },
            format!(
                "{} depends on {}, which is not in cluster {}",
                m.entry.dependent, m.entry.dependency, cluster.name
            ),
        )
        .in_cluster(&cluster.name)
        .for_kustomization(m.entry.dependent.namespaced_name());
        d = at_entry(ctx, d, &m.entry);
        if let Some(s) = &m.suggestion {
            d = d.note(format!("help: did you mean `{}`?", s.namespaced_name()));
        }
        if let Some(o) = &m.other_kind {
            d = d.note(format!(
                "{o} exists, but dependsOn only names objects of its own kind"
            ));
        }
        if m.incomplete {
            d = d.note("some Kustomizations of this cluster were not rendered, so the dependency may be among them");
        }
        out.push(d);
    }
    for e in graph.suspended_dependencies() {
        let d = Diagnostic::new(
            "dependency-on-suspended",
            Severity::Warning,
            format!(
                "{} depends on {}, which is suspended",
                e.dependent, e.dependency
            ),
        )
        .in_cluster(&cluster.name)
        .for_kustomization(e.dependent.namespaced_name())
        .note("a suspended dependency is not reconciled, so the dependent may wait for it");
        out.push(at_entry(ctx, d, &e));
    }
    for bad in graph.invalid_ready_exprs() {
        let mut d = Diagnostic::new(
            "invalid-ready-expr",
            Severity::Error,
            format!(
                "readyExpr of {}'s dependency on {} is not valid CEL: {}",
                bad.entry.dependent, bad.entry.dependency, bad.message
            ),
        )
        .in_cluster(&cluster.name)
        .for_kustomization(bad.entry.dependent.namespaced_name());
        d = match ctx.locate(bad.expr.span) {
            Some((file, span)) => d.at(file, Some(span)),
            None => at_entry(ctx, d, &bad.entry),
        };
        out.push(d.note("Flux stalls the dependent: a readyExpr must be a CEL expression over `self` and `dep` that gives a bool"));
    }
}

/// Flux's `--no-cross-namespace-refs`: a Kustomization's or HelmRelease's
/// sourceRef into another namespace is refused (dependsOn is not).
pub fn check_cross_namespace(ctx: &CheckContext, cluster: &ClusterRun, out: &mut Vec<Diagnostic>) {
    let mut flag = |object: &Node, source_ref: &[&str], owner: String| {
        let ns = object
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default");
        let Some(r) = object.get_path(source_ref) else {
            return;
        };
        let Some(src_ns) = r
            .str_at(&["namespace"])
            .filter(|s| !s.is_empty() && *s != ns)
        else {
            return;
        };
        let kind = object.str_at(&["kind"]).unwrap_or("");
        let name = object.str_at(&["metadata", "name"]).unwrap_or("");
        let mut d = Diagnostic::new(
            "cross-namespace-source",
            Severity::Error,
            format!(
                "{kind} {ns}/{name} takes its source {}/{src_ns}/{} from another namespace, which --no-cross-namespace-refs refuses",
                r.str_at(&["kind"]).unwrap_or(""),
                r.str_at(&["name"]).unwrap_or("")
            ),
        )
        .in_cluster(&cluster.name)
        .for_kustomization(owner);
        let span = r.get("namespace").map(|n| n.span).unwrap_or(Span::NONE);
        if let Some((file, span)) = ctx.locate(span) {
            d = d.at(file, Some(span));
        }
        out.push(d);
    };
    for k in &cluster.kustomizations {
        flag(
            &k.object,
            &["spec", "sourceRef"],
            format!("{}/{}", k.namespace, k.name),
        );
        for o in k.objects() {
            if o.node.str_at(&["kind"]) == Some("HelmRelease") {
                flag(
                    &o.node,
                    &["spec", "chart", "spec", "sourceRef"],
                    format!("{}/{}", k.namespace, k.name),
                );
            }
        }
    }
}
