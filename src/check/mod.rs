//! The integrity checks of `fluxlint check`: facts recorded by the render
//! (failures, unresolved variables, sources, duplicates) judged into
//! [`Diagnostic`]s that point at the line to fix. One check, one function
//! here; the dependsOn checks live with the graph ([`crate::cluster::graph`]).

pub mod fields;
pub mod graph;

use crate::cluster::graph::DependencyGraph;
use crate::cluster::{ClusterRun, KustomizationRun, Outcome, Skipped};
use crate::diag::{Diagnostic, ObjectRef, Severity};
use crate::flux::render::RenderError;
use crate::source::{SourceMap, Span};
use crate::yaml::Node;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every rule id this module can report, with its summary (for SARIF and docs).
pub const RULES: &[(&str, &str)] = &[
    (
        "render-error",
        "kustomize or Flux could not build a Kustomization's path",
    ),
    (
        "unresolved-variable",
        "a ${VAR} that postBuild substitution leaves without a value",
    ),
    (
        "missing-source",
        "a sourceRef that names no source of the cluster",
    ),
    (
        "missing-path",
        "a spec.path that does not exist in its source",
    ),
    (
        "missing-substitution-source",
        "a non-optional substituteFrom that names no ConfigMap or Secret",
    ),
    (
        "duplicate-object",
        "two Kustomizations of one cluster apply the same object",
    ),
    (
        "duplicate-kustomization",
        "two Flux Kustomizations with one namespace/name",
    ),
    (
        "external-source",
        "a Kustomization whose source is not this repository (not rendered)",
    ),
];

/// Where things are: the repository root and its files.
pub struct CheckContext<'a> {
    pub root: &'a Path,
    pub sources: &'a SourceMap,
}

impl CheckContext<'_> {
    /// A path relative to the root (paths of files read during the render are absolute).
    fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// The file and span of a node read from a file, when it was.
    fn locate(&self, span: Span) -> Option<(PathBuf, Span)> {
        if span.is_none() {
            return None;
        }
        let file = self.sources.get(span.file)?;
        Some((self.relative(&file.path), span))
    }

    /// The exact span of `needle` inside `span` (or the first occurrence in
    /// `fallback_file` when the node has no span: generated objects).
    fn locate_text(
        &self,
        span: Span,
        needle: &str,
        fallback_file: Option<&Path>,
    ) -> Option<(PathBuf, Span)> {
        if !span.is_none() {
            let file = self.sources.get(span.file)?;
            let slice = file
                .text
                .get(span.start as usize..span.end as usize)
                .unwrap_or("");
            let at = slice
                .find(needle)
                .map(|o| {
                    Span::new(
                        span.file,
                        span.start as usize + o,
                        span.start as usize + o + needle.len(),
                    )
                })
                .unwrap_or(span);
            return Some((self.relative(&file.path), at));
        }
        let path = fallback_file?;
        let file = self.sources.load(path).ok()?;
        let o = file.text.find(needle)?;
        Some((self.relative(path), Span::new(file.id, o, o + needle.len())))
    }
}

fn ks_id(k: &KustomizationRun) -> String {
    format!("{}/{}", k.namespace, k.name)
}

fn object_ref(node: &Node) -> ObjectRef {
    let s = |p: &[&str]| node.str_at(p).unwrap_or("").to_string();
    ObjectRef {
        api_version: s(&["apiVersion"]),
        kind: s(&["kind"]),
        namespace: s(&["metadata", "namespace"]),
        name: s(&["metadata", "name"]),
    }
}

/// A diagnostic about a Kustomization, located at its object.
fn about(
    ctx: &CheckContext,
    c: &ClusterRun,
    k: &KustomizationRun,
    rule: &'static str,
    severity: Severity,
    message: String,
) -> Diagnostic {
    let mut d = Diagnostic::new(rule, severity, message)
        .in_cluster(&c.name)
        .for_kustomization(ks_id(k));
    d.object = Some(object_ref(&k.object));
    if let Some((file, span)) = ctx.locate(k.object.span) {
        d = d.at(file, Some(span));
    } else if let Some(file) = &k.file {
        d = d.at(file.clone(), None);
    }
    d
}

