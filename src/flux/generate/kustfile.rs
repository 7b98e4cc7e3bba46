//! The kustomization file as Flux reads and rewrites it: sigs.k8s.io/yaml
//! `Unmarshal` into kustomize's `types.Kustomization` (api v0.21.1), and
//! `Marshal` back.
//!
//! This round trip is not kustomize's own reading, and what Flux builds
//! depends on the difference:
//!
//! - **Unknown fields are dropped** (at every level), where kustomize
//!   rejects them. A typo in a kustomization file builds under Flux.
//! - **Scalars are coerced to strings** where the Go field is a string
//!   (`newTag: 1.10` becomes `"1.1"`, formatted as a 32-bit float;
//!   `namePrefix: yes` becomes `"true"`, YAML 1.1 being go-yaml v2's
//!   reading), where kustomize fails with "cannot unmarshal number". The
//!   coercion follows sigs.k8s.io/yaml's quirk: it looks up only the first
//!   level of a promoted field, so fields promoted from embedded structs
//!   (a selector's `kind`, a generator's `literals`, the file's own `kind`
//!   and `apiVersion`) are not coerced and still fail to decode.
//! - **Field names** match exactly, else ignoring ASCII case, and are
//!   written back in their canonical spelling; keys are applied in byte
//!   order, the last one for a field winning.
//! - **Empty values vanish** (`omitempty`), and fields without `omitempty`
//!   appear even when absent (`count: 0` of a replica, `select: null` of a
//!   replacement target, `fieldref: {}` of a var).
//! - Free-form values (helm chart values) go through JSON: numbers become
//!   float64 and back (`3.0` is `3`), YAML 1.1 booleans become booleans and
//!   timestamp-like scalars stay the text they were.
//!
//! Errors read as sigs.k8s.io/yaml words them: `error converting YAML to
//! JSON: …` for what JSON cannot hold, `error unmarshaling JSON: while
//! decoding JSON: json: cannot unmarshal …` for a type that does not fit.

use crate::kustomize::error::{Error, ErrorKind};
use crate::source::Span;
use crate::yaml::resolve::{resolve_plain, yaml11_bool};
use crate::yaml::{Key, Mapping, Node, Value};
use std::collections::BTreeMap;

/// The apiVersion and kind Flux starts from before reading the file.
pub const KUSTOMIZATION_API_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
pub const KUSTOMIZATION_KIND: &str = "Kustomization";

