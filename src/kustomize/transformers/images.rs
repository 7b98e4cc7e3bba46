//! images entries (kustomize's `ImageTagTransformer`,
//! `api/filters/imagetag`, `api/internal/image`).
//!
//! Two passes over every object except CustomResourceDefinitions: first
//! every `containers`/`initContainers` list anywhere in the object (custom
//! resources included), then the `images` field specs. A field the two
//! passes both reach is rewritten twice, as kustomize does (probed:
//! `tagSuffix: -s` turns `nginx:1` in a Deployment into `nginx:1-s-s`).
use crate::kustomize::{
    error::{Error, ErrorKind, Result},
    fieldspec::{apply_to_fields, scalar_value_text, set_scalar, wrong_kind, FieldSpec},
    kustomization::Image,
    resmap::ResMap,
};
use crate::yaml::{Node, Value};
use regex::Regex;

pub fn apply(resmap: &mut ResMap, image: &Image, specs: &[FieldSpec]) -> Result<()> {
    let updater = Updater::new(image)?;
    for res in resmap.iter_mut() {
        if res.kind() == "CustomResourceDefinition" {
            continue;
        }
        update_container_lists(&mut res.node, &updater)?;
    }
    for res in resmap.iter_mut() {
        if res.kind() == "CustomResourceDefinition" {
            continue;
        }
        let gvk = res.gvk();
        for spec in specs {
            // The image filter gives the traversal nothing to create with,
            // so `create: true` in image specs has no effect.
            let lookup_only = FieldSpec {
                create: false,
                ..spec.clone()
            };
            apply_to_fields(&mut res.node, &gvk, &lookup_only, &mut |f| {
                updater.update(f)
            })?;
        }
    }
    Ok(())
}

/// One `images:` entry, ready to match and rewrite image references.
struct Updater<'a> {
    image: &'a Image,
    matcher: Regex,
}

impl<'a> Updater<'a> {
    fn new(image: &'a Image) -> Result<Updater<'a>> {
        // The name is used as a regex, unescaped, as kustomize does (a `.`
        // matches any character).
        let pattern = format!(
            "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$",
            image.name
        );
        let matcher = Regex::new(&pattern).map_err(|e| {
            Error::new(
                ErrorKind::Transformer,
                format!("image name '{}' is not a valid pattern: {e}", image.name),
            )
        })?;
        Ok(Updater { image, matcher })
    }

    /// kustomize's `imageTagUpdater.SetImageValue`.
    fn update(&self, field: &mut Node) -> Result<()> {
        if matches!(field.value, Value::Map(_) | Value::Seq(_)) {
            return Err(wrong_kind("ScalarNode", field));
        }
        let value = scalar_value_text(field);
        if !self.matcher.is_match(&value) {
            return Ok(());
        }
        let (name, tag, digest) = split_image(&value);
        let mut name = name.to_string();
        let mut tag = tag.to_string();
        let mut digest = digest.to_string();
        let img = self.image;
        if !img.new_name.is_empty() {
            name = img.new_name.clone();
        }
        if !img.new_tag.is_empty() && !img.digest.is_empty() {
            tag = img.new_tag.clone();
            digest = img.digest.clone();
        } else if !img.new_tag.is_empty() {
            tag = img.new_tag.clone();
            digest.clear();
        } else if !img.digest.is_empty() {
            tag.clear();
            digest = img.digest.clone();
        } else if !img.tag_suffix.is_empty() {
            tag.push_str(&img.tag_suffix);
            digest.clear();
        }
        if !tag.is_empty() {
            name.push(':');
            name.push_str(&tag);
        }
        if !digest.is_empty() {
            name.push('@');
            name.push_str(&digest);
        }
        set_scalar(field, Value::Str(name))
    }
}

/// kustomize's `image.Split`: name, tag and digest. The tag's `:` is looked
/// for only after the first `/` (a registry port is not a tag).
pub fn split_image(image: &str) -> (&str, &str, &str) {
    let offset = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[offset..];
    let at = search.find('@');
    let colon = search.find(':');
    match (at, colon) {
        (None, None) => (image, "", ""),
        (Some(d), Some(c)) if c < d => {
            let (d, c) = (d + offset, c + offset);
            (&image[..c], &image[c + 1..d], &image[d + 1..])
        }
        (Some(d), _) => {
            let d = d + offset;
            (&image[..d], "", &image[d + 1..])
        }
        (None, Some(c)) => {
            let c = c + offset;
            (&image[..c], &image[c + 1..], "")
        }
    }
}

/// The first pass: every `containers`/`initContainers` list anywhere, depth
/// first (a field's value before the field itself), each element's `image`.
fn update_container_lists(node: &mut Node, updater: &Updater) -> Result<()> {
    match &mut node.value {
        Value::Map(map) => {
            for (key, value) in map.iter_mut() {
                update_container_lists(value, updater)?;
                if key.name == "containers" || key.name == "initContainers" {
                    update_containers(value, updater)?;
                }
            }
            Ok(())
        }
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| update_container_lists(item, updater)),
        _ => Ok(()),
    }
}

