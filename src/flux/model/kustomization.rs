//! `Kustomization` of kustomize.toolkit.fluxcd.io: v1 (kustomize-controller
//! `api/v1`, CRD at main), v1beta2 (last served by v1.7.x) and v1beta1 (last
//! served by v1.6.x). v1beta2 and v1beta1 still had `patchesStrategicMerge`,
//! `patchesJson6902` and `validation`; v1 added `namePrefix`, `ignore`,
//! `deletionPolicy`, `healthCheckExprs`, `buildMetadata`, `readyExpr`, ...

use super::meta::{
    parse_duration, CommonMetadata, CustomHealthCheck, DependencyReference, IgnoreRule, Image,
    Json6902Patch, KubeConfigReference, LocalObjectReference, NamespacedName,
    NamespacedObjectKindReference, ObjectMeta, Patch, StringMap,
};
use super::{ApiVersion, Model};
use crate::yaml::Node;
use serde::Deserialize;
use std::time::Duration;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Kustomization {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: KustomizationSpec,
    /// Not read: status is the controller's.
    pub status: Option<Node>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KustomizationSpec {
    /// `originAnnotations`, `transformerAnnotations`.
    #[serde(default)]
    pub build_metadata: Vec<String>,
    pub common_metadata: Option<CommonMetadata>,
    #[serde(default)]
    pub components: Vec<String>,
    pub decryption: Option<Decryption>,
    /// `MirrorPrune` (default), `Delete`, `WaitForTermination`, `Orphan`.
    #[serde(default)]
    pub deletion_policy: String,
    #[serde(default)]
    pub depends_on: Vec<DependencyReference>,
    #[serde(default)]
    pub force: bool,
    #[serde(default)]
    pub health_check_exprs: Vec<CustomHealthCheck>,
    #[serde(default)]
    pub health_checks: Vec<NamespacedObjectKindReference>,
    /// Drift-detection rules (not file ignores).
    #[serde(default)]
    pub ignore: Vec<IgnoreRule>,
    #[serde(default)]
    pub ignore_missing_components: bool,
    #[serde(default)]
    pub images: Vec<Image>,
    pub interval: String,
    pub kube_config: Option<KubeConfigReference>,
    #[serde(default)]
    pub name_prefix: String,
    #[serde(default)]
    pub name_suffix: String,
    #[serde(default)]
    pub patches: Vec<Patch>,
    /// v1beta2, v1beta1 only.
    #[serde(default, rename = "patchesJson6902")]
    pub patches_json6902: Vec<Json6902Patch>,
    /// v1beta2, v1beta1 only.
    #[serde(default)]
    pub patches_strategic_merge: Vec<Node>,
    /// Relative to the artifact root; empty means the root.
    #[serde(default)]
    pub path: String,
    pub post_build: Option<PostBuild>,
    pub prune: bool,
    pub retry_interval: Option<String>,
    #[serde(default)]
    pub service_account_name: String,
    pub source_ref: CrossNamespaceSourceReference,
    #[serde(default)]
    pub suspend: bool,
    #[serde(default)]
    pub target_namespace: String,
    pub timeout: Option<String>,
    /// v1beta2, v1beta1 only: `none`, `client`, `server`.
    #[serde(default)]
    pub validation: String,
    #[serde(default)]
    pub wait: bool,
}

/// `sourceRef`: kind `OCIRepository`, `GitRepository`, `Bucket` or
/// `ExternalArtifact`; the namespace defaults to the Kustomization's.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceSourceReference {
    #[serde(default)]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Decryption {
    /// `sops`.
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub service_account_name: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostBuild {
    #[serde(default)]
    pub substitute: StringMap,
    #[serde(default)]
    pub substitute_from: Vec<SubstituteReference>,
    /// `WithVariables` (default) or `Always`.
    #[serde(default)]
    pub substitute_strategy: String,
}

impl PostBuild {
    /// `substituteStrategy`, defaulted (`GetSubstituteStrategy`).
    pub fn substitute_strategy(&self) -> &str {
        if self.substitute_strategy.is_empty() {
            SUBSTITUTE_WITH_VARIABLES
        } else {
            &self.substitute_strategy
        }
    }
}

pub const SUBSTITUTE_WITH_VARIABLES: &str = "WithVariables";
pub const SUBSTITUTE_ALWAYS: &str = "Always";

/// A ConfigMap or Secret in the Kustomization's namespace holding variables.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SubstituteReference {
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub optional: bool,
}

