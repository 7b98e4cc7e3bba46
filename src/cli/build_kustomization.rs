//! `fluxlint build kustomization NAME`: one Flux Kustomization.
//!
//! - From the repository (no `--path`): render the clusters and print the
//!   objects of the Kustomization named NAME (in namespace `-n`, default
//!   `flux-system`), as its cluster would apply them.
//! - With `--path DIR --kustomization-file FILE`: a drop-in for
//!   `flux build kustomization` (fluxcd/flux2 internal/build): Flux's
//!   generator with the CLI's ignore rules, the build, non-strict
//!   substitution (`--strict-substitute` to change it), the owner labels,
//!   SOPS values masked; `--values-from FILE` gives the ConfigMaps and Secrets
//!   `substituteFrom` reads (the flux CLI reads them from a cluster);
//!   `--dry-run` skips `substituteFrom`; `--recursive` with
//!   `--local-sources Kind/ns/name=DIR` builds the Kustomizations it finds.

use super::render::report_walk;
use super::repo::{self, RepoArgs};
use crate::cluster::Outcome;
use crate::flux::generate::{self, GeneratorSpec};
use crate::flux::render;
use crate::flux::variables::{self, source_of, VarSource};
use crate::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use crate::source::{fs::clean, DiskFs, FileId, SourceMap};
use crate::yaml::{emit_document, parse_documents, LoadOptions, Node, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The Flux Kustomization's name.
    pub name: String,
    /// Its namespace.
    #[arg(short = 'n', long, default_value = "flux-system")]
    pub namespace: String,
    /// Local directory to build instead of the repository's source (flux CLI mode).
    #[arg(long = "path", value_name = "DIR")]
    pub path: Option<String>,
    /// The Kustomization object to use (flux CLI mode; required with --path).
    #[arg(long, value_name = "FILE")]
    pub kustomization_file: Option<PathBuf>,
    /// Extra gitignore-style patterns of files to leave out, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore_paths: Vec<String>,
    /// Skip `substituteFrom`: only the inline `substitute` values are used.
    #[arg(long)]
    pub dry_run: bool,
    /// Also build the Kustomizations found in the output (with --local-sources).
    #[arg(long)]
    pub recursive: bool,
    /// `Kind/namespace/name=DIR`: local directories of sources for --recursive.
    #[arg(long, value_delimiter = ',')]
    pub local_sources: Vec<String>,
    /// ConfigMaps and Secrets (YAML) that `substituteFrom` reads.
    #[arg(long, value_name = "FILE")]
    pub values_from: Option<PathBuf>,
    /// Repository mode: the cluster to take it from.
    #[arg(long)]
    pub cluster: Option<String>,
    /// Strict substitution: an unset variable without a default is an error.
    #[arg(long)]
    pub strict_substitute: bool,
    /// Repository mode: the repository (default: the current directory).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

#[allow(clippy::print_stderr)]
fn fail(message: impl std::fmt::Display) -> i32 {
    eprintln!("Error: {message}");
    1
}

pub fn run(args: &Args) -> i32 {
    match &args.path {
        Some(path) => run_local(args, Path::new(path)),
        None => run_repository(args),
    }
}

#[allow(clippy::print_stderr)]
fn run_repository(args: &Args) -> i32 {
    let repo_args = RepoArgs {
        repo: args.repo.clone(),
        cluster: args.cluster.clone(),
        paths: Vec::new(),
        strict_substitute: args.strict_substitute,
        sources: Vec::new(),
        source_root: None,
    };
    let repo = match repo::open(&repo_args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let clusters = repo.render();
    let found: Vec<_> = clusters
        .iter()
        .flat_map(|c| c.kustomizations.iter().map(move |k| (c, k)))
        .filter(|(_, k)| k.name == args.name && k.namespace == args.namespace)
        .collect();
    let (cluster, ks) = match found.as_slice() {
        [] => {
            return fail(format!(
                "Kustomization {}/{} not found in any cluster of {}",
                args.namespace,
                args.name,
                repo.root.display()
            ))
        }
        [one] => *one,
        many => {
            let names: Vec<&str> = many.iter().map(|(c, _)| c.name.as_str()).collect();
            return fail(format!(
                "Kustomization {}/{} is in several clusters ({}): choose one with --cluster",
                args.namespace,
                args.name,
                names.join(", ")
            ));
        }
    };
    match &ks.outcome {
        Outcome::Rendered(r) => {
            let nodes: Vec<Node> = r.objects.iter().map(|o| o.node.clone()).collect();
            print_objects(&nodes)
        }
        _ => {
            report_walk(std::slice::from_ref(cluster), &mut std::io::stderr().lock());
            fail(format!(
                "Kustomization {}/{} was not rendered",
                args.namespace, args.name
            ))
        }
    }
}

/// `flux build` prints every object followed by `---`.
fn print_objects(nodes: &[Node]) -> i32 {
    let mut text = String::new();
    for n in nodes {
        emit_document(n, &mut text);
        text.push_str("---\n");
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(format!("writing output: {e}"))
        }
        _ => 0,
    }
}

fn read_docs(path: &Path) -> Result<Vec<Node>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_documents(&text, FileId::NONE, &LoadOptions::default())
        .map(|d| d.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(|e| format!("{}: {}", path.display(), e.message))
}

struct LocalBuild<'a> {
    args: &'a Args,
    sources: SourceMap,
    cluster: Vec<Node>,
    local_sources: Vec<(String, PathBuf)>,
}

