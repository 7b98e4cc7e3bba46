//! The name-suffix hash of generated ConfigMaps and Secrets (kustomize's
//! `api/hasher`).
//!
//! kustomize hashes Go's `json.Marshal` of a small map built from the
//! object, so this module reproduces that encoding exactly: sorted keys, no
//! whitespace, HTML-safe escapes, and numbers that went through `float64`.

use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::fieldspec::scalar_value_text;
use crate::yaml::{Node, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A JSON value as Go's encoder sees the `interface{}` kustomize builds.
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

/// kustomize's name-suffix hash of a ConfigMap or Secret (10 characters).
pub fn content_hash(node: &Node) -> Result<String> {
    let kind = node.str_at(&["kind"]).unwrap_or("");
    let mut fields = BTreeMap::new();
    fields.insert("kind".to_string(), Json::String(kind.to_string()));
    // kustomize looks up "metadata/name" as one key, which never exists, so
    // the name takes no part in the hash.
    fields.insert("name".to_string(), field_value(node.get("metadata/name")));
    fields.insert("data".to_string(), field_value(node.get("data")));
    match kind {
        "ConfigMap" => {
            add_if_map(&mut fields, node, "binaryData");
        }
        "Secret" => {
            fields.insert("type".to_string(), field_value(node.get("type")));
            add_if_map(&mut fields, node, "stringData");
        }
        other => {
            // For other kinds kustomize hashes the JSON of its internal YAML
            // node structure (styles, line and column numbers included),
            // which cannot be reproduced from the data alone.
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("cannot compute the name hash of a {other:?}: only ConfigMaps and Secrets are supported"),
            ));
        }
    }
    let mut text = String::new();
    encode(&Json::Object(fields), &mut text)?;
    Ok(encode_hash(&text))
}

/// What kustomize's `getNodeValues` makes of a field: "" when missing, the
/// scalar's text, or the collection as decoded JSON (a list decodes to a
/// nil map, which encodes as `null`).
fn field_value(node: Option<&Node>) -> Json {
    match node {
        None => Json::String(String::new()),
        Some(n) => match &n.value {
            Value::Map(_) => to_json(n),
            Value::Seq(_) => Json::Null,
            _ => Json::String(scalar_value_text(n)),
        },
    }
}

/// `binaryData`/`stringData` are added only when they are collections.
fn add_if_map(fields: &mut BTreeMap<String, Json>, node: &Node, key: &str) {
    if let Some(n) = node.get(key) {
        if matches!(n.value, Value::Map(_) | Value::Seq(_)) {
            fields.insert(key.to_string(), field_value(Some(n)));
        }
    }
}

/// A collection after kyaml's JSON round trip: numbers become `float64`.
fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number(*i as f64),
        Value::UInt(u) => Json::Number(*u as f64),
        Value::Float(f) => Json::Number(*f),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// Go's `json.Marshal` text of a value.
