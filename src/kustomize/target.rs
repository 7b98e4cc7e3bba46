//! One kustomization directory and its recursive accumulation
//! (kustomize's `KustTarget` and `ResAccumulator`,
//! `api/internal/target/kusttarget.go`).
//!
//! Order per directory: resources (files, then child directories built
//! independently), configurations and CRDs, generators, components (run on
//! this accumulator), builtin transformers, `transformers:`, validators, vars.

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::TransformerConfig;
use super::kustomization::{Kustomization, Var, KIND_COMPONENT, KUSTOMIZATION_FILE_NAMES};
use super::loader::Loader;
use super::patch::openapi::{Schema, SchemaState};
use super::plugins;
use super::resid::Gvk;
use super::resmap::ResMap;
use super::resource::{Behavior, Origin, Resource};
use super::{generators, replacements, transformers};
use crate::source::{fs::clean, SourceFile};
use crate::yaml::{self, DuplicateKeys, LoadOptions, Node, Value};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// State shared by every target of one build. Not global: two builds in
/// parallel do not see each other (kustomize keeps the schema in a global).
pub struct BuildContext {
    /// Which schema strategic merges use (kyaml's process-wide schema,
    /// replayed per build: see [`SchemaState`]).
    pub schema: RefCell<SchemaState>,
    /// `buildMetadata` of the root: origin tracking is on for the whole tree.
    pub track_origin: bool,
    /// Whether `--enable-alpha-plugins` was given (external plugins are still
    /// not run by fluxlint, but the error then says so instead of "disabled").
    pub alpha_plugins: bool,
    /// Directory builds shared with other builds of the run.
    pub cache: Option<Arc<super::cache::BuildCache>>,
    pub restrictor: super::loader::LoadRestrictor,
}

impl BuildContext {
    pub fn schema(&self) -> Arc<Schema> {
        self.schema.borrow_mut().schema()
    }

    /// kyaml's `IsNamespaceScoped` side effect on which schema gets parsed:
    /// called for every object the build makes an id of.
    fn note_kind(&self, r: &Resource) {
        self.schema.borrow_mut().is_namespace_scoped(&r.gvk());
    }

    /// A kustomization's `openapi:` field (kyaml's `SetSchema`); `reset` for
    /// the root, whose schema wins. The `path` file is read even when a
    /// schema is already set, so a missing file still fails.
    pub fn apply_openapi(&self, target: &Target, reset: bool) -> Result<()> {
        let Some(openapi) = &target.kustomization.open_api else {
            if reset {
                self.schema
                    .borrow_mut()
                    .set(&Default::default(), None, true)
                    .map_err(|e| target.err(e))?;
            }
            return Ok(());
        };
        let mut custom = None;
        if let Some(path) = openapi.get("path") {
            let file = target.loader.load_file(path).map_err(|e| target.err(e))?;
            if reset || !self.schema.borrow().is_set() {
                let docs = parse_docs(&file, DuplicateKeys::LastWins)?;
                custom = Some(
                    docs.into_iter()
                        .find(|d| !d.is_null())
                        .unwrap_or_else(Node::map),
                );
            }
        }
        self.schema
            .borrow_mut()
            .set(openapi, custom.as_ref(), reset)
            .map_err(|e| target.err(e))
    }
}

/// What one directory contributes: objects, field specs, vars.
#[derive(Clone, Default)]
pub struct Accumulator {
    pub resmap: ResMap,
    pub config: TransformerConfig,
    pub vars: Vec<Var>,
}

impl Accumulator {
    /// kustomize's `MergeAccumulator`: a child's result joins the parent's.
    fn merge(&mut self, other: Accumulator) -> Result<()> {
        self.resmap.append_all(other.resmap)?;
        self.config.merge(&other.config)?;
        super::vars::merge_var_sets(&mut self.vars, &other.vars)
    }

