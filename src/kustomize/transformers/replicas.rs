//! replicas entries (kustomize's `ReplicaCountTransformer`,
//! `api/filters/replicacount`).
//!
//! For each replicas spec, the objects with the entry's name among any of
//! their ids (current or previous, any namespace) and a GVK the spec selects
//! get `count` at the spec's path. No object matched by any spec is an error.
use crate::kustomize::{
    error::{Error, ErrorKind, Result},
    fieldspec::{apply_to_fields, gvk_display, set_scalar, FieldSpec},
    kustomization::Replica,
    resmap::ResMap,
};
use crate::yaml::Value;

pub fn apply(resmap: &mut ResMap, replica: &Replica, specs: &[FieldSpec]) -> Result<()> {
    let mut found = false;
    for spec in specs {
        let matched = resmap.positions(|r| {
            r.all_ids()
                .iter()
                .any(|id| id.name == replica.name && id.gvk.is_selected_by(&spec.gvk))
        });
        found |= !matched.is_empty();
        for i in matched {
            let res = resmap.get_mut(i);
            let gvk = res.gvk();
            apply_to_fields(&mut res.node, &gvk, spec, &mut |field| {
                set_scalar(field, Value::Int(replica.count))
            })?;
        }
    }
    if !found {
        let gvks: Vec<String> = specs.iter().map(|s| gvk_display(&s.gvk)).collect();
        return Err(Error::new(
            ErrorKind::Transformer,
            format!(
                "resource with name {} does not match a config with the following GVK [{}]",
                replica.name,
                gvks.join(" ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::kustomize::resource::Resource;
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

    fn replica(name: &str, count: i64) -> Replica {
        Replica {
            name: name.to_string(),
            count,
        }
    }

    #[test]
    fn sets_count_by_current_or_original_name() {
        let mut renamed = object("apps/v1", "StatefulSet", "db");
        renamed.store_previous_id();
        renamed.set_name("p-db");
        let mut rm: ResMap = [
            object("apps/v1", "Deployment", "web"),
            renamed,
            object("v1", "Service", "web"),
        ]
        .into_iter()
        .collect();
        let specs = TransformerConfig::defaults().replicas;
        apply(&mut rm, &replica("web", 3), &specs).unwrap();
        apply(&mut rm, &replica("db", 2), &specs).unwrap();
        let count = |i: usize| rm.get(i).node.get_path(&["spec", "replicas"]).cloned();
        assert_eq!(count(0).map(|n| n.value), Some(Value::Int(3)));
        assert_eq!(count(1).map(|n| n.value), Some(Value::Int(2)));
        assert!(count(2).is_none());
    }

    #[test]
    fn no_match_is_an_error_naming_the_gvks() {
        // Message probed with kubectl kustomize.
        let mut rm: ResMap = [object("v1", "ConfigMap", "p")].into_iter().collect();
        let err = apply(
            &mut rm,
            &replica("p", 2),
            &TransformerConfig::defaults().replicas,
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "resource with name p does not match a config with the following GVK \
             [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] \
             ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]"
        );
    }
}
