//! Template values: the Go `any` values a ResourceSet template sees.
//!
//! Inputs arrive as JSON decoded by k8s `util/json` (integers as `int64`,
//! other numbers as `float64`), so the value model is JSON's with an
//! int/float split. Maps are Go maps: unordered, so they are kept sorted,
//! which is the order Go prints them, ranges over them and marshals them in.

use crate::yaml::{Key, Mapping, Node, Value as YamlValue};
use std::collections::BTreeMap;

/// A value inside template execution.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// Go's `truth` for `if`, `with`, `and`, `or`, `not`: zero values are false.
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// The Go type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// `fmt.Sprint(v)` (`%v`); `nil` prints as `<nil>`.
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_go(&mut out);
        out
    }

    fn write_go(&self, out: &mut String) {
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&format_go_float(*f)),
            Value::Str(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write_go(out);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go(out);
                }
                out.push(']');
            }
        }
    }

    /// A YAML node holding this value (for `toYaml` and the inputs API).
    pub fn to_node(&self) -> Node {
        Node::new(match self {
            Value::Nil => YamlValue::Null,
            Value::Bool(b) => YamlValue::Bool(*b),
            Value::Int(i) => YamlValue::Int(*i),
            Value::Float(f) => YamlValue::Float(*f),
            Value::Str(s) => YamlValue::Str(s.clone()),
            Value::List(items) => YamlValue::Seq(items.iter().map(Value::to_node).collect()),
            Value::Map(map) => {
                let mut m = Mapping::new();
                for (k, v) in map {
                    m.insert(Key::new(k.clone()), v.to_node());
                }
                YamlValue::Map(m)
            }
        })
    }

    /// The value of a YAML node, as k8s `util/json` decodes its JSON form:
    /// integers that fit `int64` stay integers, other numbers are floats.
    pub fn from_node(node: &Node) -> Value {
        match &node.value {
            YamlValue::Null => Value::Nil,
            YamlValue::Bool(b) => Value::Bool(*b),
            YamlValue::Int(i) => Value::Int(*i),
            YamlValue::UInt(u) => match i64::try_from(*u) {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Float(*u as f64),
            },
            YamlValue::Float(f) => Value::Float(*f),
            YamlValue::Str(s) => Value::Str(s.clone()),
            YamlValue::Seq(items) => Value::List(items.iter().map(Value::from_node).collect()),
            YamlValue::Map(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.name.clone(), Value::from_node(v)))
                    .collect(),
            ),
        }
    }

    /// `json.Marshal` (sorted keys, HTML-safe escaping as Go does by default).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, None, 0);
        out
    }

    /// `json.MarshalIndent(v, "", "  ")`.
    pub fn to_pretty_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, Some("  "), 0);
        out
    }

    fn write_json(&self, out: &mut String, indent: Option<&str>, depth: usize) {
        let newline = |out: &mut String, d: usize| {
            if let Some(ind) = indent {
                out.push('\n');
                for _ in 0..d {
                    out.push_str(ind);
                }
            }
        };
        match self {
            Value::Nil => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&format_json_float(*f)),
            Value::Str(s) => write_json_string(s, out),
            Value::List(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write_json(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Value::Map(map) => {
                if map.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_json_string(k, out);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    v.write_json(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }
}

/// Go's `encoding/json` string escaping (with `<`, `>`, `&` escaped).
fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Shortest decimal digits and exponent of `f` (`f` = 0.d1d2... × 10^dp).
fn shortest_digits(f: f64) -> (String, i32) {
    // Rust's `{:e}` is the shortest round-tripping form: `1.2345e6`.
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses for float64.
pub fn format_go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let (digits, dp) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let exp = dp - 1;
    // Go: with the shortest precision, %e is chosen when exp < -4 || exp >= 6.
    let eprec = 6;
    if exp < -4 || exp >= eprec {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    format!("{sign}{}", place_point(&digits, dp))
}

/// Digits with the decimal point after `dp` of them.
fn place_point(digits: &str, dp: i32) -> String {
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(dp as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    }
}

/// `encoding/json` float formatting: like 'f', but 'e' for tiny or huge numbers.
fn format_json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let (digits, dp) = shortest_digits(f);
        let exp = dp - 1;
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let sign = if f < 0.0 { "-" } else { "" };
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let (digits, dp) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    format!("{sign}{}", place_point(&digits, dp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(format_go_float(1.5), "1.5");
        assert_eq!(format_go_float(1_000_000.0), "1e+06");
        assert_eq!(format_go_float(123_456.0), "123456");
        assert_eq!(format_go_float(1_234_567.0), "1.234567e+06");
        assert_eq!(format_go_float(0.0001), "0.0001");
        assert_eq!(format_go_float(0.00001), "1e-05");
        assert_eq!(format_json_float(1_000_000.0), "1000000");
    }

    #[test]
    fn maps_print_sorted() {
        let mut m = BTreeMap::new();
        m.insert("b".to_string(), Value::Int(2));
        m.insert(
            "a".to_string(),
            Value::List(vec![Value::Str("x".into()), Value::Nil]),
        );
        assert_eq!(Value::Map(m).to_go_string(), "map[a:[x <nil>] b:2]");
    }
}
