//! The fluxlint binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() {
    let cli = fluxlint::cli::Cli::parse();
    std::process::exit(fluxlint::cli::run(cli));
}
