//! Field specs: which fields of which kinds a transformer touches
//! (kustomize's `types.FieldSpec`, `builtinconfig.TransformerConfig`,
//! `api/filters/fsslice` and `api/filters/fieldspec`).
//!
//! - [`TransformerConfig::defaults`] is kustomize's builtin table, generated
//!   into `fieldspec_tables.rs` by `tools/gen_fieldspecs.py`.
//! - [`TransformerConfig::from_node`] reads a `configurations:` file, strictly
//!   (unknown keys are errors, as `yaml.UnmarshalStrict` makes them).
//! - [`TransformerConfig::merge`] adds specs without duplicates and re-sorts
//!   every list the way kustomize does after each merge. kustomize sorts with
//!   Go's unstable `sort.Sort`, so [`go_sort`] reproduces that algorithm to
//!   keep the order of equal-ranked specs (visible in error messages and in
//!   the order name references are fixed) identical.
//! - [`apply_to_fields`] walks one spec's path through an object and calls a
//!   setter on every field it reaches.

use super::error::{Error, ErrorKind, Result};
use super::kustomization::FieldSpecArgs;
use super::resid::Gvk;
use crate::yaml::{Key, Mapping, Node, Value};
use std::sync::OnceLock;

#[rustfmt::skip]
#[path = "fieldspec_tables.rs"]
mod tables;

/// One field of some kinds: `path` is `/`-separated (`\/` escapes a slash);
/// `x[]` walks every element of the list `x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Empty fields select any group, version or kind.
    pub gvk: Gvk,
    pub path: String,
    /// Create the field (maps and the final scalar, never lists) when missing.
    pub create: bool,
}

/// A kind that can be referred to by name, and the fields that refer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameBackReference {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

/// Field specs of every builtin transformer (kustomize's `TransformerConfig`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransformerConfig {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    /// Extra fields for every `labels:` entry (the `labels` key of a
    /// `configurations:` file); empty by default.
    pub labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackReference>,
    pub var_reference: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

/// A row of the generated default tables.
struct Spec {
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    path: &'static str,
    create: bool,
}

/// A nameReference row of the generated default tables.
struct BackRef {
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    referrers: &'static [Spec],
}

impl FieldSpec {
    pub fn new(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: Gvk::new(group, version, kind),
            path: path.to_string(),
            create,
        }
    }

    /// A field spec as written in a kustomization (`labels[].fields`).
    pub fn from_args(args: &FieldSpecArgs) -> FieldSpec {
        FieldSpec::new(
            &args.group,
            &args.version,
            &args.kind,
            &args.path,
            args.create,
        )
    }

    /// Whether this spec applies to objects of kind `gvk` (empty parts of
    /// the spec's GVK match anything).
    pub fn selects(&self, gvk: &Gvk) -> bool {
        gvk.is_selected_by(&self.gvk)
    }

    /// kustomize's `effectivelyEquals`: same path, and this spec's GVK is
    /// selected by `other`'s. Deliberately asymmetric, as in kustomize: an
    /// incoming spec for any kind matches an existing spec for one kind.
    fn same_key(&self, other: &FieldSpec) -> bool {
        self.path == other.path && self.gvk.is_selected_by(&other.gvk)
    }

    fn from_table(s: &Spec) -> FieldSpec {
        FieldSpec::new(s.group, s.version, s.kind, s.path, s.create)
    }
}

/// Adds `incoming` specs to `list`, skipping specs whose key is already
/// there (kustomize's `FsSlice.MergeAll`, which does not sort). A spec
/// already present with a different `create` is an error.
pub fn merge_field_specs(list: &mut Vec<FieldSpec>, incoming: &[FieldSpec]) -> Result<()> {
    for spec in incoming {
        match list.iter().find(|s| s.same_key(spec)) {
            Some(existing) if existing.create != spec.create => {
                return Err(Error::new(
                    ErrorKind::Kustomization,
                    "conflicting fieldspecs",
                ));
            }
            Some(_) => {}
            None => list.push(spec.clone()),
        }
    }
    Ok(())
}

impl TransformerConfig {
    /// kustomize's default tables (generated from ../shared/reference/kustomize),
    /// sorted as kustomize sorts them after parsing.
    pub fn defaults() -> TransformerConfig {
        static DEFAULTS: OnceLock<TransformerConfig> = OnceLock::new();
        DEFAULTS
            .get_or_init(|| {
                let list = |rows: &[Spec]| rows.iter().map(FieldSpec::from_table).collect();
                let mut config = TransformerConfig {
                    name_prefix: list(tables::NAME_PREFIX),
                    name_suffix: list(tables::NAME_SUFFIX),
                    namespace: list(tables::NAMESPACE),
                    common_labels: list(tables::COMMON_LABELS),
                    labels: Vec::new(),
                    template_labels: list(tables::TEMPLATE_LABELS),
                    common_annotations: list(tables::COMMON_ANNOTATIONS),
                    name_reference: tables::NAME_REFERENCE
                        .iter()
                        .map(|b| NameBackReference {
                            gvk: Gvk::new(b.group, b.version, b.kind),
                            referrers: list(b.referrers),
                        })
                        .collect(),
                    var_reference: list(tables::VAR_REFERENCE),
                    images: list(tables::IMAGES),
                    replicas: list(tables::REPLICAS),
                };
                config.sort_fields();
                config
            })
            .clone()
    }

