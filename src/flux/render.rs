//! One Flux Kustomization, rendered as kustomize-controller would apply it:
//! the generated kustomization file laid over the source, a kustomize build
//! (no reordering, no load restriction inside the source, builtin plugins
//! only), postBuild substitution per object, then the owner labels and
//! `commonMetadata` (flux-semantics.md §2–§5).

use super::generate::{self, Action, GeneratorSpec};
use super::substitute::{find_unresolved, Substitution, UnresolvedVariable};
use crate::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use crate::source::SourceMap;
use crate::yaml::{Node, Value};
use std::path::{Path, PathBuf};

pub const OWNER_NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
pub const OWNER_NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";

/// What to render.
pub struct RenderRequest<'a> {
    /// The repository's files (the source tree is a directory of it).
    pub sources: &'a SourceMap,
    /// The source's root directory (the artifact root; `spec.path` is relative to it).
    pub source_root: &'a Path,
    /// The Flux Kustomization object, as the cluster would hold it.
    pub object: &'a Node,
    pub substitution: &'a Substitution,
    /// Add the owner labels and `commonMetadata`, as the controller does at
    /// apply time (fluxcd/pkg's own build tests stop before).
    pub apply_metadata: bool,
    /// Directory builds shared with the other renders of the run.
    pub cache: Option<std::sync::Arc<crate::kustomize::cache::BuildCache>>,
}

/// One object the Kustomization applies.
#[derive(Clone, Debug)]
pub struct RenderedObject {
    pub node: Node,
    /// The file the object was read from, when it was read from one.
    pub file: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub struct Rendered {
    pub objects: Vec<RenderedObject>,
    /// Whether Flux generated the kustomization file (no file at the path).
    pub action: Action,
    /// Every `${VAR}` left without a value, with the object it is in.
    pub unresolved: Vec<(usize, UnresolvedVariable)>,
    /// The objects as built, before substitution (for locating variables).
    pub built: Vec<RenderedObject>,
}

/// Why a Kustomization could not be rendered, as Flux would report it.
#[derive(Clone, Debug, thiserror::Error)]
pub enum RenderError {
    #[error("kustomization path not found: {0}")]
    PathNotFound(String),
    #[error("{0}")]
    Spec(String),
    #[error("kustomize build failed: {}", .0.message)]
    Build(kustomize::Error),
    #[error("post build failed for '{object}': {message}")]
    Substitute {
        object: String,
        message: String,
        /// The variables that made strict mode fail.
        unresolved: Vec<UnresolvedVariable>,
        file: Option<PathBuf>,
    },
}

impl RenderError {
    /// The file the error is about, when known.
    pub fn file(&self) -> Option<&Path> {
        match self {
            RenderError::Build(e) => e.file.as_deref(),
            RenderError::Substitute { file, .. } => file.as_deref(),
            _ => None,
        }
    }
}

/// Renders one Flux Kustomization.
pub fn render(req: &RenderRequest) -> Result<Rendered, RenderError> {
    let spec = GeneratorSpec::from_object(req.object).map_err(|e| RenderError::Spec(e.message))?;
    let dir = generate::secure_join(req.source_root, &spec.path);
    if !req.sources.fs().is_dir(&dir) {
        return Err(RenderError::PathNotFound(spec.path.clone()));
    }
    let generated =
        generate::generate(req.sources.fs(), req.source_root, &spec).map_err(RenderError::Build)?;
    let view = req
        .sources
        .with_overlay([(generated.file.clone(), generated.text())]);
    let opts = BuildOptions {
        load_restrictor: LoadRestrictor::None,
        reorder: Reorder::None,
        openapi_merges_builtins: true,
        cache: req.cache.clone(),
        ..BuildOptions::default()
    };
    let out = kustomize::build(&view, &generated.dir, &opts).map_err(RenderError::Build)?;
    let name = req.object.str_at(&["metadata", "name"]).unwrap_or("");
    let namespace = req.object.str_at(&["metadata", "namespace"]).unwrap_or("");
    let common = req.object.get_path(&["spec", "commonMetadata"]);

    let mut objects = Vec::new();
    let mut built = Vec::new();
    let mut unresolved = Vec::new();
    for (i, (res, node)) in out.resources.iter().zip(out.to_nodes()).enumerate() {
        let file = res.origin.file.clone();
        let id = object_label(&node);
        if node.str_at(&["apiVersion"]).unwrap_or("").is_empty()
            || node.str_at(&["kind"]).unwrap_or("").is_empty()
            || node.str_at(&["metadata", "name"]).unwrap_or("").is_empty()
        {
            return Err(RenderError::Spec(format!(
                "failed to decode Kubernetes apiVersion, kind and name from: {id}"
            )));
        }
        let missing = find_unresolved(&node, req.substitution);
        let substituted = req.substitution.apply(&node).map_err(|e| {
            let strict_failures = missing.clone();
            RenderError::Substitute {
                object: id.clone(),
                message: e.to_string(),
                unresolved: strict_failures,
                file: file.clone(),
            }
        })?;
        unresolved.extend(missing.into_iter().map(|u| (i, u)));
        let mut applied = substituted.unwrap_or_else(|| node.clone());
        if req.apply_metadata {
            set_owner_labels(&mut applied, name, namespace);
            if let Some(common) = common {
                apply_common_metadata(&mut applied, common);
            }
        }
        built.push(RenderedObject {
            node,
            file: file.clone(),
        });
        objects.push(RenderedObject {
            node: applied,
            file,
        });
    }
    Ok(Rendered {
        objects,
        action: generated.action,
        unresolved,
        built,
    })
}

/// `<apiVersion>/<kind>/<namespace>/<name>` for messages.
pub fn object_label(node: &Node) -> String {
    let part = |p: &[&str]| node.str_at(p).unwrap_or("").to_string();
    let ns = part(&["metadata", "namespace"]);
    let name = part(&["metadata", "name"]);
    let kind = part(&["kind"]);
    if ns.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{ns}/{name}")
    }
}

/// fluxcd/pkg ssa `SetOwnerLabels`.
pub fn set_owner_labels(node: &mut Node, name: &str, namespace: &str) {
    let labels = node.entry_map("metadata").entry_map("labels");
    labels.set(OWNER_NAME_LABEL, Node::string(name));
    labels.set(OWNER_NAMESPACE_LABEL, Node::string(namespace));
}

/// fluxcd/pkg ssa/utils `SetCommonMetadata`: labels and annotations of
/// `spec.commonMetadata`, overwriting keys that exist.
pub fn apply_common_metadata(node: &mut Node, common: &Node) {
    for field in ["labels", "annotations"] {
        let Some(map) = common.get(field).and_then(Node::as_map) else {
            continue;
        };
        if map.is_empty() {
            continue;
        }
        let target = node.entry_map("metadata").entry_map(field);
        for (k, v) in map {
            let text = match &v.value {
                Value::Str(s) => s.clone(),
                _ => v.scalar_text().unwrap_or_default(),
            };
            target.set(&k.name, Node::string(text));
        }
    }
}