impl Model for Kustomization {
    const KIND: &'static str = "Kustomization";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion {
            api_version: "kustomize.toolkit.fluxcd.io/v1",
            absent: &[
                "spec.patchesJson6902",
                "spec.patchesStrategicMerge",
                "spec.validation",
            ],
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "kustomize.toolkit.fluxcd.io/v1beta2",
            absent: V1BETA2_ABSENT,
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "kustomize.toolkit.fluxcd.io/v1beta1",
            absent: V1BETA1_ABSENT,
            optional: &[],
            required: &["spec.kubeConfig.secretRef"],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

/// What v1 added over v1beta2.
const V1BETA2_ABSENT: &[&str] = &[
    "spec.buildMetadata",
    "spec.decryption.serviceAccountName",
    "spec.deletionPolicy",
    "spec.dependsOn[].readyExpr",
    "spec.healthCheckExprs",
    "spec.ignore",
    "spec.ignoreMissingComponents",
    "spec.namePrefix",
    "spec.nameSuffix",
    "spec.postBuild.substituteStrategy",
];

/// v1beta2's absences, and what v1beta2 added over v1beta1.
const V1BETA1_ABSENT: &[&str] = &[
    "spec.buildMetadata",
    "spec.commonMetadata",
    "spec.components",
    "spec.decryption.serviceAccountName",
    "spec.deletionPolicy",
    "spec.dependsOn[].readyExpr",
    "spec.healthCheckExprs",
    "spec.ignore",
    "spec.ignoreMissingComponents",
    "spec.kubeConfig.configMapRef",
    "spec.kubeConfig.secretRef.key",
    "spec.namePrefix",
    "spec.nameSuffix",
    "spec.postBuild.substituteFrom[].optional",
    "spec.postBuild.substituteStrategy",
    "spec.wait",
];

pub const DELETION_POLICY_MIRROR_PRUNE: &str = "MirrorPrune";

impl Kustomization {
    /// The namespace as written (empty when the manifest has none).
    pub fn namespace(&self) -> &str {
        &self.metadata.namespace
    }

    /// `sourceRef.namespace`, else the Kustomization's own (`getSource`).
    pub fn source_namespace(&self) -> &str {
        if self.spec.source_ref.namespace.is_empty() {
            &self.metadata.namespace
        } else {
            &self.spec.source_ref.namespace
        }
    }

    /// The source as `(kind, namespace/name)`, defaults applied.
    pub fn source(&self) -> (&str, NamespacedName) {
        (
            &self.spec.source_ref.kind,
            NamespacedName {
                namespace: self.source_namespace().to_string(),
                name: self.spec.source_ref.name.clone(),
            },
        )
    }

    /// The Kustomizations this one waits for, namespaces defaulted to its own.
    pub fn dependencies(&self) -> Vec<NamespacedName> {
        self.spec
            .depends_on
            .iter()
            .map(|d| NamespacedName {
                namespace: d.namespace_or(&self.metadata.namespace).to_string(),
                name: d.name.clone(),
            })
            .collect()
    }

    /// `postBuild.substituteStrategy`, defaulted (`WithVariables` without postBuild).
    pub fn substitute_strategy(&self) -> &str {
        self.spec
            .post_build
            .as_ref()
            .map_or(SUBSTITUTE_WITH_VARIABLES, PostBuild::substitute_strategy)
    }

