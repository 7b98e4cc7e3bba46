//! Legacy `vars:` (kustomize's `api/internal/accumulator/resaccumulator.go`,
//! `refvartransformer.go` and `api/filters/refvar`).
//!
//! Two stages, as in kustomize:
//! 1. [`merge_vars`], once per kustomization after its transformers: each
//!    var is *bound* to the one object its `objref` names, among the objects
//!    accumulated so far (by current or any previous id; the GVK must be
//!    exact, so `objref` needs its `apiVersion`). Binding early is what lets
//!    two sibling bases each name "their" `elasticsearch` Service.
//! 2. [`resolve`], once at the top after name references: each var's value
//!    is read from its bound object's `fieldref.fieldPath` (default
//!    `metadata.name`) and `$(NAME)` is substituted in the `varReference`
//!    fields of every object. A field that is exactly `$(NAME)` takes the
//!    value with its type (an int stays an int); inside a longer string the
//!    value is formatted as text. `$$` is a literal `$`; an unknown `$(X)`
//!    is left as it is.

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::{apply_to_fields, gvk_display, FieldSpec};
use super::kustomization::{Var, VarTarget};
use super::replacements::path;
use super::resid::{Gvk, ResId};
use super::resmap::ResMap;
use super::resource::Resource;
use crate::yaml::{Node, Value};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The field a var reads when its `fieldref` names none.
const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// Registers one kustomization's vars (kustomize's `MergeVars`): binds each
/// to the object it names in `resmap`, then adds it to `accumulated`.
/// Errors: a var naming several objects, or a name already accumulated.
pub fn merge_vars(resmap: &mut ResMap, accumulated: &mut Vec<Var>, incoming: &[Var]) -> Result<()> {
    let wrap = |e: Error| e.context(format_args!("merging vars {}", list_display(incoming)));
    for var in incoming {
        bind(resmap, var).map_err(wrap)?;
    }
    for var in incoming {
        add_var(accumulated, var).map_err(wrap)?;
    }
    Ok(())
}

/// Adds the vars of a base's accumulation (kustomize's `VarSet.MergeSet`).
pub fn merge_var_sets(accumulated: &mut Vec<Var>, other: &[Var]) -> Result<()> {
    other.iter().try_for_each(|var| add_var(accumulated, var))
}

fn add_var(accumulated: &mut Vec<Var>, var: &Var) -> Result<()> {
    if accumulated.iter().any(|v| v.name == var.name) {
        return Err(Error::new(
            ErrorKind::Var,
            format!("var '{}' already encountered", var.name),
        ));
    }
    accumulated.push(var.clone());
    Ok(())
}

/// Marks the one object `var.objref` names, if any.
fn bind(resmap: &mut ResMap, var: &Var) -> Result<()> {
    let gvk = objref_gvk(&var.objref);
    let namespace = &var.objref.namespace;
    let matches = |id: &ResId, effective_ns: &str| {
        id.name == var.objref.name
            && id.gvk == gvk
            // Without a namespace the objref matches any.
            && (namespace.is_empty() || unscoped_namespace(namespace) == effective_ns)
    };
    let matched = resmap.positions(|res| {
        // Previous namespaces are recorded as effective ones already.
        res.recorded_prev_ids()
            .iter()
            .any(|id| matches(id, unscoped_namespace(&id.namespace)))
            || {
                let id = res.id();
                matches(&id, id.effective_namespace())
            }
    });
    match matched[..] {
        [] => Ok(()),
        [one] => {
            resmap.get_mut(one).ref_var_names.push(var.name.clone());
            Ok(())
        }
        _ => Err(Error::new(
            ErrorKind::Var,
            format!(
                "found {} resId matches for var {} (unable to disambiguate)",
                matched.len(),
                var_display(var, true, false)
            ),
        )),
    }
}

