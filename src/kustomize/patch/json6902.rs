//! RFC 6902 JSON patches over [`Node`] trees, as kustomize applies them
//! (`api/filters/patchjson6902` with `gopkg.in/evanphx/json-patch.v4`).
//!
//! kustomize marshals the object to JSON, lets evanphx/json-patch apply the
//! operations, and reads the JSON back. We patch the tree directly, then
//! reproduce what that round trip leaves behind: keys sorted, numbers turned
//! into float64 and back (an integer above 2^53 loses precision; an integral
//! value of at least 1e6 becomes a float), text as written forgotten.
//!
//! evanphx/json-patch v4 quirks kept on purpose:
//! - the first segment of a path is dropped whatever it is (`a/b` is `/b`);
//!   the empty path only works for `replace` and `test`;
//! - `add` to an existing key replaces it; `replace` of a missing *key* of an
//!   existing object adds it (only a missing parent or array index errors);
//! - negative array indexes count from the end (`-1` is the last element,
//!   and for `add` means "append");
//! - `copy` from a missing key copies `null`;
//! - `test` compares scalars by their JSON text (`1` is not `1.0` when the
//!   patch is JSON), a missing key tests equal to `null`.

use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::select::go_quote;
use crate::source::FileId;
use crate::yaml::{parse_documents, DuplicateKeys, LoadOptions, Mapping, Node, Value};
use std::num::IntErrorKind;

/// Reads JSON patch operations. Text that starts with `[` is JSON; anything
/// else is YAML converted to JSON (first document only, as sigs.k8s.io/yaml
/// does). Callers trim inline patch text where kustomize does.
///
/// The result is a sequence of operation mappings (or nulls); an empty or
/// `null` text gives an empty sequence. Anything else that is not a list of
/// objects is an error with Go's `json` message.
pub fn parse_ops(text: &str, file: FileId) -> Result<Node> {
    decode_ops(read_document(text, file)?)
}

/// The JSON value of a patch text, before it is checked to be operations:
/// JSON when it starts with `[`, else the first YAML document (text as
/// written forgotten, as YAML→JSON conversion forgets it).
pub fn read_document(text: &str, file: FileId) -> Result<Node> {
    let opts = LoadOptions {
        duplicate_keys: DuplicateKeys::LastWins,
        ..LoadOptions::default()
    };
    if text.starts_with('[') {
        // Syntax is JSON's, not YAML's: `[{op: add}]` is not a JSON patch.
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|e| Error::new(ErrorKind::Parse, e.to_string()))?;
        return match parse_documents(text, file, &opts) {
            Ok(docs) if docs.len() == 1 => Ok(docs.into_iter().next().unwrap_or_else(Node::null)),
            // Valid JSON our YAML reader refuses (tabs, odd escapes): the
            // values are right, only spans are lost.
            _ => serde_json::from_str::<Node>(text)
                .map_err(|e| Error::new(ErrorKind::Parse, e.to_string())),
        };
    }
    // sigs.k8s.io/yaml's YAMLToJSON passes go-yaml's error through as is.
    let docs = parse_documents(text, file, &opts)
        .map_err(|e| Error::new(ErrorKind::Parse, e.go_message()).at(e.span))?;
    let mut doc = docs.into_iter().next().unwrap_or_else(Node::null);
    forget_written_text(&mut doc);
    yaml11_booleans(&mut doc, text);
    Ok(doc)
}

/// sigs.k8s.io/yaml converts YAML to JSON with go-yaml v2, a YAML 1.1
/// reader: a plain `yes`, `no`, `on`, `off`, `y` or `n` (any of their
/// case forms) is a boolean there, not a string. A string node whose source
/// text is exactly its value was written plain.
fn yaml11_booleans(node: &mut Node, text: &str) {
    for_each_node_mut(node, &mut |n| {
        let Value::Str(s) = &n.value else {
            return;
        };
        let value = match s.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => true,
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => false,
            _ => return,
        };
        // Spans index the text we parsed (whatever file id it has).
        let written = text.get(n.span.start as usize..n.span.end as usize);
        if written == Some(s.as_str()) {
            n.value = Value::Bool(value);
        }
    });
}

/// Checks that a JSON value is a list of operations (Go's `DecodePatch`):
/// `null` is the empty list; elements must be objects (or null).
pub fn decode_ops(doc: Node) -> Result<Node> {
    match &doc.value {
        Value::Null => Ok(Node::with_span(Value::Seq(Vec::new()), doc.span)),
        Value::Seq(items) => {
            if let Some(bad) = items
                .iter()
                .find(|n| !matches!(n.value, Value::Map(_) | Value::Null))
            {
                return Err(Error::new(
                    ErrorKind::Patch,
                    format!(
                        "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                        go_json_type(bad)
                    ),
                )
                .at(bad.span));
            }
            Ok(doc)
        }
        _ => Err(Error::new(
            ErrorKind::Patch,
            format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                go_json_type(&doc)
            ),
        )
        .at(doc.span)),
    }
}

