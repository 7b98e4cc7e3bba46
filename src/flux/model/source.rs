//! The source kinds of source.toolkit.fluxcd.io: GitRepository, OCIRepository,
//! Bucket, HelmRepository, HelmChart and ExternalArtifact. v1 is the CRD at
//! source-controller main; v1beta2 as last served (v1.7.x), v1beta1 as last
//! served (v1.6.x).

use super::meta::{AccessFrom, LocalObjectReference, NamespacedObjectKindReference, ObjectMeta};
use super::{ApiVersion, Model};
use crate::yaml::Node;
use serde::Deserialize;

macro_rules! source_object {
    ($(#[$doc:meta])* $name:ident, $spec:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, Deserialize, PartialEq)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            #[serde(default)]
            pub api_version: String,
            #[serde(default)]
            pub kind: String,
            #[serde(default)]
            pub metadata: ObjectMeta,
            #[serde(default)]
            pub spec: $spec,
            /// Not read: status is the controller's.
            pub status: Option<Node>,
        }

        impl $name {
            /// The namespace as written (empty when the manifest has none).
            pub fn namespace(&self) -> &str {
                &self.metadata.namespace
            }
        }
    };
}

source_object!(
    /// A Git repository checked out at a ref.
    GitRepository,
    GitRepositorySpec
);
source_object!(
    /// An OCI artifact pulled at a ref.
    OciRepository,
    OciRepositorySpec
);
source_object!(
    /// An S3-compatible (or cloud) bucket.
    Bucket,
    BucketSpec
);
source_object!(
    /// A Helm chart repository (HTTP index or OCI registry).
    HelmRepository,
    HelmRepositorySpec
);
source_object!(
    /// A chart fetched from a HelmRepository, GitRepository or Bucket.
    HelmChart,
    HelmChartSpec
);
source_object!(
    /// An artifact produced by another controller (source-watcher's ArtifactGenerator).
    ExternalArtifact,
    ExternalArtifactSpec
);

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositorySpec {
    /// v1beta2, v1beta1 only.
    pub access_from: Option<AccessFrom>,
    /// v1beta2, v1beta1 only: `go-git`, `libgit2`.
    #[serde(default)]
    pub git_implementation: String,
    /// gitignore lines; any pattern replaces the default exclusions.
    pub ignore: Option<String>,
    #[serde(default)]
    pub include: Vec<GitRepositoryInclude>,
    pub interval: String,
    /// `generic`, `aws`, `azure`, `github`.
    #[serde(default)]
    pub provider: String,
    pub proxy_secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub recurse_submodules: bool,
    #[serde(rename = "ref")]
    pub reference: Option<GitRepositoryRef>,
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub service_account_name: String,
    #[serde(default)]
    pub sparse_checkout: Vec<String>,
    #[serde(default)]
    pub suspend: bool,
    pub timeout: Option<String>,
    pub url: String,
    pub verify: Option<GitRepositoryVerification>,
}

/// Which commit to check out. With nothing set, the `master` branch.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositoryRef {
    #[serde(default)]
    pub branch: String,
    #[serde(default)]
    pub commit: String,
    /// A full reference (`refs/heads/main`, `refs/tags/v1`); v1, v1beta2.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub semver: String,
    #[serde(default)]
    pub tag: String,
}

/// Another GitRepository's content copied into this one's artifact.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositoryInclude {
    #[serde(default)]
    pub from_path: String,
    pub repository: LocalObjectReference,
    #[serde(default)]
    pub to_path: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositoryVerification {
    /// `HEAD` (default), `Tag`, `TagAndHEAD` (`head` in the betas).
    #[serde(default)]
    pub mode: String,
    pub secret_ref: LocalObjectReference,
}

