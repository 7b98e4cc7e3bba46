//! commonAnnotations (kustomize's `AnnotationsTransformer`,
//! `api/filters/annotations`): like labels, on the annotation fields.
use crate::kustomize::{
    error::Result, fieldspec::FieldSpec, kustomization::StringMap, resmap::ResMap,
};

pub fn apply(resmap: &mut ResMap, pairs: &StringMap, specs: &[FieldSpec]) -> Result<()> {
    super::labels::set_string_map_entries(resmap, pairs, specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::kustomize::resource::Resource;
    use crate::yaml::{Key, Mapping, Node, Value};

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    #[test]
    fn annotates_metadata_and_pod_templates() {
        let mut rm: ResMap = [
            Resource::new(map(vec![
                ("apiVersion", Node::string("apps/v1")),
                ("kind", Node::string("StatefulSet")),
                ("metadata", map(vec![("name", Node::string("s"))])),
            ])),
            Resource::new(map(vec![
                ("apiVersion", Node::string("v1")),
                ("kind", Node::string("Service")),
                ("metadata", map(vec![("name", Node::string("svc"))])),
            ])),
        ]
        .into_iter()
        .collect();
        let pairs: StringMap = [("note".to_string(), "true".to_string())].into();
        apply(
            &mut rm,
            &pairs,
            &TransformerConfig::defaults().common_annotations,
        )
        .unwrap();
        let s = &rm.get(0).node;
        assert_eq!(s.str_at(&["metadata", "annotations", "note"]), Some("true"));
        assert_eq!(
            s.str_at(&["spec", "template", "metadata", "annotations", "note"]),
            Some("true")
        );
        let svc = &rm.get(1).node;
        assert_eq!(
            svc.str_at(&["metadata", "annotations", "note"]),
            Some("true")
        );
        // Annotations never reach selectors.
        assert!(svc.get("spec").is_none());
    }
}
