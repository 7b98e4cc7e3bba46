//! Field paths of replacements and the two ways kustomize walks them.
//!
//! A path is split on `.` ([`split`], kyaml's `SmarterPathSplitter`): `\.`
//! escapes a dot, a bracketed part keeps its dots (`[name=a.b]`), and a
//! bracketed part without `=` is a plain map key (`[app.kubernetes.io/name]`).
//!
//! - The source is read with [`lookup`] (kyaml's `PathGetter`): a number
//!   is a list index, `-` the last element, `[k=v]` the first element whose
//!   field `k` is exactly `v` (`[=v]`: the element `v`), anything else a map
//!   key; `*` is refused.
//! - Targets are found with [`match_targets`] (kyaml's `PathMatcher`): a
//!   number is a list index, `*` every element, and `[k=v]` *every* element
//!   whose field `k` matches the **unanchored regular expression** `v`
//!   (`[=v]` matches the elements themselves, and ends the walk there).
//!   With `create`, missing map fields are added, a list index equal to the
//!   list's length appends, and `[k=v]` matching nothing appends `{k: v}`.

use crate::kustomize::error::Error;
use crate::yaml::resolve::resolve_plain;
use crate::yaml::{Key, Node, Value};
use regex::Regex;

/// Splits a replacement field path into its parts.
pub(crate) fn split(path: &str) -> Vec<String> {
    let parts = split_escaped(path, ".");
    let mut result = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if part.starts_with('[') && !part.ends_with(']') {
            // Rejoin up to the part that closes the bracket.
            let mut bracketed = vec![part.as_str()];
            while i < parts.len() - 1 {
                i += 1;
                bracketed.push(&parts[i]);
                if parts[i].ends_with(']') {
                    break;
                }
            }
            let joined = bracketed.join(".");
            if joined.contains('=') {
                result.push(joined);
            } else {
                result.push(joined.trim_matches(|c| c == '[' || c == ']').to_string());
            }
        } else {
            result.push(part.clone());
        }
        i += 1;
    }
    result
}

/// Splits on `delimiter`, where a backslash before it escapes it; one
/// leading delimiter is ignored (kyaml's `PathSplitter`).
fn split_escaped(path: &str, delimiter: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split(delimiter).collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut result: Vec<String> = vec![parts[0].to_string()];
    for part in &parts[1..] {
        let last = result.last_mut().expect("starts non-empty");
        if last.ends_with('\\') {
            last.pop();
            last.push_str(delimiter);
            last.push_str(part);
        } else {
            result.push(part.to_string());
        }
    }
    result
}

/// A scalar's text as kyaml holds it (`Node.Value`); empty for collections.
pub(crate) use crate::kustomize::fieldspec::scalar_value_text as scalar_value;

/// The node at `parts` in `node`, if any (kyaml's `PathGetter`).
pub(crate) fn lookup<'n>(node: &'n Node, parts: &[String]) -> Result<Option<&'n Node>, String> {
    let mut current = node;
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let next = if let Some(index) = go_atoi(part) {
            let index = usize::try_from(index)
                .map_err(|_| format!("array index {index} cannot be negative"))?;
            elements(current)?.get(index)
        } else if part == "-" {
            elements(current)?.last()
        } else if part == "*" {
            return Err("wildcard is not supported in PathGetter".to_string());
        } else if is_list_entry(part) {
            let (key, value) = split_list_entry(part)?;
            let mut items = elements(current)?.iter();
            if key.is_empty() {
                items.find(|item| scalar_value(item) == value)
            } else {
                items.find(|item| {
                    item.get(key)
                        .is_some_and(|field| scalar_value(field) == value)
                })
            }
        } else {
            match &current.value {
                Value::Map(map) => map.get(part),
                Value::Null => None,
                _ => return Err(wrong_kind("MappingNode", current)),
            }
        };
        match next {
            Some(n) => current = n,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// A list's elements; none for null, an error for anything else.
fn elements(node: &Node) -> Result<&[Node], String> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(wrong_kind("SequenceNode", node)),
    }
}

