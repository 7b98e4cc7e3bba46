//! `fluxlint envsubst [--strict]`: a drop-in for `flux envsubst`: stdin to
//! stdout, `${VAR}` from the environment, in Flux's dialect.

use crate::flux::envsubst::envsubst_env;
use std::io::{Read, Write};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Fail on a variable that is not set (unless its reference has a default).
    #[arg(long)]
    pub strict: bool,
}

#[allow(clippy::print_stderr)]
pub fn run(args: &Args) -> i32 {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("Error: reading stdin: {e}");
        return 2;
    }
    match envsubst_env(&input, args.strict) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("Error: writing output: {e}");
                    2
                }
            }
        }
        Err(e) => {
            eprintln!("Error: {e}");
            1
        }
    }
}
