//! The `dependsOn` graph of one cluster (flux-semantics.md §6).
//!
//! Nodes are the cluster's Flux Kustomizations (every one the walk met,
//! rendered or not) and the HelmReleases among the rendered objects. Edges
//! go from a dependent to its dependency, as `dependsOn` reads: a
//! Kustomization waits for Kustomizations, a HelmRelease for HelmReleases,
//! and a dependency's namespace defaults to the dependent's own
//! (`checkDependencies` in both controllers).
//!
//! Neither controller looks for cycles: a cycle, or an object depending on
//! itself, simply never becomes ready, nor does anything that waits for it.
//! The graph therefore reports cycles ([`DependencyGraph::cycles`]) and
//! leaves their members and everything downstream out of the apply waves
//! ([`DependencyGraph::waves`]). Other findings are plain data for the
//! diagnostics: dependencies that name nothing ([`DependencyGraph::missing`]),
//! on suspended objects ([`DependencyGraph::suspended_dependencies`]), and
//! `readyExpr`s Flux would refuse ([`DependencyGraph::invalid_ready_exprs`]).
//!
//! Nodes are kept sorted by kind, namespace and name, so every listing and
//! every rendering ([`output`]) is deterministic.

pub mod cel;
mod cycles;
pub mod output;

use super::{ClusterRun, KustomizationRun, Outcome};
use crate::flux::model::suggest::did_you_mean;
use crate::flux::render::RenderedObject;
use crate::source::Span;
use crate::yaml::{Node, Value};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The kinds that take part in `dependsOn`; ordered by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    HelmRelease,
    Kustomization,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::HelmRelease => "HelmRelease",
            NodeKind::Kustomization => "Kustomization",
        }
    }
}

/// A node's identity: kind, namespace (defaults applied) and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId {
    pub kind: NodeKind,
    pub namespace: String,
    pub name: String,
}

impl NodeId {
    pub fn new(kind: NodeKind, namespace: impl Into<String>, name: impl Into<String>) -> NodeId {
        NodeId {
            kind,
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// `namespace/name`, as Flux names a dependency in its messages.
    pub fn namespaced_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// `Kind/namespace/name`.
impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.kind.as_str(), self.namespace, self.name)
    }
}

/// One `dependsOn` entry as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    /// What it names, the namespace defaulted to the dependent's.
    pub target: NodeId,
    /// The entry (the list item); [`Span::NONE`] for a generated object.
    pub span: Span,
    pub ready_expr: Option<ReadyExpr>,
}

/// A `readyExpr` and the span of its value.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadyExpr {
    pub text: String,
    pub span: Span,
}

/// A Kustomization or HelmRelease of the cluster.
#[derive(Clone, Debug)]
pub struct GraphNode {
    pub id: NodeId,
    /// The file it was written in, relative to the repository root.
    pub file: Option<PathBuf>,
    /// The object's span.
    pub span: Span,
    /// `spec.suspend: true`.
    pub suspended: bool,
    /// The Kustomization that applies it (`None` for the cluster's entry).
    pub applied_by: Option<NodeId>,
    /// `spec.dependsOn` in written order (entries without a string `name`
    /// are left out: the API server refuses them).
    pub dependencies: Vec<Dependency>,
}

/// A `dependsOn` entry located for a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct DependsOnEntry {
    pub dependent: NodeId,
    pub dependency: NodeId,
    /// The dependent's file, relative to the repository root.
    pub file: Option<PathBuf>,
    /// The entry's span.
    pub span: Span,
}

/// A set of objects that wait for each other (a strongly connected
/// component of more than one node, or a node depending on itself).
#[derive(Clone, Debug, PartialEq)]
pub struct Cycle {
    /// Every member once, in the order the loop meets them, starting at the
    /// smallest (kind, namespace, name).
    pub members: Vec<NodeId>,
    /// The loop as `dependsOn` entries: each entry's dependency is the next
    /// entry's dependent, and the last leads back to the first member. A
    /// plain cycle has one entry per member; a tangle of loops is walked so
    /// that every member is on it (a member may then appear twice).
    pub entries: Vec<DependsOnEntry>,
}