    /// kustomize's `AbsorbAll`: generated objects join by their behavior.
    pub fn absorb(&mut self, res: Resource) -> Result<()> {
        let id = res.id();
        let matches = self.resmap.find_by_any_id(&id);
        match matches.as_slice() {
            [] => match res.behavior {
                Behavior::Merge | Behavior::Replace => Err(Error::new(
                    ErrorKind::Conflict,
                    format!("id {} does not exist; cannot merge or replace", id),
                )),
                Behavior::Create => self.resmap.append(res),
            },
            [i] => {
                let old = self.resmap.get(*i);
                let merged = match res.behavior {
                    Behavior::Replace => merge_generated(old, res, false),
                    Behavior::Merge => merge_generated(old, res, true),
                    Behavior::Create => {
                        return Err(Error::new(
                            ErrorKind::Conflict,
                            format!("id {} exists; behavior must be merge or replace", id),
                        ))
                    }
                };
                *self.resmap.get_mut(*i) = merged;
                Ok(())
            }
            _ => Err(Error::new(
                ErrorKind::Conflict,
                format!("found multiple objects that could accept merge of {id}"),
            )),
        }
    }
}

/// A generated object replacing (or merged into) an existing one: it takes the
/// old one's name, namespace and bookkeeping; labels and annotations are
/// merged (new wins); with `merge_data`, `data` and `binaryData` too.
fn merge_generated(old: &Resource, mut new: Resource, merge_data: bool) -> Resource {
    for field in ["labels", "annotations"] {
        let mut merged = old
            .node
            .get_path(&["metadata", field])
            .and_then(Node::as_map)
            .cloned()
            .unwrap_or_default();
        if let Some(m) = new
            .node
            .get_path(&["metadata", field])
            .and_then(Node::as_map)
        {
            for (k, v) in m {
                merged.insert(k.clone(), v.clone());
            }
        }
        if merged.is_empty() {
            if let Some(meta) = new.node.get_mut("metadata") {
                meta.remove(field);
            }
        } else {
            new.node
                .entry_map("metadata")
                .set(field, Node::new(Value::Map(merged)));
        }
    }
    new.set_name(old.name());
    if old.namespace().is_empty() {
        if let Some(meta) = new.node.get_mut("metadata") {
            meta.remove("namespace");
        }
    } else {
        new.set_namespace(old.namespace());
    }
    if merge_data {
        for field in ["data", "binaryData"] {
            let mut merged = old
                .node
                .get(field)
                .and_then(Node::as_map)
                .cloned()
                .unwrap_or_default();
            if let Some(m) = new.node.get(field).and_then(Node::as_map) {
                for (k, v) in m {
                    merged.insert(k.clone(), v.clone());
                }
            }
            if !merged.is_empty() {
                new.node.set(field, Node::new(Value::Map(merged)));
            }
        }
        if !old.origin.is_empty_kustomize() {
            new.origin = old.origin.clone();
        }
    }
    // Build annotations come from the old object; the hash only when both ask.
    new.needs_hash = old.needs_hash && new.needs_hash;
    new.prev_ids = old.prev_ids.clone();
    new.name_prefixes = old.name_prefixes.clone();
    new.name_suffixes = old.name_suffixes.clone();
    new.ref_var_names = old.ref_var_names.clone();
    new.behavior = old.behavior;
    new
}

/// One loaded kustomization directory.
pub struct Target<'a> {
    pub loader: Loader<'a>,
    pub kustomization: Kustomization,
    pub file: Arc<SourceFile>,
    /// File name of the kustomization (`kustomization.yaml`, …).
    pub file_name: &'static str,
    /// Path of this directory relative to the build root, for origins.
    pub origin_path: String,
}

/// Joins origin paths as Go's `filepath.Join` does.
fn join_origin(base: &str, path: &str) -> String {
    let joined = if base.is_empty() {
        PathBuf::from(path)
    } else {
        Path::new(base).join(path)
    };
    let mut cleaned = clean(&joined).to_string_lossy().into_owned();
    if cleaned.is_empty() {
        cleaned = ".".into();
    }
    cleaned
}

