//! The `crds:` field: OpenAPI definitions of custom types whose
//! `x-kubernetes-*` extensions add field specs (kustomize's
//! `api/internal/accumulator/loadconfigfromcrds.go`).

use super::error::{Error, ErrorKind, Result};
use super::fieldspec::{FieldSpec, NameBackReference, TransformerConfig};
use super::resid::Gvk;
use super::target::parse_docs;
use crate::source::SourceFile;
use crate::yaml::{DuplicateKeys, Mapping, Node};

/// Field specs from one file of definitions (`{"<type name>": {"Schema": …}}`).
pub fn config_from_crds(file: &SourceFile) -> Result<TransformerConfig> {
    let docs = parse_docs(file, DuplicateKeys::LastWins).map_err(|e| {
        e.context(format!(
            "unable to parse open API definition from '{}'",
            file.path.display()
        ))
    })?;
    let mut config = TransformerConfig::default();
    let Some(defs) = docs.iter().find_map(Node::as_map) else {
        return Ok(config);
    };
    for (name, def) in defs {
        let props = properties(def);
        let is_object = ["kind", "apiVersion", "metadata"]
            .iter()
            .all(|k| props.is_some_and(|p| p.contains_key(*k)));
        if !is_object {
            continue;
        }
        // The kind is the last dot-separated part of the type name.
        let kind = name.name.rsplit('.').next().unwrap_or(&name.name);
        let gvk = Gvk::new("", "", kind);
        let mut found = TransformerConfig::default();
        collect(&mut found, &gvk, defs, &name.name, &mut Vec::new(), 0)?;
        config.merge(&found)?;
    }
    Ok(config)
}

fn properties(def: &Node) -> Option<&Mapping> {
    def.get_path(&["Schema", "properties"])
        .and_then(Node::as_map)
}

fn collect(
    config: &mut TransformerConfig,
    gvk: &Gvk,
    defs: &Mapping,
    type_name: &str,
    path: &mut Vec<String>,
    depth: usize,
) -> Result<()> {
    // Definitions may refer to each other in a loop; kustomize would recurse
    // forever, we stop at a depth no real schema reaches.
    if depth > 64 {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!("crds: definitions of '{type_name}' refer to themselves"),
        ));
    }
    let Some(props) = defs.get(type_name).and_then(properties) else {
        return Ok(());
    };
    for (prop, schema) in props {
        path.push(prop.name.clone());
        let spec = |p: &[String]| FieldSpec {
            gvk: gvk.clone(),
            path: p.join("/"),
            create: false,
        };
        if schema.get("x-kubernetes-annotation").is_some() {
            config.common_annotations.push(spec(path));
        }
        if schema.get("x-kubernetes-label-selector").is_some() {
            config.common_labels.push(spec(path));
        }
        if schema.get("x-kubernetes-identity").is_some() {
            config.name_prefix.push(spec(path));
        }
        if let (Some(version), Some(kind)) = (
            schema.str_at(&["x-kubernetes-object-ref-api-version"]),
            schema.str_at(&["x-kubernetes-object-ref-kind"]),
        ) {
            let name_key = schema
                .str_at(&["x-kubernetes-object-ref-name-key"])
                .unwrap_or("name");
            let mut p = path.clone();
            p.push(name_key.to_string());
            config.name_reference.push(NameBackReference {
                gvk: Gvk::new("", version, kind),
                referrers: vec![spec(&p)],
            });
        }
        if let Some(r) = schema.str_at(&["$ref"]) {
            collect(config, gvk, defs, r, path, depth + 1)?;
        }
        path.pop();
    }
    Ok(())
}
