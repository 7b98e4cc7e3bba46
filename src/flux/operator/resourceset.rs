//! Building a ResourceSet's objects (flux-operator `internal/builder/resourceset.go`
//! and `cmd/cli/build_resourceset.go`).
//!
//! Order: `resources[]` template-major (each entry for each input set), then
//! `resourcesTemplate` input-major. An object annotated
//! `fluxcd.controlplane.io/reconcile: disabled` is dropped; the first object
//! with a group/kind/namespace/name wins. Quirk kept from the original: with
//! no input sets, `resources[]` entries are rendered once and neither
//! deduplicated nor checked for the annotation.

use super::inputs::{self, InputSet, Provider};
use super::template::{self, Value};
use super::Error;
use crate::source::FileId;
use crate::yaml::{self, LoadOptions, Node};
use std::collections::HashMap;

const RECONCILE_ANNOTATION: &str = "fluxcd.controlplane.io/reconcile";
const OWNER_NAME_LABEL: &str = "resourceset.fluxcd.controlplane.io/name";
const OWNER_NAMESPACE_LABEL: &str = "resourceset.fluxcd.controlplane.io/namespace";

/// The objects of one step; `name` is `None` for a ResourceSet without steps.
#[derive(Clone, Debug)]
pub struct RenderedStep {
    pub name: Option<String>,
    pub objects: Vec<Node>,
}

/// `ValidateResourceSetSpec`: steps exclude resources/resourcesTemplate, and
/// every step needs one of them.
pub fn validate_spec(spec: &Node) -> Result<(), Error> {
    let steps = steps_of(spec);
    if !steps.is_empty() && (!resources_of(spec).is_empty() || template_of(spec).is_some()) {
        return Err(Error::new(
            "spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate",
        ));
    }
    for step in steps {
        if resources_of(step).is_empty() && template_of(step).is_none() {
            let name = step.str_at(&["name"]).unwrap_or_default();
            return Err(Error::new(format!(
                "step {name:?}: at least one of resources or resourcesTemplate must be set"
            )));
        }
    }
    Ok(())
}

