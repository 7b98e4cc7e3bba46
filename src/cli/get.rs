//! `fluxlint get kustomizations` (alias `get ks`): each cluster's Flux
//! Kustomizations with their path, source, dependsOn and object count.

use super::render::report_walk;
use super::repo::{self, RepoArgs};
use crate::cluster::{Outcome, Skipped};
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
}

pub fn run(args: &Args) -> i32 {
    let repo = match repo::open(&args.repo) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let clusters = repo.render();
    let mut rows = vec![[
        "CLUSTER",
        "NAMESPACE",
        "NAME",
        "PATH",
        "SOURCE",
        "DEPENDS-ON",
        "OBJECTS",
    ]
    .map(String::from)];
    for c in &clusters {
        for k in &c.kustomizations {
            let deps: Vec<String> = k
                .depends_on()
                .iter()
                .map(|(ns, n)| {
                    if *ns == k.namespace {
                        n.clone()
                    } else {
                        format!("{ns}/{n}")
                    }
                })
                .collect();
            let objects = match &k.outcome {
                Outcome::Rendered(r) => r.objects.len().to_string(),
                Outcome::Failed(_) => "error".to_string(),
                Outcome::Skipped(Skipped::Suspended) => "suspended".to_string(),
                Outcome::Skipped(Skipped::ExternalSource { .. }) => "external".to_string(),
            };
            rows.push([
                c.name.clone(),
                k.namespace.clone(),
                k.name.clone(),
                k.path().to_string(),
                k.source.clone(),
                if deps.is_empty() {
                    "-".into()
                } else {
                    deps.join(",")
                },
                objects,
            ]);
        }
    }
    let widths: Vec<usize> = (0..7)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, cell)| format!("{cell:<w$}", w = widths[i]))
            .collect();
        text.push_str(line.join("  ").trim_end());
        text.push('\n');
    }
    let failed = report_walk(&clusters, &mut std::io::sink());
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    i32::from(failed)
}
