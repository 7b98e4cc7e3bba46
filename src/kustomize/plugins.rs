//! Builtin plugins configured by objects in `generators:`, `transformers:`
//! and `validators:` (`apiVersion: builtin`, kustomize's
//! `api/internal/builtins`). Their configs are read leniently (unknown fields
//! ignored), as kustomize's `yaml.Unmarshal` does. External plugins (exec,
//! Go, KRM functions) are reported as unsupported.

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::{FieldSpec, TransformerConfig};
use super::kustomization::{
    FieldSpecArgs, GeneratorArgs, Image, Patch, ReplacementField, Replica, Selector, StringMap,
};
use super::loader::Loader;
use super::resmap::ResMap;
use super::resource::Resource;
use super::target::BuildContext;
use super::transformers::namespace::RoleBindingSubjects;
use super::{generators, replacements, transformers};
use crate::yaml::{self, Mapping, Node};
use serde::de::DeserializeOwned;

fn config<T: DeserializeOwned>(plugin: &Resource, keys: &[&str]) -> Result<T> {
    // Keep only the fields the plugin reads: unknown ones are ignored.
    let mut picked = Mapping::new();
    if let Some(map) = plugin.node.as_map() {
        for (k, v) in map {
            if keys.contains(&k.name.as_str()) {
                picked.insert(k.clone(), v.clone());
            }
        }
    }
    yaml::de::from_node(&Node::new(yaml::Value::Map(picked))).map_err(|e| {
        Error::new(
            ErrorKind::Transformer,
            format!(
                "plugin {} fails configuration: {}",
                plugin.orig_id(),
                e.message
            ),
        )
        .at(e.span)
    })
}

fn field_specs(plugin: &Resource) -> Result<Vec<FieldSpec>> {
    let args: Vec<FieldSpecArgs> = plugin
        .node
        .get("fieldSpecs")
        .filter(|n| !n.is_null())
        .map(|n| {
            yaml::de::from_node(n).map_err(|e| {
                Error::new(ErrorKind::Transformer, format!("fieldSpecs: {}", e.message)).at(e.span)
            })
        })
        .transpose()?
        .unwrap_or_default();
    Ok(args.iter().map(FieldSpec::from_args).collect())
}

fn string_map(plugin: &Resource, key: &str) -> Result<StringMap> {
    match plugin.node.get(key).filter(|n| !n.is_null()) {
        Some(n) => yaml::de::from_node(n).map_err(|e| {
            Error::new(ErrorKind::Transformer, format!("{key}: {}", e.message)).at(e.span)
        }),
        None => Ok(StringMap::new()),
    }
}

fn str_field<'n>(plugin: &'n Resource, key: &str) -> &'n str {
    plugin.node.str_at(&[key]).unwrap_or("")
}

/// Refuses anything but `apiVersion: builtin` (group "", version "builtin").
fn check_builtin(plugin: &Resource, ctx: &BuildContext) -> Result<()> {
    let gvk = plugin.gvk();
    if gvk.group.is_empty() && gvk.version == "builtin" {
        return Ok(());
    }
    let why = if ctx.alpha_plugins {
        "fluxlint runs only kustomize's builtin plugins (exec, Go and KRM function plugins are not supported)"
    } else {
        "external plugins disabled (and fluxlint runs only kustomize's builtin plugins)"
    };
    Err(Error::new(
        ErrorKind::Unsupported,
        format!("unable to load plugin {}: {why}", plugin.orig_id()),
    ))
}

/// Generator args of a ConfigMapGenerator/SecretGenerator plugin: its own
/// fields, with `metadata.name`/`namespace` as defaults for the object's.
fn generator_args(plugin: &Resource) -> Result<GeneratorArgs> {
    let mut args: GeneratorArgs = config(
        plugin,
        &[
            "namespace",
            "name",
            "behavior",
            "literals",
            "files",
            "envs",
            "env",
            "options",
            "type",
        ],
    )?;
    if args.name.is_empty() {
        args.name = plugin.name().to_string();
    }
    if args.namespace.is_empty() {
        args.namespace = plugin.namespace().to_string();
    }
    if !args.env.is_empty() {
        let env = std::mem::take(&mut args.env);
        args.envs.push(env);
    }
    Ok(args)
}

