//! Typed models of the objects fluxlint reads from rendered manifests: the
//! Flux kinds of kustomize-controller, source-controller and helm-controller
//! (every API version still met in fleets), plus ConfigMap and Secret.
//!
//! Reading an object goes through the API server's eyes
//! (see `schema.rs`): unknown fields are pruned and reported as
//! [`UnknownField`]s with a did-you-mean, `null` fields are dropped, a value
//! of the wrong type is a [`ModelError`] naming the field, and an absent
//! required field is a [`MissingField`] (the object would be refused; the
//! model gets a zero value so the rest can still be checked).
//!
//! Each kind has one serde model, the union of the fields of all its served
//! versions; [`ApiVersion`] lists, per version, the model fields that
//! version lacks and where its requiredness differs. The field names come
//! from the serde structs alone. A test holds every (kind, version) against
//! the field lists of the upstream CRDs (`testdata/crd_fields.txt`).
//!
//! Defaults the controllers apply are methods (`source_namespace()`,
//! `release_name()`, ...), so a model still shows what was written.

pub mod config;
pub mod helm;
pub mod kustomization;
pub mod meta;
pub mod schema;
pub mod source;
pub mod suggest;

pub use config::{ConfigMap, Secret};
pub use helm::HelmRelease;
pub use kustomization::Kustomization;
pub use meta::{NamespacedName, ObjectMeta};
pub use source::{
    Bucket, ExternalArtifact, GitRepository, HelmChart, HelmRepository, OciRepository,
};

use crate::source::Span;
use crate::yaml::de::from_node;
use crate::yaml::Node;
use serde::de::DeserializeOwned;

pub const KUSTOMIZE_GROUP: &str = "kustomize.toolkit.fluxcd.io";
pub const SOURCE_GROUP: &str = "source.toolkit.fluxcd.io";
pub const HELM_GROUP: &str = "helm.toolkit.fluxcd.io";

/// A Kubernetes kind with a typed model.
pub trait Model: DeserializeOwned + 'static {
    /// `kind` as written in manifests.
    const KIND: &'static str;
    /// The API versions serving this kind, newest first.
    const VERSIONS: &'static [ApiVersion];

    fn metadata(&self) -> &ObjectMeta;

    /// Called after reading with the (pruned) node, for models that keep
    /// spans of values serde cannot give them (a Secret's `data`).
    fn locate(&mut self, _node: &Node) {}
}

/// One served version of a kind, described against the kind's model.
/// Paths are schema paths: fields joined by `.`, list items as `[]`, map
/// values as `*` (`spec.dependsOn[].readyExpr`).
#[derive(Debug)]
pub struct ApiVersion {
    /// `group/version` (`v1` for the core group).
    pub api_version: &'static str,
    /// Model fields this version does not have (pruned when written).
    pub absent: &'static [&'static str],
    /// Fields the model requires that this version leaves optional.
    pub optional: &'static [&'static str],
    /// Fields this version requires that the model leaves optional.
    pub required: &'static [&'static str],
}

impl ApiVersion {
    /// A version with exactly the model's fields.
    pub const fn plain(api_version: &'static str) -> ApiVersion {
        ApiVersion {
            api_version,
            absent: &[],
            optional: &[],
            required: &[],
        }
    }
}

/// A model read from a manifest, with what the API server would warn about.
#[derive(Clone, Debug)]
pub struct Parsed<T> {
    pub value: T,
    /// Fields the schema does not know, in manifest order; pruned from `value`.
    pub unknown_fields: Vec<UnknownField>,
    /// Required fields that are absent; `value` holds zero values for them.
    pub missing_fields: Vec<MissingField>,
}

impl<T> Parsed<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed {
            value: f(self.value),
            unknown_fields: self.unknown_fields,
            missing_fields: self.missing_fields,
        }
    }
}

/// A field the object's schema does not have (Kubernetes prunes it).
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownField {
    /// Where it is: `spec.dependOn`, `spec.patches[1].targt`.
    pub path: String,
    /// The key's span.
    pub span: Span,
    /// A known field at the same place with a close name.
    pub suggestion: Option<String>,
    /// Other API versions of the kind that do have this field
    /// (`spec.patchesStrategicMerge` in a v1 Kustomization: v1beta2, v1beta1).
    pub in_versions: Vec<&'static str>,
}

/// A required field that is absent (the API server would refuse the object).
#[derive(Clone, Debug, PartialEq)]
pub struct MissingField {
    /// `spec.sourceRef.name`.
    pub path: String,
    /// The span of the mapping that lacks it.
    pub span: Span,
}

