//! serde deserialization of typed models (kustomization files, Flux objects)
//! straight from a [`Node`], with errors that carry the node's span.
//!
//! Kustomize reads a kustomization file with sigs.k8s.io/yaml: go-yaml v2
//! turns the YAML into JSON, and encoding/json fills the Go struct with
//! unknown fields disallowed. [`from_node`] reproduces what that pipeline
//! accepts and how it fails, as checked with `kubectl kustomize` (v5.5.0):
//!
//! - **No coercion to strings.** A string field given a number or a bool is
//!   an error (`newTag: 1.10` fails with `json: cannot unmarshal number into
//!   Go struct field Image.images.newTag of type string`); a timestamp-like
//!   plain scalar stays the text it was (`2001-12-14`).
//! - **YAML 1.1 booleans.** go-yaml v2 reads plain `yes`, `on`, `n` … as
//!   bools: they fill bool fields and are errors in string fields.
//! - **Numbers.** An integer field takes an integral float (`3.0`, `1e1`);
//!   `3.5` fails. `.inf`/`.nan` anywhere fail the whole file, as in JSON.
//! - **null** leaves a field at its zero value (`""`, `false`, `0`, empty
//!   list or map); an `Option` becomes `None`.
//! - **Field names** match exactly, else ignoring ASCII case (`NewTag:`
//!   fills `newTag`), as encoding/json does. Keys are applied in byte order
//!   and the last one for a field wins, which is what kustomize's JSON
//!   round trip amounts to.
//! - **Errors** use encoding/json's wording (`json: unknown field "foo"`,
//!   `json: cannot unmarshal string into Go struct field Replica.replicas.count
//!   of type int64`), and their span points at the innermost node involved
//!   (the key, for an unknown field). Type names of lists, maps and structs are
//!   Rust's view (`slice`, `map`, `Image`) where Go prints `[]types.Image`.
//!
//! A [`Node`] inside a model (helm chart values, inline replacements) is
//! cloned whole, spans included.

use super::resolve::yaml11_bool;
use super::{Key, Mapping, Node, Value};
use crate::source::Span;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt;

/// A typed-model error: the message and the span of the offending node.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct DeError {
    pub message: String,
    pub span: Span,
}

impl DeError {
    /// Sets the span if no deeper node has set one.
    fn at(mut self, span: Span) -> DeError {
        if self.span.is_none() {
            self.span = span;
        }
        self
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: Span::NONE,
        }
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DeError::custom(format!("json: unknown field {}", go_quote(field)))
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::custom(format!("json: missing field {}", go_quote(field)))
    }
}

/// Deserializes `T` from a node, reading it as kustomize reads a
/// kustomization file (see the module documentation).
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    check_finite(node)?;
    let ctx = Context::default();
    T::deserialize(NodeDe { node, ctx: &ctx })
}

/// JSON has no infinities or NaN: go-yaml v2 decodes `.inf`, and the JSON
/// encoding of the whole document then fails.
fn check_finite(root: &Node) -> Result<(), DeError> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Float(f) if !f.is_finite() => {
                let text = if f.is_nan() {
                    "NaN"
                } else if *f > 0.0 {
                    "+Inf"
                } else {
                    "-Inf"
                };
                return Err(DeError {
                    message: format!("json: unsupported value: {text}"),
                    span: node.span,
                });
            }
            Value::Seq(items) => stack.extend(items),
            Value::Map(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    Ok(())
}

/// Where deserialization is, for encoding/json's error context: the Go
/// struct being filled and the JSON field names from the root.
#[derive(Default)]
struct Context {
    structs: RefCell<Vec<&'static str>>,
    fields: RefCell<Vec<String>>,
}

impl Context {
    /// encoding/json's UnmarshalTypeError text.
    fn type_error(&self, node: &Node, want: &str) -> DeError {
        let got = json_kind(&node.value);
        let fields = self.fields.borrow();
        let message = match (self.structs.borrow().last(), fields.is_empty()) {
            (Some(s), false) => format!(
                "json: cannot unmarshal {got} into Go struct field {s}.{} of type {want}",
                fields.join(".")
            ),
            _ => format!("json: cannot unmarshal {got} into Go value of type {want}"),
        };
        DeError {
            message,
            span: node.span,
        }
    }

