//! The variables of `spec.postBuild` (kustomize-controller's
//! `LoadVariables`): `substituteFrom` ConfigMaps and Secrets of the
//! Kustomization's namespace, in list order, then the inline `substitute`
//! map, which wins.
//!
//! Offline, a ConfigMap or Secret is either known (rendered from the
//! repository, or given in `.fluxlint.yaml`), unknown (a SOPS-encrypted
//! Secret, or one the render shows is made in the cluster: its values exist
//! but cannot be read here), or missing.

use super::substitute::{merge_variables, Strategy, Substitution};
use crate::yaml::{Node, Value};
use base64::Engine;
use indexmap::IndexMap;

/// What the cluster has under a `substituteFrom` reference.
#[derive(Clone, Debug, PartialEq)]
pub enum VarSource {
    /// The data is known.
    Known(IndexMap<String, String>),
    /// The object exists but its values cannot be read offline. `keys` are
    /// its variable names when known (a SOPS file keeps keys in clear).
    Unknown {
        reason: String,
        keys: Option<Vec<String>>,
    },
}

/// A `substituteFrom` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubstituteFrom {
    pub kind: String,
    pub name: String,
    pub optional: bool,
}

/// The outcome of loading a Kustomization's variables.
#[derive(Clone, Debug, Default)]
pub struct LoadedVariables {
    pub substitution: Substitution,
    /// Non-optional references that name nothing the cluster has.
    pub missing: Vec<SubstituteFrom>,
    /// References whose values exist but are unknown offline, with why.
    pub unknown: Vec<(SubstituteFrom, String)>,
    /// Every reference, in order (to say where values could come from).
    pub from: Vec<SubstituteFrom>,
    /// Inline `substitute` keys.
    pub inline_keys: Vec<String>,
}

/// The `substituteFrom` entries of a Flux Kustomization object.
pub fn substitute_from(object: &Node) -> Vec<SubstituteFrom> {
    object
        .get_path(&["spec", "postBuild", "substituteFrom"])
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .map(|i| SubstituteFrom {
                    kind: i.str_at(&["kind"]).unwrap_or("").to_string(),
                    name: i.str_at(&["name"]).unwrap_or("").to_string(),
                    optional: matches!(
                        i.get("optional").map(|n| &n.value),
                        Some(Value::Bool(true))
                    ),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Loads the variables of `object` (a Flux Kustomization); `lookup(kind,
/// namespace, name)` answers what the cluster has.
pub fn load(
    object: &Node,
    strict: bool,
    lookup: &dyn Fn(&str, &str, &str) -> Option<VarSource>,
) -> LoadedVariables {
    let mut out = LoadedVariables::default();
    let Some(post_build) = object.get_path(&["spec", "postBuild"]) else {
        return out;
    };
    let namespace = object.str_at(&["metadata", "namespace"]).unwrap_or("");
    let inline: IndexMap<String, String> = post_build
        .get("substitute")
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.name.clone(), scalar_string(v)))
                .collect()
        })
        .unwrap_or_default();
    let mut maps = Vec::new();
    for entry in substitute_from(object) {
        match lookup(&entry.kind, namespace, &entry.name) {
            Some(VarSource::Known(data)) => maps.push(data),
            Some(VarSource::Unknown { reason, keys }) => {
                match keys {
                    // Known names, unknown values: they stay `${NAME}` in the output.
                    Some(keys) => maps.push(
                        keys.into_iter()
                            .map(|k| (k.clone(), format!("${{{k}}}")))
                            .collect(),
                    ),
                    None => out.substitution.keep_unset = true,
                }
                out.unknown.push((entry.clone(), reason));
            }
            None if entry.optional => {}
            None => out.missing.push(entry.clone()),
        }
        out.from.push(entry);
    }
    out.inline_keys = inline.keys().cloned().collect();
    out.substitution = Substitution {
        vars: merge_variables(maps.iter(), &inline),
        strict,
        strategy: Strategy::parse(post_build.str_at(&["substituteStrategy"])),
        keep_unset: out.substitution.keep_unset,
    };
    out
}

fn scalar_string(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.clone(),
        _ => node
            .plain
            .as_deref()
            .map(str::to_string)
            .or_else(|| node.scalar_text())
            .unwrap_or_default(),
    }
}

