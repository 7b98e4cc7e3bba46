//! `unknown-field`: a field the Flux API does not have (`dependOn`), which
//! the API server drops with only a warning, so the setting silently does
//! nothing. Reported once per place in the source, with a did-you-mean.

use super::CheckContext;
use crate::cluster::ClusterRun;
use crate::diag::{Diagnostic, Severity};
use crate::flux::model::parse_flux_object;
use std::collections::BTreeSet;

pub const RULES: &[(&str, &str)] = &[
    (
        "unknown-field",
        "a field the Flux API does not have: it is dropped and does nothing",
    ),
    (
        "invalid-flux-object",
        "a Flux object with a field of the wrong type",
    ),
];

pub fn check_fields(ctx: &CheckContext, clusters: &[ClusterRun], out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for c in clusters {
        for k in &c.kustomizations {
            for o in k.objects() {
                let Some(parsed) = parse_flux_object(&o.node) else {
                    continue;
                };
                let kind = o.node.str_at(&["kind"]).unwrap_or("");
                let name = o.node.str_at(&["metadata", "name"]).unwrap_or("");
                match parsed {
                    Ok(p) => {
                        for u in p.unknown_fields {
                            let Some((file, span)) = ctx.locate(u.span) else {
                                continue;
                            };
                            if !seen.insert((file.clone(), span)) {
                                continue;
                            }
                            let mut d = Diagnostic::new(
                                "unknown-field",
                                Severity::Warning,
                                format!(
                                    "{kind} {name}: unknown field `{}` (the API server drops it)",
                                    u.path
                                ),
                            )
                            .in_cluster(&c.name)
                            .for_kustomization(format!("{}/{}", k.namespace, k.name))
                            .at(file, Some(span));
                            if let Some(s) = u.suggestion {
                                d = d.note(format!("help: did you mean `{s}`?"));
                            }
                            if !u.in_versions.is_empty() {
                                d = d.note(format!(
                                    "the field exists in {}",
                                    u.in_versions.join(", ")
                                ));
                            }
                            out.push(d);
                        }
                    }
                    Err(e) => {
                        let Some((file, span)) = ctx.locate(e.span) else {
                            continue;
                        };
                        if !seen.insert((file.clone(), span)) {
                            continue;
                        }
                        out.push(
                            Diagnostic::new(
                                "invalid-flux-object",
                                Severity::Error,
                                format!("{kind} {name}: {}", e.message),
                            )
                            .in_cluster(&c.name)
                            .for_kustomization(format!("{}/{}", k.namespace, k.name))
                            .at(file, Some(span)),
                        );
                    }
                }
            }
        }
    }
}
