//! Selecting objects: the targets of `patches` and `patchesJson6902`
//! (kustomize's `resWrangler.Select` with `types.SelectorRegex`), and
//! Kubernetes label selectors (kyaml's copy of apimachinery's `labels.Parse`).
//!
//! - group, version, kind, name and namespace are Go RE2 regexes anchored as
//!   `^(?:pat)$`; an empty field matches anything.
//! - name matches the object's original name (its first previous id) or its
//!   current one; namespace the original or current *effective* namespace
//!   (`default` for a namespaced object without one, `_non_namespaceable_`
//!   for cluster-scoped kinds); group/version/kind the current GVK.
//! - `labelSelector` / `annotationSelector` use the Kubernetes selector syntax
//!   (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`,
//!   `a<1`) against the current labels / annotations, compared as text.

use super::error::{Error, ErrorKind, Result};
use super::kustomization::Selector;
use super::resid::Gvk;
use super::resmap::ResMap;
use super::resource::Resource;
use crate::yaml::{Node, Value};
use regex::Regex;

/// Indexes of the objects a `patches[].target` selects, in resmap order.
///
/// The regexes are compiled once; the label and annotation selectors are
/// parsed when the first object reaches them, so (as in kustomize) a bad
/// selector is only an error when some object passes the id checks.
pub fn select(resmap: &ResMap, selector: &Selector) -> Result<Vec<usize>> {
    let regex = SelectorRegex::new(selector)?;
    let mut labels: Option<LabelSelector> = None;
    let mut annotations: Option<LabelSelector> = None;
    let mut selected = Vec::new();
    for (i, res) in resmap.iter().enumerate() {
        let current = res.id();
        let original = res.orig_id();
        if !regex.matches_namespace(original.effective_namespace())
            && !regex.matches_namespace(current.effective_namespace())
        {
            continue;
        }
        if !regex.matches_name(&original.name) && !regex.matches_name(&current.name) {
            continue;
        }
        if !regex.matches_gvk(&current.gvk) {
            continue;
        }
        let label_selector = match &labels {
            Some(s) => s,
            None => labels.insert(LabelSelector::parse(&selector.label_selector)?),
        };
        if !label_selector.matches(&metadata_text_map(res, "labels")) {
            continue;
        }
        let annotation_selector = match &annotations {
            Some(s) => s,
            None => annotations.insert(LabelSelector::parse(&selector.annotation_selector)?),
        };
        if !annotation_selector.matches(&metadata_text_map(res, "annotations")) {
            continue;
        }
        selected.push(i);
    }
    Ok(selected)
}

/// Whether a Kubernetes label selector (`a=b,c in (x),!d`) matches the labels.
/// An empty selector matches everything; an invalid one is an error with
/// kustomize's message.
pub fn matches_label_selector(selector: &str, labels: &[(String, String)]) -> Result<bool> {
    Ok(LabelSelector::parse(selector)?.matches(labels))
}

/// The regex half of a selector, compiled once (kustomize's `SelectorRegex`).
#[derive(Debug)]
pub struct SelectorRegex {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
}

impl SelectorRegex {
    /// Compiles the five id fields; an empty field matches anything.
    pub fn new(selector: &Selector) -> Result<SelectorRegex> {
        Ok(SelectorRegex {
            group: anchored(&selector.group)?,
            version: anchored(&selector.version)?,
            kind: anchored(&selector.kind)?,
            name: anchored(&selector.name)?,
            namespace: anchored(&selector.namespace)?,
        })
    }

    pub fn matches_gvk(&self, gvk: &Gvk) -> bool {
        matches(&self.group, &gvk.group)
            && matches(&self.version, &gvk.version)
            && matches(&self.kind, &gvk.kind)
    }

    pub fn matches_name(&self, name: &str) -> bool {
        matches(&self.name, name)
    }

    pub fn matches_namespace(&self, namespace: &str) -> bool {
        matches(&self.namespace, namespace)
    }
}

fn matches(regex: &Option<Regex>, text: &str) -> bool {
    regex.as_ref().is_none_or(|r| r.is_match(text))
}

/// `^(?:pat)$`, or `None` for an empty pattern.
fn anchored(pattern: &str) -> Result<Option<Regex>> {
    if pattern.is_empty() {
        return Ok(None);
    }
    let anchored = format!("^(?:{pattern})$");
    Regex::new(&anchored)
        .map(Some)
        .map_err(|e| Error::new(ErrorKind::Patch, go_regex_error(&anchored, &e)))
}

