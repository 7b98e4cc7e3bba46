//! YAML as kustomize sees it: a JSON-like value tree whose every node keeps
//! the byte span it was read from.
//!
//! - [`load`] reads text into [`Node`]s (saphyr-parser events, our own
//!   policies: duplicate keys, alias budget, depth limit, merge keys) and types
//!   plain scalars as go-yaml v3 does ([`resolve`]).
//! - [`emit`] writes a node back as `kustomize build` does, byte for byte
//!   (go-yaml v2 through sigs.k8s.io/yaml: sorted keys, 80-column folding).
//!
//! Input styles, comments, anchors and key order are not kept: kustomize's
//! output does not depend on them (see ../shared/docs/kustomize-output.md).

pub mod de;
pub mod emit;
pub mod load;
pub mod resolve;

pub use emit::{emit_document, emit_documents};
pub use load::{parse_documents, DuplicateKeys, LoadOptions, YamlError, YamlErrorKind};

use crate::source::Span;
use indexmap::IndexMap;
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// A value with the span of the text it came from ([`Span::NONE`] when made).
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// For an untagged plain scalar whose type depends on the resolver: the
    /// text as written. Set when it resolved to a non-string (`1.10`, `0777`,
    /// `true`, `~`, an empty value), to a converted string (a timestamp), or
    /// to a string that YAML 1.1 reads as a bool (`yes`, `on`: go-yaml v2,
    /// which kustomize uses for kustomization files). [`de::from_node`] reads
    /// it to type such scalars as kustomize does there.
    pub plain: Option<Box<str>>,
}

/// The JSON data model, with kustomize's int/uint/float distinction.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Mapping),
}

/// A mapping key: its text, and where it was written.
/// Equality and hashing use the text only.
#[derive(Clone, Debug)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Key {
    pub fn new(name: impl Into<String>) -> Key {
        Key {
            name: name.into(),
            span: Span::NONE,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Key {}
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}
impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.name
    }
}

/// An insertion-ordered mapping with string keys.
pub type Mapping = IndexMap<Key, Node>;

impl PartialEq for Value {
    /// Data equality: maps compare as maps (order ignored), numbers by type and value.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Int(a), Value::UInt(b)) | (Value::UInt(b), Value::Int(a)) => {
                *a >= 0 && *a as u64 == *b
            }
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Seq(a), Value::Seq(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k.name.as_str()).is_some_and(|w| w == v))
            }
            _ => false,
        }
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Node {
    pub fn new(value: Value) -> Node {
        Node {
            value,
            span: Span::NONE,
            plain: None,
        }
    }

    pub fn with_span(value: Value, span: Span) -> Node {
        Node {
            value,
            span,
            plain: None,
        }
    }

    pub fn null() -> Node {
        Node::new(Value::Null)
    }

    pub fn string(s: impl Into<String>) -> Node {
        Node::new(Value::Str(s.into()))
    }

    pub fn map() -> Node {
        Node::new(Value::Map(Mapping::new()))
    }

    pub fn seq(items: Vec<Node>) -> Node {
        Node::new(Value::Seq(items))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.get_mut(key)
    }

    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |n, k| n.get_mut(k))
    }

    /// The string at a path of mapping keys.
    pub fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.get_path(path)?.as_str()
    }

    /// Sets `key` in a mapping (replacing a non-mapping by an empty mapping first).
    pub fn set(&mut self, key: &str, value: Node) {
        if self.as_map().is_none() {
            self.value = Value::Map(Mapping::new());
        }
        let map = self.as_map_mut().expect("just made a mapping");
        if let Some(slot) = map.get_mut(key) {
            *slot = value;
        } else {
            map.insert(Key::new(key), value);
        }
    }

    /// The mapping at `key`, created (or replaced, when not a mapping) if needed.
    pub fn entry_map(&mut self, key: &str) -> &mut Node {
        if self.get(key).and_then(Node::as_map).is_none() {
            self.set(key, Node::map());
        }
        self.get_mut(key).expect("just set")
    }

    /// Removes `key` from a mapping, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        self.as_map_mut()?.shift_remove(key)
    }

    /// The scalar as text, as kustomize's field setters read it (numbers and
    /// booleans by their canonical text); `None` for collections and null.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            Value::Float(f) => Some(emit::format_float(*f)),
            _ => None,
        }
    }
}
