//! `replacements:` (kustomize's `api/internal/builtins/ReplacementTransformer.go`
//! and `api/filters/replacement`): copy one field of one object into fields
//! of other objects.
//!
//! - [`load`] turns the kustomization's entries into replacement nodes: an
//!   inline replacement, or a `path:` file holding one replacement or a list.
//! - [`apply`] runs them in order, each seeing the previous one's result.
//!
//! Selection is by id, not by regex: an object's ids are its current id and
//! every previous id, names compare exactly, namespaces as effective
//! namespaces (`default` for none). Field paths are `.`-separated
//! (`a.[k=v].b`, `a.0.b`, `a.*.b`, `metadata.annotations.[x.y/z]`); their
//! grammar and the two walkers (one for the source, one for targets) are in
//! [`path`].
//!
//! Writing into a scalar replaces its text only and keeps its type, as kyaml
//! keeps the node's tag: `replicas: 1` given `"5"` stays an int, a label
//! `x: "7"` given `5` stays a string. Text the type cannot hold fails the
//! way kustomize's output conversion fails (``cannot decode !!str `abc` as a
//! !!int``). A map or list target is replaced by the source node.

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::gvk_display;
use super::kustomization::ReplacementField;
use super::loader::Loader;
use super::resid::{Gvk, ResId};
use super::resmap::ResMap;
use super::resource::Resource;
use super::select::matches_label_selector;
use crate::yaml::resolve::{resolve_plain, resolve_scalar, ScalarStyle};
use crate::yaml::{parse_documents, DuplicateKeys, LoadOptions, Node, Value};

mod model;
pub(crate) mod path;

use model::{FieldOptions, IdSelector, Replacement, Selector, TargetSelector};
use path::scalar_value;

/// The field a replacement reads or writes when none is given.
const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// Reads `replacements:` entries (inline, or `path:` files holding one or a list).
pub fn load(entries: &[ReplacementField], loader: &Loader) -> Result<Vec<Node>> {
    let mut replacements = Vec::new();
    for ReplacementField(entry) in entries {
        let field = model::ReplacementEntry::read(entry).map_err(|e| {
            Error::new(
                ErrorKind::Kustomization,
                format!("invalid Kustomization: {e}"),
            )
            .at(entry.span)
        })?;
        if field.path.is_empty() {
            let mut inline = entry.clone();
            inline.remove("path");
            replacements.push(inline);
            continue;
        }
        if field.has_inline {
            return Err(
                config_error("cannot specify both path and inline replacement").at(entry.span),
            );
        }
        replacements.extend(load_file(&field.path, loader)?);
    }
    Ok(replacements)
}

/// The replacements of one `path:` file: a mapping is one, a list is several.
fn load_file(path: &str, loader: &Loader) -> Result<Vec<Node>> {
    let file = loader
        .load_file(path)
        .map_err(|e| e.context("trouble configuring builtin ReplacementTransformer"))?;
    let opts = LoadOptions {
        duplicate_keys: DuplicateKeys::LastWins,
        ..LoadOptions::default()
    };
    let docs = parse_documents(&file.text, file.id, &opts).map_err(|e| {
        Error::new(ErrorKind::Parse, e.message)
            .at(e.span)
            .in_file(&file.path)
    })?;
    // Like sigs.k8s.io/yaml, only the first document counts.
    let doc = docs.into_iter().next().unwrap_or_else(Node::null);
    let items = match doc.value {
        Value::Seq(items) => items,
        Value::Map(_) => vec![doc],
        other => {
            let kind = match other {
                Value::Null => "invalid",
                Value::Str(_) => "string",
                Value::Bool(_) => "bool",
                _ => "float64",
            };
            return Err(config_error(format!(
                "unsupported replacement type encountered within replacement path: {kind}"
            ))
            .in_file(&file.path));
        }
    };
    for item in &items {
        Replacement::read(item).map_err(|e| config_error(e).at(item.span).in_file(&file.path))?;
    }
    Ok(items)
}

fn config_error(message: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Replacement,
        format!("trouble configuring builtin ReplacementTransformer: {message}"),
    )
}