impl<'a> Target<'a> {
    /// Finds and reads the kustomization file of the loader's root.
    pub fn load(loader: Loader<'a>, origin_path: String) -> Result<Target<'a>> {
        let fs = loader.sources.fs();
        let found: Vec<&'static str> = KUSTOMIZATION_FILE_NAMES
            .into_iter()
            .filter(|n| fs.is_file(&loader.root().join(n)))
            .collect();
        let file_name = match found.as_slice() {
            [] => {
                return Err(Error::new(
                    ErrorKind::Load,
                    format!(
                        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                        loader.root().display()
                    ),
                ))
            }
            [one] => *one,
            _ => {
                return Err(Error::new(
                    ErrorKind::Load,
                    format!(
                        "Found multiple kustomization files under: {}",
                        loader.root().display()
                    ),
                ))
            }
        };
        let path = loader.root().join(file_name);
        let file = loader.sources.load(&path).map_err(|e| {
            Error::new(ErrorKind::Load, format!("open {}: {e}", path.display())).in_file(&path)
        })?;
        let kustomization = parse_kustomization(&file)?;
        Ok(Target {
            loader,
            kustomization,
            file,
            file_name,
            origin_path,
        })
    }

    pub fn err(&self, e: Error) -> Error {
        e.in_file(&self.file.path)
    }

    fn origin_for(&self, path: &str) -> Origin {
        Origin {
            path: Some(join_origin(&self.origin_path, path)),
            ..Origin::default()
        }
    }

    /// The origin of builtin generators and transformers of this file.
    fn builtin_origin(&self, kind: &str) -> Origin {
        Origin {
            configured_in: Some(join_origin(&self.origin_path, self.file_name)),
            configured_by: Some(super::resid::ResId::new(
                Gvk::new("", "builtin", kind),
                "",
                "",
            )),
            ..Origin::default()
        }
    }

    /// kustomize's `AccumulateTarget` on a fresh accumulator.
    pub fn accumulate(&self, ctx: &BuildContext) -> Result<Accumulator> {
        let mut acc = Accumulator::default();
        self.accumulate_into(ctx, &mut acc)?;
        Ok(acc)
    }

    /// kustomize's `accumulateTarget`.
    fn accumulate_into(&self, ctx: &BuildContext, acc: &mut Accumulator) -> Result<()> {
        let k = &self.kustomization;
        for entry in k.resources.iter().flatten() {
            self.accumulate_resource(ctx, acc, entry)
                .map_err(|e| e.context("accumulating resources"))?;
        }
        // kustomize's MakeTransformerConfig: the defaults plus this layer's
        // `configurations:`, merged into what the accumulator holds.
        let mut config = TransformerConfig::defaults();
        for entry in k.configurations.iter().flatten() {
            let file = self.loader.load_file(entry).map_err(|e| self.err(e))?;
            for doc in parse_docs(&file, DuplicateKeys::LastWins)? {
                if !doc.is_null() {
                    let loaded =
                        TransformerConfig::from_node(&doc).map_err(|e| e.in_file(&file.path))?;
                    config.merge(&loaded).map_err(|e| e.in_file(&file.path))?;
                }
            }
        }
        acc.config.merge(&config).map_err(|e| self.err(e))?;
        for entry in k.crds.iter().flatten() {
            let file = self.loader.load_file(entry).map_err(|e| self.err(e))?;
            let config = super::crds::config_from_crds(&file)?;
            acc.config
                .merge(&config)
                .map_err(|e| e.in_file(&file.path))?;
        }
        self.run_generators(ctx, acc)?;
        for entry in k.components.iter().flatten() {
            self.accumulate_directory(ctx, acc, entry, true)
                .map_err(|e| e.context("accumulating components"))?;
        }
        self.run_transformers(ctx, acc)?;
        self.run_validators(ctx, acc)?;
        super::vars::merge_vars(
            &mut acc.resmap,
            &mut acc.vars,
            k.vars.as_deref().unwrap_or_default(),
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// A `resources:` entry: a file of objects, else a directory.
    fn accumulate_resource(
        &self,
        ctx: &BuildContext,
        acc: &mut Accumulator,
        entry: &str,
    ) -> Result<()> {
        if super::loader::is_remote(entry) {
            return Err(self.err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "remote resource '{entry}' is not supported: fluxlint builds offline and does not fetch URLs"
                ),
            )));
        }
        let path = self.loader.resolve(entry);
        if self.loader.sources.fs().is_file(&path) {
            let resources = self.read_resources(ctx, entry)?;
            for r in resources {
                acc.resmap.append(r).map_err(|e| {
                    self.err(e.context(format!("merging resources from '{entry}'")))
                })?;
            }
            return Ok(());
        }
        if self.loader.sources.fs().is_dir(&path) {
            return self.accumulate_directory(ctx, acc, entry, false);
        }
        Err(self.err(Error::new(
            ErrorKind::Load,
            format!(
                "accumulating resources from '{entry}': '{}' doesn't exist",
                path.display()
            ),
        )))
    }