/// Substitutes `$(NAME)` in the `varReference` fields (`specs`) of every
/// object, with the values of `vars` (the vars of the whole build).
pub fn resolve(resmap: &mut ResMap, vars: &[Var], specs: &[FieldSpec]) -> Result<()> {
    if vars.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<&Var> = vars.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut values = HashMap::new();
    for var in sorted {
        values.insert(var.name.as_str(), var_value(resmap, var)?);
    }
    for res in resmap.iter_mut() {
        let gvk = res.gvk();
        for spec in specs {
            let spec = FieldSpec {
                create: false,
                ..spec.clone()
            };
            apply_to_fields(&mut res.node, &gvk, &spec, &mut |node| {
                substitute(node, &values)
            })?;
        }
    }
    Ok(())
}

/// A var's value, read from the object bound to it.
fn var_value(resmap: &ResMap, var: &Var) -> Result<VarValue> {
    let display = || var_display(var, true, true);
    let res = resmap
        .iter()
        .find(|r| r.ref_var_names.contains(&var.name))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Var,
                format!(
                    "var '{}' cannot be mapped to a field in the set of known resources",
                    display()
                ),
            )
        })?;
    field_value(res, field_path(var)).ok_or_else(|| {
        Error::new(
            ErrorKind::Var,
            format!(
                "field specified in var '{}' not found in corresponding resource",
                display()
            ),
        )
    })
}

fn field_path(var: &Var) -> &str {
    if var.fieldref.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        &var.fieldref.field_path
    }
}

/// A var's value as kyaml's `GetFieldValue` reads it.
#[derive(Clone, Debug, PartialEq)]
enum VarValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A map or list: never substituted.
    Collection,
}

/// The value at `field_path` (`spec.ports[0].port` and the replacement path
/// syntax); `None` when missing or when its text does not parse as its type.
fn field_value(res: &Resource, field_path: &str) -> Option<VarValue> {
    let parts = split_slice_indexes(path::split(field_path));
    let node = path::lookup(&res.node, &parts).ok()??;
    // kyaml parses the text as written; a node made in memory has none and
    // is taken as it is.
    let plain = node.plain.as_deref();
    match node.value {
        Value::Map(_) | Value::Seq(_) => Some(VarValue::Collection),
        Value::Str(ref s) => Some(VarValue::Str(s.clone())),
        Value::Int(i) => plain.map_or(Some(i), go_atoi).map(VarValue::Int),
        Value::UInt(u) => plain
            .map_or(i64::try_from(u).ok(), go_atoi)
            .map(VarValue::Int),
        Value::Float(f) => plain
            .map_or(Some(f), |t| t.parse().ok())
            .map(VarValue::Float),
        Value::Bool(b) => plain.map_or(Some(b), go_parse_bool).map(VarValue::Bool),
        // Any other tag (null): the text as written.
        Value::Null => Some(VarValue::Str(path::scalar_value(node))),
    }
}

/// `containers[0]` → `containers`, `0` (kyaml's `convertSliceIndex`).
fn split_slice_indexes(parts: Vec<String>) -> Vec<String> {
    let mut result = Vec::new();
    for part in parts {
        let indexed = part.strip_suffix(']').and_then(|p| {
            let open = p.rfind('[')?;
            let digits = &p[open + 1..];
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (&p[..open], digits))
        });
        match indexed {
            Some((field, index)) => {
                if !field.is_empty() {
                    result.push(field.to_string());
                }
                result.push(index.to_string());
            }
            None => result.push(part),
        }
    }
    result
}

