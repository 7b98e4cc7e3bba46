//! The namespace transformer (kustomize's `NamespaceTransformer`,
//! `api/filters/namespace`).
//!
//! Per object: remember its id, set `metadata.namespace` unless the kind is
//! known to be cluster-scoped, fix RoleBinding/ClusterRoleBinding subjects,
//! then set the namespace at every field the specs name (a v1 Namespace's
//! `metadata/name`, webhook and APIService service namespaces ...). Two
//! objects ending up with one id is an error.
use crate::kustomize::{
    error::{Error, ErrorKind, Result},
    fieldspec::{apply_to_fields, scalar_value_text, set_scalar, wrong_kind, FieldSpec},
    resid::{Gvk, ResId},
    resmap::ResMap,
    resource::{Behavior, Resource},
};
use crate::yaml::{Key, Node, Value};

/// How RoleBinding subjects get the namespace (`setRoleBindingSubjects`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleBindingSubjects {
    #[default]
    DefaultOnly,
    AllServiceAccounts,
    None,
}

impl RoleBindingSubjects {
    /// Reads a `setRoleBindingSubjects` value ("" means the default).
    pub fn parse(text: &str) -> Result<RoleBindingSubjects> {
        match text {
            "" | "defaultOnly" => Ok(RoleBindingSubjects::DefaultOnly),
            "allServiceAccounts" => Ok(RoleBindingSubjects::AllServiceAccounts),
            "none" => Ok(RoleBindingSubjects::None),
            other => Err(Error::new(
                ErrorKind::Transformer,
                format!(
                    "invalid value \"{other}\" for setRoleBindingSubjects: must be one of \
                     \"defaultOnly\", \"none\" or \"allServiceAccounts\""
                ),
            )),
        }
    }
}

const METADATA_NAMESPACE: &str = "metadata/namespace";
const METADATA_NAME: &str = "metadata/name";
const SUBJECTS_NAMESPACE: &str = "subjects/namespace";

pub fn apply(
    resmap: &mut ResMap,
    namespace: &str,
    specs: &[FieldSpec],
    subjects: RoleBindingSubjects,
    unset_only: bool,
) -> Result<()> {
    if namespace.is_empty() {
        return Ok(());
    }
    let setter = Setter {
        namespace,
        unset_only,
    };
    for i in 0..resmap.len() {
        let res = resmap.get_mut(i);
        if is_nil_or_empty(&res.node) {
            continue;
        }
        res.store_previous_id();
        let gvk = res.gvk();
        let api_version = res.api_version().to_string();
        set_namespace(&mut res.node, &gvk, &api_version, specs, subjects, setter)?;

        let id = res.id();
        let matches = resmap.positions(|r| r.id().same_as(&id));
        if matches.len() != 1 {
            let objects: Vec<String> = matches
                .iter()
                .map(|&j| json_text(&with_build_annotations(resmap.get(j))))
                .collect();
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "namespace transformation produces ID conflict: [{}]",
                    objects.join(" ")
                ),
            ));
        }
    }
    Ok(())
}

/// kyaml's `IsNilOrEmpty` for a whole object.
fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        _ => false,
    }
}

/// The object with the build annotations kustomize would carry at this
/// point (previous ids, applied prefixes and suffixes, generator state),
/// which fluxlint keeps in [`Resource`] fields instead.
fn with_build_annotations(res: &Resource) -> Node {
    const DOMAIN: &str = "internal.config.kubernetes.io";
    let mut node = res.node.clone();
    let mut extra: Vec<(String, String)> = Vec::new();
    if !res.prev_ids.is_empty() {
        let csv =
            |f: &dyn Fn(&ResId) -> String| res.prev_ids.iter().map(f).collect::<Vec<_>>().join(",");
        extra.push((
            format!("{DOMAIN}/previousKinds"),
            csv(&|id| id.gvk.kind.clone()),
        ));
        extra.push((
            format!("{DOMAIN}/previousNames"),
            csv(&|id| id.name.clone()),
        ));
        extra.push((
            format!("{DOMAIN}/previousNamespaces"),
            csv(&|id| id.effective_namespace().to_string()),
        ));
    }
    if !res.name_prefixes.is_empty() {
        extra.push((format!("{DOMAIN}/prefixes"), res.name_prefixes.join(",")));
    }
    if !res.name_suffixes.is_empty() {
        extra.push((format!("{DOMAIN}/suffixes"), res.name_suffixes.join(",")));
    }
    if res.generated {
        // kustomize says "unspecified" for an entry without `behavior`,
        // the usual case, which fluxlint does not tell apart from "create".
        let behavior = match res.behavior {
            Behavior::Create => "unspecified",
            Behavior::Merge => "merge",
            Behavior::Replace => "replace",
        };
        extra.push((format!("{DOMAIN}/generatorBehavior"), behavior.to_string()));
    }
    if res.needs_hash {
        extra.push((format!("{DOMAIN}/needsHashSuffix"), "enabled".to_string()));
    }
    if !extra.is_empty() {
        let annotations = node.entry_map("metadata").entry_map("annotations");
        for (k, v) in extra {
            annotations.set(&k, Node::string(v));
        }
    }
    node
}