/// Applies the operations (a sequence node from [`parse_ops`]) to `target`.
/// On error `target` is left as it was.
pub fn apply(target: &mut Node, ops: &Node) -> Result<()> {
    let ops: &[Node] = match &ops.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        _ => {
            return Err(Error::new(
                ErrorKind::Patch,
                format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                    go_json_type(ops)
                ),
            ))
        }
    };
    check_marshalable(target)?;
    let mut doc = target.clone();
    forget_written_text(&mut doc);
    let mut copied = 0;
    for op in ops {
        apply_op(&mut doc, op, &mut copied)
            .map_err(|m| Error::new(ErrorKind::Patch, m).at(op.span))?;
    }
    if !matches!(doc.value, Value::Map(_)) {
        return Err(Error::new(
            ErrorKind::Patch,
            format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                go_json_type(&doc)
            ),
        ));
    }
    json_round_trip(&mut doc);
    *target = doc;
    Ok(())
}

/// Go's compact `json.Marshal` text of a node (keys sorted, HTML-safe
/// escapes), for messages that quote converted patch text.
pub fn to_go_json(node: &Node) -> String {
    let mut out = String::new();
    write_go_json(node, &mut out);
    out
}

// ---------------------------------------------------------------------------
// Operations

const MISSING: &str = "missing value";
/// Deepest nesting a patched object may reach: the YAML loader's limit, so
/// that nothing downstream walks deeper trees than it accepts from files.
/// (kustomize itself stops at encoding/json's 10,000.)
const MAX_NESTING_DEPTH: usize = 1_000;
/// Most nodes `copy` operations may add to one object. evanphx/json-patch
/// can limit copies by size and kustomize does not; fluxlint does, so that a
/// few self-copies cannot exhaust memory.
const MAX_COPIED_NODES: usize = 1_000_000;
const INVALID_INDEX: &str = "invalid index referenced";

/// One operation object; `None` for a `null` element (its kind is "unknown").
struct Op<'a>(Option<&'a Mapping>);

impl Op<'_> {
    fn field(&self, name: &str) -> Option<&Node> {
        self.0.and_then(|m| m.get(name))
    }

    fn kind(&self) -> &str {
        match self.field("op").map(|n| &n.value) {
            Some(Value::Str(s)) => s,
            _ => "unknown",
        }
    }

    fn string_field(&self, name: &str, missing: &str) -> Result<String, String> {
        match self.field(name) {
            None => Err(missing.to_string()),
            Some(n) if n.is_null() => Err(missing.to_string()),
            Some(Node {
                value: Value::Str(s),
                ..
            }) => Ok(s.clone()),
            Some(n) => Err(format!(
                "json: cannot unmarshal {} into Go value of type string",
                go_json_type(n)
            )),
        }
    }

    fn path(&self) -> Result<String, String> {
        self.string_field("path", "operation missing path field: missing value")
    }

    fn from(&self) -> Result<String, String> {
        self.string_field("from", "operation, missing from field: missing value")
    }

    /// `None` when the operation has no `value` key (not the same as null).
    fn value(&self) -> Option<&Node> {
        self.field("value")
    }

    fn value_or_null(&self) -> Node {
        self.value().cloned().unwrap_or_else(Node::null)
    }
}

