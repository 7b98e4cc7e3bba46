//! The field tree of a serde model, read from the model itself, and the walk
//! that holds a manifest against it the way the API server does.
//!
//! One source of truth: the serde structs. [`schema_of`] runs a model's
//! derived `Deserialize` against a recording deserializer. serde hands every
//! struct's field names to `deserialize_struct`, and asking for each field's
//! value tells which type it has (`deserialize_str` is a string, `_seq` a
//! list, a [`Node`] asks for anything). A field is required when leaving it
//! out makes the derived code report it missing (no `#[serde(default)]`, not
//! an `Option`); that is probed once per field.
//!
//! `Walk` then does what a CRD's structural schema does to an object before
//! the controller sees it: unknown fields are pruned (we report them, with a
//! did-you-mean), `null` fields are dropped, values of the wrong type are
//! rejected, and required fields that are absent are reported. The pruned node
//! is what the typed model is read from, so the model holds what the cluster
//! would hold.

use super::suggest::did_you_mean;
use super::{ApiVersion, MissingField, ModelError, UnknownField};
use crate::yaml::resolve::yaml11_bool;
use crate::yaml::{Key, Mapping, Node, Value};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

/// The shape of a model value.
#[derive(Clone, Debug, PartialEq)]
pub enum Schema {
    /// A struct: its fields in declaration order.
    Struct(Vec<Field>),
    /// A list of items of one shape.
    Seq(Box<Schema>),
    /// A string-keyed map of values of one shape.
    Map(Box<Schema>),
    Scalar(ScalarType),
    /// Free-form (a [`Node`]): not walked, like `x-kubernetes-preserve-unknown-fields`.
    Any,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    pub schema: Schema,
}

/// OpenAPI's scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Boolean,
    Integer,
    Number,
}

impl ScalarType {
    /// The OpenAPI name, as the API server writes it in errors.
    pub fn name(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Boolean => "boolean",
            ScalarType::Integer => "integer",
            ScalarType::Number => "number",
        }
    }
}

impl Schema {
    /// The OpenAPI type name (`object` for structs and maps, `any` for free-form).
    pub fn type_name(&self) -> &'static str {
        match self {
            Schema::Struct(_) | Schema::Map(_) => "object",
            Schema::Seq(_) => "array",
            Schema::Scalar(t) => t.name(),
            Schema::Any => "any",
        }
    }

    /// The field called `name`, when this is a struct.
    pub fn field(&self, name: &str) -> Option<&Field> {
        match self {
            Schema::Struct(fields) => fields.iter().find(|f| f.name == name),
            _ => None,
        }
    }

    /// Every node of the tree as `(schema path, schema, required)`, depth
    /// first. Paths name fields with dots, list items as `[]` and map values
    /// as `.*` (`spec.dependsOn[].name`, `spec.postBuild.substitute.*`).
    pub fn paths(&self) -> Vec<(String, &Schema, bool)> {
        fn go<'s>(s: &'s Schema, path: &str, out: &mut Vec<(String, &'s Schema, bool)>) {
            match s {
                Schema::Struct(fields) => {
                    for f in fields {
                        let p = join_field(path, f.name);
                        out.push((p.clone(), &f.schema, f.required));
                        go(&f.schema, &p, out);
                    }
                }
                Schema::Seq(item) => {
                    let p = format!("{path}[]");
                    out.push((p.clone(), item, false));
                    go(item, &p, out);
                }
                Schema::Map(value) => {
                    let p = join_field(path, "*");
                    out.push((p.clone(), value, false));
                    go(value, &p, out);
                }
                Schema::Scalar(_) | Schema::Any => {}
            }
        }
        let mut out = Vec::new();
        go(self, "", &mut out);
        out
    }
}

fn join_field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The schema of model `T`, built on first use and kept for the process.
pub fn schema_of<T: DeserializeOwned + 'static>() -> &'static Schema {
    static CACHE: OnceLock<Mutex<HashMap<TypeId, &'static Schema>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let id = TypeId::of::<T>();
    if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
        return s;
    }
    // Built outside the lock: a model may not nest itself, but building is
    // not cheap and other threads need not wait on it.
    let schema: &'static Schema = Box::leak(Box::new(record::<T>()));
    let mut built = cache.lock().unwrap_or_else(|e| e.into_inner());
    let kept: &&'static Schema = built.entry(id).or_insert(schema);
    kept
}

