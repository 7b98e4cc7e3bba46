//! `HelmRelease` of helm.toolkit.fluxcd.io: v2 (helm-controller `api/v2`,
//! CRD at main), v2beta2 (last served by v1.4.x) and v2beta1 (last served by
//! v1.3.x). The betas still had the post-renderer's `patchesStrategicMerge`
//! and `patchesJson6902`, and `chart.spec.valuesFile`.

use super::meta::{
    CommonMetadata, CustomHealthCheck, DependencyReference, IgnoreRule, Image, Json6902Patch,
    KubeConfigReference, LocalObjectReference, NamespacedName, ObjectMeta, Patch, StringMap,
};
use super::{ApiVersion, Model};
use crate::yaml::Node;
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmRelease {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: HelmReleaseSpec,
    /// Not read: status is the controller's.
    pub status: Option<Node>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmReleaseSpec {
    /// The chart as a HelmChart template (one of `chart` and `chartRef`).
    pub chart: Option<HelmChartTemplate>,
    /// An existing OCIRepository, HelmChart or ExternalArtifact.
    pub chart_ref: Option<CrossNamespaceSourceReference>,
    pub common_metadata: Option<CommonMetadata>,
    /// HelmReleases this one waits for.
    #[serde(default)]
    pub depends_on: Vec<DependencyReference>,
    pub drift_detection: Option<DriftDetection>,
    #[serde(default)]
    pub health_check_exprs: Vec<CustomHealthCheck>,
    pub install: Option<Install>,
    pub interval: String,
    pub kube_config: Option<KubeConfigReference>,
    pub max_history: Option<i64>,
    pub persistent_client: Option<bool>,
    /// `nohooks`, `combined`, `separate`.
    #[serde(default)]
    pub post_render_strategy: String,
    #[serde(default)]
    pub post_renderers: Vec<PostRenderer>,
    #[serde(default)]
    pub release_name: String,
    pub rollback: Option<Rollback>,
    #[serde(default)]
    pub service_account_name: String,
    #[serde(default)]
    pub storage_namespace: String,
    #[serde(default)]
    pub suspend: bool,
    #[serde(default)]
    pub target_namespace: String,
    pub test: Option<Test>,
    pub timeout: Option<String>,
    pub uninstall: Option<Uninstall>,
    pub upgrade: Option<Upgrade>,
    /// Free-form chart values.
    pub values: Option<Node>,
    #[serde(default)]
    pub values_from: Vec<ValuesReference>,
    pub wait_strategy: Option<WaitStrategy>,
}

/// `chartRef`; the namespace defaults to the HelmRelease's.
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

/// `chart`: the HelmChart helm-controller creates for the release.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplate {
    pub metadata: Option<HelmChartTemplateObjectMeta>,
    pub spec: HelmChartTemplateSpec,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplateObjectMeta {
    #[serde(default)]
    pub annotations: StringMap,
    #[serde(default)]
    pub labels: StringMap,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplateSpec {
    pub chart: String,
    #[serde(default)]
    pub ignore_missing_values_files: bool,
    pub interval: Option<String>,
    #[serde(default)]
    pub reconcile_strategy: String,
    pub source_ref: CrossNamespaceObjectReference,
    /// v2beta2, v2beta1 only.
    #[serde(default)]
    pub values_file: String,
    #[serde(default)]
    pub values_files: Vec<String>,
    pub verify: Option<HelmChartTemplateVerification>,
    /// A semver range; `*` (the CRD default) when empty.
    #[serde(default)]
    pub version: String,
}

/// `chart.spec.sourceRef`: `HelmRepository`, `GitRepository` or `Bucket`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceObjectReference {
    #[serde(default)]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplateVerification {
    /// `cosign` (the CRD default) or `notation`.
    #[serde(default)]
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DriftDetection {
    #[serde(default)]
    pub ignore: Vec<IgnoreRule>,
    /// `enabled`, `warn`, `disabled` (default).
    #[serde(default)]
    pub mode: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Install {
    /// `Skip`, `Create` (default), `CreateReplace`.
    #[serde(default)]
    pub crds: String,
    #[serde(default)]
    pub create_namespace: bool,
    #[serde(default)]
    pub disable_hooks: bool,
    #[serde(default, rename = "disableOpenAPIValidation")]
    pub disable_open_api_validation: bool,
    #[serde(default)]
    pub disable_schema_validation: bool,
    #[serde(default)]
    pub disable_take_ownership: bool,
    #[serde(default)]
    pub disable_wait: bool,
    #[serde(default)]
    pub disable_wait_for_jobs: bool,
    pub remediation: Option<InstallRemediation>,
    #[serde(default)]
    pub replace: bool,
    pub server_side_apply: Option<bool>,
    /// Deprecated for `crds`.
    #[serde(default, rename = "skipCRDs")]
    pub skip_crds: bool,
    pub strategy: Option<Strategy>,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InstallRemediation {
    pub ignore_test_failures: Option<bool>,
    pub remediate_last_failure: Option<bool>,
    #[serde(default)]
    pub retries: i64,
}

/// `install.strategy`, `upgrade.strategy`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    /// `RemediateOnFailure` or `RetryOnFailure`.
    pub name: String,
    pub retry_interval: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Upgrade {
    /// `InPlaceUpdate`, `Reinstall`.
    #[serde(default)]
    pub chart_name_change_strategy: String,
    #[serde(default)]
    pub cleanup_on_fail: bool,
    /// `Skip` (default), `Create`, `CreateReplace`.
    #[serde(default)]
    pub crds: String,
    #[serde(default)]
    pub disable_hooks: bool,
    #[serde(default, rename = "disableOpenAPIValidation")]
    pub disable_open_api_validation: bool,
    #[serde(default)]
    pub disable_schema_validation: bool,
    #[serde(default)]
    pub disable_take_ownership: bool,
    #[serde(default)]
    pub disable_wait: bool,
    #[serde(default)]
    pub disable_wait_for_jobs: bool,
    #[serde(default)]
    pub force: bool,
    #[serde(default)]
    pub preserve_values: bool,
    pub remediation: Option<UpgradeRemediation>,
    /// `enabled`, `disabled`, `auto`.
    #[serde(default)]
    pub server_side_apply: String,
    pub strategy: Option<Strategy>,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeRemediation {
    pub ignore_test_failures: Option<bool>,
    pub remediate_last_failure: Option<bool>,
    #[serde(default)]
    pub retries: i64,
    /// `rollback` (default) or `uninstall`.
    #[serde(default)]
    pub strategy: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    #[serde(default)]
    pub cleanup_on_fail: bool,
    #[serde(default)]
    pub disable_hooks: bool,
    #[serde(default)]
    pub disable_wait: bool,
    #[serde(default)]
    pub disable_wait_for_jobs: bool,
    #[serde(default)]
    pub force: bool,
    #[serde(default)]
    pub recreate: bool,
    /// `enabled`, `disabled`, `auto`.
    #[serde(default)]
    pub server_side_apply: String,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Test {
    #[serde(default)]
    pub enable: bool,
    #[serde(default)]
    pub filters: Vec<TestFilter>,
    #[serde(default)]
    pub ignore_failures: bool,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TestFilter {
    #[serde(default)]
    pub exclude: bool,
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Uninstall {
    /// `background` (the CRD default), `foreground`, `orphan`.
    #[serde(default)]
    pub deletion_propagation: String,
    #[serde(default)]
    pub disable_hooks: bool,
    #[serde(default)]
    pub disable_wait: bool,
    #[serde(default)]
    pub keep_history: bool,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostRenderer {
    pub kustomize: Option<PostRendererKustomize>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostRendererKustomize {
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub patches: Vec<Patch>,
    /// v2beta2, v2beta1 only.
    #[serde(default, rename = "patchesJson6902")]
    pub patches_json6902: Vec<Json6902Patch>,
    /// v2beta2, v2beta1 only.
    #[serde(default)]
    pub patches_strategic_merge: Vec<Node>,
}

/// `valuesFrom`: a ConfigMap or Secret in the HelmRelease's namespace.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ValuesReference {
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    /// The value is a literal string, not YAML, when `targetPath` is set.
    #[serde(default)]
    pub literal: bool,
    pub name: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub target_path: String,
    /// `values.yaml` when empty (see [`ValuesReference::values_key`]).
    #[serde(default)]
    pub values_key: String,
}

impl ValuesReference {
    /// `valuesKey`, defaulted to `values.yaml` (`GetValuesKey`).
    pub fn values_key(&self) -> &str {
        if self.values_key.is_empty() {
            "values.yaml"
        } else {
            &self.values_key
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WaitStrategy {
    /// `poller` or `legacy`.
    pub name: String,
}

impl Model for HelmRelease {
    const KIND: &'static str = "HelmRelease";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion {
            api_version: "helm.toolkit.fluxcd.io/v2",
            absent: &[
                "spec.chart.spec.valuesFile",
                "spec.postRenderers[].kustomize.patchesJson6902",
                "spec.postRenderers[].kustomize.patchesStrategicMerge",
            ],
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "helm.toolkit.fluxcd.io/v2beta2",
            absent: V2BETA2_ABSENT,
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "helm.toolkit.fluxcd.io/v2beta1",
            absent: V2BETA1_ABSENT,
            optional: &[],
            required: &["spec.chart", "spec.kubeConfig.secretRef"],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

/// What v2 added over v2beta2.
const V2BETA2_ABSENT: &[&str] = &[
    "spec.commonMetadata",
    "spec.dependsOn[].readyExpr",
    "spec.healthCheckExprs",
    "spec.install.disableSchemaValidation",
    "spec.install.disableTakeOwnership",
    "spec.install.serverSideApply",
    "spec.install.strategy",
    "spec.postRenderStrategy",
    "spec.rollback.serverSideApply",
    "spec.upgrade.chartNameChangeStrategy",
    "spec.upgrade.disableSchemaValidation",
    "spec.upgrade.disableTakeOwnership",
    "spec.upgrade.serverSideApply",
    "spec.upgrade.strategy",
    "spec.valuesFrom[].literal",
    "spec.waitStrategy",
];

/// v2beta2's absences, and what v2beta2 added over v2beta1.
const V2BETA1_ABSENT: &[&str] = &[
    "spec.chart.spec.ignoreMissingValuesFiles",
    "spec.commonMetadata",
    "spec.dependsOn[].readyExpr",
    "spec.healthCheckExprs",
    "spec.install.disableSchemaValidation",
    "spec.install.disableTakeOwnership",
    "spec.install.serverSideApply",
    "spec.install.strategy",
    "spec.kubeConfig.configMapRef",
    "spec.postRenderStrategy",
    "spec.rollback.serverSideApply",
    "spec.test.filters",
    "spec.upgrade.chartNameChangeStrategy",
    "spec.upgrade.disableSchemaValidation",
    "spec.upgrade.disableTakeOwnership",
    "spec.upgrade.serverSideApply",
    "spec.upgrade.strategy",
    "spec.valuesFrom[].literal",
    "spec.waitStrategy",
];

/// Helm's limit on release names; longer ones are shortened with a hash.
const MAX_RELEASE_NAME: usize = 53;

impl HelmRelease {
    /// The namespace as written (empty when the manifest has none).
    pub fn namespace(&self) -> &str {
        &self.metadata.namespace
    }

    /// The Helm release name as helm-controller uses it: `releaseName`,
    /// else `<targetNamespace>-<name>` with a target namespace, else the
    /// name (`GetReleaseName`); over 53 characters, the first 40 plus `-`
    /// and 12 hex digits of its SHA-256 (`release.ShortenName`).
    pub fn release_name(&self) -> String {
        let name = if !self.spec.release_name.is_empty() {
            self.spec.release_name.clone()
        } else if !self.spec.target_namespace.is_empty() {
            format!("{}-{}", self.spec.target_namespace, self.metadata.name)
        } else {
            self.metadata.name.clone()
        };
        shorten_release_name(&name)
    }

    /// Where the chart is installed: `targetNamespace`, else the HelmRelease's namespace.
    pub fn release_namespace(&self) -> &str {
        if self.spec.target_namespace.is_empty() {
            &self.metadata.namespace
        } else {
            &self.spec.target_namespace
        }
    }

    /// Where Helm keeps the release: `storageNamespace`, else the HelmRelease's namespace.
    pub fn storage_namespace(&self) -> &str {
        if self.spec.storage_namespace.is_empty() {
            &self.metadata.namespace
        } else {
            &self.spec.storage_namespace
        }
    }

    /// `chart.spec.sourceRef` as `(kind, namespace/name)`, the namespace
    /// defaulted to the HelmRelease's.
    pub fn chart_source(&self) -> Option<(&str, NamespacedName)> {
        let r = &self.spec.chart.as_ref()?.spec.source_ref;
        Some((&r.kind, self.defaulted(&r.namespace, &r.name)))
    }

    /// `chartRef` as `(kind, namespace/name)`, the namespace defaulted.
    pub fn chart_ref(&self) -> Option<(&str, NamespacedName)> {
        let r = self.spec.chart_ref.as_ref()?;
        Some((&r.kind, self.defaulted(&r.namespace, &r.name)))
    }

    /// `chart.spec.version`, defaulted to `*`.
    pub fn chart_version(&self) -> Option<&str> {
        let v = &self.spec.chart.as_ref()?.spec.version;
        Some(if v.is_empty() { "*" } else { v })
    }

    /// The HelmReleases this one waits for, namespaces defaulted to its own.
    pub fn dependencies(&self) -> Vec<NamespacedName> {
        self.spec
            .depends_on
            .iter()
            .map(|d| self.defaulted(&d.namespace, &d.name))
            .collect()
    }

    fn defaulted(&self, namespace: &str, name: &str) -> NamespacedName {
        NamespacedName {
            namespace: if namespace.is_empty() {
                self.metadata.namespace.clone()
            } else {
                namespace.to_string()
            },
            name: name.to_string(),
        }
    }
}

fn shorten_release_name(name: &str) -> String {
    if name.len() <= MAX_RELEASE_NAME {
        return name.to_string();
    }
    const HASH_LEN: usize = 12;
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    // Go slices bytes; names are DNS labels, but stay on a char boundary.
    let mut cut = MAX_RELEASE_NAME - (HASH_LEN + 1);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &name[..cut], &hex[..HASH_LEN])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flux::model::{parse, parse_flux_object, FluxObject};
    use crate::source::FileId;
    use crate::yaml::{parse_documents, LoadOptions};

    fn load(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .expect("parses")
            .remove(0)
    }

    const PODINFO: &str = "\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 50m
  releaseName: web
  targetNamespace: frontend
  storageNamespace: helm
  dependsOn:
    - name: redis
    - name: ingress
      namespace: infra
  chart:
    metadata:
      labels: {team: a}
    spec:
      chart: podinfo
      version: '>=6.0.0'
      sourceRef:
        kind: HelmRepository
        name: podinfo
        namespace: flux-system
      interval: 1h
      valuesFiles: [values.yaml, values-prod.yaml]
      verify:
        provider: cosign
  install:
    crds: CreateReplace
    createNamespace: true
    disableOpenAPIValidation: true
    skipCRDs: false
    remediation:
      retries: 3
    strategy:
      name: RetryOnFailure
      retryInterval: 5m
  upgrade:
    remediation:
      retries: -1
      remediateLastFailure: true
      strategy: uninstall
    serverSideApply: auto
  test:
    enable: true
    filters:
      - name: smoke
        exclude: true
  uninstall:
    keepHistory: true
  rollback:
    recreate: true
  driftDetection:
    mode: warn
    ignore:
      - paths: [/spec/replicas]
        target: {kind: Deployment}
  values:
    replicaCount: 2
    ingress:
      enabled: true
  valuesFrom:
    - kind: ConfigMap
      name: podinfo-values
    - kind: Secret
      name: podinfo-secret
      valuesKey: token
      targetPath: auth.token
      optional: true
  postRenderers:
    - kustomize:
        patches:
          - target: {kind: Deployment}
            patch: |
              - op: add
                path: /metadata/labels/x
                value: y
        images:
          - name: podinfo
            newTag: 6.5.0
  maxHistory: 10
  persistentClient: false
  waitStrategy:
    name: poller
  commonMetadata:
    labels: {owner: me}
";

    #[test]
    fn a_full_v2_helm_release() {
        let p = parse::<HelmRelease>(&load(PODINFO)).unwrap();
        assert!(p.unknown_fields.is_empty(), "{:?}", p.unknown_fields);
        assert!(p.missing_fields.is_empty(), "{:?}", p.missing_fields);
        let hr = p.value;
        let chart = hr.spec.chart.as_ref().unwrap();
        assert_eq!(chart.spec.chart, "podinfo");
        assert_eq!(hr.chart_version(), Some(">=6.0.0"));
        assert_eq!(chart.spec.values_files, ["values.yaml", "values-prod.yaml"]);
        assert_eq!(chart.metadata.as_ref().unwrap().labels["team"], "a");
        let (kind, source) = hr.chart_source().unwrap();
        assert_eq!(
            (kind, source.to_string().as_str()),
            ("HelmRepository", "flux-system/podinfo")
        );
        assert!(hr.chart_ref().is_none());
        assert_eq!(hr.release_name(), "web");
        assert_eq!(hr.release_namespace(), "frontend");
        assert_eq!(hr.storage_namespace(), "helm");
        let deps: Vec<String> = hr.dependencies().iter().map(ToString::to_string).collect();
        assert_eq!(deps, ["apps/redis", "infra/ingress"]);
        let install = hr.spec.install.as_ref().unwrap();
        assert!(
            install.create_namespace && install.disable_open_api_validation && !install.skip_crds
        );
        assert_eq!(install.remediation.as_ref().unwrap().retries, 3);
        assert_eq!(install.strategy.as_ref().unwrap().name, "RetryOnFailure");
        let upgrade = hr.spec.upgrade.as_ref().unwrap();
        let remediation = upgrade.remediation.as_ref().unwrap();
        assert_eq!(remediation.retries, -1);
        assert_eq!(remediation.remediate_last_failure, Some(true));
        assert_eq!(remediation.ignore_test_failures, None);
        assert_eq!(upgrade.server_side_apply, "auto");
        assert!(hr.spec.test.as_ref().unwrap().filters[0].exclude);
        let values = hr.spec.values.as_ref().unwrap();
        assert_eq!(
            values
                .get_path(&["ingress", "enabled"])
                .map(|n| n.value.clone()),
            Some(crate::yaml::Value::Bool(true))
        );
        assert_eq!(hr.spec.values_from[0].values_key(), "values.yaml");
        assert_eq!(hr.spec.values_from[1].values_key(), "token");
        assert_eq!(hr.spec.values_from[1].target_path, "auth.token");
        let kustomize = hr.spec.post_renderers[0].kustomize.as_ref().unwrap();
        assert_eq!(kustomize.images[0].new_tag, "6.5.0");
        assert!(kustomize.patches[0].patch.contains("/metadata/labels/x"));
        assert_eq!(hr.spec.max_history, Some(10));
        assert_eq!(hr.spec.persistent_client, Some(false));
        assert_eq!(hr.spec.drift_detection.as_ref().unwrap().mode, "warn");
        assert_eq!(
            hr.spec.common_metadata.as_ref().unwrap().labels["owner"],
            "me"
        );
    }

    #[test]
    fn release_names_as_helm_controller_makes_them() {
        let mut hr = HelmRelease::default();
        hr.metadata.name = "podinfo".into();
        hr.metadata.namespace = "apps".into();
        assert_eq!(hr.release_name(), "podinfo");
        assert_eq!(hr.release_namespace(), "apps");
        assert_eq!(hr.storage_namespace(), "apps");
        hr.spec.target_namespace = "web".into();
        assert_eq!(hr.release_name(), "web-podinfo");
        assert_eq!(hr.release_namespace(), "web");
        // helm-controller's own test vectors (internal/release/name_test.go).
        hr.spec.release_name =
            "release-name-with-very-long-name-which-is-longer-than-53-characters".into();
        assert_eq!(
            hr.release_name(),
            "release-name-with-very-long-name-which-i-788ca0d0d7b0"
        );
        hr.spec.release_name =
            "another-release-name-with-very-long-name-which-is-longer-than-53-characters".into();
        assert_eq!(
            hr.release_name(),
            "another-release-name-with-very-long-name-7e72150d5a36"
        );
        assert_eq!(shorten_release_name(&"a".repeat(53)), "a".repeat(53));
    }

    #[test]
    fn chart_ref_and_defaults() {
        let text = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cm, namespace: cert-manager}\n\
                    spec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: cert-manager\n";
        let obj = parse_flux_object(&load(text)).unwrap().unwrap();
        let FluxObject::HelmRelease(hr) = obj.value else {
            panic!("a HelmRelease")
        };
        let (kind, id) = hr.chart_ref().unwrap();
        assert_eq!(
            (kind, id.to_string().as_str()),
            ("OCIRepository", "cert-manager/cert-manager")
        );
        assert!(hr.chart_source().is_none() && hr.chart_version().is_none());
        let text = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a, namespace: b}\n\
                    spec:\n  interval: 1h\n  chart:\n    spec: {chart: c, sourceRef: {kind: HelmRepository, name: r}}\n";
        let hr = parse::<HelmRelease>(&load(text)).unwrap().value;
        assert_eq!(hr.chart_version(), Some("*"));
        assert_eq!(hr.chart_source().unwrap().1.to_string(), "b/r");
    }

    #[test]
    fn beta_versions() {
        let text = "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: a, namespace: b}\n\
                    spec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: r}\n  \
                    postRenderers:\n    - kustomize:\n        patchesStrategicMerge:\n          - {kind: Deployment, metadata: {name: x}}\n  \
                    install: {strategy: {name: RetryOnFailure}}\n  test: {filters: [{name: x}]}\n";
        let p = parse::<HelmRelease>(&load(text)).unwrap();
        let unknown: Vec<_> = p.unknown_fields.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(unknown, ["spec.install.strategy", "spec.test.filters"]);
        assert_eq!(
            p.unknown_fields[0].in_versions,
            ["helm.toolkit.fluxcd.io/v2"]
        );
        let missing: Vec<_> = p.missing_fields.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(missing, ["spec.chart"]);
        let sm = &p.value.spec.post_renderers[0]
            .kustomize
            .as_ref()
            .unwrap()
            .patches_strategic_merge;
        assert_eq!(sm[0].str_at(&["metadata", "name"]), Some("x"));
        // The same post-renderer in v2 is pruned.
        let v2 = text.replace("v2beta1", "v2");
        let p = parse::<HelmRelease>(&load(&v2)).unwrap();
        let unknown: Vec<_> = p.unknown_fields.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            unknown,
            ["spec.postRenderers[0].kustomize.patchesStrategicMerge"]
        );
        assert_eq!(
            p.unknown_fields[0].in_versions,
            [
                "helm.toolkit.fluxcd.io/v2beta2",
                "helm.toolkit.fluxcd.io/v2beta1"
            ]
        );
        assert!(p.missing_fields.is_empty());
    }

    #[test]
    fn values_are_free_form_but_typed_fields_are_checked() {
        let text =
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\n\
                    spec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: r}\n  \
                    values: {anything: [1, {goes: here}], dependOn: x}\n  maxHistory: many\n";
        let e = parse::<HelmRelease>(&load(text)).unwrap_err();
        assert_eq!(
            e.message,
            "spec.maxHistory in body must be of type integer: \"string\""
        );
        let ok = text.replace("many", "3.0");
        let p = parse::<HelmRelease>(&load(&ok)).unwrap();
        assert!(p.unknown_fields.is_empty());
        assert_eq!(p.value.spec.max_history, Some(3));
    }
}