/// Applies replacements in order.
pub fn apply(resmap: &mut ResMap, replacements: &[Node]) -> Result<()> {
    for node in replacements {
        let replacement = Replacement::read(node)
            .map_err(|e| Error::new(ErrorKind::Replacement, e).at(node.span))?;
        let (Some(source), Some(targets)) = (&replacement.source, &replacement.targets) else {
            return Err(Error::new(
                ErrorKind::Replacement,
                "replacements must specify a source and at least one target",
            )
            .at(node.span));
        };
        let value = read_source(resmap, source).map_err(|e| e.at(node.span))?;
        for target in targets {
            write_targets(resmap, &value, target).map_err(|e| e.at(node.span))?;
        }
    }
    Ok(())
}

/// The value a replacement copies: the source node, and the text a scalar
/// target receives (the source's text, or one part of it with `delimiter`).
struct SourceValue {
    node: Node,
    text: String,
    /// The text was cut from a scalar source by `options.delimiter`; a
    /// non-scalar target then gets the part with the source's type.
    refined: bool,
}

impl SourceValue {
    fn is_scalar(&self) -> bool {
        !matches!(self.node.value, Value::Map(_) | Value::Seq(_))
    }

    /// What a map or list target becomes.
    fn as_node(&self) -> Result<Node> {
        if !self.refined {
            return Ok(self.node.clone());
        }
        let mut node = self.node.clone();
        set_text(&mut node, &self.text, false)?;
        Ok(node)
    }
}

fn read_source(resmap: &ResMap, source: &model::SourceSelector) -> Result<SourceValue> {
    let mut matches = resmap
        .iter()
        .filter(|res| ids_of(res).iter().any(|id| source.id.selects(id)));
    let Some(res) = matches.next() else {
        return Err(Error::new(
            ErrorKind::Replacement,
            format!("nothing selected by {source}"),
        ));
    };
    if matches.next().is_some() {
        return Err(Error::new(
            ErrorKind::Replacement,
            format!("multiple matches for selector {source}"),
        ));
    }
    let field_path = if source.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        &source.field_path
    };
    let parts = path::split(field_path);
    let found = path::lookup(&res.node, &parts).map_err(|e| {
        Error::new(
            ErrorKind::Replacement,
            format!("error looking up replacement source: {e}"),
        )
    })?;
    let node = match found {
        Some(n) if !is_nil_or_empty(n) => n,
        _ => {
            return Err(Error::new(
                ErrorKind::Replacement,
                format!(
                    "fieldPath `{field_path}` is missing for replacement source {}",
                    source.id
                ),
            ))
        }
    };
    let text = scalar_value(node);
    let mut value = SourceValue {
        node: node.clone(),
        text,
        refined: false,
    };
    if let Some(options) = source.options.as_ref().filter(|o| !o.delimiter.is_empty()) {
        if !value.is_scalar() {
            return Err(Error::new(
                ErrorKind::Replacement,
                "delimiter option can only be used with scalar nodes",
            ));
        }
        let parts: Vec<&str> = value.text.split(options.delimiter.as_str()).collect();
        let part = usize::try_from(options.index)
            .ok()
            .and_then(|i| parts.get(i))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Replacement,
                    format!(
                        "options.index {} is out of bounds for value {}",
                        options.index, value.text
                    ),
                )
            })?;
        value.text = part.to_string();
        value.refined = true;
    }
    Ok(value)
}

/// Null, or an empty map or list: kyaml's `IsNilOrEmpty`.
fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        _ => false,
    }
}

fn write_targets(resmap: &mut ResMap, value: &SourceValue, target: &TargetSelector) -> Result<()> {
    let Some(select) = &target.select else {
        return Err(Error::new(
            ErrorKind::Replacement,
            "target must specify resources to select",
        ));
    };
    let default_paths = [DEFAULT_FIELD_PATH.to_string()];
    let field_paths = if target.field_paths.is_empty() {
        &default_paths[..]
    } else {
        &target.field_paths[..]
    };
    for res in resmap.iter_mut() {
        if !selected_by_labels_and_annotations(res, select, &target.reject)? {
            continue;
        }
        let ids = ids_of(res);
        let rejected = target
            .reject
            .iter()
            .filter(|r| !r.id.is_empty())
            .any(|r| ids.iter().any(|id| r.id.selects(id)));
        if rejected || !ids.iter().any(|id| select.id.selects(id)) {
            continue;
        }
        for field_path in field_paths {
            write_field(&mut res.node, field_path, value, target.options.as_ref())?;
        }
    }
    Ok(())
}

