//! The kustomization file Flux writes before it builds (fluxcd/pkg
//! kustomize/kustomize_generator.go, v1.39.0; see flux-semantics.md §2).
//!
//! kustomize-controller never builds a directory as it is: it takes the
//! kustomization file of `spec.path` (or makes one from the directory's
//! YAML files), reads it into kustomize's Go model, folds the Flux
//! `Kustomization`'s own fields into it, and writes it back over the same
//! file. The build then reads that file. This module computes that file:
//!
//! 1. **Find or make** ([`scan`]): `kustomization.yaml`, `kustomization.yml`
//!    or `Kustomization`, the first that is a file; otherwise every YAML
//!    manifest below the path (checked as kustomize would read it) and
//!    every subdirectory with a kustomization file becomes a resource, or
//!    `namespace: _placeholder` when there is none.
//! 2. **Read** ([`kustfile`]): the file goes through Flux's typed round
//!    trip, which drops unknown fields and coerces scalars.
//! 3. **Fallback metadata**: an existing file without `resources` gets
//!    `buildMetadata: [originAnnotations]`.
//! 4. **Filter** (CLI only, [`ignore`]): `flux build`'s generator drops the
//!    `resources`, `components` and `crds` entries its ignore rules match.
//! 5. **Merge** the spec: `targetNamespace`, `namePrefix`, `nameSuffix`
//!    replace; `patches` and `components` are appended; `images` merge by
//!    name; a non-empty `buildMetadata` replaces.
//!
//! The result is a [`Generated`]: the file as a [`Node`], where Flux writes
//! it, and whether it was made or rewritten. [`Generated::overlay`] lays it
//! over the source tree for the build.

pub mod ignore;
pub mod kustfile;
pub mod scan;

use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::kustomization::KUSTOMIZATION_FILE_NAMES;
use crate::source::overlay::OverlayFs;
use crate::source::{FileId, FileSystem};
use crate::yaml::{emit_document, parse_documents, DuplicateKeys, LoadOptions, Node, Value};
use ignore::{components, Matcher, Pattern};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The placeholder namespace of a made-up kustomization with no resources
/// (so that kustomize does not call it empty).
pub const PLACEHOLDER_NAMESPACE: &str = "_placeholder";

/// The `buildMetadata` option Flux sets on an existing file without resources.
pub const ORIGIN_ANNOTATIONS: &str = "originAnnotations";

/// The fields of a Flux `Kustomization`'s spec that shape the generated
/// file. Empty strings mean "not set", as in the Flux API (every one of
/// these fields is `omitempty`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneratorSpec {
    /// `spec.path`, relative to the source root; `..` cannot leave it.
    pub path: String,
    pub target_namespace: String,
    pub name_prefix: String,
    pub name_suffix: String,
    pub patches: Vec<SpecPatch>,
    pub components: Vec<String>,
    pub ignore_missing_components: bool,
    pub images: Vec<SpecImage>,
    pub build_metadata: Vec<String>,
}

/// A `spec.patches` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecPatch {
    pub patch: String,
    /// `None` when the entry has no `target`; `Some` of an empty selector
    /// is written as `target: {}`.
    pub target: Option<SpecSelector>,
}

/// A patch target selector as the Flux API has it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecSelector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub label_selector: String,
    pub annotation_selector: String,
}

/// A `spec.images` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecImage {
    pub name: String,
    pub new_name: String,
    pub new_tag: String,
    pub digest: String,
}

/// Whether Flux made the kustomization file or rewrote an existing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// No kustomization file: one was made from the directory's manifests.
    Created,
    /// An existing file was read (and is rewritten in place).
    Unchanged,
}

