//! Resource identity: group/version/kind plus namespace and name
//! (kustomize's `resid.Gvk` and `resid.ResId`).

use std::fmt;

/// Group, version and kind. The core group is the empty string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn new(group: &str, version: &str, kind: &str) -> Gvk {
        Gvk {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }

    /// Splits an `apiVersion` (`apps/v1`, `v1`) and adds the kind.
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk::new(group, version, kind)
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// kustomize's `Gvk.IsSelected`: empty fields of the selector match anything.
    pub fn is_selected_by(&self, selector: &Gvk) -> bool {
        (selector.group.is_empty() || selector.group == self.group)
            && (selector.version.is_empty() || selector.version == self.version)
            && (selector.kind.is_empty() || selector.kind == self.kind)
    }

    /// Whether kustomize knows this exact apiVersion/kind to be cluster-scoped
    /// (`kyaml/openapi` precomputed table; every other kind is namespaced).
    pub fn is_cluster_scoped(&self) -> bool {
        cluster_scoped(&self.api_version(), &self.kind)
    }

    /// kustomize's `Gvk.String()`: `G_V_K` with `~G`/`~V`/`~K` for empty parts.
    pub fn sort_key(&self) -> String {
        let part = |s: &str, empty: &'static str| {
            if s.is_empty() {
                empty.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}_{}_{}",
            part(&self.group, "~G"),
            part(&self.version, "~V"),
            part(&self.kind, "~K")
        )
    }
}

impl fmt::Display for Gvk {
    /// kyaml's `Gvk.String()`: `Kind.version.group`, `[noGrp]` etc. for empty parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            or_placeholder(&self.kind, "[noKind]"),
            or_placeholder(&self.version, "[noVer]"),
            or_placeholder(&self.group, "[noGrp]")
        )
    }
}

fn or_placeholder<'a>(s: &'a str, placeholder: &'a str) -> &'a str {
    if s.is_empty() {
        placeholder
    } else {
        s
    }
}

/// The namespace kustomize gives a namespaced object that names none.
pub const DEFAULT_NAMESPACE: &str = "default";
/// kustomize's stand-in namespace of cluster-scoped objects in selectors.
pub const NOT_A_NAMESPACE: &str = "_non_namespaceable_";

/// An object's identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResId {
    pub gvk: Gvk,
    pub namespace: String,
    pub name: String,
}

impl ResId {
    pub fn new(gvk: Gvk, namespace: &str, name: &str) -> ResId {
        ResId {
            gvk,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// kustomize's `EffectiveNamespace`: `default` for a namespaced object
    /// without one, [`NOT_A_NAMESPACE`] for cluster-scoped kinds.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            NOT_A_NAMESPACE
        } else if self.namespace.is_empty() {
            DEFAULT_NAMESPACE
        } else {
            &self.namespace
        }
    }

    /// Same GVK, name and effective namespace (kustomize's `ResId.Equals`).
    pub fn same_as(&self, other: &ResId) -> bool {
        self.gvk == other.gvk
            && self.name == other.name
            && self.effective_namespace() == other.effective_namespace()
    }
}

impl fmt::Display for ResId {
    /// kyaml's `ResId.String()`: `Kind.version.group/name.namespace`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        let name = if self.name.is_empty() {
            "[noName]"
        } else {
            &self.name
        };
        write!(f, "{}/{}.{}", self.gvk, name, ns)
    }
}

/// kyaml's precomputed table of cluster-scoped apiVersion/kind pairs.
fn cluster_scoped(api_version: &str, kind: &str) -> bool {
    const TABLE: &[(&[&str], &[&str])] = &[
        (
            &["v1"],
            &[
                "Namespace",
                "Node",
                "PersistentVolume",
                "ComponentStatus",
                "NodeProxyOptions",
            ],
        ),
        (
            &[
                "rbac.authorization.k8s.io/v1",
                "rbac.authorization.k8s.io/v1beta1",
            ],
            &["ClusterRole", "ClusterRoleBinding"],
        ),
        (
            &["apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1"],
            &["CustomResourceDefinition"],
        ),
        (
            &[
                "apiregistration.k8s.io/v1",
                "apiregistration.k8s.io/v1beta1",
            ],
            &["APIService"],
        ),
        (
            &[
                "admissionregistration.k8s.io/v1",
                "admissionregistration.k8s.io/v1beta1",
            ],
            &[
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
            ],
        ),
        (
            &["storage.k8s.io/v1", "storage.k8s.io/v1beta1"],
            &["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"],
        ),
        (
            &["scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1"],
            &["PriorityClass"],
        ),
        (
            &["node.k8s.io/v1", "node.k8s.io/v1beta1"],
            &["RuntimeClass"],
        ),
        (
            &["networking.k8s.io/v1", "networking.k8s.io/v1beta1"],
            &["IngressClass"],
        ),
        (
            &["certificates.k8s.io/v1", "certificates.k8s.io/v1beta1"],
            &["CertificateSigningRequest"],
        ),
        (
            &["flowcontrol.apiserver.k8s.io/v1beta1"],
            &["FlowSchema", "PriorityLevelConfiguration"],
        ),
        (&["policy/v1beta1"], &["PodSecurityPolicy"]),
    ];
    TABLE
        .iter()
        .any(|(versions, kinds)| versions.contains(&api_version) && kinds.contains(&kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_namespace() {
        let ns = ResId::new(Gvk::new("", "v1", "Namespace"), "", "x");
        assert_eq!(ns.effective_namespace(), NOT_A_NAMESPACE);
        let cm = ResId::new(Gvk::new("", "v1", "ConfigMap"), "", "x");
        assert_eq!(cm.effective_namespace(), "default");
        // Unknown kinds are namespaced, as in kustomize.
        let ci = ResId::new(Gvk::new("cert-manager.io", "v1", "ClusterIssuer"), "", "x");
        assert_eq!(ci.effective_namespace(), "default");
    }

    #[test]
    fn display_matches_kustomize() {
        let id = ResId::new(Gvk::new("apps", "v1", "Deployment"), "", "web");
        assert_eq!(id.to_string(), "Deployment.v1.apps/web.[noNs]");
        assert_eq!(
            Gvk::from_api_version("v1", "Pod").to_string(),
            "Pod.v1.[noGrp]"
        );
        assert_eq!(Gvk::from_api_version("v1", "Pod").sort_key(), "~G_v1_Pod");
    }
}
