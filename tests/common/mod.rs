//! Helpers shared by the conformance tests.
#![allow(dead_code)]

use fluxlint::yaml::{Node, Value};

/// The corpus's `subset` comparison: every expected key matches, `null`
/// means absent (an absent map holds no key either); lists element by element.
pub fn subset(expected: &Node, actual: Option<&Node>) -> bool {
    match (&expected.value, actual) {
        (Value::Null, None) => true,
        (Value::Map(e), None) => e.values().all(|v| subset(v, None)),
        (Value::Map(e), Some(a)) => {
            let Some(a) = a.as_map() else { return false };
            e.iter().all(|(k, v)| subset(v, a.get(k.name.as_str())))
        }
        (Value::Seq(e), Some(a)) => {
            let Some(a) = a.as_seq() else { return false };
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| subset(x, Some(y)))
        }
        (_, Some(a)) => expected == a,
        (_, None) => false,
    }
}

/// Kind, namespace and name.
pub fn identity(n: &Node) -> [String; 3] {
    [
        n.str_at(&["kind"]),
        n.str_at(&["metadata", "namespace"]),
        n.str_at(&["metadata", "name"]),
    ]
    .map(|s| s.unwrap_or("").to_string())
}

/// Objects compared as the case says: exact (in order), or subset matched by identity.
pub fn objects_match(expected: &[Node], actual: &[Node], subset_mode: bool) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    if subset_mode {
        expected
            .iter()
            .all(|e| subset(e, actual.iter().find(|a| identity(a) == identity(e))))
    } else {
        expected == actual
    }
}
