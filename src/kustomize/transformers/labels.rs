//! commonLabels and labels entries (kustomize's `LabelTransformer`,
//! `api/filters/labels`): each pair is set, as a string, on every field the
//! specs reach in every object, creating fields as the specs say.
//!
//! Which specs apply is the caller's choice: `commonLabels` uses the
//! configured commonLabels specs (selectors included); a `labels:` entry
//! builds its own list from `includeSelectors`/`includeTemplates`/`fields`.
use crate::kustomize::{
    error::Result,
    fieldspec::{apply_to_fields, merge_field_specs, set_map_entry, FieldSpec, TransformerConfig},
    kustomization::{Label, StringMap},
    resmap::ResMap,
};
use crate::yaml::Node;

pub fn apply(resmap: &mut ResMap, pairs: &StringMap, specs: &[FieldSpec]) -> Result<()> {
    set_string_map_entries(resmap, pairs, specs)
}

/// The field specs of one `labels:` entry (kustomize's LabelTransformer
/// configurator): the entry's `fields`, the configured `labels` specs, then
/// with `includeSelectors` every commonLabels spec, else the templateLabels
/// specs when `includeTemplates`, plus `metadata/labels` (created).
pub fn entry_specs(label: &Label, config: &TransformerConfig) -> Result<Vec<FieldSpec>> {
    let mut specs: Vec<FieldSpec> = label.fields.iter().map(FieldSpec::from_args).collect();
    merge_field_specs(&mut specs, &config.labels)
        .map_err(|e| e.context("failed to merge labels"))?;
    if label.include_selectors {
        merge_field_specs(&mut specs, &config.common_labels)
            .map_err(|e| e.context("failed to merge labels"))?;
    } else {
        if label.include_templates {
            merge_field_specs(&mut specs, &config.template_labels)
                .map_err(|e| e.context("failed to merge template fieldSpec"))?;
        }
        merge_field_specs(
            &mut specs,
            &[FieldSpec::new("", "", "", "metadata/labels", true)],
        )
        .map_err(|e| e.context("failed to merge labels"))?;
    }
    Ok(specs)
}

