//! Replacements as kustomize's `types.Replacement` reads them: fields matched
//! by name, case-insensitively as Go's JSON decoder does; a string field
//! takes any scalar's text; `null` leaves a field empty. Inline entries of a
//! kustomization are read strictly (unknown fields are errors, as for the
//! whole kustomization file); `path:` files are read leniently.
//!
//! Errors are Go's JSON decoder messages (`json: unknown field "x"`).

use crate::kustomize::resid::Gvk;
use crate::yaml::{Node, Value};

type Result<T> = std::result::Result<T, String>;

/// A `replacements:` entry of a kustomization: inline, or a `path:` file.
pub(crate) struct ReplacementEntry {
    pub path: String,
    /// A `source` or a non-empty `targets` list is given beside `path`.
    pub has_inline: bool,
}

pub(crate) struct Replacement {
    pub source: Option<SourceSelector>,
    pub targets: Option<Vec<TargetSelector>>,
}

/// group/version/kind, name and namespace; empty fields select anything.
#[derive(Default)]
pub(crate) struct IdSelector {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

#[derive(Default)]
pub(crate) struct SourceSelector {
    pub id: IdSelector,
    pub field_path: String,
    pub options: Option<FieldOptions>,
}

#[derive(Default)]
pub(crate) struct TargetSelector {
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    pub field_paths: Vec<String>,
    pub options: Option<FieldOptions>,
}

#[derive(Default)]
pub(crate) struct Selector {
    pub id: IdSelector,
    pub label_selector: String,
    pub annotation_selector: String,
}

#[derive(Default)]
pub(crate) struct FieldOptions {
    pub delimiter: String,
    pub index: i64,
    pub create: bool,
}

impl ReplacementEntry {
    /// Reads an inline entry strictly, as part of the kustomization file.
    pub fn read(node: &Node) -> Result<ReplacementEntry> {
        let reader = Reader {
            strict: true,
            root: "replacements",
        };
        let mut entry = ReplacementEntry {
            path: String::new(),
            has_inline: false,
        };
        let replacement = reader.replacement(node, "", "ReplacementField", |name, value| {
            if field_name(name, &["path"]).is_some() {
                entry.path = reader.string(value, "ReplacementField", "path")?;
                Ok(true)
            } else {
                Ok(false)
            }
        })?;
        entry.has_inline = replacement.source.is_some()
            || replacement.targets.as_ref().is_some_and(|t| !t.is_empty());
        Ok(entry)
    }
}

impl Replacement {
    /// Reads one replacement leniently (unknown fields are ignored).
    pub fn read(node: &Node) -> Result<Replacement> {
        let reader = Reader {
            strict: false,
            root: "",
        };
        reader.replacement(node, "", "Replacement", |_, _| Ok(false))
    }
}

/// Reads typed fields out of nodes, with Go's error messages.
struct Reader {
    strict: bool,
    /// The JSON path of the replacement list in the document, for messages.
    root: &'static str,
}

impl Reader {
    /// A replacement; `extra` may claim further fields (`path`).
    fn replacement(
        &self,
        node: &Node,
        at: &str,
        ty: &str,
        mut extra: impl FnMut(&str, &Node) -> Result<bool>,
    ) -> Result<Replacement> {
        let mut r = Replacement {
            source: None,
            targets: None,
        };
        let Value::Map(map) = &node.value else {
            if node.is_null() {
                return Ok(r);
            }
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type types.{ty}",
                json_type(node)
            ));
        };
        for (key, value) in map {
            let name = key.name.as_str();
            if extra(name, value)? {
                continue;
            }
            match field_name(name, &["source", "targets"]) {
                Some("source") => r.source = self.source(value, &join(at, "source"))?,
                Some("targets") => r.targets = self.targets(value, &join(at, "targets"))?,
                _ => self.unknown(name)?,
            }
        }
        Ok(r)
    }

    fn source(&self, node: &Node, at: &str) -> Result<Option<SourceSelector>> {
        let mut s = SourceSelector::default();
        let fields = self.object(node, "Replacement", at, "types.SourceSelector")?;
        let Some(map) = fields else {
            return Ok(None);
        };
        for (key, value) in map {
            let name = key.name.as_str();
            match field_name(name, &["fieldPath", "options"]) {
                Some("fieldPath") => {
                    s.field_path = self.string(value, "SourceSelector", &join(at, "fieldPath"))?
                }
                Some("options") => {
                    s.options = self.options(value, "SourceSelector", &join(at, "options"))?
                }
                _ => {
                    if !self.id_field(&mut s.id, name, value, at)? {
                        self.unknown(name)?
                    }
                }
            }
        }
        Ok(Some(s))
    }

    fn targets(&self, node: &Node, at: &str) -> Result<Option<Vec<TargetSelector>>> {
        let items = match &node.value {
            Value::Null => return Ok(None),
            Value::Seq(items) => items,
            _ => return Err(self.type_error(node, "Replacement", at, "[]*types.TargetSelector")),
        };
        let mut targets = Vec::new();
        for item in items {
            let mut t = TargetSelector::default();
            // A null item is a target without `select`, refused when applied.
            if let Some(map) = self.object(item, "Replacement", at, "types.TargetSelector")? {
                for (key, value) in map {
                    let name = key.name.as_str();
                    match field_name(name, &["select", "reject", "fieldPaths", "options"]) {
                        Some("select") => {
                            t.select =
                                self.selector(value, "TargetSelector", &join(at, "select"))?
                        }
                        Some("reject") => t.reject = self.rejects(value, &join(at, "reject"))?,
                        Some("fieldPaths") => {
                            t.field_paths =
                                self.strings(value, "TargetSelector", &join(at, "fieldPaths"))?
                        }
                        Some("options") => {
                            t.options =
                                self.options(value, "TargetSelector", &join(at, "options"))?
                        }
                        _ => self.unknown(name)?,
                    }
                }
            }
            targets.push(t);
        }
        Ok(Some(targets))
    }

    fn rejects(&self, node: &Node, at: &str) -> Result<Vec<Selector>> {
        let items = match &node.value {
            Value::Null => return Ok(Vec::new()),
            Value::Seq(items) => items,
            _ => return Err(self.type_error(node, "TargetSelector", at, "[]*types.Selector")),
        };
        items
            .iter()
            .map(|item| {
                Ok(self
                    .selector(item, "TargetSelector", at)?
                    .unwrap_or_default())
            })
            .collect()
    }

    fn selector(&self, node: &Node, owner: &str, at: &str) -> Result<Option<Selector>> {
        let Some(map) = self.object(node, owner, at, "types.Selector")? else {
            return Ok(None);
        };
        let mut s = Selector::default();
        for (key, value) in map {
            let name = key.name.as_str();
            match field_name(name, &["labelSelector", "annotationSelector"]) {
                Some("labelSelector") => {
                    s.label_selector = self.string(value, "Selector", &join(at, "labelSelector"))?
                }
                Some("annotationSelector") => {
                    s.annotation_selector =
                        self.string(value, "Selector", &join(at, "annotationSelector"))?
                }
                _ => {
                    if !self.id_field(&mut s.id, name, value, at)? {
                        self.unknown(name)?
                    }
                }
            }
        }
        Ok(Some(s))
    }

    /// One of the inline `resid.ResId` fields; false when `name` is none of them.
    fn id_field(&self, id: &mut IdSelector, name: &str, value: &Node, at: &str) -> Result<bool> {
        let Some(field) = field_name(name, &["group", "version", "kind", "name", "namespace"])
        else {
            return Ok(false);
        };
        let owner = match field {
            "name" | "namespace" => "ResId",
            _ => "Gvk",
        };
        let text = self.string(value, owner, &join(at, field))?;
        match field {
            "group" => id.gvk.group = text,
            "version" => id.gvk.version = text,
            "kind" => id.gvk.kind = text,
            "name" => id.name = text,
            _ => id.namespace = text,
        }
        Ok(true)
    }

    fn options(&self, node: &Node, owner: &str, at: &str) -> Result<Option<FieldOptions>> {
        let Some(map) = self.object(node, owner, at, "types.FieldOptions")? else {
            return Ok(None);
        };
        let mut o = FieldOptions::default();
        for (key, value) in map {
            let name = key.name.as_str();
            match field_name(name, &["delimiter", "index", "encoding", "create"]) {
                Some("delimiter") => {
                    o.delimiter = self.string(value, "FieldOptions", &join(at, "delimiter"))?
                }
                Some("index") => o.index = self.int(value, "FieldOptions", &join(at, "index"))?,
                // Declared by kustomize but not implemented there either.
                Some("encoding") => {
                    self.string(value, "FieldOptions", &join(at, "encoding"))?;
                }
                Some("create") => {
                    o.create = self.boolean(value, "FieldOptions", &join(at, "create"))?
                }
                _ => self.unknown(name)?,
            }
        }
        Ok(Some(o))
    }

    /// The entries of a mapping; `None` for null.
    fn object<'n>(
        &self,
        node: &'n Node,
        owner: &str,
        at: &str,
        ty: &str,
    ) -> Result<Option<&'n crate::yaml::Mapping>> {
        match &node.value {
            Value::Null => Ok(None),
            Value::Map(map) => Ok(Some(map)),
            _ => Err(self.type_error(node, owner, at, ty)),
        }
    }

    fn string(&self, node: &Node, owner: &str, at: &str) -> Result<String> {
        match &node.value {
            Value::Null => Ok(String::new()),
            Value::Map(_) | Value::Seq(_) => Err(self.type_error(node, owner, at, "string")),
            _ => Ok(match &node.plain {
                Some(text) => text.to_string(),
                None => node.scalar_text().unwrap_or_default(),
            }),
        }
    }

    fn strings(&self, node: &Node, owner: &str, at: &str) -> Result<Vec<String>> {
        match &node.value {
            Value::Null => Ok(Vec::new()),
            Value::Seq(items) => items.iter().map(|i| self.string(i, owner, at)).collect(),
            _ => Err(self.type_error(node, owner, at, "[]string")),
        }
    }

    fn int(&self, node: &Node, owner: &str, at: &str) -> Result<i64> {
        match node.value {
            Value::Null => Ok(0),
            Value::Int(i) => Ok(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            _ => Err(self.type_error(node, owner, at, "int")),
        }
    }

    fn boolean(&self, node: &Node, owner: &str, at: &str) -> Result<bool> {
        match node.value {
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(b),
            _ => Err(self.type_error(node, owner, at, "bool")),
        }
    }

    fn unknown(&self, name: &str) -> Result<()> {
        if self.strict {
            Err(format!("json: unknown field {name:?}"))
        } else {
            Ok(())
        }
    }

    fn type_error(&self, node: &Node, owner: &str, at: &str, ty: &str) -> String {
        let path = join(self.root, at);
        format!(
            "json: cannot unmarshal {} into Go struct field {owner}.{path} of type {ty}",
            json_type(node)
        )
    }
}

/// The declared field a key names: exactly, else ignoring ASCII case (Go's
/// JSON decoder folds case).
fn field_name(key: &str, fields: &[&'static str]) -> Option<&'static str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}.{b}"),
    }
}

fn json_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}