/// A dependency that names no object of its kind in the cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingDependency {
    pub entry: DependsOnEntry,
    /// An object of the same kind with the same name in another namespace,
    /// else the nearest `namespace/name` (see `suggest::did_you_mean`).
    pub suggestion: Option<NodeId>,
    /// An object of the other kind with this namespace and name (a
    /// HelmRelease that names a Kustomization, or the other way round).
    pub other_kind: Option<NodeId>,
    /// Some Kustomization of the cluster was not rendered (failed, suspended,
    /// external source): the dependency may be among its objects.
    pub incomplete: bool,
}

/// A `readyExpr` that Flux would refuse to compile.
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidReadyExpr {
    pub entry: DependsOnEntry,
    pub expr: ReadyExpr,
    /// cel-go's message (see [`cel::CelSyntax::Invalid`]).
    pub message: String,
}

/// Apply waves: the order in which the objects can become ready.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Waves {
    /// Wave 0 depends on nothing; wave n on objects of waves < n, at least
    /// one of wave n - 1. Each wave sorted.
    pub levels: Vec<Vec<NodeId>>,
    /// Members of cycles (never ready), sorted.
    pub cyclic: Vec<NodeId>,
    /// Objects that wait, directly or not, for a cycle member, sorted.
    pub blocked: Vec<NodeId>,
}

/// The `dependsOn` graph of one cluster (see the module documentation).
#[derive(Clone, Debug)]
pub struct DependencyGraph {
    /// Sorted by id; `nodes[i]` is the graph's node `i`.
    nodes: Vec<GraphNode>,
    /// Edge weight: the index of the entry in the dependent's `dependencies`
    /// (the first one when an object names the same dependency twice).
    graph: DiGraph<(), usize>,
    /// Whether every Kustomization of the cluster was rendered.
    complete: bool,
    cycles: Vec<Cycle>,
    /// Per node: its wave, `None` for cycle members and blocked objects.
    wave: Vec<Option<usize>>,
    cyclic: Vec<bool>,
}

impl DependencyGraph {
    /// Builds the graph of `cluster`; `root` is the repository root the
    /// cluster was rendered from (rendered objects' files are made relative
    /// to it). An object met twice keeps its first declaration.
    pub fn build(cluster: &ClusterRun, root: &Path) -> DependencyGraph {
        let mut found: BTreeMap<NodeId, GraphNode> = BTreeMap::new();
        for run in &cluster.kustomizations {
            let node = kustomization_node(run);
            found.entry(node.id.clone()).or_insert(node);
        }
        for run in &cluster.kustomizations {
            let applied_by = NodeId::new(NodeKind::Kustomization, &run.namespace, &run.name);
            for object in run.objects() {
                if let Some(node) = helm_release_node(object, root, &applied_by) {
                    found.entry(node.id.clone()).or_insert(node);
                }
            }
        }
        let complete = cluster
            .kustomizations
            .iter()
            .all(|k| matches!(k.outcome, Outcome::Rendered(_)));
        DependencyGraph::from_nodes(found.into_values().collect(), complete)
    }

    /// The graph of `nodes` (any order; ids must be unique).
    /// `complete`: whether the nodes are all the cluster holds.
    pub fn from_nodes(mut nodes: Vec<GraphNode>, complete: bool) -> DependencyGraph {
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes.dedup_by(|b, a| a.id == b.id);
        let mut graph: DiGraph<(), usize> = DiGraph::with_capacity(nodes.len(), nodes.len());
        for _ in &nodes {
            graph.add_node(());
        }
        for (from, node) in nodes.iter().enumerate() {
            for (i, dep) in node.dependencies.iter().enumerate() {
                if let Ok(to) = nodes.binary_search_by(|n| n.id.cmp(&dep.target)) {
                    let (a, b) = (NodeIndex::new(from), NodeIndex::new(to));
                    if graph.find_edge(a, b).is_none() {
                        graph.add_edge(a, b, i);
                    }
                }
            }
        }
        let mut g = DependencyGraph {
            nodes,
            graph,
            complete,
            cycles: Vec::new(),
            wave: Vec::new(),
            cyclic: Vec::new(),
        };
        g.analyse();
        g
    }

    /// Every node, sorted by kind, namespace and name.
    pub fn nodes(&self) -> &[GraphNode] {
        &self.nodes
    }

    pub fn node(&self, id: &NodeId) -> Option<&GraphNode> {
        self.index_of(id).map(|i| &self.nodes[i.index()])
    }