/// Records `T`'s tree, then probes each struct field for requiredness.
fn record<T: DeserializeOwned>() -> Schema {
    let out = RefCell::new(None);
    let result = T::deserialize(Recorder {
        out: &out,
        path: Vec::new(),
        skip: None,
    });
    // The recorder offers every field a value of the type it asks for, so a
    // failure here is a model the recorder cannot describe: a bug, not input.
    if let Err(e) = result {
        panic!(
            "schema of {}: the model cannot be recorded: {e}",
            std::any::type_name::<T>()
        );
    }
    let mut schema = out.into_inner().unwrap_or(Schema::Any);
    mark_required(&mut schema, &mut Vec::new(), &|skip| {
        let out = RefCell::new(None);
        match T::deserialize(Recorder {
            out: &out,
            path: Vec::new(),
            skip: Some(skip),
        }) {
            Err(RecError {
                missing: Some(name),
                ..
            }) => skip.last() == Some(&name),
            _ => false,
        }
    });
    schema
}

/// Sets `required` on each struct field whose omission `probe` reports as missing.
fn mark_required(
    schema: &mut Schema,
    path: &mut Vec<&'static str>,
    probe: &dyn Fn(&[&'static str]) -> bool,
) {
    match schema {
        Schema::Struct(fields) => {
            for f in fields {
                path.push(f.name);
                f.required = probe(path);
                mark_required(&mut f.schema, path, probe);
                path.pop();
            }
        }
        Schema::Seq(item) => {
            path.push("[]");
            mark_required(item, path, probe);
            path.pop();
        }
        Schema::Map(value) => {
            path.push("*");
            mark_required(value, path, probe);
            path.pop();
        }
        Schema::Scalar(_) | Schema::Any => {}
    }
}

/// The recorder's error: serde's own "missing field" is what the
/// requiredness probe looks for.
#[derive(Debug)]
struct RecError {
    message: String,
    missing: Option<&'static str>,
}

impl fmt::Display for RecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecError {}

impl de::Error for RecError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RecError {
            message: msg.to_string(),
            missing: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        RecError {
            message: format!("missing field {field}"),
            missing: Some(field),
        }
    }
}

/// A deserializer that writes the shape asked of it into `out` and answers
/// with a zero value. With `skip`, the struct field at that path is left out.
struct Recorder<'a> {
    out: &'a RefCell<Option<Schema>>,
    path: Vec<&'static str>,
    skip: Option<&'a [&'static str]>,
}

impl<'a> Recorder<'a> {
    fn set(&self, schema: Schema) {
        *self.out.borrow_mut() = Some(schema);
    }

    fn child(&self, out: &'a RefCell<Option<Schema>>, segment: &'static str) -> Recorder<'a> {
        let mut path = self.path.clone();
        path.push(segment);
        Recorder {
            out,
            path,
            skip: self.skip,
        }
    }
}