/// Options of the checks.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Flux's `--no-cross-namespace-refs`.
    pub no_cross_namespace_refs: bool,
}

/// The summary of a rule id, from every check module's table.
pub fn rule_summary(id: &str) -> Option<String> {
    RULES
        .iter()
        .chain(graph::RULES)
        .chain(fields::RULES)
        .find(|(r, _)| *r == id)
        .map(|(_, s)| s.to_string())
}

/// Runs every check over rendered clusters; findings sorted by file, line, rule.
pub fn check_clusters(
    ctx: &CheckContext,
    clusters: &[ClusterRun],
    options: CheckOptions,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    fields::check_fields(ctx, clusters, &mut out);
    for c in clusters {
        let dependency_graph = DependencyGraph::build(c, ctx.root);
        graph::check_graph(ctx, c, &dependency_graph, &mut out);
        if options.no_cross_namespace_refs {
            graph::check_cross_namespace(ctx, c, &mut out);
        }
        let sources = cluster_sources(c);
        if c.kustomizations
            .iter()
            .any(|k| k.source.starts_with("ExternalArtifact/"))
        {
            out.push(
                Diagnostic::new(
                    "external-artifact-feature-gate",
                    Severity::Info,
                    format!("cluster {} uses ExternalArtifact sources: kustomize-controller must run with --feature-gates=ExternalArtifact=true (off by default)", c.name),
                )
                .in_cluster(&c.name),
            );
        }
        for (generator, message, span) in &c.artifact_errors {
            let mut d = Diagnostic::new(
                "generator-error",
                Severity::Error,
                format!("{generator}: {message}"),
            )
            .in_cluster(&c.name);
            if let Some((file, span)) = ctx.locate(*span) {
                d = d.at(file, Some(span));
            }
            out.push(d);
        }
        for k in &c.kustomizations {
            for (_, message) in &k.generated_notes {
                out.push(about(
                    ctx,
                    c,
                    k,
                    "resourceset-inputs",
                    Severity::Info,
                    message.clone(),
                ));
            }
            for (object, message) in &k.generated_errors {
                out.push(about(
                    ctx,
                    c,
                    k,
                    "generator-error",
                    Severity::Error,
                    format!("{object}: {message}"),
                ));
            }
            render_outcome(ctx, c, k, &sources, &mut out);
            missing_substitution_source(ctx, c, k, &mut out);
            unresolved_variables(ctx, c, k, &mut out);
        }
        duplicate_objects(ctx, c, &mut out);
        duplicate_kustomizations(ctx, c, &mut out);
    }
    // One finding per place: a file shared by several clusters is reported once.
    let mut seen = BTreeSet::new();
    out.retain(|d| {
        seen.insert((
            d.rule,
            d.message.clone(),
            d.location.as_ref().map(|l| (l.file.clone(), l.span)),
        ))
    });
    out.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.span.map(|s| s.start))),
                d.rule,
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// Sources the cluster's render defines (`Kind/namespace/name`), including
/// the ExternalArtifacts ArtifactGenerators produce.
fn cluster_sources(c: &ClusterRun) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for k in &c.kustomizations {
        for o in k.objects() {
            let n = &o.node;
            let kind = n.str_at(&["kind"]).unwrap_or("");
            let ns = n.str_at(&["metadata", "namespace"]).unwrap_or("");
            if matches!(
                kind,
                "GitRepository" | "OCIRepository" | "Bucket" | "ExternalArtifact"
            ) {
                out.insert(format!(
                    "{kind}/{ns}/{}",
                    n.str_at(&["metadata", "name"]).unwrap_or("")
                ));
            }
            if kind == "ArtifactGenerator" {
                for a in n
                    .get_path(&["spec", "artifacts"])
                    .and_then(Node::as_seq)
                    .into_iter()
                    .flatten()
                {
                    out.insert(format!(
                        "ExternalArtifact/{ns}/{}",
                        a.str_at(&["name"]).unwrap_or("")
                    ));
                }
            }
        }
    }
    out
}

