//! Strategic merge as kustomize v5.5.0 does it: kyaml's `merge2.Merge`
//! walking target and patch together (`kyaml/yaml/walk`), with list element
//! order `Prepend` (`api/filters/patchstrategicmerge`). Not apimachinery's
//! `strategicpatch`: `$setElementOrder/…`, `$retainKeys` and
//! `$deleteFromPrimitiveList/…` are ordinary keys here, copied verbatim.
//!
//! The rules (`../shared/docs/kustomize-semantics.md` §2.2), in kyaml's terms:
//! - A mapping recurses over the sorted union of both sides' keys. A key the
//!   target lacks takes the patch's value; a `null` patch value removes the
//!   key; a mapping `$patch: delete` removes it, `$patch: replace` puts the
//!   patch's mapping in its place, `$patch: merge` merges; other values fail
//!   with "unknown patch strategy". Empty nulls (`key:`) of the target are
//!   dropped wherever the walk passes; `null` and `~` are kept.
//! - A scalar: the patch's wins.
//! - A list is merged element by element only when the schema marks it
//!   associative ([`FieldSchema::is_associative`]); every other list is
//!   replaced by the patch's list. Elements are matched on the merge keys;
//!   with several keys an element missing one matches an element agreeing on
//!   the others. The result lists the patch's elements first, in patch
//!   order, then the target's others in their order. Without merge keys the
//!   list is a set of scalars, ordered the same way.
//! - List directives: an element `{$patch: delete, <key>: v}` removes its
//!   element; a lone `{$patch: replace}` makes the patch list replace the
//!   target's; a lone `{$patch: delete}` removes the list.
//!
//! kyaml's quirks are kept, since kustomize's output has them: a target
//! element without the merge key, or an empty `{}` element, removes every
//! keyed element of the target list; duplicate keys collapse to the last
//! element; an element-level `$patch: replace` keeps the target's element;
//! a top-level `$patch: replace` leaves the object unchanged. They follow
//! from kyaml's algorithm, which this module ports step by step over a small
//! node arena: kyaml works on shared pointers (the patch's nodes are moved
//! into the target, a new subtree is merged with itself), and node identity
//! decides several of these outcomes.
//!
//! Schemas are found per object by apiVersion and kind, at every level
//! without a schema: an embedded object (`apiVersion` + `kind`) inside a
//! custom resource gets its type's schema.

use super::openapi::{FieldSchema, Schema};
use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::source::Span;
use crate::yaml::{Key, Mapping, Node, Value};
use std::collections::BTreeSet;

/// What a merge did with the target object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The target holds the merged object (unchanged for a top-level
    /// `$patch: replace`, as in kustomize).
    Merged,
    /// The patch deletes the object (top-level `$patch: delete`): the caller
    /// removes it from the resource map. The target is left as it was.
    Deleted,
}

/// Merges `patch` into `target` (one object and one patch document), with
/// list merge keys from `schema`. The caller restores what kustomize restores
/// afterwards (kind, name, namespace; `api/resource/resource.go`
/// `ApplySmPatch`).
pub fn merge(target: &mut Node, patch: &Node, schema: &Schema) -> Result<MergeOutcome> {
    let mut merger = Merger {
        schema,
        tree: Tree::default(),
        depth: 0,
    };
    let dest = merger.tree.import(target, 0)?;
    let origin = merger.tree.import(patch, 0)?;
    match merger.walk(Some(dest), Some(origin), None)? {
        None => Ok(MergeOutcome::Deleted),
        // kustomize keeps the object's own node: a result that is another
        // node (the patch, for `$patch: replace`) changes nothing.
        Some(result) if result.id != dest => Ok(MergeOutcome::Merged),
        Some(_) => {
            *target = merger.tree.export(dest);
            Ok(MergeOutcome::Merged)
        }
    }
}

/// Deepest nesting merged; real objects stay far below (the recursion must
/// not exhaust the stack on hostile input).
const MAX_DEPTH: usize = 512;

/// The key of strategic merge directives.
const DIRECTIVE: &str = "$patch";

// ---------------------------------------------------------------------------
// The node arena: go-yaml nodes with identity.

type Id = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scalar,
    Map,
    Seq,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Scalar => "ScalarNode",
            Kind::Map => "MappingNode",
            Kind::Seq => "SequenceNode",
        }
    }
}

#[derive(Clone, Debug)]
struct YNode {
    kind: Kind,
    /// Tagged `!!null`.
    null: bool,
    /// A scalar's text as written (go-yaml's `Value`); empty for collections.
    text: String,
    /// Mapping: key, value, key, value, …; sequence: the elements.
    content: Vec<Id>,
    /// A scalar read from a document: the node to give back unchanged.
    scalar: Option<Node>,
    span: Span,
}

#[derive(Default)]
struct Tree {
    nodes: Vec<YNode>,
}

/// A walk's result: a node, and whether a null must be kept (kyaml's
/// `ShouldKeep`, set on a target's explicit `null` the patch does not touch).
#[derive(Clone, Copy, Debug)]
struct Walked {
    id: Id,
    keep: bool,
}

impl Walked {
    fn node(id: Id) -> Walked {
        Walked { id, keep: false }
    }
}