macro_rules! record_scalar {
    ($($method:ident => $ty:ident, $visit:ident($zero:expr);)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
            self.set(Schema::Scalar(ScalarType::$ty));
            visitor.$visit($zero)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Recorder<'_> {
    type Error = RecError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        self.set(Schema::Any);
        visitor.visit_unit()
    }

    record_scalar! {
        deserialize_bool => Boolean, visit_bool(false);
        deserialize_i8 => Integer, visit_i64(0);
        deserialize_i16 => Integer, visit_i64(0);
        deserialize_i32 => Integer, visit_i64(0);
        deserialize_i64 => Integer, visit_i64(0);
        deserialize_u8 => Integer, visit_u64(0);
        deserialize_u16 => Integer, visit_u64(0);
        deserialize_u32 => Integer, visit_u64(0);
        deserialize_u64 => Integer, visit_u64(0);
        deserialize_f32 => Number, visit_f64(0.0);
        deserialize_f64 => Number, visit_f64(0.0);
        deserialize_char => String, visit_str("");
        deserialize_str => String, visit_str("");
        deserialize_string => String, visit_str("");
        deserialize_bytes => String, visit_str("");
        deserialize_byte_buf => String, visit_str("");
        deserialize_identifier => String, visit_str("");
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RecError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RecError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        let item = RefCell::new(None);
        let value = visitor.visit_seq(OneItem {
            rec: Some(self.child(&item, "[]")),
        })?;
        self.set(Schema::Seq(Box::new(
            item.into_inner().unwrap_or(Schema::Any),
        )));
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, RecError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, RecError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        let slot = RefCell::new(None);
        let value = visitor.visit_map(OneEntry {
            rec: Some(self.child(&slot, "*")),
        })?;
        self.set(Schema::Map(Box::new(
            slot.into_inner().unwrap_or(Schema::Any),
        )));
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RecError> {
        let slots: Vec<RefCell<Option<Schema>>> =
            fields.iter().map(|_| RefCell::new(None)).collect();
        let skip_field = match self.skip {
            Some(skip) if skip.len() == self.path.len() + 1 && skip.starts_with(&self.path) => {
                skip.last().copied()
            }
            _ => None,
        };
        let value = visitor.visit_map(Fields {
            rec: &self,
            fields,
            slots: &slots,
            next: 0,
            skip_field,
        })?;
        let recorded = fields
            .iter()
            .zip(slots)
            .map(|(name, slot)| Field {
                name,
                required: false,
                schema: slot.into_inner().unwrap_or(Schema::Any),
            })
            .collect();
        self.set(Schema::Struct(recorded));
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RecError> {
        self.set(Schema::Scalar(ScalarType::String));
        let first = variants
            .first()
            .ok_or_else(|| de::Error::custom("an enum without variants"))?;
        visitor.visit_enum(IntoDeserializer::<RecError>::into_deserializer(*first))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        self.set(Schema::Scalar(ScalarType::Integer));
        visitor.visit_i64(0)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RecError> {
        self.set(Schema::Scalar(ScalarType::Integer));
        visitor.visit_u64(0)
    }
}

/// A list with one item, recorded.
struct OneItem<'a> {
    rec: Option<Recorder<'a>>,
}

impl<'de> de::SeqAccess<'de> for OneItem<'_> {
    type Error = RecError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, RecError> {
        match self.rec.take() {
            Some(rec) => seed.deserialize(rec).map(Some),
            None => Ok(None),
        }
    }
}

/// A map with one entry, its value recorded.
struct OneEntry<'a> {
    rec: Option<Recorder<'a>>,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = RecError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RecError> {
        if self.rec.is_none() {
            return Ok(None);
        }
        seed.deserialize(IntoDeserializer::<RecError>::into_deserializer("key"))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RecError> {
        match self.rec.take() {
            Some(rec) => seed.deserialize(rec),
            None => Err(de::Error::custom("a value without a key")),
        }
    }
}

/// A struct's fields, each offered once, each value recorded in its slot.
struct Fields<'r, 'a> {
    rec: &'r Recorder<'a>,
    fields: &'static [&'static str],
    slots: &'r [RefCell<Option<Schema>>],
    next: usize,
    skip_field: Option<&'static str>,
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = RecError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RecError> {
        while let Some(name) = self.fields.get(self.next) {
            if Some(*name) == self.skip_field {
                self.next += 1;
                continue;
            }
            return seed
                .deserialize(IntoDeserializer::<RecError>::into_deserializer(*name))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RecError> {
        let i = self.next;
        self.next += 1;
        let (Some(name), Some(slot)) = (self.fields.get(i), self.slots.get(i)) else {
            return Err(de::Error::custom("a value without a key"));
        };
        seed.deserialize(Recorder {
            out: slot,
            path: {
                let mut p = self.rec.path.clone();
                p.push(name);
                p
            },
            skip: self.rec.skip,
        })
    }
}

/// One segment of a concrete path into an object.
#[derive(Clone, Debug)]
enum Segment {
    Field(String),
    Index(usize),
}

/// Holds one object against its model's schema for one API version (see
/// the module documentation), collecting what the API server would warn about.
pub(crate) struct Walk<'v> {
    version: &'v ApiVersion,
    versions: &'v [ApiVersion],
    path: Vec<Segment>,
    /// The schema path of `path` (`[]` for items, `*` for map values).
    schema_path: Vec<&'static str>,
    pub unknown_fields: Vec<UnknownField>,
    pub missing_fields: Vec<MissingField>,
}