fn steps_of(spec: &Node) -> &[Node] {
    spec.get("steps")
        .and_then(Node::as_seq)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn resources_of(spec: &Node) -> &[Node] {
    spec.get("resources")
        .and_then(Node::as_seq)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn template_of(spec: &Node) -> Option<&str> {
    spec.get("resourcesTemplate")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
}

/// `BuildResourceSetFromSpec`: validates `spec`, then builds each step (or
/// one anonymous step) with the given input sets.
pub fn build_steps(spec: &Node, input_sets: &[InputSet]) -> Result<Vec<RenderedStep>, Error> {
    validate_spec(spec)?;
    let steps = steps_of(spec);
    if steps.is_empty() {
        let objects = build_resources(template_of(spec), resources_of(spec), input_sets)?;
        return Ok(vec![RenderedStep {
            name: None,
            objects,
        }]);
    }
    let mut results = Vec::new();
    let mut step_of: HashMap<String, String> = HashMap::new();
    for step in steps {
        let name = step.str_at(&["name"]).unwrap_or_default().to_string();
        let objects = build_resources(template_of(step), resources_of(step), input_sets)
            .map_err(|e| Error::new(format!("step {name:?}: {}", e.message)))?;
        for obj in &objects {
            let key = object_key(obj);
            match step_of.get(&key) {
                Some(prev) if *prev == name => {}
                Some(prev) => {
                    return Err(Error::new(format!(
                        "duplicate resource {} in step {name:?}, already defined in step {prev:?}",
                        describe(obj)
                    )))
                }
                None => {
                    step_of.insert(key, name.clone());
                }
            }
        }
        results.push(RenderedStep {
            name: Some(name),
            objects,
        });
    }
    Ok(results)
}

/// `BuildResourceSet`: templates `resources` and `yaml_template` with every
/// input set.
pub fn build_resources(
    yaml_template: Option<&str>,
    resources: &[Node],
    input_sets: &[InputSet],
) -> Result<Vec<Node>, Error> {
    let mut objects = Vec::new();
    let mut keys = std::collections::HashSet::new();
    let mut add = |obj: Node, dedup: bool, objects: &mut Vec<Node>| {
        let key = object_key(&obj);
        if dedup && keys.contains(&key) {
            return;
        }
        keys.insert(key);
        objects.push(obj);
    };
    let no_inputs = Value::Map(Default::default());
    for (i, entry) in resources.iter().enumerate() {
        if input_sets.is_empty() {
            let obj = build_resource(entry, &no_inputs)
                .map_err(|e| Error::new(format!("failed to build resource: {e}")))?;
            add(obj, false, &mut objects);
            continue;
        }
        for set in input_sets {
            let obj = build_resource(entry, &Value::Map(set.clone()))
                .map_err(|e| Error::new(format!("failed to build resources[{i}]: {e}")))?;
            if is_disabled(&obj) {
                continue;
            }
            add(obj, true, &mut objects);
        }
    }
    if let Some(tmpl) = yaml_template {
        let mut rendered = Vec::new();
        if input_sets.is_empty() {
            rendered.extend(
                build_from_yaml(tmpl, &no_inputs)
                    .map_err(|e| Error::new(format!("failed to build resource: {e}")))?,
            );
        }
        for set in input_sets {
            rendered.extend(
                build_from_yaml(tmpl, &Value::Map(set.clone()))
                    .map_err(|e| Error::new(format!("failed to build resources: {e}")))?,
            );
        }
        for obj in rendered {
            if !is_disabled(&obj) {
                add(obj, true, &mut objects);
            }
        }
    }
    Ok(objects)
}

/// `BuildResource`: the entry as YAML text (sigs.k8s.io/yaml form), templated,
/// read back as one object (so types come from the rendered text).
fn build_resource(entry: &Node, input: &Value) -> Result<Node, String> {
    let mut text = String::new();
    yaml::emit_document(entry, &mut text);
    let rendered =
        template::render(&text, input).map_err(|e| format!("failed to execute template: {e}"))?;
    let docs =
        yaml::parse_documents(&rendered, FileId(0), &LoadOptions::default()).map_err(|e| {
            format!(
                "failed to read object: error converting YAML to JSON: {}",
                e.go_message()
            )
        })?;
    match docs.into_iter().next() {
        Some(doc) if doc.as_map().is_some() => Ok(doc),
        _ => Err("failed to read object: Object 'Kind' is missing in 'null'".to_string()),
    }
}

/// `BuildResourcesFromYAML`: the whole template rendered, then split into
/// objects; documents that are not Kubernetes objects (no apiVersion, kind or
/// metadata.name) and kustomize Kustomizations are dropped; Lists expanded.
fn build_from_yaml(tmpl: &str, input: &Value) -> Result<Vec<Node>, String> {
    let rendered = template::render(tmpl, input)
        .map_err(|e| format!("failed to execute multi-doc YAML template: {e}"))?;
    let docs =
        yaml::parse_documents(&rendered, FileId(0), &LoadOptions::default()).map_err(|e| {
            format!(
                "failed to read objects from multi-doc YAML: {}",
                e.go_message()
            )
        })?;
    let mut out = Vec::new();
    for doc in docs {
        push_object(doc, &mut out);
    }
    Ok(out)
}

fn push_object(doc: Node, out: &mut Vec<Node>) {
    let nonempty = |p: &[&str]| doc.str_at(p).is_some_and(|s| !s.is_empty());
    let kind = doc.str_at(&["kind"]).unwrap_or_default().to_string();
    if kind.ends_with("List") && doc.get("items").and_then(Node::as_seq).is_some() {
        if let Some(items) = doc.get("items").and_then(Node::as_seq) {
            for item in items.clone() {
                push_object(item, out);
            }
        }
        return;
    }
    if !(nonempty(&["apiVersion"]) && nonempty(&["kind"]) && nonempty(&["metadata", "name"])) {
        return;
    }
    let api = doc.str_at(&["apiVersion"]).unwrap_or_default();
    if kind == "Kustomization" && api.starts_with("kustomize.config.k8s.io/") {
        return;
    }
    out.push(doc);
}

fn is_disabled(obj: &Node) -> bool {
    obj.str_at(&["metadata", "annotations", RECONCILE_ANNOTATION]) == Some("disabled")
}

/// group/kind/namespace/name (the version is not part of an object's identity).
fn object_key(obj: &Node) -> String {
    let api = obj.str_at(&["apiVersion"]).unwrap_or_default();
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    format!(
        "{group}/{}/{}/{}",
        obj.str_at(&["kind"]).unwrap_or_default(),
        obj.str_at(&["metadata", "namespace"]).unwrap_or_default(),
        obj.str_at(&["metadata", "name"]).unwrap_or_default()
    )
}

/// ssa `FmtUnstructured`: `Kind/namespace/name` (or `Kind/name`).
fn describe(obj: &Node) -> String {
    let kind = obj.str_at(&["kind"]).unwrap_or_default();
    let name = obj.str_at(&["metadata", "name"]).unwrap_or_default();
    match obj
        .str_at(&["metadata", "namespace"])
        .filter(|s| !s.is_empty())
    {
        Some(ns) => format!("{kind}/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

/// Sets labels and annotations on every object, overwriting (ssa `SetCommonMetadata`).
fn set_common_metadata(
    steps: &mut [RenderedStep],
    labels: &[(String, String)],
    annotations: &[(String, String)],
) {
    for obj in steps.iter_mut().flat_map(|s| s.objects.iter_mut()) {
        for (field, pairs) in [("labels", labels), ("annotations", annotations)] {
            if pairs.is_empty() {
                continue;
            }
            let meta = obj.entry_map("metadata").entry_map(field);
            for (k, v) in pairs {
                meta.set(k, Node::string(v.clone()));
            }
        }
    }
}

fn pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.name.clone(), v.scalar_text()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// `flux-operator build resourceset`: the whole offline build of one
/// ResourceSet manifest.
///
/// - `inputs_override` replaces `spec.inputs` (the CLI's `--inputs-from`).
/// - `providers` are candidate ResourceSetInputProviders (already resolved,
///   e.g. with [`Provider::from_static_manifest`]); `spec.inputsFrom` selects
///   among them. `None` means none were given: then a ResourceSet with
///   `spec.inputsFrom` and no `inputs_override` is an error, as in the CLI.
///
/// Inputs are combined as in the cluster, objects are built per step, then
/// commonMetadata and the owner labels are applied. Unlike the CLI, zero
/// objects is not an error (the cluster accepts it).
pub fn build_resourceset(
    rset: &Node,
    inputs_override: Option<Vec<InputSet>>,
    providers: Option<&[Provider]>,
) -> Result<Vec<RenderedStep>, Error> {
    let name = rset
        .str_at(&["metadata", "name"])
        .unwrap_or_default()
        .to_string();
    let namespace = rset
        .str_at(&["metadata", "namespace"])
        .unwrap_or_default()
        .to_string();
    if namespace.is_empty() {
        return Err(Error::new(
            "ResourceSet namespace must be set either in the manifest or with --namespace",
        ));
    }
    if name.is_empty() {
        return Err(Error::new("ResourceSet name must be set in the manifest"));
    }
    let has_inputs_from = rset
        .get_path(&["spec", "inputsFrom"])
        .and_then(Node::as_seq)
        .is_some_and(|s| !s.is_empty());
    if has_inputs_from && inputs_override.is_none() && providers.is_none() {
        return Err(Error::new(
            "ResourceSet has '.spec.inputsFrom', please provide the inputs with --inputs-from or --inputs-from-provider",
        ));
    }
    let mut rset = rset.clone();
    if let Some(sets) = inputs_override {
        let list = Node::seq(sets.into_iter().map(|s| Value::Map(s).to_node()).collect());
        rset.entry_map("spec").set("inputs", list);
    }
    let selected = match providers {
        Some(all) => inputs::select_providers(&rset, all)
            .map_err(|e| Error::new(format!("error filtering providers: {e}")))?,
        None => Vec::new(),
    };
    let combined = inputs::combine(&rset, &selected)
        .map_err(|e| Error::new(format!("error combining inputs: {e}")))?;
    let spec = rset.get("spec").cloned().unwrap_or_else(Node::map);
    let mut steps = build_steps(&spec, &combined)?;
    let common = spec.get("commonMetadata");
    set_common_metadata(
        &mut steps,
        &pairs(common.and_then(|c| c.get("labels"))),
        &pairs(common.and_then(|c| c.get("annotations"))),
    );
    set_common_metadata(
        &mut steps,
        &[
            (OWNER_NAME_LABEL.to_string(), name),
            (OWNER_NAMESPACE_LABEL.to_string(), namespace),
        ],
        &[],
    );
    Ok(steps)
}