/// An object that cannot be read: a value of the wrong type, an API version
/// that does not serve the kind.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    pub message: String,
    pub span: Span,
}

/// Reads a `T` from `node` as the API server would store it for the node's
/// `apiVersion` (see the module documentation).
pub fn parse<T: Model>(node: &Node) -> Result<Parsed<T>, ModelError> {
    let api_version = node.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
    if kind != T::KIND {
        return Err(ModelError {
            message: format!("kind is \"{kind}\", not \"{}\"", T::KIND),
            span: node.get("kind").map_or(node.span, |n| n.span),
        });
    }
    let Some(version) = T::VERSIONS.iter().find(|v| v.api_version == api_version) else {
        return Err(no_matches(node, kind, api_version));
    };
    let mut pruned = node.clone();
    let mut walk = schema::Walk::new(version, T::VERSIONS);
    walk.run(&mut pruned, schema::schema_of::<T>())?;
    let mut value = from_node::<T>(&pruned).map_err(|e| ModelError {
        message: e.message,
        span: if e.span.is_none() { node.span } else { e.span },
    })?;
    value.locate(&pruned);
    Ok(Parsed {
        value,
        unknown_fields: walk.unknown_fields,
        missing_fields: walk.missing_fields,
    })
}

/// kubectl's words for a kind that the API version does not serve.
fn no_matches(node: &Node, kind: &str, api_version: &str) -> ModelError {
    ModelError {
        message: format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
        span: node.get("apiVersion").map_or(node.span, |n| n.span),
    }
}

/// A Flux object of a kind fluxlint models.
#[derive(Clone, Debug)]
pub enum FluxObject {
    Kustomization(Box<Kustomization>),
    GitRepository(Box<GitRepository>),
    OciRepository(Box<OciRepository>),
    Bucket(Box<Bucket>),
    HelmRepository(Box<HelmRepository>),
    HelmChart(Box<HelmChart>),
    ExternalArtifact(Box<ExternalArtifact>),
    HelmRelease(Box<HelmRelease>),
}

impl FluxObject {
    pub fn kind(&self) -> &'static str {
        match self {
            FluxObject::Kustomization(_) => Kustomization::KIND,
            FluxObject::GitRepository(_) => GitRepository::KIND,
            FluxObject::OciRepository(_) => OciRepository::KIND,
            FluxObject::Bucket(_) => Bucket::KIND,
            FluxObject::HelmRepository(_) => HelmRepository::KIND,
            FluxObject::HelmChart(_) => HelmChart::KIND,
            FluxObject::ExternalArtifact(_) => ExternalArtifact::KIND,
            FluxObject::HelmRelease(_) => HelmRelease::KIND,
        }
    }

    pub fn api_version(&self) -> &str {
        match self {
            FluxObject::Kustomization(o) => &o.api_version,
            FluxObject::GitRepository(o) => &o.api_version,
            FluxObject::OciRepository(o) => &o.api_version,
            FluxObject::Bucket(o) => &o.api_version,
            FluxObject::HelmRepository(o) => &o.api_version,
            FluxObject::HelmChart(o) => &o.api_version,
            FluxObject::ExternalArtifact(o) => &o.api_version,
            FluxObject::HelmRelease(o) => &o.api_version,
        }
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            FluxObject::Kustomization(o) => o.metadata(),
            FluxObject::GitRepository(o) => o.metadata(),
            FluxObject::OciRepository(o) => o.metadata(),
            FluxObject::Bucket(o) => o.metadata(),
            FluxObject::HelmRepository(o) => o.metadata(),
            FluxObject::HelmChart(o) => o.metadata(),
            FluxObject::ExternalArtifact(o) => o.metadata(),
            FluxObject::HelmRelease(o) => o.metadata(),
        }
    }

    /// `Kind/namespace/name` (`Kind/name` without a namespace).
    pub fn id(&self) -> String {
        let m = self.metadata();
        if m.namespace.is_empty() {
            format!("{}/{}", self.kind(), m.name)
        } else {
            format!("{}/{}/{}", self.kind(), m.namespace, m.name)
        }
    }
}

