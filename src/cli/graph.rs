//! `fluxlint graph [REPO]`: each cluster's dependsOn graph with its apply
//! waves, as Mermaid, Graphviz DOT or JSON.

use super::repo::{self, RepoArgs};
use crate::cluster::graph::DependencyGraph;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// mermaid, dot or json.
    #[arg(long, default_value = "mermaid", value_parser = ["mermaid", "dot", "json"])]
    pub format: String,
}

#[allow(clippy::print_stderr)]
pub fn run(args: &Args) -> i32 {
    let repo = match repo::open(&args.repo) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let clusters = repo.render();
    if clusters.is_empty() {
        eprintln!("Error: no cluster found in {}", repo.root.display());
        return 2;
    }
    let mut text = String::new();
    let mut json = serde_json::Map::new();
    for c in &clusters {
        let graph = DependencyGraph::build(c, &repo.root);
        match args.format.as_str() {
            "json" => {
                json.insert(c.name.clone(), graph.to_json());
            }
            "dot" => {
                text.push_str(&format!("// cluster {}\n", c.name));
                text.push_str(&graph.to_dot());
            }
            _ => {
                text.push_str(&format!("%% cluster {}\n", c.name));
                text.push_str(&graph.to_mermaid());
            }
        }
    }
    if args.format == "json" {
        text = serde_json::to_string_pretty(&serde_json::Value::Object(json)).unwrap_or_default();
        text.push('\n');
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("Error: writing output: {e}");
            2
        }
        _ => 0,
    }
}
