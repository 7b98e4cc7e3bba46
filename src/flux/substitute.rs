//! postBuild substitution as kustomize-controller runs it on every rendered
//! object (fluxcd/pkg `kustomize/kustomize_varsub.go`, flux-semantics.md §5):
//! the object's YAML text (kustomize's own printing) goes through Flux's
//! envsubst and is read back, so `replicas: ${R}` becomes an integer.
//!
//! Beside the substituted object, [`find_unresolved`] walks the object
//! *before* substitution and reports every `${VAR}` that no variable set,
//! with the span of the scalar it was written in, so a finding can point at
//! the line and column in the source file.

use super::envsubst::{self, EnvsubstError};
use crate::source::Span;
use crate::yaml::{self, emit_document, LoadOptions, Node, Value};
use indexmap::IndexMap;

/// Label or annotation that opts an object out of substitution.
pub const SUBSTITUTE_KEY: &str = "kustomize.toolkit.fluxcd.io/substitute";

/// `spec.postBuild.substituteStrategy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Substitute only when some variable is defined (Flux's default).
    #[default]
    WithVariables,
    /// Substitute even with no variables (so `$$` and defaults apply).
    Always,
}

impl Strategy {
    pub fn parse(text: Option<&str>) -> Strategy {
        match text {
            Some("Always") => Strategy::Always,
            _ => Strategy::WithVariables,
        }
    }
}

/// The variables and mode of one Flux Kustomization.
#[derive(Clone, Debug, Default)]
pub struct Substitution {
    pub vars: IndexMap<String, String>,
    /// Strict mode: an unset variable without a default is an error.
    pub strict: bool,
    pub strategy: Strategy,
    /// Some source's values are unknown offline (made in the cluster): an
    /// unset variable may come from it, so it stays `${NAME}` in the output
    /// and is neither an error nor reported unresolved.
    pub keep_unset: bool,
}

/// Why an object could not be substituted.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SubstituteError {
    #[error("'{0}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'")]
    InvalidName(String),
    #[error("envsubst error: variable substitution failed: {0}")]
    Envsubst(#[from] EnvsubstError),
    #[error("YAMLToJSON: {0}")]
    Reparse(String),
}

/// Flux's merge of variables: `substituteFrom` maps in list order (later
/// ones win), then the inline `substitute` map wins over all of them. Every
/// `\n` is deleted from every value (`\r` is kept).
pub fn merge_variables<'a>(
    from: impl IntoIterator<Item = &'a IndexMap<String, String>>,
    inline: &'a IndexMap<String, String>,
) -> IndexMap<String, String> {
    let mut vars = IndexMap::new();
    for map in from.into_iter().chain([inline]) {
        for (k, v) in map {
            vars.insert(k.clone(), v.replace('\n', ""));
        }
    }
    vars
}

/// Flux's variable-name rule, checked when substitution runs.
pub fn check_names(vars: &IndexMap<String, String>) -> Result<(), SubstituteError> {
    for name in vars.keys() {
        let mut chars = name.chars();
        let ok = chars
            .next()
            .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !ok {
            return Err(SubstituteError::InvalidName(name.clone()));
        }
    }
    Ok(())
}

/// Whether the object opted out (label or annotation `…/substitute: disabled`).
pub fn is_disabled(object: &Node) -> bool {
    ["labels", "annotations"].iter().any(|field| {
        object
            .get_path(&["metadata", field, SUBSTITUTE_KEY])
            .and_then(Node::as_str)
            == Some("disabled")
    })
}

impl Substitution {
    /// Whether substitution runs at all (Flux skips it with no variables,
    /// unless the strategy is `Always`).
    pub fn runs(&self) -> bool {
        !self.vars.is_empty() || self.strategy == Strategy::Always
    }

    /// The object after substitution, or `None` when it is left as it is
    /// (no variables, or opted out).
    pub fn apply(&self, object: &Node) -> Result<Option<Node>, SubstituteError> {
        if !self.runs() || is_disabled(object) {
            return Ok(None);
        }
        check_names(&self.vars)?;
        let mut text = String::new();
        emit_document(object, &mut text);
        let keep = |name: &str| format!("${{{name}}}");
        let evaluated = if self.keep_unset {
            envsubst::eval(
                &text,
                |name| Some(self.vars.get(name).cloned().unwrap_or_else(|| keep(name))),
                false,
            )?
        } else {
            envsubst::eval(&text, |name| self.vars.get(name), self.strict)?
        };
        let docs = yaml::parse_documents(
            &evaluated.output,
            crate::source::FileId::NONE,
            &LoadOptions::default(),
        )
        .map_err(|e| SubstituteError::Reparse(e.message))?;
        let mut node = match docs.into_iter().find(|d| !d.is_null()) {
            Some(n) if n.as_map().is_some() => n,
            _ => {
                return Err(SubstituteError::Reparse(
                    "the substituted object is not a mapping".to_string(),
                ))
            }
        };
        // Flux reads the text back with go-yaml v2 (sigs.k8s.io/yaml), where
        // `yes`, `on`, `off`, `y`, `n` … are booleans.
        yaml11_booleans(&mut node);
        Ok(Some(node))
    }
}