fn apply_op(doc: &mut Node, op: &Node, copied: &mut usize) -> Result<(), String> {
    let op = Op(op.as_map());
    match op.kind() {
        "add" => {
            let path = op
                .path()
                .map_err(|_| format!("add operation failed to decode path: {MISSING}"))?;
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!("add operation does not apply: doc is missing path: \"{path}\": {MISSING}")
            })?;
            let value = op.value_or_null();
            check_nesting(&path, &value)?;
            container_add(con, &key, value)
                .map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = op
                .path()
                .map_err(|_| format!("remove operation failed to decode path: {MISSING}"))?;
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!(
                    "remove operation does not apply: doc is missing path: \"{path}\": {MISSING}"
                )
            })?;
            container_remove(con, &key)
                .map(drop)
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = op
                .path()
                .map_err(|e| format!("replace operation failed to decode path: {e}"))?;
            if path.is_empty() {
                // The whole document: objects and arrays replace it, other
                // values are silently ignored (a Go nil-error wrap).
                match op.value() {
                    Some(v) if matches!(v.value, Value::Map(_) | Value::Seq(_)) => {
                        check_nesting(&path, v)?;
                        *doc = v.clone()
                    }
                    Some(_) => {}
                    None => return Err("replace operation value must be object or array".into()),
                }
                return Ok(());
            }
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!("replace operation does not apply: doc is missing path: {path}: {MISSING}")
            })?;
            container_get(con, &key).map_err(|_| {
                format!("replace operation does not apply: doc is missing key: {path}: {MISSING}")
            })?;
            let value = op.value_or_null();
            check_nesting(&path, &value)?;
            container_set(con, &key, value)
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "move" => {
            let from = op
                .from()
                .map_err(|e| format!("move operation failed to decode from: {e}"))?;
            let (con, key) = find_container(doc, &from).ok_or_else(|| {
                format!(
                    "move operation does not apply: doc is missing from path: {from}: {MISSING}"
                )
            })?;
            container_get(con, &key)
                .map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let value = container_remove(con, &key)
                .map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let path = op
                .path()
                .map_err(|e| format!("move operation failed to decode path: {e}"))?;
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!(
                    "move operation does not apply: doc is missing destination path: {path}: {MISSING}"
                )
            })?;
            check_nesting(&path, &value)?;
            container_add(con, &key, value)
                .map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "test" => {
            let path = op
                .path()
                .map_err(|e| format!("test operation failed to decode path: {e}"))?;
            let failed = || format!("testing value {path} failed: test failed");
            if path.is_empty() {
                return match op.value() {
                    Some(v) if !v.is_null() && json_equal(doc, v) => Ok(()),
                    _ => Err(failed()),
                };
            }
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!("test operation does not apply: is missing path: {path}: {MISSING}")
            })?;
            let current = container_get(con, &key)
                .map_err(|e| format!("error in test for path: '{path}': {e}"))?;
            match (current, op.value()) {
                (None, Some(v)) if v.is_null() => Ok(()),
                (Some(cur), Some(v)) if !v.is_null() && json_equal(cur, v) => Ok(()),
                _ => Err(failed()),
            }
        }
        "copy" => {
            let from = op
                .from()
                .map_err(|e| format!("copy operation failed to decode from: {e}"))?;
            let (con, key) = find_container(doc, &from).ok_or_else(|| {
                format!(
                    "copy operation does not apply: doc is missing from path: {from}: {MISSING}"
                )
            })?;
            let found = container_get(con, &key)
                .map_err(|e| format!("error in copy for from: '{from}': {e}"))?;
            *copied += found.map_or(1, size);
            if *copied > MAX_COPIED_NODES {
                return Err(format!(
                    "Unable to complete the copy, the accumulated size increase of copy is {copied} nodes, exceeding the limit {MAX_COPIED_NODES}"
                ));
            }
            let value = found.cloned().unwrap_or_else(Node::null);
            let path = op
                .path()
                .map_err(|_| format!("copy operation failed to decode path: {MISSING}"))?;
            let (con, key) = find_container(doc, &path).ok_or_else(|| {
                format!(
                    "copy operation does not apply: doc is missing destination path: {path}: {MISSING}"
                )
            })?;
            check_nesting(&path, &value)?;
            container_add(con, &key, value)
                .map_err(|e| format!("error while adding value during copy: {e}"))
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// Refuses a value whose slot would nest the object deeper than
/// [`MAX_NESTING_DEPTH`] (checked before inserting, so no deeper tree is
/// ever built, cloned or dropped).
fn check_nesting(path: &str, value: &Node) -> Result<(), String> {
    let levels = path.split('/').count().saturating_sub(1);
    if levels + nesting_depth(value) > MAX_NESTING_DEPTH {
        return Err(format!(
            "the patched object would nest deeper than {MAX_NESTING_DEPTH} levels"
        ));
    }
    Ok(())
}

/// RFC 6901 unescaping in one pass: `~1` is `/`, then `~0` is `~`.
fn decode_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.peek() {
                Some('1') => {
                    chars.next();
                    out.push('/');
                    continue;
                }
                Some('0') => {
                    chars.next();
                    out.push('~');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

/// The container (object or array) holding the last token of `path`, and
/// that token decoded; `None` when a parent is missing, null or a scalar.
fn find_container<'a>(doc: &'a mut Node, path: &str) -> Option<(&'a mut Node, String)> {
    let tokens: Vec<&str> = path.split('/').collect();
    if tokens.len() < 2 {
        return None;
    }
    let mut current = doc;
    for token in &tokens[1..tokens.len() - 1] {
        let key = decode_token(token);
        let next = match &mut current.value {
            Value::Map(m) => m.get_mut(key.as_str())?,
            Value::Seq(items) => {
                let i = existing_index(&key, items.len()).ok()?;
                &mut items[i]
            }
            _ => return None,
        };
        if !matches!(next.value, Value::Map(_) | Value::Seq(_)) {
            return None;
        }
        current = next;
    }
    let last = decode_token(tokens[tokens.len() - 1]);
    Some((current, last))
}

/// Go's `strconv.Atoi`, with its error text.
fn atoi(key: &str) -> Result<i64, String> {
    key.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "value out of range",
            _ => "invalid syntax",
        };
        format!("strconv.Atoi: parsing {}: {why}", go_quote(key))
    })
}

fn invalid_index(i: i64) -> String {
    format!("Unable to access invalid index: {i}: {INVALID_INDEX}")
}

/// An index of an existing element (`get`, `replace`); negative counts from the end.
fn existing_index(key: &str, len: usize) -> Result<usize, String> {
    let len = len as i64;
    let mut i = atoi(key)?;
    if i < 0 {
        if i < -len {
            return Err(invalid_index(i));
        }
        i += len;
    }
    if i >= len {
        return Err(invalid_index(i));
    }
    Ok(i as usize)
}

