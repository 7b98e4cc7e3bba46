//! ArtifactGenerator copy rules and source-controller ignore rules on trees
//! written to a temporary directory, and the production artifacts of
//! fluxcd/flux2-kustomize-helm-example built from the fleet in ../shared.

use fluxlint::flux::artifact::{build_artifacts, DiagnosticKind, GeneratorOutput, SourceTree};
use fluxlint::flux::sourceignore::{source_files, source_tree, SourceKind};
use fluxlint::source::{DiskFs, FileId, FileSystem};
use fluxlint::yaml::{parse_documents, LoadOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Writes `files` (path, text) below a new temporary directory.
fn write_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    dir
}

fn disk(dir: &Path) -> (Arc<dyn FileSystem>, PathBuf) {
    let fs = DiskFs::new(dir).expect("diskfs");
    let root = fs.root().to_path_buf();
    (Arc::new(fs), root)
}

/// Builds `generator_yaml` with alias sources mapped by name to trees.
fn generate(generator_yaml: &str, trees: &[(&str, &Path)]) -> GeneratorOutput {
    let docs = parse_documents(generator_yaml, FileId(0), &LoadOptions::default()).expect("yaml");
    let resolve = |_kind: &str, _ns: &str, name: &str| -> Option<SourceTree> {
        trees
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, dir)| disk(dir))
    };
    build_artifacts(&docs[0], &resolve)
}

/// A generator with one source `src` (GitRepository `repo`) and one artifact
/// `out` with the given copy operations (YAML list items, indented 8).
fn one(copy: &str) -> String {
    format!(
        "apiVersion: source.extensions.fluxcd.io/v1beta1\n\
         kind: ArtifactGenerator\n\
         metadata: {{name: gen, namespace: ns}}\n\
         spec:\n  sources:\n  - {{alias: src, kind: GitRepository, name: repo}}\n\
         \x20 artifacts:\n  - name: out\n    copy:\n{copy}"
    )
}

/// The files of the single artifact, relative to its root, and its error.
fn files_of(out: &GeneratorOutput) -> (Vec<String>, Option<String>) {
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let a = &out.artifacts[0];
    let mut files: Vec<String> = fluxlint::flux::sourceignore::walk_files(&a.fs, &a.root)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            p.strip_prefix(&a.root)
                .expect("below")
                .display()
                .to_string()
        })
        .collect();
    files.sort();
    (files, a.error.as_ref().map(|e| e.message.clone()))
}

fn read(out: &GeneratorOutput, rel: &str) -> String {
    let a = &out.artifacts[0];
    a.fs.read_to_string(&a.root.join(rel)).expect("file")
}

fn source() -> tempfile::TempDir {
    write_tree(&[
        ("deploy/app.yaml", "a: 1\n"),
        ("deploy/sub/svc.yaml", "b: 1\n"),
        ("deploy/README.md", "doc\n"),
        ("configs/x.yaml", "x: 1\n"),
        ("configs/y.yml", "y: 1\n"),
        (
            "values/base.yaml",
            "image:\n  tag: v1\n  repo: r\nlist: [1, 2]\n",
        ),
        ("values/prod.yaml", "image:\n  tag: v2\nlist: [3]\n"),
        ("deploy/.sops.yaml", "creation_rules: []\n"),
        ("deploy/logo.png", "png"),
    ])
}

#[test]
fn directory_copy_lands_under_its_base_name() {
    let src = source();
    for from in ["@src/deploy", "@src/deploy/"] {
        let out = generate(
            &one(&format!("    - {{from: \"{from}\", to: \"@artifact/\"}}\n")),
            &[("repo", src.path())],
        );
        let (files, err) = files_of(&out);
        assert_eq!(err, None);
        // .sops.yaml and logo.png fall to the default ignore filter.
        assert_eq!(
            files,
            vec!["deploy/README.md", "deploy/app.yaml", "deploy/sub/svc.yaml"]
        );
    }
}

#[test]
fn file_to_path_without_slash_is_renamed_with_slash_goes_inside() {
    let src = source();
    let out = generate(
        &one(
            "    - {from: \"@src/configs/x.yaml\", to: \"@artifact/renamed.yaml\"}\n\
              \x20   - {from: \"@src/configs/x.yaml\", to: \"@artifact/dir/\"}\n",
        ),
        &[("repo", src.path())],
    );
    let (files, err) = files_of(&out);
    assert_eq!(err, None);
    assert_eq!(files, vec!["dir/x.yaml", "renamed.yaml"]);
    // Without a slash, an already staged directory receives the file.
    let out = generate(
        &one("    - {from: \"@src/configs\", to: \"@artifact/\"}\n\
              \x20   - {from: \"@src/values/base.yaml\", to: \"@artifact/configs\"}\n"),
        &[("repo", src.path())],
    );
    let (files, _) = files_of(&out);
    assert_eq!(
        files,
        vec!["configs/base.yaml", "configs/x.yaml", "configs/y.yml"]
    );
}

