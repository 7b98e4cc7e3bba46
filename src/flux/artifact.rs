//! ArtifactGenerator → ExternalArtifact trees, as source-watcher builds them
//! (flux-semantics.md §8; fluxcd/source-watcher `internal/builder`).
//!
//! An `ArtifactGenerator` (`source.extensions.fluxcd.io/v1beta1`) names
//! source artifacts by alias and describes each output artifact as a list of
//! copy operations (`from: "@alias/<path or glob>"`, `to: "@artifact/<path>"`).
//! The operations run in order into one staging tree per artifact, later
//! files overwriting earlier ones; the tree is then archived with the
//! **default** ignore filter, so `.sops.yaml`, `*.png`, `.github/` and the
//! like never reach the ExternalArtifact.
//!
//! Copy rules (`applyCopyOperation`):
//! - **no glob** in `from` (`* ? [ ]`): the cleaned path must exist. A
//!   directory lands at `<to>/<basename>` (cp -r); a file lands at
//!   `<to>/<basename>` when `to` ends in `/` or is already a staged
//!   directory, otherwise it is written **as** `<to>`;
//! - **glob**: Go's `fs.Glob`, component by component, so `**` is just `*`.
//!   A pattern ending in `/**` strips that prefix from each match; any other
//!   pattern keeps the full match path under `<to>`. Matched directories are
//!   copied recursively;
//! - **exclude**: doublestar patterns tested on the path from the source
//!   root and on the path below the literal prefix of `from`; a pattern
//!   without `/` also tests the base name. Excluded directories are skipped
//!   whole;
//! - **Merge**: a single file whose destination exists is deep-merged into
//!   it as Helm values (maps merge, everything else replaces), re-marshalled
//!   with sorted keys;
//! - **Extract** (tarballs) is not supported offline: it is reported.
//!
//! Each operation that fails stops its artifact, with source-watcher's
//! message; a source that cannot be resolved fails the generator.

use crate::flux::generate::ignore::go_match;
use crate::flux::sourceignore::{walk_files, SourceFilter};
use crate::source::{FileId, FileSystem, MemoryFs, Span};
use crate::yaml::{emit_document, parse_documents, LoadOptions, Mapping, Node, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The API group of ArtifactGenerator.
pub const GROUP: &str = "source.extensions.fluxcd.io";

/// Where the trees of generated artifacts are rooted: `<ARTIFACT_ROOT>/<namespace>/<name>`.
pub const ARTIFACT_ROOT: &str = "/artifact";

/// A source's tree: the filesystem and the directory its artifact starts at.
pub type SourceTree = (Arc<dyn FileSystem>, PathBuf);

/// Resolves a source reference `(kind, namespace, name)` to its artifact's
/// tree (already filtered as source-controller would, see
/// [`crate::flux::sourceignore::source_tree`]), or `None` when there is no
/// such source.
pub type ResolveSource<'a> = dyn Fn(&str, &str, &str) -> Option<SourceTree> + 'a;

/// What went wrong, for the caller to turn into findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticKind {
    /// A source reference resolves to nothing (`get sources failed`).
    SourceNotFound,
    /// The spec is malformed or fails source-watcher's validation.
    InvalidSpec,
    /// A copy operation failed (`<name> build failed: ...`).
    CopyFailed,
    /// Something source-watcher does that is not done offline
    /// (`spec.pathPattern`, `strategy: Extract`).
    Unsupported,
}

/// One problem, worded as source-watcher words it, at the YAML node it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub message: String,
    pub span: Span,
}

/// One output artifact: the ExternalArtifact `<namespace>/<name>` and its tree.
#[derive(Clone)]
pub struct GeneratedArtifact {
    pub name: String,
    pub namespace: String,
    /// The archived tree, rooted at [`GeneratedArtifact::root`].
    pub fs: MemoryFs,
    pub root: PathBuf,
    /// Set when source-watcher would fail this build: the tree then holds
    /// what the operations before the failing one staged.
    pub error: Option<Diagnostic>,
}