impl GitRepository {
    /// The ref, with the API's default (`branch: master`) when none is set.
    pub fn reference(&self) -> GitRepositoryRef {
        match &self.spec.reference {
            Some(r)
                if !(r.branch.is_empty()
                    && r.commit.is_empty()
                    && r.name.is_empty()
                    && r.semver.is_empty()
                    && r.tag.is_empty()) =>
            {
                r.clone()
            }
            _ => GitRepositoryRef {
                branch: "master".into(),
                ..Default::default()
            },
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositorySpec {
    pub cert_secret_ref: Option<LocalObjectReference>,
    pub ignore: Option<String>,
    #[serde(default)]
    pub insecure: bool,
    pub interval: String,
    pub layer_selector: Option<OciLayerSelector>,
    /// `generic` (default), `aws`, `azure`, `gcp`.
    #[serde(default)]
    pub provider: String,
    pub proxy_secret_ref: Option<LocalObjectReference>,
    #[serde(rename = "ref")]
    pub reference: Option<OciRepositoryRef>,
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub service_account_name: String,
    #[serde(default)]
    pub suspend: bool,
    pub timeout: Option<String>,
    /// `oci://registry/repository`.
    pub url: String,
    pub verify: Option<OciRepositoryVerification>,
}

/// Which artifact to pull. With nothing set, the `latest` tag.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositoryRef {
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub semver: String,
    #[serde(default)]
    pub semver_filter: String,
    #[serde(default)]
    pub tag: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OciLayerSelector {
    #[serde(default)]
    pub media_type: String,
    /// `extract` (default) or `copy` (the layer as is, not filtered).
    #[serde(default)]
    pub operation: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositoryVerification {
    #[serde(default, rename = "matchOIDCIdentity")]
    pub match_oidc_identity: Vec<OidcIdentityMatch>,
    /// `cosign` (the CRD default) or `notation`.
    #[serde(default)]
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
    pub trusted_root_secret_ref: Option<LocalObjectReference>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OidcIdentityMatch {
    pub issuer: String,
    pub subject: String,
}

impl OciRepository {
    /// The ref, with the API's default (`tag: latest`) when none is set.
    pub fn reference(&self) -> OciRepositoryRef {
        match &self.spec.reference {
            Some(r) if !(r.digest.is_empty() && r.semver.is_empty() && r.tag.is_empty()) => {
                r.clone()
            }
            _ => OciRepositoryRef {
                tag: "latest".into(),
                ..Default::default()
            },
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BucketSpec {
    /// v1beta2, v1beta1 only.
    pub access_from: Option<AccessFrom>,
    pub bucket_name: String,
    pub cert_secret_ref: Option<LocalObjectReference>,
    pub endpoint: String,
    /// gitignore lines; with a Bucket no default exclusions apply at all.
    pub ignore: Option<String>,
    #[serde(default)]
    pub insecure: bool,
    pub interval: String,
    #[serde(default)]
    pub prefix: String,
    /// `generic` (default), `aws`, `gcp`, `azure`.
    #[serde(default)]
    pub provider: String,
    pub proxy_secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub region: String,
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub service_account_name: String,
    pub sts: Option<BucketStsSpec>,
    #[serde(default)]
    pub suspend: bool,
    pub timeout: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BucketStsSpec {
    pub cert_secret_ref: Option<LocalObjectReference>,
    pub endpoint: String,
    /// `aws` or `ldap`.
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmRepositorySpec {
    pub access_from: Option<AccessFrom>,
    pub cert_secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub insecure: bool,
    pub interval: Option<String>,
    #[serde(default)]
    pub pass_credentials: bool,
    /// `generic` (default), `aws`, `azure`, `gcp`.
    #[serde(default)]
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default)]
    pub suspend: bool,
    pub timeout: Option<String>,
    /// `default` (an HTTP index) or `oci`.
    #[serde(default, rename = "type")]
    pub repository_type: String,
    pub url: String,
}

impl HelmRepository {
    /// An OCI registry rather than an HTTP chart index.
    pub fn is_oci(&self) -> bool {
        self.spec.repository_type == "oci"
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartSpec {
    /// v1beta2, v1beta1 only.
    pub access_from: Option<AccessFrom>,
    /// A chart name in a repository, or a path in a GitRepository or Bucket.
    pub chart: String,
    #[serde(default)]
    pub ignore_missing_values_files: bool,
    pub interval: String,
    /// `ChartVersion` (default) or `Revision`.
    #[serde(default)]
    pub reconcile_strategy: String,
    pub source_ref: LocalHelmChartSourceReference,
    #[serde(default)]
    pub suspend: bool,
    /// v1beta2, v1beta1 only.
    #[serde(default)]
    pub values_file: String,
    #[serde(default)]
    pub values_files: Vec<String>,
    pub verify: Option<HelmChartVerification>,
    /// A semver range; `*` (the CRD default) when empty.
    #[serde(default)]
    pub version: String,
}

/// A HelmChart's source, always in the chart's namespace.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LocalHelmChartSourceReference {
    #[serde(default)]
    pub api_version: String,
    /// `HelmRepository`, `GitRepository` or `Bucket`.
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartVerification {
    #[serde(default, rename = "matchOIDCIdentity")]
    pub match_oidc_identity: Vec<OidcIdentityMatch>,
    /// `cosign` (the CRD default) or `notation`.
    #[serde(default)]
    pub provider: String,
    pub secret_ref: Option<LocalObjectReference>,
}

impl HelmChart {
    /// `spec.version`, defaulted to `*`.
    pub fn version(&self) -> &str {
        if self.spec.version.is_empty() {
            "*"
        } else {
            &self.spec.version
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExternalArtifactSpec {
    /// The object that produces the artifact (e.g. an ArtifactGenerator).
    pub source_ref: Option<NamespacedObjectKindReference>,
}

impl Model for GitRepository {
    const KIND: &'static str = "GitRepository";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1",
            absent: &["spec.accessFrom", "spec.gitImplementation"],
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta2",
            absent: &[
                "spec.provider",
                "spec.proxySecretRef",
                "spec.serviceAccountName",
                "spec.sparseCheckout",
            ],
            optional: &[],
            required: &["spec.verify.mode"],
        },
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta1",
            absent: &[
                "spec.provider",
                "spec.proxySecretRef",
                "spec.ref.name",
                "spec.serviceAccountName",
                "spec.sparseCheckout",
            ],
            optional: &["spec.verify.secretRef"],
            required: &["spec.verify.mode"],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Model for OciRepository {
    const KIND: &'static str = "OCIRepository";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion::plain("source.toolkit.fluxcd.io/v1"),
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta2",
            absent: &["spec.verify.trustedRootSecretRef"],
            optional: &[],
            required: &[],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Model for Bucket {
    const KIND: &'static str = "Bucket";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1",
            absent: &["spec.accessFrom"],
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta2",
            absent: &["spec.serviceAccountName"],
            optional: &[],
            required: &[],
        },
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta1",
            absent: &[
                "spec.certSecretRef",
                "spec.prefix",
                "spec.proxySecretRef",
                "spec.serviceAccountName",
                "spec.sts",
            ],
            optional: &[],
            required: &[],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Model for HelmRepository {
    const KIND: &'static str = "HelmRepository";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion::plain("source.toolkit.fluxcd.io/v1"),
        ApiVersion::plain("source.toolkit.fluxcd.io/v1beta2"),
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta1",
            absent: &[
                "spec.certSecretRef",
                "spec.insecure",
                "spec.provider",
                "spec.type",
            ],
            optional: &[],
            required: &["spec.interval"],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Model for HelmChart {
    const KIND: &'static str = "HelmChart";
    const VERSIONS: &'static [ApiVersion] = &[
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1",
            absent: &["spec.accessFrom", "spec.valuesFile"],
            optional: &[],
            required: &[],
        },
        ApiVersion::plain("source.toolkit.fluxcd.io/v1beta2"),
        ApiVersion {
            api_version: "source.toolkit.fluxcd.io/v1beta1",
            absent: &["spec.ignoreMissingValuesFiles", "spec.verify"],
            optional: &[],
            required: &[],
        },
    ];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Model for ExternalArtifact {
    const KIND: &'static str = "ExternalArtifact";
    const VERSIONS: &'static [ApiVersion] = &[ApiVersion::plain("source.toolkit.fluxcd.io/v1")];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}