/// The kustomization file Flux writes.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The file's content: kustomize's model, canonical (known fields only,
    /// keys sorted, empty values left out, scalars typed as the model has
    /// them).
    pub kustomization: Node,
    /// Where Flux writes it: the existing file's own path (so a
    /// `kustomization.yml` stays one), else `<dir>/kustomization.yaml`.
    pub file: PathBuf,
    /// The kustomization directory (the source root joined with `spec.path`).
    pub dir: PathBuf,
    pub action: Action,
}

impl Generated {
    /// The file's text as Flux's YAML writer would lay it out.
    pub fn text(&self) -> String {
        let mut out = String::new();
        emit_document(&self.kustomization, &mut out);
        out
    }

    /// The source tree with the generated file in place, for the build.
    pub fn overlay(&self, base: Arc<dyn FileSystem>) -> OverlayFs {
        let mut fs = OverlayFs::new(base);
        fs.insert(self.file.clone(), self.text());
        fs
    }
}

/// What kustomize-controller writes (`NewGenerator(root, obj).WriteFile`):
/// no ignore rules. `root` is the source root in `fs`.
pub fn generate(fs: &dyn FileSystem, root: &Path, spec: &GeneratorSpec) -> Result<Generated> {
    Generator {
        fs,
        root,
        ignore: None,
    }
    .run(spec)
}

/// What `flux build kustomization` writes (`NewGeneratorWithIgnore`): the
/// `.sourceignore` files below the kustomization directory and
/// `extra_patterns` (gitignore lines, `--ignore-paths`) filter the scanned
/// files and the top-level `resources`, `components` and `crds` entries.
pub fn generate_with_ignore(
    fs: &dyn FileSystem,
    root: &Path,
    spec: &GeneratorSpec,
    extra_patterns: &[String],
) -> Result<Generated> {
    Generator {
        fs,
        root,
        ignore: Some(extra_patterns),
    }
    .run(spec)
}

struct Generator<'a> {
    fs: &'a dyn FileSystem,
    root: &'a Path,
    /// `Some` for the CLI generator, with its extra patterns.
    ignore: Option<&'a [String]>,
}

/// The CLI generator's patterns and the domain they are scoped to.
struct IgnoreRules {
    patterns: Vec<Pattern>,
    domain: Vec<String>,
}