fn update_containers(list: &mut Node, updater: &Updater) -> Result<()> {
    let Value::Seq(items) = &mut list.value else {
        return Ok(());
    };
    for container in items.iter_mut() {
        match &mut container.value {
            Value::Null => {}
            Value::Map(m) => {
                if let Some(image) = m.get_mut("image") {
                    updater.update(image)?;
                }
            }
            _ => return Err(wrong_kind("MappingNode", container)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::fieldspec::TransformerConfig;
    use crate::kustomize::resource::Resource;
    use crate::yaml::{Key, Mapping};

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn containers(images: &[&str]) -> Node {
        Node::seq(
            images
                .iter()
                .map(|i| map(vec![("image", Node::string(*i))]))
                .collect(),
        )
    }

    fn deployment(images: &[&str]) -> Resource {
        Resource::new(map(vec![
            ("apiVersion", Node::string("apps/v1")),
            ("kind", Node::string("Deployment")),
            ("metadata", map(vec![("name", Node::string("d"))])),
            (
                "spec",
                map(vec![(
                    "template",
                    map(vec![(
                        "spec",
                        map(vec![("containers", containers(images))]),
                    )]),
                )]),
            ),
        ]))
    }

    fn images_of(node: &Node, path: &[&str]) -> Vec<String> {
        node.get_path(path)
            .and_then(Node::as_seq)
            .map(|s| {
                s.iter()
                    .map(|c| c.str_at(&["image"]).unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn image(name: &str, f: impl FnOnce(&mut Image)) -> Image {
        let mut i = Image {
            name: name.to_string(),
            ..Default::default()
        };
        f(&mut i);
        i
    }

    fn run(images: &[&str], entry: &Image) -> Vec<String> {
        let mut rm: ResMap = [deployment(images)].into_iter().collect();
        apply(&mut rm, entry, &TransformerConfig::defaults().images).unwrap();
        images_of(&rm.get(0).node, &["spec", "template", "spec", "containers"])
    }

    #[test]
    fn rewrites_matching_images() {
        let imgs = [
            "nginx",
            "nginx:1.7",
            "nginx@sha256:abc",
            "docker.io/nginx:1",
            "nginxx",
        ];
        assert_eq!(
            run(&imgs, &image("nginx", |i| i.new_tag = "2".into())),
            [
                "nginx:2",
                "nginx:2",
                "nginx:2",
                "docker.io/nginx:1",
                "nginxx"
            ]
        );
        assert_eq!(
            run(&imgs, &image("nginx", |i| i.digest = "sha256:def".into())),
            [
                "nginx@sha256:def",
                "nginx@sha256:def",
                "nginx@sha256:def",
                "docker.io/nginx:1",
                "nginxx"
            ]
        );
        assert_eq!(
            run(
                &["nginx:1@sha256:a"],
                &image("nginx", |i| {
                    i.new_name = "reg/nginx".into();
                    i.new_tag = "3".into();
                    i.digest = "sha256:b".into();
                })
            ),
            ["reg/nginx:3@sha256:b"]
        );
        assert_eq!(
            run(
                &["nginx:1"],
                &image("nginx", |i| i.new_name = "other".into())
            ),
            ["other:1"]
        );
    }

    #[test]
    fn tag_suffix_applies_once_per_pass() {
        // Probed: both passes reach Deployment containers, so the suffix is
        // added twice; a custom resource's containers only once.
        assert_eq!(
            run(
                &["nginx:1"],
                &image("nginx", |i| i.tag_suffix = "-s".into())
            ),
            ["nginx:1-s-s"]
        );
        let mut rm: ResMap = [Resource::new(map(vec![
            ("apiVersion", Node::string("example.com/v1")),
            ("kind", Node::string("Thing")),
            ("metadata", map(vec![("name", Node::string("t"))])),
            (
                "spec",
                map(vec![(
                    "deep",
                    map(vec![("initContainers", containers(&["nginx:1"]))]),
                )]),
            ),
        ]))]
        .into_iter()
        .collect();
        let entry = image("nginx", |i| i.tag_suffix = "-s".into());
        apply(&mut rm, &entry, &TransformerConfig::defaults().images).unwrap();
        assert_eq!(
            images_of(&rm.get(0).node, &["spec", "deep", "initContainers"]),
            ["nginx:1-s"]
        );
    }

    #[test]
    fn crds_are_left_alone() {
        let mut rm: ResMap = [Resource::new(map(vec![
            ("apiVersion", Node::string("apiextensions.k8s.io/v1")),
            ("kind", Node::string("CustomResourceDefinition")),
            ("metadata", map(vec![("name", Node::string("c"))])),
            ("spec", map(vec![("containers", containers(&["nginx"]))])),
        ]))]
        .into_iter()
        .collect();
        let entry = image("nginx", |i| i.new_tag = "2".into());
        apply(&mut rm, &entry, &TransformerConfig::defaults().images).unwrap();
        assert_eq!(
            images_of(&rm.get(0).node, &["spec", "containers"]),
            ["nginx"]
        );
    }

    #[test]
    fn name_is_an_unescaped_pattern() {
        assert_eq!(
            run(
                &["nginxAlpine", "nginx.x"],
                &image("nginx.", |i| i.new_tag = "2".into())
            ),
            ["nginxAlpine", "nginx.x"]
        );
        assert_eq!(
            run(
                &["nginxA", "nginx.:1"],
                &image("nginx.", |i| i.new_tag = "2".into())
            ),
            ["nginxA:2", "nginx.:2"]
        );
        assert_eq!(
            run(
                &["localhost:5000/app:1"],
                &image("localhost:5000/app", |i| i.new_tag = "2".into())
            ),
            ["localhost:5000/app:2"]
        );
    }

    #[test]
    fn splits_like_kustomize() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1"), ("nginx", "1", ""));
        assert_eq!(split_image("nginx@sha256:x"), ("nginx", "", "sha256:x"));
        assert_eq!(split_image("nginx:1@sha256:x"), ("nginx", "1", "sha256:x"));
        assert_eq!(split_image("host:5000/app"), ("host:5000/app", "", ""));
        assert_eq!(split_image("a/host:5000/app"), ("a/host", "5000/app", ""));
        assert_eq!(split_image("reg.io/app:2"), ("reg.io/app", "2", ""));
    }

    #[test]
    fn non_scalar_image_is_an_error() {
        let mut rm: ResMap = [deployment(&["x"])].into_iter().collect();
        let c = rm
            .get_mut(0)
            .node
            .get_path_mut(&["spec", "template", "spec", "containers"])
            .unwrap();
        c.as_seq_mut().unwrap()[0].set("image", map(vec![]));
        let entry = image("x", |i| i.new_tag = "2".into());
        assert!(apply(&mut rm, &entry, &TransformerConfig::defaults().images).is_err());
    }
}
