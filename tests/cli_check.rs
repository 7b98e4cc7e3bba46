//! `fluxlint check` on testdata/cli/broken, a fleet with one of each finding:
//! every output format against its snapshot (tests/snapshots/check/), and the
//! JSON checked field by field for the cycle, the misspelt dependency and the
//! unresolved variable. `UPDATE_SNAPSHOTS=1` rewrites the snapshots.

use std::path::Path;
use std::process::Command;

fn check(args: &[&str]) -> (i32, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_fluxlint"))
        .arg("check")
        .arg("testdata/cli/broken")
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run fluxlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn snapshot(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/check")
        .join(name);
    // SARIF names the repository root as an absolute URI.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cli/broken");
    let text = text.replace(&root.canonicalize().unwrap().display().to_string(), "/REPO");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        expected, text,
        "{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept)"
    );
}

#[test]
fn every_format_matches_its_snapshot_and_exit_codes_follow_fail_on() {
    for (format, file) in [
        ("human", "broken.txt"),
        ("json", "broken.json"),
        ("sarif", "broken.sarif"),
        ("github", "broken.github"),
    ] {
        let (code, out) = check(&["--format", format]);
        assert_eq!(code, 1, "{format}: errors make the exit code 1");
        snapshot(file, &out);
    }
}

#[test]
fn json_names_each_finding_with_file_and_line() {
    let (_, out) = check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["version"], 1);
    let diags = json["diagnostics"].as_array().unwrap();
    let find = |rule: &str| {
        diags
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {out}"))
    };
    let cycle = find("dependency-cycle");
    assert_eq!(cycle["file"], "clusters/dev/apps.yaml");
    assert_eq!(cycle["line"], 32);
    let missing = find("missing-dependency");
    assert_eq!(missing["file"], "clusters/dev/apps.yaml");
    assert_eq!(missing["line"], 33);
    let unresolved = find("unresolved-variable");
    assert_eq!(unresolved["file"], "apps/web/configmap.yaml");
    assert_eq!(
        (unresolved["line"].as_u64(), unresolved["column"].as_u64()),
        (Some(8), Some(15))
    );
    assert_eq!(unresolved["cluster"], "dev");
    assert_eq!(unresolved["kustomization"], "flux-system/web");
    for rule in [
        "missing-path",
        "missing-source",
        "missing-substitution-source",
        "duplicate-object",
        "unknown-field",
    ] {
        find(rule);
    }
    // `${region:=eu-west-1}` has a default and `${greeting}` is set: no finding.
    assert!(!out.contains("region is not set") && !out.contains("greeting is not set"));
}

#[test]
fn the_example_fleet_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_fluxlint"))
        .args(["check", "testdata/fleets/example", "--fail-on", "info"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
