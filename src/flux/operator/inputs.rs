//! Input sets: where a ResourceSet's inputs come from and how they combine
//! (flux-operator `internal/inputs`).
//!
//! The ResourceSet is always the first provider (its `spec.inputs`); the
//! others are ResourceSetInputProviders in its namespace, read from their
//! `status.exportedInputs` and sorted by GVK, namespace, name. Every input set
//! gets a `provider` field naming where it came from. `Flatten` concatenates;
//! `Permute` nests each provider's set under its normalized name and takes the
//! Cartesian product, with `id = adler32("<key>=<i>/...")`.

use super::template::Value;
use super::Error;
use crate::yaml::Node;
use std::collections::BTreeMap;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// One input set: what `inputs` returns in a template.
pub type InputSet = BTreeMap<String, Value>;

/// Most permutations the Permute strategy produces.
pub const MAX_PERMUTATIONS: u64 = 10_000;

/// The API version of both ResourceSet and ResourceSetInputProvider.
pub const API_VERSION: &str = "fluxcd.controlplane.io/v1";

/// `hash/adler32` checksum.
pub fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

/// `inputs.ID`: the decimal adler32 of `s`, as a string.
pub fn input_id(s: &str) -> String {
    adler32(s.as_bytes()).to_string()
}

/// `NormalizeKeyForTemplate`: lowercase; spaces and punctuation become `_`;
/// other characters outside `[a-z0-9]` are dropped; empty words are removed.
pub fn normalize_key(key: &str) -> String {
    let mapped: String = key
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            let punct = matches!(
                get_general_category(c),
                Gc::ConnectorPunctuation
                    | Gc::DashPunctuation
                    | Gc::OpenPunctuation
                    | Gc::ClosePunctuation
                    | Gc::InitialPunctuation
                    | Gc::FinalPunctuation
                    | Gc::OtherPunctuation
            );
            if is_go_space(c) || punct {
                Some('_')
            } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
                Some(c)
            } else {
                None
            }
        })
        .collect();
    mapped
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// `unicode.IsSpace`.
fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

/// An input provider: its identity and exported input sets.
#[derive(Clone, Debug)]
pub struct Provider {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub inputs: Vec<InputSet>,
}

impl Provider {
    /// `GVK.String()` ("fluxcd.controlplane.io/v1, Kind=X"), the first sort key.
    fn gvk_string(&self) -> String {
        let (group, version) = self
            .api_version
            .rsplit_once('/')
            .unwrap_or(("", &self.api_version));
        format!("{group}/{version}, Kind={}", self.kind)
    }

    /// A provider from a manifest, with its `status.exportedInputs` (what a
    /// ResourceSet reads in the cluster).
    pub fn from_manifest(node: &Node) -> Result<Provider, Error> {
        let exported = match node.get_path(&["status", "exportedInputs"]) {
            Some(n) => input_list(n, "status.exportedInputs")?,
            None => Vec::new(),
        };
        Ok(Provider {
            api_version: node
                .str_at(&["apiVersion"])
                .unwrap_or(API_VERSION)
                .to_string(),
            kind: node
                .str_at(&["kind"])
                .unwrap_or("ResourceSetInputProvider")
                .to_string(),
            name: node
                .str_at(&["metadata", "name"])
                .unwrap_or_default()
                .to_string(),
            namespace: node
                .str_at(&["metadata", "namespace"])
                .unwrap_or_default()
                .to_string(),
            labels: string_map(node.get_path(&["metadata", "labels"])),
            inputs: exported,
        })
    }

    /// A `Static` provider as `flux-operator build rset --inputs-from-provider`
    /// resolves it: one input set, `spec.defaultValues` plus
    /// `id = adler32(metadata.name)` (the cluster uses the UID, unknown
    /// offline). `None` for a provider in another namespace than `namespace`.
    pub fn from_static_manifest(node: &Node, namespace: &str) -> Result<Option<Provider>, Error> {
        let mut p = Provider::from_manifest(node)?;
        p.api_version = API_VERSION.into();
        p.kind = "ResourceSetInputProvider".into();
        if p.namespace.is_empty() {
            p.namespace = namespace.to_string();
        }
        if p.namespace != namespace {
            return Ok(None);
        }
        if p.name.is_empty() {
            return Err(Error::new(
                "ResourceSetInputProvider name must be set in the manifest",
            ));
        }
        let kind = node.str_at(&["spec", "type"]).unwrap_or_default();
        if kind != "Static" {
            return Err(Error::new(format!(
                "unsupported provider type '{kind}', only 'Static' is supported"
            )));
        }
        let mut vals = match node
            .get_path(&["spec", "defaultValues"])
            .map(Value::from_node)
        {
            Some(Value::Map(m)) => m,
            _ => InputSet::new(),
        };
        vals.insert("id".into(), Value::Str(input_id(&p.name)));
        p.inputs = vec![vals];
        Ok(Some(p))
    }
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.name.clone(), v.scalar_text()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// A YAML list of input maps.
pub fn input_list(node: &Node, what: &str) -> Result<Vec<InputSet>, Error> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    let Some(items) = node.as_seq() else {
        return Err(Error::new(format!("{what} must be a list of maps")));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match Value::from_node(item) {
            Value::Map(m) => Ok(m),
            Value::Nil => Ok(InputSet::new()),
            _ => Err(Error::new(format!(
                "failed to unmarshal inputs[{i}]: not a map"
            ))),
        })
        .collect()
}