/// Go's `regexp.Compile` error text for the common mistakes (unbalanced
/// parentheses); other errors keep the regex crate's description.
fn go_regex_error(pattern: &str, err: &regex::Error) -> String {
    let text = err.to_string();
    let reason = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(text.trim());
    let code = match reason {
        "unclosed group" => "missing closing )",
        "unopened group" => "unexpected )",
        other => other,
    };
    format!("error parsing regexp: {code}: `{pattern}`")
}

/// A metadata string map as kyaml reads it for selectors: each value's text
/// as written (`1.0` stays `1.0`).
fn metadata_text_map(res: &Resource, field: &str) -> Vec<(String, String)> {
    let Some(map) = res
        .node
        .get_path(&["metadata", field])
        .and_then(Node::as_map)
    else {
        return Vec::new();
    };
    map.iter()
        .map(|(k, v)| (k.name.clone(), written_text(v)))
        .collect()
}

fn written_text(node: &Node) -> String {
    if let Some(p) = &node.plain {
        return p.to_string();
    }
    match &node.value {
        Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// Label selectors

/// A parsed label selector: every requirement must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq)]
struct Requirement {
    key: String,
    op: Operator,
    /// Sorted and unique, as apimachinery's `sets.String` lists them.
    values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Exists,
    DoesNotExist,
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}

impl LabelSelector {
    /// Parses the selector syntax; errors read as kustomize's.
    pub fn parse(selector: &str) -> Result<LabelSelector> {
        Parser::new(selector)
            .parse()
            .map(|requirements| LabelSelector { requirements })
            .map_err(|m| Error::new(ErrorKind::Patch, m))
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

impl Requirement {
    fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = labels
            .iter()
            .find(|(k, _)| *k == self.key)
            .map(|(_, v)| v.as_str());
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| self.values.iter().any(|x| x == v))
            }
            Operator::NotIn | Operator::NotEquals => {
                value.is_none_or(|v| !self.values.iter().any(|x| x == v))
            }
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(v), [bound]) = (value, self.values.as_slice()) else {
                    return false;
                };
                let (Ok(v), Ok(bound)) = (v.parse::<i64>(), bound.parse::<i64>()) else {
                    return false;
                };
                if self.op == Operator::GreaterThan {
                    v > bound
                } else {
                    v < bound
                }
            }
        }
    }

    /// apimachinery's `NewRequirement` checks.
    fn new(key: String, op: Operator, values: Vec<String>) -> Result<Requirement, String> {
        validate_label_key(&key)?;
        match op {
            Operator::In | Operator::NotIn if values.is_empty() => {
                return Err("for 'in', 'notin' operators, values set can't be empty".into())
            }
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals
                if values.len() != 1 =>
            {
                return Err("exact-match compatibility requires one single value".into())
            }
            Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
                return Err("values set must be empty for exists and does not exist".into())
            }
            Operator::GreaterThan | Operator::LessThan => {
                if values.len() != 1 {
                    return Err("for 'Gt', 'Lt' operators, exactly one value is required".into());
                }
                if values.iter().any(|v| v.parse::<i64>().is_err()) {
                    return Err("for 'Gt', 'Lt' operators, the value must be an integer".into());
                }
            }
            _ => {}
        }
        for v in &values {
            validate_label_value(&key, v)?;
        }
        Ok(Requirement { key, op, values })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(s: &[u8]) -> Option<Token> {
    Some(match s {
        b")" => Token::ClosedPar,
        b"," => Token::Comma,
        b"!" => Token::DoesNotExist,
        b"==" => Token::DoubleEquals,
        b"=" => Token::Equals,
        b">" => Token::GreaterThan,
        b"in" => Token::In,
        b"<" => Token::LessThan,
        b"!=" => Token::NotEquals,
        b"notin" => Token::NotIn,
        b"(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// apimachinery's byte lexer, including its quirk that a NUL byte reads as
/// the end of the string.
struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn read(&mut self) -> u8 {
        if self.pos < self.s.len() {
            self.pos += 1;
            self.s[self.pos - 1]
        } else {
            0
        }
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    fn lex(&mut self) -> (Token, String) {
        let mut ch = self.read();
        while is_whitespace(ch) {
            ch = self.read();
        }
        if ch == 0 {
            return (Token::EndOfString, String::new());
        }
        self.unread();
        if is_special(ch) {
            self.scan_special()
        } else {
            self.scan_identifier()
        }
    }

    fn scan_identifier(&mut self) -> (Token, String) {
        let mut buf = Vec::new();
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if is_special(ch) || is_whitespace(ch) {
                self.unread();
                break;
            }
            buf.push(ch);
        }
        let text = String::from_utf8_lossy(&buf).into_owned();
        (keyword(&buf).unwrap_or(Token::Identifier), text)
    }

    fn scan_special(&mut self) -> (Token, String) {
        let mut buf = Vec::new();
        let mut last: Option<(Token, String)> = None;
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if !is_special(ch) {
                self.unread();
                break;
            }
            buf.push(ch);
            if let Some(t) = keyword(&buf) {
                last = Some((t, String::from_utf8_lossy(&buf).into_owned()));
            } else if last.is_some() {
                self.unread();
                break;
            }
        }
        last.unwrap_or_else(|| {
            (
                Token::Error,
                format!(
                    "error expected: keyword found '{}'",
                    String::from_utf8_lossy(&buf)
                ),
            )
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

impl Parser {
    fn new(selector: &str) -> Parser {
        let mut lexer = Lexer {
            s: selector.as_bytes(),
            pos: 0,
        };
        let mut items = Vec::new();
        loop {
            let item = lexer.lex();
            let end = item.0 == Token::EndOfString;
            items.push(item);
            if end {
                break;
            }
        }
        Parser { items, position: 0 }
    }

    fn item(&self, index: usize, context: Context) -> (Token, String) {
        // Past the end only after a consumed end-of-string; keep returning it.
        let (tok, lit) = self
            .items
            .get(index)
            .cloned()
            .unwrap_or((Token::EndOfString, String::new()));
        if context == Context::Values && matches!(tok, Token::In | Token::NotIn) {
            return (Token::Identifier, lit);
        }
        (tok, lit)
    }

    fn lookahead(&self, context: Context) -> (Token, String) {
        self.item(self.position, context)
    }

    fn consume(&mut self, context: Context) -> (Token, String) {
        self.position += 1;
        self.item(self.position - 1, context)
    }

    fn parse(mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::EndOfString => break,
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Token::EndOfString => break,
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(requirements)
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, inferred) = self.parse_key_and_infer_operator()?;
        if let Some(op) = inferred {
            return Requirement::new(key, op, Vec::new());
        }
        let op = self.parse_operator()?;
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new(key, op, values)
    }

    /// The key, and `Exists`/`DoesNotExist` when no operator follows.
    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Operator>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Context::Values);
        if tok == Token::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        validate_label_key(&lit)?;
        let (next, _) = self.lookahead(Context::Values);
        if matches!(next, Token::EndOfString | Token::Comma) && op.is_none() {
            op = Some(Operator::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, String> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => Operator::In,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: '=', '!=', '==', 'in', notin'"
                ))
            }
        })
    }

    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let values = self.parse_identifiers_list()?;
                let (tok, _) = self.consume(Context::Values);
                if tok != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(values)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, v: String| {
            if let Err(i) = set.binary_search(&v) {
                set.insert(i, v);
            }
        };
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    insert(&mut set, lit);
                    let (tok2, lit2) = self.lookahead(Context::Values);
                    match tok2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{lit2}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    let (tok2, _) = self.lookahead(Context::Values);
                    if tok2 == Token::ClosedPar {
                        insert(&mut set, String::new());
                        return Ok(set);
                    }
                    if tok2 == Token::Comma {
                        self.consume(Context::Values);
                        insert(&mut set, String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(Context::Values);
        if matches!(tok, Token::EndOfString | Token::Comma) {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

// apimachinery's validation messages.

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        examples.join(" or ")
    )
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            alnum(f)
                && alnum(l)
                && b.iter()
                    .all(|c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(|label| {
        let b = label.as_bytes();
        let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        match (b.first(), b.last()) {
            (Some(f), Some(l)) => ok(f) && ok(l) && b.iter().all(|c| ok(c) || *c == b'-'),
            _ => false,
        }
    })
}

fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > 253 {
                    errs.push(format!("prefix part {}", max_len_error(253)));
                }
                if !is_dns1123_subdomain(prefix) {
                    errs.push(format!(
                        "prefix part {}",
                        regex_error(
                            DNS1123_SUBDOMAIN_ERR,
                            DNS1123_SUBDOMAIN_FMT,
                            &["example.com"]
                        )
                    ));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

fn validate_label_key(key: &str) -> Result<(), String> {
    let errs = qualified_name_errors(key);
    if errs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "invalid label key {}: {}",
        go_quote(key),
        errs.join("; ")
    ))
}

fn validate_label_value(key: &str, value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    if errs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "invalid label value: {}: at key: {}: {}",
        go_quote(value),
        go_quote(key),
        errs.join("; ")
    ))
}