impl Generator<'_> {
    fn run(&self, spec: &GeneratorSpec) -> Result<Generated> {
        let dir = secure_join(self.root, &spec.path);
        if !self.fs.is_dir(&dir) {
            return Err(Error::new(
                ErrorKind::Load,
                format!(
                    "kustomization path not found: stat {}: no such file or directory",
                    dir.display()
                ),
            )
            .in_file(&dir));
        }
        let rules = match self.ignore {
            Some(extra) => Some(self.ignore_rules(&dir, extra)?),
            None => None,
        };
        let (mut kus, file, action) = self.find_or_generate(&dir, rules.as_ref())?;
        if action == Action::Unchanged && seq_len(&kus, "resources") == 0 {
            // Without it kustomize would call a file with only, say,
            // generators empty; Flux chose origin annotations.
            kus.set(
                "buildMetadata",
                Node::seq(vec![Node::string(ORIGIN_ANNOTATIONS)]),
            );
        }
        if let Some(rules) = &rules {
            let matcher = Matcher::with_defaults(&rules.patterns, &rules.domain);
            for field in ["resources", "components", "crds"] {
                self.filter_entries(&mut kus, field, &dir, &matcher)?;
            }
        }
        self.merge_spec(&mut kus, &dir, spec)?;
        sort_keys(&mut kus);
        Ok(Generated {
            kustomization: kus,
            file,
            dir,
            action,
        })
    }

    fn ignore_rules(&self, dir: &Path, extra: &[String]) -> Result<IgnoreRules> {
        let domain = components(dir);
        let mut patterns = ignore::load_ignore_files(self.fs, dir, &domain).map_err(|e| {
            Error::new(
                ErrorKind::Load,
                format!("failed to load ignore patterns: {e}"),
            )
            .in_file(dir)
        })?;
        patterns.extend(ignore::read_patterns(&extra.join("\n"), &domain));
        Ok(IgnoreRules { patterns, domain })
    }

    /// Step 1 and 2: the existing file read through Flux's model, or one
    /// made from the directory's manifests.
    fn find_or_generate(
        &self,
        dir: &Path,
        rules: Option<&IgnoreRules>,
    ) -> Result<(Node, PathBuf, Action)> {
        for name in KUSTOMIZATION_FILE_NAMES {
            let path = dir.join(name);
            if self.fs.is_file(&path) {
                let kus = self.read_existing(&path)?;
                return Ok((kus, path, Action::Unchanged));
            }
        }
        // Scanned files are filtered only when there are patterns; the
        // defaults come along with them.
        let matcher = rules
            .filter(|r| !r.patterns.is_empty())
            .map(|r| Matcher::with_defaults(&r.patterns, &r.domain));
        let found = scan::scan_manifests(self.fs, dir, matcher.as_ref())?;
        let mut kus = kustfile::read_kustomization(&Node::null(), None)?;
        if found.is_empty() {
            kus.set("namespace", Node::string(PLACEHOLDER_NAMESPACE));
        } else {
            let resources = found
                .iter()
                .map(|p| Node::string(relative_entry(dir, p)))
                .collect();
            kus.set("resources", Node::seq(resources));
        }
        Ok((kus, dir.join(KUSTOMIZATION_FILE_NAMES[0]), Action::Created))
    }

    fn read_existing(&self, path: &Path) -> Result<Node> {
        let in_file = |e: Error| e.in_file(path);
        let text = self.fs.read_to_string(path).map_err(|e| {
            in_file(Error::new(
                ErrorKind::Load,
                format!("open {}: {e}", path.display()),
            ))
        })?;
        // go-yaml v2 reads the first document and lets a repeated key win.
        let opts = LoadOptions {
            duplicate_keys: DuplicateKeys::LastWins,
            ..LoadOptions::default()
        };
        // go-yaml v2 parses only as far as the first document: a broken
        // later one goes unnoticed.
        let parsed = parse_documents(&text, FileId::NONE, &opts).or_else(|e| {
            let first = first_document_text(&text);
            if first.len() < text.len() {
                parse_documents(first, FileId::NONE, &opts).map_err(|_| e)
            } else {
                Err(e)
            }
        });
        let docs = parsed.map_err(|e| {
            in_file(Error::new(
                ErrorKind::Parse,
                format!("error converting YAML to JSON: {}", e.go_message()),
            ))
        })?;
        let doc = docs.into_iter().next().unwrap_or_else(Node::null);
        kustfile::read_kustomization(&doc, Some(&text)).map_err(in_file)
    }

    /// Step 4 (`filterKsWithIgnoreFiles`): drops the entries of a list the
    /// ignore rules match. Every local entry must exist; URLs are kept
    /// (except among `crds`, which cannot be URLs).
    fn filter_entries(
        &self,
        kus: &mut Node,
        field: &str,
        dir: &Path,
        matcher: &Matcher,
    ) -> Result<()> {
        let Some(entries) = kus.get(field).and_then(Node::as_seq) else {
            return Ok(());
        };
        let mut kept = Vec::with_capacity(entries.len());
        for entry in entries {
            let text = entry.as_str().unwrap_or("");
            if field == "crds" || !is_request_url(text) {
                let path = crate::source::fs::clean(&dir.join(text));
                let is_dir = self.fs.is_dir(&path);
                if !is_dir && !self.fs.is_file(&path) {
                    return Err(Error::new(
                        ErrorKind::Load,
                        format!("lstat {}: no such file or directory", path.display()),
                    )
                    .in_file(&path));
                }
                if matcher.is_ignored(&components(&path), is_dir) {
                    continue;
                }
            }
            kept.push(entry.clone());
        }
        if kept.is_empty() {
            kus.remove(field);
        } else {
            kus.set(field, Node::seq(kept));
        }
        Ok(())
    }

    /// Step 5: the spec's fields, in Flux's order.
    fn merge_spec(&self, kus: &mut Node, dir: &Path, spec: &GeneratorSpec) -> Result<()> {
        // Unset (empty) fields leave the file's values alone.
        for (key, value) in [
            ("namespace", &spec.target_namespace),
            ("namePrefix", &spec.name_prefix),
            ("nameSuffix", &spec.name_suffix),
        ] {
            if !value.is_empty() {
                kus.set(key, Node::string(value.clone()));
            }
        }
        for patch in &spec.patches {
            let mut entry = Node::map();
            set_string(&mut entry, "patch", &patch.patch);
            if let Some(target) = &patch.target {
                let mut sel = Node::map();
                set_string(&mut sel, "group", &target.group);
                set_string(&mut sel, "version", &target.version);
                set_string(&mut sel, "kind", &target.kind);
                set_string(&mut sel, "name", &target.name);
                set_string(&mut sel, "namespace", &target.namespace);
                set_string(&mut sel, "labelSelector", &target.label_selector);
                set_string(&mut sel, "annotationSelector", &target.annotation_selector);
                entry.set("target", sel);
            }
            push_entry(kus, "patches", entry);
        }
        for component in &spec.components {
            if !is_local_relative_path(component) {
                return Err(Error::new(
                    ErrorKind::Kustomization,
                    format!("component path '{component}' must be local and relative"),
                ));
            }
            let path = crate::source::fs::clean(&dir.join(component));
            let exists = self.fs.is_file(&path) || self.fs.is_dir(&path);
            if !exists && spec.ignore_missing_components {
                continue;
            }
            push_entry(kus, "components", Node::string(component.clone()));
        }
        for image in &spec.images {
            merge_image(kus, image);
        }
        if !spec.build_metadata.is_empty() {
            let options = spec.build_metadata.iter().cloned().map(Node::string);
            kus.set("buildMetadata", Node::seq(options.collect()));
        }
        Ok(())
    }
}