/// The value at `key`; `Ok(None)` for a missing object key or a null.
fn container_get<'a>(con: &'a Node, key: &str) -> Result<Option<&'a Node>, String> {
    let found = match &con.value {
        Value::Map(m) => m.get(key),
        Value::Seq(items) => Some(&items[existing_index(key, items.len())?]),
        _ => None,
    };
    Ok(found.filter(|n| !n.is_null()))
}

fn container_add(con: &mut Node, key: &str, value: Node) -> Result<(), String> {
    match &mut con.value {
        Value::Map(_) => {
            con.set(key, value);
            Ok(())
        }
        Value::Seq(items) => {
            if key == "-" {
                items.push(value);
                return Ok(());
            }
            let idx = atoi(key)
                .map_err(|e| format!("value was not a proper array index: '{key}': {e}"))?;
            let len = items.len() as i64 + 1;
            if idx >= len {
                return Err(invalid_index(idx));
            }
            let mut i = idx;
            if i < 0 {
                if i < -len {
                    return Err(invalid_index(idx));
                }
                i += len;
            }
            items.insert(i as usize, value);
            Ok(())
        }
        _ => Err(MISSING.to_string()),
    }
}

fn container_set(con: &mut Node, key: &str, value: Node) -> Result<(), String> {
    match &mut con.value {
        Value::Map(_) => {
            con.set(key, value);
            Ok(())
        }
        Value::Seq(items) => {
            let i = existing_index(key, items.len())?;
            items[i] = value;
            Ok(())
        }
        _ => Err(MISSING.to_string()),
    }
}

fn container_remove(con: &mut Node, key: &str) -> Result<Node, String> {
    match &mut con.value {
        Value::Map(m) => m
            .shift_remove(key)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: {MISSING}")),
        Value::Seq(items) => {
            let len = items.len() as i64;
            let mut i = atoi(key)?;
            if i >= len {
                return Err(invalid_index(i));
            }
            if i < 0 {
                if i < -len {
                    return Err(invalid_index(i));
                }
                i += len;
            }
            Ok(items.remove(i as usize))
        }
        _ => Err(MISSING.to_string()),
    }
}

/// evanphx's `lazyNode.equal`: objects by keys, arrays by position, scalars
/// by their JSON text (`1` is not `"1"`, and not `1.0` as written in JSON).
fn json_equal(current: &Node, expected: &Node) -> bool {
    let mut pending = vec![(current, expected)];
    while let Some((a, b)) = pending.pop() {
        match (&a.value, &b.value) {
            (Value::Map(x), Value::Map(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (k, v) in x {
                    let Some(w) = y.get(k.name.as_str()) else {
                        return false;
                    };
                    if v.is_null() != w.is_null() {
                        return false;
                    }
                    if !v.is_null() {
                        pending.push((v, w));
                    }
                }
            }
            (Value::Seq(x), Value::Seq(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                pending.extend(x.iter().zip(y));
            }
            (Value::Map(_) | Value::Seq(_), _) | (_, Value::Map(_) | Value::Seq(_)) => {
                return false
            }
            _ => {
                if scalar_json_text(a) != scalar_json_text(b) {
                    return false;
                }
            }
        }
    }
    true
}

/// The JSON text of a scalar: numbers as written when the text is known
/// (JSON patch values), else as Go's `json.Marshal` writes them.
fn scalar_json_text(node: &Node) -> String {
    match &node.value {
        Value::Int(_) | Value::UInt(_) | Value::Float(_) if node.plain.is_some() => {
            node.plain.as_deref().unwrap_or_default().to_string()
        }
        _ => to_go_json(node),
    }
}

// ---------------------------------------------------------------------------
// The JSON round trip

/// kustomize marshals the object to JSON first; Go refuses NaN and ±Inf.
fn check_marshalable(node: &Node) -> Result<()> {
    let mut pending = vec![node];
    while let Some(n) = pending.pop() {
        match &n.value {
            Value::Float(f) if !f.is_finite() => {
                return Err(Error::new(
                    ErrorKind::Patch,
                    format!("json: unsupported value: {}", go_float_name(*f)),
                )
                .at(n.span))
            }
            Value::Seq(items) => pending.extend(items),
            Value::Map(m) => pending.extend(m.values()),
            _ => {}
        }
    }
    Ok(())
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

fn forget_written_text(node: &mut Node) {
    for_each_node_mut(node, &mut |n| n.plain = None);
}

/// Visits every node of a tree, parents first, without recursion (trees
/// may be as deep as Go's JSON decoder allows).
fn for_each_node_mut(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    let mut pending = vec![node];
    while let Some(n) = pending.pop() {
        f(n);
        match &mut n.value {
            Value::Seq(items) => pending.extend(items.iter_mut()),
            Value::Map(m) => pending.extend(m.values_mut()),
            _ => {}
        }
    }
}

/// How many objects and arrays nest in a tree (Go's JSON nesting depth),
/// counted without recursion.
fn nesting_depth(node: &Node) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(node, 0)];
    while let Some((n, d)) = pending.pop() {
        match &n.value {
            Value::Seq(items) => {
                deepest = deepest.max(d + 1);
                pending.extend(items.iter().map(|c| (c, d + 1)));
            }
            Value::Map(m) => {
                deepest = deepest.max(d + 1);
                pending.extend(m.values().map(|c| (c, d + 1)));
            }
            _ => {}
        }
    }
    deepest
}

/// The number of nodes of a tree.
fn size(node: &Node) -> usize {
    let mut count = 0;
    let mut pending = vec![node];
    while let Some(n) = pending.pop() {
        count += 1;
        match &n.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(m) => pending.extend(m.values()),
            _ => {}
        }
    }
    count
}