#[test]
fn glob_keeps_the_match_path_and_double_star_is_one_level() {
    let src = source();
    let out = generate(
        &one("    - {from: \"@src/configs/*.yaml\", to: \"@artifact/out/\"}\n"),
        &[("repo", src.path())],
    );
    let (files, err) = files_of(&out);
    assert_eq!(err, None);
    assert_eq!(files, vec!["out/configs/x.yaml"]);
}

#[test]
fn glob_ending_in_double_star_strips_the_prefix() {
    let src = source();
    let out = generate(
        &one("    - {from: \"@src/deploy/**\", to: \"@artifact/\"}\n"),
        &[("repo", src.path())],
    );
    let (files, err) = files_of(&out);
    assert_eq!(err, None);
    assert_eq!(files, vec!["README.md", "app.yaml", "sub/svc.yaml"]);
}

#[test]
fn exclude_drops_files_and_whole_directories() {
    let src = source();
    let out = generate(
        &one("    - from: \"@src/deploy/**\"\n      to: \"@artifact/\"\n      exclude: [\"*.md\", \"sub/**\"]\n"),
        &[("repo", src.path())],
    );
    let (files, err) = files_of(&out);
    assert_eq!(err, None);
    assert_eq!(files, vec!["app.yaml"]);
    // Everything a glob matched excluded: the operation fails.
    let out = generate(
        &one("    - from: \"@src/configs/*.yaml\"\n      to: \"@artifact/\"\n      exclude: [\"x.yaml\"]\n"),
        &[("repo", src.path())],
    );
    let (_, err) = files_of(&out);
    assert!(
        err.as_deref().is_some_and(|e| e.ends_with(
            "all files matching pattern 'configs/*.yaml' in source 'src' were excluded"
        )),
        "{err:?}"
    );
}

#[test]
fn merge_deep_merges_yaml_and_replaces_lists() {
    let src = source();
    let out = generate(
        &one("    - {from: \"@src/values/base.yaml\", to: \"@artifact/values.yaml\"}\n\
              \x20   - {from: \"@src/values/prod.yaml\", to: \"@artifact/values.yaml\", strategy: Merge}\n"),
        &[("repo", src.path())],
    );
    let (files, err) = files_of(&out);
    assert_eq!(err, None);
    assert_eq!(files, vec!["values.yaml"]);
    assert_eq!(
        read(&out, "values.yaml"),
        "image:\n  repo: r\n  tag: v2\nlist:\n- 3\n"
    );
    // Overwrite (the default) replaces the file.
    let out = generate(
        &one(
            "    - {from: \"@src/values/base.yaml\", to: \"@artifact/values.yaml\"}\n\
              \x20   - {from: \"@src/values/prod.yaml\", to: \"@artifact/values.yaml\"}\n",
        ),
        &[("repo", src.path())],
    );
    assert_eq!(read(&out, "values.yaml"), "image:\n  tag: v2\nlist: [3]\n");
}

#[test]
fn missing_source_path_and_empty_glob_fail_with_source_watchers_words() {
    let src = source();
    let out = generate(
        &one("    - {from: \"@src/nope/\", to: \"@artifact/\"}\n"),
        &[("repo", src.path())],
    );
    let (_, err) = files_of(&out);
    assert_eq!(
        err.as_deref(),
        Some(
            "out build failed: failed to apply copy operations: failed to apply copy operation \
             from '@src/nope/' to '@artifact/': source 'nope' does not exist"
        )
    );
    let out = generate(
        &one("    - {from: \"@src/configs/*.json\", to: \"@artifact/\"}\n"),
        &[("repo", src.path())],
    );
    let (_, err) = files_of(&out);
    assert!(
        err.as_deref().is_some_and(
            |e| e.ends_with("no files match pattern 'configs/*.json' in source 'src'")
        ),
        "{err:?}"
    );
    let a = &out.artifacts[0];
    assert_eq!(
        a.error.as_ref().map(|e| e.kind),
        Some(DiagnosticKind::CopyFailed)
    );
}

#[test]
fn unresolved_source_fails_the_generator() {
    let out = generate(&one("    - {from: \"@src/x\", to: \"@artifact/\"}\n"), &[]);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].kind, DiagnosticKind::SourceNotFound);
    assert_eq!(
        out.errors[0].message,
        "get sources failed: gitrepositories.source.toolkit.fluxcd.io \"repo\" not found"
    );
    assert_eq!(
        out.artifacts[0].error.as_ref().map(|e| e.message.as_str()),
        Some(
            "out build failed: failed to apply copy operations: failed to apply copy operation \
             from '@src/x' to '@artifact/': source alias 'src' not found"
        )
    );
}

fn kept(dir: &Path, kind: SourceKind, ignore: Option<&str>) -> Vec<String> {
    let (fs, root) = disk(dir);
    source_files(fs.as_ref(), &root, kind, ignore)
        .expect("walk")
        .iter()
        .map(|p| p.strip_prefix(&root).expect("below").display().to_string())
        .collect()
}