    /// Reads a `configurations:` file (kustomize's
    /// `makeTransformerConfigFromBytes`): unknown keys are errors; the lists
    /// are sorted as kustomize sorts them.
    pub fn from_node(node: &Node) -> Result<TransformerConfig> {
        let mut config = TransformerConfig::default();
        let map = match &node.value {
            Value::Null => return Ok(config),
            Value::Map(m) => m,
            other => {
                return Err(decode_error(
                    format!(
                        "cannot unmarshal {} into Go value of type builtinconfig.TransformerConfig",
                        json_type(other)
                    ),
                    node,
                ))
            }
        };
        for (key, value) in map {
            let name = key.name.as_str();
            if name == "nameReference" {
                config.name_reference = read_back_references(value)?;
                continue;
            }
            let target = match name {
                "namePrefix" => &mut config.name_prefix,
                "nameSuffix" => &mut config.name_suffix,
                "namespace" => &mut config.namespace,
                "commonLabels" => &mut config.common_labels,
                "labels" => &mut config.labels,
                "templateLabels" => &mut config.template_labels,
                "commonAnnotations" => &mut config.common_annotations,
                "varReference" => &mut config.var_reference,
                "images" => &mut config.images,
                "replicas" => &mut config.replicas,
                _ => {
                    return Err(
                        decode_error(format!("unknown field \"{name}\""), value).at(key.span)
                    )
                }
            };
            *target = read_field_specs(value, name)?;
        }
        config.sort_fields();
        Ok(config)
    }

    /// Adds `other`'s specs, skipping ones already present, then sorts every
    /// list (kustomize's `TransformerConfig.Merge`). A spec present in both
    /// with a different `create` is an error, and leaves `self` unchanged.
    pub fn merge(&mut self, other: &TransformerConfig) -> Result<()> {
        let mut merged = self.clone();
        let lists: [(&mut Vec<FieldSpec>, &Vec<FieldSpec>, &str); 10] = [
            (&mut merged.name_prefix, &other.name_prefix, "NamePrefix"),
            (&mut merged.name_suffix, &other.name_suffix, "NameSuffix"),
            (&mut merged.namespace, &other.namespace, "NameSpace"),
            (
                &mut merged.common_annotations,
                &other.common_annotations,
                "CommonAnnotations",
            ),
            (
                &mut merged.common_labels,
                &other.common_labels,
                "CommonLabels",
            ),
            (&mut merged.labels, &other.labels, "Labels"),
            (
                &mut merged.template_labels,
                &other.template_labels,
                "TemplateLabels",
            ),
            (
                &mut merged.var_reference,
                &other.var_reference,
                "VarReference",
            ),
            (&mut merged.images, &other.images, "Images"),
            (&mut merged.replicas, &other.replicas, "Replicas"),
        ];
        for (list, incoming, name) in lists {
            merge_field_specs(list, incoming)
                .map_err(|e| e.context(format!("failed to merge {name} fieldSpec")))?;
        }
        for backref in &other.name_reference {
            let mut found = false;
            for existing in merged
                .name_reference
                .iter_mut()
                .filter(|e| e.gvk == backref.gvk)
            {
                merge_field_specs(&mut existing.referrers, &backref.referrers)
                    .map_err(|e| e.context("failed to merge NameReference fieldSpec"))?;
                found = true;
            }
            if !found {
                merged.name_reference.push(backref.clone());
            }
        }
        merged.sort_fields();
        *self = merged;
        Ok(())
    }

    /// kustomize's `sortFields`: every list by GVK (referrers keep their order).
    fn sort_fields(&mut self) {
        for list in [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ] {
            go_sort(list, |a, b| gvk_is_less(&a.gvk, &b.gvk));
        }
        go_sort(&mut self.name_reference, |a, b| gvk_is_less(&a.gvk, &b.gvk));
    }
}

/// The message `sigs.k8s.io/yaml` gives for a configuration that does not
/// decode.
fn decode_error(message: String, node: &Node) -> Error {
    Error::new(
        ErrorKind::Kustomization,
        format!("error unmarshaling JSON: while decoding JSON: json: {message}"),
    )
    .at(node.span)
}

/// The JSON type name Go's decoder reports for a value.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// A list of field specs (`null` is an empty list).
fn read_field_specs(node: &Node, field: &str) -> Result<Vec<FieldSpec>> {
    let items = match &node.value {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(items) => items,
        other => {
            return Err(decode_error(
                format!(
                    "cannot unmarshal {} into Go struct field TransformerConfig.{field} of type types.FsSlice",
                    json_type(other)
                ),
                node,
            ))
        }
    };
    items
        .iter()
        .map(|item| read_field_spec(item, field))
        .collect()
}

fn read_field_spec(node: &Node, field: &str) -> Result<FieldSpec> {
    let mut spec = FieldSpec::new("", "", "", "", false);
    let map = match &node.value {
        Value::Null => return Ok(spec),
        Value::Map(m) => m,
        other => {
            return Err(decode_error(
                format!(
                    "cannot unmarshal {} into Go struct field TransformerConfig.{field} of type types.FieldSpec",
                    json_type(other)
                ),
                node,
            ))
        }
    };
    for (key, value) in map {
        let context = format!("FieldSpec.{field}.{}", key.name);
        match key.name.as_str() {
            "group" => spec.gvk.group = read_string(value, &context)?,
            "version" => spec.gvk.version = read_string(value, &context)?,
            "kind" => spec.gvk.kind = read_string(value, &context)?,
            "path" => spec.path = read_string(value, &context)?,
            "create" => spec.create = read_bool(value, &context)?,
            other => {
                return Err(decode_error(format!("unknown field \"{other}\""), value).at(key.span))
            }
        }
    }
    Ok(spec)
}