fn render_outcome(
    ctx: &CheckContext,
    c: &ClusterRun,
    k: &KustomizationRun,
    sources: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    match &k.outcome {
        Outcome::Failed(RenderError::PathNotFound(path)) => out.push(
            about(
                ctx,
                c,
                k,
                "missing-path",
                Severity::Error,
                format!("spec.path '{path}' does not exist in source {}", k.source),
            )
            .note(format!(
                "looked in {}",
                k.source_dir
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .unwrap_or("the repository root")
            )),
        ),
        Outcome::Failed(RenderError::Substitute { .. }) => {
            // Strict-mode failures are reported per variable (unresolved-variable).
        }
        Outcome::Failed(e) => {
            let mut d = about(
                ctx,
                c,
                k,
                "render-error",
                Severity::Error,
                format!("cannot render {}: {e}", ks_id(k)),
            );
            if let Some(f) = e.file() {
                d = d.related(ctx.relative(f), None, "the error is in this file");
            }
            out.push(d);
        }
        Outcome::Skipped(Skipped::ExternalSource { source, .. }) => {
            if sources.contains(source) {
                out.push(
                    about(ctx, c, k, "external-source", Severity::Info, format!("{} is not rendered: its source {source} is not this repository", ks_id(k)))
                        .note(format!("map it to a local directory with --source {source}=DIR or in .fluxlint.yaml")),
                );
            } else {
                out.push(about(
                    ctx,
                    c,
                    k,
                    "missing-source",
                    Severity::Error,
                    format!("sourceRef {source} names no source of cluster {}", c.name),
                ));
            }
        }
        Outcome::Rendered(_) | Outcome::Skipped(Skipped::Suspended) => {}
    }
}

fn missing_substitution_source(
    ctx: &CheckContext,
    c: &ClusterRun,
    k: &KustomizationRun,
    out: &mut Vec<Diagnostic>,
) {
    for m in &k.variables.missing {
        let mut d = about(
            ctx,
            c,
            k,
            "missing-substitution-source",
            Severity::Error,
            format!(
                "substituteFrom {} {}/{} does not exist in cluster {} (and is not optional)",
                m.kind, k.namespace, m.name, c.name
            ),
        );
        // Point at the entry itself when the object came from a file.
        let entry = k
            .object
            .get_path(&["spec", "postBuild", "substituteFrom"])
            .and_then(Node::as_seq)
            .and_then(|s| {
                s.iter()
                    .find(|e| e.str_at(&["name"]) == Some(m.name.as_str()))
            });
        if let Some((file, span)) = entry.and_then(|e| ctx.locate(e.span)) {
            d = d.at(file, Some(span));
        }
        out.push(d.note("mark it `optional: true`, render it in the cluster, or give its values in .fluxlint.yaml"));
    }
}

fn unresolved_variables(
    ctx: &CheckContext,
    c: &ClusterRun,
    k: &KustomizationRun,
    out: &mut Vec<Diagnostic>,
) {
    let (found, built, strict): (Vec<_>, Vec<_>, bool) = match &k.outcome {
        Outcome::Rendered(r) => (
            r.unresolved.clone(),
            r.built.clone(),
            k.variables.substitution.strict,
        ),
        Outcome::Failed(RenderError::Substitute {
            unresolved, file, ..
        }) => {
            let fake: Vec<_> = unresolved.iter().map(|u| (usize::MAX, u.clone())).collect();
            let _ = file;
            (fake, Vec::new(), true)
        }
        _ => return,
    };
    let mut searched: Vec<String> = k
        .variables
        .inline_keys
        .iter()
        .map(|key| format!("substitute.{key}"))
        .collect();
    searched.extend(
        k.variables
            .from
            .iter()
            .map(|f| format!("{} {}/{}", f.kind, k.namespace, f.name)),
    );
    let where_from = if searched.is_empty() {
        "no variables are defined".to_string()
    } else {
        format!("values come from {}", searched.join(", "))
    };
    let mut reported = BTreeSet::new();
    for (i, u) in found {
        let fallback = built.get(i).and_then(|o| o.file.clone());
        let location = ctx.locate_text(u.scalar_span, &u.text, fallback.as_deref());
        let key = (u.name.clone(), location.clone());
        if !reported.insert(key) {
            continue;
        }
        let severity = if strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        let effect = if strict {
            "fails the Kustomization (strict substitution)"
        } else {
            "becomes an empty string"
        };
        let mut d = Diagnostic::new(
            "unresolved-variable",
            severity,
            format!("variable {} is not set: {} {effect}", u.name, u.text),
        )
        .in_cluster(&c.name)
        .for_kustomization(ks_id(k))
        .note(format!("{where_from} (Kustomization {})", ks_id(k)))
        .note("give it a default (`${NAME:=value}`), or define it in postBuild.substitute or a substituteFrom object");
        if let Some(o) = built.get(i) {
            d.object = Some(object_ref(&o.node));
        }
        if let Some((file, span)) = location {
            d = d.at(file, Some(span));
        }
        if let Some((file, span)) = ctx.locate(k.object.span) {
            d = d.related(
                file,
                Some(span),
                format!("substituted by Kustomization {}", ks_id(k)),
            );
        }
        out.push(d);
    }
}

