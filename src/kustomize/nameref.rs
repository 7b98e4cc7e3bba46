//! Name-reference fix-up after renames (kustomize's
//! `api/internal/accumulator/namereferencetransformer.go` and
//! `api/filters/nameref`).
//!
//! Runs once over the whole build, after hash suffixes. For every entry of
//! the `nameReference` table (a referred kind and the fields that refer to
//! it), every object whose *original* kind is selected by a referrer field
//! spec gets that field rewritten: the field holds an old name, the filter
//! looks among the objects the referrer can see for the one that was once
//! called that, and writes that object's current name (and, for maps like
//! RoleBinding `subjects`, its namespace).
//!
//! A field can hold a name (scalar), a list of names, a map with `name` and
//! optional `namespace`, or a list of such maps.

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::{
    apply_to_fields, gvk_display, scalar_value_text, FieldSpec, NameBackReference,
};
use super::resid::{Gvk, ResId, NOT_A_NAMESPACE};
use super::resmap::ResMap;
use super::resource::Resource;
use crate::yaml::{Node, Value};
use std::collections::HashSet;

/// Rewrites every name reference to an object that was renamed.
pub fn fix_back_references(resmap: &mut ResMap, config: &[NameBackReference]) -> Result<()> {
    let facts: Vec<Facts> = resmap.iter().map(Facts::of).collect();
    let filters = referrer_filters(&facts, config);
    for (index, filters) in filters.into_iter().enumerate() {
        if filters.is_empty() {
            continue;
        }
        let referrer = &facts[index];
        let candidates = candidates_for(referrer, &resmap.get(index).node, &facts)?;
        for (spec, target) in filters {
            let role_ref = if spec.path.ends_with("roleRef/name") {
                role_ref_gvk(&resmap.get(index).node)
            } else {
                None
            };
            let filter = Filter {
                referrer,
                target,
                role_ref,
                facts: &facts,
                candidates: &candidates,
            };
            let res = resmap.get_mut(index);
            let gvk = res.gvk();
            // The referrer was chosen by its original kind; its current kind
            // must not stop the traversal, so the spec selects any kind.
            let spec = FieldSpec {
                gvk: Gvk::default(),
                path: spec.path.clone(),
                create: false,
            };
            apply_to_fields(&mut res.node, &gvk, &spec, &mut |node| filter.set(node)).map_err(
                |e| {
                    e.context(format_args!(
                        "updating name reference in '{}' field of '{}'",
                        spec.path,
                        id_display(&referrer.cur_id)
                    ))
                },
            )?;
        }
    }
    Ok(())
}

/// What the selection needs to know about one object, read once before any
/// field is rewritten (the fix-up changes referrer fields, never names).
struct Facts {
    cur_id: ResId,
    kind: String,
    name: String,
    namespace: String,
    /// kustomize's `PrevIds` (see [`Resource::recorded_prev_ids`]).
    prev_ids: Vec<ResId>,
    /// The original id's GVK: the first previous id's, else the current one.
    orig_gvk: Gvk,
    /// The original id's effective namespace; [`NOT_A_NAMESPACE`] for
    /// cluster-scoped objects.
    orig_namespace: String,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Facts {
    fn of(res: &Resource) -> Facts {
        let cur_id = res.id();
        let prev_ids = res.recorded_prev_ids();
        let (orig_gvk, orig_namespace) = match prev_ids.first() {
            // Recorded namespaces are already effective ones.
            Some(id) => (id.gvk.clone(), id.namespace.clone()),
            None => (cur_id.gvk.clone(), cur_id.effective_namespace().to_string()),
        };
        Facts {
            kind: res.kind().to_string(),
            name: res.name().to_string(),
            namespace: res.namespace().to_string(),
            cur_id,
            prev_ids,
            orig_gvk,
            orig_namespace,
            prefixes: res.name_prefixes.clone(),
            suffixes: res.name_suffixes.clone(),
        }
    }

    fn is_cluster_scoped(&self) -> bool {
        self.cur_id.gvk.is_cluster_scoped()
    }
}

/// Per object, the (referrer field, referred kind) pairs to fix, in table order.
fn referrer_filters<'c>(
    facts: &[Facts],
    config: &'c [NameBackReference],
) -> Vec<Vec<(&'c FieldSpec, &'c Gvk)>> {
    let mut filters = vec![Vec::new(); facts.len()];
    for back_ref in config {
        for spec in &back_ref.referrers {
            for (i, f) in facts.iter().enumerate() {
                if f.orig_gvk.is_selected_by(&spec.gvk) {
                    filters[i].push((spec, &back_ref.gvk));
                }
            }
        }
    }
    filters
}

