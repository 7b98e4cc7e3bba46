//! The kustomization file (`kustomize.config.k8s.io/v1beta1` Kustomization and
//! `v1alpha1` Component), as kustomize v5.5.0's `types.Kustomization` reads it:
//! unknown fields rejected, legacy fields folded into their successors.

use super::resid::{Gvk, ResId};
use crate::yaml::Node;
use indexmap::IndexMap;
use serde::Deserialize;

pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub const KIND_KUSTOMIZATION: &str = "Kustomization";
pub const KIND_COMPONENT: &str = "Component";

/// A string-to-string map that keeps the file's order.
pub type StringMap = IndexMap<String, String>;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kustomization {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub metadata: Option<ObjectMeta>,
    #[serde(rename = "openapi")]
    pub open_api: Option<StringMap>,
    pub name_prefix: Option<String>,
    pub name_suffix: Option<String>,
    pub namespace: Option<String>,
    pub common_labels: Option<StringMap>,
    pub labels: Option<Vec<Label>>,
    pub common_annotations: Option<StringMap>,
    pub patches_strategic_merge: Option<Vec<String>>,
    #[serde(rename = "patchesJson6902")]
    pub patches_json6902: Option<Vec<Patch>>,
    pub patches: Option<Vec<Patch>>,
    pub images: Option<Vec<Image>>,
    /// Legacy name of `images`.
    pub image_tags: Option<Vec<Image>>,
    pub replacements: Option<Vec<ReplacementField>>,
    pub replicas: Option<Vec<Replica>>,
    pub vars: Option<Vec<Var>>,
    pub sort_options: Option<SortOptions>,
    pub resources: Option<Vec<String>>,
    pub components: Option<Vec<String>>,
    pub crds: Option<Vec<String>>,
    /// Legacy: appended after `resources`.
    pub bases: Option<Vec<String>>,
    pub config_map_generator: Option<Vec<GeneratorArgs>>,
    pub secret_generator: Option<Vec<GeneratorArgs>>,
    pub helm_globals: Option<Node>,
    pub helm_charts: Option<Vec<Node>>,
    pub helm_chart_inflation_generator: Option<Vec<Node>>,
    pub generator_options: Option<GeneratorOptions>,
    pub configurations: Option<Vec<String>>,
    pub generators: Option<Vec<String>>,
    pub transformers: Option<Vec<String>>,
    pub validators: Option<Vec<String>>,
    pub build_metadata: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub labels: Option<StringMap>,
    pub annotations: Option<StringMap>,
}

/// A `labels:` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Label {
    #[serde(default)]
    pub pairs: StringMap,
    #[serde(default)]
    pub include_selectors: bool,
    #[serde(default)]
    pub include_templates: bool,
    #[serde(default)]
    pub fields: Vec<FieldSpecArgs>,
}

/// A field spec as written in a kustomization or configuration file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpecArgs {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub create: bool,
}

/// A `patches:` or `patchesJson6902:` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patch {
    pub path: Option<String>,
    pub patch: Option<String>,
    pub target: Option<Selector>,
    #[serde(default)]
    pub options: IndexMap<String, bool>,
}

/// A patch or replacement target selector. Fields are regexes for patches,
/// exact values for replacements.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Selector {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub label_selector: String,
    #[serde(default)]
    pub annotation_selector: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Image {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_tag: String,
    #[serde(default)]
    pub tag_suffix: String,
    #[serde(default)]
    pub digest: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Replica {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub count: i64,
}

/// A `replacements:` entry: a file path, or the replacement inline.
/// Kept as a node: the replacement filter reads it with its own model.
#[derive(Clone, Debug)]
pub struct ReplacementField(pub Node);

impl<'de> Deserialize<'de> for ReplacementField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Node::deserialize(d).map(ReplacementField)
    }
}

/// A legacy `vars:` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Var {
    pub name: String,
    pub objref: VarTarget,
    #[serde(default)]
    pub fieldref: FieldRef,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VarTarget {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub api_version: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRef {
    #[serde(default)]
    pub field_path: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SortOptions {
    #[serde(default)]
    pub order: String,
    pub legacy_sort_options: Option<LegacySortOptions>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LegacySortOptions {
    #[serde(default)]
    pub order_first: Vec<String>,
    #[serde(default)]
    pub order_last: Vec<String>,
}

/// A `configMapGenerator:` or `secretGenerator:` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorArgs {
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub behavior: String,
    #[serde(default)]
    pub literals: Vec<String>,
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub envs: Vec<String>,
    /// Legacy single env file, loaded after `envs`.
    #[serde(default)]
    pub env: String,
    pub options: Option<GeneratorOptions>,
    /// Secrets only.
    #[serde(default, rename = "type")]
    pub secret_type: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorOptions {
    #[serde(default)]
    pub labels: StringMap,
    #[serde(default)]
    pub annotations: StringMap,
    #[serde(default)]
    pub disable_name_suffix_hash: bool,
    #[serde(default)]
    pub immutable: bool,
}

impl Var {
    /// The id the var's `objref` names (kustomize's `Target.GVK()` plus name
    /// and namespace); `apiVersion` wins over separate group/version.
    pub fn target_id(&self) -> ResId {
        let r = &self.objref;
        let gvk = if r.api_version.is_empty() {
            Gvk::new(&r.group, &r.version, &r.kind)
        } else {
            Gvk::from_api_version(&r.api_version, &r.kind)
        };
        ResId::new(gvk, &r.namespace, &r.name)
    }
}

impl Kustomization {
    /// kustomize's `FixKustomization`: legacy fields folded into current ones.
    pub fn fix_legacy_fields(&mut self) {
        if let Some(bases) = self.bases.take() {
            self.resources.get_or_insert_with(Vec::new).extend(bases);
        }
        if let Some(tags) = self.image_tags.take() {
            self.images.get_or_insert_with(Vec::new).extend(tags);
        }
        for gens in [&mut self.config_map_generator, &mut self.secret_generator]
            .into_iter()
            .flatten()
        {
            for g in gens.iter_mut() {
                if !g.env.is_empty() {
                    let env = std::mem::take(&mut g.env);
                    g.envs.push(env);
                }
            }
        }
    }

    pub fn is_component(&self) -> bool {
        self.kind.as_deref() == Some(KIND_COMPONENT)
    }
}
