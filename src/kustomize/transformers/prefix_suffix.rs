//! namePrefix and nameSuffix (kustomize's `PrefixTransformer` and
//! `SuffixTransformer`, `api/filters/{prefix,suffix}`).
//!
//! The prefix pass runs over every object, then the suffix pass. Objects
//! whose *original* kind is a CustomResourceDefinition, an APIService
//! (apiregistration.k8s.io) or a Namespace are never renamed. For each spec
//! selecting the object's original GVK: a `metadata/name` spec records the
//! prefix (for name-reference matching) and the id before the rename; then
//! every field the spec reaches gets the prefix (suffix) added to its text.
use crate::kustomize::{
    error::Result,
    fieldspec::{apply_to_fields, scalar_value_text, set_scalar, FieldSpec},
    resid::Gvk,
    resmap::ResMap,
    resource::Resource,
};
use crate::yaml::Value;

/// Runs the prefix pass (when `prefix` is not empty), then the suffix pass
/// (when `suffix` is not empty), both with `specs` (kustomize's
/// `namePrefix` and `nameSuffix` tables are the same by default; call twice
/// with one side empty when they differ).
pub fn apply(resmap: &mut ResMap, prefix: &str, suffix: &str, specs: &[FieldSpec]) -> Result<()> {
    if !prefix.is_empty() {
        rename_pass(resmap, prefix, specs, Side::Prefix)?;
    }
    if !suffix.is_empty() {
        rename_pass(resmap, suffix, specs, Side::Suffix)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Side {
    Prefix,
    Suffix,
}

/// kustomize's `prefixFieldSpecsToSkip` / `suffixFieldSpecsToSkip`.
fn never_renamed(gvk: &Gvk) -> bool {
    gvk.kind == "CustomResourceDefinition"
        || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
        || gvk.kind == "Namespace"
}

fn rename_pass(resmap: &mut ResMap, affix: &str, specs: &[FieldSpec], side: Side) -> Result<()> {
    for res in resmap.iter_mut() {
        let orig = res.orig_id().gvk;
        if never_renamed(&orig) {
            continue;
        }
        for spec in specs {
            if !spec.selects(&orig) {
                continue;
            }
            if spec.path == "metadata/name" {
                record_affix(res, affix, side);
                res.store_previous_id();
            }
            let gvk = res.gvk();
            apply_to_fields(&mut res.node, &gvk, spec, &mut |field| {
                let text = scalar_value_text(field);
                let renamed = match side {
                    Side::Prefix => format!("{affix}{text}"),
                    Side::Suffix => format!("{text}{affix}"),
                };
                set_scalar(field, Value::Str(renamed))
            })?;
        }
    }
    Ok(())
}

/// kustomize keeps applied prefixes as a comma-separated annotation, so a
/// prefix containing commas reads back as several.
fn record_affix(res: &mut Resource, affix: &str, side: Side) {
    let list = match side {
        Side::Prefix => &mut res.name_prefixes,
        Side::Suffix => &mut res.name_suffixes,
    };
    list.extend(affix.split(',').map(str::to_string));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::yaml::{Key, Mapping, Node};

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn object(api_version: &str, kind: &str, name: &str) -> Resource {
        Resource::new(map(vec![
            ("apiVersion", Node::string(api_version)),
            ("kind", Node::string(kind)),
            ("metadata", map(vec![("name", Node::string(name))])),
        ]))
    }

    fn specs() -> Vec<FieldSpec> {
        TransformerConfig::defaults().name_prefix
    }

    #[test]
    fn prefixes_and_suffixes_names_and_records_them() {
        let mut rm: ResMap = [object("apps/v1", "Deployment", "web")]
            .into_iter()
            .collect();
        apply(&mut rm, "p-", "-s", &specs()).unwrap();
        let r = rm.get(0);
        assert_eq!(r.name(), "p-web-s");
        assert_eq!(r.name_prefixes, vec!["p-"]);
        assert_eq!(r.name_suffixes, vec!["-s"]);
        let prev: Vec<&str> = r.prev_ids.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(prev, ["web", "p-web"]);
        assert_eq!(r.orig_id().name, "web");
    }

    #[test]
    fn skips_crds_apiservices_and_namespaces() {
        let mut rm: ResMap = [
            object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "crd"),
            object("apiregistration.k8s.io/v1", "APIService", "api"),
            object("example.com/v1", "APIService", "other-api"),
            object("v1", "Namespace", "ns"),
        ]
        .into_iter()
        .collect();
        apply(&mut rm, "p-", "", &specs()).unwrap();
        let names: Vec<&str> = rm.iter().map(|r| r.name()).collect();
        assert_eq!(names, ["crd", "api", "p-other-api", "ns"]);
        assert!(rm.get(0).prev_ids.is_empty());
        assert!(rm.get(0).name_prefixes.is_empty());
    }

    #[test]
    fn judges_by_original_kind() {
        // Renamed into a Namespace by an earlier patch: still prefixed,
        // because its original kind was a ConfigMap.
        let mut r = object("v1", "ConfigMap", "c");
        r.store_previous_id();
        r.node.set("kind", Node::string("Namespace"));
        let mut rm: ResMap = [r].into_iter().collect();
        apply(&mut rm, "p-", "", &specs()).unwrap();
        assert_eq!(rm.get(0).name(), "p-c");
    }

    #[test]
    fn custom_specs_rename_other_fields() {
        let mut rm: ResMap = [object("v1", "ConfigMap", "c")].into_iter().collect();
        rm.get_mut(0)
            .node
            .set("spec", map(vec![("ref", Node::string("x"))]));
        let mut specs = specs();
        specs.push(FieldSpec::new("", "", "ConfigMap", "spec/ref", false));
        specs.push(FieldSpec::new("", "", "ConfigMap", "spec/new", true));
        apply(&mut rm, "p-", "", &specs).unwrap();
        let r = rm.get(0);
        assert_eq!(r.node.str_at(&["spec", "ref"]), Some("p-x"));
        assert_eq!(r.node.str_at(&["spec", "new"]), Some("p-"));
        // Only the metadata/name spec records a rename.
        assert_eq!(r.prev_ids.len(), 1);
    }

    #[test]
    fn numeric_names_become_prefixed_strings() {
        let mut rm: ResMap = [object("v1", "ConfigMap", "c")].into_iter().collect();
        let mut n = Node::new(Value::Float(1.1));
        n.plain = Some("1.10".into());
        rm.get_mut(0)
            .node
            .get_mut("metadata")
            .unwrap()
            .set("name", n);
        apply(&mut rm, "p-", "", &specs()).unwrap();
        assert_eq!(rm.get(0).name(), "p-1.10");
    }
}