/// Everything a generator yields offline.
#[derive(Clone)]
pub struct GeneratorOutput {
    pub artifacts: Vec<GeneratedArtifact>,
    /// Generator-wide problems (validation, unresolved sources). Any of these
    /// means source-watcher produces no artifact at all; the artifacts are
    /// still built from what resolves, so that their own errors show too.
    pub errors: Vec<Diagnostic>,
}

/// A copy operation's strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    Overwrite,
    Merge,
    Extract,
}

struct CopyOp<'a> {
    from: &'a str,
    to: &'a str,
    exclude: Vec<&'a str>,
    strategy: Strategy,
    span: Span,
}

/// Builds every artifact of an ArtifactGenerator object.
pub fn build_artifacts(generator: &Node, resolve: &ResolveSource) -> GeneratorOutput {
    let mut errors = Vec::new();
    let namespace = generator
        .str_at(&["metadata", "namespace"])
        .unwrap_or("default")
        .to_string();
    let spec = generator.get("spec");
    let invalid = |message: String, node: Option<&Node>| Diagnostic {
        kind: DiagnosticKind::InvalidSpec,
        message,
        span: node.map_or(generator.span, |n| n.span),
    };

    // Sources: alias → tree.
    let mut sources: HashMap<String, SourceTree> = HashMap::new();
    let mut aliases = BTreeSet::new();
    let source_nodes = spec.and_then(|s| s.get("sources")).and_then(Node::as_seq);
    for src in source_nodes.map(Vec::as_slice).unwrap_or_default() {
        let alias = src.str_at(&["alias"]).unwrap_or_default();
        let kind = src.str_at(&["kind"]).unwrap_or_default();
        let name = src.str_at(&["name"]).unwrap_or_default();
        if alias.is_empty() || kind.is_empty() || name.is_empty() {
            errors.push(invalid(
                "a source needs alias, kind and name".to_string(),
                Some(src),
            ));
            continue;
        }
        if !aliases.insert(alias.to_string()) {
            errors.push(invalid(
                format!("duplicate source alias '{alias}' found"),
                src.get("alias"),
            ));
            continue;
        }
        let src_ns = src
            .str_at(&["namespace"])
            .filter(|n| !n.is_empty())
            .unwrap_or(&namespace);
        match resolve(kind, src_ns, name) {
            Some(tree) => {
                sources.insert(alias.to_string(), tree);
            }
            None => errors.push(Diagnostic {
                kind: DiagnosticKind::SourceNotFound,
                message: format!(
                    "get sources failed: {}.source.toolkit.fluxcd.io \"{name}\" not found",
                    plural(kind)
                ),
                span: src.span,
            }),
        }
    }
    if source_nodes.is_none_or(|s| s.is_empty()) {
        errors.push(invalid("spec.sources must not be empty".to_string(), spec));
    }
    if let Some(pattern) = spec.and_then(|s| s.get("pathPattern")) {
        errors.push(Diagnostic {
            kind: DiagnosticKind::Unsupported,
            message: "spec.pathPattern is not expanded offline".to_string(),
            span: pattern.span,
        });
        return GeneratorOutput {
            artifacts: Vec::new(),
            errors,
        };
    }

    let mut artifacts = Vec::new();
    let mut names = BTreeSet::new();
    let artifact_nodes = spec.and_then(|s| s.get("artifacts")).and_then(Node::as_seq);
    for node in artifact_nodes.map(Vec::as_slice).unwrap_or_default() {
        let name = node.str_at(&["name"]).unwrap_or_default();
        if name.is_empty() {
            errors.push(invalid("an artifact needs a name".to_string(), Some(node)));
            continue;
        }
        if !names.insert(name.to_string()) {
            errors.push(invalid(
                format!("duplicate artifact name '{name}' found"),
                node.get("name"),
            ));
            continue;
        }
        if let Some(rev) = node.str_at(&["revision"]).filter(|r| !r.is_empty()) {
            let alias = rev.strip_prefix('@').unwrap_or(rev);
            if !aliases.contains(alias) {
                errors.push(invalid(
                    format!("artifact {name} revision source alias '{alias}' not found"),
                    node.get("revision"),
                ));
            }
        }
        artifacts.push(build_one(node, name, &namespace, &sources));
    }
    if artifact_nodes.is_none_or(|a| a.is_empty()) {
        errors.push(invalid(
            "spec.artifacts must not be empty".to_string(),
            spec,
        ));
    }
    GeneratorOutput { artifacts, errors }
}

