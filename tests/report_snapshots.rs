//! Every reporter over one small repository and one list of diagnostics
//! (each severity; with and without location, span, related locations and
//! notes; multi-byte characters, tabs, CRLF lines, a span at the end of a
//! file), compared with the text committed in tests/snapshots/report/, so a
//! change in what users see shows in review. `UPDATE_SNAPSHOTS=1 cargo test
//! --test report_snapshots` rewrites the snapshots.
//!
//! The SARIF log is also checked against the structure SARIF 2.1.0 requires
//! (the OASIS schema's required properties, closed property sets, enums and
//! minimums for every object fluxlint writes), without the network.
#![allow(clippy::print_stderr)] // test reports go to stderr

use fluxlint::diag::{Diagnostic, ObjectRef, Severity, Summary};
use fluxlint::report::{write_report, Format, ReportContext};
use fluxlint::source::{DiskFs, SourceMap, Span};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FILES: &[(&str, &str)] = &[
    (
        "clusters/prod/apps.yaml",
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\n\
         kind: Kustomization\n\
         metadata:\n  name: apps\n  namespace: flux-system\n\
         spec:\n  dependsOn:\n    - name: infra\n  path: ./apps\n\
         \x20 sourceRef:\n    kind: GitRepository\n    name: fleet\n",
    ),
    (
        "clusters/prod/infra.yaml",
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\n\
         kind: Kustomization\n\
         metadata:\n  name: infra\n  namespace: flux-system\n\
         spec:\n  dependsOn:\n    - name: apps\n  path: ./infra\n",
    ),
    (
        "apps/web/deployment.yaml",
        "apiVersion: apps/v1\n\
         kind: Deployment\n\
         metadata:\n  name: web\n  annotations:\n    fluxlint.io/ignore: \"latest-tag: pinned by CI\"\n\
         \x20   description: \"café — ${GREETING}\"\n\
         spec:\n  template:\n    spec:\n      containers:\n\t- image: web:${TAG}\n",
    ),
    (
        "apps/web/values.env",
        "GREETING=hello\r\nTAG=1.0\r\nREGION=eu",
    ),
];

struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    sources: SourceMap,
}

fn repo() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for (path, text) in FILES {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let sources = SourceMap::new(Arc::new(DiskFs::new(&root).unwrap()));
    Repo {
        _dir: dir,
        root,
        sources,
    }
}

impl Repo {
    /// The span of the `nth` occurrence of `needle` in `file`.
    fn span(&self, file: &str, needle: &str, nth: usize) -> Option<Span> {
        let f = self.sources.load(&self.root.join(file)).unwrap();
        let (start, _) = f
            .text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} not in {file}"));
        Some(Span::new(f.id, start, start + needle.len()))
    }
}

fn diagnostics(r: &Repo) -> Vec<Diagnostic> {
    let apps = "clusters/prod/apps.yaml";
    let infra = "clusters/prod/infra.yaml";
    let deployment = "apps/web/deployment.yaml";
    let values = "apps/web/values.env";
    let deployment_text = FILES[2].1;
    let annotation_start = deployment_text.find("fluxlint.io/ignore").unwrap();
    let annotation_end = deployment_text.find("spec:").unwrap();
    let deployment_id = r.span(deployment, "web", 0).unwrap().file;
    let mut unresolved = Diagnostic::new(
        "unresolved-variable",
        Severity::Warning,
        "variable ${GREETING} has no value: 100% of substitutions, so far",
    )
    .at(deployment, r.span(deployment, "${GREETING}", 0))
    .in_cluster("prod")
    .for_kustomization("flux-system/apps")
    .related(
        values,
        r.span(values, "GREETING=hello\r\n", 0),
        "set without a value here",
    )
    .note("help: set it in .fluxlint.yaml under `variables`");
    unresolved.object = Some(ObjectRef {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        namespace: "default".into(),
        name: "web".into(),
    });
    let mut cluster_scoped = Diagnostic::new(
        "duplicate-object",
        Severity::Error,
        "Namespace apps is applied by two Kustomizations",
    )
    .at(apps, None)
    .in_cluster("prod")
    .related(infra, None, "also applied here");
    cluster_scoped.object = Some(ObjectRef {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        namespace: String::new(),
        name: "apps".into(),
    });
    vec![
        Diagnostic::new(
            "dependency-cycle",
            Severity::Error,
            "Kustomization flux-system/apps depends on itself",
        )
        .at(apps, r.span(apps, "infra", 0))
        .in_cluster("prod")
        .for_kustomization("flux-system/apps")
        .related(infra, r.span(infra, "apps", 0), "which depends on apps")
        .note("the cycle: apps → infra → apps")
        .note("help: remove one of the dependsOn entries"),
        unresolved,
        Diagnostic::new(
            "unused-suppression",
            Severity::Info,
            "suppression of latest-tag matches nothing",
        )
        .at(
            deployment,
            Some(Span::new(deployment_id, annotation_start, annotation_end)),
        ),
        Diagnostic::new(
            "unresolved-variable",
            Severity::Warning,
            "variable ${TAG} has no value",
        )
        .at(deployment, r.span(deployment, "${TAG}", 0)),
        Diagnostic::new("missing-value", Severity::Info, "REGION is never used").at(values, {
            // At the very end of a file without a final line break.
            let end = FILES[3].1.len();
            Some(Span::new(
                r.span(values, "REGION", 0).unwrap().file,
                end,
                end,
            ))
        }),
        cluster_scoped,
        Diagnostic::new(
            "missing-source",
            Severity::Error,
            "GitRepository flux-system/fleet does not exist",
        )
        .in_cluster("prod")
        .for_kustomization("flux-system/apps")
        .note("help: pass --source GitRepository/flux-system/fleet=DIR"),
    ]
}

