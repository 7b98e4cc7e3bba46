//! Builtin generators: configMapGenerator and secretGenerator
//! (kustomize's `api/internal/generators`, `api/kv`, `kyaml/yaml/datamap.go`),
//! and the content hash of generated names ([`hash`]).
//!
//! One entry becomes one object: key/value pairs from its sources ([`kv`]),
//! sorted by key into `data` (a ConfigMap value that is not UTF-8 goes
//! base64-encoded into `binaryData`; every Secret value is base64-encoded),
//! labels, annotations and `immutable` from the entry's options merged with
//! the kustomization's `generatorOptions`. The name hash is added later, at
//! the end of the whole build, from [`content_hash`].

pub mod hash;
pub mod kv;

pub use hash::content_hash;

use super::error::{Error, ErrorKind, Result};
use super::kustomization::{GeneratorArgs, GeneratorOptions, StringMap};
use super::loader::Loader;
use super::resid::{Gvk, ResId};
use super::resource::{Behavior, Origin, Resource};
use crate::yaml::{Key, Mapping, Node, Value};
use base64::Engine as _;

/// Builds the ConfigMap of one `configMapGenerator` entry.
pub fn config_map(
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
    loader: &Loader,
) -> Result<Resource> {
    let mut node = base_node("ConfigMap", args)?;
    let mut data = Mapping::new();
    let mut binary = Mapping::new();
    for (key, value) in validated_data(args, loader)? {
        match String::from_utf8(value) {
            Ok(text) => data.insert(Key::new(key), Node::string(text)),
            Err(e) => binary.insert(Key::new(key), Node::string(encode_base64(e.as_bytes()))),
        };
    }
    if !data.is_empty() {
        node.set("data", Node::new(Value::Map(data)));
    }
    if !binary.is_empty() {
        node.set("binaryData", Node::new(Value::Map(binary)));
    }
    finish(node, args, global, "ConfigMapGenerator")
}

/// Builds the Secret of one `secretGenerator` entry.
pub fn secret(
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
    loader: &Loader,
) -> Result<Resource> {
    let mut node = base_node("Secret", args)?;
    let secret_type = if args.secret_type.is_empty() {
        "Opaque"
    } else {
        &args.secret_type
    };
    node.set("type", Node::string(secret_type));
    let mut data = Mapping::new();
    for (key, value) in validated_data(args, loader)? {
        data.insert(Key::new(key), Node::string(encode_base64(&value)));
    }
    // A Secret always gets `data`, even empty (probed: `data: {}`).
    node.set("data", Node::new(Value::Map(data)));
    finish(node, args, global, "SecretGenerator")
}

/// kustomize's `MergeGlobalOptionsIntoLocal`: labels and annotations from
/// both, the entry's value winning; `disableNameSuffixHash` and `immutable`
/// are true when either says so.
pub fn merge_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> Option<GeneratorOptions> {
    let Some(global) = global else {
        return local.cloned();
    };
    let mut merged = local.cloned().unwrap_or_default();
    let add_missing = |into: &mut StringMap, from: &StringMap| {
        for (k, v) in from {
            if !into.contains_key(k) {
                into.insert(k.clone(), v.clone());
            }
        }
    };
    add_missing(&mut merged.labels, &global.labels);
    add_missing(&mut merged.annotations, &global.annotations);
    merged.disable_name_suffix_hash |= global.disable_name_suffix_hash;
    merged.immutable |= global.immutable;
    Some(merged)
}

/// kustomize's `NewGenerationBehavior`: anything but merge or replace acts
/// as create (probed: `behavior: foo` builds like create).
pub fn parse_behavior(text: &str) -> Behavior {
    match text {
        "merge" => Behavior::Merge,
        "replace" => Behavior::Replace,
        _ => Behavior::Create,
    }
}

fn generator_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Generator, message)
}

/// `apiVersion`, `kind`, `metadata.name` and, when given, `metadata.namespace`.
fn base_node(kind: &str, args: &GeneratorArgs) -> Result<Node> {
    if args.name.is_empty() {
        // kustomize says "configmap" for Secrets too.
        return Err(generator_error("a configmap must have a name"));
    }
    let mut node = Node::map();
    node.set("apiVersion", Node::string("v1"));
    node.set("kind", Node::string(kind));
    let metadata = node.entry_map("metadata");
    metadata.set("name", Node::string(args.name.as_str()));
    if !args.namespace.is_empty() {
        metadata.set("namespace", Node::string(args.namespace.as_str()));
    }
    Ok(node)
}

