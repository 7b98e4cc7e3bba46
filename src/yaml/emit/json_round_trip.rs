//! What kustomize's JSON round trip does to a value before it is written.
//!
//! Each resource goes through encoding/json and is read back by goyaml.v2
//! (sigs.k8s.io/yaml `JSONToYAML`). That step fails on some values and
//! changes one kind of string:
//! - `json.Marshal` refuses non-finite floats (`json: unsupported value: +Inf`);
//! - encoding/json writes U+007F–U+0084, U+0086–U+009F, U+FFFE and U+FFFF
//!   raw, and goyaml.v2's reader rejects them
//!   (`yaml: control characters are not allowed`);
//! - it also writes U+0085 (NEL) raw, and goyaml.v2 reads it as a line
//!   break inside the double-quoted JSON string, so it is folded:
//!   one break becomes a space, n breaks become n-1 newlines, and spaces
//!   around the breaks disappear. A NEL in a key, or a NEL directly followed
//!   by a document marker (`---`/`...` and a blank), is a parse error;
//! - a key whose JSON text is longer than 1022 characters is no longer a
//!   simple key for the scanner (its 1024-character window, quotes
//!   included), which is a parse error.
//!
//! The messages are the tail of kustomize's own (kustomize prefixes them
//! with a dump of the object).

use crate::yaml::{Node, Value};
use std::borrow::Cow;

const NEL: char = '\u{85}';

/// Checks that kustomize could write `node`: `Err` carries kustomize's
/// message when its JSON round trip would fail.
pub fn check_emittable(node: &Node) -> Result<(), String> {
    // json.Marshal runs over the whole object before YAML reads anything.
    if let Some(f) = first_non_finite_float(node) {
        let name = if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        };
        return Err(format!("json: unsupported value: {name}"));
    }
    check_strings(node)
}

fn first_non_finite_float(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Float(f) if !f.is_finite() => Some(*f),
        Value::Seq(items) => items.iter().find_map(first_non_finite_float),
        Value::Map(map) => map.values().find_map(first_non_finite_float),
        _ => None,
    }
}

fn check_strings(node: &Node) -> Result<(), String> {
    match &node.value {
        Value::Str(s) => check_value_text(s),
        Value::Seq(items) => items.iter().try_for_each(check_strings),
        Value::Map(map) => map.iter().try_for_each(|(key, value)| {
            check_key_text(&key.name)?;
            check_strings(value)
        }),
        _ => Ok(()),
    }
}

/// Characters encoding/json writes raw that goyaml.v2's reader refuses.
fn is_rejected_control(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

const CONTROL_CHARACTERS: &str = "yaml: control characters are not allowed";
const NOT_A_KEY: &str = "yaml: did not find expected ',' or '}'";

fn check_value_text(s: &str) -> Result<(), String> {
    if s.chars().any(is_rejected_control) {
        return Err(CONTROL_CHARACTERS.to_string());
    }
    if has_document_marker_after_nel(s) {
        return Err("yaml: found unexpected document indicator".to_string());
    }
    Ok(())
}

fn check_key_text(key: &str) -> Result<(), String> {
    if key.chars().any(is_rejected_control) {
        return Err(CONTROL_CHARACTERS.to_string());
    }
    if key.contains(NEL) || json_text_len(key) > 1022 {
        return Err(NOT_A_KEY.to_string());
    }
    Ok(())
}

/// Characters encoding/json writes for `s` between the quotes (it escapes
/// `"`, `\`, controls, `<`, `>`, `&`, U+2028 and U+2029).
fn json_text_len(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            '\0'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => 6,
            _ => 1,
        })
        .sum()
}

/// After a NEL the scanner is at column 0 of a new line; `---` or `...`
/// there, followed by a blank, ends the document in the middle of the
/// string.
fn has_document_marker_after_nel(s: &str) -> bool {
    let mut rest = s;
    while let Some(pos) = rest.find(NEL) {
        rest = &rest[pos + NEL.len_utf8()..];
        if rest.starts_with("---") || rest.starts_with("...") {
            // Only a space or another NEL can follow raw in JSON text; the
            // closing quote is not a blank.
            if rest[3..].starts_with([' ', NEL]) {
                return true;
            }
        }
    }
    false
}