/// What a target walk with `create` makes at the end of the path: a field
/// for a scalar source, or one for a map or list source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Created {
    Scalar,
    Collection,
}

/// Why a target walk failed: the path does not fit the object, or writing
/// one target failed.
pub(super) enum MatchError {
    Path(String),
    Set(Error),
}

/// Calls `set` on every node `parts` matches in `node` and returns how many
/// there were (kyaml's `PathMatcher`). `set` is told when a scalar was just
/// created and has no type yet (go-yaml's untagged node).
pub(super) fn match_targets(
    node: &mut Node,
    parts: &[String],
    create: Option<Created>,
    set: &mut dyn FnMut(&mut Node, bool) -> Result<(), Error>,
) -> Result<usize, MatchError> {
    let mut walk = Walk {
        create,
        set,
        count: 0,
    };
    walk.walk(node, parts, false)?;
    Ok(walk.count)
}

struct Walk<'a> {
    create: Option<Created>,
    set: &'a mut dyn FnMut(&mut Node, bool) -> Result<(), Error>,
    count: usize,
}

impl Walk<'_> {
    fn walk(&mut self, node: &mut Node, path: &[String], untyped: bool) -> Result<(), MatchError> {
        let Some((part, rest)) = path.split_first() else {
            return self.found(node, untyped);
        };
        if let Some(index) = go_atoi(part).and_then(|i| usize::try_from(i).ok()) {
            self.index(node, index, rest)
        } else if is_list_entry(part) {
            self.list_entry(node, part, rest)
        } else if part == "*" {
            self.every(node, rest)
        } else {
            self.field(node, part, rest)
        }
    }

    fn found(&mut self, node: &mut Node, untyped: bool) -> Result<(), MatchError> {
        self.count += 1;
        (self.set)(node, untyped).map_err(MatchError::Set)
    }

    fn field(&mut self, node: &mut Node, name: &str, rest: &[String]) -> Result<(), MatchError> {
        match &mut node.value {
            Value::Map(map) => {
                if let Some(child) = map.get_mut(name) {
                    return self.walk(child, rest, false);
                }
                let Some((child, untyped)) = self.new_node(rest) else {
                    return Ok(());
                };
                let child = map.entry(Key::new(name)).or_insert(child);
                self.walk(child, rest, untyped)
            }
            // kyaml "creates" the field inside the null node, where it is
            // lost: the walk goes on, but nothing shows in the object.
            Value::Null if self.create.is_some() => self.field(&mut Node::map(), name, rest),
            Value::Null => Ok(()),
            _ => Err(MatchError::Path(wrong_kind("MappingNode", node))),
        }
    }

    fn index(&mut self, node: &mut Node, index: usize, rest: &[String]) -> Result<(), MatchError> {
        let items = match &mut node.value {
            Value::Seq(items) => items,
            Value::Null if self.create.is_some() && index == 0 => {
                return self.index(&mut Node::seq(Vec::new()), index, rest)
            }
            Value::Null => &mut Vec::new(),
            _ => return Err(MatchError::Path(wrong_kind("SequenceNode", node))),
        };
        if items.len() == index {
            if let Some((item, untyped)) = self.new_node(rest) {
                items.push(item);
                let item = items.last_mut().expect("just pushed");
                return self.walk(item, rest, untyped);
            }
        }
        let len = items.len();
        match items.get_mut(index) {
            Some(item) => self.walk(item, rest, false),
            None => Err(MatchError::Path(format!(
                "index {index} specified but only {len} elements found"
            ))),
        }
    }

    fn every(&mut self, node: &mut Node, rest: &[String]) -> Result<(), MatchError> {
        match &mut node.value {
            Value::Seq(items) => {
                for item in items {
                    self.walk(item, rest, false)?;
                }
                Ok(())
            }
            Value::Null => Ok(()),
            _ => Err(MatchError::Path(wrong_kind("SequenceNode", node))),
        }
    }

    fn list_entry(
        &mut self,
        node: &mut Node,
        part: &str,
        rest: &[String],
    ) -> Result<(), MatchError> {
        let (key, pattern) = split_list_entry(part).map_err(MatchError::Path)?;
        let items = match &mut node.value {
            Value::Seq(items) => items,
            Value::Null if self.create.is_some() => {
                return self.list_entry(&mut Node::seq(Vec::new()), part, rest)
            }
            Value::Null => return Ok(()),
            _ => return Err(MatchError::Path(wrong_kind("SequenceNode", node))),
        };
        if items.is_empty() && self.create.is_none() {
            return Ok(());
        }
        let regex = Regex::new(pattern).map_err(|e| MatchError::Path(e.to_string()))?;
        let before = self.count;
        for item in items.iter_mut() {
            self.visit_entry(item, key, &regex, rest, false)?;
        }
        if self.count > before || self.create.is_none() {
            return Ok(());
        }
        let value = untyped_scalar(pattern);
        let item = if key.is_empty() {
            value
        } else {
            let mut map = Node::map();
            map.set(key, value);
            map
        };
        items.push(item);
        let item = items.last_mut().expect("just pushed");
        self.visit_entry(item, key, &regex, rest, key.is_empty())?;
        if self.count == before {
            // kyaml searches again forever; stop with an error instead.
            return Err(MatchError::Path(format!(
                "the element created for {part:?} does not match it"
            )));
        }
        Ok(())
    }

    /// One list element against `[key=pattern]`: a primitive element is
    /// itself the target; a map element is walked further when its field
    /// `key` matches.
    fn visit_entry(
        &mut self,
        item: &mut Node,
        key: &str,
        regex: &Regex,
        rest: &[String],
        untyped: bool,
    ) -> Result<(), MatchError> {
        if key.is_empty() {
            if yaml_text(item).is_some_and(|t| regex.is_match(&t)) {
                return self.found(item, untyped);
            }
            return Ok(());
        }
        let matches = item
            .get(key)
            .and_then(yaml_text)
            .is_some_and(|t| regex.is_match(&t));
        if matches {
            self.walk(item, rest, false)?;
        }
        Ok(())
    }

    /// The node `create` adds before walking `rest`: a list when `rest`
    /// starts with an index or `[k=v]`, a map before any other field, and at
    /// the end an untyped empty scalar or a collection to be replaced.
    fn new_node(&self, rest: &[String]) -> Option<(Node, bool)> {
        let create = self.create?;
        Some(match rest.first() {
            Some(next) if is_list_entry(next) || go_atoi(next).is_some_and(|i| i >= 0) => {
                (Node::seq(Vec::new()), false)
            }
            Some(_) => (Node::map(), false),
            None if create == Created::Scalar => (Node::string(""), true),
            None => (Node::map(), false),
        })
    }
}

