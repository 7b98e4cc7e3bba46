//! `fluxlint graph`: a cluster's dependency graph as Mermaid, Graphviz DOT
//! or JSON.
//!
//! Every format draws edges the way `dependsOn` reads, from the dependent
//! to its dependency; the diagrams lay them out right to left, so that
//! wave 0 stands at the left and reading left to right follows the apply
//! order. Dependencies that name nothing appear as dashed nodes, cycle
//! members in red, suspended objects dashed. Nodes come sorted by kind,
//! namespace and name, edges by their ends, so the text is deterministic.

use super::{DependencyGraph, NodeId};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write;

impl DependencyGraph {
    /// A Mermaid flowchart.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart RL\n");
        for (i, node) in self.nodes.iter().enumerate() {
            let _ = writeln!(out, "  n{i}[\"{}\"]", mermaid_label(&node.id));
        }
        let missing = self.missing_targets();
        for (i, id) in missing.iter().enumerate() {
            let _ = writeln!(out, "  m{i}[\"{}\"]", mermaid_label(id));
        }
        for (from, to) in self.edge_indices() {
            let _ = writeln!(out, "  n{from} --> n{to}");
        }
        for (from, to) in self.missing_edges(&missing) {
            let _ = writeln!(out, "  n{from} -.-> m{to}");
        }
        let classes = [
            (
                "cycle",
                "stroke:#d00,stroke-width:2px",
                self.cycle_members(),
            ),
            (
                "suspended",
                "stroke-dasharray:5 5",
                self.suspended_members(),
            ),
        ];
        for (class, style, members) in classes {
            if members.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  classDef {class} {style}");
            let names: Vec<String> = members.iter().map(|i| format!("n{i}")).collect();
            let _ = writeln!(out, "  class {} {class}", names.join(","));
        }
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "  classDef missing stroke:#d00,stroke-dasharray:3 3,color:#d00"
            );
            let names: Vec<String> = (0..missing.len()).map(|i| format!("m{i}")).collect();
            let _ = writeln!(out, "  class {} missing", names.join(","));
        }
        out
    }

    /// A Graphviz digraph.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph dependencies {\n  rankdir=RL;\n  node [shape=box];\n");
        let cyclic: BTreeSet<usize> = self.cycle_members().into_iter().collect();
        for (i, node) in self.nodes.iter().enumerate() {
            let mut attributes = vec![format!("label={}", dot_label(&node.id))];
            if cyclic.contains(&i) {
                attributes.push("color=red".into());
            }
            if node.suspended {
                attributes.push("style=dashed".into());
            }
            let _ = writeln!(
                out,
                "  {} [{}];",
                dot_quote(&node.id.to_string()),
                attributes.join(", ")
            );
        }
        let missing = self.missing_targets();
        for id in &missing {
            let _ = writeln!(
                out,
                "  {} [label={}, style=dashed, color=red, fontcolor=red];",
                dot_quote(&id.to_string()),
                dot_label(id)
            );
        }
        for (from, to) in self.edge_indices() {
            let _ = writeln!(
                out,
                "  {} -> {};",
                dot_quote(&self.nodes[from].id.to_string()),
                dot_quote(&self.nodes[to].id.to_string())
            );
        }
        for (from, to) in self.missing_edges(&missing) {
            let _ = writeln!(
                out,
                "  {} -> {} [style=dashed, color=red];",
                dot_quote(&self.nodes[from].id.to_string()),
                dot_quote(&missing[to].to_string())
            );
        }
        out.push_str("}\n");
        out
    }

    /// `{"nodes": [{"id", "kind", "namespace", "name", "file", "wave",
    /// "suspended"}], "edges": [{"from", "to"}], "missing": [{"from", "to"}],
    /// "cycles": [[id, ...]]}`; ids are `Kind/namespace/name`, an edge goes
    /// from the dependent to its dependency, `wave` is null for cycle
    /// members and what waits for them, and each cycle lists its members in
    /// loop order.
    pub fn to_json(&self) -> Value {
        let nodes: Vec<Value> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                json!({
                    "id": n.id.to_string(),
                    "kind": n.id.kind.as_str(),
                    "namespace": n.id.namespace,
                    "name": n.id.name,
                    "file": n.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
                    "wave": self.wave[i],
                    "suspended": n.suspended,
                })
            })
            .collect();
        let edges: Vec<Value> = self
            .edge_indices()
            .into_iter()
            .map(|(from, to)| {
                json!({
                    "from": self.nodes[from].id.to_string(),
                    "to": self.nodes[to].id.to_string(),
                })
            })
            .collect();
        let missing = self.missing_targets();
        let missing: Vec<Value> = self
            .missing_edges(&missing)
            .into_iter()
            .map(|(from, to)| {
                json!({
                    "from": self.nodes[from].id.to_string(),
                    "to": missing[to].to_string(),
                })
            })
            .collect();
        let cycles: Vec<Value> = self
            .cycles
            .iter()
            .map(|c| {
                json!(c
                    .members
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>())
            })
            .collect();
        json!({
            "nodes": nodes,
            "edges": edges,
            "missing": missing,
            "cycles": cycles,
        })
    }

    /// Existing edges as (dependent, dependency) node positions, sorted.
    fn edge_indices(&self) -> Vec<(usize, usize)> {
        let mut edges: Vec<(usize, usize)> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (a.index(), b.index()))
            .collect();
        edges.sort_unstable();
        edges
    }

    /// The ids that dependencies name but the graph lacks, sorted.
    fn missing_targets(&self) -> Vec<NodeId> {
        let set: BTreeSet<&NodeId> = self
            .nodes
            .iter()
            .flat_map(|n| &n.dependencies)
            .map(|d| &d.target)
            .filter(|t| self.index_of(t).is_none())
            .collect();
        set.into_iter().cloned().collect()
    }

    /// Edges to missing ids as (dependent position, position in `missing`).
    fn missing_edges(&self, missing: &[NodeId]) -> Vec<(usize, usize)> {
        let mut edges = BTreeSet::new();
        for (i, node) in self.nodes.iter().enumerate() {
            for dep in &node.dependencies {
                if let Ok(m) = missing.binary_search(&dep.target) {
                    edges.insert((i, m));
                }
            }
        }
        edges.into_iter().collect()
    }

    fn cycle_members(&self) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&i| self.cyclic[i]).collect()
    }

    fn suspended_members(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].suspended)
            .collect()
    }
}

/// `Kind<br/>namespace/name`, with the characters Mermaid reads as markup
/// written as entities.
fn mermaid_label(id: &NodeId) -> String {
    let escape = |s: &str| {
        s.replace('&', "#amp;")
            .replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
    };
    format!("{}<br/>{}", id.kind.as_str(), escape(&id.namespaced_name()))
}

/// `"Kind\nnamespace/name"` as a DOT string.
fn dot_label(id: &NodeId) -> String {
    let quoted = dot_quote(&id.namespaced_name());
    format!("\"{}\\n{}", id.kind.as_str(), &quoted[1..])
}

/// A DOT double-quoted string.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}