/// The entry's pairs sorted by key; a key seen twice is an error.
fn validated_data(args: &GeneratorArgs, loader: &Loader) -> Result<Vec<(String, Vec<u8>)>> {
    let pairs = kv::load_pairs(args, loader).map_err(|e| e.context("loading KV pairs"))?;
    let mut seen = std::collections::BTreeMap::new();
    for pair in pairs {
        if seen.contains_key(&pair.key) {
            return Err(generator_error(format!(
                "configmap {} illegally repeats the key `{}`",
                args.name, pair.key
            )));
        }
        seen.insert(pair.key, pair.value);
    }
    Ok(seen.into_iter().collect())
}

/// kyaml's `encodeBase64`: standard base64; text of 70 characters or more
/// is cut into 70-character lines, each ending in a newline.
fn encode_base64(bytes: &[u8]) -> String {
    const LINE: usize = 70;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    if encoded.len() < LINE {
        return encoded;
    }
    let mut out = String::with_capacity(encoded.len() + encoded.len() / LINE + 1);
    for chunk in encoded.as_bytes().chunks(LINE) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Options, bookkeeping and origin of a generated object.
fn finish(
    mut node: Node,
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
    generator_kind: &str,
) -> Result<Resource> {
    let options = merge_options(args.options.as_ref(), global);
    if let Some(opts) = &options {
        set_sorted(&mut node, "labels", &opts.labels);
        set_sorted(&mut node, "annotations", &opts.annotations);
        if opts.immutable {
            node.set("immutable", Node::new(Value::Bool(true)));
        }
    }
    let mut res = Resource::new(node);
    res.needs_hash = !options.as_ref().is_some_and(|o| o.disable_name_suffix_hash);
    res.behavior = parse_behavior(&args.behavior);
    res.generated = true;
    res.origin = Origin {
        configured_by: Some(ResId::new(
            Gvk::from_api_version("builtin", generator_kind),
            "",
            "",
        )),
        ..Origin::default()
    };
    Ok(res)
}

/// Adds string entries under `metadata.<field>`, in key order.
fn set_sorted(node: &mut Node, field: &str, pairs: &StringMap) {
    if pairs.is_empty() {
        return;
    }
    let mut keys: Vec<&String> = pairs.keys().collect();
    keys.sort();
    let target = node.entry_map("metadata").entry_map(field);
    for key in keys {
        target.set(key, Node::string(pairs[key.as_str()].as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomize::loader::LoadRestrictor;
    use crate::source::{DiskFs, MemoryFs, SourceMap};
    use std::path::Path;
    use std::sync::Arc;

    fn memory(files: &[(&str, &str)]) -> SourceMap {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(Path::new("/k").join(path), *text);
        }
        SourceMap::new(Arc::new(fs))
    }

    fn args(name: &str, f: impl FnOnce(&mut GeneratorArgs)) -> GeneratorArgs {
        let mut a = GeneratorArgs {
            name: name.to_string(),
            ..Default::default()
        };
        f(&mut a);
        a
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn data(node: &Node, field: &str) -> Vec<(String, String)> {
        node.get(field)
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.name.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn config_map_from_envs_literals_and_files() {
        let sources = memory(&[("app.env", "B=2\nA=1\n"), ("dir/props.txt", "x: y\n")]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let a = args("cm", |a| {
            a.namespace = "ns".into();
            a.envs = strings(&["app.env"]);
            a.literals = strings(&["C=\"3\""]);
            a.files = strings(&["dir/props.txt", "renamed=dir/props.txt"]);
        });
        let res = config_map(&a, None, &loader).unwrap();
        assert_eq!(res.kind(), "ConfigMap");
        assert_eq!(res.name(), "cm");
        assert_eq!(res.namespace(), "ns");
        assert_eq!(
            data(&res.node, "data"),
            owned(&[
                ("A", "1"),
                ("B", "2"),
                ("C", "3"),
                ("props.txt", "x: y\n"),
                ("renamed", "x: y\n"),
            ])
        );
        assert!(res.needs_hash);
        assert!(res.generated);
        assert_eq!(res.behavior, Behavior::Create);
        assert_eq!(
            res.origin.configured_by.as_ref().map(|id| id.gvk.clone()),
            Some(Gvk::new("", "builtin", "ConfigMapGenerator"))
        );
        assert_eq!(content_hash(&res.node).unwrap().len(), 10);
    }

    #[test]
    fn conformance_generator_basics() {
        // conformance/kustomize/configmaps__TestGeneratorBasics: the legacy
        // `env` is read after `envs`; names and hashes from kubectl.
        let sources = memory(&[
            ("bar.env", "\nBIRD=falcon\n"),
            ("foo.env", "\nMOUNTAIN=everest\nOCEAN=pacific\n"),
            (
                "forces.txt",
                "\ngravitational\nelectromagnetic\nstrong nuclear\nweak nuclear\n",
            ),
            (
                "phrase.dat",
                "\nLife is short.\nBut the years are long.\nNot while the evil days come not.\n",
            ),
        ]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let bob = args("bob", |a| {
            a.literals = strings(&["fruit=apple", "vegetable=broccoli"]);
            a.envs = strings(&["foo.env"]);
            a.env = "bar.env".into();
            a.files = strings(&["passphrase=phrase.dat", "forces.txt"]);
        });
        let cm = config_map(&bob, None, &loader).unwrap();
        let keys: Vec<String> = data(&cm.node, "data").into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "BIRD",
                "MOUNTAIN",
                "OCEAN",
                "forces.txt",
                "fruit",
                "passphrase",
                "vegetable"
            ]
        );
        assert_eq!(content_hash(&cm.node).unwrap(), "g9df72cd5b");
        let sec = secret(&bob, None, &loader).unwrap();
        assert_eq!(
            sec.node.str_at(&["data", "forces.txt"]),
            Some(
                "CmdyYXZpdGF0aW9uYWwKZWxlY3Ryb21hZ25ldGljCnN0cm9uZyBudWNsZWFyCndlYWsgbn\n\
                 VjbGVhcgo=\n"
            )
        );
        assert_eq!(content_hash(&sec.node).unwrap(), "58g62h555c");
        let json = args("json", |a| {
            a.literals = strings(&[
                r#"v2=[{"path": "var/druid/segment-cache"}]"#,
                r#"druid_segmentCache_locations=[{"path": "var/druid/segment-cache", "maxSize": 32000000000, "freeSpacePercent": 1.0}]"#,
            ]);
        });
        let cm = config_map(&json, None, &loader).unwrap();
        assert_eq!(content_hash(&cm.node).unwrap(), "m8529t979f");
    }

    #[test]
    fn literal_hash_matches_kubectl() {
        let sources = memory(&[]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let res = config_map(
            &args("a", |a| a.literals = strings(&["a=1"])),
            None,
            &loader,
        )
        .unwrap();
        assert_eq!(content_hash(&res.node).unwrap(), "h29d89cmmt");
        let res = secret(
            &args("s2", |a| a.literals = strings(&["a=1"])),
            None,
            &loader,
        )
        .unwrap();
        assert_eq!(content_hash(&res.node).unwrap(), "25khgmg44c");
        let res = secret(&args("s", |_| {}), None, &loader).unwrap();
        assert_eq!(content_hash(&res.node).unwrap(), "46f8b28mk5");
        let res = config_map(&args("empty", |_| {}), None, &loader).unwrap();
        assert!(res.node.get("data").is_none());
        assert_eq!(content_hash(&res.node).unwrap(), "6ct58987ht");
    }

    #[test]
    fn secret_values_are_base64_wrapped_at_70() {
        let sources = memory(&[]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let long = "x".repeat(60);
        let a = args("s", |a| {
            a.literals = vec![format!("long={long}"), "short=hi".into()];
            a.secret_type = "kubernetes.io/tls".into();
        });
        let res = secret(&a, None, &loader).unwrap();
        assert_eq!(res.node.str_at(&["type"]), Some("kubernetes.io/tls"));
        let encoded = base64::engine::general_purpose::STANDARD.encode(long.as_bytes());
        assert_eq!(encoded.len(), 80);
        assert_eq!(
            res.node.str_at(&["data", "long"]),
            Some(format!("{}\n{}\n", &encoded[..70], &encoded[70..]).as_str())
        );
        assert_eq!(res.node.str_at(&["data", "short"]), Some("aGk="));
        // 68 characters stay one unterminated line; 72 are cut after 70.
        assert_eq!(encode_base64(&[b'a'; 51]), "YWFh".repeat(17));
        assert_eq!(
            encode_base64(&[b'a'; 52]),
            format!("{}YQ\n==\n", "YWFh".repeat(17))
        );
    }

    #[test]
    fn non_utf8_file_goes_to_binary_data() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bin"), [0xff, 0x00, 0x01]).unwrap();
        std::fs::write(dir.path().join("text"), "hello").unwrap();
        let fs = DiskFs::new(dir.path()).unwrap();
        let root = fs.root().to_path_buf();
        let sources = SourceMap::new(Arc::new(fs));
        let loader = Loader::new(&sources, &root, LoadRestrictor::RootOnly);
        let a = args("cm", |a| a.files = strings(&["bin", "text"]));
        let res = config_map(&a, None, &loader).unwrap();
        assert_eq!(data(&res.node, "binaryData"), owned(&[("bin", "/wAB")]));
        assert_eq!(data(&res.node, "data"), owned(&[("text", "hello")]));
        // A Secret encodes the raw bytes.
        let res = secret(&a, None, &loader).unwrap();
        assert_eq!(res.node.str_at(&["data", "bin"]), Some("/wAB"));
    }

    #[test]
    fn binary_data_wraps_and_hashes_like_kubectl() {
        // Probed: bytes 0..60 then 0xff, options immutable + labels.
        let dir = tempfile::tempdir().unwrap();
        let mut bytes: Vec<u8> = (0u8..60).collect();
        bytes.push(0xff);
        std::fs::write(dir.path().join("bin"), &bytes).unwrap();
        let fs = DiskFs::new(dir.path()).unwrap();
        let root = fs.root().to_path_buf();
        let sources = SourceMap::new(Arc::new(fs));
        let loader = Loader::new(&sources, &root, LoadRestrictor::RootOnly);
        let a = args("b", |a| {
            a.files = strings(&["bin"]);
            a.options = Some(GeneratorOptions {
                immutable: true,
                labels: [("z".into(), "1".into())].into(),
                ..Default::default()
            });
        });
        let res = config_map(&a, None, &loader).unwrap();
        assert_eq!(
            res.node.str_at(&["binaryData", "bin"]),
            Some(
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMz\n\
                 Q1Njc4OTo7/w==\n"
            )
        );
        assert_eq!(content_hash(&res.node).unwrap(), "m7d5btc98h");
    }

    #[test]
    fn repeated_keys_and_missing_names_are_errors() {
        let sources = memory(&[("e.env", "a=1\n")]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let a = args("cm", |a| {
            a.envs = strings(&["e.env"]);
            a.literals = strings(&["a=2"]);
        });
        assert_eq!(
            config_map(&a, None, &loader).unwrap_err().message,
            "configmap cm illegally repeats the key `a`"
        );
        assert_eq!(
            secret(&args("", |_| {}), None, &loader)
                .unwrap_err()
                .message,
            "a configmap must have a name"
        );
        let bad = args("cm", |a| a.literals = strings(&["ok=1", "bad"]));
        assert_eq!(
            config_map(&bad, None, &loader).unwrap_err().message,
            "loading KV pairs: literal sources [ok=1 bad]: invalid literal source bad, expected key=value"
        );
    }

    #[test]
    fn files_outside_the_root_are_refused() {
        let sources = memory(&[("../other/f", "x")]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let a = args("cm", |a| a.files = strings(&["../other/f"]));
        let err = config_map(&a, None, &loader).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Restriction);
        assert!(err
            .message
            .starts_with("loading KV pairs: file sources: [../other/f]: security;"));
    }

    #[test]
    fn options_merge_local_wins_and_flags_or() {
        let local = GeneratorOptions {
            labels: [("a".into(), "local".into())].into(),
            disable_name_suffix_hash: false,
            ..Default::default()
        };
        let global = GeneratorOptions {
            labels: [("a".into(), "global".into()), ("b".into(), "g".into())].into(),
            annotations: [("note".into(), "x".into())].into(),
            disable_name_suffix_hash: true,
            immutable: true,
        };
        let merged = merge_options(Some(&local), Some(&global)).unwrap();
        assert_eq!(merged.labels["a"], "local");
        assert_eq!(merged.labels["b"], "g");
        assert_eq!(merged.annotations["note"], "x");
        assert!(merged.disable_name_suffix_hash && merged.immutable);
        assert!(merge_options(None, None).is_none());

        let sources = memory(&[]);
        let loader = Loader::new(&sources, Path::new("/k"), LoadRestrictor::RootOnly);
        let a = args("cm", |a| {
            a.literals = strings(&["k=v"]);
            a.options = Some(local.clone());
            a.behavior = "merge".into();
        });
        let res = config_map(&a, Some(&global), &loader).unwrap();
        assert!(!res.needs_hash);
        assert_eq!(res.behavior, Behavior::Merge);
        assert_eq!(res.node.str_at(&["metadata", "labels", "a"]), Some("local"));
        assert_eq!(res.node.str_at(&["metadata", "labels", "b"]), Some("g"));
        assert_eq!(
            res.node.str_at(&["metadata", "annotations", "note"]),
            Some("x")
        );
        assert_eq!(
            res.node.get("immutable").map(|n| &n.value),
            Some(&Value::Bool(true))
        );
        // Options change neither data nor the hash.
        assert_eq!(content_hash(&res.node).unwrap(), {
            let plain = config_map(
                &args("x", |a| a.literals = strings(&["k=v"])),
                None,
                &loader,
            )
            .unwrap();
            content_hash(&plain.node).unwrap()
        });
    }

    #[test]
    fn behaviors() {
        assert_eq!(parse_behavior(""), Behavior::Create);
        assert_eq!(parse_behavior("create"), Behavior::Create);
        assert_eq!(parse_behavior("replace"), Behavior::Replace);
        assert_eq!(parse_behavior("foo"), Behavior::Create);
    }
}