/// Go's `%q` (`strconv.Quote`) for the messages that quote user text.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || c == '\u{feff}' => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::resid::ResId;

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn res(json: &str) -> Resource {
        Resource::new(serde_json::from_str::<Node>(json).expect("test json"))
    }

    fn resmap() -> ResMap {
        [
            res(r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app","labels":{"tier":"web","v":"1"}}}"#),
            res(r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app-x","namespace":"prod"}}"#),
            res(r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"app","annotations":{"team":"a"}}}"#),
            res(r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod"}}"#),
        ]
        .into_iter()
        .collect()
    }

    fn sel(json: &str) -> Selector {
        serde_json::from_str(json).expect("selector json")
    }

    #[test]
    fn regexes_are_anchored() {
        let m = resmap();
        assert_eq!(select(&m, &sel(r#"{"name":"app"}"#)).unwrap(), vec![0, 2]);
        assert_eq!(
            select(&m, &sel(r#"{"name":"app.*"}"#)).unwrap(),
            vec![0, 1, 2]
        );
        // Alternation stays inside the anchors: `^(?:a|app)$`.
        assert_eq!(select(&m, &sel(r#"{"name":"a|app"}"#)).unwrap(), vec![0, 2]);
        assert_eq!(
            select(&m, &sel(r#"{"kind":"Deploy"}"#)).unwrap(),
            Vec::<usize>::new()
        );
        assert_eq!(
            select(&m, &sel(r#"{"kind":"Deploy.*|Service"}"#)).unwrap(),
            vec![0, 1, 2]
        );
        assert_eq!(
            select(&m, &sel(r#"{"group":"apps","version":"v1"}"#)).unwrap(),
            vec![0, 1]
        );
        // An empty selector selects everything.
        assert_eq!(select(&m, &sel("{}")).unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn namespace_is_effective() {
        let m = resmap();
        assert_eq!(
            select(&m, &sel(r#"{"namespace":"default"}"#)).unwrap(),
            vec![0, 2]
        );
        assert_eq!(
            select(&m, &sel(r#"{"namespace":"prod"}"#)).unwrap(),
            vec![1]
        );
        assert_eq!(
            select(&m, &sel(r#"{"namespace":"_non_namespaceable_"}"#)).unwrap(),
            vec![3]
        );
    }

    #[test]
    fn name_matches_original_or_current_but_not_intermediate() {
        let mut r = res(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#);
        r.store_previous_id();
        r.set_name("mid-cm");
        r.store_previous_id();
        r.set_name("final-mid-cm");
        let m: ResMap = [r].into_iter().collect();
        assert_eq!(select(&m, &sel(r#"{"name":"cm"}"#)).unwrap(), vec![0]);
        assert_eq!(
            select(&m, &sel(r#"{"name":"final-mid-cm"}"#)).unwrap(),
            vec![0]
        );
        assert!(select(&m, &sel(r#"{"name":"mid-cm"}"#)).unwrap().is_empty());
    }

    #[test]
    fn original_namespace_matches() {
        let mut r = res(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#);
        r.store_previous_id();
        r.set_namespace("moved");
        let m: ResMap = [r].into_iter().collect();
        assert_eq!(
            select(&m, &sel(r#"{"namespace":"default"}"#)).unwrap(),
            vec![0]
        );
        assert_eq!(
            select(&m, &sel(r#"{"namespace":"moved"}"#)).unwrap(),
            vec![0]
        );
        // kustomize records the effective namespace of a previous id.
        assert_eq!(
            m.get(0).orig_id(),
            ResId::new(Gvk::new("", "v1", "ConfigMap"), "default", "cm")
        );
    }

    #[test]
    fn label_and_annotation_selectors() {
        let m = resmap();
        assert_eq!(
            select(&m, &sel(r#"{"labelSelector":"tier=web"}"#)).unwrap(),
            vec![0]
        );
        assert_eq!(
            select(&m, &sel(r#"{"labelSelector":"!tier"}"#)).unwrap(),
            vec![1, 2, 3]
        );
        assert_eq!(
            select(&m, &sel(r#"{"annotationSelector":"team in (a,b)"}"#)).unwrap(),
            vec![2]
        );
    }

    #[test]
    fn invalid_regex_is_an_error() {
        let e = select(&resmap(), &sel(r#"{"kind":"Deploy(ment"}"#)).unwrap_err();
        assert_eq!(
            e.message,
            "error parsing regexp: missing closing ): `^(?:Deploy(ment)$`"
        );
        let e = select(&resmap(), &sel(r#"{"name":"a)"}"#)).unwrap_err();
        assert_eq!(e.message, "error parsing regexp: unexpected ): `^(?:a))$`");
    }

    #[test]
    fn label_selector_error_only_when_reached() {
        let m = resmap();
        // No object passes the kind check, so the bad selector is never parsed.
        assert!(
            select(&m, &sel(r#"{"kind":"Job","labelSelector":"a in (b"}"#))
                .unwrap()
                .is_empty()
        );
        let e = select(&m, &sel(r#"{"labelSelector":"a in (b"}"#)).unwrap_err();
        assert_eq!(
            e.message,
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
    }

    #[test]
    fn equality_operators() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        assert!(matches_label_selector("app=web", &l).unwrap());
        assert!(matches_label_selector("app==web", &l).unwrap());
        assert!(!matches_label_selector("app!=web", &l).unwrap());
        assert!(matches_label_selector("missing!=web", &l).unwrap());
        assert!(matches_label_selector(" app = web , tier=front ", &l).unwrap());
        assert!(!matches_label_selector("app=web,tier=back", &l).unwrap());
        // `app=` means the empty value.
        assert!(!matches_label_selector("app=", &l).unwrap());
        assert!(matches_label_selector("x=", &labels(&[("x", "")])).unwrap());
        assert!(matches_label_selector("", &l).unwrap());
        assert!(matches_label_selector("   ", &l).unwrap());
    }

    #[test]
    fn set_operators() {
        let l = labels(&[("env", "prod")]);
        assert!(matches_label_selector("env in (prod, dev)", &l).unwrap());
        assert!(!matches_label_selector("env notin (prod)", &l).unwrap());
        assert!(matches_label_selector("other notin (prod)", &l).unwrap());
        assert!(!matches_label_selector("other in (prod)", &l).unwrap());
        assert!(matches_label_selector("env", &l).unwrap());
        assert!(!matches_label_selector("!env", &l).unwrap());
        assert!(matches_label_selector("!other", &l).unwrap());
        // `in`/`notin` are plain values inside parentheses.
        assert!(matches_label_selector("k in (in,notin)", &labels(&[("k", "notin")])).unwrap());
        // `()` is the empty value.
        assert!(matches_label_selector("k in ()", &labels(&[("k", "")])).unwrap());
        assert!(matches_label_selector("k in (a,)", &labels(&[("k", "")])).unwrap());
    }

    #[test]
    fn numeric_operators() {
        let l = labels(&[("n", "5"), ("s", "x")]);
        assert!(matches_label_selector("n>4", &l).unwrap());
        assert!(!matches_label_selector("n>5", &l).unwrap());
        assert!(matches_label_selector("n<6", &l).unwrap());
        assert!(!matches_label_selector("s<6", &l).unwrap());
        assert_eq!(
            matches_label_selector("n>x", &l).unwrap_err().message,
            "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"
        );
    }

    #[test]
    fn syntax_errors_read_as_kustomize() {
        let l = labels(&[]);
        let err = |s: &str| matches_label_selector(s, &l).unwrap_err().message;
        assert_eq!(err("a=b=c"), "found '=', expected: ',' or 'end of string'");
        assert_eq!(err("a,"), "found '', expected: identifier after ','");
        assert_eq!(
            err("=a"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("a in b"),
            "unable to parse requirement: found 'b' expected: '('"
        );
        assert_eq!(
            err("a in (b c)"),
            "unable to parse requirement: found 'c', expected: ',' or ')'"
        );
        assert_eq!(
            err("a (b)"),
            "unable to parse requirement: found '(', expected: '=', '!=', '==', 'in', notin'"
        );
        // `a==` compares with the empty value; it is not an error.
        assert!(matches_label_selector("a==", &labels(&[("a", "")])).unwrap());
    }

    #[test]
    fn invalid_keys_and_values() {
        let l = labels(&[]);
        let err = |s: &str| matches_label_selector(s, &l).unwrap_err().message;
        assert_eq!(
            err("-a=b"),
            "unable to parse requirement: invalid label key \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        assert_eq!(
            err("Ex.com/a=b"),
            "unable to parse requirement: invalid label key \"Ex.com/a\": prefix part a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        assert_eq!(
            err("a=b_"),
            "unable to parse requirement: invalid label value: \"b_\": at key: \"a\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert!(matches_label_selector("example.com/a-b_c.d=x.Y-1", &l).is_ok());
    }
}