fn read_back_references(node: &Node) -> Result<Vec<NameBackReference>> {
    let items = match &node.value {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(items) => items,
        other => {
            return Err(decode_error(
                format!(
                    "cannot unmarshal {} into Go struct field TransformerConfig.nameReference of type builtinconfig.nbrSlice",
                    json_type(other)
                ),
                node,
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        let mut backref = NameBackReference {
            gvk: Gvk::default(),
            referrers: Vec::new(),
        };
        match &item.value {
            Value::Null => {}
            Value::Map(map) => {
                for (key, value) in map {
                    let context = format!("NameBackReferences.nameReference.{}", key.name);
                    match key.name.as_str() {
                        "group" => backref.gvk.group = read_string(value, &context)?,
                        "version" => backref.gvk.version = read_string(value, &context)?,
                        "kind" => backref.gvk.kind = read_string(value, &context)?,
                        "fieldSpecs" => {
                            backref.referrers = read_field_specs(value, "nameReference.fieldSpecs")?
                        }
                        other => {
                            return Err(decode_error(format!("unknown field \"{other}\""), value)
                                .at(key.span))
                        }
                    }
                }
            }
            other => {
                return Err(decode_error(
                    format!(
                        "cannot unmarshal {} into Go struct field TransformerConfig.nameReference of type builtinconfig.NameBackReferences",
                        json_type(other)
                    ),
                    item,
                ))
            }
        }
        out.push(backref);
    }
    Ok(out)
}

fn read_string(node: &Node, context: &str) -> Result<String> {
    match &node.value {
        Value::Null => Ok(String::new()),
        Value::Str(s) => Ok(s.clone()),
        other => Err(decode_error(
            format!(
                "cannot unmarshal {} into Go struct field {context} of type string",
                json_type(other)
            ),
            node,
        )),
    }
}

fn read_bool(node: &Node, context: &str) -> Result<bool> {
    match &node.value {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        other => Err(decode_error(
            format!(
                "cannot unmarshal {} into Go struct field {context} of type bool",
                json_type(other)
            ),
            node,
        )),
    }
}

/// kustomize's `Gvk.IsLessThan`: kinds of the legacy "first" list come
/// first, the webhook configurations last, then by `group_version_kind`.
pub fn gvk_is_less(a: &Gvk, b: &Gvk) -> bool {
    let (ra, rb) = (kind_rank(&a.kind), kind_rank(&b.kind));
    if ra != rb {
        return ra < rb;
    }
    a.sort_key() < b.sort_key()
}

fn kind_rank(kind: &str) -> i32 {
    // kustomize sorts field specs with the legacy resource order's kind ranks.
    use super::sort::{DEFAULT_ORDER_FIRST as FIRST, DEFAULT_ORDER_LAST as LAST};
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i as i32 - FIRST.len() as i32;
    }
    if let Some(i) = LAST.iter().position(|k| *k == kind) {
        return 1 + i as i32;
    }
    0
}

/// Go's `sort.Sort` as of Go 1.23 (pattern-defeating quicksort), which
/// kubectl v1.32's kustomize is built with. Not stable: equal elements end
/// up in the order this exact algorithm leaves them, which is why it is
/// reproduced rather than replaced by `sort_by`.
pub fn go_sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let mut data = GoSortData { v, less: &less };
    let limit = bit_len(n);
    data.pdqsort(0, n, limit);
}

fn bit_len(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()) as usize
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortedHint {
    Unknown,
    Increasing,
    Decreasing,
}

struct GoSortData<'a, T, F: Fn(&T, &T) -> bool> {
    v: &'a mut [T],
    less: &'a F,
}