/// The object as compact JSON with sorted keys, as kustomize prints
/// resources in errors.
fn json_text(node: &Node) -> String {
    fn to_json(node: &Node) -> serde_json::Value {
        match &node.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::UInt(u) => (*u).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => s.as_str().into(),
            Value::Seq(items) => items.iter().map(to_json).collect(),
            Value::Map(m) => {
                let mut keys: Vec<&Key> = m.keys().collect();
                keys.sort_by(|a, b| a.name.cmp(&b.name));
                serde_json::Value::Object(
                    keys.into_iter()
                        .map(|k| (k.name.clone(), to_json(&m[k])))
                        .collect(),
                )
            }
        }
    }
    to_json(node).to_string()
}

/// kustomize's namespace `fieldSetter`: overwrite, or with `unsetOnly` only
/// fill a field that is missing, null or empty.
#[derive(Clone, Copy)]
struct Setter<'a> {
    namespace: &'a str,
    unset_only: bool,
}

impl Setter<'_> {
    fn set(&self, field: &mut Node) -> Result<()> {
        if self.unset_only
            && !matches!(field.value, Value::Null | Value::Map(_) | Value::Seq(_))
            && !scalar_value_text(field).is_empty()
        {
            return Ok(());
        }
        set_scalar(field, Value::Str(self.namespace.to_string()))
    }
}

/// The namespace filter on one object.
fn set_namespace(
    node: &mut Node,
    gvk: &Gvk,
    api_version: &str,
    specs: &[FieldSpec],
    subjects: RoleBindingSubjects,
    setter: Setter,
) -> Result<()> {
    // `metadata/namespace` is handled below for every namespaced kind, so
    // specs for it are dropped; `metadata/name` specs only rename core (v1)
    // objects, i.e. a v1 Namespace.
    let mut specs: Vec<&FieldSpec> = specs
        .iter()
        .filter(|s| s.path != METADATA_NAMESPACE)
        .filter(|s| api_version == "v1" || s.path != METADATA_NAME)
        .collect();

    if !gvk.is_cluster_scoped() {
        let meta = FieldSpec::new("", "", "", METADATA_NAMESPACE, true);
        apply_to_fields(node, gvk, &meta, &mut |f| setter.set(f))?;
    }

    if is_role_binding(&gvk.kind) {
        specs.retain(|s| !(is_role_binding(&s.gvk.kind) && s.path == SUBJECTS_NAMESPACE));
        set_subject_namespaces(node, subjects, setter)
            .map_err(|e| e.context("setting namespace on (cluster)role binding subjects"))?;
    }

    let mut non_scalar_target = false;
    for spec in specs {
        apply_to_fields(node, gvk, spec, &mut |field| {
            let result = setter.set(field);
            if result.is_err() {
                non_scalar_target = true;
            }
            result
        })
        .map_err(|e| {
            if non_scalar_target {
                e.context("namespace field specs must target scalar nodes")
            } else {
                e.context("namespace transformation failed")
            }
        })?;
    }
    Ok(())
}

fn is_role_binding(kind: &str) -> bool {
    kind == "RoleBinding" || kind == "ClusterRoleBinding"
}

