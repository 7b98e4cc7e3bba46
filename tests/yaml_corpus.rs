//! Loads every YAML and JSON file of the shared corpus (the fleet repositories
//! and the kustomize conformance inputs) and checks that exactly the known-bad
//! files fail: one malformed file, and four that repeat a mapping key (an
//! error in a resource; kustomize accepts them in kustomization files, where
//! the last value wins).

use fluxlint::source::FileId;
use fluxlint::yaml::load::YamlErrorKind;
use fluxlint::yaml::{parse_documents, DuplicateKeys, LoadOptions};
use std::path::{Path, PathBuf};

/// Files that must fail, by path suffix, with the kind of error.
const KNOWN_BAD: [(&str, YamlErrorKind); 5] = [
    (
        "basic_io__TestBasicIO3812/in/service.yaml",
        YamlErrorKind::Syntax,
    ),
    (
        "duplicatekeys__TestDuplicateKeys/in/resources.yaml",
        YamlErrorKind::Unmarshal,
    ),
    (
        "configmaps__TestGeneratorRepeatsInKustomization/in/kustomization.yaml",
        YamlErrorKind::Unmarshal,
    ),
    (
        "component__TestOrderOfAccumulatedComponent__components_are_applied_before_replacements_transformer_applied/in/components/kustomization.yaml",
        YamlErrorKind::Unmarshal,
    ),
    (
        "replacementtransformer__TestReplacementTransformerWithSuffixTransformerAndReject/in/overlay/kustomization.yaml",
        YamlErrorKind::Unmarshal,
    ),
];

/// `../shared` beside the crate (or `$FLUXLINT_SHARED`; `../../shared` from
/// a worktree under `wt/`). Missing: skip, except in CI, where it fails.
fn shared_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = match std::env::var_os("FLUXLINT_SHARED") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![root.join("../shared"), root.join("../../shared")],
    };
    if let Some(dir) = candidates.iter().find(|d| d.join("conformance").is_dir()) {
        return Some(dir.clone());
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !in_ci,
        "the shared corpus is missing at {}",
        candidates[0].display()
    );
    None
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(&shared.join("fleets"), &mut files);
    let cases = shared.join("conformance/kustomize");
    let mut case_dirs: Vec<_> = std::fs::read_dir(&cases)
        .expect("conformance cases")
        .flatten()
        .map(|e| e.path().join("in"))
        .collect();
    case_dirs.sort();
    for dir in case_dirs {
        collect(&dir, &mut files);
    }
    files
}

#[test]
#[allow(clippy::print_stderr)]
fn corpus_loads_except_known_bad_files() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared is not there (set CI=true to make this fail)");
        return;
    };
    let files = corpus_files(&shared);
    assert!(
        files.len() > 1000,
        "only {} corpus files found",
        files.len()
    );
    let strict = LoadOptions::default();
    let lenient = LoadOptions {
        duplicate_keys: DuplicateKeys::LastWins,
        ..LoadOptions::default()
    };
    let mut failures = Vec::new();
    let mut documents = 0;
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
        match parse_documents(&text, FileId(i as u32), &strict) {
            Ok(docs) => documents += docs.len(),
            Err(e) => {
                assert!(
                    e.span.start <= e.span.end && e.span.end as usize <= text.len(),
                    "{}: error span out of range",
                    path.display()
                );
                failures.push((path.to_string_lossy().replace('\\', "/"), e));
            }
        }
        if let Err(e) = parse_documents(&text, FileId(i as u32), &lenient) {
            assert_eq!(
                e.kind,
                YamlErrorKind::Syntax,
                "{}: only syntax errors remain when the last key wins",
                path.display()
            );
        }
    }
    assert!(documents > 1000, "only {documents} documents");
    let report: Vec<String> = failures
        .iter()
        .map(|(p, e)| format!("{p}: {:?} {}", e.kind, e.message))
        .collect();
    assert_eq!(
        failures.len(),
        KNOWN_BAD.len(),
        "failures:\n{}",
        report.join("\n")
    );
    for (suffix, kind) in KNOWN_BAD {
        let found = failures.iter().find(|(p, _)| p.ends_with(suffix));
        let Some((_, e)) = found else {
            panic!("{suffix} should fail; failures:\n{}", report.join("\n"));
        };
        assert_eq!(e.kind, kind, "{suffix}: {}", e.message);
    }
    let dup = failures
        .iter()
        .find(|(p, _)| p.ends_with(KNOWN_BAD[1].0))
        .map(|(_, e)| e.go_message());
    assert_eq!(
        dup.as_deref(),
        Some("yaml: unmarshal errors:\n  line 19: mapping key \"env\" already defined at line 16")
    );
    let malformed = failures
        .iter()
        .find(|(p, _)| p.ends_with(KNOWN_BAD[0].0))
        .map(|(_, e)| e.go_message());
    assert_eq!(
        malformed.as_deref(),
        Some("yaml: line 9: did not find expected key")
    );
}