/// `spec.images` into the file's `images`: an entry of the same name takes
/// a non-empty `newName`, and `newTag` and `digest` together when either is
/// set (a tag replaces a digest and the other way round); a new name is
/// appended.
fn merge_image(kus: &mut Node, image: &SpecImage) {
    let existing = kus
        .get_mut("images")
        .and_then(Node::as_seq_mut)
        .and_then(|images| {
            images
                .iter_mut()
                .find(|entry| entry.str_at(&["name"]).unwrap_or("") == image.name)
        });
    match existing {
        Some(entry) => {
            if !image.new_name.is_empty() {
                entry.set("newName", Node::string(image.new_name.clone()));
            }
            if !image.new_tag.is_empty() || !image.digest.is_empty() {
                set_string(entry, "newTag", &image.new_tag);
                set_string(entry, "digest", &image.digest);
            }
        }
        None => {
            let mut entry = Node::map();
            set_string(&mut entry, "name", &image.name);
            set_string(&mut entry, "newName", &image.new_name);
            set_string(&mut entry, "newTag", &image.new_tag);
            set_string(&mut entry, "digest", &image.digest);
            push_entry(kus, "images", entry);
        }
    }
}

/// Sets a string field, or removes it when empty (`omitempty`).
fn set_string(node: &mut Node, key: &str, value: &str) {
    if value.is_empty() {
        node.remove(key);
    } else {
        node.set(key, Node::string(value));
    }
}

/// Appends to a list field, making the list when absent.
fn push_entry(node: &mut Node, key: &str, entry: Node) {
    match node.get_mut(key).and_then(Node::as_seq_mut) {
        Some(items) => items.push(entry),
        None => node.set(key, Node::seq(vec![entry])),
    }
}

fn seq_len(node: &Node, key: &str) -> usize {
    node.get(key).and_then(Node::as_seq).map_or(0, Vec::len)
}

