//! `fluxlint kustomize build DIR`: kustomize v5.5.0's output on stdout, or
//! `Error: …` on stderr and exit code 2 where kustomize fails.

use crate::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use crate::source::{DiskFs, SourceMap};
use crate::yaml::emit_documents;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The kustomization directory (default: the current directory).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// LoadRestrictionsRootOnly (files must be in or below the kustomization
    /// directory) or LoadRestrictionsNone.
    #[arg(long, value_name = "RESTRICTOR", default_value = "LoadRestrictionsRootOnly",
          value_parser = ["LoadRestrictionsRootOnly", "LoadRestrictionsNone"])]
    pub load_restrictor: String,
    /// Output order: `legacy` (kind-based, kustomize's default) or `none`
    /// (accumulation order). A kustomization's `sortOptions` wins.
    #[arg(long, value_parser = ["legacy", "none"])]
    pub reorder: Option<String>,
    /// Add `app.kubernetes.io/managed-by: kustomize-v5.5.0` to every object.
    #[arg(long)]
    pub enable_managedby_label: bool,
    /// Allow non-builtin plugins. fluxlint runs no external plugin; with this
    /// flag such a plugin is reported as unsupported rather than disabled.
    #[arg(long)]
    pub enable_alpha_plugins: bool,
    /// Write the output to this file instead of stdout (written whole or not at all).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// The directory reads are confined to: the enclosing Git work tree, else the
/// current directory when it holds `dir`, else `dir` itself.
fn repository_root(dir: &Path) -> PathBuf {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    match std::env::current_dir().and_then(|c| c.canonicalize()) {
        Ok(cwd) if dir.starts_with(&cwd) => cwd,
        _ => dir.to_path_buf(),
    }
}

#[allow(clippy::print_stderr)]
pub fn run(args: &Args) -> i32 {
    let fail = |message: String| {
        eprintln!("Error: {message}");
        2
    };
    let dir = match args.dir.canonicalize() {
        Ok(d) => d,
        Err(e) => {
            return fail(format!(
                "must build at directory: not a valid directory: '{}': {e}",
                args.dir.display()
            ))
        }
    };
    let fs = match DiskFs::new(&repository_root(&dir)) {
        Ok(fs) => fs,
        Err(e) => return fail(format!("{}: {e}", dir.display())),
    };
    let sources = SourceMap::new(Arc::new(fs));
    let opts = BuildOptions {
        load_restrictor: if args.load_restrictor == "LoadRestrictionsNone" {
            LoadRestrictor::None
        } else {
            LoadRestrictor::RootOnly
        },
        reorder: match args.reorder.as_deref() {
            Some("legacy") => Reorder::Legacy,
            Some("none") => Reorder::None,
            _ => Reorder::Unspecified,
        },
        managed_by_label: args.enable_managedby_label,
        alpha_plugins: args.enable_alpha_plugins,
        openapi_merges_builtins: false,
        cache: None,
    };
    let out = match kustomize::build(&sources, &dir, &opts) {
        Ok(out) => out,
        Err(e) => {
            let location = e
                .file
                .as_ref()
                .map(|f| format!(" (in {})", f.display()))
                .unwrap_or_default();
            return fail(format!("{}{location}", e.message));
        }
    };
    for w in &out.warnings {
        eprintln!("{w}");
    }
    let text = emit_documents(&out.to_nodes());
    match &args.output {
        Some(path) => {
            if let Err(e) = crate::report::write_atomically(path, text.as_bytes()) {
                return fail(format!("writing {}: {e}", path.display()));
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return fail(format!("writing output: {e}"));
                }
            }
        }
    }
    0
}