fn yaml11_booleans(node: &mut Node) {
    match &mut node.value {
        Value::Str(_) => {
            if let Some(b) = node.plain.as_deref().and_then(yaml::resolve::yaml11_bool) {
                node.value = Value::Bool(b);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(yaml11_booleans),
        Value::Map(map) => map.values_mut().for_each(yaml11_booleans),
        _ => {}
    }
}

/// A `${VAR}` that substitution leaves without a value, where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnresolvedVariable {
    pub name: String,
    /// The reference's text, e.g. `${cluster_name}`.
    pub text: String,
    /// The span of the scalar (or key) that holds the reference.
    pub scalar_span: Span,
}

/// Every reference in `object` whose variable is not set and that has no
/// default, as Flux would see it (nothing when the object opted out or
/// substitution does not run). Strict mode makes these errors; non-strict
/// mode makes them empty strings.
pub fn find_unresolved(object: &Node, substitution: &Substitution) -> Vec<UnresolvedVariable> {
    let mut out = Vec::new();
    if !substitution.runs() || is_disabled(object) || substitution.keep_unset {
        return out;
    }
    walk_strings(object, &mut |text, span| {
        if !text.contains("${") {
            return;
        }
        let Ok(template) = envsubst::parse(text) else {
            return;
        };
        let Ok(evaluated) = template.evaluate(|name| substitution.vars.get(name), false) else {
            return;
        };
        for u in evaluated.unresolved.iter().filter(|u| !u.has_default) {
            out.push(UnresolvedVariable {
                name: u.name.to_string(),
                text: text[u.span.clone()].to_string(),
                scalar_span: span,
            });
        }
    });
    out
}

fn walk_strings(node: &Node, f: &mut dyn FnMut(&str, Span)) {
    match &node.value {
        Value::Str(s) => f(s, node.span),
        Value::Seq(items) => items.iter().for_each(|n| walk_strings(n, f)),
        Value::Map(map) => {
            for (k, v) in map {
                f(&k.name, k.span);
                walk_strings(v, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn object(text: &str) -> Node {
        yaml::parse_documents(text, FileId(0), &LoadOptions::default())
            .unwrap()
            .remove(0)
    }

    fn vars(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn numbers_become_numbers_and_yes_becomes_true() {
        let s = Substitution {
            vars: vars(&[("R", "3"), ("F", "yes")]),
            ..Default::default()
        };
        let obj =
            object("kind: Deployment\nspec:\n  replicas: ${R}\n  flag: ${F}\n  q: \"${R}\"\n");
        let out = s.apply(&obj).unwrap().unwrap();
        assert!(matches!(
            out.get_path(&["spec", "replicas"]).unwrap().value,
            Value::Int(3)
        ));
        assert!(matches!(
            out.get_path(&["spec", "flag"]).unwrap().value,
            Value::Bool(true)
        ));
        // Source quotes do not survive kustomize's printing.
        assert!(matches!(
            out.get_path(&["spec", "q"]).unwrap().value,
            Value::Int(3)
        ));
    }

    #[test]
    fn no_variables_means_no_substitution_unless_always() {
        let obj = object("kind: ConfigMap\ndata:\n  a: ${X:-d}\n  b: $$x\n");
        let off = Substitution::default();
        assert!(off.apply(&obj).unwrap().is_none());
        let always = Substitution {
            strategy: Strategy::Always,
            ..Default::default()
        };
        let out = always.apply(&obj).unwrap().unwrap();
        assert_eq!(out.str_at(&["data", "a"]), Some("d"));
        assert_eq!(out.str_at(&["data", "b"]), Some("$x"));
    }

    #[test]
    fn opt_out_label_and_annotation() {
        let s = Substitution {
            vars: vars(&[("A", "1")]),
            ..Default::default()
        };
        let obj = object(
            "kind: ConfigMap\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  a: ${A}\n",
        );
        assert!(s.apply(&obj).unwrap().is_none());
        assert!(find_unresolved(&obj, &s).is_empty());
    }

    #[test]
    fn strict_mode_fails_on_unset_variables() {
        let s = Substitution {
            vars: vars(&[("A", "1")]),
            strict: true,
            ..Default::default()
        };
        let obj = object("kind: ConfigMap\ndata:\n  a: ${B}\n");
        let err = s.apply(&obj).unwrap_err().to_string();
        assert!(
            err.contains("variable not set (strict mode): \"B\""),
            "{err}"
        );
    }

    #[test]
    fn unresolved_references_keep_their_scalar_span() {
        let s = Substitution {
            vars: vars(&[("A", "1")]),
            ..Default::default()
        };
        let text = "kind: ConfigMap\ndata:\n  a: x-${B}-${A}\n  b: ${C:-fine}\n  c: $${D}\n";
        let obj = object(text);
        let found = find_unresolved(&obj, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "B");
        assert_eq!(found[0].text, "${B}");
        let span = found[0].scalar_span;
        assert_eq!(&text[span.start as usize..span.end as usize], "x-${B}-${A}");
    }

    #[test]
    fn variables_merge_inline_last_and_drop_newlines() {
        let from = vars(&[("A", "from"), ("B", "x\ny")]);
        let inline = vars(&[("A", "inline")]);
        let merged = merge_variables([&from], &inline);
        assert_eq!(merged["A"], "inline");
        assert_eq!(merged["B"], "xy");
        assert!(check_names(&vars(&[("1x", "")])).is_err());
        assert!(check_names(&vars(&[("_ok9", "")])).is_ok());
    }
}