/// The resource name of a source kind, for Kubernetes' not-found message.
fn plural(kind: &str) -> String {
    match kind {
        "GitRepository" => "gitrepositories".to_string(),
        "OCIRepository" => "ocirepositories".to_string(),
        "Bucket" => "buckets".to_string(),
        "HelmChart" => "helmcharts".to_string(),
        "ExternalArtifact" => "externalartifacts".to_string(),
        other => format!("{}s", other.to_lowercase()),
    }
}

fn build_one(
    node: &Node,
    name: &str,
    namespace: &str,
    sources: &HashMap<String, SourceTree>,
) -> GeneratedArtifact {
    let root = Path::new(ARTIFACT_ROOT).join(namespace).join(name);
    let mut staging = Staging::default();
    let mut error = None;
    let ops = node.get("copy").and_then(Node::as_seq);
    if ops.is_none_or(|o| o.is_empty()) {
        error = Some(Diagnostic {
            kind: DiagnosticKind::InvalidSpec,
            message: format!("artifact {name} needs at least one copy operation"),
            span: node.span,
        });
    }
    for op_node in ops.map(Vec::as_slice).unwrap_or_default() {
        let op = match read_op(op_node) {
            Ok(op) => op,
            Err(d) => {
                error = Some(d);
                break;
            }
        };
        if let Err(reason) = apply(&op, sources, &mut staging) {
            let kind = if op.strategy == Strategy::Extract {
                DiagnosticKind::Unsupported
            } else {
                DiagnosticKind::CopyFailed
            };
            error = Some(Diagnostic {
                kind,
                message: format!(
                    "{name} build failed: failed to apply copy operations: \
                     failed to apply copy operation from '{}' to '{}': {reason}",
                    op.from, op.to
                ),
                span: op.span,
            });
            break;
        }
    }
    // Archive with the default ignore filter.
    let filter = SourceFilter::defaults(&root);
    let mut fs = MemoryFs::new();
    for (rel, text) in staging.files {
        let path = root.join(&rel);
        if !filter.is_ignored(&path) {
            fs.insert(path, text);
        }
    }
    GeneratedArtifact {
        name: name.to_string(),
        namespace: namespace.to_string(),
        fs,
        root,
        error,
    }
}

fn read_op(node: &Node) -> Result<CopyOp<'_>, Diagnostic> {
    let bad = |message: String| Diagnostic {
        kind: DiagnosticKind::InvalidSpec,
        message,
        span: node.span,
    };
    let from = node
        .str_at(&["from"])
        .ok_or_else(|| bad("a copy operation needs 'from'".to_string()))?;
    let to = node
        .str_at(&["to"])
        .ok_or_else(|| bad("a copy operation needs 'to'".to_string()))?;
    let strategy = match node.str_at(&["strategy"]).unwrap_or("Overwrite") {
        "" | "Overwrite" => Strategy::Overwrite,
        "Merge" => Strategy::Merge,
        "Extract" => Strategy::Extract,
        other => {
            return Err(bad(format!(
                "strategy '{other}' is not one of Overwrite, Merge, Extract"
            )))
        }
    };
    let exclude = match node.get("exclude").map(|e| &e.value) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Seq(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| bad("exclude entries must be strings".to_string()))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("exclude must be a list".to_string())),
    };
    Ok(CopyOp {
        from,
        to,
        exclude,
        strategy,
        span: node.get("from").map_or(node.span, |n| n.span),
    })
}

/// The staging directory in memory: files (path relative to the artifact
/// root → text) and the directories created on the way.
#[derive(Default)]
struct Staging {
    files: BTreeMap<String, String>,
    dirs: BTreeSet<String>,
}

