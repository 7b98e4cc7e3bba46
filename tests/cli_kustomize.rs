//! `fluxlint kustomize build` as a process: stdout, stderr, exit codes.

use std::path::Path;
use std::process::Command;

fn fluxlint(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fluxlint"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run fluxlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

#[test]
fn builds_the_example_overlay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = fluxlint(
        &[
            "kustomize",
            "build",
            "testdata/fleets/example/apps/production",
        ],
        root,
    );
    assert_eq!(code, 0, "stderr: {stderr}");
    // Legacy order: the Namespace first; the replicas and the component applied.
    assert!(
        stdout.starts_with("apiVersion: v1\nkind: Namespace\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  replicas: 3\n"), "{stdout}");
    assert!(stdout.contains("kind: ServiceMonitor\n"), "{stdout}");
    assert!(stdout.contains("name: podinfo-config-"), "{stdout}");
}

#[test]
fn missing_kustomization_is_an_error_with_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        &[(
            "app/deploy.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        )],
    );
    let (code, stdout, stderr) = fluxlint(&["kustomize", "build", "app"], tmp.path());
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("Error: unable to find one of 'kustomization.yaml'"),
        "{stderr}"
    );
}

#[test]
fn conflicting_ids_name_the_id_and_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    write(
        tmp.path(),
        &[
            ("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n"),
            ("a.yaml", cm),
            ("b.yaml", cm),
        ],
    );
    let (code, _, stderr) = fluxlint(&["kustomize", "build", "."], tmp.path());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("already registered id: ConfigMap.v1.[noGrp]/a.[noNs]"),
        "{stderr}"
    );
    assert!(stderr.contains("kustomization.yaml"), "{stderr}");
}

#[test]
fn helm_charts_are_reported_as_unsupported() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        &[(
            "kustomization.yaml",
            "helmCharts:\n- name: podinfo\n  repo: https://example.com\n",
        )],
    );
    let (code, _, stderr) = fluxlint(&["kustomize", "build", "."], tmp.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("helmCharts are not supported"), "{stderr}");
    assert!(stderr.contains("kustomization.yaml"), "{stderr}");
}

#[test]
fn reorder_none_keeps_accumulation_order() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        &[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
            ),
        ],
    );
    let (_, legacy, _) = fluxlint(&["kustomize", "build", "."], tmp.path());
    let (_, none, _) = fluxlint(
        &["kustomize", "build", "--reorder", "none", "."],
        tmp.path(),
    );
    assert!(
        legacy.starts_with("apiVersion: v1\nkind: Namespace"),
        "{legacy}"
    );
    assert!(none.starts_with("apiVersion: v1\nkind: Service"), "{none}");
}

#[test]
fn output_file_is_written_whole() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        &[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
            ),
        ],
    );
    let (code, stdout, _) = fluxlint(&["kustomize", "build", ".", "-o", "out.yaml"], tmp.path());
    assert_eq!(code, 0);
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(tmp.path().join("out.yaml")).unwrap();
    assert_eq!(
        written,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
    );
}
