//! Clusters: discovery ([`discover`]), then the walk Flux performs: render
//! the entry Kustomization, find the Flux Kustomizations among its objects,
//! render each from its source and path, and so on until nothing new
//! appears (flux-semantics.md §10).
//!
//! Kustomizations are rendered in waves, each wave in parallel (rayon). A
//! Kustomization whose `substituteFrom` names a ConfigMap or Secret that
//! another Kustomization of the cluster makes waits until that one is
//! rendered, as `dependsOn` would order them in the cluster; when nothing
//! else can progress it is rendered with what is known.

pub mod discover;
pub mod graph;

use crate::config::Config;
use crate::flux::render::{self, RenderError, RenderRequest, Rendered};
use crate::flux::variables::{self, LoadedVariables, VarSource};
use crate::source::SourceMap;
use crate::yaml::{Node, Value};
use discover::{ClusterEntry, Discovery};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `Kind/namespace/name`.
pub type ObjectKey = String;

/// A generator's failure: the generator, the message, where in its spec.
pub type GeneratorError = (ObjectKey, String, crate::source::Span);

pub fn object_key(kind: &str, namespace: &str, name: &str) -> ObjectKey {
    format!("{kind}/{namespace}/{name}")
}

/// Settings of one cluster's render.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Strict substitution (kustomize-controller's default since Flux 2.9).
    pub strict: bool,
    /// Local directories standing in for sources (`Kind/namespace/name` → dir
    /// relative to the repository root).
    pub sources: IndexMap<String, String>,
    /// Values of ConfigMaps/Secrets that exist only in the cluster.
    pub values: IndexMap<String, IndexMap<String, String>>,
    /// Directory builds shared by every render of the run.
    pub cache: std::sync::Arc<crate::kustomize::cache::BuildCache>,
    /// Sample inputs of input providers (`.fluxlint.yaml` `inputs`).
    pub inputs: IndexMap<String, Node>,
    /// Ignore filters of local sources, computed once per source (finding
    /// `.sourceignore` files walks the whole tree).
    pub filters: Arc<SourceFilters>,
}

/// Ignore filters by (source root, kind, `spec.ignore`).
pub type SourceFilters = std::sync::Mutex<
    std::collections::HashMap<(PathBuf, String, Option<String>), Arc<HiddenFiles>>,
>;

/// What a local source leaves out, with every answer remembered: the
/// generator and kustomize ask about the same paths again and again.
#[derive(Debug)]
pub struct HiddenFiles {
    root: PathBuf,
    filter: Option<crate::flux::sourceignore::SourceFilter>,
    memo: std::sync::Mutex<std::collections::HashMap<PathBuf, bool>>,
}

impl HiddenFiles {
    fn is_hidden(&self, p: &Path) -> bool {
        if !p.starts_with(&self.root) {
            return false;
        }
        if let Some(hit) = self.memo.lock().ok().and_then(|m| m.get(p).copied()) {
            return hit;
        }
        let hidden = self.filter.as_ref().is_some_and(|f| f.is_ignored(p))
            || std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        if let Ok(mut m) = self.memo.lock() {
            m.insert(p.to_path_buf(), hidden);
        }
        hidden
    }
}

/// Why a Kustomization was not rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// Its source is not this repository and no local directory stands in.
    ExternalSource {
        source: ObjectKey,
        url: Option<String>,
    },
    /// `spec.suspend: true`: the controller does not reconcile it.
    Suspended,
}

/// The outcome of one Flux Kustomization of a cluster.
#[derive(Clone, Debug)]
pub enum Outcome {
    Rendered(Rendered),
    Failed(RenderError),
    Skipped(Skipped),
}