impl<T, F: Fn(&T, &T) -> bool> GoSortData<'_, T, F> {
    fn less(&self, i: usize, j: usize) -> bool {
        (self.less)(&self.v[i], &self.v[j])
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.v.swap(i, j);
    }

    fn insertion_sort(&mut self, a: usize, b: usize) {
        for i in a + 1..b {
            let mut j = i;
            while j > a && self.less(j, j - 1) {
                self.swap(j, j - 1);
                j -= 1;
            }
        }
    }

    fn sift_down(&mut self, lo: usize, hi: usize, first: usize) {
        let mut root = lo;
        loop {
            let mut child = 2 * root + 1;
            if child >= hi {
                return;
            }
            if child + 1 < hi && self.less(first + child, first + child + 1) {
                child += 1;
            }
            if !self.less(first + root, first + child) {
                return;
            }
            self.swap(first + root, first + child);
            root = child;
        }
    }

    fn heap_sort(&mut self, a: usize, b: usize) {
        let first = a;
        let hi = b - a;
        for i in (0..=(hi - 1) / 2).rev() {
            self.sift_down(i, hi, first);
        }
        for i in (0..hi).rev() {
            self.swap(first, first + i);
            self.sift_down(0, i, first);
        }
    }

    fn pdqsort(&mut self, mut a: usize, mut b: usize, mut limit: usize) {
        const MAX_INSERTION: usize = 12;
        let mut was_balanced = true;
        let mut was_partitioned = true;
        loop {
            let length = b - a;
            if length <= MAX_INSERTION {
                self.insertion_sort(a, b);
                return;
            }
            if limit == 0 {
                self.heap_sort(a, b);
                return;
            }
            if !was_balanced {
                self.break_patterns(a, b);
                limit -= 1;
            }
            let (mut pivot, mut hint) = self.choose_pivot(a, b);
            if hint == SortedHint::Decreasing {
                self.reverse_range(a, b);
                pivot = (b - 1) - (pivot - a);
                hint = SortedHint::Increasing;
            }
            if was_balanced
                && was_partitioned
                && hint == SortedHint::Increasing
                && self.partial_insertion_sort(a, b)
            {
                return;
            }
            if a > 0 && !self.less(a - 1, pivot) {
                a = self.partition_equal(a, b, pivot);
                continue;
            }
            let (mid, already_partitioned) = self.partition(a, b, pivot);
            was_partitioned = already_partitioned;
            let (left_len, right_len) = (mid - a, b - mid);
            let balance_threshold = length / 8;
            if left_len < right_len {
                was_balanced = left_len >= balance_threshold;
                self.pdqsort(a, mid, limit);
                a = mid + 1;
            } else {
                was_balanced = right_len >= balance_threshold;
                self.pdqsort(mid + 1, b, limit);
                b = mid;
            }
        }
    }

    /// `i` and `j` are inclusive bounds of what is left to partition; `j`
    /// may step one below `a + 1`, so they are signed.
    fn partition(&mut self, a: usize, b: usize, pivot: usize) -> (usize, bool) {
        self.swap(a, pivot);
        let (mut i, mut j) = (a as isize + 1, b as isize - 1);
        while i <= j && self.less(i as usize, a) {
            i += 1;
        }
        while i <= j && !self.less(j as usize, a) {
            j -= 1;
        }
        if i > j {
            self.swap(j as usize, a);
            return (j as usize, true);
        }
        self.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
        loop {
            while i <= j && self.less(i as usize, a) {
                i += 1;
            }
            while i <= j && !self.less(j as usize, a) {
                j -= 1;
            }
            if i > j {
                break;
            }
            self.swap(i as usize, j as usize);
            i += 1;
            j -= 1;
        }
        self.swap(j as usize, a);
        (j as usize, false)
    }

    fn partition_equal(&mut self, a: usize, b: usize, pivot: usize) -> usize {
        self.swap(a, pivot);
        let (mut i, mut j) = (a as isize + 1, b as isize - 1);
        loop {
            while i <= j && !self.less(a, i as usize) {
                i += 1;
            }
            while i <= j && self.less(a, j as usize) {
                j -= 1;
            }
            if i > j {
                break;
            }
            self.swap(i as usize, j as usize);
            i += 1;
            j -= 1;
        }
        i as usize
    }

    fn partial_insertion_sort(&mut self, a: usize, b: usize) -> bool {
        const MAX_STEPS: usize = 5;
        const SHORTEST_SHIFTING: usize = 50;
        let mut i = a + 1;
        for _ in 0..MAX_STEPS {
            while i < b && !self.less(i, i - 1) {
                i += 1;
            }
            if i == b {
                return true;
            }
            if b - a < SHORTEST_SHIFTING {
                return false;
            }
            self.swap(i, i - 1);
            if i - a >= 2 {
                let mut j = i - 1;
                while j >= 1 {
                    if !self.less(j, j - 1) {
                        break;
                    }
                    self.swap(j, j - 1);
                    j -= 1;
                }
            }
            if b - i >= 2 {
                let mut j = i + 1;
                while j < b {
                    if !self.less(j, j - 1) {
                        break;
                    }
                    self.swap(j, j - 1);
                    j += 1;
                }
            }
        }
        false
    }

    fn break_patterns(&mut self, a: usize, b: usize) {
        let length = b - a;
        if length >= 8 {
            // Go 1.23's xorshift (its shift constants were changed in Go 1.24).
            let mut random = length as u64;
            let modulus = 1usize << bit_len(length);
            let start = a + (length / 4) * 2 - 1;
            for idx in start..=start + 2 {
                random ^= random << 13;
                random ^= random >> 17;
                random ^= random << 5;
                let mut other = (random as usize) & (modulus - 1);
                if other >= length {
                    other -= length;
                }
                self.swap(idx, a + other);
            }
        }
    }

    fn choose_pivot(&mut self, a: usize, b: usize) -> (usize, SortedHint) {
        const SHORTEST_NINTHER: usize = 50;
        const MAX_SWAPS: usize = 4 * 3;
        let l = b - a;
        let mut swaps = 0;
        let mut i = a + l / 4;
        let mut j = a + l / 4 * 2;
        let mut k = a + l / 4 * 3;
        if l >= 8 {
            if l >= SHORTEST_NINTHER {
                i = self.median(i - 1, i, i + 1, &mut swaps);
                j = self.median(j - 1, j, j + 1, &mut swaps);
                k = self.median(k - 1, k, k + 1, &mut swaps);
            }
            j = self.median(i, j, k, &mut swaps);
        }
        match swaps {
            0 => (j, SortedHint::Increasing),
            MAX_SWAPS => (j, SortedHint::Decreasing),
            _ => (j, SortedHint::Unknown),
        }
    }

    fn order2(&self, a: usize, b: usize, swaps: &mut usize) -> (usize, usize) {
        if self.less(b, a) {
            *swaps += 1;
            (b, a)
        } else {
            (a, b)
        }
    }

    fn median(&self, a: usize, b: usize, c: usize, swaps: &mut usize) -> usize {
        let (a, b) = self.order2(a, b, swaps);
        let (b, _c) = self.order2(b, c, swaps);
        let (_a, b) = self.order2(a, b, swaps);
        b
    }

    fn reverse_range(&mut self, a: usize, b: usize) {
        let (mut i, mut j) = (a, b - 1);
        while i < j {
            self.swap(i, j);
            i += 1;
            j -= 1;
        }
    }
}