    /// Objects of a resource file (lists expanded), with their origin.
    fn read_resources(&self, ctx: &BuildContext, entry: &str) -> Result<Vec<Resource>> {
        let file = self.loader.load_file(entry).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for doc in parse_docs(&file, DuplicateKeys::Error)
            .map_err(|e| e.context(format!("accumulating resources from '{entry}'")))?
        {
            for mut r in resources_from_node(doc, &file.path)? {
                ctx.note_kind(&r);
                r.origin.file = Some(file.path.clone());
                if ctx.track_origin {
                    let o = self.origin_for(entry);
                    r.origin.path = o.path;
                }
                out.push(r);
            }
        }
        Ok(out)
    }

    /// A base, overlay or component directory.
    fn accumulate_directory(
        &self,
        ctx: &BuildContext,
        acc: &mut Accumulator,
        entry: &str,
        is_component: bool,
    ) -> Result<()> {
        let loader = self.loader.child(entry).map_err(|e| self.err(e))?;
        let root = loader.root().to_path_buf();
        let sub = Target::load(loader, join_origin(&self.origin_path, entry)).map_err(|e| {
            e.context(format!(
                "couldn't make target for path '{}'",
                root.display()
            ))
        })?;
        let schema_set_before = ctx.schema.borrow().is_set();
        ctx.apply_openapi(&sub, false)?;
        if is_component && !sub.kustomization.is_component() {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!(
                    "expected kind '{KIND_COMPONENT}' for path '{}' but got '{}'",
                    root.display(),
                    sub.kustomization.kind.as_deref().unwrap_or("")
                ),
            )
            .in_file(&sub.file.path));
        }
        if !is_component && sub.kustomization.is_component() {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!(
                    "expected kind != '{KIND_COMPONENT}' for path '{}'",
                    root.display()
                ),
            )
            .in_file(&sub.file.path));
        }
        if is_component {
            // A component works on the parent's accumulator.
            sub.accumulate_into(ctx, acc).map_err(|e| {
                e.context(format!(
                    "recursed accumulation of path '{}'",
                    root.display()
                ))
            })
        } else {
            let key = super::cache::CacheKey {
                dir: root.clone(),
                kustomization_file: sub.file.id,
                origin_path: sub.origin_path.clone(),
                track_origin: ctx.track_origin,
                restrictor: ctx.restrictor,
                alpha_plugins: ctx.alpha_plugins,
            };
            let cache = ctx.cache.as_ref().filter(|_| !schema_set_before);
            if let Some(hit) = cache.and_then(|c| c.get(&key)) {
                return acc.merge(hit).map_err(|e| {
                    e.context(format!("recursed merging from path '{}'", root.display()))
                });
            }
            let child = sub.accumulate(ctx).map_err(|e| {
                e.context(format!(
                    "recursed accumulation of path '{}'",
                    root.display()
                ))
            })?;
            if let Some(cache) = cache.filter(|_| !ctx.schema.borrow().is_set()) {
                cache.insert(key, &child);
            }
            acc.merge(child)
                .map_err(|e| e.context(format!("recursed merging from path '{}'", root.display())))
        }
    }

    fn run_generators(&self, ctx: &BuildContext, acc: &mut Accumulator) -> Result<()> {
        let k = &self.kustomization;
        let global = k.generator_options.as_ref();
        for args in k.config_map_generator.iter().flatten() {
            let mut r =
                generators::config_map(args, global, &self.loader).map_err(|e| self.err(e))?;
            self.mark_generated(ctx, &mut r, "ConfigMapGenerator");
            acc.absorb(r).map_err(|e| self.err(e))?;
        }
        for args in k.secret_generator.iter().flatten() {
            let mut r = generators::secret(args, global, &self.loader).map_err(|e| self.err(e))?;
            self.mark_generated(ctx, &mut r, "SecretGenerator");
            acc.absorb(r).map_err(|e| self.err(e))?;
        }
        if k.helm_charts.as_ref().is_some_and(|c| !c.is_empty())
            || k.helm_chart_inflation_generator
                .as_ref()
                .is_some_and(|c| !c.is_empty())
        {
            return Err(self.err(Error::new(
                ErrorKind::Unsupported,
                "helmCharts are not supported: fluxlint does not run helm (render the chart with a Flux HelmRelease instead)",
            )));
        }
        if let Some(entries) = &k.generators {
            let configs = self.plugin_configs(ctx, entries)?;
            for (config, origin) in configs {
                let made =
                    plugins::generate(&config, &self.loader, ctx).map_err(|e| self.err(e))?;
                for mut r in made {
                    // The plugin's origin, as kustomize's AddOriginAnnotation sets it.
                    let o = if ctx.track_origin {
                        origin.clone()
                    } else {
                        Origin::default()
                    };
                    ctx.note_kind(&r);
                    r.origin.path = o.path;
                    r.origin.configured_in = o.configured_in;
                    r.origin.configured_by = o.configured_by;
                    r.origin.file = config.origin.file.clone();
                    acc.absorb(r).map_err(|e| self.err(e))?;
                }
            }
        }
        Ok(())
    }

    fn mark_generated(&self, ctx: &BuildContext, r: &mut Resource, kind: &str) {
        ctx.note_kind(r);
        r.generated = true;
        r.origin.file = Some(self.file.path.clone());
        let o = if ctx.track_origin {
            self.builtin_origin(kind)
        } else {
            Origin::default()
        };
        r.origin.path = o.path;
        r.origin.configured_in = o.configured_in;
        r.origin.configured_by = o.configured_by;
    }

    /// The objects of `generators:`/`transformers:`/`validators:` entries:
    /// inline YAML, else files or directories of plugin configs. Each comes
    /// with the origin kustomize gives a custom plugin.
    fn plugin_configs(
        &self,
        ctx: &BuildContext,
        entries: &[String],
    ) -> Result<Vec<(Resource, Origin)>> {
        let mut inline = ResMap::new();
        let mut paths = Vec::new();
        for entry in entries {
            let parsed =
                yaml::parse_documents(entry, crate::source::FileId::NONE, &LoadOptions::default())
                    .ok()
                    .and_then(|docs| {
                        let mut rs = Vec::new();
                        for d in docs.into_iter().filter(|d| !d.is_null()) {
                            rs.extend(resources_from_node(d, &self.file.path).ok()?);
                        }
                        Some(rs)
                    })
                    .filter(|rs| !rs.is_empty() && rs.iter().all(|r| !r.kind().is_empty()));
            match parsed {
                Some(rs) => {
                    for mut r in rs {
                        r.origin.file = Some(self.file.path.clone());
                        if ctx.track_origin {
                            r.origin.path = Some(join_origin(&self.origin_path, self.file_name));
                        }
                        inline.append(r).map_err(|e| self.err(e))?;
                    }
                }
                None => paths.push(entry.clone()),
            }
        }
        let mut acc = Accumulator {
            resmap: inline,
            ..Accumulator::default()
        };
        for p in &paths {
            self.accumulate_resource(ctx, &mut acc, p)?;
        }
        Ok(acc
            .resmap
            .into_resources()
            .into_iter()
            .map(|r| {
                let origin = Origin {
                    configured_in: r.origin.path.clone(),
                    configured_by: Some(r.id()),
                    ..Origin::default()
                };
                (r, origin)
            })
            .collect())
    }

    /// Builtin transformers in kustomize's fixed order, then `transformers:`.
    fn run_transformers(&self, ctx: &BuildContext, acc: &mut Accumulator) -> Result<()> {
        let k = &self.kustomization;
        let config = acc.config.clone();
        let schema = ctx.schema();
        let loader = &self.loader;
        let rm = &mut acc.resmap;
        let track = |rm: &mut ResMap, kind: &str| {
            if ctx.track_origin {
                record_transformation(rm, &self.builtin_origin(kind));
            }
            drop_empties(rm);
        };
        let e = |e: Error| self.err(e);

        if let Some(entries) = k.patches_strategic_merge.as_ref().filter(|p| !p.is_empty()) {
            transformers::patches::apply_strategic_merge(rm, entries, loader, &schema)
                .map_err(e)?;
            track(rm, "PatchStrategicMergeTransformer");
        }
        for patch in k.patches.iter().flatten() {
            transformers::patches::apply_patches(rm, std::slice::from_ref(patch), loader, &schema)
                .map_err(e)?;
            track(rm, "PatchTransformer");
        }
        if let Some(ns) = k.namespace.as_deref().filter(|n| !n.is_empty()) {
            transformers::namespace::apply(
                rm,
                ns,
                &config.namespace,
                transformers::namespace::RoleBindingSubjects::DefaultOnly,
                false,
            )
            .map_err(e)?;
            track(rm, "NamespaceTransformer");
        }
        if let Some(p) = k.name_prefix.as_deref().filter(|p| !p.is_empty()) {
            transformers::prefix_suffix::apply(rm, p, "", &config.name_prefix).map_err(e)?;
            track(rm, "PrefixTransformer");
        }
        if let Some(s) = k.name_suffix.as_deref().filter(|s| !s.is_empty()) {
            transformers::prefix_suffix::apply(rm, "", s, &config.name_suffix).map_err(e)?;
            track(rm, "SuffixTransformer");
        }
        let has_labels = k.labels.as_ref().is_some_and(|l| !l.is_empty())
            || k.common_labels.as_ref().is_some_and(|l| !l.is_empty());
        if has_labels {
            for label in k.labels.iter().flatten() {
                let specs = transformers::labels::entry_specs(label, &config).map_err(e)?;
                transformers::labels::apply(rm, &label.pairs, &specs).map_err(e)?;
                track(rm, "LabelTransformer");
            }
            let common = k.common_labels.clone().unwrap_or_default();
            transformers::labels::apply(rm, &common, &config.common_labels).map_err(e)?;
            track(rm, "LabelTransformer");
        }
        if let Some(a) = k.common_annotations.as_ref().filter(|a| !a.is_empty()) {
            transformers::annotations::apply(rm, a, &config.common_annotations).map_err(e)?;
            track(rm, "AnnotationsTransformer");
        }
        for patch in k.patches_json6902.iter().flatten() {
            transformers::patches::apply_json6902(rm, std::slice::from_ref(patch), loader)
                .map_err(e)?;
            track(rm, "PatchJson6902Transformer");
        }
        for replica in k.replicas.iter().flatten() {
            transformers::replicas::apply(rm, replica, &config.replicas).map_err(e)?;
            track(rm, "ReplicaCountTransformer");
        }
        for image in k.images.iter().flatten() {
            transformers::images::apply(rm, image, &config.images).map_err(e)?;
            track(rm, "ImageTagTransformer");
        }
        if let Some(entries) = k.replacements.as_ref().filter(|r| !r.is_empty()) {
            let loaded = replacements::load(entries, loader).map_err(e)?;
            replacements::apply(rm, &loaded).map_err(e)?;
            track(rm, "ReplacementTransformer");
        }

        if let Some(entries) = &k.transformers {
            let configs = self.plugin_configs(ctx, entries)?;
            for (plugin, origin) in configs {
                plugins::transform(&mut acc.resmap, &plugin, &self.loader, ctx, &acc.config)
                    .map_err(|e| self.err(e))?;
                if ctx.track_origin {
                    record_transformation(&mut acc.resmap, &origin);
                }
                drop_empties(&mut acc.resmap);
            }
        }
        Ok(())
    }

    /// Validators may not change anything; fluxlint runs no external ones.
    fn run_validators(&self, ctx: &BuildContext, acc: &mut Accumulator) -> Result<()> {
        let Some(entries) = self
            .kustomization
            .validators
            .as_ref()
            .filter(|v| !v.is_empty())
        else {
            return Ok(());
        };
        for (plugin, _) in self.plugin_configs(ctx, entries)? {
            let before = acc.resmap.clone();
            plugins::transform(&mut acc.resmap, &plugin, &self.loader, ctx, &acc.config)
                .map_err(|e| self.err(e))?;
            let same = before.len() == acc.resmap.len()
                && before
                    .iter()
                    .zip(acc.resmap.iter())
                    .all(|(a, b)| a.node == b.node);
            if !same {
                return Err(self.err(Error::new(
                    ErrorKind::Transformer,
                    "validator shouldn't modify the resource map",
                )));
            }
        }
        Ok(())
    }
}