impl Staging {
    fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || path == "." || self.dirs.contains(path)
    }

    fn mkdir_all(&mut self, path: &str) -> Result<(), String> {
        let mut cur = String::new();
        for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(part);
            if self.files.contains_key(&cur) {
                return Err(format!("mkdir {cur}: not a directory"));
            }
            self.dirs.insert(cur.clone());
        }
        Ok(())
    }

    fn write(&mut self, path: &str, text: String) -> Result<(), String> {
        if self.dirs.contains(path) {
            return Err(format!("open {path}: is a directory"));
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            self.mkdir_all(dir)
                .map_err(|e| format!("failed to create destination directory: {e}"))?;
        }
        self.files.insert(path.to_string(), text);
        Ok(())
    }
}

/// One source tree, addressed by paths relative to its root (`/`-separated).
struct Source<'a> {
    fs: &'a dyn FileSystem,
    root: &'a Path,
}

impl Source<'_> {
    fn abs(&self, rel: &str) -> PathBuf {
        if rel == "." || rel.is_empty() {
            self.root.to_path_buf()
        } else {
            self.root.join(rel)
        }
    }

    fn is_dir(&self, rel: &str) -> bool {
        self.fs.is_dir(&self.abs(rel))
    }

    fn is_file(&self, rel: &str) -> bool {
        self.fs.is_file(&self.abs(rel))
    }

    fn read(&self, rel: &str) -> Result<String, String> {
        let bytes = self
            .fs
            .read_bytes(&self.abs(rel))
            .map_err(|e| format!("open {rel}: {e}"))?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Names in a directory, sorted; none when it is not one.
    fn names(&self, rel: &str) -> Vec<String> {
        self.fs
            .read_dir(&self.abs(rel))
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    }
}