    /// `deletionPolicy`, defaulted (`GetDeletionPolicy`).
    pub fn deletion_policy(&self) -> &str {
        if self.spec.deletion_policy.is_empty() {
            DELETION_POLICY_MIRROR_PRUNE
        } else {
            &self.spec.deletion_policy
        }
    }

    /// `spec.interval`, when it parses.
    pub fn interval(&self) -> Option<Duration> {
        parse_duration(&self.spec.interval)
    }

    /// The apply and health-check timeout (`GetTimeout`): `timeout`, else
    /// `interval` less 30s, never under 30s. `None` when a duration does not parse.
    pub fn timeout(&self) -> Option<Duration> {
        let floor = Duration::from_secs(30);
        let d = match &self.spec.timeout {
            Some(t) => parse_duration(t)?,
            None => self.interval()?.saturating_sub(floor),
        };
        Some(d.max(floor))
    }

    /// `retryInterval`, else `interval` (`GetRetryInterval`).
    pub fn retry_interval(&self) -> Option<Duration> {
        match &self.spec.retry_interval {
            Some(t) => parse_duration(t),
            None => self.interval(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flux::model::{parse, parse_flux_object, FluxObject};
    use crate::source::{FileId, Span};
    use crate::yaml::{parse_documents, LoadOptions};

    fn load(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .expect("parses")
            .remove(0)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    const APPS: &str = "\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  retryInterval: 1m
  path: ./apps/production
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  targetNamespace: apps
  namePrefix: p-
  nameSuffix: -s
  dependsOn:
    - name: infra
    - name: crds
      namespace: kube-system
      readyExpr: dep.status.ready
  patches:
    - patch: |
        - op: add
          path: /spec/replicas
          value: 2
      target:
        kind: Deployment
        labelSelector: app=web
  images:
    - name: nginx
      newTag: \"1.27\"
  components:
    - ../components/a
  ignoreMissingComponents: true
  buildMetadata: [originAnnotations]
  commonMetadata:
    labels:
      team: a
    annotations:
      note: x
  postBuild:
    substituteStrategy: Always
    substitute:
      cluster: prod
      replicas: \"3\"
    substituteFrom:
      - kind: ConfigMap
        name: vars
      - kind: Secret
        name: secret-vars
        optional: true
  decryption:
    provider: sops
    secretRef:
      name: sops-age
  healthChecks:
    - apiVersion: apps/v1
      kind: Deployment
      name: web
      namespace: apps
  healthCheckExprs:
    - apiVersion: example.com/v1
      kind: Widget
      current: status.ready
  deletionPolicy: Orphan
  kubeConfig:
    secretRef:
      name: kc
      key: value
  ignore:
    - paths: [/spec/replicas]
      target:
        kind: Deployment
";

    #[test]
    fn a_full_v1_kustomization() {
        let p = parse::<Kustomization>(&load(APPS)).unwrap();
        assert!(p.unknown_fields.is_empty(), "{:?}", p.unknown_fields);
        assert!(p.missing_fields.is_empty(), "{:?}", p.missing_fields);
        let k = p.value;
        assert_eq!(k.metadata.name, "apps");
        assert_eq!(k.spec.path, "./apps/production");
        assert!(k.spec.prune && k.spec.wait && !k.spec.suspend);
        assert_eq!(k.spec.source_ref.kind, "GitRepository");
        assert_eq!(k.source_namespace(), "flux-system");
        assert_eq!(k.spec.target_namespace, "apps");
        assert_eq!(
            (k.spec.name_prefix.as_str(), k.spec.name_suffix.as_str()),
            ("p-", "-s")
        );
        assert_eq!(
            k.dependencies(),
            [
                NamespacedName {
                    namespace: "flux-system".into(),
                    name: "infra".into()
                },
                NamespacedName {
                    namespace: "kube-system".into(),
                    name: "crds".into()
                }
            ]
        );
        assert_eq!(k.spec.depends_on[1].ready_expr, "dep.status.ready");
        assert_eq!(k.spec.patches.len(), 1);
        assert!(k.spec.patches[0].patch.starts_with("- op: add\n"));
        let target = k.spec.patches[0].target.as_ref().unwrap();
        assert_eq!(
            (target.kind.as_str(), target.label_selector.as_str()),
            ("Deployment", "app=web")
        );
        assert_eq!(k.spec.images[0].new_tag, "1.27");
        assert_eq!(k.spec.components, ["../components/a"]);
        assert!(k.spec.ignore_missing_components);
        assert_eq!(k.spec.build_metadata, ["originAnnotations"]);
        let common = k.spec.common_metadata.as_ref().unwrap();
        assert_eq!(common.labels["team"], "a");
        assert_eq!(common.annotations["note"], "x");
        let post = k.spec.post_build.as_ref().unwrap();
        assert_eq!(k.substitute_strategy(), "Always");
        assert_eq!(post.substitute["replicas"], "3");
        assert_eq!(post.substitute_from[1].kind, "Secret");
        assert!(post.substitute_from[1].optional && !post.substitute_from[0].optional);
        assert_eq!(
            k.spec
                .decryption
                .as_ref()
                .unwrap()
                .secret_ref
                .as_ref()
                .unwrap()
                .name,
            "sops-age"
        );
        assert_eq!(k.spec.health_checks[0].namespace, "apps");
        assert_eq!(k.spec.health_check_exprs[0].current, "status.ready");
        assert_eq!(k.deletion_policy(), "Orphan");
        assert_eq!(
            k.spec
                .kube_config
                .as_ref()
                .unwrap()
                .secret_ref
                .as_ref()
                .unwrap()
                .key,
            "value"
        );
        assert_eq!(k.spec.ignore[0].paths, ["/spec/replicas"]);
        assert_eq!(k.interval(), Some(Duration::from_secs(600)));
        assert_eq!(k.timeout(), Some(Duration::from_secs(570)));
        assert_eq!(k.retry_interval(), Some(Duration::from_secs(60)));
    }

    #[test]
    fn defaults_of_a_minimal_kustomization() {
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
                    metadata: {name: a, namespace: team}\n\
                    spec: {interval: 40s, prune: false, sourceRef: {kind: OCIRepository, name: repo, namespace: shared}}\n";
        let k = parse::<Kustomization>(&load(text)).unwrap().value;
        assert_eq!(k.source_namespace(), "shared");
        assert_eq!(k.source().0, "OCIRepository");
        assert_eq!(k.source().1.to_string(), "shared/repo");
        assert_eq!(k.substitute_strategy(), "WithVariables");
        assert_eq!(k.deletion_policy(), "MirrorPrune");
        assert_eq!(k.spec.path, "");
        // 40s - 30s is under the 30s floor.
        assert_eq!(k.timeout(), Some(Duration::from_secs(30)));
        assert_eq!(k.retry_interval(), Some(Duration::from_secs(40)));
        assert!(k.spec.post_build.is_none());
    }

    #[test]
    fn misspelt_fields_are_reported_and_pruned() {
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
                    metadata: {name: a, namespace: ns}\n\
                    spec:\n  interval: 5m\n  prune: true\n  sourceRef: {kind: GitRepository, name: r, namepsace: x}\n  \
                    dependOn:\n    - name: b\n  patches:\n    - patch: p\n      targt: {kind: A}\n  \
                    patchesStrategicMerge: []\n  SourceRef: {}\n";
        let p = parse::<Kustomization>(&load(text)).unwrap();
        let got: Vec<_> = p
            .unknown_fields
            .iter()
            .map(|u| {
                (
                    u.path.as_str(),
                    slice(text, u.span),
                    u.suggestion.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("spec.sourceRef.namepsace", "namepsace", Some("namespace")),
                ("spec.dependOn", "dependOn", Some("dependsOn")),
                ("spec.patches[0].targt", "targt", Some("target")),
                ("spec.patchesStrategicMerge", "patchesStrategicMerge", None),
                ("spec.SourceRef", "SourceRef", Some("sourceRef")),
            ]
        );
        assert_eq!(
            p.unknown_fields[3].in_versions,
            [
                "kustomize.toolkit.fluxcd.io/v1beta2",
                "kustomize.toolkit.fluxcd.io/v1beta1"
            ]
        );
        assert!(p.unknown_fields[1].in_versions.is_empty());
        // Pruned, as the API server would: the misspelt values are gone.
        assert!(p.value.spec.depends_on.is_empty());
        assert!(p.value.spec.patches[0].target.is_none());
        assert_eq!(p.value.spec.source_ref.namespace, "");
    }

    #[test]
    fn wrong_types_are_errors_naming_the_field() {
        let base = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\nspec:\n  interval: 5m\n  prune: true\n  sourceRef: {kind: GitRepository, name: r}\n";
        for (extra, message, at) in [
            (
                "  path: 3\n",
                "spec.path in body must be of type string: \"integer\"",
                "3",
            ),
            (
                "  dependsOn: foo\n",
                "spec.dependsOn in body must be of type array: \"string\"",
                "foo",
            ),
            (
                "  dependsOn: [foo]\n",
                "spec.dependsOn[0] in body must be of type object: \"string\"",
                "foo",
            ),
            (
                "  dependsOn: [{name: 1.5}]\n",
                "spec.dependsOn[0].name in body must be of type string: \"number\"",
                "1.5",
            ),
            (
                "  suspend: \"true\"\n",
                "spec.suspend in body must be of type boolean: \"string\"",
                "\"true\"",
            ),
            (
                "  targetNamespace: yes\n",
                "spec.targetNamespace in body must be of type string: \"boolean\"",
                "yes",
            ),
            (
                "  postBuild:\n    substitute:\n      replicas: 3\n",
                "spec.postBuild.substitute.replicas in body must be of type string: \"integer\"",
                "3",
            ),
            ("  components: [~]\n", "", ""),
            (
                "  patches: [~]\n",
                "spec.patches[0] in body must be of type object: \"null\"",
                "~",
            ),
        ] {
            let text = format!("{base}{extra}");
            let result = parse::<Kustomization>(&load(&text));
            if message.is_empty() {
                assert!(result.is_ok(), "{extra}");
                continue;
            }
            let e = result.unwrap_err();
            assert_eq!(e.message, message, "{extra}");
            assert_eq!(slice(&text, e.span), at, "{extra}");
        }
        // A plain `yes` is a boolean where one is expected (go-yaml v2).
        let k = parse::<Kustomization>(&load(&format!("{base}  suspend: yes\n"))).unwrap();
        assert!(k.value.spec.suspend);
        let e = parse::<Kustomization>(&load(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec: [a]\n",
        ))
        .unwrap_err();
        assert_eq!(e.message, "spec in body must be of type object: \"array\"");
    }

    #[test]
    fn nulls_are_absent_and_missing_required_fields_are_reported() {
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n\
                    spec:\n  interval: 1m\n  path: ~\n  sourceRef: {kind: GitRepository}\n  decryption: {}\n";
        let p = parse::<Kustomization>(&load(text)).unwrap();
        let missing: Vec<_> = p.missing_fields.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            missing,
            [
                "spec.sourceRef.name",
                "spec.decryption.provider",
                "spec.prune"
            ]
        );
        assert_eq!(
            slice(text, p.missing_fields[0].span),
            "{kind: GitRepository}"
        );
        assert_eq!(p.value.spec.path, "");
        assert_eq!(p.value.spec.source_ref.name, "");
        // A patch file holds no spec at all: nothing is required then.
        let patch = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n";
        let p = parse::<Kustomization>(&load(patch)).unwrap();
        assert!(p.missing_fields.is_empty());
        // Nor inside an absent struct.
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec: {prune: true}\n";
        let p = parse::<Kustomization>(&load(text)).unwrap();
        let missing: Vec<_> = p.missing_fields.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(missing, ["spec.interval", "spec.sourceRef"]);
    }

    #[test]
    fn versions_differ_in_their_fields() {
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata: {name: a, namespace: ns}\n\
                    spec:\n  interval: 5m\n  prune: true\n  sourceRef: {kind: GitRepository, name: r}\n  \
                    validation: client\n  patchesStrategicMerge:\n    - kind: Deployment\n      metadata: {name: x}\n  \
                    patchesJson6902:\n    - target: {kind: Deployment, name: x}\n      patch:\n        - {op: remove, path: /spec/replicas}\n  \
                    namePrefix: p-\n  dependsOn:\n    - name: b\n      readyExpr: 'true'\n";
        let p = parse::<Kustomization>(&load(text)).unwrap();
        let unknown: Vec<_> = p
            .unknown_fields
            .iter()
            .map(|u| (u.path.as_str(), u.in_versions.clone()))
            .collect();
        assert_eq!(
            unknown,
            [
                ("spec.namePrefix", vec!["kustomize.toolkit.fluxcd.io/v1"]),
                (
                    "spec.dependsOn[0].readyExpr",
                    vec!["kustomize.toolkit.fluxcd.io/v1"]
                ),
            ]
        );
        let k = p.value;
        assert_eq!(k.spec.validation, "client");
        assert_eq!(
            k.spec.patches_strategic_merge[0].str_at(&["metadata", "name"]),
            Some("x")
        );
        assert_eq!(k.spec.patches_json6902[0].patch[0].op, "remove");
        assert_eq!(k.spec.name_prefix, "");

        let v1beta1 = text.replace("v1beta2", "v1beta1").replace(
            "  namePrefix: p-\n",
            "  wait: true\n  kubeConfig: {configMapRef: {name: c}}\n",
        );
        let p = parse::<Kustomization>(&load(&v1beta1)).unwrap();
        let unknown: Vec<_> = p.unknown_fields.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            unknown,
            [
                "spec.wait",
                "spec.kubeConfig.configMapRef",
                "spec.dependsOn[0].readyExpr"
            ]
        );
        // v1beta1 requires kubeConfig.secretRef.
        let missing: Vec<_> = p.missing_fields.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(missing, ["spec.kubeConfig.secretRef"]);
    }

    #[test]
    fn dispatch_by_api_version_and_kind() {
        let obj = parse_flux_object(&load(APPS)).unwrap().unwrap().value;
        assert!(matches!(obj, FluxObject::Kustomization(_)));
        assert_eq!(obj.id(), "Kustomization/flux-system/apps");
        assert_eq!(obj.api_version(), "kustomize.toolkit.fluxcd.io/v1");
        // Not Flux: kustomize's own Kustomization, core kinds, no apiVersion.
        for other in [
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\n",
            "kind: Kustomization\n",
            "- a\n",
        ] {
            assert!(parse_flux_object(&load(other)).is_none(), "{other}");
        }
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v2\nkind: Kustomization\n";
        let e = parse_flux_object(&load(text)).unwrap().unwrap_err();
        assert_eq!(
            e.message,
            "no matches for kind \"Kustomization\" in version \"kustomize.toolkit.fluxcd.io/v2\""
        );
        assert_eq!(slice(text, e.span), "kustomize.toolkit.fluxcd.io/v2");
        let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomisation\n";
        let e = parse_flux_object(&load(text)).unwrap().unwrap_err();
        assert_eq!(
            e.message,
            "no matches for kind \"Kustomisation\" in version \"kustomize.toolkit.fluxcd.io/v1\" \
             (did you mean \"Kustomization\"?)"
        );
        assert_eq!(slice(text, e.span), "Kustomisation");
        let text = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: Alert\n";
        let e = parse_flux_object(&load(text)).unwrap().unwrap_err();
        assert!(!e.message.contains("did you mean"), "{}", e.message);
    }
}