/// The ConfigMap or Secret an object makes in the cluster, whose values
/// fluxlint cannot know: an ExternalSecret's target, a SealedSecret, a
/// OnePasswordItem, or a ConfigMap/Secret whose data the Flux Operator copies
/// in (`fluxcd.controlplane.io/copyFrom`). Returns (kind, namespace, name, source).
pub fn made_in_cluster(object: &Node) -> Option<(String, String, String, VarSource)> {
    let kind = object.str_at(&["kind"])?;
    let api = object.str_at(&["apiVersion"]).unwrap_or("");
    let ns = object
        .str_at(&["metadata", "namespace"])
        .unwrap_or("")
        .to_string();
    let name = object
        .str_at(&["metadata", "name"])
        .unwrap_or("")
        .to_string();
    let unknown = |reason: String| VarSource::Unknown { reason, keys: None };
    match kind {
        "ExternalSecret" if api.starts_with("external-secrets.io/") => {
            let target = object
                .str_at(&["spec", "target", "name"])
                .map(str::to_string)
                .unwrap_or_else(|| name.clone());
            Some((
                "Secret".into(),
                ns,
                target,
                unknown(format!("made in the cluster by ExternalSecret {name}")),
            ))
        }
        "SealedSecret" => Some((
            "Secret".into(),
            ns,
            name.clone(),
            unknown(format!("made in the cluster by SealedSecret {name}")),
        )),
        "OnePasswordItem" => Some((
            "Secret".into(),
            ns,
            name.clone(),
            unknown(format!("made in the cluster by OnePasswordItem {name}")),
        )),
        "ConfigMap" | "Secret"
            if object
                .get_path(&["metadata", "annotations", "fluxcd.controlplane.io/copyFrom"])
                .is_some() =>
        {
            let from = object
                .str_at(&["metadata", "annotations", "fluxcd.controlplane.io/copyFrom"])
                .unwrap_or("")
                .to_string();
            Some((
                kind.to_string(),
                ns,
                name,
                unknown(format!("copied in the cluster from {from}")),
            ))
        }
        _ => None,
    }
}

/// The variables a ConfigMap or Secret object provides: ConfigMap `data`
/// (`binaryData` ignored); Secret `data` base64-decoded, with `stringData`
/// folded over it as the API server does. A SOPS-encrypted Secret is unknown.
pub fn source_of(object: &Node) -> Option<VarSource> {
    let kind = object.str_at(&["kind"])?;
    let string_map = |field: &str| -> IndexMap<String, String> {
        object
            .get(field)
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.name.clone(), scalar_string(v)))
                    .collect()
            })
            .unwrap_or_default()
    };
    match kind {
        "ConfigMap" => Some(VarSource::Known(string_map("data"))),
        "Secret" => {
            if object.get("sops").is_some() {
                let mut keys: Vec<String> = string_map("data").into_keys().collect();
                keys.extend(string_map("stringData").into_keys());
                return Some(VarSource::Unknown {
                    reason: "a SOPS-encrypted Secret (decrypted in the cluster)".to_string(),
                    keys: Some(keys),
                });
            }
            let mut data = IndexMap::new();
            for (k, v) in string_map("data") {
                let cleaned: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                match base64::engine::general_purpose::STANDARD.decode(cleaned) {
                    Ok(bytes) => {
                        data.insert(k, String::from_utf8_lossy(&bytes).into_owned());
                    }
                    Err(_) => {
                        data.insert(k, v);
                    }
                }
            }
            for (k, v) in string_map("stringData") {
                data.insert(k, v);
            }
            Some(VarSource::Known(data))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{parse_documents, LoadOptions};

    fn node(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn inline_wins_and_missing_optional_is_fine() {
        let ks = node(
            "metadata:\n  namespace: flux-system\nspec:\n  postBuild:\n    substitute:\n      a: inline\n      n: 3\n    substituteFrom:\n    - kind: ConfigMap\n      name: vars\n    - kind: Secret\n      name: absent\n      optional: true\n    - kind: ConfigMap\n      name: gone\n",
        );
        let cm = source_of(&node("kind: ConfigMap\ndata:\n  a: cm\n  b: cm\n")).unwrap();
        let loaded = load(&ks, false, &|kind, ns, name| {
            assert_eq!(ns, "flux-system");
            (kind == "ConfigMap" && name == "vars").then(|| cm.clone())
        });
        assert_eq!(loaded.substitution.vars["a"], "inline");
        assert_eq!(loaded.substitution.vars["b"], "cm");
        assert_eq!(loaded.substitution.vars["n"], "3");
        assert_eq!(loaded.missing.len(), 1);
        assert_eq!(loaded.missing[0].name, "gone");
    }

    #[test]
    fn secrets_decode_and_fold_string_data() {
        let s = source_of(&node(
            "kind: Secret\ndata:\n  a: aGVsbG8=\n  b: eA==\nstringData:\n  b: plain\n",
        ))
        .unwrap();
        let VarSource::Known(map) = s else { panic!() };
        assert_eq!(map["a"], "hello");
        assert_eq!(map["b"], "plain");
        let sops = source_of(&node(
            "kind: Secret\ndata:\n  a: ENC[x]\nsops:\n  version: 3\n",
        ))
        .unwrap();
        assert!(matches!(sops, VarSource::Unknown { .. }));
    }
}