/// Go's `filepath.Clean` on a relative, `/`-separated path ("" → ".").
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Join` of relative parts.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(b),
        (false, true) => clean(a),
        (false, false) => clean(&format!("{a}/{b}")),
    }
}

fn base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn contains_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', ']'])
}

/// A staging path must stay inside the staging directory (`os.Root`).
fn inside(path: &str) -> Result<&str, String> {
    if path == ".." || path.starts_with("../") || path.starts_with('/') {
        Err(format!("openat {path}: path escapes from parent"))
    } else {
        Ok(path)
    }
}

fn apply(
    op: &CopyOp,
    sources: &HashMap<String, SourceTree>,
    staging: &mut Staging,
) -> Result<(), String> {
    let (alias, pattern) = op
        .from
        .strip_prefix('@')
        .ok_or("source must start with '@'".to_string())
        .and_then(|rest| {
            rest.split_once('/')
                .ok_or("source format must be '@alias/pattern'".to_string())
        })
        .map_err(|e| format!("invalid copy source '{}': {e}", op.from))?;
    let dest = op.to.strip_prefix("@artifact/").ok_or_else(|| {
        format!(
            "invalid copy destination '{}': destination must start with '@artifact/'",
            op.to
        )
    })?;
    let (fs, root) = sources
        .get(alias)
        .ok_or_else(|| format!("source alias '{alias}' not found"))?;
    for pattern in &op.exclude {
        if doublestar_match(pattern, ".").is_none() {
            return Err(format!("invalid exclude pattern '{pattern}'"));
        }
    }
    let src = Source {
        fs: fs.as_ref(),
        root,
    };
    if !contains_glob(pattern) {
        return copy_single(op, &src, pattern, dest, staging);
    }
    if op.strategy == Strategy::Extract {
        return Err("strategy Extract (tarballs) is not supported offline".to_string());
    }
    let matches = fs_glob(&src, pattern)
        .ok_or_else(|| format!("invalid glob pattern '{pattern}': syntax error in pattern"))?;
    if matches.is_empty() {
        return Err(format!(
            "no files match pattern '{pattern}' in source '{alias}'"
        ));
    }
    let exclude_base = selection_root(pattern);
    let kept: Vec<&String> = matches
        .iter()
        .filter(|m| *m != "." && *m != "..")
        .filter(|m| !excluded(m, &exclude_base, &op.exclude))
        .collect();
    if kept.is_empty() {
        return Err(format!(
            "all files matching pattern '{pattern}' in source '{alias}' were excluded"
        ));
    }
    for m in kept {
        let dest_file = glob_destination(pattern, m, dest);
        copy_path(op, &src, m, dest_file.as_str(), &exclude_base, staging)
            .map_err(|e| format!("failed to copy file '{m}' to '{dest_file}': {e}"))?;
    }
    Ok(())
}

/// A `from` without glob characters: one file or one directory.
fn copy_single(
    op: &CopyOp,
    src: &Source,
    pattern: &str,
    dest: &str,
    staging: &mut Staging,
) -> Result<(), String> {
    let path = clean(pattern);
    if path.starts_with("..") || path.starts_with('/') {
        return Err(format!(
            "failed to stat source '{path}': statat {path}: path escapes from parent"
        ));
    }
    if src.is_dir(&path) {
        if op.strategy == Strategy::Extract {
            return Err(format!(
                "extract strategy is not supported for directories, got '{path}'"
            ));
        }
        let target = join(dest, base(&path));
        return copy_path(op, src, &path, &target, &path, staging);
    }
    if !src.is_file(&path) {
        return Err(format!("source '{path}' does not exist"));
    }
    if excluded(&path, ".", &op.exclude) {
        return Ok(());
    }
    if op.strategy == Strategy::Extract {
        return Err("strategy Extract (tarballs) is not supported offline".to_string());
    }
    let target = if op.to.ends_with('/') || staging.is_dir(&clean(dest)) {
        join(dest, base(&path))
    } else {
        clean(dest)
    };
    copy_path(op, src, &path, &target, ".", staging)
}

/// `copyFileWithRoots`: a directory recursively (never merged), a file
/// merged or overwritten.
fn copy_path(
    op: &CopyOp,
    src: &Source,
    path: &str,
    dest: &str,
    exclude_base: &str,
    staging: &mut Staging,
) -> Result<(), String> {
    let dest = inside(dest)?;
    if src.is_dir(path) {
        staging.mkdir_all(dest)?;
        let dir = src.abs(path);
        let files = walk_files(src.fs, &dir).map_err(|e| format!("lstat {path}: {e}"))?;
        // Walk order is depth first by name; an excluded directory hides
        // everything below it.
        let mut skipped: Vec<String> = Vec::new();
        for file in files {
            let Ok(rel) = file.strip_prefix(&dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let mut prefix = String::new();
            let mut hidden = false;
            let parts: Vec<&str> = rel.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                let full = join(path, &prefix);
                if skipped.contains(&full) {
                    hidden = true;
                    break;
                }
                if excluded(&full, exclude_base, &op.exclude) {
                    if i + 1 < parts.len() {
                        skipped.push(full);
                    }
                    hidden = true;
                    break;
                }
                if i + 1 < parts.len() {
                    staging.mkdir_all(&join(dest, &prefix))?;
                }
            }
            if hidden {
                continue;
            }
            let text = src.read(&join(path, &rel))?;
            staging.write(&join(dest, &rel), text)?;
        }
        return Ok(());
    }
    let text = src.read(path)?;
    if op.strategy == Strategy::Merge && staging.files.contains_key(dest) {
        let base_map = load_yaml(&staging.files[dest])?;
        let overlay = load_yaml(&text)?;
        let merged = merge_maps(base_map, overlay);
        let mut out = String::new();
        emit_document(&sorted(Node::new(Value::Map(merged))), &mut out);
        staging.files.insert(dest.to_string(), out);
        return Ok(());
    }
    staging.write(dest, text)
}

/// `calculateGlobDestination`: `dir/**` strips `dir/`, anything else keeps
/// the match path.
fn glob_destination(pattern: &str, m: &str, dest: &str) -> String {
    if let Some(prefix) = pattern.strip_suffix("/**") {
        if let Some(rest) = m.strip_prefix(&format!("{prefix}/")) {
            return join(dest, rest);
        }
    }
    join(dest, m)
}

/// `sourceSelectionRoot`: the literal components before the first glob.
fn selection_root(pattern: &str) -> String {
    let cleaned = clean(pattern);
    let literal: Vec<&str> = cleaned
        .split('/')
        .take_while(|p| !contains_glob(p))
        .collect();
    if literal.is_empty() {
        ".".to_string()
    } else {
        clean(&literal.join("/"))
    }
}

/// `shouldExcludePath`: the path from the source root, then the path below
/// the operation's literal prefix.
fn excluded(path: &str, exclude_base: &str, patterns: &[&str]) -> bool {
    if patterns.is_empty() {
        return false;
    }
    if matches_any(path, patterns) {
        return true;
    }
    let base_clean = clean(exclude_base);
    let path_clean = clean(path);
    let rel = if base_clean == "." {
        path_clean.clone()
    } else if path_clean == base_clean {
        ".".to_string()
    } else {
        match path_clean.strip_prefix(&format!("{base_clean}/")) {
            Some(rest) => rest.to_string(),
            None => return false,
        }
    };
    if rel == "." || rel == path {
        return false;
    }
    matches_any(&rel, patterns)
}

fn matches_any(path: &str, patterns: &[&str]) -> bool {
    let name = base(path);
    patterns.iter().any(|p| {
        doublestar_match(p, path) == Some(true)
            || (!p.contains('/') && doublestar_match(p, name) == Some(true))
    })
}

/// Go's `fs.Glob` below the source root: components matched with
/// `path.Match`, so `**` is `*`. `None` for a malformed pattern.
fn fs_glob(src: &Source, pattern: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = pattern.split('/').collect();
    for part in &parts {
        go_match(part, "")?;
    }
    let mut current = vec![String::new()];
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if part.is_empty() && !last {
            continue; // a doubled or leading '/' (Go cleans the dir part)
        }
        let mut next = Vec::new();
        for dir in &current {
            let dir_rel = if dir.is_empty() { "." } else { dir.as_str() };
            if !part.contains(['*', '?', '[', '\\']) {
                let cand = join(dir, part);
                if !part.is_empty() && (src.is_dir(&cand) || (last && src.is_file(&cand))) {
                    next.push(cand);
                }
                continue;
            }
            for name in src.names(dir_rel) {
                if go_match(part, &name) == Some(true) {
                    next.push(join(dir, &name));
                }
            }
        }
        current = next;
    }
    Some(current)
}

/// doublestar's `Match`: `**` as a whole component crosses directories
/// (a trailing `/**` also matches the directory itself), `{a,b}`
/// alternatives, `[!x]` or `[^x]` classes. `None` for a malformed pattern.
fn doublestar_match(pattern: &str, path: &str) -> Option<bool> {
    let alternatives = expand_braces(pattern)?;
    let path_parts: Vec<&str> = path.split('/').collect();
    let mut any = false;
    for alt in alternatives {
        let parts: Vec<String> = alt
            .split('/')
            .map(|p| {
                if p == "**" {
                    p.to_string()
                } else {
                    p.replace("**", "*").replace("[!", "[^")
                }
            })
            .collect();
        for p in &parts {
            if p != "**" {
                go_match(p, "")?;
            }
        }
        if match_segments(&parts, &path_parts) {
            any = true;
        }
    }
    Some(any)
}

fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| match_segments(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => {
                go_match(first, name) == Some(true) && match_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

/// `{a,b}c` → `ac`, `bc` (nesting allowed, `\` escapes). `None` when a
/// brace is not closed.
fn expand_braces(pattern: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut open = None;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                open = Some(i);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let Some(start) = open else {
        return Some(vec![pattern.to_string()]);
    };
    // Find the matching close brace and the top-level commas.
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut end = None;
    let mut j = start;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(j);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(j),
            _ => {}
        }
        j += 1;
    }
    let end = end?;
    let head: String = chars[..start].iter().collect();
    let tail: String = chars[end + 1..].iter().collect();
    let mut bounds = vec![start];
    bounds.extend(commas);
    bounds.push(end);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let middle: String = chars[w[0] + 1..w[1]].iter().collect();
        out.extend(expand_braces(&format!("{head}{middle}{tail}"))?);
    }
    Some(out)
}

/// `loadYAML`: every document of the file merged into one map.
fn load_yaml(text: &str) -> Result<Mapping, String> {
    let docs = parse_documents(text, FileId::NONE, &LoadOptions::default())
        .map_err(|e| format!("error reading YAML document: {}", e.go_message()))?;
    let mut out = Mapping::new();
    for doc in docs {
        match doc.value {
            Value::Null => {}
            Value::Map(m) => out = merge_maps(out, m),
            _ => {
                return Err("cannot unmarshal YAML document: error unmarshaling JSON: \
                     while decoding JSON: json: cannot unmarshal array into Go value of type \
                     map[string]interface {}"
                    .to_string())
            }
        }
    }
    Ok(out)
}

/// `mergeMap`: Helm-values deep merge, the overlay winning; only maps merge.
fn merge_maps(mut base: Mapping, overlay: Mapping) -> Mapping {
    for (key, value) in overlay {
        let merged = match value.value {
            Value::Map(over) => match base.get_mut(key.name.as_str()) {
                Some(Node {
                    value: Value::Map(existing),
                    ..
                }) => Node::new(Value::Map(merge_maps(std::mem::take(existing), over))),
                _ => Node::new(Value::Map(over)),
            },
            other => Node::new(other),
        };
        base.insert(key, merged);
    }
    base
}

/// Keys sorted at every level, as Go's YAML marshaller writes a map.
fn sorted(node: Node) -> Node {
    match node.value {
        Value::Map(m) => {
            let mut entries: Vec<_> = m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            Node::new(Value::Map(entries.into_iter().collect()))
        }
        Value::Seq(items) => Node::new(Value::Seq(items.into_iter().map(sorted).collect())),
        other => Node::new(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_and_join_follow_go() {
        assert_eq!(clean(""), ".");
        assert_eq!(clean("a/b/"), "a/b");
        assert_eq!(clean("./a/../b"), "b");
        assert_eq!(clean("../a"), "../a");
        assert_eq!(join("", "x/"), "x");
        assert_eq!(join("base/", "a.yaml"), "base/a.yaml");
    }

    #[test]
    fn doublestar_semantics() {
        assert_eq!(doublestar_match("**/*.md", "a/b/c.md"), Some(true));
        assert_eq!(doublestar_match("**/*.md", "c.md"), Some(true));
        assert_eq!(doublestar_match("*.md", "a/c.md"), Some(false));
        assert_eq!(doublestar_match("a/**", "a/b/c"), Some(true));
        assert_eq!(doublestar_match("a/**", "a"), Some(true));
        assert_eq!(doublestar_match("{x,y}/*.yaml", "y/a.yaml"), Some(true));
        assert_eq!(doublestar_match("[!a]*", "b"), Some(true));
        assert_eq!(doublestar_match("[!a]*", "a"), Some(false));
        assert_eq!(doublestar_match("[a", "."), None);
        assert_eq!(doublestar_match("{a", "."), None);
    }

    #[test]
    fn glob_destination_strips_only_trailing_double_star() {
        assert_eq!(
            glob_destination("deploy/**", "deploy/x/a.yaml", ""),
            "x/a.yaml"
        );
        assert_eq!(
            glob_destination("configs/*.yaml", "configs/a.yaml", "out/"),
            "out/configs/a.yaml"
        );
        assert_eq!(selection_root("apps/*/x/**"), "apps");
        assert_eq!(selection_root("*.yaml"), ".");
    }

    #[test]
    fn exclusion_tests_both_paths_and_the_base_name() {
        assert!(excluded("apps/x/README.md", "apps", &["*.md"]));
        assert!(excluded("apps/x/a.yaml", "apps", &["x/**"]));
        assert!(excluded("apps/x/a.yaml", "apps", &["apps/x/*"]));
        assert!(!excluded("apps/x/a.yaml", "apps", &["y/**"]));
    }

    #[test]
    fn merge_is_helm_values_style() {
        let a = load_yaml("a: {b: 1, c: [1, 2]}\nz: 1\n---\nz: 2\n").unwrap();
        let b = load_yaml("a: {c: [3], d: x}\n").unwrap();
        let mut out = String::new();
        emit_document(&sorted(Node::new(Value::Map(merge_maps(a, b)))), &mut out);
        assert_eq!(out, "a:\n  b: 1\n  c:\n  - 3\n  d: x\nz: 2\n");
    }
}