/// Runs a generator plugin.
pub fn generate(plugin: &Resource, loader: &Loader, ctx: &BuildContext) -> Result<Vec<Resource>> {
    check_builtin(plugin, ctx)?;
    let mut made = match plugin.kind() {
        "ConfigMapGenerator" => vec![generators::config_map(
            &generator_args(plugin)?,
            None,
            loader,
        )?],
        "SecretGenerator" => vec![generators::secret(&generator_args(plugin)?, None, loader)?],
        "IAMPolicyGenerator" => vec![iam_policy(plugin)?],
        "HelmChartInflationGenerator" => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "HelmChartInflationGenerator is not supported: fluxlint does not run helm",
            ))
        }
        "AnnotationsTransformer"
        | "HashTransformer"
        | "ImageTagTransformer"
        | "LabelTransformer"
        | "NamespaceTransformer"
        | "PatchJson6902Transformer"
        | "PatchStrategicMergeTransformer"
        | "PatchTransformer"
        | "PrefixSuffixTransformer"
        | "PrefixTransformer"
        | "SuffixTransformer"
        | "ReplacementTransformer"
        | "ReplicaCountTransformer"
        | "ValueAddTransformer" => {
            return Err(Error::new(
                ErrorKind::Transformer,
                format!("plugin {} not a generator", plugin.orig_id()),
            ))
        }
        _ => return Err(unknown_builtin(plugin)),
    };
    for r in &mut made {
        r.generated = true;
    }
    Ok(made)
}

/// kustomize's GKE IAMPolicyGenerator: a ServiceAccount bound to a Google
/// service account through Workload Identity.
fn iam_policy(plugin: &Resource) -> Result<Resource> {
    let cloud = str_field(plugin, "cloud");
    if cloud != "gke" {
        return Err(Error::new(
            ErrorKind::Generator,
            format!("cloud {cloud} is not supported by the IAMPolicyGenerator (only gke)"),
        ));
    }
    let svc = |k: &str| plugin.node.str_at(&["kubernetesService", k]).unwrap_or("");
    let gsa = |k: &str| plugin.node.str_at(&["serviceAccount", k]).unwrap_or("");
    let mut node = Node::map();
    node.set("apiVersion", Node::string("v1"));
    node.set("kind", Node::string("ServiceAccount"));
    let meta = node.entry_map("metadata");
    meta.entry_map("annotations").set(
        "iam.gke.io/gcp-service-account",
        Node::string(format!(
            "{}@{}.iam.gserviceaccount.com",
            gsa("name"),
            gsa("projectId")
        )),
    );
    meta.set("name", Node::string(svc("name")));
    if !svc("namespace").is_empty() {
        meta.set("namespace", Node::string(svc("namespace")));
    }
    Ok(Resource::new(node))
}