fn encode(value: &Json, out: &mut String) -> Result<()> {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(f) => out.push_str(&go_json_float(*f)?),
        Json::String(s) => encode_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(item, out)?;
            }
            out.push(']');
        }
        Json::Object(map) => {
            // BTreeMap order is byte order of the keys, as Go sorts them.
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_string(k, out);
                out.push(':');
                encode(v, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Go's JSON string escaping with HTML escaping on (Go 1.22+: `\b` and `\f`
/// have short forms; probed: the hash of a literal with both matches).
fn encode_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `encoding/json` text of a `float64`: shortest round-trip digits,
/// plain notation for 1e-6 <= |f| < 1e21, else `1e+21` / `1e-7` style.
fn go_json_float(f: f64) -> Result<String> {
    if !f.is_finite() {
        return Err(Error::new(
            ErrorKind::Generator,
            format!("json: unsupported value: {}", go_float_name(f)),
        ));
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return Ok(format!("{f}"));
    }
    // Rust's `{:e}` is `1.5e-7` / `1e21`; Go writes `1.5e-07` / `1e+21` and
    // the JSON encoder then drops the 0 of a one-digit negative exponent.
    let text = format!("{f:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    let digits = if digits.len() < 2 && sign == '+' {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    Ok(format!("{mantissa}e{sign}{digits}"))
}

fn go_float_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

/// First 10 hex digits of the SHA-256, with `0 1 3 a e` replaced by
/// `g h k m t` (kustomize's `encode`).
fn encode_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Key, Mapping};

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn config_map(data: Option<Node>) -> Node {
        let mut fields = vec![
            ("apiVersion", Node::string("v1")),
            ("kind", Node::string("ConfigMap")),
            ("metadata", map(vec![("name", Node::string("whatever"))])),
        ];
        if let Some(d) = data {
            fields.push(("data", d));
        }
        map(fields)
    }

    #[test]
    fn matches_kubectl_hashes() {
        // All probed with `kubectl kustomize` (v5.5.0).
        let a = config_map(Some(map(vec![("a", Node::string("1"))])));
        assert_eq!(content_hash(&a).unwrap(), "h29d89cmmt");
        let b = config_map(Some(map(vec![(
            "x",
            Node::string("\u{8}\u{c}<>&\u{2028}é"),
        )])));
        assert_eq!(content_hash(&b).unwrap(), "675c948dbk");
        assert_eq!(content_hash(&config_map(None)).unwrap(), "6ct58987ht");
        let secret = map(vec![
            ("apiVersion", Node::string("v1")),
            ("kind", Node::string("Secret")),
            ("metadata", map(vec![("name", Node::string("s"))])),
            ("type", Node::string("Opaque")),
            ("data", map(vec![])),
        ]);
        assert_eq!(content_hash(&secret).unwrap(), "46f8b28mk5");
        let secret = map(vec![
            ("kind", Node::string("Secret")),
            ("type", Node::string("Opaque")),
            ("data", map(vec![("a", Node::string("MQ=="))])),
        ]);
        assert_eq!(content_hash(&secret).unwrap(), "25khgmg44c");
    }

    #[test]
    fn name_labels_and_namespace_do_not_count() {
        let mut a = config_map(Some(map(vec![("a", Node::string("1"))])));
        a.get_mut("metadata")
            .unwrap()
            .set("namespace", Node::string("ns"));
        a.get_mut("metadata")
            .unwrap()
            .set("name", Node::string("x"));
        a.set("immutable", Node::new(Value::Bool(true)));
        assert_eq!(content_hash(&a).unwrap(), "h29d89cmmt");
    }

    #[test]
    fn encodes_like_go() {
        let mut s = String::new();
        encode_string("a\"\\\u{1}\u{7f}\u{2029}", &mut s);
        assert_eq!(s, "\"a\\\"\\\\\\u0001\u{7f}\\u2029\"");
        assert_eq!(go_json_float(1.0).unwrap(), "1");
        assert_eq!(go_json_float(1.5).unwrap(), "1.5");
        assert_eq!(go_json_float(-0.0).unwrap(), "-0");
        assert_eq!(go_json_float(1e21).unwrap(), "1e+21");
        assert_eq!(go_json_float(1.5e-7).unwrap(), "1.5e-7");
        assert_eq!(go_json_float(1e-10).unwrap(), "1e-10");
        assert_eq!(
            go_json_float(123456789012345678.0).unwrap(),
            "123456789012345680"
        );
        assert!(go_json_float(f64::NAN).is_err());
        let nested = Json::Object(
            [
                (
                    "b".to_string(),
                    Json::Array(vec![Json::Null, Json::Bool(true)]),
                ),
                ("a".to_string(), Json::Number(2.0)),
            ]
            .into(),
        );
        let mut s = String::new();
        encode(&nested, &mut s).unwrap();
        assert_eq!(s, "{\"a\":2,\"b\":[null,true]}");
    }

    #[test]
    fn binary_data_counts_only_as_a_map() {
        let plain = config_map(Some(map(vec![("a", Node::string("1"))])));
        let mut with_binary = plain.clone();
        with_binary.set("binaryData", map(vec![("b", Node::string("AAE="))]));
        assert_ne!(
            content_hash(&plain).unwrap(),
            content_hash(&with_binary).unwrap()
        );
        let mut scalar_binary = plain.clone();
        scalar_binary.set("binaryData", Node::string("x"));
        assert_eq!(
            content_hash(&plain).unwrap(),
            content_hash(&scalar_binary).unwrap()
        );
    }

    #[test]
    fn other_kinds_are_unsupported() {
        let d = map(vec![("kind", Node::string("Deployment"))]);
        assert_eq!(content_hash(&d).unwrap_err().kind, ErrorKind::Unsupported);
    }
}
