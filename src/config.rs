//! `.fluxlint.yaml` at the repository root: cluster entry points, per-cluster
//! substitution mode and values that only exist in the cluster, and local
//! directories standing in for sources outside the repository.
//!
//! Unknown keys are errors with their line (the file is read with
//! `deny_unknown_fields`), so a misspelt option is never silently ignored.
//!
//! ```yaml
//! clusters:
//!   - name: production
//!     path: clusters/production        # the directory Flux syncs for this cluster
//!     strictSubstitute: true           # kustomize-controller's default since Flux 2.9
//!     values:                          # variables of ConfigMaps/Secrets made in the cluster
//!       ConfigMap/flux-system/cluster-settings:
//!         cluster_domain: example.com
//! sources:
//!   GitRepository/flux-system/dev-team: tenants/dev-team   # a source mapped to a local directory
//! ```

use crate::source::{FileId, Span};
use crate::yaml::{self, de::from_node, DuplicateKeys, LoadOptions};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

pub const CONFIG_FILE: &str = ".fluxlint.yaml";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub clusters: Vec<ClusterConfig>,
    /// `Kind/namespace/name` of a source → a directory of this repository.
    #[serde(default)]
    pub sources: IndexMap<String, String>,
    /// Substitution mode for clusters that do not set their own.
    pub strict_substitute: Option<bool>,
    /// The directory of the repository that Flux syncs (its paths are
    /// relative to it), when it is not the root and detection should not guess.
    pub source_root: Option<String>,
    /// Sample inputs of ResourceSetInputProviders whose inputs come from a
    /// cluster or the network: `ResourceSetInputProvider/namespace/name` →
    /// a list of input maps, used as the provider's exported inputs.
    #[serde(default)]
    pub inputs: IndexMap<String, crate::yaml::Node>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterConfig {
    pub name: String,
    /// The directory the cluster's bootstrap Kustomization syncs, relative
    /// to the repository root.
    pub path: String,
    pub strict_substitute: Option<bool>,
    /// `Kind/namespace/name` of a ConfigMap or Secret → its data.
    #[serde(default)]
    pub values: IndexMap<String, IndexMap<String, String>>,
}

/// A configuration file that cannot be used, with where.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
    pub span: Option<Span>,
}

impl Config {
    /// Reads `text` (the contents of `.fluxlint.yaml`; `file` registers its spans).
    pub fn parse(text: &str, file: FileId) -> Result<Config, ConfigError> {
        let err = |message: String, span: Option<Span>| ConfigError {
            file: CONFIG_FILE.to_string(),
            message,
            span,
        };
        let opts = LoadOptions {
            duplicate_keys: DuplicateKeys::Error,
            ..LoadOptions::default()
        };
        let docs =
            yaml::parse_documents(text, file, &opts).map_err(|e| err(e.message, Some(e.span)))?;
        let Some(node) = docs.into_iter().find(|d| !d.is_null()) else {
            return Ok(Config::default());
        };
        let config: Config =
            from_node(&node).map_err(|e| err(e.message, Some(e.span).filter(|s| !s.is_none())))?;
        for c in &config.clusters {
            if c.name.is_empty() || c.path.is_empty() {
                return Err(err("every cluster needs a name and a path".into(), None));
            }
            if Path::new(&c.path).is_absolute() || c.path.split('/').any(|p| p == "..") {
                return Err(err(
                    format!(
                        "cluster '{}': path must be relative and inside the repository",
                        c.name
                    ),
                    None,
                ));
            }
        }
        Ok(config)
    }

    pub fn cluster(&self, name: &str) -> Option<&ClusterConfig> {
        self.clusters.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_clusters_and_sources() {
        let c = Config::parse(
            "clusters:\n- name: prod\n  path: clusters/prod\n  strictSubstitute: true\n  values:\n    ConfigMap/flux-system/s:\n      a: b\nsources:\n  GitRepository/flux-system/x: tenants/x\n",
            FileId(0),
        )
        .unwrap();
        assert_eq!(c.clusters[0].name, "prod");
        assert_eq!(c.clusters[0].strict_substitute, Some(true));
        assert_eq!(c.clusters[0].values["ConfigMap/flux-system/s"]["a"], "b");
        assert_eq!(c.sources["GitRepository/flux-system/x"], "tenants/x");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let text = "clusters:\n- name: prod\n  path: p\n  stritSubstitute: true\n";
        let e = Config::parse(text, FileId(0)).unwrap_err();
        assert!(e.message.contains("stritSubstitute"), "{}", e.message);
        let span = e.span.expect("span");
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "stritSubstitute"
        );
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(Config::parse("clusters:\n- name: a\n  path: ../x\n", FileId(0)).is_err());
    }
}