impl<'v> Walk<'v> {
    pub fn new(version: &'v ApiVersion, versions: &'v [ApiVersion]) -> Walk<'v> {
        Walk {
            version,
            versions,
            path: Vec::new(),
            schema_path: Vec::new(),
            unknown_fields: Vec::new(),
            missing_fields: Vec::new(),
        }
    }

    /// Prunes, checks and completes `node` in place.
    pub fn run(&mut self, node: &mut Node, schema: &'static Schema) -> Result<(), ModelError> {
        self.check(node, schema)
    }

    fn concrete_path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Segment::Field(name) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(name);
                }
                Segment::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
            }
        }
        s
    }

    fn schema_path_with(&self, name: &str) -> String {
        let mut s = String::new();
        for seg in self.schema_path.iter().copied().chain([name]) {
            if seg == "[]" {
                s.push_str(seg);
            } else {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(seg);
            }
        }
        s
    }

    fn path_with(&self, name: &str) -> String {
        let p = self.concrete_path();
        join_field(&p, name)
    }

    fn check(&mut self, node: &mut Node, schema: &'static Schema) -> Result<(), ModelError> {
        match schema {
            Schema::Any => Ok(()),
            Schema::Scalar(t) => {
                if scalar_fits(node, *t) {
                    Ok(())
                } else {
                    Err(self.type_error(node, schema))
                }
            }
            Schema::Seq(item) => {
                let Value::Seq(items) = &mut node.value else {
                    return Err(self.type_error(node, schema));
                };
                for (i, child) in items.iter_mut().enumerate() {
                    self.path.push(Segment::Index(i));
                    self.schema_path.push("[]");
                    let r = self.check_item(child, item);
                    self.path.pop();
                    self.schema_path.pop();
                    r?;
                }
                Ok(())
            }
            Schema::Map(value) => {
                let Value::Map(map) = &mut node.value else {
                    return Err(self.type_error(node, schema));
                };
                for (key, child) in map.iter_mut() {
                    self.path.push(Segment::Field(key.name.clone()));
                    self.schema_path.push("*");
                    let r = self.check_item(child, value);
                    self.path.pop();
                    self.schema_path.pop();
                    r?;
                }
                Ok(())
            }
            Schema::Struct(fields) => {
                let span = node.span;
                let Value::Map(map) = &mut node.value else {
                    return Err(self.type_error(node, schema));
                };
                self.check_struct(map, span, fields)
            }
        }
    }

    /// A list item or map value: `null` is a zero scalar, and a type error
    /// where an object or a list is expected.
    fn check_item(&mut self, node: &mut Node, schema: &'static Schema) -> Result<(), ModelError> {
        match (&node.value, schema) {
            (Value::Null, Schema::Scalar(_) | Schema::Any) => Ok(()),
            (Value::Null, _) => Err(self.type_error(node, schema)),
            _ => self.check(node, schema),
        }
    }

    fn check_struct(
        &mut self,
        map: &mut Mapping,
        span: crate::source::Span,
        fields: &'static [Field],
    ) -> Result<(), ModelError> {
        let keys: Vec<Key> = map.keys().cloned().collect();
        for key in keys {
            let spath = self.schema_path_with(&key.name);
            let field = fields
                .iter()
                .find(|f| f.name == key.name && !self.version.absent.contains(&spath.as_str()));
            let Some(field) = field else {
                map.shift_remove(key.name.as_str());
                self.unknown(&key, fields);
                continue;
            };
            let Some(child) = map.get_mut(key.name.as_str()) else {
                continue;
            };
            if child.is_null() {
                // A CRD drops a null field before validation: it is absent.
                map.shift_remove(key.name.as_str());
                continue;
            }
            self.path.push(Segment::Field(field.name.to_string()));
            self.schema_path.push(field.name);
            let r = self.check(child, &field.schema);
            self.path.pop();
            self.schema_path.pop();
            r?;
        }
        for field in fields {
            if map.contains_key(field.name) {
                continue;
            }
            let spath = self.schema_path_with(field.name);
            let spath = spath.as_str();
            if self.version.absent.contains(&spath) {
                continue;
            }
            let required = (field.required && !self.version.optional.contains(&spath))
                || self.version.required.contains(&spath);
            if required {
                self.missing_fields.push(MissingField {
                    path: self.path_with(field.name),
                    span,
                });
            }
            if field.required {
                // The model needs a value to be read at all; the API server
                // would have refused the object, which we reported.
                map.insert(Key::new(field.name), zero(&field.schema));
            }
        }
        Ok(())
    }

    fn unknown(&mut self, key: &Key, fields: &'static [Field]) {
        let known: Vec<&str> = fields
            .iter()
            .map(|f| f.name)
            .filter(|name| {
                let spath = self.schema_path_with(name);
                !self.version.absent.contains(&spath.as_str())
            })
            .collect();
        let spath = self.schema_path_with(&key.name);
        let in_versions = if fields.iter().any(|f| f.name == key.name) {
            self.versions
                .iter()
                .filter(|v| !v.absent.contains(&spath.as_str()))
                .map(|v| v.api_version)
                .collect()
        } else {
            Vec::new()
        };
        self.unknown_fields.push(UnknownField {
            path: self.path_with(&key.name),
            span: key.span,
            suggestion: did_you_mean(&key.name, known.iter().copied()).map(str::to_string),
            in_versions,
        });
    }

    /// The API server's wording for a value of the wrong type.
    fn type_error(&self, node: &Node, want: &Schema) -> ModelError {
        let path = self.concrete_path();
        let path = if path.is_empty() { "<root>" } else { &path };
        ModelError {
            message: format!(
                "{path} in body must be of type {}: \"{}\"",
                want.type_name(),
                value_type(node)
            ),
            span: node.span,
        }
    }
}

