//! The three patch fields of a kustomization, as kustomize's builtin
//! `PatchStrategicMergeTransformer`, `PatchTransformer` and
//! `PatchJson6902Transformer` apply them.
//!
//! Each works in two phases, like kustomize's plugins: *configure* (read the
//! patch files, decide what kind of patch a text is; errors are prefixed
//! "trouble configuring builtin … with config: …") and *apply* (find targets,
//! patch them). kustomize configures every builtin transformer of a
//! kustomization before running the first one, so a pipeline that wants the
//! same error precedence calls the `configure_*` functions first; the
//! `apply_*` functions do both phases at once.
//!
//! - `patches:` — a text that reads as objects is a strategic merge patch
//!   (SMP), a list of operations is a JSON 6902 patch; both or neither is an
//!   error. An SMP without `target` finds its object by its own
//!   apiVersion/kind/name/namespace against every object's current *or any
//!   previous* id (effective namespaces); it must match exactly one. With a
//!   `target` the (single) SMP applies to every selected object, taking that
//!   object's apiVersion. A JSON patch needs a target. After an SMP the
//!   object's namespace is put back, its name and kind too unless
//!   `options.allowNameChange` / `allowKindChange` say otherwise; when they
//!   do, the old id is kept as a previous id. A JSON patch keeps the old id
//!   of every object it touches.
//! - `patchesStrategicMerge:` — entries are inline YAML when they parse as
//!   patches, else file paths; matched like `patches:` SMPs without target.
//! - `patchesJson6902:` — a target with a name is required; previous ids are
//!   not recorded.
//!
//! A top-level `$patch: delete` removes the object from the resource map.

use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::kustomization::{Patch, Selector};
use crate::kustomize::loader::Loader;
use crate::kustomize::patch::json6902;
use crate::kustomize::patch::openapi::Schema;
use crate::kustomize::patch::strategic_merge;
use crate::kustomize::resid::{Gvk, ResId};
use crate::kustomize::resmap::ResMap;
use crate::kustomize::resource::{Behavior, Resource};
use crate::kustomize::select::{go_quote, select};
use crate::source::FileId;
use crate::yaml::{
    emit_document, parse_documents, DuplicateKeys, LoadOptions, Mapping, Node, Value,
};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::path::PathBuf;

/// The `patches:` field: each entry configured, then applied in order.
pub fn apply_patches(
    resmap: &mut ResMap,
    patches: &[Patch],
    loader: &Loader,
    schema: &Schema,
) -> Result<()> {
    for patch in configure_patches(patches, loader)? {
        patch.apply(resmap, schema)?;
    }
    Ok(())
}

/// The legacy `patchesStrategicMerge:` field (inline YAML or file paths).
pub fn apply_strategic_merge(
    resmap: &mut ResMap,
    entries: &[String],
    loader: &Loader,
    schema: &Schema,
) -> Result<()> {
    match configure_strategic_merge(entries, loader)? {
        Some(t) => t.apply(resmap, schema),
        None => Ok(()),
    }
}