/// A Go type of the kustomization model, as far as decoding cares.
#[derive(Clone, Copy)]
enum Ty {
    /// A string, or a named string type (its Go name, for messages).
    Str(&'static str),
    Bool,
    /// A signed integer type (its Go name).
    Int(&'static str),
    List(&'static Ty),
    /// `map[string]T`.
    Map(&'static Ty),
    /// A pointer: `null` makes it nil, anything else a value (even empty).
    Ptr(&'static Ty),
    Struct(&'static StructTy),
    /// `interface{}`.
    Any,
}

struct StructTy {
    /// The Go type name without its package, as encoding/json names it in
    /// errors.
    name: &'static str,
    fields: &'static [Field],
}

#[derive(Clone, Copy)]
struct Field {
    /// The JSON name.
    name: &'static str,
    ty: Ty,
    omitempty: bool,
    /// Promoted from an embedded struct: sigs.k8s.io/yaml does not coerce
    /// scalars to strings below it (see the module documentation).
    promoted: bool,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        omitempty: true,
        promoted: false,
    }
}

/// A field promoted from an embedded struct.
const fn p(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        omitempty: true,
        promoted: true,
    }
}

/// A field without `omitempty`.
const fn always(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        omitempty: false,
        promoted: false,
    }
}

const STR: Ty = Ty::Str("string");
const BOOL: Ty = Ty::Bool;
const STRS: Ty = Ty::List(&STR);
const STR_MAP: Ty = Ty::Map(&STR);
const ANY_MAP: Ty = Ty::Map(&Ty::Any);

const GVK_FIELDS_PROMOTED: [Field; 3] = [p("group", STR), p("version", STR), p("kind", STR)];

const OBJECT_META: StructTy = StructTy {
    name: "ObjectMeta",
    fields: &[
        f("name", STR),
        f("namespace", STR),
        f("labels", STR_MAP),
        f("annotations", STR_MAP),
    ],
};

const FIELD_SPEC: StructTy = StructTy {
    name: "FieldSpec",
    fields: &[
        GVK_FIELDS_PROMOTED[0],
        GVK_FIELDS_PROMOTED[1],
        GVK_FIELDS_PROMOTED[2],
        f("path", STR),
        f("create", BOOL),
    ],
};

const LABEL: StructTy = StructTy {
    name: "Label",
    fields: &[
        f("pairs", STR_MAP),
        f("includeSelectors", BOOL),
        f("includeTemplates", BOOL),
        f("fields", Ty::List(&Ty::Struct(&FIELD_SPEC))),
    ],
};

const SELECTOR: StructTy = StructTy {
    name: "Selector",
    fields: &[
        GVK_FIELDS_PROMOTED[0],
        GVK_FIELDS_PROMOTED[1],
        GVK_FIELDS_PROMOTED[2],
        p("name", STR),
        p("namespace", STR),
        f("annotationSelector", STR),
        f("labelSelector", STR),
    ],
};

const PATCH_ARGS: StructTy = StructTy {
    name: "PatchArgs",
    fields: &[f("allowNameChange", BOOL), f("allowKindChange", BOOL)],
};

const PATCH: StructTy = StructTy {
    name: "Patch",
    fields: &[
        f("path", STR),
        f("patch", STR),
        f("target", Ty::Ptr(&Ty::Struct(&SELECTOR))),
        f("options", Ty::Ptr(&Ty::Struct(&PATCH_ARGS))),
    ],
};

const IMAGE: StructTy = StructTy {
    name: "Image",
    fields: &[
        f("name", STR),
        f("newName", STR),
        f("tagSuffix", STR),
        f("newTag", STR),
        f("digest", STR),
    ],
};

const FIELD_OPTIONS: StructTy = StructTy {
    name: "FieldOptions",
    fields: &[
        f("delimiter", STR),
        f("index", Ty::Int("int")),
        f("encoding", STR),
        f("create", BOOL),
    ],
};

const SOURCE_SELECTOR: StructTy = StructTy {
    name: "SourceSelector",
    fields: &[
        GVK_FIELDS_PROMOTED[0],
        GVK_FIELDS_PROMOTED[1],
        GVK_FIELDS_PROMOTED[2],
        p("name", STR),
        p("namespace", STR),
        f("fieldPath", STR),
        f("options", Ty::Ptr(&Ty::Struct(&FIELD_OPTIONS))),
    ],
};

const TARGET_SELECTOR: StructTy = StructTy {
    name: "TargetSelector",
    fields: &[
        always("select", Ty::Ptr(&Ty::Struct(&SELECTOR))),
        f("reject", Ty::List(&Ty::Ptr(&Ty::Struct(&SELECTOR)))),
        f("fieldPaths", STRS),
        f("options", Ty::Ptr(&Ty::Struct(&FIELD_OPTIONS))),
    ],
};

const REPLACEMENT_FIELD: StructTy = StructTy {
    name: "ReplacementField",
    fields: &[
        p("source", Ty::Ptr(&Ty::Struct(&SOURCE_SELECTOR))),
        p("targets", Ty::List(&Ty::Ptr(&Ty::Struct(&TARGET_SELECTOR)))),
        p("sourceValue", Ty::Ptr(&STR)),
        f("path", STR),
    ],
};

const REPLICA: StructTy = StructTy {
    name: "Replica",
    fields: &[f("name", STR), always("count", Ty::Int("int64"))],
};

const VAR_TARGET: StructTy = StructTy {
    name: "Target",
    fields: &[
        f("apiVersion", STR),
        GVK_FIELDS_PROMOTED[0],
        GVK_FIELDS_PROMOTED[1],
        GVK_FIELDS_PROMOTED[2],
        always("name", STR),
        f("namespace", STR),
    ],
};

const FIELD_SELECTOR: StructTy = StructTy {
    name: "FieldSelector",
    fields: &[f("fieldPath", STR)],
};

const VAR: StructTy = StructTy {
    name: "Var",
    fields: &[
        always("name", STR),
        always("objref", Ty::Struct(&VAR_TARGET)),
        // `omitempty` on a struct never omits it.
        f("fieldref", Ty::Struct(&FIELD_SELECTOR)),
    ],
};

const LEGACY_SORT_OPTIONS: StructTy = StructTy {
    name: "LegacySortOptions",
    fields: &[always("orderFirst", STRS), always("orderLast", STRS)],
};

const SORT_OPTIONS: StructTy = StructTy {
    name: "SortOptions",
    fields: &[
        f("order", Ty::Str("types.SortOrder")),
        f(
            "legacySortOptions",
            Ty::Ptr(&Ty::Struct(&LEGACY_SORT_OPTIONS)),
        ),
    ],
};

const GENERATOR_OPTIONS: StructTy = StructTy {
    name: "GeneratorOptions",
    fields: &[
        f("labels", STR_MAP),
        f("annotations", STR_MAP),
        f("disableNameSuffixHash", BOOL),
        f("immutable", BOOL),
    ],
};

/// `GeneratorArgs` (with its embedded `KvPairSources`), all promoted into
/// `ConfigMapArgs` and `SecretArgs`.
const GENERATOR_ARGS_PROMOTED: [Field; 8] = [
    p("namespace", STR),
    p("name", STR),
    p("behavior", STR),
    p("literals", STRS),
    p("files", STRS),
    p("envs", STRS),
    p("env", STR),
    p("options", Ty::Ptr(&Ty::Struct(&GENERATOR_OPTIONS))),
];

const CONFIG_MAP_ARGS: StructTy = StructTy {
    name: "ConfigMapArgs",
    fields: &GENERATOR_ARGS_PROMOTED,
};

const SECRET_ARGS: StructTy = StructTy {
    name: "SecretArgs",
    fields: &[
        GENERATOR_ARGS_PROMOTED[0],
        GENERATOR_ARGS_PROMOTED[1],
        GENERATOR_ARGS_PROMOTED[2],
        GENERATOR_ARGS_PROMOTED[3],
        GENERATOR_ARGS_PROMOTED[4],
        GENERATOR_ARGS_PROMOTED[5],
        GENERATOR_ARGS_PROMOTED[6],
        GENERATOR_ARGS_PROMOTED[7],
        f("type", STR),
    ],
};

const HELM_GLOBALS: StructTy = StructTy {
    name: "HelmGlobals",
    fields: &[f("chartHome", STR), f("configHome", STR)],
};

const HELM_CHART: StructTy = StructTy {
    name: "HelmChart",
    fields: &[
        f("name", STR),
        f("version", STR),
        f("repo", STR),
        f("releaseName", STR),
        f("namespace", STR),
        f("additionalValuesFiles", STRS),
        f("valuesFile", STR),
        f("valuesInline", ANY_MAP),
        f("valuesMerge", STR),
        f("includeCRDs", BOOL),
        f("skipHooks", BOOL),
        f("apiVersions", STRS),
        f("kubeVersion", STR),
        f("nameTemplate", STR),
        f("skipTests", BOOL),
        f("debug", BOOL),
        f("devel", BOOL),
    ],
};

const HELM_CHART_ARGS: StructTy = StructTy {
    name: "HelmChartArgs",
    fields: &[
        f("chartName", STR),
        f("chartVersion", STR),
        f("chartRepoUrl", STR),
        f("chartHome", STR),
        f("chartRepoName", STR),
        f("helmBin", STR),
        f("helmHome", STR),
        f("values", STR),
        f("valuesLocal", ANY_MAP),
        f("valuesMerge", STR),
        f("releaseName", STR),
        f("releaseNamespace", STR),
        f("extraArgs", STRS),
    ],
};

/// kustomize api v0.21.1 `types.Kustomization`.
const KUSTOMIZATION: StructTy = StructTy {
    name: "Kustomization",
    fields: &[
        p("kind", STR),
        p("apiVersion", STR),
        f("metadata", Ty::Ptr(&Ty::Struct(&OBJECT_META))),
        f("openapi", STR_MAP),
        f("namePrefix", STR),
        f("nameSuffix", STR),
        f("namespace", STR),
        f("commonLabels", STR_MAP),
        f("labels", Ty::List(&Ty::Struct(&LABEL))),
        f("commonAnnotations", STR_MAP),
        f(
            "patchesStrategicMerge",
            Ty::List(&Ty::Str("types.PatchStrategicMerge")),
        ),
        f("patchesJson6902", Ty::List(&Ty::Struct(&PATCH))),
        f("patches", Ty::List(&Ty::Struct(&PATCH))),
        f("images", Ty::List(&Ty::Struct(&IMAGE))),
        f("imageTags", Ty::List(&Ty::Struct(&IMAGE))),
        f("replacements", Ty::List(&Ty::Struct(&REPLACEMENT_FIELD))),
        f("replicas", Ty::List(&Ty::Struct(&REPLICA))),
        f("vars", Ty::List(&Ty::Struct(&VAR))),
        f("sortOptions", Ty::Ptr(&Ty::Struct(&SORT_OPTIONS))),
        f("resources", STRS),
        f("components", STRS),
        f("crds", STRS),
        f("bases", STRS),
        f(
            "configMapGenerator",
            Ty::List(&Ty::Struct(&CONFIG_MAP_ARGS)),
        ),
        f("secretGenerator", Ty::List(&Ty::Struct(&SECRET_ARGS))),
        f("helmGlobals", Ty::Ptr(&Ty::Struct(&HELM_GLOBALS))),
        f("helmCharts", Ty::List(&Ty::Struct(&HELM_CHART))),
        f(
            "helmChartInflationGenerator",
            Ty::List(&Ty::Struct(&HELM_CHART_ARGS)),
        ),
        f("generatorOptions", Ty::Ptr(&Ty::Struct(&GENERATOR_OPTIONS))),
        f("configurations", STRS),
        f("generators", STRS),
        f("transformers", STRS),
        f("validators", STRS),
        f("buildMetadata", STRS),
    ],
};

impl Ty {
    /// The Go type's name as encoding/json prints it.
    fn go_name(&self) -> String {
        match self {
            Ty::Str(name) | Ty::Int(name) => name.to_string(),
            Ty::Bool => "bool".to_string(),
            Ty::List(t) => format!("[]{}", t.go_name()),
            Ty::Map(t) => format!("map[string]{}", t.go_name()),
            Ty::Ptr(t) => format!("*{}", t.go_name()),
            Ty::Struct(s) => format!("types.{}", s.name),
            Ty::Any => "interface {}".to_string(),
        }
    }

    /// The Go zero value, as JSON marshals it.
    fn zero(&self) -> Node {
        match self {
            Ty::Str(_) => Node::string(""),
            Ty::Bool => Node::new(Value::Bool(false)),
            Ty::Int(_) => Node::new(Value::Int(0)),
            Ty::List(_) | Ty::Map(_) | Ty::Ptr(_) | Ty::Any => Node::null(),
            Ty::Struct(s) => finish_struct(s, BTreeMap::new(), Span::NONE),
        }
    }

    /// What `omitempty` leaves out. A struct is never empty.
    fn is_empty(&self, value: &Node) -> bool {
        match (&value.value, self) {
            (Value::Null, _) => true,
            (Value::Str(s), Ty::Str(_)) => s.is_empty(),
            (Value::Bool(b), Ty::Bool) => !b,
            (Value::Int(i), Ty::Int(_)) => *i == 0,
            (Value::Seq(items), Ty::List(_)) => items.is_empty(),
            (Value::Map(map), Ty::Map(_)) => map.is_empty(),
            _ => false,
        }
    }
}

/// Reads a kustomization file's first document as Flux does, with Flux's
/// defaults for `apiVersion` and `kind`. The result is canonical: known
/// fields only, spelled as kustomize spells them, keys sorted, no empty
/// values, every scalar typed as the Go field holds it.
///
/// `source` is the text `doc` was read from (its spans index it); with it,
/// plain mapping keys are typed as go-yaml v2 types them (`on:` is the key
/// `"true"`, `1.0:` is `"1"`). Without it keys are taken as written.
pub fn read_kustomization(doc: &Node, source: Option<&str>) -> Result<Node, Error> {
    let mut decoder = Decoder {
        source,
        ..Decoder::default()
    };
    let mut assigned = BTreeMap::new();
    assigned.insert("kind", Node::string(KUSTOMIZATION_KIND));
    assigned.insert("apiVersion", Node::string(KUSTOMIZATION_API_VERSION));
    match &doc.value {
        Value::Null => {}
        Value::Map(map) => decoder.decode_fields(map, &KUSTOMIZATION, true, &mut assigned)?,
        other => {
            return Err(decoder.type_error(doc, json_kind(doc, other), &Ty::Struct(&KUSTOMIZATION)))
        }
    }
    Ok(finish_struct(&KUSTOMIZATION, assigned, doc.span))
}

/// Builds a struct's JSON object from the fields that were set, leaving
/// out the empty `omitempty` ones and filling in the zero of the others.
fn finish_struct(s: &StructTy, mut assigned: BTreeMap<&'static str, Node>, span: Span) -> Node {
    let mut fields: Vec<(&'static str, Node)> = Vec::new();
    for field in s.fields {
        let value = assigned
            .remove(field.name)
            .unwrap_or_else(|| field.ty.zero());
        if field.omitempty && field.ty.is_empty(&value) {
            continue;
        }
        fields.push((field.name, value));
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let map: Mapping = fields
        .into_iter()
        .map(|(name, node)| (Key::new(name), node))
        .collect();
    Node::with_span(Value::Map(map), span)
}

/// Where decoding is, for encoding/json's error context.
#[derive(Default)]
struct Decoder<'s> {
    /// The text the document was read from, to tell plain keys.
    source: Option<&'s str>,
    /// JSON field names from the root.
    fields: Vec<&'static str>,
    /// The Go structs being filled, innermost last.
    structs: Vec<&'static str>,
}

impl Decoder<'_> {
    /// Decodes one value into `ty`. `None` means Go leaves the field as it
    /// was (`null` into a string, bool, number or struct).
    fn decode(&mut self, node: &Node, ty: &Ty, coerce: bool) -> Result<Option<Node>, Error> {
        let span = node.span;
        let out = |value: Value| Ok(Some(Node::with_span(value, span)));
        match ty {
            Ty::Str(_) => match (&node.value, v2_bool(node)) {
                (Value::Null, _) => Ok(None),
                (Value::Seq(_) | Value::Map(_), _) => {
                    Err(self.type_error(node, json_kind(node, &node.value), ty))
                }
                (_, Some(b)) if coerce => out(Value::Str(b.to_string())),
                (_, Some(_)) => Err(self.type_error(node, "bool".into(), ty)),
                (Value::Str(_), None) => out(Value::Str(v2_text(node))),
                (Value::Int(i), _) if coerce => out(Value::Str(i.to_string())),
                (Value::UInt(u), _) if coerce => out(Value::Str(u.to_string())),
                (Value::Float(x), _) if coerce => out(Value::Str(go_format_float32(*x))),
                (Value::Float(x), _) if !x.is_finite() => Err(unsupported_value(*x, span)),
                _ => Err(self.type_error(node, json_kind(node, &node.value), ty)),
            },
            Ty::Bool => match (&node.value, v2_bool(node)) {
                (Value::Null, _) => Ok(None),
                (_, Some(b)) => out(Value::Bool(b)),
                (Value::Float(x), _) if !x.is_finite() => Err(unsupported_value(*x, span)),
                _ => Err(self.type_error(node, json_kind(node, &node.value), ty)),
            },
            Ty::Int(_) => {
                let fit = match &node.value {
                    Value::Null => return Ok(None),
                    Value::Int(i) => Some(*i),
                    Value::UInt(u) => i64::try_from(*u).ok(),
                    Value::Float(x) if !x.is_finite() => return Err(unsupported_value(*x, span)),
                    Value::Float(x) => (x.fract() == 0.0 && x.abs() < 9.2e18).then_some(*x as i64),
                    other => return Err(self.type_error(node, json_kind(node, other), ty)),
                };
                match fit {
                    Some(i) => out(Value::Int(i)),
                    None => {
                        let literal = match &node.value {
                            Value::UInt(u) => u.to_string(),
                            Value::Float(x) => json_number(*x),
                            _ => String::new(),
                        };
                        Err(self.type_error(node, format!("number {literal}"), ty))
                    }
                }
            }
            Ty::List(elem) => match &node.value {
                Value::Null => out(Value::Null),
                Value::Seq(items) => {
                    let mut decoded = Vec::with_capacity(items.len());
                    for item in items {
                        let value = self.decode(item, elem, coerce)?;
                        decoded.push(value.unwrap_or_else(|| elem.zero()));
                    }
                    out(Value::Seq(decoded))
                }
                other => Err(self.type_error(node, json_kind(node, other), ty)),
            },
            Ty::Map(elem) => match &node.value {
                Value::Null => out(Value::Null),
                Value::Map(map) => {
                    let mut decoded = Mapping::new();
                    for (key, value) in self.json_entries(map)? {
                        let value = self.decode(value, elem, coerce)?;
                        decoded.insert(key, value.unwrap_or_else(|| elem.zero()));
                    }
                    out(Value::Map(decoded))
                }
                other => Err(self.type_error(node, json_kind(node, other), ty)),
            },
            Ty::Ptr(inner) => match &node.value {
                Value::Null => out(Value::Null),
                _ => Ok(Some(
                    self.decode(node, inner, coerce)?
                        .unwrap_or_else(|| inner.zero()),
                )),
            },
            Ty::Struct(s) => match &node.value {
                Value::Null => Ok(None),
                Value::Map(map) => {
                    let mut assigned = BTreeMap::new();
                    self.decode_fields(map, s, coerce, &mut assigned)?;
                    Ok(Some(finish_struct(s, assigned, span)))
                }
                other => Err(self.type_error(node, json_kind(node, other), ty)),
            },
            Ty::Any => self.free_form(node).map(Some),
        }
    }

    /// A mapping's entries with their keys as JSON has them (go-yaml v2's
    /// typing of plain keys, turned into text), in byte order of those keys
    /// (the order of the JSON object json.Marshal writes from a Go map).
    fn json_entries<'m>(&self, map: &'m Mapping) -> Result<Vec<(Key, &'m Node)>, Error> {
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let name = self.json_key(key, value)?;
            entries.push((
                Key {
                    name,
                    span: key.span,
                },
                value,
            ));
        }
        entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(entries)
    }

    /// sigs.k8s.io/yaml's key conversion: go-yaml v2 types a plain key,
    /// and booleans and numbers become their text; a null key is refused.
    fn json_key(&self, key: &Key, value: &Node) -> Result<String, Error> {
        let raw = self
            .source
            .and_then(|text| text.get(key.span.start as usize..key.span.end as usize));
        let Some(raw) = raw else {
            return Ok(key.name.clone());
        };
        if raw != key.name {
            // Quoted, tagged or otherwise not a plain key: a string.
            return Ok(key.name.clone());
        }
        if let Some(b) = yaml11_bool(raw) {
            return Ok(b.to_string());
        }
        Ok(match resolve_plain(raw) {
            Value::Null => {
                return Err(Error::new(
                    ErrorKind::Kustomization,
                    format!(
                        "error converting YAML to JSON: unsupported map key of type: \
                         %!s(<nil>), key: <nil>, value: {}",
                        go_value_text(value)
                    ),
                )
                .at(key.span))
            }
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::UInt(u) => u.to_string(),
            Value::Float(x) if x.is_nan() => ".nan".to_string(),
            Value::Float(x) if x.is_infinite() => {
                if x > 0.0 { ".inf" } else { "-.inf" }.to_string()
            }
            Value::Float(x) => go_format_float32(x),
            // Strings, and timestamps, which go-yaml v2 keeps as written.
            _ => key.name.clone(),
        })
    }

    /// A free-form value (`interface{}`) after YAML → JSON → Go → JSON →
    /// YAML: YAML 1.1 booleans are booleans, timestamp-like scalars their
    /// text, numbers go through float64.
    fn free_form(&self, node: &Node) -> Result<Node, Error> {
        let span = node.span;
        let value = match &node.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => through_float64(*i as f64),
            Value::UInt(u) => through_float64(*u as f64),
            Value::Float(x) if !x.is_finite() => return Err(unsupported_value(*x, span)),
            Value::Float(x) => through_float64(*x),
            Value::Str(_) => match v2_bool(node) {
                Some(b) => Value::Bool(b),
                None => Value::Str(v2_text(node)),
            },
            Value::Seq(items) => Value::Seq(
                items
                    .iter()
                    .map(|item| self.free_form(item))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => {
                let mut out = Mapping::new();
                for (key, value) in self.json_entries(map)? {
                    out.insert(key, self.free_form(value)?);
                }
                Value::Map(out)
            }
        };
        Ok(Node::with_span(value, span))
    }

    /// Decodes a mapping into a struct's fields, keys in byte order.
    fn decode_fields(
        &mut self,
        map: &Mapping,
        s: &'static StructTy,
        coerce: bool,
        assigned: &mut BTreeMap<&'static str, Node>,
    ) -> Result<(), Error> {
        for (key, value) in self.json_entries(map)? {
            let Some(field) = find_field(s, &key.name) else {
                // Unknown fields are dropped, but JSON must still hold them.
                self.free_form(value)?;
                continue;
            };
            self.fields.push(field.name);
            self.structs.push(s.name);
            let decoded = self.decode(value, &field.ty, coerce && !field.promoted);
            self.fields.pop();
            self.structs.pop();
            if let Some(mut node) = decoded? {
                // Keep the key's span on the value's map entry.
                if node.span.is_none() {
                    node.span = value.span;
                }
                assigned.insert(field.name, node);
            }
        }
        Ok(())
    }

    /// encoding/json's `UnmarshalTypeError`, wrapped as sigs.k8s.io/yaml
    /// wraps it.
    fn type_error(&self, node: &Node, what: String, ty: &Ty) -> Error {
        let target = match (self.structs.last(), self.fields.is_empty()) {
            (Some(s), false) => format!("Go struct field {s}.{}", self.fields.join(".")),
            _ => "Go value".to_string(),
        };
        Error::new(
            ErrorKind::Kustomization,
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} \
                 into {target} of type {}",
                ty.go_name()
            ),
        )
        .at(node.span)
    }
}