/// Indexes of the objects `referrer` may refer to (kustomize's
/// `SubsetThatCouldBeReferencedByResource`): everything for a cluster-scoped
/// referrer; else objects in its namespace, cluster-scoped objects, and for a
/// RoleBinding the objects in the namespaces of its ServiceAccount subjects.
fn candidates_for(referrer: &Facts, node: &Node, facts: &[Facts]) -> Result<Vec<usize>> {
    if referrer.is_cluster_scoped() {
        return Ok((0..facts.len()).collect());
    }
    let subject_namespaces = role_binding_namespaces(referrer, node)?;
    let namespace = referrer.cur_id.effective_namespace();
    Ok(facts
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.is_cluster_scoped()
                || f.cur_id.effective_namespace() == namespace
                || subject_namespaces.contains(f.namespace.as_str())
        })
        .map(|(i, _)| i)
        .collect())
}

/// The namespaces of a RoleBinding's ServiceAccount subjects, which may be
/// outside the RoleBinding's own namespace.
fn role_binding_namespaces<'n>(referrer: &Facts, node: &'n Node) -> Result<HashSet<&'n str>> {
    let mut namespaces = HashSet::new();
    if referrer.kind != "RoleBinding" {
        return Ok(namespaces);
    }
    let Some(subjects) = node.get("subjects").and_then(Node::as_seq) else {
        return Ok(namespaces);
    };
    for subject in subjects {
        let (Some(namespace), Some(kind)) = (subject.get("namespace"), subject.get("kind")) else {
            continue;
        };
        if kind.as_str() != Some("ServiceAccount") {
            continue;
        }
        match namespace.as_str() {
            Some(ns) => {
                namespaces.insert(ns);
            }
            None => {
                return Err(Error::new(
                    ErrorKind::NameReference,
                    format!(
                        "Invalid Input: namespace is blank for resource \"{}\"",
                        id_display(&referrer.cur_id)
                    ),
                )
                .at(subject.span))
            }
        }
    }
    Ok(namespaces)
}

/// The `apiGroup` and `kind` of a RoleBinding's `roleRef`; `None` (any kind
/// will do) when either is missing.
fn role_ref_gvk(node: &Node) -> Option<Gvk> {
    let role_ref = node.get("roleRef")?;
    let group = scalar_value_text(role_ref.get("apiGroup")?);
    let kind = scalar_value_text(role_ref.get("kind")?);
    Some(Gvk::new(&group, "", &kind))
}

/// kyaml's `ResId.String()`: `Kind.version.group/name.namespace`.
fn id_display(id: &ResId) -> String {
    let or = |s: &str, empty: &'static str| if s.is_empty() { empty } else { s }.to_string();
    format!(
        "{}/{}.{}",
        gvk_display(&id.gvk),
        or(&id.name, "[noName]"),
        or(&id.namespace, "[noNs]")
    )
}

/// One (referrer field, referred kind) fix-up of one referrer
/// (kustomize's `nameref.Filter`).
struct Filter<'a> {
    referrer: &'a Facts,
    /// The kind of object the field names.
    target: &'a Gvk,
    /// For `roleRef/name` fields: the kind `roleRef` names.
    role_ref: Option<Gvk>,
    facts: &'a [Facts],
    /// What the referrer can see (see [`candidates_for`]).
    candidates: &'a [usize],
}