/// Runs a transformer (or validator) plugin on the resources.
pub fn transform(
    rm: &mut ResMap,
    plugin: &Resource,
    loader: &Loader,
    ctx: &BuildContext,
    _config: &TransformerConfig,
) -> Result<()> {
    check_builtin(plugin, ctx)?;
    let schema = ctx.schema();
    match plugin.kind() {
        "AnnotationsTransformer" => transformers::annotations::apply(
            rm,
            &string_map(plugin, "annotations")?,
            &field_specs(plugin)?,
        ),
        "LabelTransformer" => {
            transformers::labels::apply(rm, &string_map(plugin, "labels")?, &field_specs(plugin)?)
        }
        "NamespaceTransformer" => {
            let subjects = match str_field(plugin, "setRoleBindingSubjects") {
                "" | "defaultOnly" => RoleBindingSubjects::DefaultOnly,
                "allServiceAccounts" => RoleBindingSubjects::AllServiceAccounts,
                "none" => RoleBindingSubjects::None,
                other => {
                    return Err(Error::new(
                        ErrorKind::Transformer,
                        format!(
                            "invalid value \"{other}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
                        ),
                    ))
                }
            };
            let unset_only = matches!(
                plugin.node.get("unsetOnly").map(|n| &n.value),
                Some(yaml::Value::Bool(true))
            );
            transformers::namespace::apply(
                rm,
                plugin.namespace(),
                &field_specs(plugin)?,
                subjects,
                unset_only,
            )
        }
        "PrefixTransformer" => transformers::prefix_suffix::apply(
            rm,
            str_field(plugin, "prefix"),
            "",
            &field_specs(plugin)?,
        ),
        "SuffixTransformer" => transformers::prefix_suffix::apply(
            rm,
            "",
            str_field(plugin, "suffix"),
            &field_specs(plugin)?,
        ),
        "PrefixSuffixTransformer" => transformers::prefix_suffix::apply(
            rm,
            str_field(plugin, "prefix"),
            str_field(plugin, "suffix"),
            &field_specs(plugin)?,
        ),
        "ImageTagTransformer" => {
            let image: Image = match plugin.node.get("imageTag") {
                Some(n) => yaml::de::from_node(n).map_err(|e| {
                    Error::new(ErrorKind::Transformer, format!("imageTag: {}", e.message))
                        .at(e.span)
                })?,
                None => Image::default(),
            };
            transformers::images::apply(rm, &image, &field_specs(plugin)?)
        }
        "ReplicaCountTransformer" => {
            let replica: Replica = match plugin.node.get("replica") {
                Some(n) => yaml::de::from_node(n).map_err(|e| {
                    Error::new(ErrorKind::Transformer, format!("replica: {}", e.message)).at(e.span)
                })?,
                None => Replica::default(),
            };
            transformers::replicas::apply(rm, &replica, &field_specs(plugin)?)
        }
        "PatchTransformer" => {
            #[derive(serde::Deserialize)]
            struct C {
                path: Option<String>,
                patch: Option<String>,
                target: Option<Selector>,
                #[serde(default)]
                options: indexmap::IndexMap<String, bool>,
            }
            let c: C = config(plugin, &["path", "patch", "target", "options"])?;
            let patch = Patch {
                path: c.path,
                patch: c.patch,
                target: c.target,
                options: c.options,
            };
            transformers::patches::apply_patches(rm, &[patch], loader, &schema)
        }
        "PatchStrategicMergeTransformer" => {
            #[derive(serde::Deserialize)]
            struct C {
                #[serde(default)]
                paths: Vec<String>,
                #[serde(default)]
                patches: String,
            }
            let c: C = config(plugin, &["paths", "patches"])?;
            let mut entries = c.paths;
            if !c.patches.is_empty() {
                entries.push(c.patches);
            }
            transformers::patches::apply_strategic_merge(rm, &entries, loader, &schema)
        }
        "PatchJson6902Transformer" => {
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct C {
                target: Option<Selector>,
                path: Option<String>,
                json_op: Option<String>,
            }
            let c: C = config(plugin, &["target", "path", "jsonOp"])?;
            let patch = Patch {
                path: c.path,
                patch: c.json_op,
                target: c.target,
                options: Default::default(),
            };
            transformers::patches::apply_json6902(rm, &[patch], loader)
        }
        "ReplacementTransformer" => {
            let entries: Vec<ReplacementField> = match plugin.node.get("replacements") {
                Some(n) => yaml::de::from_node(n).map_err(|e| {
                    Error::new(
                        ErrorKind::Transformer,
                        format!("replacements: {}", e.message),
                    )
                    .at(e.span)
                })?,
                None => Vec::new(),
            };
            let loaded = replacements::load(&entries, loader)?;
            replacements::apply(rm, &loaded)
        }
        "HashTransformer" => super::build::add_hashes(rm),
        "HelmChartInflationGenerator"
        | "ConfigMapGenerator"
        | "SecretGenerator"
        | "IAMPolicyGenerator" => Err(Error::new(
            ErrorKind::Transformer,
            format!("plugin {} not a transformer", plugin.orig_id()),
        )),
        "ValueAddTransformer" => Err(Error::new(
            ErrorKind::Unsupported,
            "the builtin ValueAddTransformer is not supported by fluxlint",
        )),
        _ => Err(unknown_builtin(plugin)),
    }
}

/// kustomize's error for a kind that is no builtin plugin.
fn unknown_builtin(plugin: &Resource) -> Error {
    Error::new(
        ErrorKind::Transformer,
        format!("unable to load builtin {}", plugin.gvk()),
    )
}
