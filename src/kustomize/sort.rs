//! Output order: kustomize's legacy sort (by kind rank, then GVK, then
//! namespace and name) or FIFO (`api/internal/builtins/SortOrderTransformer.go`).

use super::error::{Error, ErrorKind, Result};
use super::kustomization::SortOptions;
use super::resid::{Gvk, ResId};
use super::resmap::ResMap;
use std::cmp::Ordering;
use std::collections::HashMap;

pub(crate) const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
pub(crate) const DEFAULT_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The SortOrderTransformer: `None` options mean FIFO (nothing to do).
pub fn apply(rm: &mut ResMap, options: Option<&SortOptions>) -> Result<()> {
    let Some(options) = options else {
        return Ok(());
    };
    match options.order.as_str() {
        "fifo" => {
            if options.legacy_sort_options.is_some() {
                return Err(Error::new(
                    ErrorKind::Transformer,
                    "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
                ));
            }
            Ok(())
        }
        "legacy" => {
            let (first, last): (Vec<String>, Vec<String>) = match &options.legacy_sort_options {
                Some(l) => (l.order_first.clone(), l.order_last.clone()),
                None => (
                    DEFAULT_ORDER_FIRST.iter().map(|s| s.to_string()).collect(),
                    DEFAULT_ORDER_LAST.iter().map(|s| s.to_string()).collect(),
                ),
            };
            legacy_sort(rm, &first, &last);
            Ok(())
        }
        _ => Err(Error::new(
            ErrorKind::Transformer,
            "the field 'sortOptions.order' must be one of [fifo, legacy]",
        )),
    }
}

/// The default legacy sort (`--reorder legacy`).
pub fn legacy_default(rm: &mut ResMap) {
    let first: Vec<String> = DEFAULT_ORDER_FIRST.iter().map(|s| s.to_string()).collect();
    let last: Vec<String> = DEFAULT_ORDER_LAST.iter().map(|s| s.to_string()).collect();
    legacy_sort(rm, &first, &last);
}

fn legacy_sort(rm: &mut ResMap, first: &[String], last: &[String]) {
    let mut rank: HashMap<&str, i64> = HashMap::new();
    for (i, k) in first.iter().enumerate() {
        rank.insert(k, i as i64 - first.len() as i64);
    }
    for (i, k) in last.iter().enumerate() {
        rank.insert(k, 1 + i as i64);
    }
    let res = rm.resources_mut();
    let mut keyed: Vec<(ResId, _)> = res.drain(..).map(|r| (r.id(), r)).collect();
    keyed.sort_by(|(a, _), (b, _)| compare(a, b, &rank));
    res.extend(keyed.into_iter().map(|(_, r)| r));
}

fn compare(a: &ResId, b: &ResId, rank: &HashMap<&str, i64>) -> Ordering {
    if a.gvk != b.gvk {
        return gvk_compare(&a.gvk, &b.gvk, rank);
    }
    id_sort_string(a).cmp(&id_sort_string(b))
}

fn gvk_compare(a: &Gvk, b: &Gvk, rank: &HashMap<&str, i64>) -> Ordering {
    let ra = rank.get(a.kind.as_str()).copied().unwrap_or(0);
    let rb = rank.get(b.kind.as_str()).copied().unwrap_or(0);
    if ra != rb {
        return ra.cmp(&rb);
    }
    // kustomize reverses the order of two Namespaces when one is core.
    if a.kind == "Namespace" && b.kind == "Namespace" && (a.group.is_empty() || b.group.is_empty())
    {
        return b.sort_key().cmp(&a.sort_key());
    }
    a.sort_key().cmp(&b.sort_key())
}

fn id_sort_string(id: &ResId) -> String {
    let ns = if id.namespace.is_empty() {
        "~X"
    } else {
        &id.namespace
    };
    let name = if id.name.is_empty() { "~N" } else { &id.name };
    format!("{}|{}|{}", id.gvk, ns, name)
}