impl Filter<'_> {
    /// Called on the node at the end of the field spec's path.
    fn set(&self, node: &mut Node) -> Result<()> {
        match &mut node.value {
            Value::Null => Ok(()),
            Value::Map(_) => self.set_mapping(node),
            Value::Seq(items) => {
                for item in items {
                    match &item.value {
                        Value::Null => {}
                        Value::Map(_) => self.set_mapping(item)?,
                        Value::Seq(_) => {
                            return Err(Error::new(
                                ErrorKind::NameReference,
                                "a list item is expected to be either a string or a map of string",
                            )
                            .at(item.span))
                        }
                        _ => self.set_scalar(item)?,
                    }
                }
                Ok(())
            }
            _ => self.set_scalar(node),
        }
    }

    fn set_scalar(&self, node: &mut Node) -> Result<()> {
        let old = scalar_value_text(node);
        let Some(referral) =
            self.select_referral(&old, self.candidates.to_vec(), all_names_are_the_same)?
        else {
            return Ok(());
        };
        let name = &self.facts[referral].name;
        if *name != old {
            node.value = Value::Str(name.clone());
            node.plain = None;
        }
        Ok(())
    }

    /// A map naming its target by `name` and, optionally, `namespace`.
    fn set_mapping(&self, node: &mut Node) -> Result<()> {
        let Some(name_node) = node.get("name") else {
            return Err(Error::new(
                ErrorKind::NameReference,
                "path config error; no 'name' field in node",
            )
            .at(node.span));
        };
        let old = scalar_value_text(name_node);
        let candidates = match node.get("namespace") {
            None => self.candidates.to_vec(),
            Some(ns) => self.candidates_in_namespace(&scalar_value_text(ns)),
        };
        let Some(referral) =
            self.select_referral(&old, candidates, all_names_and_namespaces_are_the_same)?
        else {
            return Ok(());
        };
        let referral = &self.facts[referral];
        if referral.name == old && referral.namespace.is_empty() {
            return Ok(());
        }
        set_string(node, "name", &referral.name);
        // An empty namespace is a wildcard here, not "default": leave the
        // field as it is.
        if !referral.namespace.is_empty() {
            set_string(node, "namespace", &referral.namespace);
        }
        Ok(())
    }

    /// Candidates whose original namespace is `namespace`, else those
    /// currently in it (cluster-scoped objects are in neither).
    fn candidates_in_namespace(&self, namespace: &str) -> Vec<usize> {
        if namespace == NOT_A_NAMESPACE {
            return Vec::new();
        }
        let by_original: Vec<usize> = self
            .candidates
            .iter()
            .copied()
            .filter(|&i| self.facts[i].orig_namespace == namespace)
            .collect();
        if !by_original.is_empty() {
            return by_original;
        }
        self.candidates
            .iter()
            .copied()
            .filter(|&i| self.facts[i].cur_id.effective_namespace() == namespace)
            .collect()
    }

    /// Picks the object that was once called `old_name` (kustomize's
    /// `selectReferral`); `None` when there is none.
    fn select_referral(
        &self,
        old_name: &str,
        mut candidates: Vec<usize>,
        identical: fn(&[&Facts]) -> bool,
    ) -> Result<Option<usize>> {
        let facts = self.facts;
        candidates.retain(|&i| facts[i].prev_ids.iter().any(|id| id.name == old_name));
        candidates.retain(|&i| {
            facts[i]
                .prev_ids
                .iter()
                .any(|id| id.gvk.is_selected_by(self.target))
        });
        if let Some(role_ref) = &self.role_ref {
            candidates.retain(|&i| {
                facts[i]
                    .prev_ids
                    .iter()
                    .any(|id| id.gvk.is_selected_by(role_ref))
            });
        }
        candidates.retain(|&i| self.in_referrer_namespace(&facts[i]));
        if candidates.len() == 1 {
            return Ok(Some(candidates[0]));
        }
        candidates.retain(|&i| prefixes_suffixes_equal(&facts[i], self.referrer, true));
        if candidates.len() > 1 {
            candidates.retain(|&i| prefixes_suffixes_equal(&facts[i], self.referrer, false));
        }
        match candidates.len() {
            0 => Ok(None),
            1 => Ok(Some(candidates[0])),
            _ => {
                let chosen: Vec<&Facts> = candidates.iter().map(|&i| &facts[i]).collect();
                if identical(&chosen) {
                    return Ok(Some(candidates[0]));
                }
                let ids: Vec<String> = chosen.iter().map(|f| id_display(&f.cur_id)).collect();
                Err(Error::new(
                    ErrorKind::NameReference,
                    format!("found multiple possible referrals: {}", ids.join(", ")),
                ))
            }
        }
    }

    /// Cluster-scoped objects and ServiceAccounts are visible from any
    /// namespace; everything is visible from a cluster-scoped referrer.
    fn in_referrer_namespace(&self, candidate: &Facts) -> bool {
        self.referrer.is_cluster_scoped()
            || candidate.is_cluster_scoped()
            || candidate.kind == "ServiceAccount"
            || candidate.cur_id.effective_namespace() == self.referrer.cur_id.effective_namespace()
    }
}

