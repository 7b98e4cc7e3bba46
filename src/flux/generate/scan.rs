//! Finding the resources of a directory that has no kustomization file
//! (fluxcd/pkg `scanManifests`), and checking each manifest file as
//! kustomize's resource factory reads it (`SliceFromBytes`).
//!
//! The walk is lexical and depth-first. A subdirectory holding a
//! kustomization file becomes one directory resource and is not entered;
//! otherwise every file whose extension is exactly `.yaml` or `.yml` is a
//! resource (hidden files too), unless the ignore rules say otherwise. One
//! file that kustomize could not read as resources fails the whole scan:
//! Flux would rather not build than build half a directory.

use super::ignore::{components, Matcher};
use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::kustomization::KUSTOMIZATION_FILE_NAMES;
use crate::source::{FileId, FileSystem};
use crate::yaml::{parse_documents, DuplicateKeys, LoadOptions, Node, Value};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

/// True when `dir` holds one of kustomize's kustomization file names.
pub fn has_kustomization_file(fs: &dyn FileSystem, dir: &Path) -> bool {
    KUSTOMIZATION_FILE_NAMES
        .iter()
        .any(|name| fs.is_file(&dir.join(name)))
}

/// The resources below `base`, as paths (files and directories) in walk
/// order. `ignore`, when given, filters the files (never directories).
pub fn scan_manifests(
    fs: &dyn FileSystem,
    base: &Path,
    ignore: Option<&Matcher>,
) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    // Each directory's entries in reverse, so popping yields name order.
    let mut stack: Vec<PathBuf> = read_dir(fs, base)?.into_iter().rev().collect();
    while let Some(path) = stack.pop() {
        if fs.is_dir(&path) {
            if has_kustomization_file(fs, &path) {
                found.push(path);
            } else {
                stack.extend(read_dir(fs, &path)?.into_iter().rev());
            }
            continue;
        }
        if !matches!(go_ext(&path), ".yaml" | ".yml") {
            continue;
        }
        if ignore.is_some_and(|m| m.is_ignored(&components(&path), false)) {
            continue;
        }
        let text = fs.read_to_string(&path).map_err(|e| {
            Error::new(ErrorKind::Load, format!("open {}: {e}", path.display())).in_file(&path)
        })?;
        check_manifests(&text).map_err(|e| {
            Error::new(
                ErrorKind::Resource,
                format!(
                    "failed to decode Kubernetes YAML from {}: {e}",
                    path.display()
                ),
            )
            .in_file(&path)
        })?;
        found.push(path);
    }
    Ok(found)
}

fn read_dir(fs: &dyn FileSystem, dir: &Path) -> Result<Vec<PathBuf>> {
    fs.read_dir(dir).map_err(|e| {
        Error::new(ErrorKind::Load, format!("lstat {}: {e}", dir.display())).in_file(dir)
    })
}

/// Go's `filepath.Ext`: the suffix from the last `.` of the last element
/// (so `.yaml` is the extension of a file named `.yaml`).
fn go_ext(path: &Path) -> &str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.rfind('.').map_or("", |i| &name[i..])
}

/// Checks a manifest file as kustomize's resource factory does: the text
/// splits into documents, empty ones are dropped, a lone `List` document is
/// unwrapped, every object needs a kind and (unless a list) a name, and
/// embedded `…List` objects are expanded and checked item by item.
/// Errors are kustomize's words.
pub fn check_manifests(text: &str) -> std::result::Result<(), String> {
    let text = text.replace("\r\n", "\n");
    let pieces = split_documents(&text)?;
    let single = pieces.len() == 1;
    let mut nodes = Vec::new();
    let count = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        let piece = if i + 1 == count {
            piece.to_string()
        } else {
            format!("{piece}\n")
        };
        let opts = LoadOptions {
            duplicate_keys: DuplicateKeys::LastWins,
            ..LoadOptions::default()
        };
        let docs = parse_documents(&piece, FileId::NONE, &opts)
            .map_err(|e| format!("MalformedYAMLError: {}", e.go_message()))?;
        let Some(node) = docs.into_iter().next() else {
            continue;
        };
        if node.is_null() {
            continue;
        }
        nodes.extend(unwrap_list(node, single));
    }
    let nodes = drop_bad_nodes(nodes)?;
    expand_embedded_lists(nodes)
}

