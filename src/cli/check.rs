//! `fluxlint check [REPO]`: render every cluster like `render`, then report
//! what is wrong, pointing at the line to fix. Exit code 0 when nothing is at
//! or above `--fail-on`, 1 when something is, 2 when fluxlint could not run.

use super::repo::{self, RepoArgs};
use crate::check::{self, CheckContext, CheckOptions};
use crate::diag::{Severity, Summary};
use crate::report::{write_report, Format, ReportContext};
use std::io::{IsTerminal, Write};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Output: human, json, sarif (SARIF 2.1.0) or github (workflow commands).
    #[arg(long, default_value = "human")]
    pub format: Format,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, default_value = "error", value_parser = ["error", "warning", "info"])]
    pub fail_on: String,
    /// Refuse sourceRefs into another namespace, as Flux's flag of that name does.
    #[arg(long)]
    pub no_cross_namespace_refs: bool,
}

#[allow(clippy::print_stderr)]
pub fn run(args: &Args) -> i32 {
    let repo = match repo::open(&args.repo) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let clusters = repo.render();
    if clusters.is_empty() {
        eprintln!(
            "Error: no cluster found in {} (add one to .fluxlint.yaml, or give a path with --path)",
            repo.root.display()
        );
        return 2;
    }
    let ctx = CheckContext {
        root: &repo.root,
        sources: &repo.sources,
    };
    let options = CheckOptions {
        no_cross_namespace_refs: args.no_cross_namespace_refs,
    };
    let diagnostics = check::check_clusters(&ctx, &clusters, options);
    let summary = Summary {
        clusters: clusters.len(),
        kustomizations: clusters.iter().map(|c| c.kustomizations.len()).sum(),
        objects: clusters.iter().map(|c| c.object_count()).sum(),
    };
    let color = args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let rule_summary = check::rule_summary;
    let report = ReportContext::new(&repo.root, &repo.sources, &summary)
        .with_color(color)
        .with_rule_summaries(&rule_summary);
    let mut out = std::io::stdout().lock();
    if let Err(e) =
        write_report(args.format, &mut out, &diagnostics, &report).and_then(|_| out.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("Error: writing the report: {e}");
            return 2;
        }
    }
    let threshold = match args.fail_on.as_str() {
        "info" => Severity::Info,
        "warning" => Severity::Warning,
        _ => Severity::Error,
    };
    i32::from(diagnostics.iter().any(|d| d.severity >= threshold))
}
