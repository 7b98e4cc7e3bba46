//! One object being built: its tree plus what kustomize tracks beside it
//! (previous ids, applied prefixes and suffixes, generator options, origin).
//!
//! kustomize keeps this bookkeeping in build annotations on the object
//! (`kustomize.config.k8s.io/previousNames` …); fluxlint keeps it in fields,
//! so nothing has to be stripped before printing.

use super::resid::{Gvk, ResId};
use crate::yaml::{Node, Value};
use std::path::PathBuf;

/// How a generated object joins objects already accumulated with its id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behavior {
    #[default]
    Create,
    Merge,
    Replace,
}

/// Where an object came from (kustomize's `resource.Origin`), used by
/// `buildMetadata: [originAnnotations]` and by fluxlint's diagnostics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    /// The file the object was read from, relative to the kustomization
    /// directory that lists it, as kustomize prints it.
    pub path: Option<String>,
    /// The kustomization file that configured a generator or transformer.
    pub configured_in: Option<String>,
    /// The generator or transformer that made the object.
    pub configured_by: Option<ResId>,
    /// The file the object was read from, as a path into the source map.
    pub file: Option<PathBuf>,
}

impl Origin {
    /// No kustomize origin recorded (what `config.kubernetes.io/origin` would hold).
    pub fn is_empty_kustomize(&self) -> bool {
        self.path.is_none() && self.configured_in.is_none() && self.configured_by.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct Resource {
    /// The object (a mapping).
    pub node: Node,
    /// Ids this object had before renames, oldest first.
    pub prev_ids: Vec<ResId>,
    /// namePrefix values applied, in order (for name-reference matching).
    pub name_prefixes: Vec<String>,
    /// nameSuffix values applied, in order.
    pub name_suffixes: Vec<String>,
    /// Gets a content-hash name suffix at the end of the build.
    pub needs_hash: bool,
    /// Set on generated objects.
    pub behavior: Behavior,
    /// Made by a generator (ConfigMap/Secret generators, generator plugins).
    pub generated: bool,
    pub origin: Origin,
    /// Transformers that touched this object (`buildMetadata: [transformerAnnotations]`).
    pub transformations: Vec<Origin>,
    /// Names of the `vars` bound to this object (kustomize's `refVarNames`).
    pub ref_var_names: Vec<String>,
}

impl Resource {
    pub fn new(node: Node) -> Resource {
        Resource {
            node,
            prev_ids: Vec::new(),
            name_prefixes: Vec::new(),
            name_suffixes: Vec::new(),
            needs_hash: false,
            behavior: Behavior::Create,
            generated: false,
            origin: Origin::default(),
            transformations: Vec::new(),
            ref_var_names: Vec::new(),
        }
    }

    pub fn api_version(&self) -> &str {
        self.node.str_at(&["apiVersion"]).unwrap_or("")
    }

    pub fn kind(&self) -> &str {
        self.node.str_at(&["kind"]).unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.node.str_at(&["metadata", "name"]).unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.node.str_at(&["metadata", "namespace"]).unwrap_or("")
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }

    /// The current id.
    pub fn id(&self) -> ResId {
        ResId::new(self.gvk(), self.namespace(), self.name())
    }

    /// The id before any rename (kustomize's `OrgId`): the first recorded
    /// previous id, else the current one.
    pub fn orig_id(&self) -> ResId {
        self.recorded_prev_ids()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.id())
    }

    /// The current id followed by every recorded previous id.
    pub fn all_ids(&self) -> Vec<ResId> {
        let mut ids = vec![self.id()];
        ids.extend(self.recorded_prev_ids());
        ids
    }

    /// The previous ids as kustomize reads them back from its build
    /// annotations: the current group and version, the previous kind and
    /// name, and the previous *effective* namespace (`default`, or
    /// `_non_namespaceable_` for a cluster-scoped kind).
    pub fn recorded_prev_ids(&self) -> Vec<ResId> {
        let gvk = self.gvk();
        self.prev_ids
            .iter()
            .map(|id| {
                let gvk = Gvk::new(&gvk.group, &gvk.version, &id.gvk.kind);
                ResId::new(gvk, id.effective_namespace(), &id.name)
            })
            .collect()
    }

    /// Remembers the current id before a rename (kustomize's `StorePreviousId`).
    pub fn store_previous_id(&mut self) {
        let id = self.id();
        self.prev_ids.push(id);
    }

    pub fn set_name(&mut self, name: &str) {
        self.node
            .entry_map("metadata")
            .set("name", Node::string(name));
    }

    pub fn set_namespace(&mut self, namespace: &str) {
        self.node
            .entry_map("metadata")
            .set("namespace", Node::string(namespace));
    }

    /// A string map under `metadata` (labels, annotations), in order.
    pub fn metadata_map(&self, field: &str) -> Vec<(String, String)> {
        self.node
            .get_path(&["metadata", field])
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.name.clone(), v.scalar_text().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn labels(&self) -> Vec<(String, String)> {
        self.metadata_map("labels")
    }

    pub fn annotations(&self) -> Vec<(String, String)> {
        self.metadata_map("annotations")
    }

    /// `config.kubernetes.io/local-config: "true"`: dropped from the output.
    pub fn is_local_config(&self) -> bool {
        self.node
            .get_path(&[
                "metadata",
                "annotations",
                "config.kubernetes.io/local-config",
            ])
            .is_some_and(|v| matches!(&v.value, Value::Str(s) if s == "true"))
    }
}