/// kustomize's `AddTransformerAnnotation`: every object without an origin is
/// taken as made by the transformer; the others record it as a transformation.
fn record_transformation(rm: &mut ResMap, origin: &Origin) {
    for r in rm.iter_mut() {
        if r.origin.is_empty_kustomize() {
            r.origin.path = origin.path.clone();
            r.origin.configured_in = origin.configured_in.clone();
            r.origin.configured_by = origin.configured_by.clone();
        } else {
            r.transformations.push(origin.clone());
        }
    }
}

/// kustomize's `DropEmpties`: objects a patch emptied are gone.
fn drop_empties(rm: &mut ResMap) {
    rm.retain(|r| match &r.node.value {
        Value::Map(m) => !m.is_empty(),
        Value::Null => false,
        _ => true,
    });
}

/// Parses a file's documents, mapping YAML errors to build errors.
pub fn parse_docs(file: &SourceFile, duplicates: DuplicateKeys) -> Result<Vec<Node>> {
    let opts = LoadOptions {
        duplicate_keys: duplicates,
        ..LoadOptions::default()
    };
    yaml::parse_documents(&file.text, file.id, &opts).map_err(|e| {
        Error::new(ErrorKind::Parse, e.message)
            .in_file(&file.path)
            .at(e.span)
    })
}