/// The providers a ResourceSet's `spec.inputsFrom` selects among `all`
/// (`filterProviders` of the CLI): by name in the ResourceSet's namespace, or
/// by label selector; each at most once.
pub fn select_providers(rset: &Node, all: &[Provider]) -> Result<Vec<Provider>, Error> {
    let namespace = rset.str_at(&["metadata", "namespace"]).unwrap_or_default();
    let mut picked: Vec<Provider> = Vec::new();
    let key = |p: &Provider| (p.gvk_string(), p.namespace.clone(), p.name.clone());
    let refs = rset
        .get_path(&["spec", "inputsFrom"])
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default();
    for r in &refs {
        if let Some(name) = r.str_at(&["name"]).filter(|n| !n.is_empty()) {
            let kind = r.str_at(&["kind"]).unwrap_or("ResourceSetInputProvider");
            if let Some(p) = all
                .iter()
                .find(|p| p.name == name && p.namespace == namespace && p.kind == kind)
            {
                if !picked.iter().any(|q| key(q) == key(p)) {
                    picked.push(p.clone());
                }
            }
        } else if let Some(sel) = r.get("selector") {
            for p in all {
                if !picked.iter().any(|q| key(q) == key(p)) && selector_matches(sel, &p.labels)? {
                    picked.push(p.clone());
                }
            }
        } else {
            return Err(Error::new(
                "input provider reference must have either name or selector set",
            ));
        }
    }
    Ok(picked)
}