impl Tree {
    fn add(&mut self, node: YNode) -> Id {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn import(&mut self, node: &Node, depth: usize) -> Result<Id> {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Patch,
                format!("strategic merge: nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let collection = |kind, content| YNode {
            kind,
            null: false,
            text: String::new(),
            content,
            scalar: None,
            span: node.span,
        };
        let id = match &node.value {
            Value::Map(map) => {
                let mut content = Vec::with_capacity(map.len() * 2);
                for (key, value) in map {
                    content.push(self.add_key(&key.name, key.span));
                    content.push(self.import(value, depth + 1)?);
                }
                self.add(collection(Kind::Map, content))
            }
            Value::Seq(items) => {
                let content = items
                    .iter()
                    .map(|item| self.import(item, depth + 1))
                    .collect::<Result<_>>()?;
                self.add(collection(Kind::Seq, content))
            }
            _ => self.add(YNode {
                kind: Kind::Scalar,
                null: node.is_null(),
                text: scalar_text(node),
                content: Vec::new(),
                scalar: Some(node.clone()),
                span: node.span,
            }),
        };
        Ok(id)
    }

    fn export(&self, id: Id) -> Node {
        let node = &self.nodes[id];
        match node.kind {
            Kind::Map => {
                let mut map = Mapping::new();
                for pair in node.content.chunks(2) {
                    if let [key, value] = pair {
                        let key = &self.nodes[*key];
                        map.insert(
                            Key {
                                name: key.text.clone(),
                                span: key.span,
                            },
                            self.export(*value),
                        );
                    }
                }
                Node::with_span(Value::Map(map), node.span)
            }
            Kind::Seq => {
                let items = node.content.iter().map(|&item| self.export(item)).collect();
                Node::with_span(Value::Seq(items), node.span)
            }
            Kind::Scalar => match &node.scalar {
                Some(scalar) => scalar.clone(),
                None if node.null => Node::with_span(Value::Null, node.span),
                None => Node::with_span(plain_scalar(&node.text), node.span),
            },
        }
    }

    fn add_key(&mut self, name: &str, span: Span) -> Id {
        self.add(YNode {
            kind: Kind::Scalar,
            null: false,
            text: name.to_string(),
            content: Vec::new(),
            scalar: None,
            span,
        })
    }

    /// An untagged scalar made from text (kyaml `NewScalarRNode`).
    fn add_scalar(&mut self, text: &str) -> Id {
        self.add_key(text, Span::NONE)
    }

    fn add_seq(&mut self, span: Span) -> Id {
        self.add(YNode {
            kind: Kind::Seq,
            null: false,
            text: String::new(),
            content: Vec::new(),
            scalar: None,
            span,
        })
    }

    /// A copy of a null that must survive the merge (kyaml
    /// `MakePersistentNullNode`).
    fn add_persistent_null(&mut self, of: Id) -> Id {
        let mut node = self.nodes[of].clone();
        node.content.clear();
        self.add(node)
    }

    fn kind(&self, id: Id) -> Kind {
        self.nodes[id].kind
    }

    fn text(&self, id: Id) -> &str {
        &self.nodes[id].text
    }

    fn content(&self, id: Id) -> &[Id] {
        &self.nodes[id].content
    }

    fn is_null(&self, id: Id) -> bool {
        self.nodes[id].null
    }

    /// kyaml `IsMissingOrNull`.
    fn missing_or_null(&self, id: Option<Id>) -> bool {
        id.is_none_or(|id| self.is_null(id))
    }

    /// kyaml `IsEmptyMap`: missing, null, or a mapping without entries.
    fn empty_map(&self, id: Option<Id>) -> bool {
        self.missing_or_null(id)
            || id.is_some_and(|id| self.kind(id) == Kind::Map && self.content(id).is_empty())
    }

    /// kyaml `IsNilOrEmpty`: missing, null, `{}` or `[]`.
    fn nil_or_empty(&self, id: Option<Id>) -> bool {
        match id {
            None => true,
            Some(id) => {
                self.is_null(id) || (self.kind(id) != Kind::Scalar && self.content(id).is_empty())
            }
        }
    }

    /// kyaml `GetValue`: the text, empty for missing and null nodes.
    fn get_value(&self, id: Option<Id>) -> &str {
        match id {
            Some(id) if !self.is_null(id) => self.text(id),
            _ => "",
        }
    }

    /// kyaml `ErrorIfInvalid`: a node that is neither missing nor null must
    /// be of `kind`.
    fn check_kind(&self, id: Id, kind: Kind) -> Result<()> {
        if self.is_null(id) || self.kind(id) == kind {
            return Ok(());
        }
        let mut contents = String::new();
        render(&self.export(id), 0, &mut contents);
        Err(Error::new(
            ErrorKind::Patch,
            format!(
                "wrong node kind: expected {} but got {}: node contents:\n{contents}",
                kind.name(),
                self.kind(id).name()
            ),
        ))
    }

    /// kyaml `RNode.Field`: the first entry `name` of a mapping, as
    /// (key, value); `None` for anything but a mapping.
    fn field(&self, id: Id, name: &str) -> Option<(Id, Id)> {
        if self.kind(id) != Kind::Map {
            return None;
        }
        self.content(id)
            .chunks(2)
            .find(|pair| pair.len() == 2 && self.text(pair[0]) == name)
            .map(|pair| (pair[0], pair[1]))
    }

    fn field_value(&self, id: Id, name: &str) -> Option<Id> {
        self.field(id, name).map(|(_, value)| value)
    }

    /// kyaml `RNode.Fields` (a mapping's key names; none for other nodes).
    fn field_names(&self, id: Id) -> impl Iterator<Item = &str> {
        let keys = if self.kind(id) == Kind::Map {
            self.content(id)
        } else {
            &[]
        };
        keys.iter().step_by(2).map(|&key| self.text(key))
    }

    /// kyaml `FieldMatcher`. With a name: the value of that field of a
    /// mapping, if `value` is `None` or equals the value's text. Without a
    /// name: the scalar itself, if its value equals `value`.
    fn field_matcher(&self, id: Option<Id>, name: &str, value: Option<&str>) -> Result<Option<Id>> {
        let Some(id) = id.filter(|&id| !self.is_null(id)) else {
            return Ok(None);
        };
        if name.is_empty() {
            self.check_kind(id, Kind::Scalar)?;
            return Ok((self.get_value(Some(id)) == value.unwrap_or("")).then_some(id));
        }
        self.check_kind(id, Kind::Map)?;
        let found = self.field_value(id, name);
        Ok(found.filter(|&v| value.is_none_or(|value| self.text(v) == value)))
    }

    /// kyaml `FieldClearer`: removes the first entry `name`.
    fn clear_field(&mut self, id: Id, name: &str) -> Result<()> {
        self.check_kind(id, Kind::Map)?;
        let position = self.nodes[id]
            .content
            .chunks(2)
            .position(|pair| self.text(pair[0]) == name);
        if let Some(index) = position {
            self.nodes[id].content.drain(index * 2..index * 2 + 2);
        }
        Ok(())
    }

    /// kyaml `FieldSetter`: no value or an unkept null clears the field; an
    /// existing field takes the value's contents in place; else the field is
    /// appended.
    fn set_field(&mut self, id: Id, name: &str, value: Option<Walked>) -> Result<()> {
        let Some(value) = value.filter(|v| !self.is_null(v.id) || v.keep) else {
            return self.clear_field(id, name);
        };
        match self.field_matcher(Some(id), name, None)? {
            Some(existing) => {
                if existing != value.id {
                    self.nodes[existing] = self.nodes[value.id].clone();
                }
            }
            None => {
                let key = self.add_key(name, Span::NONE);
                self.nodes[id].content.extend([key, value.id]);
            }
        }
        Ok(())
    }

    /// kyaml `ElementAppender` of one element.
    fn append(&mut self, seq: Id, element: Id) -> Result<()> {
        self.check_kind(seq, Kind::Seq)?;
        self.nodes[seq].content.push(element);
        Ok(())
    }

    /// kyaml `ElementSetter`: replaces the elements matching `keys` =
    /// `values` by `element` (appended when none matches), or removes them
    /// when `element` is `None`. Null and `{}` elements are dropped on the
    /// way; with an empty `values`, every element is.
    fn element_setter(
        &mut self,
        seq: Id,
        element: Option<Id>,
        keys: &[String],
        values: &[String],
    ) -> Result<Option<Id>> {
        let empty_key = [String::new()];
        let keys = if keys.is_empty() {
            &empty_key[..]
        } else {
            keys
        };
        self.check_kind(seq, Kind::Seq)?;
        let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
        let mut content = Vec::new();
        let mut matched = false;
        for &item in &self.nodes[seq].content.clone() {
            if self.empty_map(Some(item)) {
                continue;
            }
            if self.kind(item) != Kind::Map && mapping_setter {
                content.push(item);
                continue;
            }
            let mut found_value = None;
            let mut found = true;
            for (j, key) in keys.iter().enumerate() {
                if let Some(value) = values.get(j) {
                    let wanted = (!value.is_empty()).then_some(value.as_str());
                    found_value = self.field_matcher(Some(item), key, wanted)?;
                }
                if found_value.is_none() {
                    found = false;
                    break;
                }
            }
            if !found {
                if !values.is_empty() {
                    content.push(item);
                }
                continue;
            }
            matched = true;
            content.extend(element);
        }
        self.nodes[seq].content = content;
        let Some(element) = element.filter(|&e| !self.is_null(e)) else {
            return Ok(None);
        };
        if !matched {
            self.nodes[seq].content.push(element);
        }
        Ok(Some(element))
    }

    /// kyaml `ElementMatcher`: the first element whose `keys` have `values`
    /// as text (`match_any`: whose `keys` are present); for an empty key,
    /// the first element whose own text is `values[0]`.
    fn element_matcher(
        &self,
        seq: Id,
        keys: &[String],
        values: &[String],
        match_any: bool,
    ) -> Result<Option<Id>> {
        let empty = [String::new()];
        let keys = if keys.is_empty() { &empty[..] } else { keys };
        let values = if values.is_empty() {
            &empty[..]
        } else {
            values
        };
        self.check_kind(seq, Kind::Seq)?;
        if match_any && !values[0].is_empty() {
            return Err(Error::new(
                ErrorKind::Patch,
                "Values must be empty when MatchAnyValue is set to true",
            ));
        }
        if keys[0].is_empty() {
            let found = self
                .content(seq)
                .iter()
                .find(|&&item| self.text(item) == values[0]);
            return Ok(found.copied());
        }
        for &item in self.content(seq) {
            if self.check_kind(item, Kind::Map).is_err() {
                continue;
            }
            if !match_any && keys.len() != values.len() {
                return Err(Error::new(
                    ErrorKind::Patch,
                    "length of keys must equal length of values when MatchAnyValue is false",
                ));
            }
            let mut matches = true;
            for (i, key) in keys.iter().enumerate() {
                let wanted = if match_any {
                    None
                } else {
                    Some(values[i].as_str())
                };
                if self.field_matcher(Some(item), key, wanted)?.is_none() {
                    matches = false;
                    break;
                }
            }
            if matches {
                return Ok(Some(item));
            }
        }
        Ok(None)
    }

    /// kyaml `RNode.ElementList`: the matching element of a sequence, `None`
    /// for anything else or on error.
    fn element_list(&self, seq: Option<Id>, keys: &[String], values: &[String]) -> Option<Id> {
        let seq = seq.filter(|&s| self.kind(s) == Kind::Seq)?;
        self.element_matcher(seq, keys, values, false)
            .ok()
            .flatten()
    }

    /// kyaml `RNode.ElementValuesList`: per element, the text of each key
    /// (empty when absent, null, `{}` or `[]`).
    fn element_values_list(&self, seq: Id, keys: &[String]) -> Vec<Vec<String>> {
        if self.check_kind(seq, Kind::Seq).is_err() {
            return Vec::new();
        }
        self.content(seq)
            .iter()
            .map(|&item| {
                keys.iter()
                    .map(|key| {
                        let value = self.field_value(item, key);
                        if self.nil_or_empty(value) {
                            String::new()
                        } else {
                            value.map_or_else(String::new, |v| self.text(v).to_string())
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// The walk (kyaml `walk.Walker` with the `merge2.Merger` visitor).

/// A strategic merge patch directive (`$patch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    Unknown,
    Replace,
    Delete,
    Merge,
}

struct Merger<'s> {
    schema: &'s Schema,
    tree: Tree,
    depth: usize,
}

impl<'s> Merger<'s> {
    /// Merges `origin` (the patch side) into `dest` (the target side); either
    /// may be missing. `None` means: remove the field.
    fn walk(
        &mut self,
        dest: Option<Id>,
        origin: Option<Id>,
        schema: Option<FieldSchema<'s>>,
    ) -> Result<Option<Walked>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Patch,
                format!("strategic merge: nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let result = self.walk_node(dest, origin, schema);
        self.depth -= 1;
        result
    }

    fn walk_node(
        &mut self,
        dest: Option<Id>,
        origin: Option<Id>,
        schema: Option<FieldSchema<'s>>,
    ) -> Result<Option<Walked>> {
        let schema = schema.or_else(|| self.schema_of_object([dest, origin]));
        let sources = [dest, origin];
        let present = sources
            .into_iter()
            .flatten()
            .filter(|&id| !self.tree.is_null(id));
        let Some(kind) = present.clone().next().map(|id| self.tree.kind(id)) else {
            // Only missing or null nodes: walked as mappings.
            return self.walk_map(dest, origin, schema);
        };
        for id in present {
            self.tree.check_kind(id, kind)?;
        }
        match kind {
            Kind::Map => self.walk_map(dest, origin, schema),
            Kind::Seq => match schema.filter(|s| s.is_associative()) {
                Some(schema) => self.walk_associative_list(dest, origin, schema),
                // Replaced wholesale by the patch's list, if it has one.
                None => Ok(origin.or(dest).map(Walked::node)),
            },
            Kind::Scalar => Ok(origin.or(dest).map(Walked::node)),
        }
    }

    /// kyaml `Walker.GetSchema` without a schema from the parent: the schema
    /// of the first side that is an object (`apiVersion` and `kind`) of a
    /// type the schema knows.
    fn schema_of_object(&self, sources: [Option<Id>; 2]) -> Option<FieldSchema<'s>> {
        let tree = &self.tree;
        sources
            .into_iter()
            .flatten()
            .filter(|&id| !tree.is_null(id))
            .find_map(|id| {
                let meta = |name| {
                    let value = tree.field_value(id, name);
                    (!tree.nil_or_empty(value)).then(|| tree.get_value(value))
                };
                let api_version = meta("apiVersion").filter(|s| !s.is_empty())?;
                let kind = meta("kind").filter(|s| !s.is_empty())?;
                self.schema.resource(api_version, kind)
            })
    }

    fn walk_map(
        &mut self,
        dest: Option<Id>,
        origin: Option<Id>,
        schema: Option<FieldSchema<'s>>,
    ) -> Result<Option<Walked>> {
        let Some(merged) = self.visit_map(dest, origin)? else {
            return Ok(None);
        };
        let mut names = BTreeSet::new();
        for id in [Some(merged.id), origin].into_iter().flatten() {
            names.extend(self.tree.field_names(id).map(str::to_string));
        }
        for name in names {
            let field_schema = schema.and_then(|s| s.field(&name));
            let dest_value = self.tree.field_value(merged.id, &name);
            let origin_value = origin.and_then(|o| self.tree.field_value(o, &name));
            let value = self.walk(dest_value, origin_value, field_schema)?;
            self.tree.set_field(merged.id, &name, value)?;
        }
        Ok(Some(merged))
    }

    /// kyaml `Merger.VisitMap`: which node the mapping's fields are merged
    /// into (`None`: the mapping is removed).
    fn visit_map(&mut self, dest: Option<Id>, origin: Option<Id>) -> Result<Option<Walked>> {
        if self.tree.missing_or_null(dest) {
            // Errors are ignored here; a directive is still elided.
            if self.directive(origin).unwrap_or(Directive::Unknown) == Directive::Delete {
                return Ok(None);
            }
            if let (None, Some(dest)) = (origin, dest) {
                if !self.tree.text(dest).is_empty() {
                    let kept = self.tree.add_persistent_null(dest);
                    return Ok(Some(Walked {
                        id: kept,
                        keep: true,
                    }));
                }
            }
            return Ok(origin.map(Walked::node));
        }
        if origin.is_some_and(|o| self.tree.is_null(o)) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin.map(Walked::node),
            Directive::Unknown | Directive::Merge => dest.map(Walked::node),
        })
    }

    /// kyaml `determineSmpDirective`: the `$patch` of a patch mapping or
    /// list, removed from it once read.
    fn directive(&mut self, patch: Option<Id>) -> Result<Directive> {
        let Some(patch) = patch else {
            return Ok(Directive::Merge);
        };
        match self.tree.kind(patch) {
            Kind::Map => {
                let Some(value) = self.tree.field_value(patch, DIRECTIVE) else {
                    return Ok(Directive::Merge);
                };
                let directive = parse_directive(self.tree.text(value))?;
                self.tree.clear_field(patch, DIRECTIVE)?;
                Ok(directive)
            }
            Kind::Seq => {
                let keys = [DIRECTIVE.to_string()];
                let Ok(Some(element)) = self.tree.element_matcher(patch, &keys, &[], true) else {
                    return Ok(Directive::Merge);
                };
                // An element with other keys is a directive for itself.
                if self.tree.content(element).len() > 2 {
                    return Ok(Directive::Merge);
                }
                let Some(value) = self.tree.field_value(element, DIRECTIVE) else {
                    return Ok(Directive::Merge);
                };
                let text = self.tree.text(value).to_string();
                let directive = parse_directive(&text)?;
                self.tree.element_setter(patch, None, &keys, &[text])?;
                Ok(directive)
            }
            Kind::Scalar => Err(Error::new(
                ErrorKind::Patch,
                "no implemented strategic merge patch strategy for a scalar",
            )),
        }
    }

    /// kyaml `walkAssociativeSequence` with `Merger.VisitList`.
    fn walk_associative_list(
        &mut self,
        dest: Option<Id>,
        origin: Option<Id>,
        schema: FieldSchema<'s>,
    ) -> Result<Option<Walked>> {
        let dest = if self.tree.missing_or_null(dest) {
            origin
        } else if origin.is_some_and(|o| self.tree.is_null(o)) {
            None
        } else {
            match self.directive(origin)? {
                Directive::Delete => None,
                Directive::Replace => origin,
                Directive::Unknown | Directive::Merge => dest,
            }
        };
        let Some(dest) = dest else {
            return Ok(None);
        };
        // The schema marks the list associative, so it has a strategy and
        // kyaml never infers keys here.
        let keys: Vec<String> = schema.merge_keys().iter().map(|k| k.to_string()).collect();
        let values = self.element_values(dest, origin, &keys);
        if !values.is_empty() || !keys.is_empty() {
            return self.merge_elements(values, &keys, dest, origin, schema);
        }
        let values = self.primitive_values(dest, origin);
        self.merge_elements(values, &[String::new()], dest, origin, schema)
    }

    /// kyaml `elementValues`: the key values of all elements, patch first,
    /// each distinct list once.
    fn element_values(&self, dest: Id, origin: Option<Id>, keys: &[String]) -> Vec<Vec<String>> {
        let mut values: Vec<Vec<String>> = Vec::new();
        for source in [origin, Some(dest)].into_iter().flatten() {
            for element in self.tree.element_values_list(source, keys) {
                if !element.is_empty() && !values.contains(&element) {
                    values.push(element);
                }
            }
        }
        values
    }

    /// kyaml `elementPrimitiveValues`: the distinct scalar texts, patch first.
    fn primitive_values(&self, dest: Id, origin: Option<Id>) -> Vec<Vec<String>> {
        let mut values: Vec<Vec<String>> = Vec::new();
        for source in [origin, Some(dest)].into_iter().flatten() {
            for &item in self.tree.content(source) {
                let text = self.tree.text(item);
                if !values.iter().any(|v| v[0] == text) {
                    values.push(vec![text.to_string()]);
                }
            }
        }
        values
    }

    /// kyaml `setAssociativeSequenceElements`: merges each element pair into
    /// a new list, then adds the target's elements not yet in it.
    fn merge_elements(
        &mut self,
        mut values_list: Vec<Vec<String>>,
        keys: &[String],
        dest: Id,
        origin: Option<Id>,
        schema: FieldSchema<'s>,
    ) -> Result<Option<Walked>> {
        let merged = self.tree.add_seq(self.tree.nodes[dest].span);
        let element_schema = schema.elements();
        if keys.len() > 1 {
            merge_partial_values(&mut values_list);
        }
        // kyaml reuses the last element's valid keys for the final step.
        let mut valid_keys = Vec::new();
        for index in 0..values_list.len() {
            let values = &values_list[index];
            if values.is_empty() {
                continue;
            }
            let valid_values;
            (valid_keys, valid_values) = valid_keys_and_values(&values_list, values, keys);
            let (lookup_keys, lookup_values) = valid_keys_and_values(
                std::slice::from_ref(&valid_values),
                &valid_values,
                &valid_keys,
            );
            let dest_element = self
                .tree
                .element_list(Some(dest), &lookup_keys, &lookup_values);
            let origin_element = self.tree.element_list(origin, &lookup_keys, &lookup_values);
            let value = self.walk(dest_element, origin_element, element_schema)?;

            let mut removed = false;
            for (i, key) in valid_keys.iter().enumerate() {
                match value {
                    Some(v) if !self.tree.empty_map(Some(v.id)) => {
                        let key_value = valid_values.get(i).filter(|v| !v.is_empty());
                        if let (None, Some(key_value)) = (self.tree.field(v.id, key), key_value) {
                            let scalar = self.tree.add_scalar(key_value);
                            self.tree.set_field(v.id, key, Some(Walked::node(scalar)))?;
                        }
                    }
                    // The element merged to nothing: remove it from the target.
                    _ => {
                        self.tree
                            .element_setter(dest, None, &valid_keys, &valid_values)?;
                        removed = true;
                    }
                }
            }
            if removed {
                continue;
            }
            self.tree
                .element_setter(merged, value.map(|v| v.id), &valid_keys, &valid_values)?;
        }
        let result = if values_list.is_empty() {
            dest
        } else {
            self.append_elements(merged, dest, &valid_keys)?
        };
        Ok((!self.tree.missing_or_null(Some(result))).then_some(Walked::node(result)))
    }

    /// kyaml `appendListNode(dst, src, keys)`: each element of `src` replaces
    /// its match in `dst`, or is appended.
    fn append_elements(&mut self, dst: Id, src: Id, keys: &[String]) -> Result<Id> {
        let primitive = keys.first().is_none_or(|k| k.is_empty());
        for element in self.tree.content(src).to_vec() {
            if primitive {
                let text = self.tree.text(element).to_string();
                self.tree
                    .element_setter(dst, Some(element), &[String::new()], &[text])?;
                continue;
            }
            let mut values = Vec::new();
            for key in keys {
                match self.tree.field_matcher(Some(element), key, None)? {
                    Some(value) => values.push(self.tree.text(value).to_string()),
                    // kyaml appends an element without the key right away,
                    // once per missing key, and still sets it below.
                    None => self.tree.append(dst, element)?,
                }
            }
            if keys.len() > 1 {
                // The element setter appends duplicates with several keys.
                self.tree.element_setter(dst, None, keys, &values)?;
            }
            self.tree
                .element_setter(dst, Some(element), keys, &values)?;
        }
        Ok(dst)
    }
}

fn parse_directive(text: &str) -> Result<Directive> {
    match text {
        "replace" => Ok(Directive::Replace),
        "delete" => Ok(Directive::Delete),
        "merge" => Ok(Directive::Merge),
        _ => Err(Error::new(
            ErrorKind::Patch,
            format!("unknown patch strategy '{text}'"),
        )),
    }
}

/// kyaml `mergeValues`: key value lists that agree where both have a value
/// (and share one) become the same, filled in from each other. The outer
/// list entry is read once per outer step, as Go's `range` does.
fn merge_partial_values(values_list: &mut [Vec<String>]) {
    for i in 0..values_list.len() {
        let first = values_list[i].clone();
        for j in 0..values_list.len() {
            if let Some(merged) = match_partial(&first, &values_list[j]) {
                values_list[i] = merged.clone();
                values_list[j] = merged;
            }
        }
    }
}

/// kyaml `match`: equal length, at least one equal position, and every
/// other position empty on one side.
fn match_partial(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut merged = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            merged.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if !x.is_empty() {
            merged.push(x.clone());
        } else {
            merged.push(y.clone());
        }
    }
    common.then_some(merged)
}

/// kyaml `validateKeys`: the keys some list gives a value, and `values`
/// restricted to them (all keys when none has a value).
fn valid_keys_and_values(
    values_list: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut valid = BTreeSet::new();
    for list in values_list {
        for (i, value) in list.iter().enumerate() {
            if let (false, Some(key)) = (value.is_empty(), keys.get(i)) {
                valid.insert(key.as_str());
            }
        }
    }
    if valid.is_empty() {
        return (keys.to_vec(), values.to_vec());
    }
    let valid_keys = keys
        .iter()
        .filter(|k| valid.contains(k.as_str()))
        .cloned()
        .collect();
    let valid_values = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| valid.contains(k.as_str())))
        .map(|(_, v)| v.clone())
        .collect();
    (valid_keys, valid_values)
}