/// Reads and checks a kustomization file.
pub fn parse_kustomization(file: &SourceFile) -> Result<Kustomization> {
    let docs = parse_docs(file, DuplicateKeys::LastWins)
        .map_err(|e| e.context("invalid Kustomization"))?;
    let node = docs
        .into_iter()
        .find(|d| !d.is_null())
        .unwrap_or_else(Node::map);
    if node.as_map().is_none() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            "invalid Kustomization: the file does not hold a mapping",
        )
        .in_file(&file.path)
        .at(node.span));
    }
    let mut k: Kustomization = yaml::de::from_node(&node).map_err(|e| {
        Error::new(
            ErrorKind::Kustomization,
            format!("invalid Kustomization: {}", e.message),
        )
        .in_file(&file.path)
        .at(e.span)
    })?;
    k.fix_legacy_fields();
    let is_empty = {
        let mut probe = k.clone();
        probe.api_version = None;
        probe.kind = None;
        format!("{probe:?}") == format!("{:?}", Kustomization::default())
    };
    if is_empty {
        return Err(
            Error::new(ErrorKind::Kustomization, "kustomization.yaml is empty").in_file(&file.path),
        );
    }
    let kind = k.kind.clone().unwrap_or_default();
    let mut errs = Vec::new();
    if !kind.is_empty() && kind != "Kustomization" && kind != KIND_COMPONENT {
        errs.push("kind should be Kustomization or Component".to_string());
    }
    let required = if kind == KIND_COMPONENT {
        "kustomize.config.k8s.io/v1alpha1"
    } else {
        "kustomize.config.k8s.io/v1beta1"
    };
    if let Some(v) = k
        .api_version
        .as_deref()
        .filter(|v| !v.is_empty() && *v != required)
    {
        let _ = v;
        errs.push(format!("apiVersion for {kind} should be {required}"));
    }
    if !errs.is_empty() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!(
                "Failed to read kustomization file under {}:\n{}",
                file.path.parent().unwrap_or(Path::new("")).display(),
                errs.join("\n")
            ),
        )
        .in_file(&file.path));
    }
    Ok(k)
}