/// Sets `key` of a mapping to a string, keeping its place when present.
fn set_string(node: &mut Node, key: &str, value: &str) {
    match node.get_mut(key) {
        Some(slot) => {
            slot.value = Value::Str(value.to_string());
            slot.plain = None;
        }
        None => node.set(key, Node::string(value)),
    }
}

fn all_names_are_the_same(facts: &[&Facts]) -> bool {
    facts.iter().all(|f| f.name == facts[0].name)
}

fn all_names_and_namespaces_are_the_same(facts: &[&Facts]) -> bool {
    facts
        .iter()
        .all(|f| f.name == facts[0].name && f.namespace == facts[0].namespace)
}

/// Whether two objects were renamed in the same kustomization context:
/// their applied prefix lists end the same way, and so do their suffix
/// lists. With `allow_empty`, an empty list on either side matches anything.
fn prefixes_suffixes_equal(candidate: &Facts, referrer: &Facts, allow_empty: bool) -> bool {
    let same = |a: &[String], b: &[String]| {
        (allow_empty && (a.is_empty() || b.is_empty())) || same_ending(a, b)
    };
    same(&candidate.prefixes, &referrer.prefixes) && same(&candidate.suffixes, &referrer.suffixes)
}

/// `{a, b, c}` and `{b, c}` end the same way; an empty list only ends like
/// another empty list.
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Resource {
        Resource::new(serde_json::from_str::<Node>(json).expect("test JSON"))
    }

    fn cm(namespace: &str, name: &str) -> Resource {
        object(&format!(
            r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}","namespace":"{namespace}"}}}}"#
        ))
    }

    /// Records the rename the way the prefix/suffix transformers do.
    fn renamed(mut res: Resource, prefix: &str, suffix: &str) -> Resource {
        res.store_previous_id();
        let name = format!("{prefix}{}{suffix}", res.name());
        res.set_name(&name);
        if !prefix.is_empty() {
            res.name_prefixes.push(prefix.to_string());
        }
        if !suffix.is_empty() {
            res.name_suffixes.push(suffix.to_string());
        }
        res
    }

    fn deployment(namespace: &str, name: &str, config_map: &str) -> Resource {
        object(&format!(
            r#"{{"apiVersion":"apps/v1","kind":"Deployment",
                "metadata":{{"name":"{name}","namespace":"{namespace}"}},
                "spec":{{"template":{{"spec":{{
                    "volumes":[{{"name":"v","configMap":{{"name":"{config_map}"}}}}],
                    "containers":[{{"name":"c","env":[{{"name":"E","valueFrom":{{"configMapKeyRef":{{"name":"{config_map}","key":"k"}}}}}}]}}]
                }}}}}}}}"#
        ))
    }

    fn config() -> Vec<NameBackReference> {
        let rbac = "rbac.authorization.k8s.io";
        vec![
            NameBackReference {
                gvk: Gvk::new("", "v1", "ConfigMap"),
                referrers: vec![
                    FieldSpec::new(
                        "",
                        "",
                        "Deployment",
                        "spec/template/spec/volumes/configMap/name",
                        false,
                    ),
                    FieldSpec::new(
                        "",
                        "",
                        "Deployment",
                        "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                        false,
                    ),
                    FieldSpec::new("", "", "ClusterRole", "rules/resourceNames", false),
                ],
            },
            NameBackReference {
                gvk: Gvk::new(rbac, "", "Role"),
                referrers: vec![FieldSpec::new(
                    rbac,
                    "",
                    "RoleBinding",
                    "roleRef/name",
                    false,
                )],
            },
            NameBackReference {
                gvk: Gvk::new(rbac, "", "ClusterRole"),
                referrers: vec![
                    FieldSpec::new(rbac, "", "RoleBinding", "roleRef/name", false),
                    FieldSpec::new(rbac, "", "ClusterRoleBinding", "roleRef/name", false),
                ],
            },
            NameBackReference {
                gvk: Gvk::new("", "v1", "ServiceAccount"),
                referrers: vec![
                    FieldSpec::new(rbac, "", "RoleBinding", "subjects", false),
                    FieldSpec::new(rbac, "", "ClusterRoleBinding", "subjects", false),
                ],
            },
        ]
    }

    fn fix(resources: Vec<Resource>) -> Result<ResMap> {
        let mut resmap: ResMap = resources.into_iter().collect();
        fix_back_references(&mut resmap, &config())?;
        Ok(resmap)
    }

    fn volume_ref(res: &Resource) -> &str {
        let volumes = res
            .node
            .get_path(&["spec", "template", "spec", "volumes"])
            .unwrap();
        volumes.as_seq().unwrap()[0]
            .str_at(&["configMap", "name"])
            .unwrap()
    }

    fn env_ref(res: &Resource) -> &str {
        let containers = res
            .node
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        let env = containers.as_seq().unwrap()[0].get("env").unwrap();
        env.as_seq().unwrap()[0]
            .str_at(&["valueFrom", "configMapKeyRef", "name"])
            .unwrap()
    }

    #[test]
    fn renamed_config_map_is_followed_in_every_field() {
        let out = fix(vec![
            renamed(cm("", "app"), "p-", "-h1"),
            cm("", "plain"),
            renamed(deployment("", "web", "app"), "p-", ""),
            deployment("", "other", "plain"),
        ])
        .unwrap();
        assert_eq!(volume_ref(out.get(2)), "p-app-h1");
        assert_eq!(env_ref(out.get(2)), "p-app-h1");
        // Never renamed: never a candidate, the reference stays.
        assert_eq!(volume_ref(out.get(3)), "plain");
    }

    #[test]
    fn only_objects_in_the_referrers_namespace_are_candidates() {
        let out = fix(vec![
            renamed(cm("a", "app"), "p-", ""),
            deployment("b", "web", "app"),
            deployment("a", "web", "app"),
        ])
        .unwrap();
        assert_eq!(volume_ref(out.get(1)), "app");
        assert_eq!(volume_ref(out.get(2)), "p-app");
    }

    #[test]
    fn intermediate_names_are_followed() {
        // Renamed twice; a referrer added between the renames holds the
        // intermediate name.
        let twice = renamed(renamed(cm("", "app"), "in-", ""), "out-", "");
        let out = fix(vec![twice, deployment("", "web", "in-app")]).unwrap();
        assert_eq!(volume_ref(out.get(1)), "out-in-app");
    }

    #[test]
    fn prefixes_choose_between_copies_of_a_base() {
        // A diamond: two overlays prefix the same base object.
        let out = fix(vec![
            renamed(cm("", "app"), "a-", ""),
            renamed(deployment("", "web", "app"), "a-", ""),
            renamed(cm("", "app"), "b-", ""),
            renamed(deployment("", "web", "app"), "b-", ""),
        ])
        .unwrap();
        assert_eq!(volume_ref(out.get(1)), "a-app");
        assert_eq!(volume_ref(out.get(3)), "b-app");
    }

    #[test]
    fn outer_prefixes_must_end_the_same_way() {
        // Both candidates share the outer prefix; the inner one decides.
        let a = renamed(renamed(cm("", "app"), "a-", ""), "top-", "");
        let b = renamed(renamed(cm("", "app"), "b-", ""), "top-", "");
        let web = renamed(renamed(deployment("", "web", "app"), "b-", ""), "top-", "");
        let out = fix(vec![a, b, web]).unwrap();
        assert_eq!(volume_ref(out.get(2)), "top-b-app");
    }

    #[test]
    fn equally_named_candidates_are_not_ambiguous_for_names() {
        let role = object(
            r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                "metadata":{"name":"r"},"rules":[{"resourceNames":["app","x"]}]}"#,
        );
        let out = fix(vec![
            renamed(cm("a", "app"), "p-", ""),
            renamed(cm("b", "app"), "p-", ""),
            renamed(role, "p-", ""),
        ])
        .unwrap();
        let rules = out.get(2).node.get("rules").unwrap().as_seq().unwrap();
        let names: Vec<&str> = rules[0]
            .get("resourceNames")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(names, ["p-app", "x"]);
    }

    fn rbac(kind: &str, namespace: &str, name: &str, rest: &str) -> Resource {
        object(&format!(
            r#"{{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"{kind}",
                "metadata":{{"name":"{name}","namespace":"{namespace}"}}{rest}}}"#
        ))
    }

    fn service_account(namespace: &str, name: &str) -> Resource {
        object(&format!(
            r#"{{"apiVersion":"v1","kind":"ServiceAccount","metadata":{{"name":"{name}","namespace":"{namespace}"}}}}"#
        ))
    }

    fn subjects(res: &Resource) -> Vec<(String, String)> {
        res.node
            .get("subjects")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s.str_at(&["name"]).unwrap().to_string(),
                    s.str_at(&["namespace"]).unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn role_binding_subjects_across_namespaces() {
        // Corpus rolebindingacrossnamespace__TestRoleBindingAcrossNamespace.
        let binding = rbac(
            "RoleBinding",
            "ns2",
            "rb",
            r#","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"my-role"},
               "subjects":[{"kind":"ServiceAccount","name":"sa1","namespace":"ns1"},
                           {"kind":"ServiceAccount","name":"sa2","namespace":"ns2"},
                           {"kind":"NotServiceAccount","name":"nsa","namespace":"ns1"}]"#,
        );
        let not_sa = object(
            r#"{"apiVersion":"v1","kind":"NotServiceAccount","metadata":{"name":"nsa","namespace":"ns1"}}"#,
        );
        let out = fix(vec![
            renamed(service_account("ns1", "sa1"), "", "-x"),
            renamed(service_account("ns2", "sa2"), "", "-x"),
            renamed(not_sa, "", "-x"),
            renamed(rbac("Role", "ns2", "my-role", ""), "", "-x"),
            renamed(binding, "", "-x"),
        ])
        .unwrap();
        let rb = out.get(4);
        assert_eq!(
            subjects(rb),
            [
                ("sa1-x".to_string(), "ns1".to_string()),
                ("sa2-x".to_string(), "ns2".to_string()),
                ("nsa".to_string(), "ns1".to_string()),
            ]
        );
        assert_eq!(rb.node.str_at(&["roleRef", "name"]), Some("my-role-x"));
    }

    #[test]
    fn subject_without_namespace_gets_the_service_accounts() {
        let binding = rbac(
            "ClusterRoleBinding",
            "",
            "crb",
            r#","subjects":[{"kind":"ServiceAccount","name":"sa"}]"#,
        );
        let mut sa = service_account("", "sa");
        sa.store_previous_id();
        sa.set_namespace("team");
        let out = fix(vec![sa, binding]).unwrap();
        assert_eq!(
            subjects(out.get(1)),
            [("sa".to_string(), "team".to_string())]
        );
    }

    #[test]
    fn role_ref_kind_chooses_between_role_and_cluster_role() {
        let binding = rbac(
            "RoleBinding",
            "",
            "rb",
            r#","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"r"}"#,
        );
        let out = fix(vec![
            renamed(rbac("Role", "", "r", ""), "role-", ""),
            renamed(rbac("ClusterRole", "", "r", ""), "cluster-", ""),
            binding,
        ])
        .unwrap();
        assert_eq!(
            out.get(2).node.str_at(&["roleRef", "name"]),
            Some("cluster-r")
        );
    }

    #[test]
    fn service_accounts_of_the_same_name_in_two_namespaces_are_ambiguous() {
        // Corpus namedspacedserviceaccounts__TestNamedspacedServiceAccountsWithOverlap.
        let binding = rbac(
            "ClusterRoleBinding",
            "",
            "crb",
            r#","subjects":[{"kind":"ServiceAccount","name":"sa"}]"#,
        );
        let mut a = service_account("", "sa");
        a.store_previous_id();
        a.set_namespace("a");
        let mut b = service_account("", "sa");
        b.store_previous_id();
        b.set_namespace("b");
        let err = fix(vec![a, b, binding]).unwrap_err();
        assert!(
            err.message.contains("found multiple possible referrals"),
            "{}",
            err.message
        );
        assert_eq!(
            err.message,
            "updating name reference in 'subjects' field of \
             'ClusterRoleBinding.v1.rbac.authorization.k8s.io/crb.[noNs]': considering field \
             'subjects' of object ClusterRoleBinding.v1.rbac.authorization.k8s.io/crb.[noNs]: \
             found multiple possible referrals: ServiceAccount.v1.[noGrp]/sa.a, \
             ServiceAccount.v1.[noGrp]/sa.b"
        );
    }

    #[test]
    fn subject_namespace_narrows_by_original_namespace() {
        let binding = rbac(
            "ClusterRoleBinding",
            "",
            "crb",
            r#","subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"b"}]"#,
        );
        let out = fix(vec![
            renamed(service_account("a", "sa"), "p-", ""),
            renamed(service_account("b", "sa"), "q-", ""),
            binding,
        ])
        .unwrap();
        assert_eq!(
            subjects(out.get(2)),
            [("q-sa".to_string(), "b".to_string())]
        );
    }

    #[test]
    fn a_subject_needs_a_name() {
        let binding = rbac(
            "ClusterRoleBinding",
            "",
            "crb",
            r#","subjects":[{"kind":"ServiceAccount"}]"#,
        );
        let err = fix(vec![binding]).unwrap_err();
        assert!(
            err.message.contains("no 'name' field in node"),
            "{}",
            err.message
        );
    }

    #[test]
    fn role_binding_subject_namespace_must_be_a_string() {
        let binding = rbac(
            "RoleBinding",
            "x",
            "rb",
            r#","subjects":[{"kind":"ServiceAccount","name":"sa","namespace":null}]"#,
        );
        let err = fix(vec![binding]).unwrap_err();
        assert!(err
            .message
            .starts_with("Invalid Input: namespace is blank for resource"));
    }

    #[test]
    fn prefix_lists_end_the_same_way() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(same_ending(&v(&["a", "b", "c"]), &v(&["b", "c"])));
        assert!(!same_ending(&v(&["a", "b", "c"]), &v(&["a", "b"])));
        assert!(!same_ending(&v(&["a"]), &v(&[])));
        assert!(same_ending(&v(&[]), &v(&[])));
    }
}
