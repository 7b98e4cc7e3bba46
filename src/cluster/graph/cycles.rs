//! Ordering a cycle along its loop, for a message that reads as the loop
//! does (`a → c → b → a`) whatever order the objects were declared in.

use super::{Cycle, DependencyGraph};
use petgraph::graph::NodeIndex;
use petgraph::Direction;
use std::collections::{BTreeMap, HashSet, VecDeque};

impl DependencyGraph {
    /// Orders a component along a loop: from its smallest member, go to the
    /// nearest member not yet met (breadth first, smaller ids first) until
    /// all are met, then back to the start.
    pub(super) fn walk_cycle(&self, component: &[NodeIndex]) -> Cycle {
        let inside: HashSet<NodeIndex> = component.iter().copied().collect();
        let start = component.iter().copied().min().unwrap_or(NodeIndex::new(0));
        let mut walk = vec![start];
        let mut met: HashSet<NodeIndex> = HashSet::from([start]);
        let mut at = start;
        while met.len() < inside.len() {
            let Some(path) = self.shortest_path(at, &inside, |n| !met.contains(&n)) else {
                break;
            };
            for &step in &path[1..] {
                met.insert(step);
                walk.push(step);
            }
            at = *path.last().unwrap_or(&at);
        }
        if component.len() == 1 {
            walk.push(start);
        } else if let Some(back) = self.shortest_path(at, &inside, |n| n == start) {
            walk.extend(&back[1..]);
        }
        let mut members = Vec::new();
        let mut seen = HashSet::new();
        for i in &walk {
            if seen.insert(*i) {
                members.push(self.nodes[i.index()].id.clone());
            }
        }
        let entries = walk
            .windows(2)
            .map(|pair| self.edge_entry(pair[0], pair[1]))
            .collect();
        Cycle { members, entries }
    }

    /// The shortest path (by edges, within `inside`) from `from` to a node
    /// other than `from` that satisfies `goal`; successors in id order.
    fn shortest_path(
        &self,
        from: NodeIndex,
        inside: &HashSet<NodeIndex>,
        goal: impl Fn(NodeIndex) -> bool,
    ) -> Option<Vec<NodeIndex>> {
        let mut previous: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        let mut queue = VecDeque::from([from]);
        while let Some(at) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = self
                .graph
                .neighbors_directed(at, Direction::Outgoing)
                .filter(|n| inside.contains(n))
                .collect();
            next.sort();
            for n in next {
                if n == from || previous.contains_key(&n) {
                    if n == from && goal(n) {
                        previous.insert(n, at);
                        return Some(path_to(from, n, &previous));
                    }
                    continue;
                }
                previous.insert(n, at);
                if goal(n) {
                    return Some(path_to(from, n, &previous));
                }
                queue.push_back(n);
            }
        }
        None
    }
}

/// The path from `from` to `to` recorded in `previous`.
fn path_to(
    from: NodeIndex,
    to: NodeIndex,
    previous: &BTreeMap<NodeIndex, NodeIndex>,
) -> Vec<NodeIndex> {
    let mut path = vec![to];
    let mut at = to;
    while let Some(&p) = previous.get(&at) {
        path.push(p);
        if p == from {
            break;
        }
        at = p;
    }
    path.reverse();
    path
}