/// A scalar's text as go-yaml keeps it (`Value`): a plain scalar's text as
/// written (`""` for a null written as nothing, `~`, `0x1F`), a quoted
/// string's value; for a node made rather than read, its canonical text.
fn scalar_text(node: &Node) -> String {
    match (&node.plain, &node.value) {
        (Some(plain), _) => plain.to_string(),
        (None, Value::Str(s)) => s.clone(),
        (None, Value::Null) => "null".to_string(),
        (None, _) => node.scalar_text().unwrap_or_default(),
    }
}

/// An untagged scalar made by the merge (a merge key value copied into an
/// element), typed as a plain scalar would be.
fn plain_scalar(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "" | "~" | "null" => Value::Null,
        _ => text
            .parse::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Str(text.to_string())),
    }
}

/// A node as block YAML, for error messages (go-yaml's layout: list items
/// at their key's indentation; styles are not kept, so strings are plain).
fn render(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            for (key, value) in map {
                out.push_str(&format!("{pad}{}:", key.name));
                match &value.value {
                    Value::Map(m) if !m.is_empty() => {
                        out.push('\n');
                        render(value, indent + 2, out);
                    }
                    Value::Seq(s) if !s.is_empty() => {
                        out.push('\n');
                        render(value, indent, out);
                    }
                    _ => out.push_str(&format!(" {}\n", inline(value))),
                }
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            for item in items {
                let mut nested = String::new();
                render(item, indent + 2, &mut nested);
                // The first line of the item goes after the dash.
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(&nested[indent + 2..]);
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", inline(node))),
    }
}

fn inline(node: &Node) -> String {
    match &node.value {
        Value::Map(_) => "{}".to_string(),
        Value::Seq(_) => "[]".to_string(),
        Value::Null => "null".to_string(),
        _ => scalar_text(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Key, Mapping};

    /// A node from JSON text; JSON `null` is a written `null`.
    fn json(text: &str) -> Node {
        fn convert(value: &serde_json::Value) -> Node {
            match value {
                serde_json::Value::Null => Node::null(),
                serde_json::Value::Bool(b) => Node::new(Value::Bool(*b)),
                serde_json::Value::Number(n) => Node::new(Value::Int(n.as_i64().expect("int"))),
                serde_json::Value::String(s) => Node::string(s.as_str()),
                serde_json::Value::Array(items) => Node::seq(items.iter().map(convert).collect()),
                serde_json::Value::Object(map) => {
                    let mut mapping = Mapping::new();
                    for (k, v) in map {
                        mapping.insert(Key::new(k.as_str()), convert(v));
                    }
                    Node::new(Value::Map(mapping))
                }
            }
        }
        convert(&serde_json::from_str(text).expect("test JSON"))
    }

    /// A null written as nothing (`key:`), as the loader reads it.
    fn empty_null() -> Node {
        Node {
            plain: Some("".into()),
            ..Node::null()
        }
    }

    fn run(target: &str, patch: &str) -> Result<(MergeOutcome, Node)> {
        run_node(json(target), &json(patch), &Schema::kubernetes())
    }

    fn run_node(mut target: Node, patch: &Node, schema: &Schema) -> Result<(MergeOutcome, Node)> {
        let outcome = merge(&mut target, patch, schema)?;
        Ok((outcome, target))
    }

    fn merged(target: &str, patch: &str) -> Node {
        let (outcome, node) = run(target, patch).expect("merge");
        assert_eq!(outcome, MergeOutcome::Merged);
        node
    }

    fn assert_merged(target: &str, patch: &str, expected: &str) {
        let node = merged(target, patch);
        assert_eq!(node, json(expected), "\ngot: {node:?}");
        // The result keeps the key order kyaml gives (new keys appended).
        assert_eq!(key_order(&node), key_order(&json(expected)));
    }

    fn key_order(node: &Node) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(node: &Node, out: &mut Vec<String>) {
            match &node.value {
                Value::Map(m) => {
                    for (k, v) in m {
                        out.push(k.name.clone());
                        walk(v, out);
                    }
                }
                Value::Seq(s) => s.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        walk(node, &mut out);
        out
    }

    fn deployment(spec: &str) -> String {
        format!(
            r#"{{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "web"}},
                "spec": {{"template": {{"spec": {spec}}}}}}}"#
        )
    }

    fn containers(list: &str) -> String {
        deployment(&format!(r#"{{"containers": {list}}}"#))
    }

    /// Names of a list of mappings at spec.template.spec.<field>.
    fn pod_list(node: &Node, field: &str) -> Vec<Node> {
        node.get_path(&["spec", "template", "spec", field])
            .and_then(Node::as_seq)
            .cloned()
            .unwrap_or_default()
    }

    // Probe (kubectl kustomize): containers [a,b,c,d] + patch [c,new,b]
    // → [c,new,b,a,d]; c merged in place, b kept.
    #[test]
    fn associative_order_patch_first() {
        let target = containers(
            r#"[{"name": "a", "image": "a"}, {"name": "b", "image": "b"},
                {"name": "c", "image": "c"}, {"name": "d", "image": "d"}]"#,
        );
        let patch = containers(
            r#"[{"name": "c", "image": "c2"}, {"name": "new", "image": "n"}, {"name": "b"}]"#,
        );
        let expected = containers(
            r#"[{"name": "c", "image": "c2"}, {"name": "new", "image": "n"},
                {"name": "b", "image": "b"}, {"name": "a", "image": "a"}, {"name": "d", "image": "d"}]"#,
        );
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    // Probe: finalizers [a,b] + patch [z,a] → [z,a,b] (merge without key).
    #[test]
    fn scalar_set_union_patch_first() {
        let target = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web", "finalizers": ["a", "b"]}}"#;
        let patch = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web", "finalizers": ["z", "a"]}}"#;
        let expected = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web", "finalizers": ["z", "a", "b"]}}"#;
        assert_merged(target, patch, expected);
    }

    fn service(ports: &str) -> String {
        format!(
            r#"{{"apiVersion": "v1", "kind": "Service", "metadata": {{"name": "web"}}, "spec": {{"ports": {ports}}}}}"#
        )
    }

    // Corpus multiplepatch__TestPatchPortHasNoProtocol.
    #[test]
    fn port_without_protocol_matches_tcp_port() {
        let target = service(r#"[{"port": 30900, "targetPort": 30900, "protocol": "TCP"}]"#);
        let patch = service(r#"[{"port": 30900, "targetPort": 30900}]"#);
        assert_eq!(merged(&target, &patch), json(&target));
    }

    // Probe: the patch's port without protocol matches the TCP port through
    // the filled-in key values, but is then not found in the patch, so its
    // fields are lost; the new port 81 comes first.
    #[test]
    fn port_without_protocol_loses_its_fields() {
        let target = service(
            r#"[{"port": 30900, "targetPort": 30900, "protocol": "TCP"}, {"port": 80, "protocol": "UDP"}]"#,
        );
        let patch = service(
            r#"[{"port": 30900, "targetPort": 9999, "name": "x"}, {"port": 81, "name": "new"}]"#,
        );
        let expected = service(
            r#"[{"port": 81, "name": "new"}, {"port": 30900, "targetPort": 30900, "protocol": "TCP"},
                {"port": 80, "protocol": "UDP"}]"#,
        );
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    // Probe: ports [80/TCP a, 80/UDP b, 90 c] + [80/UDP b2, 90/TCP c2, 100 d]
    // → [100 d, 80/TCP a, 80/UDP b2, 90 c].
    #[test]
    fn multi_key_ports() {
        let target = service(
            r#"[{"port": 80, "protocol": "TCP", "name": "a"}, {"port": 80, "protocol": "UDP", "name": "b"},
                {"port": 90, "name": "c"}]"#,
        );
        let patch = service(
            r#"[{"port": 80, "protocol": "UDP", "name": "b2"}, {"port": 90, "protocol": "TCP", "name": "c2"},
                {"port": 100, "name": "d"}]"#,
        );
        let expected = service(
            r#"[{"port": 100, "name": "d"}, {"port": 80, "protocol": "TCP", "name": "a"},
                {"port": 80, "protocol": "UDP", "name": "b2"}, {"port": 90, "name": "c"}]"#,
        );
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    // Probe: a custom resource's list with name keys is replaced, while the
    // Deployment embedded in it merges its containers by name.
    #[test]
    fn unknown_kind_lists_replaced_embedded_objects_typed() {
        let target = r#"{"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "web"},
            "spec": {"items": [{"name": "a", "v": 1}, {"name": "b", "v": 2}],
                     "nested": {"apiVersion": "apps/v1", "kind": "Deployment",
                                "spec": {"template": {"spec": {"containers": [
                                    {"name": "a", "image": "a"}, {"name": "b", "image": "b"}]}}}}}}"#;
        let patch = r#"{"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "web"},
            "spec": {"items": [{"name": "b", "v": 3}],
                     "nested": {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "b2"}]}}}}}}"#;
        let expected = r#"{"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "web"},
            "spec": {"items": [{"name": "b", "v": 3}],
                     "nested": {"apiVersion": "apps/v1", "kind": "Deployment",
                                "spec": {"template": {"spec": {"containers": [
                                    {"name": "b", "image": "b2"}, {"name": "a", "image": "a"}]}}}}}}"#;
        assert_eq!(merged(target, patch), json(expected));
    }

    #[test]
    fn non_associative_lists_replaced() {
        let target =
            containers(r#"[{"name": "a", "args": ["x", "y"], "envFrom": [{"prefix": "p"}]}]"#);
        let patch = containers(r#"[{"name": "a", "args": ["z"], "envFrom": [{"prefix": "q"}]}]"#);
        assert_eq!(merged(&target, &patch), json(&patch));
    }

    fn yaml(text: &str) -> Node {
        crate::yaml::parse_documents(text, crate::source::FileId(0), &Default::default())
            .expect("test YAML")
            .remove(0)
    }

    // Probe: the target's `key:` nulls go, `null` and `~` stay; key values
    // compare by their text as written (0x50 is not 80).
    #[test]
    fn loaded_yaml_nulls_and_key_text() {
        let target = yaml(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n\
             spec:\n  a:\n  b: null\n  c: ~\n  ports:\n  - port: 0x50\n    name: hex\n",
        );
        let patch = yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    name: dec\n");
        let (_, node) = run_node(target, &patch, &Schema::kubernetes()).unwrap();
        let spec = node.get("spec").unwrap();
        let keys: Vec<&str> = spec
            .as_map()
            .unwrap()
            .keys()
            .map(|k| k.name.as_str())
            .collect();
        assert_eq!(keys, ["b", "c", "ports"]);
        assert!(node.get_path(&["metadata", "annotations"]).is_none());
        let names: Vec<&str> = spec
            .get("ports")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|p| p.str_at(&["name"]).unwrap())
            .collect();
        assert_eq!(names, ["dec", "hex"]);
    }

    #[test]
    fn maps_recurse_scalars_override_new_keys_appended() {
        assert_merged(
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "labels": {"b": "1"}},
                "data": {"k": "v", "z": "1"}}"#,
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"labels": {"c": "2", "a": "3", "b": "4"}},
                "data": {"k": "w"}}"#,
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "labels": {"b": "4", "a": "3", "c": "2"}},
                "data": {"k": "w", "z": "1"}}"#,
        );
    }

    #[test]
    fn null_deletes_and_new_nulls_dropped() {
        assert_merged(
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"k": "v", "m": "n"},
                "list": [1]}"#,
            r#"{"data": {"k": null, "absent": null}, "list": null, "new": {"a": null, "b": {"c": null}}}"#,
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"m": "n"},
                "new": {"b": {}}}"#,
        );
    }

    // Probe: a patch that does not touch them drops the target's empty
    // nulls (`key:`) but keeps `null` and `~`.
    #[test]
    fn untouched_target_nulls() {
        let mut target =
            json(r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}"#);
        let data = target.entry_map("data");
        data.set("empty", empty_null());
        data.set("written", Node::null());
        data.set(
            "tilde",
            Node {
                plain: Some("~".into()),
                ..Node::null()
            },
        );
        let patch = json(r#"{"metadata": {"labels": {"a": "b"}}}"#);
        let (_, node) = run_node(target, &patch, &Schema::kubernetes()).unwrap();
        let data = node.get("data").and_then(Node::as_map).unwrap();
        let names: Vec<&str> = data.keys().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["written", "tilde"]);
        assert_eq!(node.str_at(&["metadata", "labels", "a"]), Some("b"));
    }

    #[test]
    fn map_directives() {
        // Probe: labels {a: null, $patch: replace, c: "3"} → {c: "3"};
        // selector {$patch: delete} removed.
        let target = deployment(r#"{"x": 1}"#).replace(
            r#""metadata": {"name": "web"}"#,
            r#""metadata": {"name": "web", "labels": {"a": "1", "b": "2"}}"#,
        );
        let target = json(&target);
        let mut target = target;
        target
            .entry_map("spec")
            .set("selector", json(r#"{"matchLabels": {"app": "x"}}"#));
        let patch = json(
            r#"{"metadata": {"labels": {"a": null, "$patch": "replace", "c": "3"}},
                "spec": {"selector": {"$patch": "delete"}, "template": {"$patch": "merge", "spec": {"y": 2}}}}"#,
        );
        let (_, node) = run_node(target, &patch, &Schema::kubernetes()).unwrap();
        assert_eq!(
            node.get_path(&["metadata", "labels"]),
            Some(&json(r#"{"c": "3"}"#))
        );
        assert!(node.get_path(&["spec", "selector"]).is_none());
        assert_eq!(
            node.get_path(&["spec", "template"]),
            Some(&json(r#"{"spec": {"x": 1, "y": 2}}"#))
        );
    }

    #[test]
    fn unknown_directive_errors() {
        let err = run(
            &deployment("{}"),
            r#"{"spec": {"template": {"$patch": "foo"}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.message, "unknown patch strategy 'foo'");
        // Probe: also inside a subtree the target lacks (merged with itself).
        let err = run(
            &deployment("{}"),
            r#"{"spec": {"new": {"z": {"$patch": "foo", "k": "v"}}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.message, "unknown patch strategy 'foo'");
        let err = run(&containers("[]"), &containers(r#"[{"$patch": "nope"}]"#)).unwrap_err();
        assert_eq!(err.message, "unknown patch strategy 'nope'");
        let err = run(&deployment("{}"), r#"{"$patch": "nope"}"#).unwrap_err();
        assert_eq!(err.message, "unknown patch strategy 'nope'");
    }

    // Probe: a new subtree is merged with itself: `{$patch: delete}` inside
    // it removes its key, a non-associative list keeps directives verbatim.
    #[test]
    fn new_subtree_directives() {
        assert_merged(
            &deployment("{}"),
            r#"{"spec": {"template": {"spec": {"newthing": {"x": {"$patch": "delete"}, "y": null,
                "w": [{"$patch": "replace"}, 1]}}}}}"#,
            &deployment(r#"{"newthing": {"w": [{"$patch": "replace"}, 1]}}"#),
        );
    }

    #[test]
    fn apimachinery_directives_copied_verbatim() {
        let target = deployment(r#"{"containers": [{"name": "a", "image": "a"}]}"#);
        let patch = deployment(
            r#"{"$setElementOrder/containers": [{"name": "a"}],
                "containers": [{"name": "a", "$deleteFromPrimitiveList/args": ["x"]}],
                "$retainKeys": ["containers"]}"#,
        );
        let expected = deployment(
            r#"{"containers": [{"name": "a", "image": "a", "$deleteFromPrimitiveList/args": ["x"]}],
                "$retainKeys": ["containers"], "$setElementOrder/containers": [{"name": "a"}]}"#,
        );
        assert_merged(&target, &patch, &expected);
    }

    #[test]
    fn element_delete_and_list_replace() {
        // Probe: env E1 deleted; container b deleted; volumes replaced.
        let target = deployment(
            r#"{"containers": [{"name": "a", "image": "a", "env": [{"name": "E1", "value": "1"}, {"name": "E2", "value": "2"}]},
                               {"name": "b", "image": "b"}],
                "volumes": [{"name": "v1", "emptyDir": {}}, {"name": "v2", "configMap": {"name": "c"}}]}"#,
        );
        let patch = deployment(
            r#"{"containers": [{"name": "a", "env": [{"name": "E1", "$patch": "delete"}]},
                               {"name": "b", "$patch": "delete"}],
                "volumes": [{"$patch": "replace"}, {"name": "v3", "emptyDir": {}}]}"#,
        );
        let expected = deployment(
            r#"{"containers": [{"name": "a", "image": "a", "env": [{"name": "E2", "value": "2"}]}],
                "volumes": [{"name": "v3", "emptyDir": {}}]}"#,
        );
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    #[test]
    fn list_delete_directive_and_empty_result() {
        let target = containers(r#"[{"name": "a"}]"#);
        let node = merged(&target, &containers(r#"[{"$patch": "delete"}]"#));
        assert!(node
            .get_path(&["spec", "template", "spec", "containers"])
            .is_none());
        // Deleting every element leaves an empty list.
        let node = merged(
            &target,
            &containers(r#"[{"name": "a", "$patch": "delete"}]"#),
        );
        assert_eq!(pod_list(&node, "containers"), Vec::<Node>::new());
        assert!(node
            .get_path(&["spec", "template", "spec", "containers"])
            .is_some());
    }

    // Probe: in a list the target lacks, a lone {$patch: replace} removes
    // every named element and stays; with a target list it replaces it; a
    // keyed delete element just disappears.
    #[test]
    fn directives_in_new_lists() {
        let target = deployment(r#"{"initContainers": [{"name": "i"}]}"#);
        let patch = deployment(
            r#"{"containers": [{"$patch": "replace"}, {"name": "x", "image": "x"}],
                "initContainers": [{"$patch": "replace"}, {"name": "y", "image": "y"}],
                "volumes": [{"name": "v", "$patch": "delete"}, {"name": "w", "emptyDir": {}}]}"#,
        );
        let expected = deployment(
            r#"{"initContainers": [{"name": "y", "image": "y"}],
                "containers": [{"$patch": "replace"}],
                "volumes": [{"name": "w", "emptyDir": {}}]}"#,
        );
        assert_merged(&target, &patch, &expected);
    }

    // Probe: an element-level `$patch: replace` keeps the target's element;
    // duplicate keys collapse to the last element.
    #[test]
    fn element_replace_and_duplicates() {
        let target = containers(
            r#"[{"name": "a", "image": "a", "args": ["x"]}, {"name": "b", "image": "b"},
                {"name": "b", "image": "b-dup"}, {"name": "c", "image": "c"}]"#,
        );
        let patch = containers(r#"[{"name": "a", "image": "a2", "$patch": "replace"}]"#);
        let expected = containers(
            r#"[{"name": "a", "image": "a", "args": ["x"]}, {"name": "b", "image": "b-dup"},
                {"name": "c", "image": "c"}]"#,
        );
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    // Probe: a target element without the merge key (or `{}`) removes every
    // named element of the target list.
    #[test]
    fn keyless_target_element_quirk() {
        let target = containers(r#"[{"name": "a", "image": "x"}, {"image": "noname"}]"#);
        let patch = containers(r#"[{"name": "b", "image": "y"}]"#);
        assert_eq!(
            merged(&target, &patch),
            json(&containers(r#"[{"image": "noname"}]"#))
        );

        let target = containers(
            r#"[{"name": "a", "image": "a"}, {"name": "b", "image": "b"}, {}, {"name": "c"}]"#,
        );
        let patch = containers(r#"[{"name": "a", "image": "a2", "$patch": "replace"}]"#);
        let expected = containers(r#"[{"name": "a", "image": "a2"}, {"name": "b", "image": "b"}]"#);
        assert_eq!(merged(&target, &patch), json(&expected));
    }

    #[test]
    fn top_level_directives() {
        let target = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"x": "1"}}"#;
        let (outcome, node) = run(
            target,
            r#"{"metadata": {"name": "web"}, "$patch": "delete"}"#,
        )
        .unwrap();
        assert_eq!(outcome, MergeOutcome::Deleted);
        assert_eq!(node, json(target));
        // Probe: top-level replace leaves the object as it was.
        let (outcome, node) = run(target, r#"{"$patch": "replace", "data": {"y": "2"}}"#).unwrap();
        assert_eq!(outcome, MergeOutcome::Merged);
        assert_eq!(node, json(target));
    }

    #[test]
    fn kind_mismatch_errors() {
        let err = run(
            &containers("[]"),
            &containers(
                r#"{"x": 1, "y": ["a", {"b": "c", "d": ["e", ["f"]]}], "z": "quoted", "w": null}"#,
            ),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "wrong node kind: expected SequenceNode but got MappingNode: node contents:\n\
             x: 1\ny:\n- a\n- b: c\n  d:\n  - e\n  - - f\nz: quoted\nw: null\n"
        );
        let err = run(&deployment("{}"), r#"{"spec": {"template": [1]}}"#).unwrap_err();
        assert!(err
            .message
            .starts_with("wrong node kind: expected MappingNode but got SequenceNode"));
        // A scalar in a keyed list of the target.
        let err = run(
            &containers(r#"["x", {"name": "a"}]"#),
            &containers(r#"[{"name": "b"}]"#),
        )
        .unwrap_err();
        assert!(
            err.message
                .starts_with("wrong node kind: expected MappingNode but got ScalarNode"),
            "{}",
            err.message
        );
    }

    #[test]
    fn patch_wins_when_target_field_is_null() {
        let mut target = json(&deployment("{}"));
        target
            .get_path_mut(&["spec", "template", "spec"])
            .unwrap()
            .set("containers", Node::null());
        let node = run_node(
            target,
            &json(&containers(r#"[{"name": "a"}]"#)),
            &Schema::kubernetes(),
        )
        .unwrap()
        .1;
        assert_eq!(
            pod_list(&node, "containers"),
            vec![json(r#"{"name": "a"}"#)]
        );
    }

    #[test]
    fn custom_schema_makes_crd_lists_associative() {
        let custom = json(
            r##"{"definitions": {"foo": {
                "properties": {"spec": {"properties": {"items": {"type": "array",
                    "items": {"type": "object"},
                    "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name"}}}},
                "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Foo"}]}}}"##,
        );
        let schema = Schema::from_custom(&custom).unwrap();
        let target = json(
            r#"{"apiVersion": "example.com/v1", "kind": "Foo", "spec": {"items": [{"name": "a", "v": 1}, {"name": "b", "v": 2}]}}"#,
        );
        let patch = json(
            r#"{"apiVersion": "example.com/v1", "kind": "Foo", "spec": {"items": [{"name": "b", "v": 3}]}}"#,
        );
        let (_, node) = run_node(target, &patch, &schema).unwrap();
        assert_eq!(
            node.get_path(&["spec", "items"]),
            Some(&json(r#"[{"name": "b", "v": 3}, {"name": "a", "v": 1}]"#))
        );
        // Probe: with only the custom schema (root `openapi: {path}`), a
        // Deployment is of an unknown type and its containers are replaced.
        let target = containers(r#"[{"name": "a", "image": "a"}]"#);
        let patch = containers(r#"[{"name": "b", "image": "b"}]"#);
        let (_, node) = run_node(json(&target), &json(&patch), &schema).unwrap();
        assert_eq!(node, json(&patch));
    }

    #[test]
    fn key_values_compare_as_written_text() {
        // 8080 and "8080" share the text, so they match.
        let target = containers(
            r#"[{"name": "a", "ports": [{"containerPort": 8080, "protocol": "TCP", "name": "x"}]}]"#,
        );
        let patch = containers(
            r#"[{"name": "a", "ports": [{"containerPort": "8080", "protocol": "TCP", "name": "y"}]}]"#,
        );
        let node = merged(&target, &patch);
        let ports = pod_list(&node, "containers")[0]
            .get("ports")
            .cloned()
            .unwrap();
        assert_eq!(
            ports,
            json(r#"[{"containerPort": "8080", "protocol": "TCP", "name": "y"}]"#)
        );
    }

    #[test]
    fn partial_values_merge_as_go_range() {
        let mut list = vec![
            vec!["80".to_string(), String::new()],
            vec!["80".to_string(), "TCP".to_string()],
            vec!["90".to_string(), String::new()],
        ];
        merge_partial_values(&mut list);
        assert_eq!(list[0], ["80", "TCP"]);
        assert_eq!(list[1], ["80", "TCP"]);
        assert_eq!(list[2], ["90", ""]);
        assert_eq!(
            match_partial(&["".into(), "".into()], &["".into(), "x".into()]),
            Some(vec!["".into(), "x".into()])
        );
        assert_eq!(match_partial(&["a".into()], &["b".into()]), None);
    }

    #[test]
    fn too_deep_is_an_error_not_a_crash() {
        let mut deep = Node::string("x");
        for _ in 0..(MAX_DEPTH + 10) {
            let mut map = Mapping::new();
            map.insert(Key::new("a"), deep);
            deep = Node::new(Value::Map(map));
        }
        let err = run_node(deep.clone(), &deep, &Schema::kubernetes()).unwrap_err();
        assert!(err.message.contains("nesting deeper"));
    }
}