    /// A number that does not fit the integer field: Go names the literal.
    fn number_error(&self, node: &Node, literal: String, want: &str) -> DeError {
        let mut e = self.type_error(node, want);
        e.message = e.message.replacen(
            "unmarshal number",
            &format!("unmarshal number {literal}"),
            1,
        );
        e
    }
}

/// Pops a context stack when a nested value is done, whatever its outcome.
struct Pop<'c, T>(&'c RefCell<Vec<T>>);

impl<T> Drop for Pop<'_, T> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

/// The JSON kind encoding/json names in its errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// The YAML 1.1 bool a plain scalar reads as, for go-yaml v2.
fn v2_bool(node: &Node) -> Option<bool> {
    match (&node.value, node.plain.as_deref()) {
        (Value::Bool(b), _) => Some(*b),
        (Value::Str(_), Some(text)) => yaml11_bool(text),
        _ => None,
    }
}

/// A float as a JSON number literal, near enough to Go's for messages.
fn number_literal(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

/// The private name under which [`Node`]'s `Deserialize` asks for the node
/// itself; [`NodeDe`] answers by handing over a clone (spans kept), any
/// other deserializer by its ordinary data.
const NODE_TOKEN: &str = "$fluxlint::yaml::Node";

thread_local! {
    /// The node [`NodeDe`] hands to [`Node`]'s visitor (see [`NODE_TOKEN`]).
    static HANDOFF: RefCell<Option<Node>> = const { RefCell::new(None) };
}

/// The deserializer over one node.
#[derive(Clone, Copy)]
struct NodeDe<'a> {
    node: &'a Node,
    ctx: &'a Context,
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty, $go:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let n = self.node;
            let fit: Option<$ty> = match &n.value {
                Value::Null => Some(0),
                Value::Int(i) => <$ty>::try_from(*i).ok(),
                Value::UInt(u) => <$ty>::try_from(*u).ok(),
                Value::Float(f) => {
                    (f.fract() == 0.0 && *f >= <$ty>::MIN as f64 && *f < <$ty>::MAX as f64 + 1.0)
                        .then(|| *f as $ty)
                }
                _ => return Err(self.ctx.type_error(n, $go)),
            };
            match fit {
                Some(v) => visitor.$visit::<DeError>(v).map_err(|e| e.at(n.span)),
                None => {
                    let literal = match &n.value {
                        Value::Int(i) => i.to_string(),
                        Value::UInt(u) => u.to_string(),
                        Value::Float(f) => number_literal(*f),
                        _ => String::new(),
                    };
                    Err(self.ctx.number_error(n, literal, $go))
                }
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        let result = match &n.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::UInt(u) => visitor.visit_u64(*u),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => match (v2_bool(n), n.plain.as_deref()) {
                (Some(b), _) => visitor.visit_bool(b),
                (None, Some(text)) => visitor.visit_str(text),
                (None, None) => visitor.visit_str(s),
            },
            Value::Seq(items) => visitor.visit_seq(SeqDe::new(items, self.ctx)),
            Value::Map(map) => visitor.visit_map(MapDe::new(map, self.ctx)),
        };
        result.map_err(|e| e.at(n.span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        match (&n.value, v2_bool(n)) {
            (_, Some(b)) => visitor.visit_bool(b),
            (Value::Null, _) => visitor.visit_bool(false),
            _ => Err(self.ctx.type_error(n, "bool")),
        }
        .map_err(|e| e.at(n.span))
    }

    int_method!(deserialize_i8, visit_i8, i8, "int8");
    int_method!(deserialize_i16, visit_i16, i16, "int16");
    int_method!(deserialize_i32, visit_i32, i32, "int32");
    int_method!(deserialize_i64, visit_i64, i64, "int64");
    int_method!(deserialize_u8, visit_u8, u8, "uint8");
    int_method!(deserialize_u16, visit_u16, u16, "uint16");
    int_method!(deserialize_u32, visit_u32, u32, "uint32");
    int_method!(deserialize_u64, visit_u64, u64, "uint64");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        match &n.value {
            Value::Null => visitor.visit_f64(0.0),
            Value::Int(i) => visitor.visit_f64(*i as f64),
            Value::UInt(u) => visitor.visit_f64(*u as f64),
            Value::Float(f) => visitor.visit_f64(*f),
            _ => Err(self.ctx.type_error(n, "float64")),
        }
        .map_err(|e| e.at(n.span))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    /// A string field takes strings only: the text of a quoted or plain
    /// string (a timestamp-like plain scalar as written), "" for null.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        match &n.value {
            Value::Null => visitor.visit_str(""),
            Value::Str(s) => match (v2_bool(n), n.plain.as_deref()) {
                (Some(b), _) => Err(self.ctx.type_error(&Node::new(Value::Bool(b)), "string")),
                (None, Some(text)) => visitor.visit_str(text),
                (None, None) => visitor.visit_str(s),
            },
            _ => Err(self.ctx.type_error(n, "string")),
        }
        .map_err(|e| e.at(n.span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(self.node.span))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor
                .visit_unit::<DeError>()
                .map_err(|e| e.at(self.node.span)),
            _ => Err(self.ctx.type_error(self.node, "struct {}")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == NODE_TOKEN {
            HANDOFF.with(|h| *h.borrow_mut() = Some(self.node.clone()));
            let result = visitor.visit_unit();
            HANDOFF.with(|h| h.borrow_mut().take());
            return result;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        match &n.value {
            Value::Null => visitor.visit_seq(SeqDe::new(&[], self.ctx)),
            Value::Seq(items) => visitor.visit_seq(SeqDe::new(items, self.ctx)),
            _ => Err(self.ctx.type_error(n, "slice")),
        }
        .map_err(|e| e.at(n.span))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.node;
        let empty = Mapping::new();
        match &n.value {
            Value::Null => visitor.visit_map(MapDe::new(&empty, self.ctx)),
            Value::Map(map) => visitor.visit_map(MapDe::new(map, self.ctx)),
            _ => Err(self.ctx.type_error(n, "map")),
        }
        .map_err(|e| e.at(n.span))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let n = self.node;
        let entries = match &n.value {
            Value::Null => Vec::new(),
            Value::Map(map) => struct_entries(map, fields),
            _ => return Err(self.ctx.type_error(n, name)),
        };
        self.ctx.structs.borrow_mut().push(name);
        let _pop = Pop(&self.ctx.structs);
        visitor
            .visit_map(StructDe {
                entries: entries.into_iter(),
                value: None,
                ctx: self.ctx,
            })
            .map_err(|e| e.at(n.span))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let n = self.node;
        match &n.value {
            Value::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Map(map) if map.len() == 1 => {
                let (key, value) = map.first().expect("one entry");
                visitor.visit_enum(EnumDe {
                    key,
                    value,
                    ctx: self.ctx,
                })
            }
            _ => Err(self.ctx.type_error(n, name)),
        }
        .map_err(|e| e.at(n.span))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

/// A struct's entries as encoding/json applies them: each key matched to a
/// field name (exactly, else ignoring ASCII case), in byte order of the keys,
/// the last key for a field winning.
fn struct_entries<'a>(
    map: &'a Mapping,
    fields: &'static [&'static str],
) -> Vec<(&'a str, &'a Key, &'a Node)> {
    let mut sorted: Vec<(&Key, &Node)> = map.iter().collect();
    sorted.sort_by(|a, b| a.0.name.as_bytes().cmp(b.0.name.as_bytes()));
    let mut out: Vec<(&'a str, &'a Key, &'a Node)> = Vec::with_capacity(sorted.len());
    let mut slots: std::collections::HashMap<&'a str, usize> = std::collections::HashMap::new();
    for (key, value) in sorted {
        let name = key.name.as_str();
        let field: &'a str = if fields.contains(&name) {
            name
        } else {
            fields
                .iter()
                .find(|f| f.eq_ignore_ascii_case(name))
                .copied()
                .unwrap_or(name)
        };
        match slots.get(field) {
            Some(&i) => out[i] = (field, key, value),
            None => {
                slots.insert(field, out.len());
                out.push((field, key, value));
            }
        }
    }
    out
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
    ctx: &'a Context,
}

impl<'a> SeqDe<'a> {
    fn new(items: &'a [Node], ctx: &'a Context) -> Self {
        SeqDe {
            items: items.iter(),
            ctx,
        }
    }
}

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(NodeDe {
                    node,
                    ctx: self.ctx,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping read as a map: keys as written, in file order.
struct MapDe<'a> {
    entries: indexmap::map::Iter<'a, Key, Node>,
    value: Option<&'a Node>,
    ctx: &'a Context,
}

impl<'a> MapDe<'a> {
    fn new(map: &'a Mapping, ctx: &'a Context) -> Self {
        MapDe {
            entries: map.iter(),
            value: None,
            ctx,
        }
    }
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(KeyDe { name: &key.name })
                    .map(Some)
                    .map_err(|e| e.at(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value without a key"))?;
        seed.deserialize(NodeDe {
            node,
            ctx: self.ctx,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A mapping read as a struct (see [`struct_entries`]); each value is
/// deserialized with its field name on the error context.
struct StructDe<'a> {
    entries: std::vec::IntoIter<(&'a str, &'a Key, &'a Node)>,
    value: Option<(&'a str, &'a Node)>,
    ctx: &'a Context,
}

impl<'de> MapAccess<'de> for StructDe<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((field, key, value)) => {
                self.value = Some((field, value));
                seed.deserialize(KeyDe { name: field })
                    .map(Some)
                    .map_err(|e| e.at(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (field, node) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value without a key"))?;
        self.ctx.fields.borrow_mut().push(field.to_string());
        let _pop = Pop(&self.ctx.fields);
        seed.deserialize(NodeDe {
            node,
            ctx: self.ctx,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A mapping key: always a string.
struct KeyDe<'a> {
    name: &'a str,
}

impl<'de> de::Deserializer<'de> for KeyDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.name)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// An enum written as a one-entry mapping (`variant: content`).
struct EnumDe<'a> {
    key: &'a Key,
    value: &'a Node,
    ctx: &'a Context,
}

impl<'de, 'a> EnumAccess<'de> for EnumDe<'a> {
    type Error = DeError;
    type Variant = NodeDe<'a>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, NodeDe<'a>), DeError> {
        let variant = seed
            .deserialize(KeyDe {
                name: &self.key.name,
            })
            .map_err(|e| e.at(self.key.span))?;
        Ok((
            variant,
            NodeDe {
                node: self.value,
                ctx: self.ctx,
            },
        ))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

/// Builds a node from any deserializer. From [`from_node`]'s, the node is
/// cloned whole (spans and [`Node::plain`] kept); from others, it is rebuilt
/// from their data and has no spans.
impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Deserialize;
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                // `NodeDe` hands its node over this way; anyone else means null.
                Ok(HANDOFF
                    .with(|h| h.borrow_mut().take())
                    .unwrap_or_else(Node::null))
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::null())
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_newtype_struct<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Node, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::new(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::new(Value::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(match i64::try_from(v) {
                    Ok(i) => Node::new(Value::Int(i)),
                    Err(_) => Node::new(Value::UInt(v)),
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::new(Value::Float(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::string(v))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::string(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = a.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(Node::seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut m = Mapping::new();
                while let Some((k, v)) = a.next_entry::<String, Node>()? {
                    m.insert(Key::new(k), v);
                }
                Ok(Node::new(Value::Map(m)))
            }
        }
        d.deserialize_newtype_struct(NODE_TOKEN, V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{parse_documents, LoadOptions};
    use indexmap::IndexMap;
    use serde::Deserialize;

    fn load(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .expect("parses")
            .remove(0)
    }

    fn de<T: DeserializeOwned>(text: &str) -> Result<T, DeError> {
        from_node(&load(text))
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Model {
        #[serde(default)]
        name_prefix: String,
        #[serde(default)]
        common_labels: IndexMap<String, String>,
        #[serde(default)]
        images: Vec<Image>,
        replicas: Option<Vec<Replica>>,
        #[serde(default)]
        options: IndexMap<String, bool>,
        #[serde(default)]
        disable_hash: bool,
        values: Option<Node>,
        #[serde(default)]
        charts: Vec<Node>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Image {
        #[serde(default)]
        name: String,
        #[serde(default)]
        new_tag: String,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Replica {
        #[serde(default)]
        name: String,
        #[serde(default)]
        count: i64,
    }

    #[test]
    fn camel_case_fields_and_nested_collections() {
        let m: Model = de("namePrefix: p-\ncommonLabels:\n  app: web\n  tier: '1'\n\
             images:\n- name: nginx\n  newTag: \"1.10\"\n- name: redis\nreplicas:\n- name: d\n  count: 3\n\
             options: {allowNameChange: true}\n")
        .unwrap();
        assert_eq!(m.name_prefix, "p-");
        let labels: Vec<_> = m
            .common_labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(labels, [("app", "web"), ("tier", "1")]);
        assert_eq!(
            m.images,
            [
                Image {
                    name: "nginx".into(),
                    new_tag: "1.10".into()
                },
                Image {
                    name: "redis".into(),
                    new_tag: String::new()
                }
            ]
        );
        assert_eq!(
            m.replicas,
            Some(vec![Replica {
                name: "d".into(),
                count: 3
            }])
        );
        assert_eq!(m.options.get("allowNameChange"), Some(&true));
        assert!(m.values.is_none());
    }

    #[test]
    fn unknown_fields_name_the_field_and_point_at_the_key() {
        let text = "images:\n- name: nginx\n  newTagg: v1\n";
        let e = from_node::<Model>(&load(text)).unwrap_err();
        assert_eq!(e.message, "json: unknown field \"newTagg\"");
        assert_eq!(slice(text, e.span), "newTagg");
        let e = de::<Model>("foo: 1\n").unwrap_err();
        assert_eq!(e.message, "json: unknown field \"foo\"");
    }

    #[test]
    fn strings_take_only_strings_as_kustomize_does() {
        // kubectl kustomize: `newTag: 1.10` is "json: cannot unmarshal number
        // into Go struct field Image.images.newTag of type string".
        let text = "images:\n- name: nginx\n  newTag: 1.10\n";
        let e = from_node::<Model>(&load(text)).unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal number into Go struct field Image.images.newTag of type string"
        );
        assert_eq!(slice(text, e.span), "1.10");
        let e = de::<Model>("commonLabels:\n  a: true\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal bool into Go struct field Model.commonLabels of type string"
        );
        // go-yaml v2 reads plain `yes` as a bool.
        let e = de::<Model>("namePrefix: yes\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal bool into Go struct field Model.namePrefix of type string"
        );
        let e = de::<Model>("namePrefix: [a]\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal array into Go struct field Model.namePrefix of type string"
        );
        let e = de::<Model>("images: x\n").unwrap_err();
        assert!(e
            .message
            .starts_with("json: cannot unmarshal string into Go struct field Model.images"));
        let e = de::<Model>("images: [x]\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go struct field Model.images of type Image"
        );
        let e = de::<Model>("just text\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go value of type Model"
        );
        // Quoted, timestamp-like and null values are fine.
        let m: Model =
            de("namePrefix: 'yes'\nimages:\n- newTag: 2001-12-14 21:59:43.10\n- newTag: ~\n")
                .unwrap();
        assert_eq!(m.name_prefix, "yes");
        assert_eq!(m.images[0].new_tag, "2001-12-14 21:59:43.10");
        assert_eq!(m.images[1].new_tag, "");
    }

    #[test]
    fn bools_and_numbers() {
        let m: Model = de("disableHash: yes\noptions: {a: on, b: false, c: N}\n").unwrap();
        assert!(m.disable_hash);
        let opts: Vec<_> = m.options.values().copied().collect();
        assert_eq!(opts, [true, false, false]);
        let e = de::<Model>("disableHash: \"true\"\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go struct field Model.disableHash of type bool"
        );
        for (count, want) in [("3.0", 3), ("1e1", 10), ("0x10", 16), ("~", 0)] {
            let m: Model = de(&format!("replicas:\n- count: {count}\n")).unwrap();
            assert_eq!(m.replicas.unwrap()[0].count, want, "{count}");
        }
        let e = de::<Model>("replicas:\n- count: 3.5\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal number 3.5 into Go struct field Replica.replicas.count of type int64"
        );
        let e = de::<Model>("replicas:\n- count: \"3\"\n").unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go struct field Replica.replicas.count of type int64"
        );
        let e = de::<Model>("replicas:\n- count: 9223372036854775808\n").unwrap_err();
        assert!(
            e.message.contains("number 9223372036854775808"),
            "{}",
            e.message
        );
        let e = de::<Model>("values: {a: [1, .inf]}\n").unwrap_err();
        assert_eq!(e.message, "json: unsupported value: +Inf");
    }

    #[test]
    fn null_gives_zero_values() {
        let m: Model =
            de("namePrefix:\ncommonLabels: ~\nimages:\nreplicas:\ndisableHash:\nvalues:\n")
                .unwrap();
        assert_eq!(m, Model::default());
        let m: Model = de("---\n").unwrap();
        assert_eq!(m, Model::default());
    }

    #[test]
    fn field_names_fold_case_and_the_last_in_byte_order_wins() {
        let m: Model = de("NamePrefix: a-\nIMAGES:\n- NAME: nginx\n  newtag: v1\n").unwrap();
        assert_eq!(m.name_prefix, "a-");
        assert_eq!(m.images[0].name, "nginx");
        assert_eq!(m.images[0].new_tag, "v1");
        // kubectl: `newTag: v1` then `NewTag: v3` gives v1 ("NewTag" sorts first).
        let m: Model = de("images:\n- name: nginx\n  newTag: v1\n  NewTag: v3\n").unwrap();
        assert_eq!(m.images[0].new_tag, "v1");
    }

    #[test]
    fn nodes_inside_models_keep_spans_and_text() {
        let text = "values:\n  tag: 1.10\n  list: [a, b]\ncharts:\n- name: x\n  version: 1.0\n";
        let m: Model = from_node(&load(text)).unwrap();
        let values = m.values.unwrap();
        assert_eq!(slice(text, values.span), "tag: 1.10\n  list: [a, b]");
        let tag = values.get("tag").unwrap();
        assert_eq!(slice(text, tag.span), "1.10");
        assert_eq!(tag.plain.as_deref(), Some("1.10"));
        let (k, _) = values.as_map().unwrap().get_key_value("list").unwrap();
        assert_eq!(slice(text, k.span), "list");
        assert_eq!(slice(text, m.charts[0].get("version").unwrap().span), "1.0");
        // The same impl still works for other deserializers (no spans there).
        let n: Node = serde_json::from_str(r#"{"a": [1, "x", null, 1.5, true]}"#).unwrap();
        assert_eq!(n.get("a").unwrap().as_seq().unwrap().len(), 5);
        assert!(n.span.is_none());
        let whole: Node = from_node(&load(text)).unwrap();
        assert_eq!(slice(text, whole.span), text.trim_end());
    }

    #[test]
    fn enums_from_strings_and_single_entry_maps() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Behavior {
            Create,
            Merge,
            Custom { name: String },
        }
        assert_eq!(
            from_node::<Behavior>(&load("merge\n")).unwrap(),
            Behavior::Merge
        );
        assert_eq!(
            from_node::<Behavior>(&load("create\n")).unwrap(),
            Behavior::Create
        );
        assert_eq!(
            from_node::<Behavior>(&load("custom: {name: x}\n")).unwrap(),
            Behavior::Custom { name: "x".into() }
        );
        assert!(from_node::<Behavior>(&load("replace\n")).is_err());
    }

    #[test]
    fn kustomization_model_reads_a_file() {
        use crate::kustomize::kustomization::Kustomization;
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- a.yaml\n\
                    images:\n- name: nginx\n  newTag: \"1.10\"\nhelmCharts:\n- name: podinfo\n  valuesInline:\n    replicas: 2\n\
                    generatorOptions:\n  disableNameSuffixHash: yes\n";
        let k: Kustomization = from_node(&load(text)).unwrap();
        assert_eq!(k.resources.as_deref(), Some(&["a.yaml".to_string()][..]));
        assert_eq!(k.images.unwrap()[0].new_tag, "1.10");
        assert!(k.generator_options.unwrap().disable_name_suffix_hash);
        let chart = &k.helm_charts.unwrap()[0];
        let replicas = chart.get_path(&["valuesInline", "replicas"]).unwrap();
        assert_eq!(slice(text, replicas.span), "2");
        let e = from_node::<Kustomization>(&load("resources:\n- a.yaml\nbogus: 1\n")).unwrap_err();
        assert_eq!(e.message, "json: unknown field \"bogus\"");
    }
}