fn summary() -> Summary {
    Summary {
        clusters: 1,
        kustomizations: 2,
        objects: 7,
    }
}

fn render(r: &Repo, format: Format, color: bool) -> String {
    let summary = summary();
    let describe = |id: &str| {
        (id == "dependency-cycle")
            .then(|| "Kustomizations depend on each other in a cycle".to_string())
    };
    let ctx = ReportContext::new(&r.root, &r.sources, &summary)
        .with_color(color)
        .with_rule_summaries(&describe);
    let mut out = Vec::new();
    write_report(format, &mut out, &diagnostics(r), &ctx).unwrap();
    let text = String::from_utf8(out).unwrap();
    // The one absolute path in any report: SARIF's %SRCROOT%.
    text.replace(&format!("file://{}/", r.root.display()), "file:///REPO/")
}

fn check_snapshot(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/report")
        .join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != text {
        let new = path.with_extension(format!(
            "{}.new",
            path.extension().unwrap().to_string_lossy()
        ));
        std::fs::write(&new, text).unwrap();
        for (i, (a, b)) in expected.lines().zip(text.lines()).enumerate() {
            if a != b {
                eprintln!(
                    "first difference, line {}:\n  snapshot: {a}\n  now:      {b}",
                    i + 1
                );
                break;
            }
        }
        panic!(
            "{name} differs from {} (new output in {}; UPDATE_SNAPSHOTS=1 to accept)",
            path.display(),
            new.display()
        );
    }
}

#[test]
fn human_report() {
    check_snapshot("human.txt", &render(&repo(), Format::Human, false));
}

#[test]
fn human_report_in_color() {
    check_snapshot("human-color.txt", &render(&repo(), Format::Human, true));
}

#[test]
fn json_report() {
    let text = render(&repo(), Format::Json, false);
    check_snapshot("report.json", &text);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 7);
}

#[test]
fn sarif_report() {
    let text = render(&repo(), Format::Sarif, false);
    check_snapshot("report.sarif", &text);
    let log: Value = serde_json::from_str(&text).unwrap();
    let problems = sarif_problems(&log);
    assert!(
        problems.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        problems.join("\n")
    );
}

#[test]
fn github_report() {
    check_snapshot("github.txt", &render(&repo(), Format::Github, false));
}

#[test]
fn the_sarif_check_finds_what_is_wrong() {
    let log: Value = serde_json::from_str(&render(&repo(), Format::Sarif, false)).unwrap();
    assert!(sarif_problems(&log).is_empty());
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 9] = [
        ("log: version must be", |v| v["version"] = "2.0.0".into()),
        ("driver: missing required property name", |v| {
            v["runs"][0]["tool"]["driver"]
                .as_object_mut()
                .unwrap()
                .remove("name");
        }),
        ("results[0].level: must be one of", |v| {
            v["runs"][0]["results"][0]["level"] = "fatal".into()
        }),
        ("region.startLine: must be an integer >= 1", |v| {
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                0.into();
        }),
        ("results[0].message: message needs text or id", |v| {
            v["runs"][0]["results"][0]["message"] = serde_json::json!({"markdown": "x"});
        }),
        ("results[0]: unknown property unknownKey", |v| {
            v["runs"][0]["results"][0]["unknownKey"] = 1.into()
        }),
        ("results[0].ruleIndex: does not point at ruleId", |v| {
            v["runs"][0]["results"][0]["ruleIndex"] = 5.into()
        }),
        ("relatedLocations[0].id: must be an integer >= -1", |v| {
            v["runs"][0]["results"][0]["relatedLocations"][0]["id"] = (-2).into()
        }),
        ("%SRCROOT%: uri must be absolute", |v| {
            v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "repo".into();
        }),
    ];
    for (what, edit) in cases {
        let mut broken = log.clone();
        edit(&mut broken);
        let problems = sarif_problems(&broken);
        assert!(
            problems.iter().any(|p| p.contains(what)),
            "{what}: not found in {problems:?}"
        );
    }
}