/// The select's label and annotation selectors match, and no reject's do.
fn selected_by_labels_and_annotations(
    res: &Resource,
    select: &Selector,
    rejects: &[Selector],
) -> Result<bool> {
    if !matches_selectors(res, select)? {
        return Ok(false);
    }
    for reject in rejects {
        if reject.label_selector.is_empty() && reject.annotation_selector.is_empty() {
            continue;
        }
        if matches_selectors(res, reject)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn matches_selectors(res: &Resource, selector: &Selector) -> Result<bool> {
    // An empty selector selects everything.
    let annotations = selector.annotation_selector.is_empty()
        || matches_label_selector(&selector.annotation_selector, &res.annotations())?;
    let labels = selector.label_selector.is_empty()
        || matches_label_selector(&selector.label_selector, &res.labels())?;
    Ok(annotations && labels)
}

/// Writes the value into every field `field_path` matches in one object.
fn write_field(
    node: &mut Node,
    field_path: &str,
    value: &SourceValue,
    options: Option<&FieldOptions>,
) -> Result<()> {
    let create = options.is_some_and(|o| o.create);
    let not_found = || {
        if create {
            format!("unable to find or create field {field_path:?} in replacement target")
        } else {
            format!("unable to find field {field_path:?} in replacement target")
        }
    };
    let create_leaf = create.then(|| {
        if value.is_scalar() {
            path::Created::Scalar
        } else {
            path::Created::Collection
        }
    });
    let parts = path::split(field_path);
    let mut set = |target: &mut Node, untyped: bool| set_field(target, untyped, value, options);
    let count = path::match_targets(node, &parts, create_leaf, &mut set).map_err(|e| match e {
        path::MatchError::Path(message) => Error::new(
            ErrorKind::Replacement,
            format!("{}: {message}", not_found()),
        ),
        path::MatchError::Set(e) => e,
    })?;
    if count == 0 {
        return Err(Error::new(ErrorKind::Replacement, not_found()));
    }
    Ok(())
}

/// Writes the value into one target field (kustomize's `setFieldValue`).
/// `untyped` marks a scalar the walk just created: its new text is typed as
/// plain YAML.
fn set_field(
    target: &mut Node,
    untyped: bool,
    value: &SourceValue,
    options: Option<&FieldOptions>,
) -> Result<()> {
    let target_is_scalar = !matches!(target.value, Value::Map(_) | Value::Seq(_));
    let mut text = value.text.clone();
    if let Some(options) = options.filter(|o| !o.delimiter.is_empty()) {
        if !target_is_scalar {
            return Err(Error::new(
                ErrorKind::Replacement,
                "delimiter option can only be used with scalar nodes",
            )
            .at(target.span));
        }
        let current = scalar_value(target);
        let mut parts: Vec<&str> = current.split(options.delimiter.as_str()).collect();
        match usize::try_from(options.index) {
            Err(_) => parts.insert(0, &value.text),
            Ok(i) if i >= parts.len() => parts.push(&value.text),
            Ok(i) => parts[i] = &value.text,
        }
        text = parts.join(&options.delimiter);
    }
    if target_is_scalar {
        set_text(target, &text, untyped)
    } else {
        let span = target.span;
        *target = value.as_node()?;
        if target.span.is_none() {
            target.span = span;
        }
        Ok(())
    }
}

/// Replaces a scalar's text, keeping its type (kyaml keeps the node's tag):
/// the text must be something that type can hold, as kustomize's final
/// conversion to JSON requires. An `untyped` scalar (one the walk just
/// created) is typed as plain YAML.
fn set_text(node: &mut Node, text: &str, untyped: bool) -> Result<()> {
    let value = if untyped {
        resolve_plain(text)
    } else {
        resolve_scalar(text, ScalarStyle::Plain, Some(tag_of(&node.value)), false).map_err(|m| {
            Error::new(
                ErrorKind::Replacement,
                format!("map[string]interface {{}}(nil): yaml: {m}"),
            )
            .at(node.span)
        })?
    };
    node.plain = path::plain_text(&value, text);
    node.value = value;
    Ok(())
}

fn tag_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Int(_) | Value::UInt(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Str(_) => "!!str",
        Value::Seq(_) => "!!seq",
        Value::Map(_) => "!!map",
    }
}

/// An object's ids for selection (kustomize's `MakeResIds`): the current id
/// and every previous id.
fn ids_of(res: &Resource) -> Vec<ResId> {
    let mut ids = vec![res.id()];
    ids.extend(res.recorded_prev_ids());
    ids
}

impl IdSelector {
    /// kustomize's `ResId.IsSelectedBy`. Neither side is treated as
    /// cluster-scoped here (kustomize builds these ids without the scope
    /// lookup): a namespace compares as itself, or `default` when empty.
    fn selects(&self, id: &ResId) -> bool {
        fn effective(ns: &str) -> &str {
            if ns.is_empty() {
                "default"
            } else {
                ns
            }
        }
        (self.name.is_empty() || self.name == id.name)
            && (self.namespace.is_empty() || effective(&self.namespace) == effective(&id.namespace))
            && id.gvk.is_selected_by(&self.gvk)
    }

    fn is_empty(&self) -> bool {
        self.gvk == Gvk::default() && self.name.is_empty() && self.namespace.is_empty()
    }
}

impl std::fmt::Display for IdSelector {
    /// kyaml's `ResId.String()`: `Kind.version.group/name.namespace`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or = |s: &str, empty: &'static str| if s.is_empty() { empty } else { s }.to_string();
        write!(
            f,
            "{}/{}.{}",
            gvk_display(&self.gvk),
            or(&self.name, "[noName]"),
            or(&self.namespace, "[noNs]")
        )
    }
}