/// Reads `node` when it is an object of the kustomize, source or helm
/// toolkit groups; `None` for anything else (other groups, no `apiVersion`).
/// A kind or version those groups do not serve is an error, as kubectl's.
pub fn parse_flux_object(node: &Node) -> Option<Result<Parsed<FluxObject>, ModelError>> {
    let api_version = node.get("apiVersion")?.as_str()?;
    let (group, _) = api_version.split_once('/')?;
    if ![KUSTOMIZE_GROUP, SOURCE_GROUP, HELM_GROUP].contains(&group) {
        return None;
    }
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
    fn read<T: Model>(
        node: &Node,
        wrap: fn(Box<T>) -> FluxObject,
    ) -> Result<Parsed<FluxObject>, ModelError> {
        parse::<T>(node).map(|p| p.map(|v| wrap(Box::new(v))))
    }
    Some(match (group, kind) {
        (KUSTOMIZE_GROUP, Kustomization::KIND) => read(node, FluxObject::Kustomization),
        (SOURCE_GROUP, GitRepository::KIND) => read(node, FluxObject::GitRepository),
        (SOURCE_GROUP, OciRepository::KIND) => read(node, FluxObject::OciRepository),
        (SOURCE_GROUP, Bucket::KIND) => read(node, FluxObject::Bucket),
        (SOURCE_GROUP, HelmRepository::KIND) => read(node, FluxObject::HelmRepository),
        (SOURCE_GROUP, HelmChart::KIND) => read(node, FluxObject::HelmChart),
        (SOURCE_GROUP, ExternalArtifact::KIND) => read(node, FluxObject::ExternalArtifact),
        (HELM_GROUP, HelmRelease::KIND) => read(node, FluxObject::HelmRelease),
        _ => {
            let mut e = no_matches(node, kind, api_version);
            let kinds: &[&str] = match group {
                KUSTOMIZE_GROUP => &[Kustomization::KIND],
                HELM_GROUP => &[HelmRelease::KIND],
                _ => &[
                    GitRepository::KIND,
                    OciRepository::KIND,
                    Bucket::KIND,
                    HelmRepository::KIND,
                    HelmChart::KIND,
                    ExternalArtifact::KIND,
                ],
            };
            if let Some(near) = suggest::did_you_mean(kind, kinds.iter().copied()) {
                e.message.push_str(&format!(" (did you mean \"{near}\"?)"));
                e.span = node.get("kind").map_or(e.span, |n| n.span);
            }
            Err(e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::schema::{schema_of, Schema};
    use super::*;
    use std::collections::BTreeSet;

    /// The spec schema and versions of a kind, by name.
    fn kind_schema(kind: &str) -> (&'static Schema, &'static [ApiVersion]) {
        fn of<T: Model>() -> (&'static Schema, &'static [ApiVersion]) {
            (schema_of::<T>(), T::VERSIONS)
        }
        match kind {
            "Kustomization" => of::<Kustomization>(),
            "GitRepository" => of::<GitRepository>(),
            "OCIRepository" => of::<OciRepository>(),
            "Bucket" => of::<Bucket>(),
            "HelmRepository" => of::<HelmRepository>(),
            "HelmChart" => of::<HelmChart>(),
            "ExternalArtifact" => of::<ExternalArtifact>(),
            "HelmRelease" => of::<HelmRelease>(),
            _ => panic!("no model for {kind}"),
        }
    }

    /// The model's `spec` lines for one version, in the fixture's format.
    fn model_lines(schema: &Schema, version: &ApiVersion) -> BTreeSet<String> {
        let spec = schema.field("spec").expect("a spec field");
        let mut out = BTreeSet::new();
        out.insert(format!(
            "spec {}{}",
            spec.schema.type_name(),
            if spec.required { "!" } else { "" }
        ));
        for (path, s, required) in spec.schema.paths() {
            let path = format!("spec.{path}");
            let absent = version.absent.iter().any(|a| {
                path == *a
                    || path.starts_with(&format!("{a}."))
                    || path.starts_with(&format!("{a}["))
            });
            if absent {
                continue;
            }
            let required = (required && !version.optional.contains(&path.as_str()))
                || version.required.contains(&path.as_str());
            out.insert(format!(
                "{path} {}{}",
                s.type_name(),
                if required { "!" } else { "" }
            ));
        }
        out
    }

    /// Every (kind, version) of the upstream CRDs has exactly the model's
    /// fields, types and requiredness, and every model version is covered.
    #[test]
    fn models_match_the_crds() {
        let text = include_str!("testdata/crd_fields.txt");
        let mut blocks: Vec<(String, String, BTreeSet<String>)> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let (id, _) = header.split_once(']').expect("a block header");
                let (kind, api_version) = id.split_once(' ').expect("kind and version");
                blocks.push((kind.to_string(), api_version.to_string(), BTreeSet::new()));
            } else {
                blocks
                    .last_mut()
                    .expect("a block")
                    .2
                    .insert(line.to_string());
            }
        }
        let mut failures = Vec::new();
        let mut covered = BTreeSet::new();
        for (kind, api_version, crd) in &blocks {
            let (schema, versions) = kind_schema(kind);
            let Some(version) = versions.iter().find(|v| v.api_version == api_version) else {
                failures.push(format!("{kind} {api_version}: no such model version"));
                continue;
            };
            covered.insert((kind.clone(), api_version.clone()));
            let model = model_lines(schema, version);
            for extra in model.difference(crd) {
                failures.push(format!("{kind} {api_version}: model has `{extra}`"));
            }
            for lacking in crd.difference(&model) {
                failures.push(format!("{kind} {api_version}: CRD has `{lacking}`"));
            }
        }
        for kind in [
            "Kustomization",
            "GitRepository",
            "OCIRepository",
            "Bucket",
            "HelmRepository",
            "HelmChart",
            "ExternalArtifact",
            "HelmRelease",
        ] {
            for v in kind_schema(kind).1 {
                if !covered.contains(&(kind.to_string(), v.api_version.to_string())) {
                    failures.push(format!("{kind} {}: not in the fixture", v.api_version));
                }
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    /// Every Flux object, ConfigMap and Secret in the real fleets reads
    /// without error; the unknown and missing fields found are printed (raw
    /// files include patches, which lack required fields by design).
    #[test]
    #[allow(clippy::print_stderr)]
    fn real_fleets_read_without_errors() {
        use crate::source::FileId;
        use crate::yaml::{parse_documents, LoadOptions};
        // `../shared` beside the crate, `../../shared` from a worktree under
        // `wt/`, or `$FLUXLINT_SHARED`; missing: skipped, except in CI.
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let candidates = match std::env::var_os("FLUXLINT_SHARED") {
            Some(dir) => vec![std::path::PathBuf::from(dir)],
            None => vec![crate_dir.join("../shared"), crate_dir.join("../../shared")],
        };
        let Some(root) = candidates
            .iter()
            .map(|d| d.join("fleets"))
            .find(|d| d.is_dir())
        else {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !in_ci,
                "the fleets are missing at {}",
                candidates[0].join("fleets").display()
            );
            eprintln!(
                "skipped: no fleets at {}",
                candidates[0].join("fleets").display()
            );
            return;
        };
        let mut files = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a readable directory") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let (mut flux, mut config, mut errors, mut unreadable) = (0, 0, Vec::new(), 0);
        for path in &files {
            let text = std::fs::read_to_string(path).expect("a readable file");
            let Ok(docs) = parse_documents(&text, FileId(0), &LoadOptions::default()) else {
                unreadable += 1;
                continue;
            };
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            let line = |span: Span| text[..span.start as usize].lines().count().max(1);
            for doc in &docs {
                let kind = doc.get("kind").and_then(Node::as_str);
                let core = doc.get("apiVersion").and_then(Node::as_str) == Some("v1");
                let result = match (parse_flux_object(doc), core, kind) {
                    (Some(r), _, _) => {
                        flux += 1;
                        r.map(|p| (p.unknown_fields, p.missing_fields))
                    }
                    (None, true, Some("ConfigMap")) => {
                        config += 1;
                        parse::<ConfigMap>(doc).map(|p| (p.unknown_fields, p.missing_fields))
                    }
                    (None, true, Some("Secret")) => {
                        config += 1;
                        parse::<Secret>(doc).map(|p| (p.unknown_fields, p.missing_fields))
                    }
                    _ => continue,
                };
                match result {
                    Err(e) => errors.push(format!("{name}:{}: {}", line(e.span), e.message)),
                    Ok((unknown, missing)) => {
                        for u in unknown {
                            eprintln!(
                                "{name}:{}: unknown field {} (did you mean {:?}; in {:?})",
                                line(u.span),
                                u.path,
                                u.suggestion,
                                u.in_versions
                            );
                        }
                        for m in missing {
                            eprintln!("{name}:{}: missing {}", line(m.span), m.path);
                        }
                    }
                }
            }
        }
        eprintln!(
            "{} files ({unreadable} not YAML), {flux} Flux objects, {config} ConfigMaps/Secrets",
            files.len()
        );
        assert!(errors.is_empty(), "\n{}", errors.join("\n"));
        assert!(
            flux > 200 && config > 5,
            "too few objects: {flux} Flux, {config} config"
        );
    }
}