fn run_local(args: &Args, path: &Path) -> i32 {
    if path.as_os_str().is_empty() {
        return fail("invalid resource path \"\"");
    }
    let Some(ks_file) = &args.kustomization_file else {
        return fail("--path needs --kustomization-file: fluxlint does not read the Kustomization from a cluster");
    };
    let objects = match read_docs(ks_file) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let Some(object) = objects.into_iter().find(|o| {
        o.str_at(&["kind"]) == Some("Kustomization")
            && o.str_at(&["metadata", "name"]) == Some(args.name.as_str())
    }) else {
        return fail(format!(
            "no Kustomization named {} in {}",
            args.name,
            ks_file.display()
        ));
    };
    let dir = match path.canonicalize() {
        Ok(d) if d.is_dir() => d,
        _ => {
            return fail(format!(
                "invalid resource path {:?}",
                path.display().to_string()
            ))
        }
    };
    let cwd = std::env::current_dir()
        .and_then(|c| c.canonicalize())
        .unwrap_or_else(|_| dir.clone());
    let root = if dir.starts_with(&cwd) {
        cwd
    } else {
        dir.clone()
    };
    let fs = match DiskFs::new(&root) {
        Ok(fs) => fs,
        Err(e) => return fail(format!("{}: {e}", root.display())),
    };
    let cluster = match &args.values_from {
        Some(f) => match read_docs(f) {
            Ok(d) => d,
            Err(e) => return fail(e),
        },
        None => Vec::new(),
    };
    let mut local_sources = Vec::new();
    for s in &args.local_sources {
        let Some((key, p)) = s.split_once('=') else {
            return fail(format!(
                "--local-sources {s}: expected Kind/namespace/name=DIR"
            ));
        };
        local_sources.push((
            key.to_string(),
            clean(&std::env::current_dir().unwrap_or_default().join(p)),
        ));
    }
    let build = LocalBuild {
        args,
        sources: SourceMap::new(Arc::new(fs)),
        cluster,
        local_sources,
    };
    let mut out = Vec::new();
    match build.build(&object, &dir, &mut out, 0) {
        Ok(()) => print_objects(&out),
        Err(e) => fail(e),
    }
}