// ---- SARIF 2.1.0 structure ----------------------------------------------
//
// From the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json): for each
// object fluxlint writes, its closed property set ("additionalProperties":
// false), its required properties, and the constraints on the values.

const LOG_KEYS: &[&str] = &[
    "$schema",
    "version",
    "runs",
    "inlineExternalProperties",
    "properties",
];
const RUN_KEYS: &[&str] = &[
    "tool",
    "invocations",
    "conversion",
    "language",
    "versionControlProvenance",
    "originalUriBaseIds",
    "artifacts",
    "logicalLocations",
    "graphs",
    "results",
    "automationDetails",
    "runAggregates",
    "baselineGuid",
    "redactionTokens",
    "defaultEncoding",
    "defaultSourceLanguage",
    "newlineSequences",
    "columnKind",
    "externalPropertyFileReferences",
    "threadFlowLocations",
    "taxonomies",
    "addresses",
    "translations",
    "policies",
    "webRequests",
    "webResponses",
    "specialLocations",
    "properties",
];
const TOOL_KEYS: &[&str] = &["driver", "extensions", "properties"];
const TOOL_COMPONENT_KEYS: &[&str] = &[
    "guid",
    "name",
    "organization",
    "product",
    "productSuite",
    "shortDescription",
    "fullDescription",
    "fullName",
    "version",
    "semanticVersion",
    "dottedQuadFileVersion",
    "releaseDateUtc",
    "downloadUri",
    "informationUri",
    "globalMessageStrings",
    "notifications",
    "rules",
    "taxa",
    "locations",
    "language",
    "contents",
    "isComprehensive",
    "localizedDataSemanticVersion",
    "minimumRequiredLocalizedDataSemanticVersion",
    "associatedComponent",
    "translationMetadata",
    "supportedTaxonomies",
    "properties",
];
const DESCRIPTOR_KEYS: &[&str] = &[
    "id",
    "deprecatedIds",
    "guid",
    "deprecatedGuids",
    "name",
    "deprecatedNames",
    "shortDescription",
    "fullDescription",
    "messageStrings",
    "defaultConfiguration",
    "helpUri",
    "help",
    "relationships",
    "properties",
];
const MULTIFORMAT_KEYS: &[&str] = &["text", "markdown", "properties"];
const RESULT_KEYS: &[&str] = &[
    "ruleId",
    "ruleIndex",
    "rule",
    "kind",
    "level",
    "message",
    "analysisTarget",
    "locations",
    "guid",
    "correlationGuid",
    "occurrenceCount",
    "partialFingerprints",
    "fingerprints",
    "stacks",
    "codeFlows",
    "graphs",
    "graphTraversals",
    "relatedLocations",
    "suppressions",
    "baselineState",
    "rank",
    "attachments",
    "hostedViewerUri",
    "workItemUris",
    "provenance",
    "fixes",
    "taxa",
    "webRequest",
    "webResponse",
    "properties",
];
const MESSAGE_KEYS: &[&str] = &["text", "markdown", "id", "arguments", "properties"];
const LOCATION_KEYS: &[&str] = &[
    "id",
    "physicalLocation",
    "logicalLocations",
    "message",
    "annotations",
    "relationships",
    "properties",
];
const PHYSICAL_LOCATION_KEYS: &[&str] = &[
    "address",
    "artifactLocation",
    "region",
    "contextRegion",
    "properties",
];
const ARTIFACT_LOCATION_KEYS: &[&str] = &["uri", "uriBaseId", "index", "description", "properties"];
const REGION_KEYS: &[&str] = &[
    "startLine",
    "startColumn",
    "endLine",
    "endColumn",
    "charOffset",
    "charLength",
    "byteOffset",
    "byteLength",
    "snippet",
    "message",
    "sourceLanguage",
    "properties",
];