/// The OpenAPI type of a YAML value, read as go-yaml v2 reads it (plain
/// `yes`/`on` are booleans; Kubernetes reads manifests that way).
fn value_type(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::UInt(_) => "integer",
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => "integer",
        Value::Float(_) => "number",
        Value::Str(_) if plain_bool(node).is_some() => "boolean",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

fn plain_bool(node: &Node) -> Option<bool> {
    match (&node.value, node.plain.as_deref()) {
        (Value::Str(_), Some(text)) => yaml11_bool(text),
        _ => None,
    }
}

fn scalar_fits(node: &Node, want: ScalarType) -> bool {
    match (want, value_type(node)) {
        (ScalarType::String, t) => t == "string",
        (ScalarType::Boolean, t) => t == "boolean",
        (ScalarType::Integer, t) => t == "integer",
        (ScalarType::Number, t) => t == "integer" || t == "number",
    }
}

/// The zero value of a shape, with the required fields of a struct filled in.
fn zero(schema: &Schema) -> Node {
    match schema {
        Schema::Struct(fields) => {
            let mut map = Mapping::new();
            for f in fields.iter().filter(|f| f.required) {
                map.insert(Key::new(f.name), zero(&f.schema));
            }
            Node::new(Value::Map(map))
        }
        Schema::Seq(_) => Node::seq(Vec::new()),
        Schema::Map(_) => Node::map(),
        Schema::Scalar(ScalarType::String) => Node::string(""),
        Schema::Scalar(ScalarType::Boolean) => Node::new(Value::Bool(false)),
        Schema::Scalar(ScalarType::Integer) => Node::new(Value::Int(0)),
        Schema::Scalar(ScalarType::Number) => Node::new(Value::Float(0.0)),
        Schema::Any => Node::null(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        count: u32,
        ratio: Option<f64>,
        #[serde(default)]
        flags: Vec<bool>,
        #[serde(default)]
        labels: IndexMap<String, String>,
        inner: Option<Inner>,
        must: Inner,
        free: Option<Node>,
        #[serde(rename = "type")]
        kind: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Inner {
        id: i64,
        #[serde(default)]
        tags: Vec<Tag>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Tag {
        key: String,
    }

    #[test]
    fn records_names_types_and_requiredness_from_serde() {
        let lines: Vec<String> = schema_of::<Outer>()
            .paths()
            .into_iter()
            .map(|(p, s, r)| format!("{p} {}{}", s.type_name(), if r { "!" } else { "" }))
            .collect();
        assert_eq!(
            lines,
            [
                "name string!",
                "count integer",
                "ratio number",
                "flags array",
                "flags[] boolean",
                "labels object",
                "labels.* string",
                "inner object",
                "inner.id integer!",
                "inner.tags array",
                "inner.tags[] object",
                "inner.tags[].key string!",
                "must object!",
                "must.id integer!",
                "must.tags array",
                "must.tags[] object",
                "must.tags[].key string!",
                "free any",
                "type string",
            ]
        );
        // Built once.
        assert!(std::ptr::eq(schema_of::<Outer>(), schema_of::<Outer>()));
    }

    #[test]
    fn zero_values_fill_required_fields_only() {
        let must = schema_of::<Outer>().field("must").unwrap();
        let z = zero(&must.schema);
        assert_eq!(z.get("id").map(|n| n.value.clone()), Some(Value::Int(0)));
        assert!(z.get("tags").is_none());
    }

    #[test]
    fn value_types_as_go_yaml_v2_reads_them() {
        use crate::source::FileId;
        use crate::yaml::{parse_documents, LoadOptions};
        let doc = parse_documents(
            "[a, 'yes', yes, On, 3, 3.0, 3.5, ~, [], {}, 2001-12-14]\n",
            FileId(0),
            &LoadOptions::default(),
        )
        .unwrap()
        .remove(0);
        let types: Vec<&str> = doc.as_seq().unwrap().iter().map(value_type).collect();
        assert_eq!(
            types,
            [
                "string", "string", "boolean", "boolean", "integer", "integer", "number", "null",
                "array", "object", "string"
            ]
        );
    }
}