/// kustomize's `roleBindingHack`: `defaultOnly` sets the namespace of
/// subjects named `default` (any kind), `allServiceAccounts` of every
/// `ServiceAccount` subject; the `namespace` field is created if missing.
fn set_subject_namespaces(
    node: &mut Node,
    subjects: RoleBindingSubjects,
    setter: Setter,
) -> Result<()> {
    let (field, wanted) = match subjects {
        RoleBindingSubjects::None => return Ok(()),
        RoleBindingSubjects::DefaultOnly => ("name", "default"),
        RoleBindingSubjects::AllServiceAccounts => ("kind", "ServiceAccount"),
    };
    let Some(list) = node.get_mut("subjects") else {
        return Ok(());
    };
    let items = match &mut list.value {
        Value::Null => return Ok(()),
        Value::Seq(items) => items,
        _ => return Err(wrong_kind("SequenceNode", list)),
    };
    for subject in items.iter_mut() {
        let selected = match &subject.value {
            Value::Null => false,
            Value::Map(m) => match m.get(field) {
                None => false,
                Some(v) if matches!(v.value, Value::Map(_) | Value::Seq(_)) => {
                    return Err(wrong_kind("ScalarNode", v));
                }
                Some(v) => !v.is_null() && scalar_value_text(v) == wanted,
            },
            _ => return Err(wrong_kind("MappingNode", subject)),
        };
        if !selected {
            continue;
        }
        let Some(map) = subject.as_map_mut() else {
            continue;
        };
        if !map.contains_key("namespace") {
            map.insert(Key::new("namespace"), Node::string(""));
        }
        if let Some(ns) = map.get_mut("namespace") {
            setter.set(ns)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::kustomize::resource::Resource;
    use crate::yaml::Mapping;

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn s(v: &str) -> Node {
        Node::string(v)
    }

    fn object(
        api_version: &str,
        kind: &str,
        meta: Vec<(&str, Node)>,
        rest: Vec<(&str, Node)>,
    ) -> Resource {
        let mut fields = vec![
            ("apiVersion", s(api_version)),
            ("kind", s(kind)),
            ("metadata", map(meta)),
        ];
        fields.extend(rest);
        Resource::new(map(fields))
    }

    fn specs() -> Vec<FieldSpec> {
        TransformerConfig::defaults().namespace
    }

    fn run(rm: &mut ResMap) -> Result<()> {
        apply(rm, "ns1", &specs(), RoleBindingSubjects::DefaultOnly, false)
    }

    #[test]
    fn sets_namespaced_objects_and_records_previous_ids() {
        let mut rm: ResMap = [
            object("v1", "ConfigMap", vec![("name", s("c"))], vec![]),
            object(
                "apps/v1",
                "Deployment",
                vec![("name", s("d")), ("namespace", s("old"))],
                vec![],
            ),
            // Unknown kinds are namespaced (probed with ClusterIssuer).
            object(
                "cert-manager.io/v1",
                "ClusterIssuer",
                vec![("name", s("ci"))],
                vec![],
            ),
            object(
                "rbac.authorization.k8s.io/v1",
                "ClusterRole",
                vec![("name", s("cr"))],
                vec![],
            ),
        ]
        .into_iter()
        .collect();
        run(&mut rm).unwrap();
        assert_eq!(rm.get(0).namespace(), "ns1");
        assert_eq!(rm.get(1).namespace(), "ns1");
        assert_eq!(rm.get(2).namespace(), "ns1");
        assert!(rm
            .get(3)
            .node
            .get_path(&["metadata", "namespace"])
            .is_none());
        assert_eq!(rm.get(1).prev_ids.len(), 1);
        assert_eq!(rm.get(1).prev_ids[0].namespace, "old");
        assert_eq!(rm.get(3).prev_ids.len(), 1);
    }

    #[test]
    fn renames_only_core_namespaces() {
        // namespaces__TestNameNotOveriddenForNonCoreApiVersionOnANamespaceKind
        let mut rm: ResMap = [
            object("v1", "Namespace", vec![("name", s("a"))], vec![]),
            object(
                "example.com/v1",
                "Namespace",
                vec![("name", s("b"))],
                vec![],
            ),
        ]
        .into_iter()
        .collect();
        run(&mut rm).unwrap();
        assert_eq!(rm.get(0).name(), "ns1");
        assert!(rm
            .get(0)
            .node
            .get_path(&["metadata", "namespace"])
            .is_none());
        assert_eq!(rm.get(1).name(), "b");
        assert_eq!(rm.get(1).namespace(), "ns1");
    }

    #[test]
    fn sets_webhook_service_namespaces_from_specs() {
        let mut rm: ResMap = [object(
            "apiregistration.k8s.io/v1",
            "APIService",
            vec![("name", s("v1.x"))],
            vec![("spec", map(vec![]))],
        )]
        .into_iter()
        .collect();
        run(&mut rm).unwrap();
        assert_eq!(
            rm.get(0).node.str_at(&["spec", "service", "namespace"]),
            Some("ns1")
        );
        assert!(rm
            .get(0)
            .node
            .get_path(&["metadata", "namespace"])
            .is_none());
    }

    fn binding() -> Resource {
        let subject = |kind: &str, name: &str, ns: Option<&str>| {
            let mut f = vec![("kind", s(kind)), ("name", s(name))];
            if let Some(ns) = ns {
                f.push(("namespace", s(ns)));
            }
            map(f)
        };
        object(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            vec![("name", s("rb"))],
            vec![(
                "subjects",
                Node::seq(vec![
                    subject("ServiceAccount", "default", None),
                    subject("User", "default", Some("x")),
                    subject("ServiceAccount", "other", Some("elsewhere")),
                ]),
            )],
        )
    }

    fn subject_namespaces(rm: &ResMap) -> Vec<Option<String>> {
        rm.get(0)
            .node
            .get("subjects")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|s| s.str_at(&["namespace"]).map(str::to_string))
            .collect()
    }

    #[test]
    fn role_binding_subject_modes() {
        let ns = |v: &[Option<&str>]| -> Vec<Option<String>> {
            v.iter().map(|o| o.map(str::to_string)).collect()
        };
        let mut rm: ResMap = [binding()].into_iter().collect();
        run(&mut rm).unwrap();
        // defaultOnly: subjects named "default", whatever their kind (probed).
        assert_eq!(
            subject_namespaces(&rm),
            ns(&[Some("ns1"), Some("ns1"), Some("elsewhere")])
        );

        let mut rm: ResMap = [binding()].into_iter().collect();
        apply(
            &mut rm,
            "ns1",
            &specs(),
            RoleBindingSubjects::AllServiceAccounts,
            false,
        )
        .unwrap();
        assert_eq!(
            subject_namespaces(&rm),
            ns(&[Some("ns1"), Some("x"), Some("ns1")])
        );

        let mut rm: ResMap = [binding()].into_iter().collect();
        apply(&mut rm, "ns1", &specs(), RoleBindingSubjects::None, false).unwrap();
        assert_eq!(
            subject_namespaces(&rm),
            ns(&[None, Some("x"), Some("elsewhere")])
        );
    }

    #[test]
    fn unset_only_keeps_existing_namespaces() {
        let mut rm: ResMap = [
            object(
                "v1",
                "ConfigMap",
                vec![("name", s("a")), ("namespace", s("keep"))],
                vec![],
            ),
            object(
                "v1",
                "ConfigMap",
                vec![("name", s("b")), ("namespace", s(""))],
                vec![],
            ),
        ]
        .into_iter()
        .collect();
        apply(
            &mut rm,
            "ns1",
            &specs(),
            RoleBindingSubjects::DefaultOnly,
            true,
        )
        .unwrap();
        assert_eq!(rm.get(0).namespace(), "keep");
        assert_eq!(rm.get(1).namespace(), "ns1");
    }

    #[test]
    fn id_conflict_is_an_error() {
        // Probed with kubectl: namespace nn over a ConfigMap p in namespace
        // a and one without a namespace.
        let mut rm: ResMap = [
            object(
                "v1",
                "ConfigMap",
                vec![("name", s("p")), ("namespace", s("a"))],
                vec![],
            ),
            object("v1", "ConfigMap", vec![("name", s("p"))], vec![]),
        ]
        .into_iter()
        .collect();
        let err = apply(
            &mut rm,
            "nn",
            &specs(),
            RoleBindingSubjects::DefaultOnly,
            false,
        )
        .unwrap_err();
        let annotations = |ns: &str| {
            format!(
                "{{\"internal.config.kubernetes.io/previousKinds\":\"ConfigMap\",\
                 \"internal.config.kubernetes.io/previousNames\":\"p\",\
                 \"internal.config.kubernetes.io/previousNamespaces\":\"{ns}\"}}"
            )
        };
        let object = |ns: &str| {
            format!(
                "{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"annotations\":{},\
                 \"name\":\"p\",\"namespace\":\"nn\"}}}}",
                annotations(ns)
            )
        };
        assert_eq!(
            err.message,
            format!(
                "namespace transformation produces ID conflict: [{} {}]",
                object("a"),
                object("default")
            )
        );
    }

    #[test]
    fn empty_namespace_does_nothing() {
        let mut rm: ResMap = [object("v1", "ConfigMap", vec![("name", s("c"))], vec![])]
            .into_iter()
            .collect();
        apply(
            &mut rm,
            "",
            &specs(),
            RoleBindingSubjects::DefaultOnly,
            false,
        )
        .unwrap();
        assert!(rm.get(0).prev_ids.is_empty());
        assert_eq!(rm.get(0).namespace(), "");
    }

    #[test]
    fn parses_subject_modes() {
        assert_eq!(
            RoleBindingSubjects::parse("").unwrap(),
            RoleBindingSubjects::DefaultOnly
        );
        assert_eq!(
            RoleBindingSubjects::parse("none").unwrap(),
            RoleBindingSubjects::None
        );
        assert!(RoleBindingSubjects::parse("all").is_err());
    }
}
