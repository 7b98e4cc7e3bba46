use super::*;
use crate::source::MemoryFs;

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";

fn fs(files: &[(&str, &str)]) -> MemoryFs {
    let mut fs = MemoryFs::new();
    for (path, text) in files {
        fs.insert(format!("/src/{path}"), *text);
    }
    fs
}

fn spec(path: &str) -> GeneratorSpec {
    GeneratorSpec {
        path: path.to_string(),
        ..GeneratorSpec::default()
    }
}

fn run(fs: &MemoryFs, spec: &GeneratorSpec) -> Generated {
    generate(fs, Path::new("/src"), spec).unwrap()
}

fn yaml(text: &str) -> Node {
    parse_documents(text, FileId::NONE, &LoadOptions::default())
        .unwrap()
        .remove(0)
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_directory_without_kustomization_file_is_scanned() {
    let fs = fs(&[
        ("app/b.yaml", CM),
        ("app/a.yml", CM),
        ("app/notes.txt", "x"),
        ("app/base/kustomization.yaml", "resources: []\n"),
        ("app/sub/c.yaml", CM),
    ]);
    let g = run(&fs, &spec("./app"));
    assert_eq!(g.action, Action::Created);
    assert_eq!(g.file, PathBuf::from("/src/app/kustomization.yaml"));
    assert_eq!(g.dir, PathBuf::from("/src/app"));
    assert_eq!(
        g.kustomization,
        yaml(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
             resources: [./a.yml, ./b.yaml, ./base, ./sub/c.yaml]\n"
        )
    );
    assert_eq!(
        g.text(),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n\
         - ./a.yml\n- ./b.yaml\n- ./base\n- ./sub/c.yaml\n"
    );
}

#[test]
fn an_empty_directory_gets_the_placeholder_namespace() {
    let fs = fs(&[("app/readme.md", "x")]);
    let g = run(&fs, &spec("app"));
    assert_eq!(g.kustomization.str_at(&["namespace"]), Some("_placeholder"));
    assert!(g.kustomization.get("resources").is_none());
    // No buildMetadata fallback for a made-up file.
    assert!(g.kustomization.get("buildMetadata").is_none());
}

#[test]
fn a_bad_manifest_fails_the_scan() {
    let fs = fs(&[
        ("app/a.yaml", CM),
        ("app/.gitlab-ci.yml", "stages: [build]\n"),
    ]);
    let err = generate(&fs, Path::new("/src"), &spec("app")).unwrap_err();
    assert_eq!(
        err.message,
        "failed to decode Kubernetes YAML from /src/app/.gitlab-ci.yml: missing Resource metadata"
    );
}

#[test]
fn an_existing_file_is_read_and_rewritten_under_its_own_name() {
    let fs = fs(&[
        ("app/kustomization.yml", "resources: [a.yaml]\nbogus: 1\n"),
        ("app/Kustomization", "resources: [never.yaml]\n"),
    ]);
    let g = run(&fs, &spec("app"));
    assert_eq!(g.action, Action::Unchanged);
    assert_eq!(g.file, PathBuf::from("/src/app/kustomization.yml"));
    assert_eq!(
        g.kustomization,
        yaml("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n")
    );
    // The overlay shows the rewritten file in its place.
    let overlay = g.overlay(Arc::new(fs.clone()));
    assert_eq!(
        overlay
            .read_to_string(Path::new("/src/app/kustomization.yml"))
            .unwrap(),
        g.text()
    );
    assert_eq!(
        overlay
            .read_to_string(Path::new("/src/app/Kustomization"))
            .unwrap(),
        "resources: [never.yaml]\n"
    );
}

#[test]
fn file_names_are_tried_in_kustomize_order() {
    let fs = fs(&[
        ("app/Kustomization", "namePrefix: c-\n"),
        ("app/kustomization.yml", "namePrefix: b-\n"),
    ]);
    let g = run(&fs, &spec("app"));
    assert_eq!(g.file, PathBuf::from("/src/app/kustomization.yml"));
    let fs = self::fs(&[("app/Kustomization", "namePrefix: c-\n")]);
    assert_eq!(
        run(&fs, &spec("app")).file,
        PathBuf::from("/src/app/Kustomization")
    );
}

#[test]
fn an_existing_file_without_resources_keeps_origin_annotations() {
    let fs = fs(&[(
        "kustomization.yaml",
        "configMapGenerator:\n- name: c\n  literals: [a=b]\nbuildMetadata: [managedByLabel]\n",
    )]);
    let g = run(&fs, &spec(""));
    assert_eq!(
        strings(&g.kustomization, "buildMetadata"),
        vec!["originAnnotations"]
    );
    let mut s = spec("./");
    s.build_metadata = vec!["transformerAnnotations".to_string()];
    let g = run(&fs, &s);
    assert_eq!(
        strings(&g.kustomization, "buildMetadata"),
        vec!["transformerAnnotations"]
    );
}

#[test]
fn spec_fields_replace_and_append() {
    let fs = fs(&[(
        "kustomization.yaml",
        "resources: [a.yaml]\nnamespace: old\nnamePrefix: old-\npatches:\n- path: p.yaml\ncomponents: [c1]\n",
    )]);
    let s = GeneratorSpec {
        target_namespace: "apps".into(),
        name_prefix: "new-".into(),
        name_suffix: "-x".into(),
        patches: vec![
            SpecPatch {
                patch: "- op: add\n".into(),
                target: Some(SpecSelector {
                    kind: "Deployment".into(),
                    label_selector: "app=a".into(),
                    ..SpecSelector::default()
                }),
            },
            SpecPatch {
                patch: "kind: X\n".into(),
                target: Some(SpecSelector::default()),
            },
            SpecPatch {
                patch: "kind: Y\n".into(),
                target: None,
            },
        ],
        ..spec("")
    };
    let k = run(&fs, &s).kustomization;
    assert_eq!(k.str_at(&["namespace"]), Some("apps"));
    assert_eq!(k.str_at(&["namePrefix"]), Some("new-"));
    assert_eq!(k.str_at(&["nameSuffix"]), Some("-x"));
    assert_eq!(
        k.get("patches").unwrap(),
        &yaml(
            "- path: p.yaml\n- patch: \"- op: add\\n\"\n  target: {kind: Deployment, labelSelector: app=a}\n\
             - patch: \"kind: X\\n\"\n  target: {}\n- patch: \"kind: Y\\n\"\n"
        )
    );
    assert_eq!(strings(&k, "components"), vec!["c1"]);
}

#[test]
fn components_must_be_local_and_may_be_skipped_when_missing() {
    let fs = fs(&[
        ("kustomization.yaml", "resources: [a.yaml]\n"),
        ("c1/kustomization.yaml", ""),
    ]);
    let mut s = spec("");
    s.components = vec!["c1".into(), "missing".into()];
    assert_eq!(
        strings(&run(&fs, &s).kustomization, "components"),
        vec!["c1", "missing"]
    );
    s.ignore_missing_components = true;
    assert_eq!(
        strings(&run(&fs, &s).kustomization, "components"),
        vec!["c1"]
    );
    s.components = vec!["https://github.com/o/r".into()];
    let err = generate(&fs, Path::new("/src"), &s).unwrap_err();
    assert_eq!(
        err.message,
        "component path 'https://github.com/o/r' must be local and relative"
    );
}

#[test]
fn local_relative_paths_as_flux_tells_them() {
    for (path, local) in [
        ("foobar.yaml", true),
        ("./foobar.yaml", true),
        ("file://foobar.yaml", true),
        ("file:///foobar.yaml", false),
        ("/foobar.yaml", false),
        ("https://github.com/owner/repo", false),
        ("git@github.com:owner/repo", false),
        ("ssh://git@github.com/owner/repo", false),
        ("github.com/owner/repo", false),
        ("GH:owner/repo", false),
        // A prefix counts only when something follows it.
        ("gh:", true),
        ("../base", true),
    ] {
        assert_eq!(is_local_relative_path(path), local, "{path}");
    }
}

fn images_after(file_images: &str, spec_image: SpecImage) -> Node {
    let fs = fs(&[(
        "kustomization.yaml",
        format!("resources: [a.yaml]\nimages:\n{file_images}").as_str(),
    )]);
    let mut s = spec("");
    s.images = vec![spec_image];
    run(&fs, &s).kustomization.get("images").cloned().unwrap()
}

#[test]
fn images_merge_by_name() {
    let img = |name: &str, new_name: &str, new_tag: &str, digest: &str| SpecImage {
        name: name.into(),
        new_name: new_name.into(),
        new_tag: new_tag.into(),
        digest: digest.into(),
    };
    let file = "- name: podinfo\n  newName: ghcr.io/x/podinfo\n  newTag: 6.0.0\n";
    // A new tag keeps the file's newName.
    assert_eq!(
        images_after(file, img("podinfo", "", "6.1.0", "")),
        yaml("[{name: podinfo, newName: ghcr.io/x/podinfo, newTag: 6.1.0}]")
    );
    // A digest clears the tag.
    assert_eq!(
        images_after(file, img("podinfo", "", "", "sha256:abc")),
        yaml("[{name: podinfo, newName: ghcr.io/x/podinfo, digest: 'sha256:abc'}]")
    );
    // A name only changes nothing.
    assert_eq!(images_after(file, img("podinfo", "", "", "")), yaml(file));
    // A new name is appended.
    assert_eq!(
        images_after(file, img("nginx", "", "1.25", "")),
        yaml("[{name: podinfo, newName: ghcr.io/x/podinfo, newTag: 6.0.0}, {name: nginx, newTag: '1.25'}]")
    );
    // A tag clears a digest; newName and tagSuffix stay.
    assert_eq!(
        images_after(
            "- name: p\n  newName: n\n  tagSuffix: -s\n  digest: sha256:abc\n",
            img("p", "m", "v1", "")
        ),
        yaml("[{name: p, newName: m, tagSuffix: -s, newTag: v1}]")
    );
}

#[test]
fn the_cli_generator_filters_existing_entries() {
    let fs = fs(&[
        (
            "app/kustomization.yaml",
            "resources: [deploy.yaml, config.yaml, https://example.com/x.yaml]\ncrds: [crd.yaml]\n",
        ),
        ("app/deploy.yaml", CM),
        ("app/config.yaml", CM),
        ("app/crd.yaml", CM),
        ("app/.sourceignore", "/*\n"),
    ]);
    let root = Path::new("/src");
    let g = generate_with_ignore(&fs, root, &spec("app"), &["!config.yaml".into()]).unwrap();
    assert_eq!(
        strings(&g.kustomization, "resources"),
        vec!["config.yaml", "https://example.com/x.yaml"]
    );
    assert!(g.kustomization.get("crds").is_none());
    // The controller's generator applies no ignore rules.
    let g = generate(&fs, root, &spec("app")).unwrap();
    assert_eq!(strings(&g.kustomization, "resources").len(), 3);
    // Extra patterns alone filter too; defaults come along.
    let fs2 = self::fs(&[
        (
            "app/kustomization.yaml",
            "resources: [configmap.yaml, cloudbuild.yaml, https://raw.example.com/c.yaml]\n",
        ),
        ("app/configmap.yaml", CM),
        ("app/cloudbuild.yaml", CM),
    ]);
    let g = generate_with_ignore(&fs2, root, &spec("app"), &["configmap.yaml".into()]).unwrap();
    assert_eq!(
        strings(&g.kustomization, "resources"),
        vec!["https://raw.example.com/c.yaml"]
    );
}

#[test]
fn the_cli_generator_needs_local_entries_to_exist() {
    let fs = fs(&[("app/kustomization.yaml", "resources: [gone.yaml]\n")]);
    let err = generate_with_ignore(&fs, Path::new("/src"), &spec("app"), &[]).unwrap_err();
    assert_eq!(
        err.message,
        "lstat /src/app/gone.yaml: no such file or directory"
    );
}

#[test]
fn the_cli_generator_filters_scanned_files_only_with_patterns() {
    let files = [
        ("app/a.yaml", CM),
        ("app/cloudbuild.yaml", CM),
        ("app/.sops.yaml", "creation_rules: []\n"),
    ];
    let fs = fs(&files);
    let root = Path::new("/src");
    // No patterns: nothing is filtered, and the .sops.yaml fails the scan.
    assert!(generate_with_ignore(&fs, root, &spec("app"), &[]).is_err());
    // One pattern brings the defaults along (cloudbuild.yaml goes too), and
    // the filter on the made-up file's resources applies the same rules.
    let g = generate_with_ignore(&fs, root, &spec("app"), &[".sops.yaml".into()]).unwrap();
    assert_eq!(strings(&g.kustomization, "resources"), vec!["./a.yaml"]);
}

#[test]
fn spec_path_stays_inside_the_root() {
    assert_eq!(
        secure_join(Path::new("/src"), "../../etc"),
        PathBuf::from("/src/etc")
    );
    assert_eq!(
        secure_join(Path::new("/src"), "./a/../b/"),
        PathBuf::from("/src/b")
    );
    assert_eq!(secure_join(Path::new("/src"), ""), PathBuf::from("/src"));
    let fs = fs(&[("a.yaml", CM)]);
    let err = generate(&fs, Path::new("/src"), &spec("nope")).unwrap_err();
    assert_eq!(
        err.message,
        "kustomization path not found: stat /src/nope: no such file or directory"
    );
}

#[test]
fn only_the_first_document_of_a_kustomization_file_counts() {
    let fs = fs(&[("kustomization.yaml", "resources: [a.yaml]\n---\nfoo: [\n")]);
    let g = run(&fs, &spec(""));
    assert_eq!(strings(&g.kustomization, "resources"), vec!["a.yaml"]);
    let fs = self::fs(&[("kustomization.yaml", "resources: [a.yaml\n")]);
    let err = generate(&fs, Path::new("/src"), &spec("")).unwrap_err();
    assert!(
        err.message
            .starts_with("error converting YAML to JSON: yaml: "),
        "{}",
        err.message
    );
    assert_eq!(first_document_text("---\n---\nfoo: [\n"), "---\n");
    assert_eq!(
        first_document_text("# c\n---\na: 1\n---\nb\n"),
        "# c\n---\na: 1\n"
    );
}

#[test]
fn url_detection_follows_parse_request_uri() {
    for (s, url) in [
        ("https://example.com/x.yaml", true),
        ("http://host:8080/a", true),
        ("http://host:port/a", false),
        ("mailto:x", true),
        ("git@github.com:o/r", false),
        ("github.com/o/r", false),
        ("./a.yaml", false),
        ("a.yaml", false),
        (":a", false),
        ("https://h/%zz", false),
    ] {
        assert_eq!(is_request_url(s), url, "{s}");
    }
}

#[test]
fn spec_from_a_flux_object() {
    let object = yaml(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n\
         spec:\n  path: ./app\n  targetNamespace: apps\n  namePrefix: p-\n  components: [c]\n  \
         ignoreMissingComponents: true\n  buildMetadata: [originAnnotations]\n  \
         patches:\n  - patch: x\n    target: {kind: Deployment, labelSelector: a=b}\n  - patch: y\n  \
         images:\n  - name: nginx\n    newTag: '1.25'\n",
    );
    let s = GeneratorSpec::from_object(&object).unwrap();
    assert_eq!(
        s,
        GeneratorSpec {
            path: "./app".into(),
            target_namespace: "apps".into(),
            name_prefix: "p-".into(),
            name_suffix: String::new(),
            patches: vec![
                SpecPatch {
                    patch: "x".into(),
                    target: Some(SpecSelector {
                        kind: "Deployment".into(),
                        label_selector: "a=b".into(),
                        ..SpecSelector::default()
                    }),
                },
                SpecPatch {
                    patch: "y".into(),
                    target: None,
                },
            ],
            components: vec!["c".into()],
            ignore_missing_components: true,
            images: vec![SpecImage {
                name: "nginx".into(),
                new_tag: "1.25".into(),
                ..SpecImage::default()
            }],
            build_metadata: vec!["originAnnotations".into()],
        }
    );
    let err = GeneratorSpec::from_object(&yaml("spec: {targetNamespace: 5}\n")).unwrap_err();
    assert_eq!(
        err.message,
        ".spec.targetNamespace accessor error: 5 is of the type int64, expected string"
    );
}