/// The struct field a JSON key fills: the exact name, else the first that
/// equals it ignoring ASCII case.
fn find_field(s: &'static StructTy, key: &str) -> Option<&'static Field> {
    s.fields
        .iter()
        .find(|f| f.name == key)
        .or_else(|| s.fields.iter().find(|f| f.name.eq_ignore_ascii_case(key)))
}

/// go-yaml v2's boolean reading of a scalar (YAML 1.1: `yes`, `on`, `n` …).
fn v2_bool(node: &Node) -> Option<bool> {
    match (&node.value, node.plain.as_deref()) {
        (Value::Bool(b), _) => Some(*b),
        (Value::Str(_), Some(text)) => yaml11_bool(text),
        _ => None,
    }
}

/// A string scalar's text as go-yaml v2 reads it: a timestamp-like plain
/// scalar stays the text it was written as.
fn v2_text(node: &Node) -> String {
    match (&node.value, node.plain.as_deref()) {
        (_, Some(text)) => text.to_string(),
        (Value::Str(s), None) => s.clone(),
        _ => String::new(),
    }
}

/// The JSON kind encoding/json names in a type error.
fn json_kind(node: &Node, value: &Value) -> String {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) if v2_bool(node).is_some() => "bool",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
    .to_string()
}

fn unsupported_value(x: f64, span: Span) -> Error {
    let text = if x.is_nan() {
        "NaN"
    } else if x > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    };
    Error::new(
        ErrorKind::Kustomization,
        format!("error converting YAML to JSON: json: unsupported value: {text}"),
    )
    .at(span)
}

