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
use crate::kustomize::select::{go_quote, select};
use crate::source::FileId;
use crate::yaml::{emit_document, parse_documents, LoadOptions, Mapping, Node, Value};
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
                            go_quote(&kyaml_id(&id))
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
            json6902::apply(&mut res.node, &ops)?;
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
            let res = resmap.get_mut(i);
            json6902::apply(&mut res.node, &self.ops).map_err(|e| match &self.file {
                Some(f) => e.in_file(f),
                None => e,
            })?;
        }
        Ok(())
    }
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
    strategic_merge::merge(target, patch, schema)?;
    Ok(target.is_null())
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
    let shown = kyaml_id(id);
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
    let docs = parse_documents(text, file, &LoadOptions::default()).map_err(|e| {
        Error::new(
            ErrorKind::Parse,
            format!("MalformedYAMLError: {}", e.message),
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

/// kyaml's `ResId.String()`: `Kind.version.group/name.namespace`.
fn kyaml_id(id: &ResId) -> String {
    let or = |s: &str, empty: &'static str| {
        if s.is_empty() {
            empty.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}/{}.{}",
        or(&id.gvk.kind, "[noKind]"),
        or(&id.gvk.version, "[noVer]"),
        or(&id.gvk.group, "[noGrp]"),
        or(&id.name, "[noName]"),
        or(&id.namespace, "[noNs]")
    )
}

/// kustomize's `Selector.String()`.
fn selector_string(s: &Selector) -> String {
    let id = ResId::new(
        Gvk::new(&s.group, &s.version, &s.kind),
        &s.namespace,
        &s.name,
    );
    format!(
        "{}:a={}:l={}",
        kyaml_id(&id),
        s.annotation_selector,
        s.label_selector
    )
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
