//! serde deserialization of typed models (kustomization files, Flux objects)
//! straight from a [`Node`], with errors that carry the node's span.
//!
//! TODO(loader helper): implement `from_node`.

use super::Node;
use crate::source::Span;

/// A typed-model error: the message and the span of the offending node.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct DeError {
    pub message: String,
    pub span: Span,
}

/// Deserializes `T` from a node. String fields accept any scalar and read its
/// text as written (`newTag: 1.10` gives "1.10"); unknown fields are rejected
/// where `T` says `deny_unknown_fields`, as kustomize does.
pub fn from_node<T: serde::de::DeserializeOwned>(_node: &Node) -> Result<T, DeError> {
    unimplemented!()
}

/// Builds a node from any deserializer (spans are lost unless the
/// deserializer is [`from_node`]'s).
impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use super::{Key, Mapping, Value};
        use serde::de::{Deserialize, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::null())
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::null())
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
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
        d.deserialize_any(V)
    }
}