/// The objects of one YAML document: a `kind: List` is expanded into its items.
pub fn resources_from_node(doc: Node, file: &Path) -> Result<Vec<Resource>> {
    if doc.is_null() {
        return Ok(Vec::new());
    }
    let Some(map) = doc.as_map() else {
        return Err(Error::new(ErrorKind::Resource, "missing Resource metadata")
            .in_file(file)
            .at(doc.span));
    };
    if map.is_empty() {
        return Ok(Vec::new());
    }
    let kind = doc.str_at(&["kind"]).unwrap_or("");
    if kind == "List"
        || (kind.ends_with("List") && doc.get("items").and_then(Node::as_seq).is_some())
    {
        if let Some(items) = doc.get("items").and_then(Node::as_seq) {
            let mut out = Vec::new();
            for item in items.clone() {
                out.extend(resources_from_node(item, file)?);
            }
            return Ok(out);
        }
    }
    let mut doc = doc;
    stringify_annotations(&mut doc);
    Ok(vec![Resource::new(doc)])
}

/// kustomize's reader rewrites `metadata.annotations` when it adds its index
/// annotations: every value becomes the string of its text as written
/// (`1.0` → `"1.0"`, `null` → `"null"`), and an empty map disappears.
fn stringify_annotations(doc: &mut Node) {
    let Some(meta) = doc.get_mut("metadata") else {
        return;
    };
    let remove = match meta.get_mut("annotations") {
        None => false,
        Some(a) if a.is_null() => true,
        Some(a) => match a.as_map_mut() {
            Some(map) if map.is_empty() => true,
            Some(map) => {
                for v in map.values_mut() {
                    let text = match (&v.plain, &v.value) {
                        (Some(raw), _) => Some(raw.to_string()),
                        (None, Value::Str(_)) => None,
                        (None, Value::Null) => Some("null".to_string()),
                        (None, _) => v.scalar_text(),
                    };
                    if let Some(text) = text {
                        v.value = Value::Str(text);
                        v.plain = None;
                    }
                }
                false
            }
            None => false,
        },
    };
    if remove {
        meta.remove("annotations");
    }
}