/// A Kubernetes label selector (`matchLabels`, `matchExpressions`).
pub fn selector_matches(sel: &Node, labels: &BTreeMap<String, String>) -> Result<bool, Error> {
    for (k, v) in string_map(sel.get("matchLabels")) {
        if labels.get(&k) != Some(&v) {
            return Ok(false);
        }
    }
    for expr in sel
        .get("matchExpressions")
        .and_then(Node::as_seq)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let key = expr.str_at(&["key"]).unwrap_or_default();
        let values: Vec<String> = expr
            .get("values")
            .and_then(Node::as_seq)
            .map(|v| v.iter().filter_map(Node::scalar_text).collect())
            .unwrap_or_default();
        let have = labels.get(key);
        let ok = match expr.str_at(&["operator"]).unwrap_or_default() {
            "In" => have.is_some_and(|h| values.contains(h)),
            "NotIn" => have.is_none_or(|h| !values.contains(h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            op => {
                return Err(Error::new(format!(
                    "failed to parse selector: {op:?} is not a valid label selector operator"
                )))
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The Permute strategy.
#[derive(Default)]
pub struct Permuter {
    include_empty: bool,
    scoped: Vec<(String, Vec<InputSet>)>,
    expected: u64,
}

impl Permuter {
    pub fn new(include_empty_providers: bool) -> Permuter {
        Permuter {
            include_empty: include_empty_providers,
            ..Default::default()
        }
    }

    pub fn add_provider(&mut self, name: &str, inputs: Vec<InputSet>) -> Result<(), Error> {
        if !self.include_empty && inputs.is_empty() {
            return Ok(());
        }
        self.expected = if self.scoped.is_empty() {
            inputs.len() as u64
        } else {
            self.expected * inputs.len() as u64
        };
        if self.expected > MAX_PERMUTATIONS {
            return Err(Error::new(format!(
                "adding provider '{name}' with {} inputs would exceed the maximum allowed permutations. max: {MAX_PERMUTATIONS}, got: {}",
                inputs.len(),
                self.expected
            )));
        }
        let key = normalize_key(name);
        if key.is_empty() {
            return Err(Error::new(format!(
                "normalized provider name is empty: '{name}'"
            )));
        }
        self.scoped.push((key, inputs));
        Ok(())
    }

    /// The Cartesian product, first provider varying slowest.
    pub fn combine(&self) -> Vec<InputSet> {
        let mut out = Vec::new();
        if self.scoped.is_empty() || self.scoped.iter().any(|(_, s)| s.is_empty()) {
            return out;
        }
        let mut idx = vec![0usize; self.scoped.len()];
        loop {
            let mut perm = InputSet::new();
            let mut parts = Vec::new();
            for (p, &i) in idx.iter().enumerate() {
                let (key, sets) = &self.scoped[p];
                perm.insert(key.clone(), Value::Map(sets[i].clone()));
                parts.push(format!("{key}={i}"));
            }
            perm.insert("id".into(), Value::Str(input_id(&parts.join("/"))));
            out.push(perm);
            // advance, last provider fastest
            let mut p = idx.len();
            loop {
                if p == 0 {
                    return out;
                }
                p -= 1;
                idx[p] += 1;
                if idx[p] < self.scoped[p].1.len() {
                    break;
                }
                idx[p] = 0;
            }
        }
    }
}

/// `inputs.Combine`: the ResourceSet's own inputs first, then the providers
/// (deduplicated and sorted), each set tagged with `provider`, combined by
/// `spec.inputStrategy`.
pub fn combine(rset: &Node, providers: &[Provider]) -> Result<Vec<InputSet>, Error> {
    let own = Provider {
        api_version: API_VERSION.into(),
        kind: "ResourceSet".into(),
        name: rset
            .str_at(&["metadata", "name"])
            .unwrap_or_default()
            .to_string(),
        namespace: rset
            .str_at(&["metadata", "namespace"])
            .unwrap_or_default()
            .to_string(),
        labels: BTreeMap::new(),
        inputs: match rset.get_path(&["spec", "inputs"]) {
            Some(n) => input_list(n, "spec.inputs")?,
            None => Vec::new(),
        },
    };
    let mut sorted: Vec<&Provider> = Vec::new();
    for p in providers {
        let k = (p.gvk_string(), &p.namespace, &p.name);
        if !sorted
            .iter()
            .any(|q| (q.gvk_string(), &q.namespace, &q.name) == k)
        {
            sorted.push(p);
        }
    }
    sorted.sort_by_key(|p| (p.gvk_string(), p.namespace.clone(), p.name.clone()));
    let strategy = rset
        .str_at(&["spec", "inputStrategy", "name"])
        .unwrap_or("Flatten");
    let include_empty = matches!(
        rset.get_path(&["spec", "inputStrategy", "includeEmptyProviders"])
            .map(|n| &n.value),
        Some(crate::yaml::Value::Bool(true))
    );
    let mut flat = Vec::new();
    let mut permuter = Permuter::new(include_empty);
    if strategy != "Flatten" && strategy != "Permute" {
        return Err(Error::new(format!("unknown input strategy: '{strategy}'")));
    }
    for p in std::iter::once(&own).chain(sorted) {
        let tagged: Vec<InputSet> = p
            .inputs
            .iter()
            .map(|set| {
                let mut set = set.clone();
                let mut prov = BTreeMap::new();
                prov.insert("apiVersion".to_string(), Value::Str(p.api_version.clone()));
                prov.insert("kind".to_string(), Value::Str(p.kind.clone()));
                prov.insert("name".to_string(), Value::Str(p.name.clone()));
                prov.insert("namespace".to_string(), Value::Str(p.namespace.clone()));
                set.insert("provider".into(), Value::Map(prov));
                set
            })
            .collect();
        if strategy == "Flatten" {
            flat.extend(tagged);
        } else {
            permuter.add_provider(&p.name, tagged).map_err(|e| {
                Error::new(format!(
                    "failed to get inputs from {}/{}: {}",
                    p.kind, p.name, e.message
                ))
            })?;
        }
    }
    Ok(if strategy == "Flatten" {
        flat
    } else {
        permuter.combine()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_adler32() {
        assert_eq!(input_id("foo"), "42074437");
        assert_eq!(input_id("team1-apps"), "340788154");
    }

    #[test]
    fn keys_normalize() {
        assert_eq!(normalize_key("My-ResourceSet"), "my_resourceset");
        assert_eq!(normalize_key("_a---b_-_"), "a_b");
        assert_eq!(normalize_key("-£%^$%&$%$£%$"), "");
    }
}
