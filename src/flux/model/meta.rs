//! Types shared by the Flux kinds: Kubernetes `ObjectMeta`, the references
//! of `fluxcd/pkg/apis/meta`, the kustomize types of `fluxcd/pkg/apis/kustomize`,
//! and Go durations.
//!
//! Field names and requiredness follow the CRDs (see `mod.rs`); a field that
//! is required has no `#[serde(default)]`.

use crate::yaml::Node;
use indexmap::IndexMap;
use serde::Deserialize;
use std::time::Duration;

/// A string-to-string map in the manifest's order.
pub type StringMap = IndexMap<String, String>;

/// Kubernetes `metav1.ObjectMeta`, every field.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub generate_name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub self_link: String,
    #[serde(default)]
    pub uid: String,
    #[serde(default)]
    pub resource_version: String,
    pub generation: Option<i64>,
    pub creation_timestamp: Option<String>,
    pub deletion_timestamp: Option<String>,
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(default)]
    pub labels: StringMap,
    #[serde(default)]
    pub annotations: StringMap,
    #[serde(default)]
    pub owner_references: Vec<OwnerReference>,
    #[serde(default)]
    pub finalizers: Vec<String>,
    #[serde(default)]
    pub managed_fields: Vec<Node>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
    pub block_owner_deletion: Option<bool>,
}

/// `meta.LocalObjectReference`: an object in the referrer's namespace.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    pub name: String,
}

/// `meta.SecretKeyReference`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyReference {
    pub name: String,
    #[serde(default)]
    pub key: String,
}

/// `meta.KubeConfigReference`: where a remote cluster's kubeconfig comes from.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KubeConfigReference {
    pub config_map_ref: Option<LocalObjectReference>,
    pub secret_ref: Option<SecretKeyReference>,
}

/// `meta.NamespacedObjectKindReference` (health checks, ExternalArtifact sources).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NamespacedObjectKindReference {
    #[serde(default)]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

/// `meta.DependencyReference` (`dependsOn` of Kustomization and HelmRelease).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DependencyReference {
    pub name: String,
    /// Empty: the dependent's own namespace (see [`DependencyReference::namespace_or`]).
    #[serde(default)]
    pub namespace: String,
    /// A CEL expression over `self` and `dep` that decides readiness.
    #[serde(default)]
    pub ready_expr: String,
}

impl DependencyReference {
    /// The dependency's namespace: as written, else `dependent_namespace`
    /// (kustomize-controller and helm-controller `checkDependencies`).
    pub fn namespace_or<'a>(&'a self, dependent_namespace: &'a str) -> &'a str {
        if self.namespace.is_empty() {
            dependent_namespace
        } else {
            &self.namespace
        }
    }
}

/// A namespace and a name, defaults applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamespacedName {
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for NamespacedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// `commonMetadata`: labels and annotations set on every applied object.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CommonMetadata {
    #[serde(default)]
    pub annotations: StringMap,
    #[serde(default)]
    pub labels: StringMap,
}

/// `kustomize.Selector`: which objects a patch or rule applies to.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    #[serde(default)]
    pub annotation_selector: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label_selector: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub version: String,
}

/// `kustomize.Patch`: a strategic-merge or JSON 6902 patch as text.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Patch {
    pub patch: String,
    pub target: Option<Selector>,
}

/// `kustomize.JSON6902Patch` (v1beta2 Kustomization, v2beta1/v2beta2 HelmRelease).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Json6902Patch {
    pub patch: Vec<Json6902>,
    pub target: Selector,
}

/// One RFC 6902 operation.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Json6902 {
    pub op: String,
    pub path: String,
    #[serde(default)]
    pub from: String,
    pub value: Option<Node>,
}

/// `kustomize.Image`: an image name, tag or digest override.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub name: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_tag: String,
    #[serde(default)]
    pub digest: String,
}

/// `kustomize.CustomHealthCheck`: CEL health expressions for a kind.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomHealthCheck {
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    pub current: String,
    #[serde(default)]
    pub in_progress: String,
    #[serde(default)]
    pub failed: String,
}

/// A drift-detection rule: JSON pointers to ignore on the selected objects.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IgnoreRule {
    pub paths: Vec<String>,
    pub target: Option<Selector>,
}

/// `acl.AccessFrom` of the beta source APIs.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccessFrom {
    pub namespace_selectors: Vec<NamespaceSelector>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSelector {
    #[serde(default)]
    pub match_labels: StringMap,
}

/// Parses a duration the way the Flux CRDs accept it (pattern
/// `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`, read by Go's `time.ParseDuration`):
/// `10m`, `1h30m`, `1.5s`, `500ms`. `None` for anything else, including
/// units the CRD pattern refuses (`us`, `ns`) and a leading sign.
pub fn parse_duration(text: &str) -> Option<Duration> {
    if text.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let valid_number = match number.split_once('.') {
            Some((int, frac)) => {
                !int.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
            }
            None => !number.is_empty(),
        };
        if !valid_number {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        let (seconds, unit_len) = if after.starts_with("ms") {
            (value / 1000.0, 2)
        } else if after.starts_with('s') {
            (value, 1)
        } else if after.starts_with('m') {
            (value * 60.0, 1)
        } else if after.starts_with('h') {
            (value * 3600.0, 1)
        } else {
            return None;
        };
        total += seconds;
        rest = &after[unit_len..];
    }
    Duration::try_from_secs_f64(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_crds_accept_them() {
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m0s"), Some(Duration::from_secs(60)));
        for bad in [
            "",
            "10",
            "m",
            "1.m",
            ".5s",
            "-1m",
            "1d",
            "10us",
            "1 m",
            "1m ",
            "${INTERVAL}",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dependency_namespace_defaults_to_the_dependent() {
        let mut dep = DependencyReference {
            name: "infra".into(),
            ..Default::default()
        };
        assert_eq!(dep.namespace_or("apps"), "apps");
        dep.namespace = "flux-system".into();
        assert_eq!(dep.namespace_or("apps"), "flux-system");
        let id = NamespacedName {
            namespace: "flux-system".into(),
            name: "infra".into(),
        };
        assert_eq!(id.to_string(), "flux-system/infra");
    }
}
