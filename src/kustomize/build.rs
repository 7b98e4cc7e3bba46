//! A whole `kustomize build` (krusty's `Kustomizer.Run`): accumulate the
//! root, then once over everything: hash suffixes, name references, vars,
//! local-config removal, sort, managed-by label, build metadata.

use super::error::{Error, ErrorKind, Result};
use super::loader::{LoadRestrictor, Loader};
use super::patch::openapi::SchemaState;
use super::resmap::ResMap;
use super::resource::{Origin, Resource};
use super::target::{BuildContext, Target};
use super::{generators, nameref, sort, vars};
use crate::source::SourceMap;
use crate::yaml::Node;
use std::cell::RefCell;
use std::path::Path;

/// kustomize's (deprecated, still honoured) `--reorder`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reorder {
    /// No flag: legacy order unless the kustomization has `sortOptions`.
    #[default]
    Unspecified,
    Legacy,
    /// Keep accumulation order.
    None,
}

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub load_restrictor: LoadRestrictor,
    pub reorder: Reorder,
    /// `--enable-managedby-label`.
    pub managed_by_label: bool,
    /// `--enable-alpha-plugins`.
    pub alpha_plugins: bool,
    /// A custom `openapi:` schema is laid over the Kubernetes one (kustomize
    /// v5.8.1, which Flux links) instead of replacing it (v5.5.0).
    pub openapi_merges_builtins: bool,
    /// Directory builds shared across the builds of a run.
    pub cache: Option<std::sync::Arc<super::cache::BuildCache>>,
}

/// The label value `kubectl kustomize --enable-managedby-label` writes:
/// kubectl links kustomize as a library without its release version stamp,
/// so kustomize's provenance reads `(devel)` (the standalone binary would
/// say `kustomize-v5.5.0`; fluxlint is a drop-in for kubectl's).
pub const MANAGED_BY_VALUE: &str = "kustomize-(devel)";

/// What a build made, plus what kustomize would have logged.
#[derive(Debug)]
pub struct BuildOutput {
    pub resources: ResMap,
    pub warnings: Vec<String>,
    /// `buildMetadata` of the root kustomization.
    pub build_metadata: Vec<String>,
}

impl BuildOutput {
    /// The objects as kustomize prints them (build metadata annotations added
    /// when the root asked for them).
    pub fn to_nodes(&self) -> Vec<Node> {
        let origins = self.build_metadata.iter().any(|m| m == "originAnnotations");
        let transformations = self
            .build_metadata
            .iter()
            .any(|m| m == "transformerAnnotations");
        self.resources
            .iter()
            .map(|r| output_node(r, origins, transformations))
            .collect()
    }
}

/// Builds the kustomization in `dir` (absolute, inside the source map's filesystem).
pub fn build(sources: &SourceMap, dir: &Path, opts: &BuildOptions) -> Result<BuildOutput> {
    if !sources.fs().is_dir(dir) {
        return Err(Error::new(
            ErrorKind::Load,
            format!(
                "must build at directory: not a valid directory: '{}'",
                dir.display()
            ),
        ));
    }
    let loader = Loader::new(sources, dir, opts.load_restrictor);
    let root = Target::load(loader, String::new())?;
    let build_metadata = root
        .kustomization
        .build_metadata
        .clone()
        .unwrap_or_default();
    for m in &build_metadata {
        if ![
            "originAnnotations",
            "transformerAnnotations",
            "managedByLabel",
        ]
        .contains(&m.as_str())
        {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!("invalid buildMetadata option: {m}"),
            )
            .in_file(&root.file.path));
        }
    }
    let ctx = BuildContext {
        schema: RefCell::new({
            let mut state = SchemaState::new();
            state.merge_builtins = opts.openapi_merges_builtins;
            state
        }),
        track_origin: !build_metadata.is_empty(),
        alpha_plugins: opts.alpha_plugins,
        cache: opts.cache.clone(),
        restrictor: opts.load_restrictor,
    };
    // The root's schema wins; otherwise the first one met (kyaml's SetSchema).
    ctx.apply_openapi(&root, true)?;
    let acc = root.accumulate(&ctx)?;
    let mut rm = acc.resmap;
    add_hashes(&mut rm)?;
    nameref::fix_back_references(&mut rm, &acc.config.name_reference)?;
    vars::resolve(&mut rm, &acc.vars, &acc.config.var_reference)?;
    rm.retain(|r| !r.is_local_config());
    check_previous_ids(&rm)?;

    let mut warnings = Vec::new();
    match &root.kustomization.sort_options {
        Some(options) => {
            if opts.reorder != Reorder::Unspecified {
                warnings.push(
                    "Warning: Sorting order is set both in 'kustomization.yaml' ('sortOptions') and in a CLI flag ('--reorder'). Using the kustomization file over the CLI flag.".to_string(),
                );
            }
            sort::apply(&mut rm, Some(options)).map_err(|e| e.in_file(&root.file.path))?;
        }
        None if opts.reorder != Reorder::None => sort::legacy_default(&mut rm),
        None => {}
    }
    if opts.managed_by_label || build_metadata.iter().any(|m| m == "managedByLabel") {
        for r in rm.iter_mut() {
            r.node.entry_map("metadata").entry_map("labels").set(
                "app.kubernetes.io/managed-by",
                Node::string(MANAGED_BY_VALUE),
            );
        }
    }
    for r in rm.iter() {
        if let Err(message) = crate::yaml::emit::check_emittable(&r.node) {
            return Err(Error::new(
                ErrorKind::Resource,
                format!("{message} (in {})", r.id()),
            ));
        }
    }
    Ok(BuildOutput {
        resources: rm,
        warnings,
        build_metadata,
    })
}

