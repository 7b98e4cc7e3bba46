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
    /// The `spec.sync` of a Flux Operator FluxInstance in this file (itself,
    /// or the values of a HelmRelease that installs it).
    FluxInstance(PathBuf),
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
            Discovery::FluxInstance(file) => format!("FluxInstance sync in {}", file.display()),
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
    /// The directory of the repository that is the source's root (Flux
    /// paths are relative to it): "" for the repository root.
    pub source_root: String,
}

fn is_flux_kustomization(node: &Node) -> bool {
    node.str_at(&["kind"]) == Some("Kustomization")
        && node
            .str_at(&["apiVersion"])
            .is_some_and(|v| v.starts_with("kustomize.toolkit.fluxcd.io/"))
}

/// Every YAML document of the repository's `.yaml`/`.yml` files whose text
/// mentions `needle`, with its file relative to the root. Hidden
/// directories (`.git`, `.github`) are skipped; files that do not parse are
/// left to the render, which reports them.
fn repository_documents(sources: &SourceMap, root: &Path, needle: &str) -> Vec<FoundObject> {
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
            if !file.text.contains(needle) {
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
            out.extend(docs.into_iter().map(|node| FoundObject {
                node,
                file: rel.clone(),
            }));
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// Every Flux Kustomization written in the repository.
pub fn flux_kustomizations(sources: &SourceMap, root: &Path) -> Vec<FoundObject> {
    repository_documents(sources, root, "kustomize.toolkit.fluxcd.io")
        .into_iter()
        .filter(|f| is_flux_kustomization(&f.node))
        .collect()
}

/// The `spec` of every FluxInstance with a `sync` in the repository: the
/// object itself, or the `values.instance` of a HelmRelease installing the
/// flux-instance chart. Returns (instance spec, namespace, file).
pub fn flux_instances(sources: &SourceMap, root: &Path) -> Vec<(Node, String, PathBuf)> {
    let mut out = Vec::new();
    for f in repository_documents(sources, root, "sync") {
        let d = &f.node;
        let kind = d.str_at(&["kind"]).unwrap_or("");
        let api = d.str_at(&["apiVersion"]).unwrap_or("");
        let ns = d
            .str_at(&["metadata", "namespace"])
            .unwrap_or("flux-system")
            .to_string();
        let spec = if kind == "FluxInstance" && api.starts_with("fluxcd.controlplane.io/") {
            d.get("spec").cloned()
        } else if kind == "HelmRelease" && api.starts_with("helm.toolkit.fluxcd.io/") {
            d.get_path(&["spec", "values", "instance"]).cloned()
        } else {
            None
        };
        if let Some(spec) = spec.filter(|s| s.get_path(&["sync", "path"]).is_some()) {
            out.push((spec, ns, f.file.clone()));
        }
    }
    out
}

/// The Kustomization the Flux Operator makes from `spec.sync`
/// (`internal/builder/templates.go`): named `sync.name` (default: the
/// instance's namespace), `path: <sync.path>`, `prune: true`, on the sync
/// source; `spec.kustomize.patches` applied as the operator's kustomize build does.
pub fn flux_instance_kustomization(spec: &Node, namespace: &str) -> Node {
    let sync = spec.get("sync").cloned().unwrap_or_else(Node::map);
    let kind = sync.str_at(&["kind"]).unwrap_or("GitRepository");
    let name = sync.str_at(&["name"]).unwrap_or(namespace);
    let path = sync.str_at(&["path"]).unwrap_or("");
    let text = format!(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  interval: 10m0s\n  path: {path}\n  prune: true\n  sourceRef:\n    kind: {kind}\n    name: {name}\n"
    );
    let base = parse_documents(&text, crate::source::FileId::NONE, &LoadOptions::default())
        .ok()
        .and_then(|mut d| d.pop())
        .unwrap_or_else(Node::map);
    let Some(patches) = spec
        .get_path(&["kustomize", "patches"])
        .filter(|p| p.as_seq().is_some_and(|s| !s.is_empty()))
    else {
        return base;
    };
    // Run the operator's patches through the kustomize engine on an in-memory tree.
    let mut fs = crate::source::MemoryFs::new();
    let mut sync_text = String::new();
    crate::yaml::emit_document(&base, &mut sync_text);
    let mut kustomization = Node::map();
    kustomization.set("resources", Node::seq(vec![Node::string("sync.yaml")]));
    kustomization.set("patches", patches.clone());
    let mut k_text = String::new();
    crate::yaml::emit_document(&kustomization, &mut k_text);
    fs.insert("/instance/sync.yaml", sync_text);
    fs.insert("/instance/kustomization.yaml", k_text);
    let view = SourceMap::new(std::sync::Arc::new(fs));
    let opts = crate::kustomize::BuildOptions {
        reorder: crate::kustomize::Reorder::None,
        ..Default::default()
    };
    match crate::kustomize::build(&view, Path::new("/instance"), &opts) {
        Ok(out) => out.to_nodes().into_iter().next().unwrap_or(base),
        Err(_) => base,
    }
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
        source_root: String::new(),
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
        if !git || dir.as_os_str().is_empty() {
            continue;
        }
        // The path is relative to the source root, which may be a directory
        // of the repository (`kubernetes/`): find the ancestor of the file's
        // directory that `dir` continues.
        let source_root = file_dir
            .ancestors()
            .find(|a| file_dir.starts_with(a.join(&dir)))
            .map(|a| a.to_string_lossy().into_owned());
        let Some(source_root) = source_root else {
            continue;
        };
        let path = dir.to_string_lossy().into_owned();
        if entries
            .iter()
            .any(|e| e.path == path && e.source_root == source_root)
        {
            continue;
        }
        entries.push(ClusterEntry {
            name: name_of(&dir),
            path,
            how: Discovery::Bootstrap(f.file.clone()),
            source: source_of(&f.node),
            kustomization: f.node.clone(),
            source_root,
        });
    }
    for (spec, namespace, file) in flux_instances(sources, root) {
        let kustomization = flux_instance_kustomization(&spec, &namespace);
        let dir = spec_dir(&kustomization);
        let path = dir.to_string_lossy().into_owned();
        if entries.iter().any(|e| e.path == path) {
            continue;
        }
        entries.push(ClusterEntry {
            name: name_of(&dir),
            path,
            how: Discovery::FluxInstance(file),
            source: source_of(&kustomization),
            kustomization,
            source_root: String::new(),
        });
    }
    if !entries.is_empty() {
        for e in &mut entries {
            detect_source_root(sources, root, e);
        }
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
                source_root: String::new(),
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

/// When the entry's path does not exist at the repository root, the
/// source root is a directory below it: the shallowest one (breadth first,
/// four levels at most) under which the path exists.
fn detect_source_root(sources: &SourceMap, root: &Path, entry: &mut ClusterEntry) {
    let exists = |base: &Path| sources.fs().is_dir(&clean(&base.join(&entry.path)));
    if exists(&root.join(&entry.source_root)) {
        return;
    }
    let mut level = vec![root.to_path_buf()];
    for _ in 0..4 {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(children) = sources.fs().read_dir(dir) else {
                continue;
            };
            for c in children {
                let hidden = c
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if hidden || !sources.fs().is_dir(&c) {
                    continue;
                }
                if exists(&c) {
                    entry.source_root = c
                        .strip_prefix(root)
                        .unwrap_or(&c)
                        .to_string_lossy()
                        .into_owned();
                    return;
                }
                next.push(c);
            }
        }
        level = next;
    }
}

fn spec_dir_of(path: &str) -> String {
    let cleaned = clean(&Path::new("/").join(path));
    cleaned
        .strip_prefix("/")
        .unwrap_or(&cleaned)
        .to_string_lossy()
        .into_owned()
}
