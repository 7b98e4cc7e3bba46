//! Finding clusters in a repository.
//!
//! In order of precedence:
//! 1. the clusters `.fluxlint.yaml` lists, or the paths given on the command line;
//! 2. bootstrap Kustomizations: a Flux Kustomization whose `spec.path` is its
//!    own directory or an ancestor of it (`flux bootstrap` writes
//!    `clusters/<name>/flux-system/gotk-sync.yaml` with `path: ./clusters/<name>`);
//! 3. otherwise the directories holding Flux Kustomizations that no other
//!    Kustomization's path includes (repositories whose bootstrap manifest is
//!    not committed): each such directory is a cluster synced by a
//!    `flux-system` Kustomization with that path, as bootstrap would make it.
//!
//! Each entry says how it was found, so a user can pin it in `.fluxlint.yaml`.

use crate::config::Config;
use crate::source::{fs::clean, SourceMap};
use crate::yaml::{parse_documents, DuplicateKeys, LoadOptions, Node};
use std::path::{Path, PathBuf};

/// A Flux object found in a repository file.
#[derive(Clone, Debug)]
pub struct FoundObject {
    pub node: Node,
    /// The file, relative to the repository root.
    pub file: PathBuf,
}

/// How a cluster entry was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discovery {
    Config,
    CommandLine,
    /// A bootstrap Kustomization in this file.
    Bootstrap(PathBuf),
    /// No bootstrap Kustomization: the Kustomizations in this directory are
    /// roots no other Kustomization includes.
    Roots,
}

impl Discovery {
    pub fn describe(&self) -> String {
        match self {
            Discovery::Config => "listed in .fluxlint.yaml".to_string(),
            Discovery::CommandLine => "given on the command line".to_string(),
            Discovery::Bootstrap(file) => {
                format!("bootstrap Kustomization in {}", file.display())
            }
            Discovery::Roots => {
                "no bootstrap Kustomization: directory of root Kustomizations".to_string()
            }
        }
    }
}

/// A cluster to render: the Kustomization that syncs it.
#[derive(Clone, Debug)]
pub struct ClusterEntry {
    pub name: String,
    /// The directory the entry Kustomization syncs, relative to the root.
    pub path: String,
    pub how: Discovery,
    /// The entry Kustomization (found, or synthesized as bootstrap would write it).
    pub kustomization: Node,
    /// The GitRepository of this repository that the entry syncs from
    /// (`Kind`, namespace, name).
    pub source: (String, String, String),
}

fn is_flux_kustomization(node: &Node) -> bool {
    node.str_at(&["kind"]) == Some("Kustomization")
        && node
            .str_at(&["apiVersion"])
            .is_some_and(|v| v.starts_with("kustomize.toolkit.fluxcd.io/"))
}