/// kustomize keeps previous names, namespaces and kinds as comma-separated
/// annotations; a renamed object whose old name holds a comma (a SOPS
/// `ENC[…,…]` value) splits into lists of different lengths, and kustomize
/// panics ("number of previous names, number of previous namespaces, number
/// of previous kinds not equal"). Flux reports that build as failed.
fn check_previous_ids(rm: &ResMap) -> Result<()> {
    for r in rm.iter() {
        let count = |f: &dyn Fn(&super::resid::ResId) -> String| {
            r.prev_ids
                .iter()
                .map(f)
                .collect::<Vec<_>>()
                .join(",")
                .split(',')
                .count()
        };
        let names = count(&|i| i.name.clone());
        let namespaces = count(&|i| i.effective_namespace().to_string());
        let kinds = count(&|i| i.gvk.kind.clone());
        if !r.prev_ids.is_empty() && (names != namespaces || names != kinds) {
            return Err(Error::new(
                ErrorKind::Resource,
                format!(
                    "number of previous names, number of previous namespaces, number of previous kinds not equal (object {}: a name or namespace holds a comma)",
                    r.id()
                ),
            ));
        }
    }
    Ok(())
}

/// kustomize's HashTransformer: generated objects get `-<hash>` on their name.
pub fn add_hashes(rm: &mut ResMap) -> Result<()> {
    for r in rm.iter_mut() {
        if !r.needs_hash {
            continue;
        }
        let hash = generators::content_hash(&r.node)?;
        r.store_previous_id();
        let name = format!("{}-{}", r.name(), hash);
        r.set_name(&name);
        r.needs_hash = false;
    }
    Ok(())
}

const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";

fn output_node(r: &Resource, origins: bool, transformations: bool) -> Node {
    let add_origin = origins && !r.origin.is_empty_kustomize();
    let add_transformations = transformations && !r.transformations.is_empty();
    if !add_origin && !add_transformations {
        return r.node.clone();
    }
    let mut node = r.node.clone();
    let annotations = node.entry_map("metadata").entry_map("annotations");
    if add_origin {
        annotations.set(ORIGIN_ANNOTATION, Node::string(origin_yaml(&r.origin, "")));
    }
    if add_transformations {
        let mut text = String::new();
        for t in &r.transformations {
            let body = origin_yaml(t, "  ");
            // First line after "- ", the others already indented by two.
            text.push_str("- ");
            text.push_str(body.trim_start());
        }
        annotations.set(TRANSFORMATIONS_ANNOTATION, Node::string(text));
    }
    node
}

/// An origin as kyaml marshals it: fields in struct order, empty ones omitted.
fn origin_yaml(o: &Origin, indent: &str) -> String {
    let mut out = String::new();
    if let Some(p) = &o.path {
        out.push_str(&format!("{indent}path: {p}\n"));
    }
    if let Some(c) = &o.configured_in {
        out.push_str(&format!("{indent}configuredIn: {c}\n"));
    }
    if let Some(id) = &o.configured_by {
        out.push_str(&format!("{indent}configuredBy:\n"));
        let api = id.gvk.api_version();
        for (k, v) in [
            ("apiVersion", api.as_str()),
            ("kind", id.gvk.kind.as_str()),
            ("name", id.name.as_str()),
            ("namespace", id.namespace.as_str()),
        ] {
            if !v.is_empty() {
                out.push_str(&format!("{indent}  {k}: {v}\n"));
            }
        }
    }
    out
}