/// The legacy `patchesJson6902:` field.
pub fn apply_json6902(resmap: &mut ResMap, patches: &[Patch], loader: &Loader) -> Result<()> {
    for patch in configure_json6902(patches, loader)? {
        patch.apply(resmap)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// patches:

/// One configured `patches:` entry (kustomize's `PatchTransformerPlugin`).
#[derive(Clone, Debug)]
pub struct PatchTransformer {
    body: PatchBody,
    target: Option<Selector>,
    allow_name_change: bool,
    allow_kind_change: bool,
    /// `[patch: "…"]` or `[path: "…"]`: how kustomize names the patch in messages.
    source: String,
    /// The patch file, when the patch came from one.
    file: Option<PathBuf>,
}

#[derive(Clone, Debug)]
enum PatchBody {
    /// Strategic merge patch documents, in file order.
    StrategicMerge(Vec<Node>),
    /// JSON 6902 text, decoded when applied, as kustomize's filter does (so a
    /// text that is neither, but reads as zero SMP documents, only fails when
    /// it meets a target).
    Json6902 { text: String, file: FileId },
}

/// Configures every `patches:` entry (reads files, classifies the texts).
pub fn configure_patches(patches: &[Patch], loader: &Loader) -> Result<Vec<PatchTransformer>> {
    patches
        .iter()
        .map(|p| {
            PatchTransformer::configure(p, loader).map_err(|e| {
                e.context(format!(
                    "trouble configuring builtin PatchTransformer with config: `\n{}`",
                    patch_config_yaml(p)
                ))
            })
        })
        .collect()
}

impl PatchTransformer {
    fn configure(entry: &Patch, loader: &Loader) -> Result<PatchTransformer> {
        let inline = entry.patch.as_deref().map(go_trim_space).unwrap_or("");
        let path = entry.path.as_deref().unwrap_or("");
        let (text, file_id, file, source) = match (inline.is_empty(), path.is_empty()) {
            (true, true) => {
                return Err(Error::new(
                    ErrorKind::Kustomization,
                    format!(
                        "must specify one of patch and path in\n{}",
                        patch_config_yaml(entry)
                    ),
                ))
            }
            (false, false) => {
                return Err(Error::new(
                    ErrorKind::Kustomization,
                    format!(
                        "patch and path can't be set at the same time\n{}",
                        patch_config_yaml(entry)
                    ),
                ))
            }
            (false, true) => (
                inline.to_string(),
                FileId::NONE,
                None,
                format!("[patch: {}]", go_quote(inline)),
            ),
            (true, false) => {
                let loaded = loader.load_file(path).map_err(|e| {
                    e.context(format!("failed to get the patch file from path({path})"))
                })?;
                (
                    loaded.text.to_string(),
                    loaded.id,
                    Some(loaded.path.clone()),
                    format!("[path: {}]", go_quote(path)),
                )
            }
        };
        let smp = strategic_merge_documents(&text, file_id);
        let json = if text.is_empty() {
            Err(Error::new(ErrorKind::Patch, "empty json patch operations"))
        } else {
            json6902::parse_ops(&text, file_id)
        };
        let body = match (smp, json) {
            (Ok(_), Ok(_)) => {
                return Err(Error::new(
                    ErrorKind::Patch,
                    format!("illegally qualifies as both an SM and JSON patch: {source}"),
                ))
            }
            (Err(_), Err(_)) => {
                return Err(Error::new(
                    ErrorKind::Patch,
                    format!("unable to parse SM or JSON patch from {source}"),
                ))
            }
            (Ok(docs), Err(_)) if !docs.is_empty() => PatchBody::StrategicMerge(docs),
            _ => PatchBody::Json6902 {
                text,
                file: file_id,
            },
        };
        let option = |name: &str| entry.options.get(name).copied().unwrap_or(false);
        Ok(PatchTransformer {
            body,
            target: entry.target.clone(),
            allow_name_change: option("allowNameChange"),
            allow_kind_change: option("allowKindChange"),
            source,
            file,
        })
    }

    /// Applies the patch to the objects it targets.
    pub fn apply(&self, resmap: &mut ResMap, schema: &Schema) -> Result<()> {
        let result = match &self.body {
            PatchBody::StrategicMerge(docs) => self.apply_strategic_merge(resmap, docs, schema),
            PatchBody::Json6902 { text, file } => self.apply_json6902(resmap, text, *file),
        };
        match &self.file {
            Some(path) => result.map_err(|e| e.in_file(path)),
            None => result,
        }
    }

    fn options(&self) -> SmpOptions {
        SmpOptions {
            allow_name_change: self.allow_name_change,
            allow_kind_change: self.allow_kind_change,
        }
    }

    fn apply_strategic_merge(
        &self,
        resmap: &mut ResMap,
        docs: &[Node],
        schema: &Schema,
    ) -> Result<()> {
        let Some(target) = &self.target else {
            for doc in docs {
                let id = patch_id(doc);
                let index = unique_by_any_id(resmap, &id)
                    .map_err(|e| {
                        e.context(format!(
                            "no resource matches strategic merge patch {}",
                            go_quote(&id.to_string())
                        ))
                    })
                    .map_err(|e| e.at(doc.span))?;
                if apply_smp(resmap, index, doc, self.options(), false, schema)? {
                    resmap.remove(index);
                }
            }
            return Ok(());
        };
        let [doc] = docs else {
            return Err(Error::new(
                ErrorKind::Patch,
                format!(
                    "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {}",
                    self.source
                ),
            ));
        };
        let selected = select(resmap, target).map_err(|e| {
            e.context(format!(
                "unable to find patch target {} in `resources`",
                go_quote(&selector_string(target))
            ))
        })?;
        apply_smp_to_each(resmap, &selected, doc, self.options(), schema)
    }

    fn apply_json6902(&self, resmap: &mut ResMap, text: &str, file: FileId) -> Result<()> {
        let Some(target) = &self.target else {
            return Err(Error::new(
                ErrorKind::Patch,
                format!("must specify a target for JSON patch {}", self.source),
            ));
        };
        let selected = select(resmap, target)?;
        if selected.is_empty() {
            return Ok(());
        }
        let ops = json6902::parse_ops(text, file)?;
        for i in selected {
            let res = resmap.get_mut(i);
            res.store_previous_id();
            apply_json_ops(res, &ops)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// patchesStrategicMerge:

/// The configured `patchesStrategicMerge:` field (kustomize's
/// `PatchStrategicMergeTransformerPlugin`): every patch document, in order.
#[derive(Clone, Debug)]
pub struct StrategicMergeTransformer {
    patches: Vec<(Node, Option<PathBuf>)>,
}

/// Configures `patchesStrategicMerge:`; `None` when the field is empty.
/// Each entry is tried as inline YAML first, then as a file path.
pub fn configure_strategic_merge(
    entries: &[String],
    loader: &Loader,
) -> Result<Option<StrategicMergeTransformer>> {
    if entries.is_empty() {
        return Ok(None);
    }
    let fail = |e: Error| {
        e.context(format!(
            "trouble configuring builtin PatchStrategicMergeTransformer with config: `\n{}`",
            strategic_merge_config_yaml(entries)
        ))
    };
    let mut patches = Vec::new();
    for entry in entries {
        if let Ok(docs) = strategic_merge_documents(entry, FileId::NONE) {
            patches.extend(docs.into_iter().map(|d| (d, None)));
            continue;
        }
        let file = loader.load_file(entry).map_err(fail)?;
        let docs = strategic_merge_documents(&file.text, file.id)
            .map_err(|e| fail(file_format_error(e, entry).in_file(&file.path)))?;
        patches.extend(docs.into_iter().map(|d| (d, Some(file.path.clone()))));
    }
    if patches.is_empty() {
        return Err(fail(Error::new(
            ErrorKind::Patch,
            format!(
                "patch appears to be empty; files=[{}], Patch=",
                entries.join(" ")
            ),
        )));
    }
    Ok(Some(StrategicMergeTransformer { patches }))
}

impl StrategicMergeTransformer {
    /// Applies each patch document to the one object its id names.
    pub fn apply(&self, resmap: &mut ResMap, schema: &Schema) -> Result<()> {
        for (doc, file) in &self.patches {
            let in_file = |e: Error| match file {
                Some(f) => e.in_file(f).at(doc.span),
                None => e.at(doc.span),
            };
            let index = unique_by_any_id(resmap, &patch_id(doc)).map_err(in_file)?;
            if apply_smp(resmap, index, doc, SmpOptions::default(), true, schema)
                .map_err(in_file)?
            {
                resmap.remove(index);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// patchesJson6902:

/// One configured `patchesJson6902:` entry (kustomize's `PatchJson6902TransformerPlugin`).
#[derive(Clone, Debug)]
pub struct Json6902Transformer {
    target: Selector,
    ops: Node,
    file: Option<PathBuf>,
}

/// Configures every `patchesJson6902:` entry (target name required, the
/// operations read and decoded, an empty list refused).
pub fn configure_json6902(patches: &[Patch], loader: &Loader) -> Result<Vec<Json6902Transformer>> {
    patches
        .iter()
        .map(|p| {
            Json6902Transformer::configure(p, loader).map_err(|e| {
                e.context(format!(
                    "trouble configuring builtin PatchJson6902Transformer with config: `\n{}`",
                    json6902_config_yaml(p)
                ))
            })
        })
        .collect()
}

impl Json6902Transformer {
    fn configure(entry: &Patch, loader: &Loader) -> Result<Json6902Transformer> {
        let err = |m: &str| Error::new(ErrorKind::Kustomization, m);
        let target = match &entry.target {
            Some(t) if !t.name.is_empty() => t.clone(),
            _ => return Err(err("must specify the target name")),
        };
        let inline = entry.patch.as_deref().unwrap_or("");
        let path = entry.path.as_deref().unwrap_or("");
        let (text, file_id, file) = match (path.is_empty(), inline.is_empty()) {
            (true, true) => return Err(err("empty file path and empty jsonOp")),
            (false, false) => return Err(err("must specify a file path or jsonOp, not both")),
            (true, false) => (inline.to_string(), FileId::NONE, None),
            (false, true) => {
                let loaded = loader.load_file(path)?;
                if loaded.text.is_empty() {
                    return Err(Error::new(
                        ErrorKind::Patch,
                        format!("patch file '{path}' empty seems to be empty"),
                    )
                    .in_file(&loaded.path));
                }
                (
                    loaded.text.to_string(),
                    loaded.id,
                    Some(loaded.path.clone()),
                )
            }
        };
        let in_file = |e: Error| match &file {
            Some(f) => e.in_file(f),
            None => e,
        };
        // kustomize converts YAML to JSON text first and quotes that text in
        // decoding errors.
        let (doc, json_text) = if text.starts_with('[') {
            (None, text.clone())
        } else {
            let doc = json6902::read_document(&text, file_id).map_err(in_file)?;
            let json = json6902::to_go_json(&doc);
            (Some(doc), json)
        };
        let ops = match doc {
            None => json6902::parse_ops(&text, file_id),
            Some(doc) => json6902::decode_ops(doc),
        }
        .map_err(|e| in_file(e.context(format!("decoding {json_text}"))))?;
        if ops.as_seq().is_none_or(|s| s.is_empty()) {
            return Err(in_file(Error::new(
                ErrorKind::Patch,
                format!("patch appears to be empty; file={path}, JsonOp={json_text}"),
            )));
        }
        Ok(Json6902Transformer { target, ops, file })
    }

    /// Applies the operations to every selected object.
    pub fn apply(&self, resmap: &mut ResMap) -> Result<()> {
        for i in select(resmap, &self.target)? {
            apply_json_ops(resmap.get_mut(i), &self.ops).map_err(|e| match &self.file {
                Some(f) => e.in_file(f),
                None => e,
            })?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// JSON 6902 on one object

/// kustomize's domain of build annotations.
const BUILD_DOMAIN: &str = "internal.config.kubernetes.io";

/// Applies JSON operations to an object as kustomize does.
///
/// kustomize keeps its bookkeeping (previous ids, prefixes, suffixes,
/// generator state) in `internal.config.kubernetes.io/*` annotations, so the
/// patch sees an `annotations` map even on an object that has none (`add
/// /metadata/annotations/x` works). Afterwards it rewrites the annotations
/// from their string view with its own put back: every value becomes a
/// string (`on` read as true gives `"true"`), and a map left empty goes.
/// fluxlint keeps the bookkeeping in [`Resource`] fields, so those
/// annotations join the node for the patch and leave it again.
fn apply_json_ops(res: &mut Resource, ops: &Node) -> Result<()> {
    let build = build_annotations(res);
    let mut node = res.node.clone();
    if !build.is_empty() {
        let annotations = node.entry_map("metadata").entry_map("annotations");
        for (k, v) in &build {
            annotations.set(k, Node::string(v.as_str()));
        }
    }
    json6902::apply(&mut node, ops)?;
    let meta = node.entry_map("metadata");
    let rewritten = meta.get("annotations").map(|old| {
        let mut annotations = Mapping::new();
        for (k, v) in old.as_map().into_iter().flatten() {
            if build.iter().any(|(b, _)| *b == k.name) {
                continue;
            }
            let text = match (&v.value, &v.plain) {
                (Value::Str(s), _) => s.clone(),
                (Value::Null, _) => "null".to_string(),
                (Value::Seq(_) | Value::Map(_), _) => String::new(),
                (_, Some(written)) => written.to_string(),
                _ => v.scalar_text().unwrap_or_default(),
            };
            annotations.insert(k.clone(), Node::with_span(Value::Str(text), v.span));
        }
        annotations.sort_by(|a, _, b, _| a.name.cmp(&b.name));
        Node::with_span(Value::Map(annotations), old.span)
    });
    match rewritten {
        Some(a) if a.as_map().is_some_and(|m| !m.is_empty()) => meta.set("annotations", a),
        Some(_) => {
            meta.remove("annotations");
        }
        None => {}
    }
    res.node = node;
    Ok(())
}

/// The build annotations kustomize would carry on `res` at this point.
fn build_annotations(res: &Resource) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut csv = |name: &str, values: Vec<String>| {
        // kustomize's appendCsvAnnotation skips empty values.
        let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
        if !values.is_empty() {
            out.push((format!("{BUILD_DOMAIN}/{name}"), values.join(",")));
        }
    };
    let prev = &res.prev_ids;
    csv(
        "previousNames",
        prev.iter().map(|id| id.name.clone()).collect(),
    );
    csv(
        "previousNamespaces",
        prev.iter()
            .map(|id| id.effective_namespace().to_string())
            .collect(),
    );
    csv(
        "previousKinds",
        prev.iter().map(|id| id.gvk.kind.clone()).collect(),
    );
    csv("prefixes", res.name_prefixes.clone());
    csv("suffixes", res.name_suffixes.clone());
    if res.generated {
        // "unspecified" is what kustomize writes for an entry without
        // `behavior`, which fluxlint does not tell apart from "create".
        let behavior = match res.behavior {
            Behavior::Create => "unspecified",
            Behavior::Merge => "merge",
            Behavior::Replace => "replace",
        };
        out.push((format!("{BUILD_DOMAIN}/generatorBehavior"), behavior.into()));
    }
    if res.needs_hash {
        out.push((format!("{BUILD_DOMAIN}/needsHashSuffix"), "enabled".into()));
    }
    out
}

// ---------------------------------------------------------------------------
// Strategic merge of one patch document into one object

#[derive(Clone, Copy, Debug, Default)]
struct SmpOptions {
    allow_name_change: bool,
    allow_kind_change: bool,
}

/// kustomize's `resWrangler.ApplySmPatch`: the patch applies to each selected
/// object (taking its apiVersion); objects the patch deletes are removed.
fn apply_smp_to_each(
    resmap: &mut ResMap,
    selected: &[usize],
    doc: &Node,
    options: SmpOptions,
    schema: &Schema,
) -> Result<()> {
    let mut deleted = Vec::new();
    for &i in selected {
        if apply_smp(resmap, i, doc, options, true, schema)? {
            deleted.push(i);
        }
    }
    for i in deleted.into_iter().rev() {
        resmap.remove(i);
    }
    Ok(())
}

/// kustomize's `Resource.ApplySmPatch` on object `index`. Returns true when
/// the patch deleted the object (the caller removes it).
fn apply_smp(
    resmap: &mut ResMap,
    index: usize,
    doc: &Node,
    options: SmpOptions,
    take_api_version: bool,
    schema: &Schema,
) -> Result<bool> {
    let res = resmap.get_mut(index);
    let patch = if take_api_version {
        let mut copy = doc.clone();
        copy.set("apiVersion", Node::string(res.gvk().api_version()));
        Cow::Owned(copy)
    } else {
        Cow::Borrowed(doc)
    };
    let kind = res.node.get("kind").cloned();
    let name = res.node.get_path(&["metadata", "name"]).cloned();
    let namespace = res.node.get_path(&["metadata", "namespace"]).cloned();
    if options.allow_name_change || options.allow_kind_change {
        res.store_previous_id();
    }
    if merge_document(&mut res.node, &patch, schema)? || is_nil_or_empty(&res.node) {
        return Ok(true);
    }
    if !options.allow_kind_change {
        res.node
            .set("kind", kind.unwrap_or_else(|| Node::string("")));
    }
    if !options.allow_name_change {
        res.node
            .entry_map("metadata")
            .set("name", name.unwrap_or_else(|| Node::string("")));
    }
    // The namespace always comes back; an object without one loses the patch's.
    match namespace.filter(|n| n.scalar_text().is_some_and(|s| !s.is_empty())) {
        Some(ns) => res.node.entry_map("metadata").set("namespace", ns),
        None => {
            if let Some(meta) = res.node.get_mut("metadata") {
                meta.remove("namespace");
            }
        }
    }
    Ok(false)
}

/// Runs the strategic merge; true when the patch deletes the object.
fn merge_document(target: &mut Node, patch: &Node, schema: &Schema) -> Result<bool> {
    let outcome = strategic_merge::merge(target, patch, schema)?;
    Ok(outcome == strategic_merge::MergeOutcome::Deleted)
}

/// kyaml's `IsNilOrEmpty` for an object: null, `{}` or `[]`.
fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        _ => false,
    }
}

/// The one object whose current or previous id is `id` (kustomize's `GetById`).
fn unique_by_any_id(resmap: &ResMap, id: &ResId) -> Result<usize> {
    let found = resmap.find_by_any_id(id);
    let shown = id.to_string();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::new(
            ErrorKind::Patch,
            format!("no matches for Id {shown}; failed to find unique target for patch {shown}"),
        )),
        _ => Err(Error::new(
            ErrorKind::Patch,
            format!(
                "multiple matches for Id {shown}; failed to find unique target for patch {shown}"
            ),
        )),
    }
}

/// The id a patch document names (its apiVersion, kind, name, namespace).
fn patch_id(doc: &Node) -> ResId {
    ResId::new(
        Gvk::from_api_version(&meta_text(doc, &["apiVersion"]), &meta_text(doc, &["kind"])),
        &meta_text(doc, &["metadata", "namespace"]),
        &meta_text(doc, &["metadata", "name"]),
    )
}

/// A scalar field as kyaml reads object metadata: its text as written.
fn meta_text(doc: &Node, path: &[&str]) -> String {
    match doc.get_path(path) {
        Some(n) => match (&n.plain, &n.value) {
            (Some(p), _) => p.to_string(),
            (None, Value::Null | Value::Seq(_) | Value::Map(_)) => String::new(),
            (None, _) => n.scalar_text().unwrap_or_default(),
        },
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Reading strategic merge patch documents (kustomize's `Factory.SliceFromBytes`)

/// The objects of a patch text: YAML documents, empty ones dropped, `List`
/// kinds unwrapped; each must have a kind and (unless a list) a name.
/// Zero documents is not an error.
fn strategic_merge_documents(text: &str, file: FileId) -> Result<Vec<Node>> {
    // kyaml never decodes a patch into a Go map: a repeated key is not an
    // error, and its lookups find the first one.
    let opts = LoadOptions {
        duplicate_keys: DuplicateKeys::FirstWins,
        ..LoadOptions::default()
    };
    let docs = parse_documents(text, file, &opts).map_err(|e| {
        Error::new(
            ErrorKind::Parse,
            format!("MalformedYAMLError: {}", e.go_message()),
        )
        .at(e.span)
    })?;
    let single = docs.len() == 1;
    let mut nodes = Vec::new();
    for doc in docs {
        if doc.is_null() {
            continue;
        }
        let kind = meta_text(&doc, &["kind"]);
        // kio.ByteReader unwraps a lone `List`/`ResourceList` document.
        if single
            && (kind == "List" || kind == "ResourceList")
            && (doc.get("items").is_some() || doc.get("functionConfig").is_some())
        {
            if let Some(items) = doc.get("items").and_then(Node::as_seq) {
                nodes.extend(items.iter().cloned());
            }
            continue;
        }
        nodes.push(doc);
    }
    let mut queue: VecDeque<Node> = valid_objects(nodes)?.into();
    let mut result = Vec::new();
    // inlineAnyEmbeddedLists: a `FooList` with items becomes its items,
    // queued after the remaining documents.
    while let Some(node) = queue.pop_front() {
        let kind = meta_text(&node, &["kind"]);
        if !kind.ends_with("List") {
            result.push(node);
            continue;
        }
        match node.get("items").map(|n| &n.value) {
            None => result.push(node),
            Some(Value::Null) => {}
            Some(Value::Seq(items)) => queue.extend(valid_objects(items.clone())?),
            Some(other) => {
                return Err(Error::new(
                    ErrorKind::Patch,
                    format!(
                        "expected array in {kind}/items, but found {}",
                        go_decoded_type(other)
                    ),
                )
                .at(node.span))
            }
        }
    }
    Ok(result)
}

/// kustomize's `dropBadNodes`: empty objects dropped, kind and name required.
fn valid_objects(nodes: Vec<Node>) -> Result<Vec<Node>> {
    let mut result = Vec::new();
    for node in nodes {
        if is_nil_or_empty(&node) {
            continue;
        }
        let meta = ResourceMeta::of(&node);
        if meta.missing {
            return Err(Error::new(ErrorKind::Resource, "missing Resource metadata").at(node.span));
        }
        if meta.kind.is_empty() {
            return Err(Error::new(
                ErrorKind::Resource,
                format!("missing kind in object {meta}"),
            )
            .at(node.span));
        }
        if !meta.kind.ends_with("List") && meta.name.is_empty() {
            return Err(Error::new(
                ErrorKind::Resource,
                format!("missing metadata.name in object {meta}"),
            )
            .at(node.span));
        }
        result.push(node);
    }
    Ok(result)
}

/// kyaml's `ResourceMeta`, printed as Go's `%v` prints it in messages.
struct ResourceMeta {
    api_version: String,
    kind: String,
    name: String,
    namespace: String,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
    /// None of the fields above is present (kyaml's `ErrMissingMetadata`).
    missing: bool,
}

impl ResourceMeta {
    fn of(node: &Node) -> ResourceMeta {
        let present = |path: &[&str]| node.get_path(path).is_some_and(|n| !is_nil_or_empty(n));
        let string_map = |field: &str| -> Vec<(String, String)> {
            let mut pairs: Vec<(String, String)> = node
                .get_path(&["metadata", field])
                .and_then(Node::as_map)
                .map(|m: &Mapping| {
                    m.iter()
                        .map(|(k, v)| (k.name.clone(), meta_text(v, &[])))
                        .collect()
                })
                .unwrap_or_default();
            pairs.sort();
            pairs
        };
        let metadata_fields = ["name", "namespace", "labels", "annotations"];
        let missing = !node.as_map().is_some_and(|_| {
            present(&["apiVersion"])
                || present(&["kind"])
                || metadata_fields.iter().any(|f| present(&["metadata", f]))
        });
        ResourceMeta {
            api_version: meta_text(node, &["apiVersion"]),
            kind: meta_text(node, &["kind"]),
            name: meta_text(node, &["metadata", "name"]),
            namespace: meta_text(node, &["metadata", "namespace"]),
            labels: string_map("labels"),
            annotations: string_map("annotations"),
            missing,
        }
    }
}

impl std::fmt::Display for ResourceMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let go_map = |pairs: &[(String, String)]| {
            let items: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[{}]", items.join(" "))
        };
        write!(
            f,
            "{{{{{} {}}} {{{{{} {}}} {} {}}}}}",
            self.api_version,
            self.kind,
            self.name,
            self.namespace,
            go_map(&self.labels),
            go_map(&self.annotations)
        )
    }
}

/// Go's `%T` of a value decoded by yaml.v3 into `interface{}`.
fn go_decoded_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// kustomize's `kusterr.Handler` for a patch file that does not read.
fn file_format_error(e: Error, path: &str) -> Error {
    if e.message.contains("error converting YAML to JSON")
        || e.message.contains("error unmarshaling JSON")
    {
        let message = format!(
            "YAML file [{path}] encounters a format error.\n{}\n",
            e.message
        );
        return Error { message, ..e };
    }
    if e.message.contains("MalformedYAMLError") {
        let message = format!("{} in File: {path}", e.message);
        return Error { message, ..e };
    }
    e
}

// ---------------------------------------------------------------------------
// How kustomize prints ids, selectors and plugin configs in messages

/// kustomize's `Selector.String()`.
fn selector_string(s: &Selector) -> String {
    let id = ResId::new(
        Gvk::new(&s.group, &s.version, &s.kind),
        &s.namespace,
        &s.name,
    );
    format!("{}:a={}:l={}", id, s.annotation_selector, s.label_selector)
}

/// Go's `strings.TrimSpace`.
fn go_trim_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

fn config_yaml(fields: Vec<(&str, Node)>) -> String {
    let mut map = Node::map();
    for (k, v) in fields {
        map.set(k, v);
    }
    let mut out = String::new();
    emit_document(&map, &mut out);
    out
}

fn selector_node(s: &Selector) -> Node {
    let mut node = Node::map();
    for (k, v) in [
        ("group", &s.group),
        ("version", &s.version),
        ("kind", &s.kind),
        ("name", &s.name),
        ("namespace", &s.namespace),
        ("annotationSelector", &s.annotation_selector),
        ("labelSelector", &s.label_selector),
    ] {
        if !v.is_empty() {
            node.set(k, Node::string(v.as_str()));
        }
    }
    node
}

fn non_empty(s: &Option<String>) -> Option<Node> {
    s.as_deref().filter(|s| !s.is_empty()).map(Node::string)
}

/// The YAML kustomize marshals a `patches:` entry's plugin config to.
fn patch_config_yaml(p: &Patch) -> String {
    let mut fields = Vec::new();
    if let Some(path) = non_empty(&p.path) {
        fields.push(("path", path));
    }
    if let Some(patch) = non_empty(&p.patch) {
        fields.push(("patch", patch));
    }
    if let Some(t) = &p.target {
        fields.push(("target", selector_node(t)));
    }
    if !p.options.is_empty() {
        let mut options = Node::map();
        for (k, v) in &p.options {
            options.set(k, Node::new(Value::Bool(*v)));
        }
        fields.push(("options", options));
    }
    config_yaml(fields)
}

fn strategic_merge_config_yaml(entries: &[String]) -> String {
    let paths = entries.iter().map(|e| Node::string(e.as_str())).collect();
    config_yaml(vec![("paths", Node::seq(paths))])
}

fn json6902_config_yaml(p: &Patch) -> String {
    let mut fields = Vec::new();
    if let Some(t) = &p.target {
        fields.push(("target", selector_node(t)));
    }
    if let Some(path) = non_empty(&p.path) {
        fields.push(("path", path));
    }
    if let Some(op) = non_empty(&p.patch) {
        fields.push(("jsonOp", op));
    }
    config_yaml(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::loader::LoadRestrictor;
    use crate::source::{MemoryFs, SourceMap};
    use crate::yaml::emit_documents;
    use std::path::Path;
    use std::sync::Arc;

    const RESOURCES: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: b
";

    fn resmap(yaml: &str) -> ResMap {
        parse_documents(yaml, FileId::NONE, &LoadOptions::default())
            .expect("test yaml")
            .into_iter()
            .map(Resource::new)
            .collect()
    }

    fn sources(files: &[(&str, &str)]) -> SourceMap {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(Path::new("/app").join(path), *text);
        }
        SourceMap::new(Arc::new(fs))
    }

    fn loader(sources: &SourceMap) -> Loader<'_> {
        Loader::new(sources, Path::new("/app"), LoadRestrictor::RootOnly)
    }

    fn patches(yaml: &str) -> Vec<Patch> {
        let doc = parse_documents(yaml, FileId::NONE, &LoadOptions::default())
            .expect("test yaml")
            .remove(0);
        crate::yaml::de::from_node(&doc).expect("patches")
    }

    fn output(m: &ResMap) -> String {
        let nodes: Vec<Node> = m.iter().map(|r| r.node.clone()).collect();
        emit_documents(&nodes)
    }

    fn run_patches(m: &mut ResMap, yaml: &str, files: &[(&str, &str)]) -> Result<()> {
        let sources = sources(files);
        apply_patches(m, &patches(yaml), &loader(&sources), &Schema::default())
    }

    #[test]
    fn smp_without_target_matches_by_previous_id() {
        let mut m = resmap(RESOURCES);
        let cm = m.get_mut(1);
        cm.store_previous_id();
        cm.set_name("p-cm");
        run_patches(
            &mut m,
            "- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cm\n    data:\n      c: d\n",
            &[],
        )
        .unwrap();
        let cm = m.get(1);
        assert_eq!(cm.name(), "p-cm");
        assert_eq!(cm.node.str_at(&["data", "c"]), Some("d"));
        assert_eq!(cm.node.str_at(&["data", "a"]), Some("b"));
    }

    #[test]
    fn smp_without_target_must_match_exactly_one() {
        let mut m = resmap(RESOURCES);
        let e = run_patches(
            &mut m,
            "- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: other\n      namespace: foo\n",
            &[],
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "no resource matches strategic merge patch \"ConfigMap.v1.[noGrp]/other.foo\": no matches for Id ConfigMap.v1.[noGrp]/other.foo; failed to find unique target for patch ConfigMap.v1.[noGrp]/other.foo"
        );
        // `default` and no namespace are the same namespace.
        run_patches(
            &mut m,
            "- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cm\n      namespace: default\n    data:\n      c: d\n",
            &[],
        )
        .unwrap();
        assert_eq!(m.get(1).namespace(), "");
    }

    #[test]
    fn smp_with_target_restores_name_kind_and_namespace() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: ConfigMap}\n  patch: |\n    apiVersion: v9\n    kind: Other\n    metadata:\n      name: renamed\n      namespace: ns1\n    data:\n      c: d\n",
            &[],
        )
        .unwrap();
        let cm = m.get(1);
        assert_eq!(
            cm.id(),
            ResId::new(Gvk::new("", "v1", "ConfigMap"), "", "cm")
        );
        assert_eq!(cm.node.str_at(&["data", "c"]), Some("d"));
        assert!(cm.prev_ids.is_empty());
        // Unselected objects are untouched.
        assert_eq!(m.get(0).node.get_path(&["data"]), None);
    }

    #[test]
    fn allow_name_and_kind_change() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: Deployment}\n  options: {allowNameChange: true, allowKindChange: true}\n  patch: |\n    apiVersion: v1\n    kind: StatefulSet\n    metadata:\n      name: new-name\n",
            &[],
        )
        .unwrap();
        let res = m.get(0);
        assert_eq!(res.kind(), "StatefulSet");
        assert_eq!(res.name(), "new-name");
        // The apiVersion is the target's, not the patch's.
        assert_eq!(res.api_version(), "apps/v1");
        assert_eq!(
            res.prev_ids,
            vec![ResId::new(Gvk::new("apps", "v1", "Deployment"), "", "web")]
        );
        // A later patch may name the object by its old id.
        run_patches(
            &mut m,
            "- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: 5\n",
            &[],
        )
        .unwrap();
        assert_eq!(
            m.get(0)
                .node
                .get_path(&["spec", "replicas"])
                .map(|n| n.value.clone()),
            Some(Value::Int(5))
        );
    }

    #[test]
    fn name_change_only_when_allowed() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- options: {allowNameChange: false}\n  patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cm\n    data: {x: y}\n",
            &[],
        )
        .unwrap();
        assert_eq!(m.get(1).name(), "cm");
        assert!(m.get(1).prev_ids.is_empty());
    }

    #[test]
    fn smp_delete_removes_the_object() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    $patch: delete\n",
            &[],
        )
        .unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m.get(0).name(), "cm");
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {name: web|cm}\n  patch: |\n    apiVersion: v1\n    kind: Any\n    metadata:\n      name: any\n    $patch: delete\n",
            &[],
        )
        .unwrap();
        assert!(m.is_empty());
    }

    #[test]
    fn several_documents_with_target_is_an_error() {
        let mut m = resmap(RESOURCES);
        let e = run_patches(
            &mut m,
            "- target: {kind: ConfigMap}\n  path: p.yaml\n",
            &[(
                "p.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
            )],
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: [path: \"p.yaml\"]"
        );
        assert_eq!(e.file.as_deref(), Some(Path::new("/app/p.yaml")));
    }

    #[test]
    fn json_patch_records_previous_id() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: ConfigMap, name: cm}\n  patch: '[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"cm2\"}]'\n",
            &[],
        )
        .unwrap();
        let cm = m.get(1);
        assert_eq!(cm.name(), "cm2");
        assert_eq!(cm.orig_id().name, "cm");
        // Untargeted objects keep no previous id.
        assert!(m.get(0).prev_ids.is_empty());
    }

    #[test]
    fn json_patch_in_yaml_from_a_file() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: Deployment}\n  path: ops.yaml\n",
            &[(
                "ops.yaml",
                "- op: add\n  path: /metadata/labels/x\n  value: v\n",
            )],
        )
        .unwrap();
        assert_eq!(
            m.get(0).node.str_at(&["metadata", "labels", "x"]),
            Some("v")
        );
    }

    #[test]
    fn json_patch_needs_a_target() {
        let mut m = resmap(RESOURCES);
        let e = run_patches(&mut m, "- patch: '[]'\n", &[]).unwrap_err();
        assert!(e
            .message
            .ends_with("illegally qualifies as both an SM and JSON patch: [patch: \"[]\"]"));
        let e = run_patches(
            &mut m,
            "- patch: '[{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]'\n",
            &[],
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "must specify a target for JSON patch [patch: \"[{\\\"op\\\":\\\"add\\\",\\\"path\\\":\\\"/x\\\",\\\"value\\\":1}]\"]"
        );
    }

    #[test]
    fn configuration_errors_quote_the_plugin_config() {
        let mut m = resmap(RESOURCES);
        let e = run_patches(
            &mut m,
            "- target: {kind: Deployment}\n  patch: |\n    kind: Deployment\n    spec: {}\n",
            &[],
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "trouble configuring builtin PatchTransformer with config: `\npatch: |\n  kind: Deployment\n  spec: {}\ntarget:\n  kind: Deployment\n`: unable to parse SM or JSON patch from [patch: \"kind: Deployment\\nspec: {}\"]"
        );
        let e = run_patches(
            &mut m,
            "- target: {kind: Deployment}\n  path: p.yaml\n",
            &[("p.yaml", "  \n")],
        )
        .unwrap_err();
        assert!(e
            .message
            .ends_with("`: illegally qualifies as both an SM and JSON patch: [path: \"p.yaml\"]"));
        let e = run_patches(&mut m, "- path: nothere.yaml\n", &[]).unwrap_err();
        assert!(e.message.starts_with(
            "trouble configuring builtin PatchTransformer with config: `\npath: nothere.yaml\n`: failed to get the patch file from path(nothere.yaml): "
        ));
    }

    #[test]
    fn empty_patch_file_with_target_is_an_empty_json_patch() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: ConfigMap}\n  path: p.yaml\n",
            &[("p.yaml", "")],
        )
        .unwrap();
        // The JSON round trip still happened, and the previous id was stored.
        assert_eq!(m.get(1).prev_ids.len(), 1);
    }

    #[test]
    fn strategic_merge_inline_and_paths() {
        let sources = sources(&[(
            "p.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
        )]);
        let mut m = resmap(RESOURCES);
        let entries = vec![
            "p.yaml".to_string(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  z: z\n".to_string(),
        ];
        apply_strategic_merge(&mut m, &entries, &loader(&sources), &Schema::default()).unwrap();
        assert_eq!(
            m.get(0)
                .node
                .get_path(&["spec", "replicas"])
                .map(|n| n.value.clone()),
            Some(Value::Int(3))
        );
        assert_eq!(m.get(1).node.str_at(&["data", "z"]), Some("z"));
    }

    #[test]
    fn strategic_merge_errors() {
        let sources = sources(&[
            (
                "noname.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n",
            ),
            (
                "bad.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  bad: [\n",
            ),
            (
                "amb.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            ),
        ]);
        let ldr = loader(&sources);
        let mut m = resmap(RESOURCES);
        let e = apply_strategic_merge(&mut m, &["noname.yaml".into()], &ldr, &Schema::default())
            .unwrap_err();
        assert_eq!(
            e.message,
            "trouble configuring builtin PatchStrategicMergeTransformer with config: `\npaths:\n- noname.yaml\n`: missing metadata.name in object {{v1 ConfigMap} {{ } map[a:b] map[]}}"
        );
        let e = apply_strategic_merge(&mut m, &["bad.yaml".into()], &ldr, &Schema::default())
            .unwrap_err();
        assert!(e.message.contains("`: MalformedYAMLError: yaml: line "));
        assert!(e
            .message
            .ends_with(": did not find expected node content in File: bad.yaml"));
        let e = apply_strategic_merge(&mut m, &["".into()], &ldr, &Schema::default()).unwrap_err();
        assert!(e
            .message
            .ends_with("`: patch appears to be empty; files=[], Patch="));
        // Two objects whose ids both match.
        let mut m = resmap(RESOURCES);
        let mut renamed = resmap("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n")
            .get(0)
            .clone();
        renamed.prev_ids = vec![ResId::new(Gvk::new("", "v1", "ConfigMap"), "", "cm")];
        m.append(renamed).unwrap();
        let e = apply_strategic_merge(&mut m, &["amb.yaml".into()], &ldr, &Schema::default())
            .unwrap_err();
        assert_eq!(
            e.message,
            "multiple matches for Id ConfigMap.v1.[noGrp]/cm.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/cm.[noNs]"
        );
    }

    #[test]
    fn legacy_json6902() {
        let sources = sources(&[(
            "ops.json",
            "[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"x\"}]",
        )]);
        let ldr = loader(&sources);
        let mut m = resmap(RESOURCES);
        let p = patches("- target: {kind: ConfigMap, name: cm}\n  path: ops.json\n");
        apply_json6902(&mut m, &p, &ldr).unwrap();
        assert_eq!(m.get(1).name(), "x");
        // No previous id for the legacy field.
        assert!(m.get(1).prev_ids.is_empty());
        let err = |yaml: &str| {
            apply_json6902(&mut resmap(RESOURCES), &patches(yaml), &ldr)
                .unwrap_err()
                .message
        };
        assert!(err("- target: {kind: ConfigMap}\n  path: ops.json\n")
            .ends_with("`: must specify the target name"));
        assert_eq!(
            err("- target: {name: cm}\n  patch: 'a: 1'\n"),
            "trouble configuring builtin PatchJson6902Transformer with config: `\njsonOp: 'a: 1'\ntarget:\n  name: cm\n`: decoding {\"a\":1}: json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        );
        let bad = err("- target: {name: cm}\n  patch: \"- op: add\\n  path: [\\n\"\n");
        assert!(bad.contains("`: yaml: line "), "{bad}");
        assert!(err("- target: {name: cm}\n  patch: '[]'\n")
            .ends_with("`: patch appears to be empty; file=, JsonOp=[]"));
        assert!(
            err("- target: {name: cm}\n  patch: '[]'\n  path: ops.json\n")
                .ends_with("`: must specify a file path or jsonOp, not both")
        );
    }

    #[test]
    fn output_after_json_patch_is_sorted() {
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {kind: ConfigMap}\n  patch: '[{\"op\":\"add\",\"path\":\"/data/0\",\"value\":\"z\"}]'\n",
            &[],
        )
        .unwrap();
        assert!(output(&m).contains("data:\n  \"0\": z\n  a: b\n"));
    }

    #[test]
    fn json_patch_sees_build_annotations() {
        let add = "[{\"op\":\"add\",\"path\":\"/metadata/annotations/x\",\"value\":\"y\"}]";
        // `patches:` stores a previous id first, so an annotations map exists.
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            &format!("- target: {{name: cm}}\n  patch: '{add}'\n"),
            &[],
        )
        .unwrap();
        let annotations = m
            .get(1)
            .node
            .get_path(&["metadata", "annotations"])
            .unwrap();
        assert_eq!(annotations.as_map().unwrap().len(), 1);
        assert_eq!(annotations.str_at(&["x"]), Some("y"));
        // The legacy field does not, unless something else left bookkeeping.
        let sources = sources(&[]);
        let legacy = patches(&format!("- target: {{name: cm}}\n  patch: '{add}'\n"));
        let mut m = resmap(RESOURCES);
        let e = apply_json6902(&mut m, &legacy, &loader(&sources)).unwrap_err();
        assert_eq!(
            e.message,
            "add operation does not apply: doc is missing path: \"/metadata/annotations/x\": missing value"
        );
        m.get_mut(1).name_prefixes.push("p-".into());
        apply_json6902(&mut m, &legacy, &loader(&sources)).unwrap();
        assert_eq!(
            m.get(1).node.str_at(&["metadata", "annotations", "x"]),
            Some("y")
        );
        // Removing the map works, and the bookkeeping survives.
        let mut m = resmap(RESOURCES);
        run_patches(
            &mut m,
            "- target: {name: cm}\n  patch: '[{\"op\":\"remove\",\"path\":\"/metadata/annotations\"}]'\n",
            &[],
        )
        .unwrap();
        assert_eq!(m.get(1).node.get_path(&["metadata", "annotations"]), None);
        assert_eq!(m.get(1).prev_ids.len(), 1);
    }
}