/// kyaml's document splitting: a line starting with `---` separates
/// documents, and may carry nothing but a comment after the dashes.
fn split_documents(text: &str) -> std::result::Result<Vec<&str>, String> {
    let mut docs = Vec::new();
    if text.is_empty() {
        return Ok(docs);
    }
    let mut prev = 0;
    let mut search = 0;
    while let Some(offset) = text[search..].find("\n---") {
        let start = search + offset;
        let Some(line_end) = text[start + 1..].find('\n').map(|e| start + 1 + e) else {
            break;
        };
        let after = text[start + 4..line_end].trim();
        if !after.is_empty() && !after.starts_with('#') {
            return Err(format!(
                "invalid document separator: {}",
                text[start..=line_end].trim()
            ));
        }
        docs.push(&text[prev..start]);
        prev = line_end + 1;
        // Matches do not overlap: the newline ending this separator cannot
        // start the next one.
        search = line_end + 1;
    }
    docs.push(&text[prev..]);
    Ok(docs)
}

/// kyaml's reader unwraps a file that is one `List` (or `ResourceList`)
/// document with `items`: the items are the objects.
fn unwrap_list(node: Node, single: bool) -> Vec<Node> {
    let kind = meta_field(&node, "kind");
    let wraps = single
        && matches!(kind.as_deref(), Some("List" | "ResourceList"))
        && (node.get("items").is_some() || node.get("functionConfig").is_some());
    if !wraps {
        return vec![node];
    }
    match node.get("items").map(|items| &items.value) {
        Some(Value::Seq(items)) => items.clone(),
        // kyaml takes the content nodes of whatever `items` is: a
        // mapping's keys and values, nothing for a scalar.
        Some(Value::Map(map)) => map
            .iter()
            .flat_map(|(k, v)| {
                [
                    Node::with_span(Value::Str(k.name.clone()), k.span),
                    v.clone(),
                ]
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Drops empty objects and checks the others' metadata (`dropBadNodes`).
fn drop_bad_nodes(nodes: Vec<Node>) -> std::result::Result<Vec<Node>, String> {
    let mut kept = Vec::with_capacity(nodes.len());
    for node in nodes {
        if is_nil_or_empty(&node) {
            continue;
        }
        let meta = ResourceMeta::of(&node)?;
        if meta.kind.is_empty() {
            return Err(format!("missing kind in object {meta}"));
        }
        if !meta.kind.ends_with("List") && meta.name.is_empty() {
            return Err(format!("missing metadata.name in object {meta}"));
        }
        kept.push(node);
    }
    Ok(kept)
}

/// kustomize's `inlineAnyEmbeddedLists`: a `…List` object with `items`
/// stands for its items, each read as a document of its own and checked.
fn expand_embedded_lists(nodes: Vec<Node>) -> std::result::Result<(), String> {
    let mut queue: VecDeque<Node> = nodes.into();
    while let Some(node) = queue.pop_front() {
        let kind = meta_field(&node, "kind").unwrap_or_default();
        if !kind.ends_with("List") {
            continue;
        }
        let items = match node.get("items") {
            None => continue,
            Some(items) => items,
        };
        match &items.value {
            Value::Null => continue,
            Value::Seq(items) => {
                for item in items {
                    // Each item goes through JSON and kyaml's reader again.
                    if item.is_null() {
                        continue;
                    }
                    let inner = drop_bad_nodes(unwrap_list(item.clone(), true))?;
                    queue.extend(inner);
                }
            }
            other => {
                return Err(format!(
                    "expected array in {kind}/items, but found {}",
                    go_type_name(items, other)
                ))
            }
        }
    }
    Ok(())
}

/// What Go's `%T` says of a value go-yaml v3 decoded into `interface{}`.
fn go_type_name(node: &Node, value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        // go-yaml v3 decodes a timestamp-like plain scalar as a time.
        Value::Str(_) if node.plain.is_some() => "time.Time",
        Value::Str(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// kyaml's `IsNilOrEmpty`: null, `{}` or `[]`.
fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        _ => false,
    }
}

/// A scalar's text as the YAML node holds it (kyaml's `GetValue`): the text
/// as written for plain scalars, "" for null and collections.
fn node_text(node: &Node) -> String {
    match (&node.value, node.plain.as_deref()) {
        (Value::Null, _) | (Value::Seq(_), _) | (Value::Map(_), _) => String::new(),
        (_, Some(text)) => text.to_string(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// A top-level field's text when present and not empty.
fn meta_field(node: &Node, key: &str) -> Option<String> {
    node.get(key).filter(|v| !is_nil_or_empty(v)).map(node_text)
}

/// kyaml's `ResourceMeta`, for validation and for its `%v` in messages.
struct ResourceMeta {
    api_version: String,
    kind: String,
    name: String,
    namespace: String,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
}

impl ResourceMeta {
    /// kyaml's `GetMeta`: an object with neither apiVersion, kind nor any
    /// metadata is "missing Resource metadata".
    fn of(node: &Node) -> std::result::Result<ResourceMeta, String> {
        let mut missing = true;
        let mut meta = ResourceMeta {
            api_version: String::new(),
            kind: String::new(),
            name: String::new(),
            namespace: String::new(),
            labels: None,
            annotations: None,
        };
        if let Some(v) = meta_field(node, "apiVersion") {
            meta.api_version = v;
            missing = false;
        }
        if let Some(v) = meta_field(node, "kind") {
            meta.kind = v;
            missing = false;
        }
        match node.get("metadata").filter(|m| !is_nil_or_empty(m)) {
            None => {}
            Some(md) => {
                if let Some(v) = meta_field(md, "name") {
                    meta.name = v;
                    missing = false;
                }
                if let Some(v) = meta_field(md, "namespace") {
                    meta.namespace = v;
                    missing = false;
                }
                if let Some(m) = md.get("labels").filter(|m| !is_nil_or_empty(m)) {
                    meta.labels = Some(string_map(m));
                    missing = false;
                }
                if let Some(m) = md.get("annotations").filter(|m| !is_nil_or_empty(m)) {
                    meta.annotations = Some(string_map(m));
                    missing = false;
                }
            }
        }
        if missing {
            return Err("missing Resource metadata".to_string());
        }
        Ok(meta)
    }
}

fn string_map(node: &Node) -> BTreeMap<String, String> {
    node.as_map()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.name.clone(), node_text(v)))
                .collect()
        })
        .unwrap_or_default()
}

/// Go's `%v` of the struct: `{{apiVersion kind} {{name namespace} map[…] map[…]}}`.
impl std::fmt::Display for ResourceMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let go_map = |m: &Option<BTreeMap<String, String>>| {
            let pairs: Vec<String> = m
                .iter()
                .flatten()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect();
            format!("map[{}]", pairs.join(" "))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryFs;

    #[test]
    fn valid_objects_and_empty_documents_pass() {
        let text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\n# only a comment\n";
        assert_eq!(check_manifests(text), Ok(()));
        assert_eq!(check_manifests(""), Ok(()));
        assert_eq!(check_manifests("{}\n---\n[]\n"), Ok(()));
    }

    #[test]
    fn objects_need_kind_and_name() {
        assert_eq!(
            check_manifests("apiVersion: v1\nmetadata:\n  name: a\n"),
            Err("missing kind in object {{v1 } {{a } map[] map[]}}".to_string())
        );
        assert_eq!(
            check_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {b: c, a: 1}\n"),
            Err(
                "missing metadata.name in object {{v1 ConfigMap} {{ } map[a:1 b:c] map[]}}"
                    .to_string()
            )
        );
        assert_eq!(
            check_manifests("creation_rules:\n  - encrypted_regex: x\n"),
            Err("missing Resource metadata".to_string())
        );
        assert_eq!(
            check_manifests("just text\n"),
            Err("missing Resource metadata".to_string())
        );
    }

    #[test]
    fn lists_need_no_name_but_their_items_are_checked() {
        let ok = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n";
        assert_eq!(check_manifests(ok), Ok(()));
        let bad_item =
            "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n";
        assert_eq!(
            check_manifests(bad_item),
            Err("missing metadata.name in object {{v1 ConfigMap} {{ } map[] map[]}}".to_string())
        );
        // In a multi-document file the list is not unwrapped by the reader,
        // but expanded by the factory, which wants an array.
        let not_array = "kind: ConfigMap\nmetadata: {name: a}\n---\nkind: FooList\nitems: x\n";
        assert_eq!(
            check_manifests(not_array),
            Err("expected array in FooList/items, but found string".to_string())
        );
        let null_items = "kind: ConfigMap\nmetadata: {name: a}\n---\nkind: FooList\nitems: ~\n";
        assert_eq!(check_manifests(null_items), Ok(()));
    }

    #[test]
    fn syntax_errors_are_malformed_yaml() {
        let text = "kind: A\nmetadata:\n  name: \"a\\.b\"\n";
        let err = check_manifests(text).unwrap_err();
        assert!(err.starts_with("MalformedYAMLError: yaml: "), "{err}");
    }

    #[test]
    fn separators_must_not_carry_content() {
        let text = "kind: A\nmetadata: {name: a}\n--- x\nkind: B\n";
        assert_eq!(
            check_manifests(text),
            Err("invalid document separator: --- x".to_string())
        );
        let commented = "kind: A\nmetadata: {name: a}\n--- # b\nkind: B\nmetadata: {name: b}\n";
        assert_eq!(check_manifests(commented), Ok(()));
        // Back-to-back separators: the second stays in the document text,
        // where the YAML parser reads it as a document start.
        let doubled = "kind: A\nmetadata: {name: a}\n---\n---\nkind: B\nmetadata: {name: b}\n";
        assert_eq!(split_documents(doubled).unwrap().len(), 2);
        assert_eq!(check_manifests(doubled), Ok(()));
    }

    #[test]
    fn scan_walks_lexically_and_stops_at_kustomization_dirs() {
        let mut fs = MemoryFs::new();
        let obj = |n: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n");
        fs.insert("/r/b.yaml", obj("b"));
        fs.insert("/r/a.yml", obj("a"));
        fs.insert("/r/c.json", "{}");
        fs.insert("/r/.hidden.yaml", obj("h"));
        fs.insert("/r/sub/z.yaml", obj("z"));
        fs.insert("/r/base/kustomization.yaml", "resources: []\n");
        fs.insert("/r/base/not-scanned.yaml", "garbage: true\n");
        let found = scan_manifests(&fs, Path::new("/r"), None).unwrap();
        let found: Vec<&str> = found.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(
            found,
            vec![
                "/r/.hidden.yaml",
                "/r/a.yml",
                "/r/b.yaml",
                "/r/base",
                "/r/sub/z.yaml"
            ]
        );
    }

    #[test]
    fn scan_fails_on_the_first_bad_file_with_its_path() {
        let mut fs = MemoryFs::new();
        fs.insert("/r/.sops.yaml", "creation_rules: []\n");
        let err = scan_manifests(&fs, Path::new("/r"), None).unwrap_err();
        assert_eq!(
            err.message,
            "failed to decode Kubernetes YAML from /r/.sops.yaml: missing Resource metadata"
        );
        assert_eq!(err.kind, ErrorKind::Resource);
    }

    #[test]
    fn go_ext_is_the_last_dot_suffix() {
        assert_eq!(go_ext(Path::new("/a/.yaml")), ".yaml");
        assert_eq!(go_ext(Path::new("/a/b.tar.yml")), ".yml");
        assert_eq!(go_ext(Path::new("/a.d/b")), "");
    }
}
