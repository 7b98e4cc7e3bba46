//! Writing nodes exactly as `kustomize build` prints them.
//!
//! kustomize turns each resource into JSON and back into YAML with goyaml.v2
//! (sigs.k8s.io/yaml `JSONToYAML`), so its output depends only on the data:
//! keys re-sorted in goyaml.v2's natural order (`keys`), block style with
//! 2-space indents and sequences not indented under their key, empty
//! collections as `{}`/`[]`, keys longer than 128 bytes or with a line break
//! as `? key`/`: value`, strings quoted when goyaml.v2 would read them as
//! another type (`v2_resolve`) or when their characters demand it, and
//! plain or quoted scalars folded at 80 columns (`scalar`). Values first
//! pass through what the JSON round trip does to them (`json_round_trip`,
//! `float`).
//!
//! The layout code below mirrors the emitter's state machine (block
//! mapping key/value, block sequence item), one function per state. See
//! ../shared/docs/kustomize-output.md for the rules and the probes behind
//! them.

mod float;
mod go_timestamp;
mod json_round_trip;
mod keys;
mod scalar;
mod v2_resolve;
mod writer;

pub use float::format_float;
pub use json_round_trip::check_emittable;

use super::{Mapping, Node, Value};
use scalar::{analyze, requested_string_style, select_style, Style};
use writer::Writer;

/// Keys longer than this many bytes are written as complex keys (`? key`).
const MAX_SIMPLE_KEY_BYTES: usize = 128;

/// Appends one document (no `---`, ends with a single newline) to `out`.
///
/// Never fails: a value kustomize could not write (see [`check_emittable`])
/// is written as goyaml.v2 would have written it.
pub fn emit_document(node: &Node, out: &mut String) {
    let mut w = Writer::new(out);
    w.emit_node(node, Context::Root);
    // Document end: finish the last line.
    w.write_indent();
}

/// Documents joined with `---\n`, as `kustomize build` writes a resource list.
/// No documents: the empty string.
pub fn emit_documents(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (i, n) in nodes.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit_document(n, &mut out);
    }
    out
}

/// Where a node is written; decides sequence indentation and key folding.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    SequenceItem,
    /// A mapping value, or a complex (`? `) key.
    MappingValue,
    /// A key written `key: value`: never folded, never a block scalar.
    SimpleKey,
}

impl Writer<'_> {
    fn emit_node(&mut self, node: &Node, ctx: Context) {
        match &node.value {
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => {
                self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx)
            }
            Value::Int(i) => self.emit_scalar(&i.to_string(), Style::Plain, ctx),
            Value::UInt(u) => self.emit_scalar(&u.to_string(), Style::Plain, ctx),
            Value::Float(f) => self.emit_scalar(&format_float(*f), Style::Plain, ctx),
            Value::Str(s) => {
                let s = json_round_trip::fold_nel(s);
                self.emit_scalar(&s, requested_string_style(&s), ctx);
            }
            Value::Seq(items) if items.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Seq(items) => self.emit_block_sequence(items, ctx),
            Value::Map(map) if map.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Map(map) => self.emit_block_mapping(map),
        }
    }

    /// `[]` or `{}`: empty collections are written in flow style.
    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Node], ctx: Context) {
        // A sequence that is a mapping value right after `key:` stays at
        // the key's column; after `? `/`: ` or `- ` it is indented.
        let indentless = ctx == Context::MappingValue && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Context::SequenceItem);
        }
        self.decrease_indent();
    }

    fn emit_block_mapping(&mut self, map: &Mapping) {
        self.increase_indent(false, false);
        let entries: Vec<_> = map.iter().collect();
        let names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        for i in keys::sorted_order(&names) {
            let (key, value) = entries[i];
            self.write_indent();
            let name = key.name.as_str();
            if !analyze(name).multiline && name.len() <= MAX_SIMPLE_KEY_BYTES {
                self.emit_scalar(name, requested_string_style(name), Context::SimpleKey);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_scalar(name, requested_string_style(name), Context::MappingValue);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(value, Context::MappingValue);
        }
        self.decrease_indent();
    }

    fn emit_scalar(&mut self, text: &str, requested: Style, ctx: Context) {
        let simple_key = ctx == Context::SimpleKey;
        let style = select_style(requested, &analyze(text), simple_key, text.is_empty());
        self.increase_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.decrease_indent();
    }
}

#[cfg(test)]
mod tests;