/// Keys in byte order at every level, as Flux's YAML writer orders them.
fn sort_keys(node: &mut Node) {
    match &mut node.value {
        Value::Map(map) => {
            map.sort_by(|a, _, b, _| a.name.cmp(&b.name));
            map.values_mut().for_each(sort_keys);
        }
        Value::Seq(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// The text before the second document's `---` line (the first document,
/// and a leading `---` of its own).
fn first_document_text(text: &str) -> &str {
    let mut offset = 0;
    // Whether the first document has begun: a `---`, or content.
    let mut started = false;
    for line in text.split_inclusive('\n') {
        let is_marker =
            line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace);
        if is_marker && started {
            return &text[..offset];
        }
        let is_blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        started |= is_marker || !is_blank;
        offset += line.len();
    }
    text
}

/// A resource entry for a scanned path: `./a.yaml`, `./sub/b.yaml`, `./dir`.
fn relative_entry(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("./{}", parts.join("/"))
}

/// `root` joined with `path` lexically, never above `root` (as
/// securejoin.SecureJoin keeps `..` inside the root).
pub fn secure_join(root: &Path, path: &str) -> PathBuf {
    let mut out = root.to_path_buf();
    let mut depth = 0usize;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if depth > 0 {
                    out.pop();
                    depth -= 1;
                }
            }
            name => {
                out.push(name);
                depth += 1;
            }
        }
    }
    out
}

/// Flux's `IsLocalRelativePath`, applied to every `spec.components` entry:
/// not a remote reference (git, GitHub, http, ssh) and not absolute, also
/// after taking `file://` away.
pub fn is_local_relative_path(path: &str) -> bool {
    const REMOTE_PREFIXES: [&str; 8] = [
        "git::",
        "gh:",
        "ssh://",
        "https://",
        "http://",
        "git@",
        "github.com:",
        "github.com/",
    ];
    let lower = path.to_lowercase();
    for prefix in REMOTE_PREFIXES {
        if prefix.len() < path.len()
            && path
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            return false;
        }
    }
    let without_file = lower.strip_prefix("file://").unwrap_or(&lower);
    !(path.starts_with('/') || without_file.starts_with('/'))
}

/// Go's `url.ParseRequestURI(s)` succeeding with a scheme (Flux's `isUrl`):
/// such entries are not looked up on disk.
fn is_request_url(s: &str) -> bool {
    if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return false;
    }
    // The scheme: a letter, then letters, digits, `+`, `-`, `.`, up to `:`.
    let mut scheme_end = None;
    for (i, c) in s.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i > 0 => {
                scheme_end = Some(i);
                break;
            }
            _ => break,
        }
    }
    let Some(end) = scheme_end else {
        return false;
    };
    let rest = &s[end + 1..];
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    if !rest.starts_with('/') {
        // An opaque URL (`mailto:x`) parses.
        return true;
    }
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let (authority, path) = after.find('/').map_or((after, ""), |i| after.split_at(i));
            if !valid_authority(authority) {
                return false;
            }
            path
        }
        None => rest,
    };
    valid_escapes(path)
}

fn valid_authority(authority: &str) -> bool {
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = if let Some(inner) = host.strip_prefix('[') {
        match inner.split_once(']') {
            Some((_, "")) => return true,
            Some((_, after)) => match after.strip_prefix(':') {
                Some(port) => port,
                None => return false,
            },
            None => return false,
        }
    } else {
        if host.chars().any(|c| c == ' ' || "<>\"{}|\\^`".contains(c)) {
            return false;
        }
        match host.rsplit_once(':') {
            Some((_, port)) => port,
            None => "",
        }
    };
    port.bytes().all(|b| b.is_ascii_digit()) && valid_escapes(host)
}