impl std::fmt::Display for model::SourceSelector {
    /// kustomize's `SourceSelector.String()`: the id, then the field path
    /// and the options when set, `:`-separated.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.id)?;
        if !self.field_path.is_empty() {
            write!(f, ":{}", self.field_path)?;
        }
        if let Some(o) = self
            .options
            .as_ref()
            .filter(|o| !o.delimiter.is_empty() || o.create)
        {
            write!(f, ":{}({}), create={}", o.delimiter, o.index, o.create)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::loader::LoadRestrictor;
    use crate::source::{fs::MemoryFs, SourceMap};
    use std::path::Path;
    use std::sync::Arc;

    fn node(json: &str) -> Node {
        serde_json::from_str::<Node>(json).expect("test JSON")
    }

    fn resmap(objects: &[&str]) -> ResMap {
        objects.iter().map(|o| Resource::new(node(o))).collect()
    }

    const SOURCE: &str = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"src"},
        "data":{"str":"abc","num":"5","list":"a,b,c","map":{"k":"v"}}}"#;

    const DEPLOYMENT: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dep"},
        "spec":{"replicas":1,"template":{"metadata":{"labels":{"x":"7","n":null}},
        "spec":{"containers":[{"name":"nginx-sidecar","image":"a"},{"name":"nginx","image":"b"},
                              {"name":"other","image":"c:1.0"}]}}}}"#;

    fn run(objects: &[&str], replacements: &str) -> Result<ResMap> {
        let mut resmap = resmap(objects);
        let list = node(replacements);
        apply(&mut resmap, list.as_seq().unwrap())?;
        Ok(resmap)
    }

    fn at<'a>(resmap: &'a ResMap, i: usize, path: &str) -> &'a Node {
        let parts = path::split(path);
        path::lookup(&resmap.get(i).node, &parts)
            .unwrap()
            .expect(path)
    }

    #[test]
    fn copies_a_field_between_objects() {
        // Corpus replacementtransformer__TestReplacementsField.
        let out = run(
            &[DEPLOYMENT],
            r#"[{"source":{"kind":"Deployment","fieldPath":"spec.template.spec.containers.0.image"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.2.image"]}]}]"#,
        )
        .unwrap();
        assert_eq!(
            at(&out, 0, "spec.template.spec.containers.2.image").as_str(),
            Some("a")
        );
    }

    #[test]
    fn scalar_targets_keep_their_type() {
        // Probed: "5" into `replicas: 1` gives 5, into label `x: "7"` gives "5",
        // and into a created field an untyped 5 (an int).
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.num"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.replicas","spec.template.metadata.labels.x",
                                           "spec.template.metadata.labels.created"],
                             "options":{"create":true}}]}]"#,
        )
        .unwrap();
        assert_eq!(at(&out, 1, "spec.replicas").value, Value::Int(5));
        assert_eq!(
            at(&out, 1, "spec.template.metadata.labels.x").value,
            Value::Str("5".into())
        );
        assert_eq!(
            at(&out, 1, "spec.template.metadata.labels.created").value,
            Value::Int(5)
        );
    }

    #[test]
    fn text_the_target_type_cannot_hold_fails() {
        // Probed: kustomize fails converting the object for output.
        for field in ["spec.replicas", "spec.template.metadata.labels.n"] {
            let err = run(
                &[SOURCE, DEPLOYMENT],
                &format!(
                    r#"[{{"source":{{"kind":"ConfigMap","fieldPath":"data.str"}},
                         "targets":[{{"select":{{"kind":"Deployment"}},"fieldPaths":["{field}"]}}]}}]"#
                ),
            )
            .unwrap_err();
            assert!(
                err.message.contains("cannot decode !!str `abc` as a !!"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn numbers_convert_as_go_yaml_decodes_them() {
        let source = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"src"},
            "data":{"flt":"1.50","num":"5"}}"#;
        let target =
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"i":1,"f":0.5}}"#;
        let replace = |field: &str, into: &str| {
            run(
                &[source, target],
                &format!(
                    r#"[{{"source":{{"kind":"ConfigMap","fieldPath":"data.{field}"}},
                         "targets":[{{"select":{{"kind":"Pod"}},"fieldPaths":["spec.{into}"]}}]}}]"#
                ),
            )
        };
        // Probed: an int field refuses a float's text.
        let err = replace("flt", "i").unwrap_err();
        assert_eq!(
            err.message,
            "map[string]interface {}(nil): yaml: cannot decode !!float `1.50` as a !!int"
        );
        let out = replace("num", "f").unwrap();
        assert_eq!(at(&out, 1, "spec.f").value, Value::Float(5.0));
        let out = replace("flt", "f").unwrap();
        assert_eq!(at(&out, 1, "spec.f").value, Value::Float(1.5));
        assert_eq!(at(&out, 1, "spec.f").plain.as_deref(), Some("1.50"));
    }

    #[test]
    fn list_entry_values_are_unanchored_regexes() {
        // Probed: `[name=nginx]` also matches `nginx-sidecar`.
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.str"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.[name=nginx].image"]}]}]"#,
        )
        .unwrap();
        let images: Vec<&str> = at(&out, 1, "spec.template.spec.containers")
            .as_seq()
            .unwrap()
            .iter()
            .map(|c| c.str_at(&["image"]).unwrap())
            .collect();
        assert_eq!(images, ["abc", "abc", "c:1.0"]);
    }

    #[test]
    fn collections_replace_and_are_replaced() {
        // Probed: a map source replaces a map target and empties a string target.
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.map"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.metadata.labels.x",
                                           "spec.template.spec.containers.[name=^nginx$]"]}]}]"#,
        )
        .unwrap();
        assert_eq!(
            at(&out, 1, "spec.template.metadata.labels.x").as_str(),
            Some("")
        );
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.1"),
            &node(r#"{"k":"v"}"#)
        );
    }

    #[test]
    fn create_makes_maps_list_entries_and_appends() {
        // Probed with kubectl: every form below is created.
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.str"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.nope.x",
                                           "spec.template.spec.containers.3.image",
                                           "spec.template.spec.containers.[name=new].image",
                                           "spec.x.[=a]", "spec.y.0.z", "spec.w.[k=80].v",
                                           "spec.template.metadata.labels.n.q"],
                             "options":{"create":true}}]}]"#,
        )
        .unwrap();
        assert_eq!(at(&out, 1, "spec.template.nope.x").as_str(), Some("abc"));
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.3"),
            &node(r#"{"image":"abc"}"#)
        );
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.4"),
            &node(r#"{"name":"new","image":"abc"}"#)
        );
        assert_eq!(at(&out, 1, "spec.x"), &node(r#"["abc"]"#));
        assert_eq!(at(&out, 1, "spec.y"), &node(r#"[{"z":"abc"}]"#));
        assert_eq!(at(&out, 1, "spec.w"), &node(r#"[{"k":80,"v":"abc"}]"#));
        // Created inside a null field: lost, as in kustomize.
        assert!(at(&out, 1, "spec.template.metadata.labels.n").is_null());
    }

    #[test]
    fn a_missing_target_field_is_an_error_without_create() {
        let err = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.str"},
                 "targets":[{"select":{"kind":"Deployment"},"fieldPaths":["spec.template.nope.x"]}]}]"#,
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            r#"unable to find field "spec.template.nope.x" in replacement target"#
        );
        let err = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.str"},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.7.image"]}]}]"#,
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "unable to find field \"spec.template.spec.containers.7.image\" in replacement target: \
             index 7 specified but only 3 elements found"
        );
    }

    #[test]
    fn the_source_must_be_one_object_with_the_field() {
        let cases = [
            (r#"{"kind":"Secret"}"#, "nothing selected by "),
            (r#"{"version":"v1"}"#, "multiple matches for selector "),
            (
                r#"{"kind":"ConfigMap","fieldPath":"data.nope"}"#,
                "fieldPath `data.nope` is missing for replacement source ",
            ),
            (
                r#"{"kind":"ConfigMap","fieldPath":"data.str","options":{"delimiter":",","index":2}}"#,
                "options.index 2 is out of bounds for value abc",
            ),
        ];
        let other = r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}"#;
        for (source, message) in cases {
            let err = run(
                &[SOURCE, other],
                &format!(
                    r#"[{{"source":{source},"targets":[{{"select":{{"kind":"Service"}}}}]}}]"#
                ),
            )
            .unwrap_err();
            assert!(
                err.message.starts_with(message),
                "{} / {message}",
                err.message
            );
        }
    }

    #[test]
    fn source_and_targets_are_required() {
        let err = run(&[SOURCE], r#"[{"source":{"kind":"ConfigMap"}}]"#).unwrap_err();
        assert_eq!(
            err.message,
            "replacements must specify a source and at least one target"
        );
        let err = run(
            &[SOURCE],
            r#"[{"source":{"kind":"ConfigMap"},"targets":[{}]}]"#,
        )
        .unwrap_err();
        assert_eq!(err.message, "target must specify resources to select");
    }

    #[test]
    fn delimiters_split_the_source_and_the_target() {
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","fieldPath":"data.list","options":{"delimiter":",","index":1}},
                 "targets":[{"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.2.image"],
                             "options":{"delimiter":":","index":1}},
                            {"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.0.name"],
                             "options":{"delimiter":"-","index":-1}},
                            {"select":{"kind":"Deployment"},
                             "fieldPaths":["spec.template.spec.containers.1.name"],
                             "options":{"delimiter":"-","index":5}}]}]"#,
        )
        .unwrap();
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.2.image").as_str(),
            Some("c:b")
        );
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.0.name").as_str(),
            Some("b-nginx-sidecar")
        );
        assert_eq!(
            at(&out, 1, "spec.template.spec.containers.1.name").as_str(),
            Some("nginx-b")
        );
    }

    #[test]
    fn previous_names_select_and_reject() {
        // Corpus ...WithOriginalName and ...WithSuffixTransformerAndReject.
        let mut resmap = resmap(&[SOURCE, DEPLOYMENT]);
        for res in resmap.iter_mut() {
            res.store_previous_id();
            let name = format!("p-{}", res.name());
            res.set_name(&name);
        }
        let select = node(
            r#"[{"source":{"name":"src","fieldPath":"data.str"},
                 "targets":[{"select":{"name":"dep"},"fieldPaths":["spec.template.spec.containers.0.name"]}]}]"#,
        );
        apply(&mut resmap, select.as_seq().unwrap()).unwrap();
        assert_eq!(
            resmap
                .get(1)
                .node
                .get_path(&["spec", "template", "spec"])
                .unwrap()
                .get("containers")
                .unwrap()
                .as_seq()
                .unwrap()[0]
                .str_at(&["name"]),
            Some("abc")
        );
        let reject = node(
            r#"[{"source":{"name":"src","fieldPath":"data.num"},
                 "targets":[{"select":{},"reject":[{"name":"dep"}],"fieldPaths":["metadata.annotations.n"],
                             "options":{"create":true}}]}]"#,
        );
        apply(&mut resmap, reject.as_seq().unwrap()).unwrap();
        assert!(resmap
            .get(1)
            .node
            .get_path(&["metadata", "annotations"])
            .is_none());
        assert_eq!(
            resmap
                .get(0)
                .node
                .get_path(&["metadata", "annotations", "n"])
                .map(|n| &n.value),
            Some(&Value::Int(5))
        );
    }

    #[test]
    fn namespaces_compare_as_effective_namespaces() {
        let out = run(
            &[SOURCE, DEPLOYMENT],
            r#"[{"source":{"kind":"ConfigMap","namespace":"default","fieldPath":"data.str"},
                 "targets":[{"select":{"namespace":"other"},"fieldPaths":["metadata.name"]}]}]"#,
        )
        .unwrap();
        assert_eq!(out.get(1).name(), "dep");
    }

    #[test]
    fn field_paths_split_on_dots_outside_brackets() {
        let split = |p: &str| path::split(p);
        assert_eq!(split("a.[name=x.y].b"), ["a", "[name=x.y]", "b"]);
        assert_eq!(
            split("metadata.annotations.[a.b/c]"),
            ["metadata", "annotations", "a.b/c"]
        );
        assert_eq!(split(r"a\.b.c"), ["a.b", "c"]);
        assert_eq!(split(".a.b"), ["a", "b"]);
        assert_eq!(split("a.0.*"), ["a", "0", "*"]);
    }

    fn loader_with(files: &[(&str, &str)]) -> SourceMap {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(*path, *text);
        }
        SourceMap::new(Arc::new(fs))
    }

    #[test]
    fn load_keeps_inline_entries_and_refuses_mixed_ones() {
        let sources = loader_with(&[("/k/kustomization.yaml", "")]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let entries = [ReplacementField(node(
            r#"{"source":{"kind":"ConfigMap"},"targets":[{"select":{"kind":"Deployment"}}]}"#,
        ))];
        let loaded = load(&entries, &loader).unwrap();
        assert_eq!(loaded, [entries[0].0.clone()]);

        let mixed = [ReplacementField(node(
            r#"{"path":"r.yaml","source":{"kind":"ConfigMap"}}"#,
        ))];
        let err = load(&mixed, &loader).unwrap_err();
        assert!(err
            .message
            .ends_with("cannot specify both path and inline replacement"));
    }

    #[test]
    fn path_files_hold_one_replacement_or_a_list() {
        // Corpus replacementtransformer__TestReplacementsFieldWithPath(Multiple).
        let one = "source:\n  kind: Deployment\ntargets:\n- select:\n    kind: Deployment\n";
        let list = "- source: {kind: A}\n  targets: []\n- source: {kind: B}\n  targets: []\n";
        let sources = loader_with(&[
            ("/k/one.yaml", one),
            ("/k/list.yaml", list),
            ("/k/scalar.yaml", "hello\n"),
            ("/k/empty.yaml", ""),
            ("/outside.yaml", one),
        ]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let entry = |path: &str| ReplacementField(node(&format!(r#"{{"path":"{path}"}}"#)));
        let loaded = load(&[entry("one.yaml"), entry("list.yaml")], &loader).unwrap();
        let kinds: Vec<&str> = loaded
            .iter()
            .map(|r| r.str_at(&["source", "kind"]).unwrap())
            .collect();
        assert_eq!(kinds, ["Deployment", "A", "B"]);
        for (path, kind) in [("scalar.yaml", "string"), ("empty.yaml", "invalid")] {
            let err = load(&[entry(path)], &loader).unwrap_err();
            assert!(
                err.message.ends_with(&format!(
                    "unsupported replacement type encountered within replacement path: {kind}"
                )),
                "{}",
                err.message
            );
        }
        let err = load(&[entry("../outside.yaml")], &loader).unwrap_err();
        assert!(
            err.message.contains("is not in or below"),
            "{}",
            err.message
        );
    }

    #[test]
    fn inline_entries_are_read_strictly() {
        let sources = loader_with(&[]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let unknown = [ReplacementField(node(
            r#"{"source":{"kind":"ConfigMap","foo":1},"targets":[]}"#,
        ))];
        let err = load(&unknown, &loader).unwrap_err();
        assert_eq!(
            err.message,
            r#"invalid Kustomization: json: unknown field "foo""#
        );
        let mistyped = [ReplacementField(node(
            r#"{"source":{"kind":"ConfigMap","fieldpath":"data.x","options":{"index":"1"}}}"#,
        ))];
        let err = load(&mistyped, &loader).unwrap_err();
        assert_eq!(
            err.message,
            "invalid Kustomization: json: cannot unmarshal string into Go struct field \
             FieldOptions.replacements.source.options.index of type int"
        );
    }
}
