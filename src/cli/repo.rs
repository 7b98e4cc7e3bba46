//! Arguments shared by the commands that work on a repository, and opening
//! one: its root, its files, its `.fluxlint.yaml`.

use crate::cluster::{self, ClusterRun};
use crate::config::{Config, CONFIG_FILE};
use crate::source::{DiskFs, SourceMap};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args, Debug, Clone)]
pub struct RepoArgs {
    /// The repository (default: the current directory). Nothing outside it is read.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Only this cluster.
    #[arg(long)]
    pub cluster: Option<String>,
    /// A cluster directory to render (repeatable); overrides discovery and the config.
    #[arg(long = "path", value_name = "DIR")]
    pub paths: Vec<String>,
    /// Strict substitution: an unset variable without a default fails the
    /// Kustomization, as kustomize-controller does by default since Flux 2.9.
    #[arg(long)]
    pub strict_substitute: bool,
    /// The directory of the repository Flux syncs, when paths are relative
    /// to a subdirectory (default: detected).
    #[arg(long, value_name = "DIR")]
    pub source_root: Option<String>,
    /// A source outside this repository mapped to a local directory:
    /// `Kind/namespace/name=DIR`, `namespace/name=DIR` or `name=DIR` (repeatable).
    #[arg(long = "source", value_name = "NAME=DIR")]
    pub sources: Vec<String>,
}

pub struct Repo {
    pub root: PathBuf,
    pub sources: SourceMap,
    pub config: Config,
    args: RepoArgs,
}

/// Opens the repository; on failure prints why and returns exit code 2.
#[allow(clippy::print_stderr)]
pub fn open(args: &RepoArgs) -> Result<Repo, i32> {
    let fail = |m: String| {
        eprintln!("Error: {m}");
        2
    };
    let root = args
        .repo
        .canonicalize()
        .map_err(|e| fail(format!("{}: {e}", args.repo.display())))?;
    if !root.is_dir() {
        return Err(fail(format!("{} is not a directory", root.display())));
    }
    // `--source` directories may lie outside the repository: the user named them.
    let mut mapped = Vec::new();
    for s in &args.sources {
        let Some((name, dir)) = s.split_once('=') else {
            return Err(fail(format!("--source {s}: expected NAME=DIR")));
        };
        match std::path::Path::new(dir).canonicalize() {
            Ok(d) if d.is_dir() => mapped.push((name.to_string(), d)),
            _ => return Err(fail(format!("--source {s}: {dir} is not a directory"))),
        }
    }
    let extra: Vec<PathBuf> = mapped
        .iter()
        .map(|(_, d)| d.clone())
        .filter(|d| !d.starts_with(&root))
        .collect();
    let fs = DiskFs::new(&root)
        .and_then(|fs| fs.with_extra_roots(&extra))
        .map_err(|e| fail(format!("{}: {e}", root.display())))?;
    let sources = SourceMap::new(Arc::new(fs));
    let config_path = root.join(CONFIG_FILE);
    let mut config = if config_path.is_file() {
        let file = sources
            .load(&config_path)
            .map_err(|e| fail(format!("{}: {e}", config_path.display())))?;
        Config::parse(&file.text, file.id).map_err(|e| {
            let at = e
                .span
                .map(|s| {
                    let (line, col) = file.line_col(s.start);
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            fail(format!("{CONFIG_FILE}{at}: {}", e.message))
        })?
    } else {
        Config::default()
    };
    if let Some(dir) = &args.source_root {
        match root.join(dir).canonicalize() {
            Ok(d) if d.starts_with(&root) && d.is_dir() => {
                config.source_root = Some(
                    d.strip_prefix(&root)
                        .unwrap_or(&d)
                        .to_string_lossy()
                        .into_owned(),
                );
            }
            _ => {
                return Err(fail(format!(
                    "--source-root {dir}: not a directory inside {}",
                    root.display()
                )))
            }
        }
    }
    for (name, dir) in mapped {
        // Inside the repository: relative to it; outside: absolute.
        let dir = dir
            .strip_prefix(&root)
            .map(|d| d.to_path_buf())
            .unwrap_or(dir);
        config
            .sources
            .insert(name, dir.to_string_lossy().into_owned());
    }
    Ok(Repo {
        root,
        sources,
        config,
        args: args.clone(),
    })
}

impl Repo {
    /// Renders the clusters the arguments select.
    pub fn render(&self) -> Vec<ClusterRun> {
        cluster::render_repository(
            &self.sources,
            &self.root,
            &self.config,
            &self.args.paths,
            self.args.strict_substitute.then_some(true),
            self.args.cluster.as_deref(),
        )
    }
}
