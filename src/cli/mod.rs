//! Command-line arguments (clap) and the commands they run. Only this module
//! and `main.rs` print.

pub mod build_kustomization;
pub mod build_resourceset;
pub mod check;
pub mod envsubst;
pub mod get;
pub mod graph;
pub mod kustomize_build;
pub mod render;
pub mod repo;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "fluxlint",
    version,
    about = "Render and check Flux CD fleet repositories offline"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// kustomize, natively (no external binary).
    Kustomize {
        #[command(subcommand)]
        command: KustomizeCommand,
    },
    /// Build one Flux Kustomization (from the repository, or like `flux build ks`).
    Build {
        #[command(subcommand)]
        command: BuildCommand,
    },
    /// List what the repository's clusters hold.
    Get {
        #[command(subcommand)]
        command: GetCommand,
    },
    /// Render every cluster and report what is wrong (dependsOn, variables, sources…).
    Check(check::Args),
    /// Print each cluster's dependsOn graph with its apply waves.
    Graph(graph::Args),
    /// Render what each cluster's Flux would apply, per Kustomization.
    Render(render::Args),
    /// Substitute `${VAR}` in stdin from the environment, as `flux envsubst` does.
    Envsubst(envsubst::Args),
}

#[derive(Subcommand, Debug)]
pub enum KustomizeCommand {
    /// Build a kustomization directory: a drop-in for `kubectl kustomize DIR`.
    Build(kustomize_build::Args),
}

#[derive(Subcommand, Debug)]
pub enum BuildCommand {
    /// A Flux Kustomization.
    #[command(visible_alias = "ks")]
    Kustomization(build_kustomization::Args),
    /// A Flux Operator ResourceSet (like `flux-operator build resourceset`).
    #[command(visible_alias = "rset")]
    Resourceset(build_resourceset::Args),
}

#[derive(Subcommand, Debug)]
pub enum GetCommand {
    /// Each cluster's Flux Kustomizations: path, source, dependsOn, objects.
    #[command(visible_alias = "ks")]
    Kustomizations(get::Args),
}

/// Runs the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Kustomize {
            command: KustomizeCommand::Build(args),
        } => kustomize_build::run(&args),
        Command::Envsubst(args) => envsubst::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Build {
            command: BuildCommand::Kustomization(args),
        } => build_kustomization::run(&args),
        Command::Build {
            command: BuildCommand::Resourceset(args),
        } => build_resourceset::run(&args),
        Command::Get {
            command: GetCommand::Kustomizations(args),
        } => get::run(&args),
    }
}