/// A float64 as JSON writes it and go-yaml v2 reads it back: integral
/// values below 1e21 become integers when they fit 64 bits.
fn through_float64(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e21 {
        // JSON writes the shortest digits, padded with zeros.
        let text = format!("{x}");
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
        if let Ok(u) = text.parse::<u64>() {
            return Value::UInt(u);
        }
    }
    Value::Float(x)
}

/// A scalar as Go's `%+#v` shows it in sigs.k8s.io/yaml's key error.
fn go_value_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("{s:?}"),
        Value::Null => "<nil>".to_string(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// A float64 literal as encoding/json writes it (for messages).
fn json_number(x: f64) -> String {
    let abs = x.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{x:e}");
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        format!("{x}")
    }
}

/// Go's `strconv.FormatFloat(x, 'g', -1, 32)`: the shortest digits that
/// identify the value as a float32, exponent form when the exponent is
/// below -4 or at least 6 (so `1.10` is `1.1`, `1e6` is `1e+06`).
pub fn go_format_float32(x: f64) -> String {
    let x = x as f32;
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0");
    }
    // Rust's `{:e}` gives the shortest round-tripping digits: `d.ddde±x`.
    let text = format!("{:e}", x.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    // Fixed notation: the decimal point sits after exp + 1 digits.
    let point = exp + 1;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{parse_documents, LoadOptions};

    fn read(text: &str) -> Result<Node, Error> {
        let docs = parse_documents(text, FileId(0), &LoadOptions::default()).unwrap();
        read_kustomization(
            &docs.into_iter().next().unwrap_or_else(Node::null),
            Some(text),
        )
    }

    fn yaml(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .unwrap()
            .remove(0)
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.as_map()
            .unwrap()
            .keys()
            .map(|k| k.name.as_str())
            .collect()
    }

    #[test]
    fn defaults_fill_type_meta_and_empty_values_vanish() {
        let k = read("resources: []\nnamePrefix: ''\n").unwrap();
        assert_eq!(
            k,
            yaml("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
        );
        let k = read("kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\n").unwrap();
        assert_eq!(k.str_at(&["kind"]), Some("Component"));
        // An empty file, and null values, leave the defaults.
        assert_eq!(read("").unwrap(), read("kind: ~\n").unwrap());
    }

    #[test]
    fn unknown_fields_are_dropped_at_every_level() {
        let k = read(
            "resources: [a.yaml]\nfoo: bar\npatches:\n- path: p.yaml\n  bogus: 1\n  target: {kind: Deployment, color: red}\n",
        )
        .unwrap();
        assert_eq!(
            k,
            yaml(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\npatches:\n- path: p.yaml\n  target: {kind: Deployment}\n"
            )
        );
        assert_eq!(keys(&k), vec!["apiVersion", "kind", "patches", "resources"]);
    }

    #[test]
    fn scalars_in_string_fields_are_coerced() {
        let k = read(
            "images:\n- name: nginx\n  newTag: 1.10\n- name: x\n  newTag: 42\nnamePrefix: yes\ncommonLabels:\n  version: 2.0\n  on: off\nresources: [1e6, 0.00001]\n",
        )
        .unwrap();
        assert_eq!(k.str_at(&["namePrefix"]), Some("true"));
        let images = k.get("images").unwrap().as_seq().unwrap();
        assert_eq!(images[0].str_at(&["newTag"]), Some("1.1"));
        assert_eq!(images[1].str_at(&["newTag"]), Some("42"));
        assert_eq!(k.str_at(&["commonLabels", "version"]), Some("2"));
        // go-yaml v2 reads the plain key `on` as a boolean.
        assert_eq!(k.str_at(&["commonLabels", "true"]), Some("false"));
        let res: Vec<&str> = k
            .get("resources")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(res, vec!["1e+06", "1e-05"]);
    }

    #[test]
    fn promoted_fields_are_not_coerced() {
        let err = read("patches:\n- path: p.yaml\n  target: {kind: 5}\n").unwrap_err();
        assert_eq!(
            err.message,
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into \
             Go struct field Selector.patches.target.kind of type string"
        );
        let err = read("configMapGenerator:\n- name: a\n  literals: [1]\n").unwrap_err();
        assert!(err.message.ends_with(
            "cannot unmarshal number into Go struct field \
             ConfigMapArgs.configMapGenerator.literals of type string"
        ));
        let err = read("apiVersion: 1\n").unwrap_err();
        assert!(err
            .message
            .contains("Kustomization.apiVersion of type string"));
        // A direct field of the same struct is coerced.
        let k = read("secretGenerator:\n- name: s\n  type: 1\n").unwrap();
        let s = &k.get("secretGenerator").unwrap().as_seq().unwrap()[0];
        assert_eq!(s.str_at(&["type"]), Some("1"));
    }

    #[test]
    fn type_mismatches_fail_as_encoding_json_reports() {
        let err = read("replicas:\n- name: a\n  count: \"3\"\n").unwrap_err();
        assert_eq!(
            err.message,
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into \
             Go struct field Replica.replicas.count of type int64"
        );
        let err = read("replicas:\n- name: a\n  count: 3.5\n").unwrap_err();
        assert!(err.message.contains("cannot unmarshal number 3.5 into"));
        let err = read("resources: a.yaml\n").unwrap_err();
        assert!(err.message.ends_with(
            "cannot unmarshal string into Go struct field Kustomization.resources of type []string"
        ));
        let err = read("- a\n").unwrap_err();
        assert!(err
            .message
            .ends_with("cannot unmarshal array into Go value of type types.Kustomization"));
        let err = read("foo: .inf\n").unwrap_err();
        assert_eq!(
            err.message,
            "error converting YAML to JSON: json: unsupported value: +Inf"
        );
    }

    #[test]
    fn plain_keys_are_typed_as_go_yaml_v2_types_them() {
        let k = read("commonLabels:\n  1.0: a\n  0x10: b\n  \"on\": c\n  y: d\n").unwrap();
        assert_eq!(
            k.get("commonLabels").unwrap(),
            &yaml("{'1': a, '16': b, 'on': c, 'true': d}")
        );
        let err = read("commonLabels:\n  ~: a\n").unwrap_err();
        assert_eq!(
            err.message,
            "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, \
             value: \"a\""
        );
        // Without the source text, keys are taken as written.
        let doc = yaml("commonLabels: {on: a}\n");
        let k = read_kustomization(&doc, None).unwrap();
        assert_eq!(k.str_at(&["commonLabels", "on"]), Some("a"));
    }

    #[test]
    fn field_names_match_ignoring_case() {
        let k = read("NamePrefix: a-\nnamespace: x\nNAMESPACE: y\n").unwrap();
        assert_eq!(k.str_at(&["namePrefix"]), Some("a-"));
        // Byte order: "NAMESPACE" < "namespace", so the lowercase key wins.
        assert_eq!(k.str_at(&["namespace"]), Some("x"));
    }

    #[test]
    fn fields_without_omitempty_appear() {
        let k = read(
            "replicas: [{name: a}]\nvars: [{name: v, objref: {kind: Service}}]\nreplacements: [{targets: [{fieldPaths: [a]}]}]\nsortOptions: {}\n",
        )
        .unwrap();
        assert_eq!(k.get("replicas").unwrap(), &yaml("[{name: a, count: 0}]"));
        assert_eq!(
            k.get("vars").unwrap(),
            &yaml("[{name: v, objref: {kind: Service, name: ''}, fieldref: {}}]")
        );
        assert_eq!(
            k.get("replacements").unwrap(),
            &yaml("[{targets: [{select: null, fieldPaths: [a]}]}]")
        );
        assert_eq!(k.get("sortOptions").unwrap(), &yaml("{}"));
    }

    #[test]
    fn null_entries_become_zero_values() {
        let k = read(
            "patches:\n- ~\n- path: a\n  target: {}\nreplacements:\n- targets: [~, {select: ~}]\n  source: ~\n",
        )
        .unwrap();
        assert_eq!(
            k.get("patches").unwrap(),
            &yaml("[{}, {path: a, target: {}}]")
        );
        assert_eq!(
            k.get("replacements").unwrap(),
            &yaml("[{targets: [null, {select: null}]}]")
        );
    }

    #[test]
    fn free_form_values_go_through_json() {
        let k = read(
            "helmCharts:\n- name: c\n  valuesInline:\n    a: 3.0\n    b: yes\n    c: 2001-12-14\n    d: [1.5, ~]\n    e: 12345678901234567890\n",
        )
        .unwrap();
        let v = &k.get("helmCharts").unwrap().as_seq().unwrap()[0];
        assert_eq!(
            v.get("valuesInline").unwrap(),
            &yaml("{a: 3, b: true, c: '2001-12-14', d: [1.5, null], e: 12345678901234567000}")
        );
    }

    #[test]
    fn format_float32_matches_go() {
        assert_eq!(go_format_float32(1.10), "1.1");
        assert_eq!(go_format_float32(1.23456789), "1.2345679");
        assert_eq!(go_format_float32(1e6), "1e+06");
        assert_eq!(go_format_float32(123456.0), "123456");
        assert_eq!(go_format_float32(1234567.0), "1.234567e+06");
        assert_eq!(go_format_float32(0.0001234), "0.0001234");
        assert_eq!(go_format_float32(0.00001234), "1.234e-05");
        assert_eq!(go_format_float32(-2.5), "-2.5");
        assert_eq!(go_format_float32(0.1), "0.1");
        assert_eq!(go_format_float32(16777217.0), "1.6777216e+07");
        assert_eq!(go_format_float32(f64::INFINITY), "+Inf");
    }

    #[test]
    fn json_numbers_match_encoding_json() {
        assert_eq!(json_number(3.5), "3.5");
        assert_eq!(json_number(1e21), "1e+21");
        assert_eq!(json_number(1e20), "100000000000000000000");
        assert_eq!(json_number(1e-7), "1e-7");
    }
}