impl LocalBuild<'_> {
    fn build(
        &self,
        object: &Node,
        dir: &Path,
        out: &mut Vec<Node>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 32 {
            return Err("--recursive: Kustomizations nest deeper than 32 levels".to_string());
        }
        let name = object
            .str_at(&["metadata", "name"])
            .unwrap_or("")
            .to_string();
        let namespace = object
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default")
            .to_string();
        let mut spec = GeneratorSpec::from_object(object).map_err(|e| e.message)?;
        spec.path = String::new();
        let generated =
            generate::generate_with_ignore(self.sources.fs(), dir, &spec, &self.args.ignore_paths)
                .map_err(|e| e.message)?;
        let view = self
            .sources
            .with_overlay([(generated.file.clone(), generated.text())]);
        let opts = BuildOptions {
            load_restrictor: LoadRestrictor::None,
            reorder: Reorder::None,
            openapi_merges_builtins: true,
            ..BuildOptions::default()
        };
        let built = kustomize::build(&view, &generated.dir, &opts).map_err(|e| e.message)?;
        let lookup = |kind: &str, ns: &str, name: &str| -> Option<VarSource> {
            if self.args.dry_run {
                return None;
            }
            self.cluster
                .iter()
                .find(|o| {
                    o.str_at(&["kind"]) == Some(kind)
                        && o.str_at(&["metadata", "name"]) == Some(name)
                        && o.str_at(&["metadata", "namespace"]).unwrap_or(ns) == ns
                })
                .and_then(source_of)
        };
        let mut loaded = variables::load(object, self.args.strict_substitute, &lookup);
        if self.args.dry_run {
            loaded.missing.clear();
        }
        if let Some(m) = loaded.missing.first() {
            return Err(format!(
                "substitute from '{}/{}' error: not found",
                m.kind, m.name
            ));
        }
        for node in built.to_nodes() {
            let mut applied = match loaded.substitution.apply(&node) {
                Ok(Some(n)) => n,
                Ok(None) => node,
                Err(e) => {
                    return Err(format!(
                        "post build failed for '{}': {e}",
                        render::object_label(&node)
                    ))
                }
            };
            render::set_owner_labels(&mut applied, &name, &namespace);
            if let Some(common) = object.get_path(&["spec", "commonMetadata"]) {
                render::apply_common_metadata(&mut applied, common);
            }
            mask_sops(&mut applied);
            let child = self.args.recursive
                && applied.str_at(&["kind"]) == Some("Kustomization")
                && applied
                    .str_at(&["apiVersion"])
                    .is_some_and(|v| v.starts_with("kustomize.toolkit.fluxcd.io/"));
            out.push(applied.clone());
            if child {
                if let Some(source_dir) = self.local_source(&applied) {
                    let path = applied.str_at(&["spec", "path"]).unwrap_or("");
                    let child_dir = clean(&source_dir.join(path));
                    self.build(&applied, &child_dir, out, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    fn local_source(&self, child: &Node) -> Option<PathBuf> {
        let ns = child
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default");
        let kind = child.str_at(&["spec", "sourceRef", "kind"])?;
        let name = child.str_at(&["spec", "sourceRef", "name"])?;
        let src_ns = child
            .str_at(&["spec", "sourceRef", "namespace"])
            .unwrap_or(ns);
        let key = format!("{kind}/{src_ns}/{name}");
        self.local_sources
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
            .map(|(_, p)| p.clone())
    }
}

/// flux build's `maskSopsData`: SOPS-encrypted Secret values are masked.
/// A Secret with `sops` metadata loses it and every value becomes the mask
/// (a JSON `{"mask": …}` for docker config Secrets); otherwise single values
/// that hold an encrypted file (`sops` and `ENC[`) are masked.
fn mask_sops(node: &mut Node) {
    use base64::Engine;
    const MASK: &str = "**SOPS**";
    if node.str_at(&["kind"]) != Some("Secret") {
        return;
    }
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut text = String::new();
    emit_document(node, &mut text);
    let encrypted = text.contains("sops:") && text.contains("mac: ENC[");
    if encrypted {
        node.remove("sops");
        let docker = node.str_at(&["type"]) == Some("kubernetes.io/dockerconfigjson");
        let json_mask = r#"{"mask":"**SOPS**"}"#;
        for (field, value) in [
            ("data", if docker { b64(json_mask) } else { b64(MASK) }),
            (
                "stringData",
                if docker {
                    json_mask.to_string()
                } else {
                    MASK.to_string()
                },
            ),
        ] {
            if let Some(map) = node.get_mut(field).and_then(Node::as_map_mut) {
                for v in map.values_mut() {
                    *v = Node::new(Value::Str(value.clone()));
                }
            }
        }
        return;
    }
    let holds_sops = |s: &str| s.contains("sops") && s.contains("ENC[");
    if let Some(map) = node.get_mut("data").and_then(Node::as_map_mut) {
        for v in map.values_mut() {
            let decoded = v
                .as_str()
                .and_then(|s| {
                    let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                    base64::engine::general_purpose::STANDARD
                        .decode(cleaned)
                        .ok()
                })
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            if decoded.is_some_and(|d| holds_sops(&d)) {
                *v = Node::new(Value::Str(b64(MASK)));
            }
        }
    }
    if let Some(map) = node.get_mut("stringData").and_then(Node::as_map_mut) {
        for v in map.values_mut() {
            if v.as_str().is_some_and(holds_sops) {
                *v = Node::new(Value::Str(b64(MASK)));
            }
        }
    }
}