/// A scalar written without a tag: typed as plain YAML.
fn untyped_scalar(text: &str) -> Node {
    let value = resolve_plain(text);
    Node {
        plain: plain_text(&value, text),
        value,
        span: crate::source::Span::NONE,
    }
}

/// What the loader keeps in [`Node::plain`] for a plain scalar `text` that
/// resolved to `value`: the text, unless it is simply that string.
pub(super) fn plain_text(value: &Value, text: &str) -> Option<Box<str>> {
    match value {
        Value::Str(s) if s == text => None,
        _ => Some(text.into()),
    }
}

/// The text `[k=v]` matches against: the scalar as YAML would print it.
/// Collections never match (kyaml would match their YAML text; unverified).
fn yaml_text(node: &Node) -> Option<String> {
    match node.value {
        Value::Map(_) | Value::Seq(_) => None,
        _ => Some(scalar_value(node)),
    }
}

fn is_list_entry(part: &str) -> bool {
    part.starts_with('[') && part.ends_with(']')
}

/// `[k=v]` → (`k`, `v`); `[=v]` → (``, `v`).
fn split_list_entry(part: &str) -> Result<(&str, &str), String> {
    let inner = part.strip_suffix(']').unwrap_or(part);
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    inner.split_once('=').ok_or_else(|| {
        "list path element must contain fieldName=fieldValue for element to match".to_string()
    })
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn wrong_kind(expected: &str, node: &Node) -> String {
    let got = match node.value {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        _ => "ScalarNode",
    };
    format!("wrong node kind: expected {expected} but got {got}")
}