/// What in `log` breaks SARIF 2.1.0, one line per problem (empty when valid).
fn sarif_problems(log: &Value) -> Vec<String> {
    let mut c = Checker::default();
    c.object("log", log, LOG_KEYS, &["version", "runs"]);
    if log["version"] != "2.1.0" {
        c.fail("log", "version must be \"2.1.0\"");
    }
    c.string_opt("log.$schema", &log["$schema"]);
    for (i, run) in c.array("log.runs", &log["runs"]).iter().enumerate() {
        let at = format!("runs[{i}]");
        c.object(&at, run, RUN_KEYS, &["tool"]);
        let tool = &run["tool"];
        c.object(&format!("{at}.tool"), tool, TOOL_KEYS, &["driver"]);
        let driver = &tool["driver"];
        let d_at = format!("{at}.tool.driver");
        c.object(&d_at, driver, TOOL_COMPONENT_KEYS, &["name"]);
        c.string_opt(&format!("{d_at}.name"), &driver["name"]);
        c.string_opt(&format!("{d_at}.version"), &driver["version"]);
        c.string_opt(&format!("{d_at}.informationUri"), &driver["informationUri"]);
        let rules = if driver.get("rules").is_some() {
            c.array(&format!("{d_at}.rules"), &driver["rules"])
        } else {
            Vec::new()
        };
        for (j, rule) in rules.iter().enumerate() {
            let r_at = format!("{d_at}.rules[{j}]");
            c.object(&r_at, rule, DESCRIPTOR_KEYS, &["id"]);
            c.string_opt(&format!("{r_at}.id"), &rule["id"]);
            if let Some(text) = rule.get("shortDescription") {
                c.object(
                    &format!("{r_at}.shortDescription"),
                    text,
                    MULTIFORMAT_KEYS,
                    &["text"],
                );
                c.string_opt(&format!("{r_at}.shortDescription.text"), &text["text"]);
            }
        }
        if let Some(bases) = run.get("originalUriBaseIds") {
            match bases.as_object() {
                Some(bases) => {
                    for (name, base) in bases {
                        let b_at = format!("{at}.originalUriBaseIds.{name}");
                        c.artifact_location(&b_at, base);
                        // §3.14.14: without a uriBaseId of its own, the uri is
                        // absolute and names a directory.
                        if let (Some(uri), None) = (base["uri"].as_str(), base.get("uriBaseId")) {
                            if !uri.contains("://") || !uri.ends_with('/') {
                                c.fail(&b_at, "uri must be absolute and end with '/'");
                            }
                        }
                    }
                }
                None => c.fail(&format!("{at}.originalUriBaseIds"), "must be an object"),
            }
        }
        if let Some(kind) = run.get("columnKind") {
            c.one_of(
                &format!("{at}.columnKind"),
                kind,
                &["utf16CodeUnits", "unicodeCodePoints"],
            );
        }
        let results = if run.get("results").is_some() {
            c.array(&format!("{at}.results"), &run["results"])
        } else {
            Vec::new()
        };
        for (j, result) in results.iter().enumerate() {
            c.result(&format!("{at}.results[{j}]"), result, &rules);
        }
    }
    c.problems
}

#[derive(Default)]
struct Checker {
    problems: Vec<String>,
}

impl Checker {
    fn fail(&mut self, at: &str, what: &str) {
        self.problems.push(format!("{at}: {what}"));
    }