/// One Flux Kustomization of a cluster, as the walk found it.
#[derive(Clone, Debug)]
pub struct KustomizationRun {
    pub namespace: String,
    pub name: String,
    /// The object as the cluster holds it (after its parent's substitution).
    pub object: Node,
    /// The Kustomization that applies it (`None` for the entry).
    pub parent: Option<(String, String)>,
    /// The file the object was written in, relative to the repository root.
    pub file: Option<PathBuf>,
    pub source: ObjectKey,
    /// The source directory, relative to the repository root, when local.
    pub source_dir: Option<String>,
    pub variables: LoadedVariables,
    pub outcome: Outcome,
    /// Errors of what its objects generate in the cluster (ResourceSets,
    /// ArtifactGenerators): the object's `Kind/namespace/name` and the message.
    pub generated_errors: Vec<(ObjectKey, String)>,
    /// Where the inputs of its ResourceSets came from, when not from the
    /// repository itself (sample inputs, exportedInputs, unknown).
    pub generated_notes: Vec<(ObjectKey, String)>,
}

impl KustomizationRun {
    pub fn path(&self) -> &str {
        self.object.str_at(&["spec", "path"]).unwrap_or("")
    }

    /// `dependsOn` as (namespace, name), namespaces defaulted to this one's.
    pub fn depends_on(&self) -> Vec<(String, String)> {
        self.object
            .get_path(&["spec", "dependsOn"])
            .and_then(Node::as_seq)
            .map(|deps| {
                deps.iter()
                    .map(|d| {
                        (
                            d.str_at(&["namespace"])
                                .unwrap_or(&self.namespace)
                                .to_string(),
                            d.str_at(&["name"]).unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn objects(&self) -> &[render::RenderedObject] {
        match &self.outcome {
            Outcome::Rendered(r) => &r.objects,
            _ => &[],
        }
    }
}

/// A rendered cluster.
#[derive(Clone, Debug)]
pub struct ClusterRun {
    pub name: String,
    pub path: String,
    /// The repository directory that is the source's root ("" = the root).
    pub source_root: String,
    pub how: Discovery,
    /// In the order the walk met them.
    pub kustomizations: Vec<KustomizationRun>,
    /// Flux Kustomizations met again with a namespace/name already taken
    /// (only the first is rendered): the object and who applies it.
    pub duplicates: Vec<(Node, Option<PathBuf>, (String, String))>,
    /// What source-watcher would fail on: the ArtifactGenerator, the
    /// message, and where in its spec.
    pub artifact_errors: Vec<GeneratorError>,
}

impl ClusterRun {
    pub fn object_count(&self) -> usize {
        self.kustomizations.iter().map(|k| k.objects().len()).sum()
    }
}

/// Whether a rendered object is a Flux Kustomization.
fn is_flux_kustomization(node: &Node) -> bool {
    node.str_at(&["kind"]) == Some("Kustomization")
        && node
            .str_at(&["apiVersion"])
            .is_some_and(|v| v.starts_with("kustomize.toolkit.fluxcd.io/"))
}

fn is_true(node: Option<&Node>) -> bool {
    matches!(node.map(|n| &n.value), Some(Value::Bool(true)))
}

struct Pending {
    object: Node,
    parent: Option<(String, String)>,
    file: Option<PathBuf>,
}

/// Renders one cluster from its entry.
pub fn render_cluster(
    sources: &SourceMap,
    root: &Path,
    entry: &ClusterEntry,
    options: &WalkOptions,
) -> ClusterRun {
    let local_source = object_key(&entry.source.0, &entry.source.1, &entry.source.2);
    let mut runs: Vec<KustomizationRun> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    // ConfigMaps/Secrets the cluster holds so far, and GitRepository URLs.
    let mut cluster_objects: BTreeMap<ObjectKey, Node> = BTreeMap::new();
    // ConfigMaps/Secrets the render shows are made in the cluster (values unknown).
    let mut made_in_cluster: BTreeMap<ObjectKey, VarSource> = BTreeMap::new();
    let mut pending = vec![Pending {
        object: entry.kustomization.clone(),
        parent: None,
        file: match &entry.how {
            Discovery::Bootstrap(f) => Some(f.clone()),
            _ => None,
        },
    }];
    seen.insert((
        entry
            .kustomization
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default")
            .to_string(),
        entry
            .kustomization
            .str_at(&["metadata", "name"])
            .unwrap_or("")
            .to_string(),
    ));
    let mut duplicates = Vec::new();
    let mut artifact_errors: Vec<GeneratorError> = Vec::new();
    let mut artifacts: BTreeMap<ObjectKey, Artifact> = BTreeMap::new();
    let mut built_generators: HashSet<ObjectKey> = HashSet::new();
    let mut first_span: BTreeMap<(String, String), crate::source::Span> = BTreeMap::new();
    let entry_key = (
        entry
            .kustomization
            .str_at(&["metadata", "namespace"])
            .unwrap_or("default")
            .to_string(),
        entry
            .kustomization
            .str_at(&["metadata", "name"])
            .unwrap_or("")
            .to_string(),
    );
    let mut final_pass = false;
    while !pending.is_empty() {
        // Ready: every substituteFrom it names is known (or nothing else can progress).
        let (ready, waiting): (Vec<Pending>, Vec<Pending>) = pending.into_iter().partition(|p| {
            final_pass
                || variables::substitute_from(&p.object).iter().all(|r| {
                    let ns = p.object.str_at(&["metadata", "namespace"]).unwrap_or("");
                    let key = object_key(&r.kind, ns, &r.name);
                    cluster_objects.contains_key(&key)
                        || made_in_cluster.contains_key(&key)
                        || options.values.contains_key(&key)
                })
        });
        if ready.is_empty() {
            final_pass = true;
            pending = waiting;
            continue;
        }
        final_pass = false;
        let lookup = |kind: &str, ns: &str, name: &str| -> Option<VarSource> {
            let key = object_key(kind, ns, name);
            if let Some(values) = options.values.get(&key) {
                return Some(VarSource::Known(values.clone()));
            }
            if let Some(source) = made_in_cluster.get(&key) {
                return Some(source.clone());
            }
            cluster_objects.get(&key).and_then(variables::source_of)
        };
        // `spec.ignore` of the sources the cluster defines.
        let source_ignore: BTreeMap<ObjectKey, String> = cluster_objects
            .iter()
            .filter_map(|(k, n)| Some((k.clone(), n.str_at(&["spec", "ignore"])?.to_string())))
            .collect();
        // Artifacts of generators met since the last wave (each built once).
        let (new_artifacts, errors) = build_artifacts(
            sources,
            root,
            &entry.source_root,
            &local_source,
            options,
            cluster_objects.iter().filter(|(k, _)| {
                k.starts_with("ArtifactGenerator/") && built_generators.insert((*k).clone())
            }),
        );
        artifacts.extend(new_artifacts);
        artifact_errors.extend(errors);
        let wave: Vec<KustomizationRun> = ready
            .into_par_iter()
            .map(|p| {
                render_one(
                    sources,
                    root,
                    &entry.source_root,
                    &local_source,
                    &entry.source,
                    options,
                    &lookup,
                    &artifacts,
                    &source_ignore,
                    p,
                )
            })
            .collect();
        pending = waiting;
        let mut wave = wave;
        for run in &mut wave {
            expand_resourcesets(run, &cluster_objects, &options.inputs);
        }
        for run in wave {
            for obj in run.objects() {
                let node = &obj.node;
                let kind = node.str_at(&["kind"]).unwrap_or("");
                let ns = node.str_at(&["metadata", "namespace"]).unwrap_or("");
                let name = node.str_at(&["metadata", "name"]).unwrap_or("");
                if matches!(
                    kind,
                    "ConfigMap"
                        | "Secret"
                        | "GitRepository"
                        | "OCIRepository"
                        | "Bucket"
                        | "ResourceSetInputProvider"
                        | "ArtifactGenerator"
                ) {
                    cluster_objects.insert(object_key(kind, ns, name), node.clone());
                }
                if let Some((k, ns, name, source)) = variables::made_in_cluster(node) {
                    made_in_cluster.insert(object_key(&k, &ns, &name), source);
                }
                if is_flux_kustomization(node) {
                    let ns = if ns.is_empty() { "default" } else { ns };
                    let key = (ns.to_string(), name.to_string());
                    if !seen.insert(key.clone()) {
                        // The same definition met again (a Kustomization that
                        // applies itself, as bootstrap's does) is no duplicate.
                        let same = entry_key == key
                            || first_span
                                .get(&key)
                                .is_some_and(|s| *s == node.span && !s.is_none());
                        if same {
                            continue;
                        }
                        duplicates.push((
                            node.clone(),
                            obj.file
                                .as_ref()
                                .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf()),
                            (run.namespace.clone(), run.name.clone()),
                        ));
                    } else {
                        first_span.insert(key, node.span);
                        pending.push(Pending {
                            object: node.clone(),
                            parent: Some((run.namespace.clone(), run.name.clone())),
                            file: obj
                                .file
                                .as_ref()
                                .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf()),
                        });
                    }
                }
            }
            runs.push(run);
        }
    }
    ClusterRun {
        name: entry.name.clone(),
        path: entry.path.clone(),
        source_root: entry.source_root.clone(),
        how: entry.how.clone(),
        kustomizations: runs,
        duplicates,
        artifact_errors,
    }
}

#[allow(clippy::too_many_arguments)]
fn render_one(
    sources: &SourceMap,
    root: &Path,
    source_root_dir: &str,
    local_source: &str,
    entry_source: &(String, String, String),
    options: &WalkOptions,
    lookup: &(dyn Fn(&str, &str, &str) -> Option<VarSource> + Sync),
    artifacts: &BTreeMap<ObjectKey, Artifact>,
    source_ignore: &BTreeMap<ObjectKey, String>,
    p: Pending,
) -> KustomizationRun {
    let namespace = p
        .object
        .str_at(&["metadata", "namespace"])
        .unwrap_or("default")
        .to_string();
    let name = p
        .object
        .str_at(&["metadata", "name"])
        .unwrap_or("")
        .to_string();
    let kind = p
        .object
        .str_at(&["spec", "sourceRef", "kind"])
        .unwrap_or(&entry_source.0)
        .to_string();
    let src_ns = p
        .object
        .str_at(&["spec", "sourceRef", "namespace"])
        .unwrap_or(&namespace)
        .to_string();
    let src_name = p
        .object
        .str_at(&["spec", "sourceRef", "name"])
        .unwrap_or("")
        .to_string();
    let source = object_key(&kind, &src_ns, &src_name);
    let variables = variables::load(&p.object, options.strict, lookup);
    let mut run = KustomizationRun {
        namespace,
        name,
        object: p.object.clone(),
        parent: p.parent,
        file: p.file,
        source: source.clone(),
        source_dir: None,
        variables,
        outcome: Outcome::Skipped(Skipped::Suspended),
        generated_errors: Vec::new(),
        generated_notes: Vec::new(),
    };
    if is_true(p.object.get_path(&["spec", "suspend"])) {
        return run;
    }
    // The tree Flux would build from: a generated ExternalArtifact laid over
    // the repository's view, or a local directory filtered as
    // source-controller archives it.
    let owned: SourceMap;
    let source_root: PathBuf;
    if let Some(artifact) = artifacts.get(&source) {
        owned = sources.with_overlay(artifact.files.iter().map(|(p, t)| (p.clone(), t.clone())));
        source_root = artifact.root.clone();
        run.source_dir = Some(artifact.root.to_string_lossy().into_owned());
    } else {
        let dir = if source == local_source {
            Some(source_root_dir.to_string())
        } else {
            mapped_source(&options.sources, &kind, &src_ns, &src_name)
        };
        let Some(dir) = dir else {
            run.outcome = Outcome::Skipped(Skipped::ExternalSource { source, url: None });
            return run;
        };
        source_root = crate::source::fs::clean(&root.join(&dir));
        run.source_dir = Some(dir);
        owned = local_source_view(
            sources,
            &source_root,
            &kind,
            source_ignore.get(&source),
            &options.filters,
        );
    }
    let result = render::render(&RenderRequest {
        sources: &owned,
        source_root: &source_root,
        object: &run.object,
        substitution: &run.variables.substitution,
        apply_metadata: true,
        cache: Some(options.cache.clone()),
    });
    run.outcome = match result {
        Ok(r) => Outcome::Rendered(r),
        Err(e) => Outcome::Failed(e),
    };
    run
}

/// A view of a local source directory without what source-controller
/// leaves out of an artifact: default exclusions, `.sourceignore` files, the
/// source's `spec.ignore`, and symlinks (archives keep regular files only).
fn local_source_view(
    sources: &SourceMap,
    source_root: &Path,
    kind: &str,
    spec_ignore: Option<&String>,
    filters: &SourceFilters,
) -> SourceMap {
    use crate::flux::sourceignore::{SourceFilter, SourceKind};
    let key = (
        source_root.to_path_buf(),
        kind.to_string(),
        spec_ignore.cloned(),
    );
    let cached = filters.lock().ok().and_then(|m| m.get(&key).cloned());
    let hidden = match cached {
        Some(h) => h,
        None => {
            let filter = SourceKind::from_kind(kind).and_then(|k| {
                SourceFilter::for_source(
                    sources.fs(),
                    source_root,
                    k,
                    spec_ignore.map(String::as_str),
                )
                .ok()
            });
            let h = Arc::new(HiddenFiles {
                root: source_root.to_path_buf(),
                filter,
                memo: Default::default(),
            });
            if let Ok(mut m) = filters.lock() {
                m.insert(key, h.clone());
            }
            h
        }
    };
    sources.with_hidden(Arc::new(move |p: &Path| hidden.is_hidden(p)))
}

/// An ExternalArtifact's files, as its ArtifactGenerator would archive them.
pub struct Artifact {
    pub root: PathBuf,
    pub files: Vec<(PathBuf, String)>,
}

/// Builds the ExternalArtifacts of every ArtifactGenerator the cluster holds,
/// from the local trees of their sources (this repository, or a mapped directory).
fn build_artifacts<'a>(
    sources: &SourceMap,
    root: &Path,
    source_root: &str,
    local_source: &str,
    options: &WalkOptions,
    generators: impl Iterator<Item = (&'a ObjectKey, &'a Node)>,
) -> (BTreeMap<ObjectKey, Artifact>, Vec<GeneratorError>) {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let resolve = |kind: &str, ns: &str, name: &str| -> Option<crate::flux::artifact::SourceTree> {
        let key = object_key(kind, ns, name);
        let dir = if key == local_source {
            source_root.to_string()
        } else {
            mapped_source(&options.sources, kind, ns, name)?
        };
        Some((sources.fs_arc(), crate::source::fs::clean(&root.join(dir))))
    };
    for (key, node) in generators {
        let built = crate::flux::artifact::build_artifacts(node, &resolve);
        for e in &built.errors {
            errors.push((key.clone(), e.message.clone(), e.span));
        }
        for a in built.artifacts {
            if let Some(e) = &a.error {
                errors.push((key.clone(), e.message.clone(), e.span));
            }
            let files = a.fs.files().map(|(p, t)| (p.clone(), t.clone())).collect();
            out.insert(
                object_key("ExternalArtifact", &a.namespace, &a.name),
                Artifact {
                    root: a.root,
                    files,
                },
            );
        }
    }
    (out, errors)
}

/// Renders the ResourceSets among a run's objects as the Flux Operator
/// would and adds what they generate to the run's objects (inputs from the
/// ResourceSetInputProviders the cluster holds so far).
fn expand_resourcesets(
    run: &mut KustomizationRun,
    cluster_objects: &BTreeMap<ObjectKey, Node>,
    sample_inputs: &IndexMap<String, Node>,
) {
    use crate::flux::operator::{build_resourceset, inputs::Provider};
    let Outcome::Rendered(rendered) = &mut run.outcome else {
        return;
    };
    let uses_providers = rendered.objects.iter().any(|o| {
        o.node.str_at(&["kind"]) == Some("ResourceSet")
            && o.node.get_path(&["spec", "inputsFrom"]).is_some()
    });
    let mut notes = Vec::new();
    // Providers the cluster holds so far, and those this run applies itself.
    let mut known: BTreeMap<ObjectKey, &Node> = cluster_objects
        .iter()
        .filter(|(k, _)| k.starts_with("ResourceSetInputProvider/"))
        .map(|(k, n)| (k.clone(), n))
        .collect();
    for o in &rendered.objects {
        if o.node.str_at(&["kind"]) == Some("ResourceSetInputProvider") {
            let key = object_key(
                "ResourceSetInputProvider",
                o.node.str_at(&["metadata", "namespace"]).unwrap_or(""),
                o.node.str_at(&["metadata", "name"]).unwrap_or(""),
            );
            known.insert(key, &o.node);
        }
    }
    let providers: Vec<Provider> = known
        .into_iter()
        .filter_map(|(key, n)| {
            let ns = n.str_at(&["metadata", "namespace"]).unwrap_or("default");
            if n.str_at(&["spec", "type"]) == Some("Static") {
                return Provider::from_static_manifest(n, ns).ok().flatten();
            }
            // Inputs from a cluster or the network: sample inputs from the
            // config, else what the manifest exports, else unknown.
            let kind = n.str_at(&["spec", "type"]).unwrap_or("unknown");
            let mut node = n.clone();
            let note = if let Some(sample) = sample_inputs.get(&key) {
                node.entry_map("status").set("exportedInputs", sample.clone());
                format!("{key} ({kind}): inputs are the sample inputs of .fluxlint.yaml")
            } else if n.get_path(&["status", "exportedInputs"]).is_some() {
                format!("{key} ({kind}): inputs are the manifest's status.exportedInputs")
            } else {
                format!("{key} ({kind}): inputs come from a cluster or the network and are unknown offline; give sample inputs in .fluxlint.yaml `inputs`")
            };
            notes.push((key.clone(), note));
            Provider::from_manifest(&node).ok()
        })
        .collect();
    if uses_providers {
        run.generated_notes.extend(notes);
    }
    let mut generated = Vec::new();
    for obj in &rendered.objects {
        let n = &obj.node;
        let is_rset = n.str_at(&["kind"]) == Some("ResourceSet")
            && n.str_at(&["apiVersion"])
                .is_some_and(|v| v.starts_with("fluxcd.controlplane.io/"));
        if !is_rset {
            continue;
        }
        let key = object_key(
            "ResourceSet",
            n.str_at(&["metadata", "namespace"]).unwrap_or(""),
            n.str_at(&["metadata", "name"]).unwrap_or(""),
        );
        match build_resourceset(n, None, Some(&providers)) {
            Ok(steps) => {
                for step in steps {
                    for o in step.objects {
                        generated.push(render::RenderedObject {
                            node: o,
                            file: obj.file.clone(),
                        });
                    }
                }
            }
            Err(e) => run.generated_errors.push((key, e.message)),
        }
    }
    rendered.objects.extend(generated);
}

/// The local directory a `--source` or config mapping gives a source:
/// keys are `Kind/namespace/name`, `namespace/name` or `name`.
fn mapped_source(
    sources: &IndexMap<String, String>,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<String> {
    [
        object_key(kind, namespace, name),
        format!("{namespace}/{name}"),
        name.to_string(),
    ]
    .iter()
    .find_map(|k| sources.get(k).cloned())
}

/// Renders every cluster of a repository (clusters in parallel).
pub fn render_repository(
    sources: &SourceMap,
    root: &Path,
    config: &Config,
    paths: &[String],
    strict_override: Option<bool>,
    only: Option<&str>,
) -> Vec<ClusterRun> {
    let mut entries = discover::discover(sources, root, config, paths);
    if let Some(source_root) = &config.source_root {
        for e in &mut entries {
            e.source_root = source_root.trim_matches('/').to_string();
        }
    }
    let cache = std::sync::Arc::new(crate::kustomize::cache::BuildCache::new());
    let filters: Arc<SourceFilters> = Arc::default();
    entries
        .par_iter()
        .filter(|e| only.is_none_or(|o| o == e.name))
        .map(|e| {
            let cluster_config = config.cluster(&e.name);
            let options = WalkOptions {
                strict: strict_override
                    .or(cluster_config.and_then(|c| c.strict_substitute))
                    .or(config.strict_substitute)
                    .unwrap_or(false),
                sources: config.sources.clone(),
                values: cluster_config.map(|c| c.values.clone()).unwrap_or_default(),
                cache: cache.clone(),
                inputs: config.inputs.clone(),
                filters: filters.clone(),
            };
            render_cluster(sources, root, e, &options)
        })
        .collect()
}
