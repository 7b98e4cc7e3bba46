//! Command-line arguments (clap) and the commands they run. Only this module
//! and `main.rs` print.

pub mod envsubst;
pub mod kustomize_build;

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
    /// Substitute `${VAR}` in stdin from the environment, as `flux envsubst` does.
    Envsubst(envsubst::Args),
}

#[derive(Subcommand, Debug)]
pub enum KustomizeCommand {
    /// Build a kustomization directory: a drop-in for `kubectl kustomize DIR`.
    Build(kustomize_build::Args),
}

/// Runs the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Kustomize {
            command: KustomizeCommand::Build(args),
        } => kustomize_build::run(&args),
        Command::Envsubst(args) => envsubst::run(&args),
    }
}