    fn object(&mut self, at: &str, v: &Value, allowed: &[&str], required: &[&str]) {
        let Some(map) = v.as_object() else {
            return self.fail(at, "must be an object");
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                self.fail(at, &format!("unknown property {key}"));
            }
        }
        for key in required {
            if !map.contains_key(*key) {
                self.fail(at, &format!("missing required property {key}"));
            }
        }
        if let Some(bag) = map.get("properties") {
            if !bag.is_object() {
                self.fail(&format!("{at}.properties"), "must be an object");
            }
        }
    }

    fn array<'v>(&mut self, at: &str, v: &'v Value) -> Vec<&'v Value> {
        match v.as_array() {
            Some(items) => items.iter().collect(),
            None => {
                self.fail(at, "must be an array");
                Vec::new()
            }
        }
    }

    fn string_opt(&mut self, at: &str, v: &Value) {
        if !v.is_null() && !v.is_string() {
            self.fail(at, "must be a string");
        }
    }

    fn integer(&mut self, at: &str, v: &Value, minimum: i64) {
        match v.as_i64() {
            Some(n) if n >= minimum => {}
            _ => self.fail(at, &format!("must be an integer >= {minimum}")),
        }
    }

    fn one_of(&mut self, at: &str, v: &Value, values: &[&str]) {
        if !v.as_str().is_some_and(|s| values.contains(&s)) {
            self.fail(at, &format!("must be one of {values:?}"));
        }
    }

    fn message(&mut self, at: &str, v: &Value) {
        self.object(at, v, MESSAGE_KEYS, &[]);
        // anyOf: text or id.
        if v.get("text").is_none() && v.get("id").is_none() {
            self.fail(at, "message needs text or id");
        }
        self.string_opt(&format!("{at}.text"), &v["text"]);
    }

    fn result(&mut self, at: &str, v: &Value, rules: &[&Value]) {
        self.object(at, v, RESULT_KEYS, &["message"]);
        self.message(&format!("{at}.message"), &v["message"]);
        self.string_opt(&format!("{at}.ruleId"), &v["ruleId"]);
        if let Some(index) = v.get("ruleIndex") {
            self.integer(&format!("{at}.ruleIndex"), index, -1);
            // §3.27.6–7: ruleIndex points into the driver's rules, at ruleId.
            let rule = index.as_u64().and_then(|i| rules.get(i as usize));
            if rule.is_none_or(|r| r["id"] != v["ruleId"]) {
                self.fail(&format!("{at}.ruleIndex"), "does not point at ruleId");
            }
        }
        if let Some(level) = v.get("level") {
            self.one_of(
                &format!("{at}.level"),
                level,
                &["none", "note", "warning", "error"],
            );
        }
        for key in ["locations", "relatedLocations"] {
            if v.get(key).is_none() {
                continue;
            }
            let mut ids = Vec::new();
            for (i, location) in self
                .array(&format!("{at}.{key}"), &v[key])
                .iter()
                .enumerate()
            {
                let l_at = format!("{at}.{key}[{i}]");
                self.location(&l_at, location);
                if let Some(id) = location.get("id") {
                    if ids.contains(id) {
                        self.fail(&l_at, "id is not unique");
                    }
                    ids.push(id.clone());
                }
            }
        }
    }

    fn location(&mut self, at: &str, v: &Value) {
        self.object(at, v, LOCATION_KEYS, &[]);
        if let Some(id) = v.get("id") {
            self.integer(&format!("{at}.id"), id, -1);
        }
        if let Some(message) = v.get("message") {
            self.message(&format!("{at}.message"), message);
        }
        let Some(physical) = v.get("physicalLocation") else {
            return;
        };
        let p_at = format!("{at}.physicalLocation");
        self.object(&p_at, physical, PHYSICAL_LOCATION_KEYS, &[]);
        // anyOf: address or artifactLocation.
        match physical.get("artifactLocation") {
            Some(artifact) => self.artifact_location(&format!("{p_at}.artifactLocation"), artifact),
            None if physical.get("address").is_none() => {
                self.fail(&p_at, "needs artifactLocation or address")
            }
            None => {}
        }
        if let Some(region) = physical.get("region") {
            self.region(&format!("{p_at}.region"), region);
        }
    }

    fn artifact_location(&mut self, at: &str, v: &Value) {
        self.object(at, v, ARTIFACT_LOCATION_KEYS, &[]);
        self.string_opt(&format!("{at}.uriBaseId"), &v["uriBaseId"]);
        if let Some(uri) = v.get("uri") {
            // format "uri-reference": no spaces, no stray '%', no backslashes.
            let ok = uri.as_str().is_some_and(|s| {
                !s.contains([' ', '\\', '"', '<', '>'])
                    && s.match_indices('%').all(|(i, _)| {
                        s.get(i + 1..i + 3)
                            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
                    })
            });
            if !ok {
                self.fail(&format!("{at}.uri"), "must be a URI reference");
            }
        }
    }

    fn region(&mut self, at: &str, v: &Value) {
        self.object(at, v, REGION_KEYS, &[]);
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            if let Some(n) = v.get(key) {
                self.integer(&format!("{at}.{key}"), n, 1);
            }
        }
        // §3.30.5: a region does not end before it starts.
        let n = |key: &str| v[key].as_i64();
        if let (Some(sl), Some(el)) = (n("startLine"), n("endLine")) {
            let backwards = el < sl
                || (el == sl
                    && n("startColumn")
                        .zip(n("endColumn"))
                        .is_some_and(|(s, e)| e < s));
            if backwards {
                self.fail(at, "ends before it starts");
            }
        }
    }
}