    /// The dependencies that exist, as (dependent, dependency), sorted;
    /// one per pair even when an object names a dependency twice.
    pub fn edges(&self) -> Vec<(&NodeId, &NodeId)> {
        let mut edges: Vec<(&NodeId, &NodeId)> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (&self.nodes[a.index()].id, &self.nodes[b.index()].id))
            .collect();
        edges.sort();
        edges
    }

    /// The wave of a node: `None` for a cycle member, an object blocked by
    /// one, or an id the graph does not have.
    pub fn wave_of(&self, id: &NodeId) -> Option<usize> {
        self.index_of(id).and_then(|i| self.wave[i.index()])
    }

    /// Every cycle, ordered by its first member.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// Every dependency that names nothing in the cluster, in node order.
    pub fn missing(&self) -> Vec<MissingDependency> {
        let mut out = Vec::new();
        for node in &self.nodes {
            for dep in &node.dependencies {
                if self.index_of(&dep.target).is_some() {
                    continue;
                }
                let other_kind = self
                    .nodes
                    .iter()
                    .find(|n| {
                        n.id.kind != dep.target.kind
                            && n.id.namespace == dep.target.namespace
                            && n.id.name == dep.target.name
                    })
                    .map(|n| n.id.clone());
                out.push(MissingDependency {
                    entry: self.entry(node, dep),
                    suggestion: self.suggestion(&dep.target),
                    other_kind,
                    incomplete: !self.complete,
                });
            }
        }
        out
    }

    /// Every dependency on a suspended object, in node order.
    pub fn suspended_dependencies(&self) -> Vec<DependsOnEntry> {
        let mut out = Vec::new();
        for node in &self.nodes {
            for dep in &node.dependencies {
                if self.node(&dep.target).is_some_and(|n| n.suspended) {
                    out.push(self.entry(node, dep));
                }
            }
        }
        out
    }

    /// Every `readyExpr` that fails Flux's compile step, in node order.
    /// Each expression is parsed once per call.
    pub fn invalid_ready_exprs(&self) -> Vec<InvalidReadyExpr> {
        let mut out = Vec::new();
        for node in &self.nodes {
            for dep in &node.dependencies {
                let Some(expr) = &dep.ready_expr else {
                    continue;
                };
                if let cel::CelSyntax::Invalid(message) = cel::check_ready_expr(&expr.text) {
                    out.push(InvalidReadyExpr {
                        entry: self.entry(node, dep),
                        expr: expr.clone(),
                        message,
                    });
                }
            }
        }
        out
    }

    /// The apply waves (see [`Waves`]). A dependency that names nothing
    /// does not hold its dependent back here: something the render cannot
    /// see may provide it, and [`DependencyGraph::missing`] reports it.
    pub fn waves(&self) -> Waves {
        let mut waves = Waves::default();
        for (i, node) in self.nodes.iter().enumerate() {
            match self.wave[i] {
                Some(level) => {
                    if waves.levels.len() <= level {
                        waves.levels.resize_with(level + 1, Vec::new);
                    }
                    waves.levels[level].push(node.id.clone());
                }
                None if self.cyclic[i] => waves.cyclic.push(node.id.clone()),
                None => waves.blocked.push(node.id.clone()),
            }
        }
        waves
    }

    fn index_of(&self, id: &NodeId) -> Option<NodeIndex> {
        self.nodes
            .binary_search_by(|n| n.id.cmp(id))
            .ok()
            .map(NodeIndex::new)
    }

    fn entry(&self, node: &GraphNode, dep: &Dependency) -> DependsOnEntry {
        DependsOnEntry {
            dependent: node.id.clone(),
            dependency: dep.target.clone(),
            file: node.file.clone(),
            span: dep.span,
        }
    }

    /// The entry behind the edge `from` → `to` (which must exist).
    fn edge_entry(&self, from: NodeIndex, to: NodeIndex) -> DependsOnEntry {
        let node = &self.nodes[from.index()];
        let i = self.graph.find_edge(from, to).map_or(0, |e| self.graph[e]);
        match node.dependencies.get(i) {
            Some(dep) => self.entry(node, dep),
            None => DependsOnEntry {
                dependent: node.id.clone(),
                dependency: self.nodes[to.index()].id.clone(),
                file: node.file.clone(),
                span: Span::NONE,
            },
        }
    }

    fn suggestion(&self, missing: &NodeId) -> Option<NodeId> {
        let same_kind = || self.nodes.iter().filter(|n| n.id.kind == missing.kind);
        if let Some(n) = same_kind().find(|n| n.id.name == missing.name) {
            return Some(n.id.clone());
        }
        let names: Vec<String> = same_kind().map(|n| n.id.namespaced_name()).collect();
        let near = did_you_mean(&missing.namespaced_name(), names.iter().map(String::as_str))?;
        let (namespace, name) = near.split_once('/')?;
        Some(NodeId::new(missing.kind, namespace, name))
    }

    /// Cycles and waves, from the strongly connected components.
    fn analyse(&mut self) {
        let n = self.nodes.len();
        self.cyclic = vec![false; n];
        self.wave = vec![None; n];
        let mut blocked = vec![false; n];
        // Components come dependencies first (tarjan_scc lists them in
        // postorder), so each node's dependencies are settled before it.
        for component in tarjan_scc(&self.graph) {
            let looped =
                component.len() > 1 || self.graph.find_edge(component[0], component[0]).is_some();
            if looped {
                for i in &component {
                    self.cyclic[i.index()] = true;
                }
                let cycle = self.walk_cycle(&component);
                self.cycles.push(cycle);
                continue;
            }
            let i = component[0];
            let mut level = 0;
            for dep in self.graph.neighbors_directed(i, Direction::Outgoing) {
                if self.cyclic[dep.index()] || blocked[dep.index()] {
                    blocked[i.index()] = true;
                }
                if let Some(l) = self.wave[dep.index()] {
                    level = level.max(l + 1);
                }
            }
            if !blocked[i.index()] {
                self.wave[i.index()] = Some(level);
            }
        }
        self.cycles.sort_by(|a, b| a.members.cmp(&b.members));
    }
}