/// Every YAML document of the repository that is a Flux Kustomization.
/// Hidden directories (`.git`, `.github`) are skipped; files that do not
/// parse are left to the render, which reports them.
pub fn flux_kustomizations(sources: &SourceMap, root: &Path) -> Vec<FoundObject> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = sources.fs().read_dir(&dir) else {
            continue;
        };
        for path in entries.into_iter().rev() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if sources.fs().is_dir(&path) {
                stack.push(path);
                continue;
            }
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let Ok(file) = sources.load(&path) else {
                continue;
            };
            if !file.text.contains("kustomize.toolkit.fluxcd.io") {
                continue;
            }
            let opts = LoadOptions {
                duplicate_keys: DuplicateKeys::LastWins,
                ..LoadOptions::default()
            };
            let Ok(docs) = parse_documents(&file.text, file.id, &opts) else {
                continue;
            };
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            for d in docs.into_iter().filter(is_flux_kustomization) {
                out.push(FoundObject {
                    node: d,
                    file: rel.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// `spec.path` as a clean relative directory ("" for the root).
pub fn spec_dir(node: &Node) -> PathBuf {
    let path = node.str_at(&["spec", "path"]).unwrap_or("");
    let cleaned = clean(&Path::new("/").join(path));
    cleaned.strip_prefix("/").unwrap_or(&cleaned).to_path_buf()
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "default".to_string())
}

/// The Kustomization `flux bootstrap` would write for a cluster directory.
pub fn bootstrap_kustomization(path: &str) -> Node {
    let source = (
        "GitRepository".to_string(),
        "flux-system".to_string(),
        "flux-system".to_string(),
    );
    bootstrap_kustomization_from(path, &source)
}

/// A `flux-system` Kustomization syncing `path` from `source` (Kind, namespace, name).
pub fn bootstrap_kustomization_from(path: &str, source: &(String, String, String)) -> Node {
    let (kind, namespace, name) = source;
    let text = format!(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./{path}\n  prune: true\n  sourceRef:\n    kind: {kind}\n    name: {name}\n    namespace: {namespace}\n"
    );
    parse_documents(&text, crate::source::FileId::NONE, &LoadOptions::default())
        .ok()
        .and_then(|mut d| d.pop())
        .unwrap_or_else(Node::map)
}

fn source_of(ks: &Node) -> (String, String, String) {
    let ns = ks.str_at(&["metadata", "namespace"]).unwrap_or("default");
    (
        ks.str_at(&["spec", "sourceRef", "kind"])
            .unwrap_or("GitRepository")
            .to_string(),
        ks.str_at(&["spec", "sourceRef", "namespace"])
            .unwrap_or(ns)
            .to_string(),
        ks.str_at(&["spec", "sourceRef", "name"])
            .unwrap_or("flux-system")
            .to_string(),
    )
}

fn entry_for_path(name: String, path: &str, how: Discovery) -> ClusterEntry {
    let kustomization = bootstrap_kustomization(path);
    ClusterEntry {
        source: source_of(&kustomization),
        name,
        path: path.to_string(),
        how,
        kustomization,
    }
}

/// The clusters of a repository. `paths` (from the command line) and the
/// config's clusters take precedence over discovery.
pub fn discover(
    sources: &SourceMap,
    root: &Path,
    config: &Config,
    paths: &[String],
) -> Vec<ClusterEntry> {
    if !paths.is_empty() {
        return paths
            .iter()
            .map(|p| {
                let dir = spec_dir_of(p);
                entry_for_path(name_of(Path::new(&dir)), &dir, Discovery::CommandLine)
            })
            .collect();
    }
    if !config.clusters.is_empty() {
        return config
            .clusters
            .iter()
            .map(|c| entry_for_path(c.name.clone(), &spec_dir_of(&c.path), Discovery::Config))
            .collect();
    }
    let found = flux_kustomizations(sources, root);
    let mut entries: Vec<ClusterEntry> = Vec::new();
    for f in &found {
        let dir = spec_dir(&f.node);
        let file_dir = f.file.parent().unwrap_or(Path::new(""));
        let git = f.node.str_at(&["spec", "sourceRef", "kind"]) == Some("GitRepository");
        if git && file_dir.starts_with(&dir) && !dir.as_os_str().is_empty() {
            let path = dir.to_string_lossy().into_owned();
            if entries.iter().any(|e| e.path == path) {
                continue;
            }
            entries.push(ClusterEntry {
                name: name_of(&dir),
                path,
                how: Discovery::Bootstrap(f.file.clone()),
                source: source_of(&f.node),
                kustomization: f.node.clone(),
            });
        }
    }
    if !entries.is_empty() {
        return entries;
    }
    // No bootstrap: the directories of Kustomizations that no other
    // Kustomization's build reaches.
    let reached = reachable_dirs(sources, root, found.iter().map(|f| spec_dir(&f.node)));
    let mut roots: Vec<(PathBuf, &FoundObject)> = Vec::new();
    for f in &found {
        let file_dir = f.file.parent().unwrap_or(Path::new("")).to_path_buf();
        if !reached.iter().any(|r| file_dir.starts_with(r))
            && !roots.iter().any(|(d, _)| *d == file_dir)
        {
            roots.push((file_dir, f));
        }
    }
    roots
        .into_iter()
        .map(|(d, _)| {
            let path = d.to_string_lossy().into_owned();
            // Synced from the `flux-system` source its Kustomizations name (a
            // GitRepository for `flux bootstrap`, an OCIRepository for the
            // Flux Operator), else bootstrap's GitRepository.
            let source = found
                .iter()
                .filter(|f| f.file.parent() == Some(d.as_path()))
                .map(|f| source_of(&f.node))
                .find(|(kind, _, name)| {
                    name == "flux-system"
                        && matches!(kind.as_str(), "GitRepository" | "OCIRepository" | "Bucket")
                })
                .unwrap_or_else(|| {
                    (
                        "GitRepository".into(),
                        "flux-system".into(),
                        "flux-system".into(),
                    )
                });
            let kustomization = bootstrap_kustomization_from(&path, &source);
            ClusterEntry {
                name: name_of(&d),
                path,
                how: Discovery::Roots,
                source: source_of(&kustomization),
                kustomization,
            }
        })
        .collect()
}

/// Directories a build of each path reaches: the path with everything below
/// it, and the directories its kustomization files name in `resources:` and
/// `components:`, followed recursively.
fn reachable_dirs(
    sources: &SourceMap,
    root: &Path,
    paths: impl Iterator<Item = PathBuf>,
) -> Vec<PathBuf> {
    let mut reached: Vec<PathBuf> = Vec::new();
    let mut stack: Vec<PathBuf> = paths.filter(|p| !p.as_os_str().is_empty()).collect();
    while let Some(dir) = stack.pop() {
        if reached.contains(&dir) {
            continue;
        }
        let abs = root.join(&dir);
        reached.push(dir.clone());
        let mut walk = vec![abs];
        while let Some(d) = walk.pop() {
            let Ok(entries) = sources.fs().read_dir(&d) else {
                continue;
            };
            for e in entries {
                let name = e
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if sources.fs().is_dir(&e) {
                    if !name.starts_with('.') {
                        walk.push(e);
                    }
                    continue;
                }
                if !crate::kustomize::kustomization::KUSTOMIZATION_FILE_NAMES
                    .contains(&name.as_str())
                {
                    continue;
                }
                let Ok(file) = sources.load(&e) else { continue };
                let opts = LoadOptions {
                    duplicate_keys: DuplicateKeys::LastWins,
                    ..LoadOptions::default()
                };
                let Ok(docs) = parse_documents(&file.text, file.id, &opts) else {
                    continue;
                };
                let base = e.parent().unwrap_or(root).to_path_buf();
                for doc in docs {
                    for field in ["resources", "components", "bases"] {
                        for entry in doc.get(field).and_then(Node::as_seq).into_iter().flatten() {
                            let Some(entry) = entry.as_str() else {
                                continue;
                            };
                            let target = clean(&base.join(entry));
                            if let Ok(rel) = target.strip_prefix(root) {
                                if sources.fs().is_dir(&target) {
                                    stack.push(rel.to_path_buf());
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    reached
}

fn spec_dir_of(path: &str) -> String {
    let cleaned = clean(&Path::new("/").join(path));
    cleaned
        .strip_prefix("/")
        .unwrap_or(&cleaned)
        .to_string_lossy()
        .into_owned()
}