fn duplicate_objects(ctx: &CheckContext, c: &ClusterRun, out: &mut Vec<Diagnostic>) {
    let mut owners: BTreeMap<(String, String, String, String), Vec<&KustomizationRun>> =
        BTreeMap::new();
    for k in &c.kustomizations {
        for o in k.objects() {
            let n = &o.node;
            let group = n
                .str_at(&["apiVersion"])
                .unwrap_or("")
                .split('/')
                .rev()
                .nth(1)
                .unwrap_or("")
                .to_string();
            let key = (
                group,
                n.str_at(&["kind"]).unwrap_or("").to_string(),
                n.str_at(&["metadata", "namespace"])
                    .unwrap_or("")
                    .to_string(),
                n.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
            );
            let list = owners.entry(key).or_default();
            if !list.iter().any(|x| std::ptr::eq(*x, k)) {
                list.push(k);
            }
        }
    }
    for ((_, kind, ns, name), ks) in owners {
        if ks.len() < 2 {
            continue;
        }
        let names: Vec<String> = ks.iter().map(|k| ks_id(k)).collect();
        let shown = if ns.is_empty() {
            format!("{kind} {name}")
        } else {
            format!("{kind} {ns}/{name}")
        };
        let mut d = about(
            ctx,
            c,
            ks[1],
            "duplicate-object",
            Severity::Error,
            format!("{shown} is applied by {} Kustomizations: {}", ks.len(), names.join(", ")),
        )
        .note("the Kustomizations fight over the object: each apply overwrites the other and pruning one deletes it");
        for k in &ks[..1] {
            if let Some((file, span)) = ctx.locate(k.object.span) {
                d = d.related(file, Some(span), format!("also applied by {}", ks_id(k)));
            }
        }
        out.push(d);
    }
}

fn duplicate_kustomizations(ctx: &CheckContext, c: &ClusterRun, out: &mut Vec<Diagnostic>) {
    for (node, file, parent) in &c.duplicates {
        let ns = node.str_at(&["metadata", "namespace"]).unwrap_or("default");
        let name = node.str_at(&["metadata", "name"]).unwrap_or("");
        let mut d = Diagnostic::new(
            "duplicate-kustomization",
            Severity::Error,
            format!("Flux Kustomization {ns}/{name} is defined twice in cluster {} (the second one, applied by {}/{}, is not rendered)", c.name, parent.0, parent.1),
        )
        .in_cluster(&c.name)
        .for_kustomization(format!("{ns}/{name}"));
        d.object = Some(object_ref(node));
        if let Some((f, span)) = ctx.locate(node.span) {
            d = d.at(f, Some(span));
        } else if let Some(f) = file {
            d = d.at(f.clone(), None);
        }
        if let Some(first) = c
            .kustomizations
            .iter()
            .find(|k| k.namespace == ns && k.name == name)
        {
            if let Some((f, span)) = ctx.locate(first.object.span) {
                d = d.related(f, Some(span), "first defined here");
            }
        }
        out.push(d);
    }
}