/// The string goyaml.v2 reads back from the JSON text of `s`: NEL line
/// breaks folded as in a double-quoted scalar.
pub(super) fn fold_nel(s: &str) -> Cow<'_, str> {
    if !s.contains(NEL) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut pending_spaces = 0usize;
    while let Some(c) = chars.next() {
        match c {
            ' ' => pending_spaces += 1,
            NEL => {
                // Spaces before the first break are dropped; then every
                // space and break up to the next other character is part
                // of the fold.
                pending_spaces = 0;
                let mut breaks = 1;
                while let Some(&next) = chars.peek() {
                    match next {
                        ' ' => {}
                        NEL => breaks += 1,
                        _ => break,
                    }
                    chars.next();
                }
                if breaks == 1 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', breaks - 1));
                }
            }
            _ => {
                out.extend(std::iter::repeat_n(' ', pending_spaces));
                pending_spaces = 0;
                out.push(c);
            }
        }
    }
    out.extend(std::iter::repeat_n(' ', pending_spaces));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Key;

    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = crate::yaml::Mapping::new();
        for (k, v) in entries {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    #[test]
    fn nel_folds_like_a_double_quoted_line_break() {
        // Probed with kubectl: "a \N \N\N b\N" → "a\n\nb ".
        assert_eq!(fold_nel("a \u{85} \u{85}\u{85} b\u{85}"), "a\n\nb ");
        assert_eq!(fold_nel("\u{85}x"), " x");
        assert_eq!(fold_nel("x\u{85}"), "x ");
        assert_eq!(fold_nel("a\u{85}\u{85}\u{85}b"), "a\n\nb");
        assert_eq!(fold_nel("a\u{85}  \u{85} b"), "a\nb");
        assert_eq!(fold_nel("a  b "), "a  b ");
    }

    #[test]
    fn non_finite_floats_fail_like_encoding_json() {
        let doc = map(vec![("x", Node::new(Value::Float(f64::INFINITY)))]);
        assert_eq!(
            check_emittable(&doc).unwrap_err(),
            "json: unsupported value: +Inf"
        );
        let doc = map(vec![(
            "x",
            Node::seq(vec![Node::new(Value::Float(f64::NEG_INFINITY))]),
        )]);
        assert_eq!(
            check_emittable(&doc).unwrap_err(),
            "json: unsupported value: -Inf"
        );
        let doc = map(vec![("x", Node::new(Value::Float(f64::NAN)))]);
        assert_eq!(
            check_emittable(&doc).unwrap_err(),
            "json: unsupported value: NaN"
        );
        let doc = map(vec![("x", Node::new(Value::Float(1.5)))]);
        assert!(check_emittable(&doc).is_ok());
    }

    #[test]
    fn raw_control_characters_fail() {
        for s in ["a\u{7f}b", "\u{80}", "\u{9f}", "\u{fffe}", "\u{ffff}"] {
            let doc = map(vec![("x", Node::string(s))]);
            assert_eq!(check_emittable(&doc).unwrap_err(), CONTROL_CHARACTERS);
            let doc = map(vec![(s, Node::string("v"))]);
            assert_eq!(check_emittable(&doc).unwrap_err(), CONTROL_CHARACTERS);
        }
        // Escaped by encoding/json, or printable: fine.
        for s in [
            "\t", "\u{1}", "\u{85}", "\u{a0}", "\u{feff}", "😀", "\u{2028}",
        ] {
            let doc = map(vec![("x", Node::string(s))]);
            assert!(check_emittable(&doc).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn nel_in_key_or_before_document_marker_fails() {
        let doc = map(vec![("k\u{85}y", Node::string("v"))]);
        assert_eq!(check_emittable(&doc).unwrap_err(), NOT_A_KEY);
        let doc = map(vec![("z", Node::string("\u{85}\u{85}--- x"))]);
        assert!(check_emittable(&doc).is_err());
        let doc = map(vec![("z", Node::string("\u{85}...\u{85}"))]);
        assert!(check_emittable(&doc).is_err());
        for ok in ["\u{85} --- x", "\u{85}---", "\u{85}--x", "a---"] {
            let doc = map(vec![("z", Node::string(ok))]);
            assert!(check_emittable(&doc).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn long_keys_fail_past_the_simple_key_window() {
        // Probed: 1022 characters work, 1023 fail; `<` is 6 in JSON text.
        let ok = "k".repeat(1022);
        assert!(check_emittable(&map(vec![(ok.as_str(), Node::null())])).is_ok());
        let long = "k".repeat(1023);
        assert!(check_emittable(&map(vec![(long.as_str(), Node::null())])).is_err());
        let ok = "<".repeat(170);
        assert!(check_emittable(&map(vec![(ok.as_str(), Node::null())])).is_ok());
        let long = "<".repeat(171);
        assert!(check_emittable(&map(vec![(long.as_str(), Node::null())])).is_err());
        let nested = map(vec![("a", map(vec![(long.as_str(), Node::null())]))]);
        assert!(check_emittable(&nested).is_err());
        // Long values are fine.
        let value = "v".repeat(3000);
        assert!(check_emittable(&map(vec![("k", Node::string(value))])).is_ok());
    }
}
