//! `fluxlint render [REPO]`: what each cluster's kustomize-controller would
//! apply, per Flux Kustomization. With `--out DIR`, one file per
//! Kustomization at `DIR/<cluster>/<namespace>/<name>.yaml`, written into a
//! temporary directory renamed into place; without it, one YAML stream.

use super::repo::{self, RepoArgs};
use crate::cluster::{ClusterRun, Outcome, Skipped};
use crate::yaml::emit_document;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Write one file per Flux Kustomization below this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The objects of one Kustomization as a YAML stream (`---` between objects).
pub fn kustomization_yaml(objects: &[crate::flux::render::RenderedObject]) -> String {
    let mut out = String::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit_document(&o.node, &mut out);
    }
    out
}

/// Notes for stderr: how each cluster was found, what was skipped or failed.
pub fn report_walk(clusters: &[ClusterRun], err: &mut dyn Write) -> bool {
    let mut failed = false;
    for c in clusters {
        let _ = writeln!(
            err,
            "cluster {}: {} ({}), {} Kustomizations, {} objects",
            c.name,
            c.path,
            c.how.describe(),
            c.kustomizations.len(),
            c.object_count()
        );
        for k in &c.kustomizations {
            match &k.outcome {
                Outcome::Rendered(_) => {}
                Outcome::Skipped(Skipped::Suspended) => {
                    let _ = writeln!(err, "  {}/{}: suspended, not rendered", k.namespace, k.name);
                }
                Outcome::Skipped(Skipped::ExternalSource { source, .. }) => {
                    let _ = writeln!(
                        err,
                        "  {}/{}: source {source} is not this repository; map it with --source {source}=DIR",
                        k.namespace, k.name
                    );
                }
                Outcome::Failed(e) => {
                    failed = true;
                    let file = e
                        .file()
                        .map(|f| format!(" ({})", f.display()))
                        .unwrap_or_default();
                    let _ = writeln!(err, "  error: {}/{}: {e}{file}", k.namespace, k.name);
                }
            }
        }
    }
    failed
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
    let failed = report_walk(&clusters, &mut std::io::stderr().lock());
    match &args.out {
        Some(out) => {
            if let Err(e) = write_tree(out, &clusters) {
                eprintln!("Error: writing {}: {e}", out.display());
                return 2;
            }
        }
        None => {
            let mut text = String::new();
            for c in &clusters {
                for k in &c.kustomizations {
                    if k.objects().is_empty() {
                        continue;
                    }
                    if !text.is_empty() {
                        text.push_str("---\n");
                    }
                    text.push_str(&format!(
                        "# cluster: {}, kustomization: {}/{}\n",
                        c.name, k.namespace, k.name
                    ));
                    text.push_str(&kustomization_yaml(k.objects()));
                }
            }
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("Error: writing output: {e}");
                    return 2;
                }
            }
        }
    }
    i32::from(failed)
}

/// Writes the tree into a sibling temporary directory, then swaps it in.
fn write_tree(out: &Path, clusters: &[ClusterRun]) -> std::io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.fluxlint-{}", std::process::id()));
    let old = parent.join(format!(".{name}.fluxlint-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        for c in clusters {
            for k in &c.kustomizations {
                if !matches!(k.outcome, Outcome::Rendered(_)) {
                    continue;
                }
                let dir = tmp.join(&c.name).join(&k.namespace);
                std::fs::create_dir_all(&dir)?;
                std::fs::write(
                    dir.join(format!("{}.yaml", k.name)),
                    kustomization_yaml(k.objects()),
                )?;
            }
        }
        std::fs::create_dir_all(&tmp)?;
        if out.exists() {
            std::fs::rename(out, &old)?;
        }
        std::fs::rename(&tmp, out)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        if old.exists() && !out.exists() {
            let _ = std::fs::rename(&old, out);
        }
    }
    result
}