/// Sets every pair at every spec'd field of every object (shared with
/// commonAnnotations, which differs only in its specs). Keys go in sorted
/// order, as kustomize iterates them.
pub(super) fn set_string_map_entries(
    resmap: &mut ResMap,
    pairs: &StringMap,
    specs: &[FieldSpec],
) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut keys: Vec<&String> = pairs.keys().collect();
    keys.sort();
    for res in resmap.iter_mut() {
        let gvk = res.gvk();
        for key in &keys {
            let value = &pairs[key.as_str()];
            for spec in specs {
                apply_to_fields(&mut res.node, &gvk, spec, &mut |field| {
                    set_map_entry(field, key, Node::string(value.as_str()), spec.create)
                })?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::kustomize::resource::Resource;
    use crate::yaml::{Key, Mapping, Value};

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn object(api_version: &str, kind: &str, name: &str, rest: Vec<(&str, Node)>) -> Resource {
        let mut fields = vec![
            ("apiVersion", Node::string(api_version)),
            ("kind", Node::string(kind)),
            ("metadata", map(vec![("name", Node::string(name))])),
        ];
        fields.extend(rest);
        Resource::new(map(fields))
    }

    fn pairs(kv: &[(&str, &str)]) -> StringMap {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn common_labels_reach_selectors_and_templates() {
        // numericcommonlabels / transformersarrays expectations: workload
        // selectors are created, Job selectors are not, values are strings.
        let mut rm: ResMap = [
            object("apps/v1", "Deployment", "d", vec![]),
            object("batch/v1", "Job", "j", vec![]),
            object(
                "v1",
                "Service",
                "s",
                vec![("spec", map(vec![("ports", Node::seq(vec![]))]))],
            ),
        ]
        .into_iter()
        .collect();
        let specs = TransformerConfig::defaults().common_labels;
        apply(&mut rm, &pairs(&[("app", "x"), ("version", "1")]), &specs).unwrap();

        let d = &rm.get(0).node;
        for path in [
            &["metadata", "labels"][..],
            &["spec", "selector", "matchLabels"],
            &["spec", "template", "metadata", "labels"],
        ] {
            let labels = d.get_path(path).unwrap();
            assert_eq!(labels.str_at(&["app"]), Some("x"), "{path:?}");
            assert_eq!(labels.str_at(&["version"]), Some("1"), "{path:?}");
        }
        let j = &rm.get(1).node;
        assert!(j.get_path(&["spec", "selector"]).is_none());
        assert_eq!(
            j.str_at(&["spec", "template", "metadata", "labels", "app"]),
            Some("x")
        );
        let s = &rm.get(2).node;
        assert_eq!(s.str_at(&["spec", "selector", "app"]), Some("x"));
    }

    #[test]
    fn list_paths_label_existing_elements_only() {
        // transformersarrays__TestTransformersNoCreateArrays: claim templates
        // get labels; a StatefulSet without them gets none created.
        let claim = |name: &str| map(vec![("metadata", map(vec![("name", Node::string(name))]))]);
        let mut rm: ResMap = [
            object("apps/v1", "StatefulSet", "test", vec![]),
            object(
                "apps/v1",
                "StatefulSet",
                "persisted-test",
                vec![(
                    "spec",
                    map(vec![(
                        "volumeClaimTemplates",
                        Node::seq(vec![claim("www"), claim("data")]),
                    )]),
                )],
            ),
        ]
        .into_iter()
        .collect();
        let specs = TransformerConfig::defaults().common_labels;
        apply(&mut rm, &pairs(&[("notIn", "arrays")]), &specs).unwrap();
        assert!(rm
            .get(0)
            .node
            .get_path(&["spec", "volumeClaimTemplates"])
            .is_none());
        let claims = rm
            .get(1)
            .node
            .get_path(&["spec", "volumeClaimTemplates"])
            .and_then(Node::as_seq)
            .unwrap();
        for c in claims {
            assert_eq!(c.str_at(&["metadata", "labels", "notIn"]), Some("arrays"));
        }
        assert_eq!(
            rm.get(0)
                .node
                .str_at(&["spec", "selector", "matchLabels", "notIn"]),
            Some("arrays")
        );
    }

    #[test]
    fn null_field_is_left_alone_unless_created() {
        // Probed: Job `spec.selector.matchLabels: null` stays null; Pod
        // `metadata.labels: null` becomes the labels.
        let mut rm: ResMap = [
            object(
                "batch/v1",
                "Job",
                "j",
                vec![(
                    "spec",
                    map(vec![("selector", map(vec![("matchLabels", Node::null())]))]),
                )],
            ),
            object("v1", "Pod", "p", vec![]),
        ]
        .into_iter()
        .collect();
        rm.get_mut(1)
            .node
            .get_mut("metadata")
            .unwrap()
            .set("labels", Node::null());
        let specs = TransformerConfig::defaults().common_labels;
        apply(&mut rm, &pairs(&[("app", "x")]), &specs).unwrap();
        assert!(rm
            .get(0)
            .node
            .get_path(&["spec", "selector", "matchLabels"])
            .unwrap()
            .is_null());
        assert_eq!(
            rm.get(1).node.str_at(&["metadata", "labels", "app"]),
            Some("x")
        );
    }

    #[test]
    fn overwrites_existing_values_and_rejects_non_maps() {
        let mut rm: ResMap = [object("v1", "ConfigMap", "c", vec![])]
            .into_iter()
            .collect();
        rm.get_mut(0)
            .node
            .get_mut("metadata")
            .unwrap()
            .set("labels", map(vec![("app", Node::new(Value::Int(1)))]));
        let specs = vec![FieldSpec::new("", "", "", "metadata/labels", true)];
        apply(&mut rm, &pairs(&[("app", "2")]), &specs).unwrap();
        assert_eq!(
            rm.get(0).node.str_at(&["metadata", "labels", "app"]),
            Some("2")
        );

        rm.get_mut(0)
            .node
            .get_mut("metadata")
            .unwrap()
            .set("labels", Node::string("oops"));
        let err = apply(&mut rm, &pairs(&[("app", "2")]), &specs).unwrap_err();
        assert!(
            err.message
                .ends_with("wrong node kind: expected MappingNode but got ScalarNode"),
            "{}",
            err.message
        );
    }

    #[test]
    fn labels_entries_choose_their_specs() {
        let config = TransformerConfig::defaults();
        let entry = |selectors: bool, templates: bool| Label {
            pairs: pairs(&[("team", "a")]),
            include_selectors: selectors,
            include_templates: templates,
            fields: Vec::new(),
        };
        let run = |label: &Label| {
            let mut rm: ResMap = [object("apps/v1", "Deployment", "d", vec![])]
                .into_iter()
                .collect();
            let specs = entry_specs(label, &config).unwrap();
            apply(&mut rm, &label.pairs, &specs).unwrap();
            rm.get(0).node.clone()
        };
        let has = |n: &Node, path: &[&str]| n.get_path(path).is_some();
        let plain = run(&entry(false, false));
        assert!(has(&plain, &["metadata", "labels", "team"]));
        assert!(!has(&plain, &["spec"]));
        let templates = run(&entry(false, true));
        assert!(has(
            &templates,
            &["spec", "template", "metadata", "labels", "team"]
        ));
        assert!(!has(&templates, &["spec", "selector"]));
        let selectors = run(&entry(true, false));
        assert!(has(
            &selectors,
            &["spec", "selector", "matchLabels", "team"]
        ));
        assert!(has(
            &selectors,
            &["spec", "template", "metadata", "labels", "team"]
        ));

        // A custom field with a conflicting `create` is an error.
        let mut bad = entry(false, false);
        bad.fields = vec![crate::kustomize::kustomization::FieldSpecArgs {
            path: "metadata/labels".into(),
            ..Default::default()
        }];
        assert_eq!(
            entry_specs(&bad, &config).unwrap_err().message,
            "failed to merge labels: conflicting fieldspecs"
        );
    }

    #[test]
    fn empty_pairs_touch_nothing() {
        let mut rm: ResMap = [object("v1", "ConfigMap", "c", vec![])]
            .into_iter()
            .collect();
        let specs = TransformerConfig::defaults().common_labels;
        apply(&mut rm, &StringMap::new(), &specs).unwrap();
        assert!(rm.get(0).node.get_path(&["metadata", "labels"]).is_none());
    }
}