/// Go's `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `strconv.ParseBool`.
fn go_parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Substitutes in the node at the end of a `varReference` path: a string,
/// the string values of a map, or a list of strings.
fn substitute(node: &mut Node, values: &HashMap<&str, VarValue>) -> Result<()> {
    match &mut node.value {
        Value::Str(s) => {
            let expanded = expand(s, values);
            set_expanded(node, expanded);
        }
        Value::Map(map) => {
            for (_, value) in map.iter_mut() {
                if let Value::Str(s) = &value.value {
                    let expanded = expand(s, values);
                    set_expanded(value, expanded);
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                let Value::Str(s) = &item.value else {
                    return Err(
                        Error::new(ErrorKind::Var, "invalid value type expect a string")
                            .at(item.span),
                    );
                };
                let expanded = expand(s, values);
                set_expanded(item, expanded);
            }
        }
        // Null and non-string scalars are left alone.
        _ => {}
    }
    Ok(())
}

/// Writes an expansion: a whole-field var keeps the var's type.
fn set_expanded(node: &mut Node, expanded: VarValue) {
    let (value, plain) = match expanded {
        VarValue::Int(i) => (Value::Int(i), Some(i.to_string())),
        VarValue::Bool(b) => (Value::Bool(b), Some(b.to_string())),
        // strconv.FormatFloat(f, 'f', -1, 64): Rust's Display is the same
        // shortest digits without an exponent.
        VarValue::Float(f) => (Value::Float(f), Some(f.to_string())),
        VarValue::Str(s) => (Value::Str(s), None),
        VarValue::Collection => return,
    };
    node.value = value;
    node.plain = plain.map(Into::into);
}

/// kustomize's `DoReplacements`: `$(NAME)` → the var's value, `$$` → `$`.
/// Works on bytes, as Go does, so a `$` before a multi-byte character
/// garbles it the same way (the byte becomes a Latin-1 character).
fn expand(input: &str, values: &HashMap<&str, VarValue>) -> VarValue {
    let bytes = input.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.extend_from_slice(&bytes[checkpoint..cursor]);
            let rest = &bytes[cursor + 1..];
            let advance = match rest[0] {
                b'$' => {
                    out.push(b'$');
                    1
                }
                b'(' => match rest.iter().position(|&b| b == b')') {
                    Some(close) => {
                        // Both ends are ASCII, so this is a whole string.
                        let name = &input[cursor + 2..cursor + 1 + close];
                        let mapped = lookup_var(name, values);
                        if input.len() == close + 2 && cursor == 0 {
                            return mapped;
                        }
                        out.extend_from_slice(go_format(&mapped).as_bytes());
                        close + 1
                    }
                    None => {
                        out.extend_from_slice(b"$(");
                        1
                    }
                },
                other => {
                    out.push(b'$');
                    let mut buf = [0; 4];
                    out.extend_from_slice(char::from(other).encode_utf8(&mut buf).as_bytes());
                    1
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.extend_from_slice(&bytes[checkpoint.min(bytes.len())..]);
    VarValue::Str(String::from_utf8_lossy(&out).into_owned())
}

/// A var's value, or the reference itself when the var is unknown or not a
/// primitive (a later pass might know it).
fn lookup_var(name: &str, values: &HashMap<&str, VarValue>) -> VarValue {
    match values.get(name) {
        Some(VarValue::Collection) | None => VarValue::Str(format!("$({name})")),
        Some(v) => v.clone(),
    }
}

/// Go's `fmt.Sprintf("%v", v)` for the primitives a var can hold.
fn go_format(value: &VarValue) -> String {
    match value {
        VarValue::Str(s) => s.clone(),
        VarValue::Int(i) => i.to_string(),
        VarValue::Bool(b) => b.to_string(),
        VarValue::Float(f) => go_format_float(*f),
        VarValue::Collection => String::new(),
    }
}

/// Go's `%v` of a float64 (`%g` with the shortest digits): an exponent when
/// it is below -4 or at least 6 (`1e+06`, `1.5e-07`), plain digits otherwise.
fn go_format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    if (-4..6).contains(&exp) {
        return f.to_string();
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// kustomize's `Target.GVK()`: `apiVersion`, when set, overrides the group
/// and version fields.
fn objref_gvk(target: &VarTarget) -> Gvk {
    let mut gvk = Gvk::new(&target.group, &target.version, &target.kind);
    let parts: Vec<&str> = target.api_version.split('/').collect();
    match parts[..] {
        [""] => {}
        [version] => gvk.version = version.to_string(),
        [group, version] => {
            gvk.group = group.to_string();
            gvk.version = version.to_string();
        }
        _ => {}
    }
    gvk
}

/// A namespace as kustomize compares ids built without a scope lookup.
fn unscoped_namespace(namespace: &str) -> &str {
    if namespace.is_empty() {
        "default"
    } else {
        namespace
    }
}

/// Go's `%v` of a `types.Var`: `{NAME Kind.Version.Group {FIELDPATH}}`
/// (the objref prints as its GVK only). `with_api_version` applies the
/// objref's `apiVersion` to the GVK and `defaulted` the default field path,
/// as kustomize has done by the time it reports the var.
fn var_display(var: &Var, with_api_version: bool, defaulted: bool) -> String {
    let gvk = if with_api_version {
        objref_gvk(&var.objref)
    } else {
        Gvk::new(&var.objref.group, &var.objref.version, &var.objref.kind)
    };
    let field_path = if defaulted {
        field_path(var)
    } else {
        &var.fieldref.field_path
    };
    format!("{{{} {} {{{}}}}}", var.name, gvk_display(&gvk), field_path)
}

/// Go's `%v` of a `[]types.Var` as written in the kustomization.
fn list_display(vars: &[Var]) -> String {
    let mut out = String::from("[");
    for (i, var) in vars.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{}", var_display(var, false, false));
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::kustomization::FieldRef;

    fn object(json: &str) -> Resource {
        Resource::new(serde_json::from_str::<Node>(json).expect("test JSON"))
    }

    fn var(name: &str, kind: &str, api_version: &str, object: &str, field_path: &str) -> Var {
        Var {
            name: name.to_string(),
            objref: VarTarget {
                kind: kind.to_string(),
                api_version: api_version.to_string(),
                name: object.to_string(),
                ..VarTarget::default()
            },
            fieldref: FieldRef {
                field_path: field_path.to_string(),
            },
        }
    }

    const SERVICE: &str = r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},
        "spec":{"ports":[{"port":80,"protocol":"TCP"}],"flag":true,"ratio":1.5,"nul":null}}"#;

    fn deployment(args: &[&str]) -> Resource {
        let args = serde_json::to_string(args).unwrap();
        object(&format!(
            r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"dep"}},
                "spec":{{"template":{{"spec":{{"containers":[{{"name":"c","args":{args},
                "env":[{{"name":"A","value":"$(PORT)"}}]}}]}}}}}}}}"#
        ))
    }

    fn specs() -> Vec<FieldSpec> {
        vec![
            FieldSpec::new(
                "",
                "",
                "Deployment",
                "spec/template/spec/containers/args",
                false,
            ),
            FieldSpec::new(
                "",
                "",
                "Deployment",
                "spec/template/spec/containers/env/value",
                false,
            ),
        ]
    }

    fn service_vars() -> Vec<Var> {
        vec![
            var("PORT", "Service", "v1", "svc", "spec.ports[0].port"),
            var("FLAG", "Service", "v1", "svc", "spec.flag"),
            var("RATIO", "Service", "v1", "svc", "spec.ratio"),
            var("NUL", "Service", "v1", "svc", "spec.nul"),
            var("MAP", "Service", "v1", "svc", "spec.ports"),
            var("NAME", "Service", "v1", "svc", ""),
        ]
    }

    /// Registers `vars` on the objects, renames everything with `p-`, resolves.
    fn build(args: &[&str], vars: &[Var]) -> Result<Vec<Value>> {
        let mut service = object(SERVICE);
        // The loader keeps a plain null's text.
        service.node.get_path_mut(&["spec", "nul"]).unwrap().plain = Some("null".into());
        let mut resmap: ResMap = [service, deployment(args)].into_iter().collect();
        let mut all = Vec::new();
        merge_vars(&mut resmap, &mut all, vars)?;
        for res in resmap.iter_mut() {
            res.store_previous_id();
            let name = format!("p-{}", res.name());
            res.set_name(&name);
        }
        resolve(&mut resmap, &all, &specs())?;
        let containers = resmap
            .get(1)
            .node
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        let container = &containers.as_seq().unwrap()[0];
        let mut values: Vec<Value> = container
            .get("args")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.value.clone())
            .collect();
        values.push(
            container.get("env").unwrap().as_seq().unwrap()[0]
                .get("value")
                .unwrap()
                .value
                .clone(),
        );
        Ok(values)
    }

    fn s(text: &str) -> Value {
        Value::Str(text.to_string())
    }

    #[test]
    fn whole_fields_keep_the_type_and_embedded_vars_become_text() {
        // Probed with kubectl kustomize (vars on a Service, namePrefix p-).
        let out = build(
            &[
                "$(PORT)",
                "a-$(PORT)-$(FLAG)-$(RATIO)",
                "$(FLAG)",
                "$(RATIO)",
                "$(NUL)",
                "$(NAME)",
            ],
            &service_vars(),
        )
        .unwrap();
        assert_eq!(
            out,
            [
                Value::Int(80),
                s("a-80-true-1.5"),
                Value::Bool(true),
                Value::Float(1.5),
                s("null"),
                s("p-svc"),
                Value::Int(80),
            ]
        );
    }

    #[test]
    fn escapes_unknown_and_unfinished_references_stay() {
        // Probed with kubectl kustomize.
        let out = build(
            &[
                "$$(PORT)",
                "$(NOPE)",
                "$(MAP)",
                "x$(MAP)",
                "$",
                "a$b$",
                "$(",
                "$$$(PORT)",
                "$(PORT",
            ],
            &service_vars(),
        )
        .unwrap();
        assert_eq!(
            out[..9],
            [
                s("$(PORT)"),
                s("$(NOPE)"),
                s("$(MAP)"),
                s("x$(MAP)"),
                s("$"),
                s("a$b$"),
                s("$("),
                s("$80"),
                s("$(PORT"),
            ]
        );
    }

    #[test]
    fn vars_bind_within_their_own_layer() {
        // Corpus variableref__TestVaribaleRefDifferentPrefix: two bases each
        // name "their" `elasticsearch` Service.
        let layer = |prefix: &str, var_name: &str| {
            let svc = object(r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"es"}}"#);
            let dep = object(&format!(
                r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"es"}},
                    "spec":{{"template":{{"spec":{{"containers":[{{"name":"c","args":["$({var_name})"]}}]}}}}}}}}"#
            ));
            let mut resmap: ResMap = [svc, dep].into_iter().collect();
            let mut vars = Vec::new();
            merge_vars(
                &mut resmap,
                &mut vars,
                &[var(var_name, "Service", "v1", "es", "")],
            )
            .unwrap();
            for res in resmap.iter_mut() {
                res.store_previous_id();
                let name = format!("{prefix}{}", res.name());
                res.set_name(&name);
            }
            (resmap, vars)
        };
        let (dev, dev_vars) = layer("dev-", "DEV");
        let (test, test_vars) = layer("test-", "TEST");
        let mut top = dev;
        top.append_all(test).unwrap();
        let mut vars = dev_vars;
        merge_var_sets(&mut vars, &test_vars).unwrap();
        resolve(&mut top, &vars, &specs()[..1]).unwrap();
        let arg = |i: usize| {
            let c = top
                .get(i)
                .node
                .get_path(&["spec", "template", "spec", "containers"])
                .unwrap();
            c.as_seq().unwrap()[0]
                .get("args")
                .unwrap()
                .as_seq()
                .unwrap()[0]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(arg(1), "dev-es");
        assert_eq!(arg(3), "test-es");
    }

    #[test]
    fn a_var_naming_two_objects_is_ambiguous() {
        // Corpus namespaces__TestVariablesAmbiguous.
        let mut resmap: ResMap = [
            object(
                r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"es","namespace":"a"}}"#,
            ),
            object(
                r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"es","namespace":"b"}}"#,
            ),
        ]
        .into_iter()
        .collect();
        let mut vars = Vec::new();
        let err = merge_vars(
            &mut resmap,
            &mut vars,
            &[var("ES", "Service", "v1", "es", "")],
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "merging vars [{ES Service.[noVer].[noGrp] {}}]: found 2 resId matches for var \
             {ES Service.v1.[noGrp] {}} (unable to disambiguate)"
        );
        // A namespace disambiguates (corpus ...DisambiguatedWithNamespace).
        let mut with_ns = var("ES", "Service", "v1", "es", "");
        with_ns.objref.namespace = "b".to_string();
        merge_vars(&mut resmap, &mut vars, &[with_ns]).unwrap();
        assert_eq!(resmap.get(1).ref_var_names, ["ES"]);
    }

    #[test]
    fn a_var_name_is_registered_once() {
        let mut resmap = ResMap::new();
        let mut vars = vec![var("X", "Service", "v1", "a", "")];
        let err = merge_var_sets(&mut vars, &[var("X", "Service", "v1", "b", "")]).unwrap_err();
        assert_eq!(err.message, "var 'X' already encountered");
        let err = merge_vars(
            &mut resmap,
            &mut vars,
            &[var("X", "Service", "v1", "b", "")],
        )
        .unwrap_err();
        assert!(err.message.ends_with("var 'X' already encountered"));
    }

    #[test]
    fn unbound_vars_and_missing_fields_are_errors() {
        // Probed: without apiVersion the objref's GVK matches nothing.
        let err = build(&[], &[var("NAME", "Service", "", "svc", "")]).unwrap_err();
        assert_eq!(
            err.message,
            "var '{NAME Service.[noVer].[noGrp] {metadata.name}}' cannot be mapped to a field \
             in the set of known resources"
        );
        let err = build(&[], &[var("NAME", "Service", "v1", "svc", "metadata.nope")]).unwrap_err();
        assert_eq!(
            err.message,
            "field specified in var '{NAME Service.v1.[noGrp] {metadata.nope}}' not found in \
             corresponding resource"
        );
    }

    #[test]
    fn list_items_must_be_strings() {
        let mut resmap: ResMap = [object(SERVICE), {
            let mut d = deployment(&[]);
            let containers = d
                .node
                .get_path_mut(&["spec", "template", "spec", "containers"])
                .unwrap();
            containers.as_seq_mut().unwrap()[0]
                .set("args", serde_json::from_str::<Node>("[1]").unwrap());
            d
        }]
        .into_iter()
        .collect();
        let mut vars = Vec::new();
        merge_vars(&mut resmap, &mut vars, &service_vars()).unwrap();
        let err = resolve(&mut resmap, &vars, &specs()).unwrap_err();
        assert!(
            err.message.ends_with("invalid value type expect a string"),
            "{}",
            err.message
        );
    }

    #[test]
    fn slice_indexes_split_off() {
        let parts = |p: &str| split_slice_indexes(path::split(p));
        assert_eq!(parts("spec.ports[0].port"), ["spec", "ports", "0", "port"]);
        assert_eq!(parts("a[1][2]"), ["a[1]", "2"]);
        assert_eq!(parts("[3]"), ["3"]);
    }

    #[test]
    fn floats_format_as_go_does() {
        // Checked against Go's fmt.Sprintf("%v", f).
        let cases = [
            (1e6, "1e+06"),
            (123456789.0, "1.23456789e+08"),
            (100000.0, "100000"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e21, "1e+21"),
            (-2.5e-7, "-2.5e-07"),
            (0.0, "0"),
            (3.0, "3"),
        ];
        for (f, text) in cases {
            assert_eq!(go_format_float(f), text);
        }
    }
}