/// What JSON → `map[string]interface{}` → YAML leaves: sorted keys, every
/// number a float64 written with `%g` and typed again (so integral values
/// below 1e6 are ints, the rest floats).
fn json_round_trip(node: &mut Node) {
    for_each_node_mut(node, &mut |n| {
        n.plain = None;
        let number = match n.value {
            Value::Int(i) => i as f64,
            Value::UInt(u) => u as f64,
            Value::Float(f) => f,
            Value::Map(ref mut m) => {
                m.sort_by(|a, _, b, _| a.name.cmp(&b.name));
                return;
            }
            _ => return,
        };
        if number.fract() == 0.0 && number.abs() < 1e6 {
            n.value = Value::Int(number as i64);
        } else {
            n.value = Value::Float(number);
            // kyaml's node now holds `%g` text (`1.2345678e+07`), which is
            // what field readers (annotations, replacements) see.
            n.plain = Some(go_format_g(number).into());
        }
    });
}

/// Go's `encoding/json` name of a value's type in unmarshal errors.
fn go_json_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, as go-yaml writes a float64:
/// exponent form below 1e-4 and from 1e6 on, with at least two exponent digits.
pub(crate) fn go_format_g(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let s = format!("{f:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        return format!("{f}");
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// Go's `json.Marshal` of a float64.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        if exp < 0 {
            format!("{mantissa}e-{}", -exp)
        } else {
            format!("{mantissa}e+{exp:02}")
        }
    } else {
        format!("{f}")
    }
}

fn write_go_json(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::UInt(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&go_json_float(*f)),
        Value::Str(s) => write_go_json_string(s, out),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json_string(&k.name, out);
                out.push(':');
                write_go_json(v, out);
            }
            out.push('}');
        }
    }
}