fn kustomization_node(run: &KustomizationRun) -> GraphNode {
    GraphNode {
        id: NodeId::new(NodeKind::Kustomization, &run.namespace, &run.name),
        file: run.file.clone(),
        span: run.object.span,
        suspended: is_suspended(&run.object),
        applied_by: run
            .parent
            .as_ref()
            .map(|(ns, name)| NodeId::new(NodeKind::Kustomization, ns, name)),
        dependencies: dependencies(&run.object, NodeKind::Kustomization, &run.namespace),
    }
}

/// A node for `object` when it is a HelmRelease. Without a namespace it
/// lands in `default`, as the walk places Kustomizations.
fn helm_release_node(
    object: &RenderedObject,
    root: &Path,
    applied_by: &NodeId,
) -> Option<GraphNode> {
    let node = &object.node;
    let helm = node
        .str_at(&["apiVersion"])
        .is_some_and(|v| v.starts_with("helm.toolkit.fluxcd.io/"));
    if !helm || node.str_at(&["kind"]) != Some("HelmRelease") {
        return None;
    }
    let namespace = match node.str_at(&["metadata", "namespace"]) {
        Some(ns) if !ns.is_empty() => ns,
        _ => "default",
    };
    let name = node.str_at(&["metadata", "name"]).unwrap_or("");
    Some(GraphNode {
        id: NodeId::new(NodeKind::HelmRelease, namespace, name),
        file: object
            .file
            .as_ref()
            .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf()),
        span: node.span,
        suspended: is_suspended(node),
        applied_by: Some(applied_by.clone()),
        dependencies: dependencies(node, NodeKind::HelmRelease, namespace),
    })
}

fn is_suspended(object: &Node) -> bool {
    matches!(
        object.get_path(&["spec", "suspend"]).map(|n| &n.value),
        Some(Value::Bool(true))
    )
}

/// `spec.dependsOn` of an object of `kind` in `namespace`.
fn dependencies(object: &Node, kind: NodeKind, namespace: &str) -> Vec<Dependency> {
    let Some(entries) = object
        .get_path(&["spec", "dependsOn"])
        .and_then(Node::as_seq)
    else {
        return Vec::new();
    };
    let non_empty = |n: &Node| n.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    entries
        .iter()
        .filter_map(|entry| {
            let name = entry.get("name")?.as_str()?;
            let dep_namespace = entry
                .get("namespace")
                .and_then(non_empty)
                .unwrap_or_else(|| namespace.to_string());
            let ready_expr = entry
                .get("readyExpr")
                .and_then(|n| non_empty(n).map(|text| ReadyExpr { text, span: n.span }));
            Some(Dependency {
                target: NodeId::new(kind, dep_namespace, name),
                span: entry.span,
                ready_expr,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