/// `%` must start a two-digit hex escape.
fn valid_escapes(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

impl GeneratorSpec {
    /// The spec fields of a Flux `Kustomization` object (as read from YAML),
    /// as the generator reads them from the unstructured object. A field of
    /// the wrong type is an error worded as Kubernetes' unstructured
    /// accessors word it.
    pub fn from_object(object: &Node) -> Result<GeneratorSpec> {
        let Some(spec) = object.get("spec") else {
            return Ok(GeneratorSpec::default());
        };
        let string = |key: &str| nested_string(spec, &["spec", key]);
        let strings = |key: &str| -> Result<Vec<String>> {
            match spec.get(key) {
                None => Ok(Vec::new()),
                Some(list) => match &list.value {
                    Value::Null => Ok(Vec::new()),
                    Value::Seq(items) => items
                        .iter()
                        .map(|item| match &item.value {
                            Value::Str(s) => Ok(s.clone()),
                            _ => Err(accessor_error(&["spec", key], item, "[]string")),
                        })
                        .collect(),
                    _ => Err(accessor_error(&["spec", key], list, "[]interface{}")),
                },
            }
        };
        let maps = |key: &str| -> Result<Vec<&Node>> {
            match spec.get(key).map(|n| &n.value) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Seq(items)) => Ok(items.iter().collect()),
                Some(_) => Err(accessor_error(
                    &["spec", key],
                    spec.get(key).unwrap_or(spec),
                    "[]interface{}",
                )),
            }
        };
        let mut out = GeneratorSpec {
            path: string("path")?,
            target_namespace: string("targetNamespace")?,
            name_prefix: string("namePrefix")?,
            name_suffix: string("nameSuffix")?,
            components: strings("components")?,
            build_metadata: strings("buildMetadata")?,
            ignore_missing_components: matches!(
                spec.get("ignoreMissingComponents").map(|n| &n.value),
                Some(Value::Bool(true))
            ),
            ..GeneratorSpec::default()
        };
        for patch in maps("patches")? {
            let path = ["spec", "patches"];
            let target = match patch.get("target") {
                None => None,
                Some(t) if t.is_null() => None,
                Some(t) => Some(SpecSelector {
                    group: nested_string(t, &["target", "group"])?,
                    version: nested_string(t, &["target", "version"])?,
                    kind: nested_string(t, &["target", "kind"])?,
                    name: nested_string(t, &["target", "name"])?,
                    namespace: nested_string(t, &["target", "namespace"])?,
                    label_selector: nested_string(t, &["target", "labelSelector"])?,
                    annotation_selector: nested_string(t, &["target", "annotationSelector"])?,
                }),
            };
            out.patches.push(SpecPatch {
                patch: nested_string(patch, &[path[0], path[1], "patch"])?,
                target,
            });
        }
        for image in maps("images")? {
            out.images.push(SpecImage {
                name: nested_string(image, &["images", "name"])?,
                new_name: nested_string(image, &["images", "newName"])?,
                new_tag: nested_string(image, &["images", "newTag"])?,
                digest: nested_string(image, &["images", "digest"])?,
            });
        }
        Ok(out)
    }
}

/// The string at the last key of `path` in `node` ("" when absent).
fn nested_string(node: &Node, path: &[&str]) -> Result<String> {
    let key = path.last().copied().unwrap_or("");
    match node.get(key) {
        None => Ok(String::new()),
        Some(v) => match &v.value {
            Value::Null => Ok(String::new()),
            Value::Str(s) => Ok(s.clone()),
            _ => Err(accessor_error(path, v, "string")),
        },
    }
}

fn accessor_error(path: &[&str], value: &Node, expected: &str) -> Error {
    let found = match &value.value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    };
    Error::new(
        ErrorKind::Kustomization,
        format!(
            ".{} accessor error: {} is of the type {found}, expected {expected}",
            path.join("."),
            value.scalar_text().unwrap_or_default()
        ),
    )
    .at(value.span)
}

#[cfg(test)]
mod tests;