/// Splits a field-spec path on `/`; a `\` before a `/` keeps the slash in the
/// segment (kustomize's `PathSplitter`). A leading `/` is ignored.
pub fn split_path(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

/// Calls `f` on every field of `node` (an object of kind `gvk`) that `spec`
/// selects, creating missing maps and the final field when `spec.create`
/// (kustomize's `fsslice`/`fieldspec` filters). A created field starts null.
///
/// What kustomize does, and so this:
/// - a list met before the path ends is walked element by element with the
///   same remaining path, whether or not the path says `x[]`;
/// - `x[]` is never created, and an existing `x: null` becomes `x: []`;
/// - a null field before the path ends stops the walk, unless creating, which
///   turns it into a map;
/// - the final field is passed to `f` even when it is null (`f` decides; with
///   `create`, a missing final field is added as null first);
/// - a scalar before the path ends is an error.
pub fn apply_to_fields(
    node: &mut Node,
    gvk: &Gvk,
    spec: &FieldSpec,
    f: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    if !spec.selects(gvk) {
        return Ok(());
    }
    let path = split_path(&spec.path);
    let id = object_id(node);
    walk(node, &path, spec.create, f)
        .map_err(|e| e.context(format!("considering field '{}' of object {id}", spec.path)))
}

/// kyaml's `ResId.String()` of an object: `Kind.version.group/name.namespace`.
fn object_id(node: &Node) -> String {
    let kind = node.str_at(&["kind"]).unwrap_or("");
    let gvk = Gvk::from_api_version(node.str_at(&["apiVersion"]).unwrap_or(""), kind);
    let or = |s: &str, empty: &'static str| if s.is_empty() { empty } else { s }.to_string();
    format!(
        "{}/{}.{}",
        gvk_display(&gvk),
        or(node.str_at(&["metadata", "name"]).unwrap_or(""), "[noName]"),
        or(
            node.str_at(&["metadata", "namespace"]).unwrap_or(""),
            "[noNs]"
        ),
    )
}

/// kyaml's `Gvk.String()`: `Kind.version.group`, with `[noKind]`,
/// `[noVer]`, `[noGrp]` for empty parts (used in kustomize's messages).
pub fn gvk_display(gvk: &Gvk) -> String {
    let or = |s: &str, empty: &'static str| if s.is_empty() { empty } else { s }.to_string();
    format!(
        "{}.{}.{}",
        or(&gvk.kind, "[noKind]"),
        or(&gvk.version, "[noVer]"),
        or(&gvk.group, "[noGrp]")
    )
}

/// The text kyaml holds for a scalar field: as written for a plain scalar
/// that is not a string (`1.10`, `~`), else its canonical text; "" for
/// collections.
pub fn scalar_value_text(node: &Node) -> String {
    if let Some(plain) = &node.plain {
        return plain.to_string();
    }
    node.scalar_text().unwrap_or_default()
}

/// kyaml's node kind names, for "wrong node kind" errors.
pub fn node_kind_name(node: &Node) -> &'static str {
    match node.value {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

/// kyaml's "wrong node kind" error.
pub fn wrong_kind(expected: &str, node: &Node) -> Error {
    transformer_error(format!(
        "wrong node kind: expected {expected} but got {}",
        node_kind_name(node)
    ))
    .at(node.span)
}

/// kustomize's `SetEntry(key, value)` on a field a spec reached (labels,
/// annotations). A null field becomes a mapping only when the spec creates;
/// otherwise kustomize leaves it null (probed: a Job's
/// `spec/selector/matchLabels: null` stays null under commonLabels).
pub fn set_map_entry(field: &mut Node, key: &str, value: Node, create: bool) -> Result<()> {
    match &mut field.value {
        Value::Null if create => {
            let mut m = Mapping::new();
            m.insert(Key::new(key), value);
            field.value = Value::Map(m);
            field.plain = None;
            Ok(())
        }
        Value::Null => Ok(()),
        Value::Map(m) => {
            match m.get_mut(key) {
                Some(slot) => *slot = value,
                None => {
                    m.insert(Key::new(key), value);
                }
            }
            Ok(())
        }
        _ => Err(wrong_kind("MappingNode", field)),
    }
}

/// kustomize's `SetEntry("", value)`: replaces a scalar or null field; a
/// collection is an error.
pub fn set_scalar(field: &mut Node, value: Value) -> Result<()> {
    if matches!(field.value, Value::Map(_) | Value::Seq(_)) {
        return Err(wrong_kind("ScalarNode", field));
    }
    field.value = value;
    field.plain = None;
    Ok(())
}

fn transformer_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Transformer, message)
}