fn write_go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(json: &str) -> Node {
        serde_json::from_str(json).expect("test json")
    }

    /// Applies JSON-written ops to a JSON-written document.
    fn patched(doc: &str, ops: &str) -> Result<Node> {
        let mut target = node(doc);
        apply(&mut target, &node(ops))?;
        Ok(target)
    }

    fn ok(doc: &str, ops: &str) -> String {
        to_go_json(&patched(doc, ops).expect("patch applies"))
    }

    fn err(doc: &str, ops: &str) -> String {
        patched(doc, ops).expect_err("patch fails").message
    }

    #[test]
    fn add_sets_and_replaces_keys() {
        assert_eq!(
            ok(
                r#"{"a":{"b":1}}"#,
                r#"[{"op":"add","path":"/a/c","value":"x"}]"#
            ),
            r#"{"a":{"b":1,"c":"x"}}"#
        );
        assert_eq!(
            ok(
                r#"{"a":{"b":1}}"#,
                r#"[{"op":"add","path":"/a/b","value":[2]}]"#
            ),
            r#"{"a":{"b":[2]}}"#
        );
        // Without a value, add writes null.
        assert_eq!(
            ok(r#"{"a":1}"#, r#"[{"op":"add","path":"/b"}]"#),
            r#"{"a":1,"b":null}"#
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"add","path":"/x/y","value":1}]"#),
            "add operation does not apply: doc is missing path: \"/x/y\": missing value"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"add","path":"/a/y","value":1}]"#),
            "add operation does not apply: doc is missing path: \"/a/y\": missing value"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"add","path":"","value":{}}]"#),
            "add operation does not apply: doc is missing path: \"\": missing value"
        );
    }

    #[test]
    fn add_into_arrays() {
        let doc = r#"{"l":["a","b","c"]}"#;
        assert_eq!(
            ok(doc, r#"[{"op":"add","path":"/l/-","value":"z"}]"#),
            r#"{"l":["a","b","c","z"]}"#
        );
        assert_eq!(
            ok(doc, r#"[{"op":"add","path":"/l/0","value":"z"}]"#),
            r#"{"l":["z","a","b","c"]}"#
        );
        assert_eq!(
            ok(doc, r#"[{"op":"add","path":"/l/3","value":"z"}]"#),
            r#"{"l":["a","b","c","z"]}"#
        );
        // Negative: -1 appends, -4 is the front (counted from len+1).
        assert_eq!(
            ok(
                doc,
                r#"[{"op":"add","path":"/l/-1","value":"z"},{"op":"add","path":"/l/-4","value":"f"}]"#
            ),
            r#"{"l":["a","f","b","c","z"]}"#
        );
        assert_eq!(
            err(doc, r#"[{"op":"add","path":"/l/4","value":"z"}]"#),
            "error in add for path: '/l/4': Unable to access invalid index: 4: invalid index referenced"
        );
        assert_eq!(
            err(doc, r#"[{"op":"add","path":"/l/-5","value":"z"}]"#),
            "error in add for path: '/l/-5': Unable to access invalid index: -5: invalid index referenced"
        );
        assert_eq!(
            err(doc, r#"[{"op":"add","path":"/l/x","value":"z"}]"#),
            "error in add for path: '/l/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"
        );
    }

    #[test]
    fn pointer_escapes_and_first_segment() {
        assert_eq!(
            ok(
                r#"{"m":{"a/b":1,"c~d":2}}"#,
                r#"[{"op":"replace","path":"/m/a~1b","value":3},{"op":"remove","path":"/m/c~0d"}]"#
            ),
            r#"{"m":{"a/b":3}}"#
        );
        // `~01` is `~1`, not `/`.
        assert_eq!(
            ok(r#"{}"#, r#"[{"op":"add","path":"/~01","value":1}]"#),
            r#"{"~1":1}"#
        );
        // The first segment is dropped whatever it is.
        assert_eq!(
            ok(
                r#"{"m":{}}"#,
                r#"[{"op":"add","path":"xyz/m/k","value":1}]"#
            ),
            r#"{"m":{"k":1}}"#
        );
        // Intermediate array indexes, including negative ones.
        assert_eq!(
            ok(
                r#"{"c":[{"n":"a"},{"n":"b"}]}"#,
                r#"[{"op":"replace","path":"/c/-1/n","value":"z"}]"#
            ),
            r#"{"c":[{"n":"a"},{"n":"z"}]}"#
        );
    }

    #[test]
    fn remove() {
        assert_eq!(
            ok(r#"{"a":1,"b":2}"#, r#"[{"op":"remove","path":"/a"}]"#),
            r#"{"b":2}"#
        );
        assert_eq!(
            ok(r#"{"l":[1,2,3]}"#, r#"[{"op":"remove","path":"/l/-1"}]"#),
            r#"{"l":[1,2]}"#
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"remove","path":"/x"}]"#),
            "error in remove for path: '/x': Unable to remove nonexistent key: x: missing value"
        );
        assert_eq!(
            err(r#"{"l":[1]}"#, r#"[{"op":"remove","path":"/l/1"}]"#),
            "error in remove for path: '/l/1': Unable to access invalid index: 1: invalid index referenced"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"remove"}]"#),
            "remove operation failed to decode path: missing value"
        );
    }

    #[test]
    fn replace() {
        assert_eq!(
            ok(r#"{"a":1}"#, r#"[{"op":"replace","path":"/a","value":2}]"#),
            r#"{"a":2}"#
        );
        // A missing key of an existing object is added (evanphx v4).
        assert_eq!(
            ok(
                r#"{"a":{}}"#,
                r#"[{"op":"replace","path":"/a/new","value":"x"}]"#
            ),
            r#"{"a":{"new":"x"}}"#
        );
        assert_eq!(
            ok(
                r#"{"l":[1,2]}"#,
                r#"[{"op":"replace","path":"/l/01","value":9}]"#
            ),
            r#"{"l":[1,9]}"#
        );
        assert_eq!(
            err(
                r#"{"a":1}"#,
                r#"[{"op":"replace","path":"/x/y","value":2}]"#
            ),
            "replace operation does not apply: doc is missing path: /x/y: missing value"
        );
        assert_eq!(
            err(
                r#"{"l":[1]}"#,
                r#"[{"op":"replace","path":"/l/1","value":2}]"#
            ),
            "replace operation does not apply: doc is missing key: /l/1: missing value"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"replace","value":2}]"#),
            "replace operation failed to decode path: operation missing path field: missing value"
        );
        // The whole document: an object replaces it, a scalar is ignored,
        // an array cannot be read back as an object.
        assert_eq!(
            ok(
                r#"{"a":1}"#,
                r#"[{"op":"replace","path":"","value":{"b":2}}]"#
            ),
            r#"{"b":2}"#
        );
        assert_eq!(
            ok(r#"{"a":1}"#, r#"[{"op":"replace","path":"","value":5}]"#),
            r#"{"a":1}"#
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"replace","path":"","value":[1]}]"#),
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
    }

    #[test]
    fn move_and_copy() {
        assert_eq!(
            ok(
                r#"{"a":{"x":1},"b":{}}"#,
                r#"[{"op":"move","from":"/a/x","path":"/b/y"}]"#
            ),
            r#"{"a":{},"b":{"y":1}}"#
        );
        assert_eq!(
            ok(
                r#"{"l":[1,2,3]}"#,
                r#"[{"op":"move","from":"/l/0","path":"/l/-"}]"#
            ),
            r#"{"l":[2,3,1]}"#
        );
        assert_eq!(
            ok(
                r#"{"a":{"x":[1]}}"#,
                r#"[{"op":"copy","from":"/a/x","path":"/a/y"}]"#
            ),
            r#"{"a":{"x":[1],"y":[1]}}"#
        );
        // Copying a missing key copies null.
        assert_eq!(
            ok(
                r#"{"a":1}"#,
                r#"[{"op":"copy","from":"/nothere","path":"/b"}]"#
            ),
            r#"{"a":1,"b":null}"#
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"move","from":"/nothere","path":"/b"}]"#),
            "error in move for path: 'nothere': Unable to remove nonexistent key: nothere: missing value"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"move","path":"/b"}]"#),
            "move operation failed to decode from: operation, missing from field: missing value"
        );
        assert_eq!(
            err(
                r#"{"a":{"x":1}}"#,
                r#"[{"op":"move","from":"/a","path":"/a/x"}]"#
            ),
            "move operation does not apply: doc is missing destination path: /a/x: missing value"
        );
        assert_eq!(
            err(r#"{"a":1}"#, r#"[{"op":"copy","from":"/x/y","path":"/b"}]"#),
            "copy operation does not apply: doc is missing from path: /x/y: missing value"
        );
    }

    #[test]
    fn test_op() {
        let doc = r#"{"a":{"b":[1,"x"]},"n":3,"s":"1"}"#;
        assert!(patched(doc, r#"[{"op":"test","path":"/a","value":{"b":[1,"x"]}}]"#).is_ok());
        assert!(patched(doc, r#"[{"op":"test","path":"/n","value":3}]"#).is_ok());
        // A missing key tests equal to null.
        assert!(patched(doc, r#"[{"op":"test","path":"/nothere","value":null}]"#).is_ok());
        assert_eq!(
            err(doc, r#"[{"op":"test","path":"/s","value":1}]"#),
            "testing value /s failed: test failed"
        );
        assert_eq!(
            err(doc, r#"[{"op":"test","path":"/a/b","value":[1]}]"#),
            "testing value /a/b failed: test failed"
        );
        // As written in a JSON patch, `3.0` is not `3`.
        let mut ops = node(r#"[{"op":"test","path":"/n","value":3}]"#);
        if let Some(v) = ops.as_seq_mut().and_then(|s| s[0].get_mut("value")) {
            v.value = Value::Float(3.0);
            v.plain = Some("3.0".into());
        }
        let mut target = node(doc);
        assert!(apply(&mut target, &ops).is_err());
        // Without the written text (YAML patch), numbers compare by value.
        if let Some(v) = ops.as_seq_mut().and_then(|s| s[0].get_mut("value")) {
            v.plain = None;
        }
        assert!(apply(&mut target, &ops).is_ok());
        assert!(patched(
            doc,
            r#"[{"op":"test","path":"","value":{"a":{"b":[1,"x"]},"n":3,"s":"1"}}]"#
        )
        .is_ok());
    }

    #[test]
    fn unknown_operations() {
        assert_eq!(
            err("{}", r#"[{"op":"merge","path":"/a"}]"#),
            "Unexpected kind: merge"
        );
        assert_eq!(err("{}", r#"[{"path":"/a"}]"#), "Unexpected kind: unknown");
        assert_eq!(err("{}", "[null]"), "Unexpected kind: unknown");
        assert_eq!(
            err("{}", r#"[{"op":"add","path":5}]"#),
            "add operation failed to decode path: missing value"
        );
    }

    #[test]
    fn failed_patch_leaves_target_unchanged() {
        let mut target = node(r#"{"b":1,"a":2}"#);
        let before = target.clone();
        let ops = node(r#"[{"op":"add","path":"/c","value":1},{"op":"remove","path":"/x"}]"#);
        assert!(apply(&mut target, &ops).is_err());
        assert_eq!(to_go_json(&target), to_go_json(&before));
        let keys: Vec<_> = target
            .as_map()
            .unwrap()
            .keys()
            .map(|k| k.name.clone())
            .collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn round_trip_through_json() {
        let t = patched(
            r#"{"z":{"b":1,"a":2},"big":9007199254740993,"r":1000000,"s":123456,"f":2.0,"h":1.5}"#,
            "[]",
        )
        .unwrap();
        let keys: Vec<_> = t.as_map().unwrap().keys().map(|k| k.name.clone()).collect();
        assert_eq!(keys, ["big", "f", "h", "r", "s", "z"]);
        let inner: Vec<_> = t
            .get("z")
            .unwrap()
            .as_map()
            .unwrap()
            .keys()
            .map(|k| k.name.clone())
            .collect();
        assert_eq!(inner, ["a", "b"]);
        assert_eq!(
            t.get("big").unwrap().value,
            Value::Float(9007199254740992.0)
        );
        assert!(matches!(t.get("big").unwrap().value, Value::Float(_)));
        assert!(matches!(t.get("r").unwrap().value, Value::Float(f) if f == 1e6));
        assert_eq!(t.get("r").unwrap().plain.as_deref(), Some("1e+06"));
        assert_eq!(t.get("h").unwrap().plain.as_deref(), Some("1.5"));
        assert!(matches!(t.get("s").unwrap().value, Value::Int(123456)));
        assert!(matches!(t.get("f").unwrap().value, Value::Int(2)));
        assert!(matches!(t.get("h").unwrap().value, Value::Float(f) if f == 1.5));
    }

    #[test]
    fn unmarshalable_documents() {
        let mut target = node(r#"{"a":1}"#);
        target.set("inf", Node::new(Value::Float(f64::INFINITY)));
        let e = apply(&mut target, &node("[]")).unwrap_err();
        assert_eq!(e.message, "json: unsupported value: +Inf");
    }

    #[test]
    fn go_json_text() {
        assert_eq!(
            to_go_json(&node(r#"{"b":[1,2.5,1e21,1e-7,true,null],"a":"<&>\n"}"#)),
            r#"{"a":"\u003c\u0026\u003e\n","b":[1,2.5,1e+21,1e-7,true,null]}"#
        );
        assert_eq!(
            go_json_float(100000000000000000000.0),
            "100000000000000000000"
        );
        assert_eq!(go_json_float(0.000001), "0.000001");
        assert_eq!(go_json_float(-0.0), "-0");
        assert_eq!(go_format_g(12345678.0), "1.2345678e+07");
        assert_eq!(go_format_g(123456.0), "123456");
        assert_eq!(go_format_g(0.0001), "0.0001");
        assert_eq!(go_format_g(0.00001), "1e-05");
        assert_eq!(go_format_g(1.5e300), "1.5e+300");
    }

    #[test]
    fn parse_yaml_and_json_ops() {
        let ops = parse_ops(
            "- op: add\n  path: /a\n  value: yes\n- op: add\n  path: /b\n  value: \"yes\"\n- op: add\n  path: /c\n  value: 1.0\n",
            FileId::NONE,
        )
        .unwrap();
        let values: Vec<&Node> = ops
            .as_seq()
            .unwrap()
            .iter()
            .map(|op| op.get("value").unwrap())
            .collect();
        assert_eq!(values[0].value, Value::Bool(true));
        assert_eq!(values[1].value, Value::Str("yes".into()));
        assert_eq!(values[2].plain, None);
        // JSON keeps the text as written (for `test`); `1.0` is not `1`.
        let ops = parse_ops(r#"[{"op":"test","path":"/n","value":1.0}]"#, FileId::NONE).unwrap();
        let mut doc = node(r#"{"n":1}"#);
        assert!(apply(&mut doc, &ops).is_err());
        let ops = parse_ops("- {op: test, path: /n, value: 1.0}", FileId::NONE).unwrap();
        assert!(apply(&mut doc, &ops).is_ok());
        // JSON syntax, not YAML's, when the text starts with `[`.
        assert!(parse_ops("[{op: add}]", FileId::NONE).is_err());
        assert_eq!(
            parse_ops("a: 1", FileId::NONE).unwrap_err().message,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        );
        assert_eq!(
            parse_ops("[5]", FileId::NONE).unwrap_err().message,
            "json: cannot unmarshal number into Go value of type jsonpatch.Operation"
        );
        for empty in ["", "null", "# nothing\n"] {
            assert_eq!(
                parse_ops(empty, FileId::NONE)
                    .unwrap()
                    .as_seq()
                    .map(Vec::len),
                Some(0)
            );
        }
        // Only the first YAML document counts.
        let ops = parse_ops(
            "- op: remove\n  path: /a\n---\n- op: remove\n  path: /b\n",
            FileId::NONE,
        )
        .unwrap();
        assert_eq!(ops.as_seq().map(Vec::len), Some(1));
    }

    #[test]
    fn nesting_and_copy_limits() {
        let mut deep = Node::new(Value::Int(1));
        for _ in 0..999 {
            deep = Node::seq(vec![deep]);
        }
        let mut doc = Node::map();
        doc.set("x", deep);
        let copy = |path: &str| node(&format!(r#"[{{"op":"copy","from":"/x","path":"{path}"}}]"#));
        assert!(apply(&mut doc.clone(), &copy("/y")).is_ok());
        assert!(to_go_json(&doc).starts_with(r#"{"x":[[[["#));
        assert_eq!(
            apply(&mut doc, &copy("/x/0")).unwrap_err().message,
            "the patched object would nest deeper than 1000 levels"
        );
        let items: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
        let mut doc = node(&format!(r#"{{"a":[{}]}}"#, items.join(",")));
        let ops: Vec<String> = (0..1000)
            .map(|i| format!(r#"{{"op":"copy","from":"/a","path":"/c{i}"}}"#))
            .collect();
        let e = apply(&mut doc, &node(&format!("[{}]", ops.join(",")))).unwrap_err();
        assert!(
            e.message.starts_with("Unable to complete the copy"),
            "{}",
            e.message
        );
    }
}