#[test]
fn ignore_defaults_nested_sourceignore_spec_ignore_and_negation() {
    let dir = write_tree(&[
        ("app/deploy.yaml", ""),
        ("app/.sops.yaml", ""),
        ("app/notes.txt", ""),
        ("app/tmp/.sourceignore", "*.yaml\n!keep.yaml\n"),
        ("app/tmp/drop.yaml", ""),
        ("app/tmp/keep.yaml", ""),
        (".git/HEAD", ""),
        (".github/workflows/ci.yaml", ""),
        ("img.png", ""),
    ]);
    // A nested .sourceignore is a user pattern: the Ext/CI/Extra defaults go.
    assert_eq!(
        kept(dir.path(), SourceKind::GitRepository, None),
        vec![
            ".github/workflows/ci.yaml",
            "app/.sops.yaml",
            "app/deploy.yaml",
            "app/notes.txt",
            "app/tmp/.sourceignore",
            "app/tmp/keep.yaml",
            "img.png",
        ]
    );
    std::fs::remove_file(dir.path().join("app/tmp/.sourceignore")).expect("rm");
    // No user pattern: every default applies.
    assert_eq!(
        kept(dir.path(), SourceKind::GitRepository, None),
        vec![
            "app/deploy.yaml",
            "app/notes.txt",
            "app/tmp/drop.yaml",
            "app/tmp/keep.yaml"
        ]
    );
    // spec.ignore replaces the defaults (but never the VCS ones); `!`
    // re-includes.
    assert_eq!(
        kept(
            dir.path(),
            SourceKind::OciRepository,
            Some("/*\n!/app\napp/tmp/\n")
        ),
        vec!["app/.sops.yaml", "app/deploy.yaml", "app/notes.txt"]
    );
    // The tree keeps the files' contents.
    let (fs, root) = disk(dir.path());
    let tree = source_tree(fs.as_ref(), &root, SourceKind::GitRepository, None).expect("tree");
    assert!(tree.is_file(&root.join("app/deploy.yaml")));
    assert!(!tree.is_file(&root.join("img.png")));
}

/// The fleet tree of ../shared, or None outside CI when it is missing.
fn shared_fleet(name: &str) -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fleets");
    if !shared.is_dir() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "../shared/fleets is missing: CI must have ../shared"
        );
        return None;
    }
    Some(shared.join(name))
}

#[test]
fn kustomize_helm_example_production_artifacts() {
    let Some(fleet) = shared_fleet("fluxcd__flux2-kustomize-helm-example") else {
        return;
    };
    let text = std::fs::read_to_string(fleet.join("clusters/production/artifacts.yaml"))
        .expect("artifacts.yaml");
    let docs = parse_documents(&text, FileId(0), &LoadOptions::default()).expect("yaml");
    let generator = docs
        .iter()
        .find(|d| d.str_at(&["kind"]) == Some("ArtifactGenerator"))
        .expect("an ArtifactGenerator");
    let (fs, root) = disk(&fleet);
    let tree = source_tree(fs.as_ref(), &root, SourceKind::GitRepository, None).expect("tree");
    let tree: Arc<dyn FileSystem> = Arc::new(tree);
    let resolve = |kind: &str, ns: &str, name: &str| -> Option<SourceTree> {
        (kind == "GitRepository" && ns == "flux-system" && name == "flux-system")
            .then(|| (tree.clone(), root.clone()))
    };
    let out = build_artifacts(generator, &resolve);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let names: Vec<&str> = out.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["infrastructure", "apps"]);
    for a in &out.artifacts {
        assert_eq!(a.namespace, "flux-system");
        assert!(a.error.is_none(), "{:?}", a.error);
    }
    let infra = &out.artifacts[0];
    for rel in [
        "controllers/kustomization.yaml",
        "controllers/cert-manager.yaml",
        "configs/kustomization.yaml",
        "configs/cluster-issuers.yaml",
    ] {
        assert!(
            infra.fs.is_file(&infra.root.join(rel)),
            "infrastructure/{rel}"
        );
    }
    // `infrastructure/**` strips the prefix: nothing lands under infrastructure/.
    assert!(!infra.fs.is_dir(&infra.root.join("infrastructure")));
    let apps = &out.artifacts[1];
    for rel in [
        "base/podinfo/kustomization.yaml",
        "base/podinfo/release.yaml",
        "production/kustomization.yaml",
        "production/podinfo-values.yaml",
    ] {
        assert!(apps.fs.is_file(&apps.root.join(rel)), "apps/{rel}");
    }
    // Staging is not copied; every copied file has the fleet's content.
    assert!(!apps.fs.is_dir(&apps.root.join("staging")));
    let values = apps
        .fs
        .read_to_string(&apps.root.join("production/podinfo-values.yaml"))
        .expect("values");
    assert_eq!(
        values,
        std::fs::read_to_string(fleet.join("apps/production/podinfo-values.yaml")).expect("src")
    );
}