fn walk(
    node: &mut Node,
    path: &[String],
    create: bool,
    f: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    if path.is_empty() {
        return f(node);
    }
    let span = node.span;
    match &mut node.value {
        Value::Null => Ok(()),
        Value::Seq(items) => {
            for item in items.iter_mut() {
                walk(item, path, create, f).map_err(|e| {
                    e.context(format!("visit traversal on path: [{}]", path.join(" ")))
                })?;
            }
            Ok(())
        }
        Value::Map(map) => walk_map(map, path, create, f),
        _ => Err(transformer_error("expected sequence or mapping node").at(span)),
    }
}

/// Go's `strconv.Atoi` accepts this text (kyaml then reads the path part as
/// a list index).
fn is_go_int(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn walk_map(
    map: &mut Mapping,
    path: &[String],
    create: bool,
    f: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    let (part, rest) = (&path[0], &path[1..]);
    let (name, is_seq) = match part.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (part.as_str(), false),
    };
    if name.is_empty() {
        return Err(transformer_error(
            "cannot set or create an empty field name",
        ));
    }
    // kyaml's path lookup trims each part and drops empty ones (so a blank
    // part names the map itself), and reads list-index syntax, which a map
    // refuses.
    let key = name.trim();
    if key.is_empty() {
        let mut here = Node::new(Value::Map(std::mem::take(map)));
        let result = walk(&mut here, rest, create, f);
        if let Value::Map(m) = here.value {
            *map = m;
        }
        return result;
    }
    if key == "*" {
        return Err(transformer_error(format!(
            "fieldName: {name}: wildcard is not supported in PathGetter"
        )));
    }
    if is_go_int(key) || key == "-" || (key.starts_with('[') && key.ends_with(']')) {
        return Err(transformer_error(format!(
            "fieldName: {name}: wrong node kind: expected SequenceNode but got MappingNode"
        )));
    }

    let last = rest.is_empty();
    let creating = create && !is_seq;
    if !map.contains_key(key) {
        if !creating {
            return Ok(());
        }
        let fresh = if last { Node::null() } else { Node::map() };
        map.insert(Key::new(key), fresh);
    }
    let Some(field) = map.get_mut(key) else {
        return Ok(());
    };
    if field.is_null() {
        if is_seq {
            field.value = Value::Seq(Vec::new());
        } else if creating && !last {
            field.value = Value::Map(Mapping::new());
        }
    }
    walk(field, rest, create, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(Key::new(k), v);
        }
        Node::new(Value::Map(m))
    }

    fn s(v: &str) -> Node {
        Node::string(v)
    }

    fn deployment() -> Node {
        map(vec![
            ("apiVersion", s("apps/v1")),
            ("kind", s("Deployment")),
            ("metadata", map(vec![("name", s("web"))])),
            (
                "spec",
                map(vec![(
                    "template",
                    map(vec![(
                        "spec",
                        map(vec![(
                            "containers",
                            Node::seq(vec![
                                map(vec![("name", s("a")), ("image", s("nginx"))]),
                                map(vec![("name", s("b"))]),
                            ]),
                        )]),
                    )]),
                )]),
            ),
        ])
    }

    fn set_to(value: &'static str) -> impl FnMut(&mut Node) -> Result<()> {
        move |n: &mut Node| {
            *n = Node::string(value);
            Ok(())
        }
    }

    fn gvk_of(node: &Node) -> Gvk {
        Gvk::from_api_version(
            node.str_at(&["apiVersion"]).unwrap_or(""),
            node.str_at(&["kind"]).unwrap_or(""),
        )
    }

    #[test]
    fn splits_paths_with_escaped_slashes() {
        assert_eq!(split_path("a/b/c"), vec!["a", "b", "c"]);
        assert_eq!(split_path("/a/b"), vec!["a", "b"]);
        assert_eq!(
            split_path(r"metadata/annotations/example.com\/x"),
            vec!["metadata", "annotations", "example.com/x"]
        );
        assert_eq!(split_path(""), vec![""]);
    }

    #[test]
    fn walks_lists_with_and_without_brackets() {
        for path in [
            "spec/template/spec/containers[]/image",
            "spec/template/spec/containers/image",
        ] {
            let mut d = deployment();
            let gvk = gvk_of(&d);
            let spec = FieldSpec::new("", "", "", path, false);
            let mut seen = 0;
            apply_to_fields(&mut d, &gvk, &spec, &mut |n| {
                seen += 1;
                *n = Node::string("x");
                Ok(())
            })
            .unwrap();
            // Only the container that has an image; nothing is created.
            assert_eq!(seen, 1, "{path}");
            let c = d
                .get_path(&["spec", "template", "spec", "containers"])
                .unwrap();
            assert_eq!(c.as_seq().unwrap()[0].str_at(&["image"]), Some("x"));
            assert!(c.as_seq().unwrap()[1].get("image").is_none());
        }
    }

    #[test]
    fn creates_maps_and_final_field_but_never_lists() {
        let mut d = deployment();
        let gvk = gvk_of(&d);
        let spec = FieldSpec::new("", "", "Deployment", "spec/selector/matchLabels", true);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("v")).unwrap();
        assert_eq!(d.str_at(&["spec", "selector", "matchLabels"]), Some("v"));

        // Creating through a list path creates nothing (transformersarrays).
        let spec = FieldSpec::new("", "", "", "spec/volumes[]/name", true);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("v")).unwrap();
        assert!(d.get_path(&["spec", "volumes"]).is_none());
        // Within an existing list, missing fields of elements are created.
        let spec = FieldSpec::new("", "", "", "spec/template/spec/containers[]/image", true);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("i")).unwrap();
        let c = d
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        assert_eq!(c.as_seq().unwrap()[1].str_at(&["image"]), Some("i"));
    }

    #[test]
    fn created_final_field_starts_null() {
        let mut d = deployment();
        let gvk = gvk_of(&d);
        let spec = FieldSpec::new("", "", "", "metadata/labels", true);
        let mut was_null = false;
        apply_to_fields(&mut d, &gvk, &spec, &mut |n| {
            was_null = n.is_null();
            Ok(())
        })
        .unwrap();
        assert!(was_null);
        assert!(d.get_path(&["metadata", "labels"]).unwrap().is_null());
    }

    #[test]
    fn null_list_hint_becomes_empty_list() {
        // kubectl: `initContainers: null` becomes `initContainers: []` under
        // the images transformer's `spec/template/spec/initContainers[]/image`.
        let mut d = deployment();
        d.get_path_mut(&["spec", "template", "spec"])
            .unwrap()
            .set("initContainers", Node::null());
        let gvk = gvk_of(&d);
        let spec = FieldSpec::new(
            "",
            "",
            "",
            "spec/template/spec/initContainers[]/image",
            true,
        );
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("x")).unwrap();
        let ic = d
            .get_path(&["spec", "template", "spec", "initContainers"])
            .unwrap();
        assert_eq!(ic.as_seq().map(Vec::len), Some(0));
    }

    #[test]
    fn null_intermediate_stops_unless_creating() {
        let mut d = deployment();
        d.set("status", Node::null());
        let gvk = gvk_of(&d);
        let spec = FieldSpec::new("", "", "", "status/x", false);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("v")).unwrap();
        assert!(d.get("status").unwrap().is_null());
        let spec = FieldSpec::new("", "", "", "status/x", true);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("v")).unwrap();
        assert_eq!(d.str_at(&["status", "x"]), Some("v"));
    }

    #[test]
    fn gvk_must_match() {
        let mut d = deployment();
        let gvk = gvk_of(&d);
        for (g, v, k) in [("batch", "", ""), ("", "v2", ""), ("", "", "Service")] {
            let spec = FieldSpec::new(g, v, k, "metadata/name", false);
            apply_to_fields(&mut d, &gvk, &spec, &mut set_to("changed")).unwrap();
            assert_eq!(d.str_at(&["metadata", "name"]), Some("web"));
        }
        let spec = FieldSpec::new("apps", "v1", "Deployment", "metadata/name", false);
        apply_to_fields(&mut d, &gvk, &spec, &mut set_to("changed")).unwrap();
        assert_eq!(d.str_at(&["metadata", "name"]), Some("changed"));
    }

    #[test]
    fn scalar_in_the_way_is_an_error() {
        let mut d = deployment();
        let gvk = gvk_of(&d);
        let spec = FieldSpec::new("", "", "", "metadata/name/x", true);
        let err = apply_to_fields(&mut d, &gvk, &spec, &mut set_to("v")).unwrap_err();
        assert_eq!(
            err.message,
            "considering field 'metadata/name/x' of object \
             Deployment.v1.apps/web.[noNs]: expected sequence or mapping node"
        );
    }

    #[test]
    fn defaults_match_kustomize_tables() {
        let d = TransformerConfig::defaults();
        assert_eq!(
            d.name_prefix,
            vec![FieldSpec::new("", "", "", "metadata/name", false)]
        );
        // commonLabels carries the joined metadata-labels list (22 + 10 specs).
        assert_eq!(d.common_labels.len(), 32);
        assert_eq!(d.template_labels.len(), 10);
        assert!(d.labels.is_empty());
        assert!(d.common_labels.contains(&FieldSpec::new(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/spec/template/metadata/labels",
            true
        )));
        // Sorted as kustomize sorts them: kubectl lists the replicas GVKs in
        // this order in "does not match a config" errors.
        let kinds: Vec<&str> = d.replicas.iter().map(|s| s.gvk.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "Deployment",
                "StatefulSet",
                "ReplicaSet",
                "ReplicationController"
            ]
        );
        assert!(d.name_reference.iter().any(|b| b.gvk.kind == "ConfigMap"
            && b.referrers
                .iter()
                .any(|r| r.path == "spec/volumes/configMap/name")));
    }

    fn config_node() -> Node {
        // commonLabels: [{kind: Pod, path: x/y, create: true}]
        map(vec![(
            "commonLabels",
            Node::seq(vec![map(vec![
                ("kind", s("Pod")),
                ("path", s("x/y")),
                ("create", Node::new(Value::Bool(true))),
            ])]),
        )])
    }

    #[test]
    fn reads_configurations() {
        let c = TransformerConfig::from_node(&config_node()).unwrap();
        assert_eq!(
            c.common_labels,
            vec![FieldSpec::new("", "", "Pod", "x/y", true)]
        );

        let nbr = map(vec![(
            "nameReference",
            Node::seq(vec![map(vec![
                ("kind", s("Bee")),
                ("version", s("v1beta1")),
                (
                    "fieldSpecs",
                    Node::seq(vec![map(vec![
                        ("path", s("spec/bee")),
                        ("kind", s("Hive")),
                    ])]),
                ),
            ])]),
        )]);
        let c = TransformerConfig::from_node(&nbr).unwrap();
        assert_eq!(
            c.name_reference,
            vec![NameBackReference {
                gvk: Gvk::new("", "v1beta1", "Bee"),
                referrers: vec![FieldSpec::new("", "", "Hive", "spec/bee", false)],
            }]
        );
        assert_eq!(
            TransformerConfig::from_node(&Node::null()).unwrap(),
            TransformerConfig::default()
        );
    }

    #[test]
    fn rejects_unknown_keys_as_kustomize_does() {
        // Messages probed with kubectl kustomize.
        let bogus = map(vec![("bogus", Node::seq(vec![]))]);
        assert_eq!(
            TransformerConfig::from_node(&bogus).unwrap_err().message,
            "error unmarshaling JSON: while decoding JSON: json: unknown field \"bogus\""
        );
        let bogus = map(vec![(
            "commonLabels",
            Node::seq(vec![map(vec![("path", s("a")), ("bogus", s("1"))])]),
        )]);
        assert_eq!(
            TransformerConfig::from_node(&bogus).unwrap_err().message,
            "error unmarshaling JSON: while decoding JSON: json: unknown field \"bogus\""
        );
        let wrong = map(vec![(
            "images",
            Node::seq(vec![map(vec![("create", s("yes"))])]),
        )]);
        assert!(TransformerConfig::from_node(&wrong).is_err());
    }

    #[test]
    fn merge_skips_duplicates_and_refuses_conflicts() {
        let mut d = TransformerConfig::defaults();
        let before = d.common_labels.len();
        let extra = TransformerConfig::from_node(&config_node()).unwrap();
        d.merge(&extra).unwrap();
        assert_eq!(d.common_labels.len(), before + 1);
        d.merge(&extra).unwrap();
        assert_eq!(d.common_labels.len(), before + 1);

        // Same key as the default `metadata/labels` but create: false.
        let conflict = map(vec![(
            "commonLabels",
            Node::seq(vec![map(vec![
                ("path", s("metadata/labels")),
                ("create", Node::new(Value::Bool(false))),
            ])]),
        )]);
        let conflict = TransformerConfig::from_node(&conflict).unwrap();
        let snapshot = d.clone();
        let err = d.merge(&conflict).unwrap_err();
        assert_eq!(
            err.message,
            "failed to merge CommonLabels fieldSpec: conflicting fieldspecs"
        );
        assert_eq!(d, snapshot);
    }

    #[test]
    fn merge_is_asymmetric_like_kustomize() {
        // An incoming spec for any kind matches an existing spec for one
        // kind (and is dropped); the reverse does not match.
        let mut list = vec![FieldSpec::new("", "", "Pod", "a", false)];
        merge_field_specs(&mut list, &[FieldSpec::new("", "", "", "a", false)]).unwrap();
        assert_eq!(list.len(), 1);
        let mut list = vec![FieldSpec::new("", "", "", "a", false)];
        merge_field_specs(&mut list, &[FieldSpec::new("", "", "Pod", "a", false)]).unwrap();
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn merges_name_references_by_target() {
        let mut d = TransformerConfig::defaults();
        let n = d.name_reference.len();
        let cm = d
            .name_reference
            .iter()
            .find(|b| b.gvk == Gvk::new("", "v1", "ConfigMap"))
            .unwrap()
            .referrers
            .len();
        let extra = TransformerConfig {
            name_reference: vec![
                NameBackReference {
                    gvk: Gvk::new("", "v1", "ConfigMap"),
                    referrers: vec![FieldSpec::new("", "", "Foo", "spec/cm", false)],
                },
                NameBackReference {
                    gvk: Gvk::new("x", "v1", "Bar"),
                    referrers: vec![FieldSpec::new("", "", "Foo", "spec/bar", false)],
                },
            ],
            ..Default::default()
        };
        d.merge(&extra).unwrap();
        assert_eq!(d.name_reference.len(), n + 1);
        let merged = d
            .name_reference
            .iter()
            .find(|b| b.gvk == Gvk::new("", "v1", "ConfigMap"))
            .unwrap();
        assert_eq!(merged.referrers.len(), cm + 1);
        assert_eq!(merged.referrers.last().unwrap().path, "spec/cm");
    }

    #[test]
    fn go_sort_sorts_and_matches_go_for_small_inputs() {
        // Up to 12 elements Go uses insertion sort, which is stable.
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        go_sort(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        // Larger inputs exercise pdqsort's partitions, heap sort fallback
        // and pattern breaking; the result must be sorted.
        let mut seed = 12345u64;
        for n in [13usize, 40, 50, 100, 1000] {
            let mut v: Vec<u64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 33) % 17
                })
                .collect();
            go_sort(&mut v, |a, b| a < b);
            assert!(v.windows(2).all(|w| w[0] <= w[1]), "n={n}");
            let mut desc: Vec<usize> = (0..n).rev().collect();
            go_sort(&mut desc, |a, b| a < b);
            assert!(desc.windows(2).all(|w| w[0] <= w[1]), "n={n}");
        }
    }
}
