//! Evaluation: a [`Template`] and variable values → the substituted text, plus a report
//! of the references whose variable was not set.
//!
//! As in Flux, every reference is evaluated, arguments first and then the reference's
//! own variable, even when a default is not needed. So after a successful evaluation
//! the report lists exactly the references whose name the lookup did not know, in the
//! order Flux looks them up.

use super::error::EnvsubstError;
use super::funcs;
use super::parse::parse;
use super::tree::{Node, Reference, Template};
use std::ops::Range;

/// The result of a successful substitution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluated<'s> {
    /// The substituted text.
    pub output: String,
    /// References whose variable the lookup did not know. They were substituted as if
    /// the variable were `""` (non-strict mode, or strict mode with a default operator).
    /// Empty, and not allocated, when every variable was set.
    pub unresolved: Vec<Unresolved<'s>>,
}

/// A reference to a variable that was not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved<'s> {
    /// The variable name, borrowed from the template.
    pub name: &'s str,
    /// Byte range of the name in the template.
    pub name_span: Range<usize>,
    /// Byte range of the whole `${...}` in the template.
    pub span: Range<usize>,
    /// Whether the reference's operator supplies a fallback (`${V:-x}`, `${V=x}`, ...).
    /// A plain `${V}` nested inside another reference's default has no default itself.
    pub has_default: bool,
}

impl<'s> Template<'s> {
    /// Substitutes the template. `lookup` returns a variable's value, or `None` when it
    /// is not set.
    ///
    /// Non-strict (`strict == false`): an unset variable reads as `""`, as Flux does
    /// when its strict post-build substitution is off. Strict: an unset variable fails
    /// with "variable not set (strict mode)" unless its operator supplies a default
    /// (`=`, `:=`, `:-`, `:?`, `:+`); there is no check for empty values.
    pub fn evaluate<V: AsRef<str>>(
        &self,
        lookup: impl Fn(&str) -> Option<V>,
        strict: bool,
    ) -> Result<Evaluated<'s>, EnvsubstError> {
        let mut evaluator = Evaluator {
            lookup,
            strict,
            unresolved: Vec::new(),
        };
        let mut output = Vec::with_capacity(self.source.len());
        evaluator.nodes(&self.nodes, &mut output)?;
        let output = String::from_utf8(output).map_err(|err| EnvsubstError::InvalidUtf8 {
            offset: err.utf8_error().valid_up_to(),
        })?;
        Ok(Evaluated {
            output,
            unresolved: evaluator.unresolved,
        })
    }
}

/// Parses and substitutes `template` in one step (Flux's `envsubst.Eval`); see
/// [`Template::evaluate`] for `lookup` and `strict`. Names in the report borrow from
/// `template`.
pub fn eval<V: AsRef<str>>(
    template: &str,
    lookup: impl Fn(&str) -> Option<V>,
    strict: bool,
) -> Result<Evaluated<'_>, EnvsubstError> {
    parse(template)?.evaluate(lookup, strict)
}

/// Substitutes `input` with the variables of the process environment (Flux's
/// `envsubst.EvalEnv`, behind `flux envsubst [--strict]`). A value that is not valid
/// Unicode is read lossily.
pub fn envsubst_env(input: &str, strict: bool) -> Result<String, EnvsubstError> {
    let lookup =
        |name: &str| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned());
    Ok(eval(input, lookup, strict)?.output)
}

struct Evaluator<'s, F> {
    lookup: F,
    strict: bool,
    unresolved: Vec<Unresolved<'s>>,
}

impl<'s, F, V> Evaluator<'s, F>
where
    F: Fn(&str) -> Option<V>,
    V: AsRef<str>,
{
    fn nodes(&mut self, nodes: &[Node<'s>], out: &mut Vec<u8>) -> Result<(), EnvsubstError> {
        nodes.iter().try_for_each(|node| self.node(node, out))
    }

    fn node(&mut self, node: &Node<'s>, out: &mut Vec<u8>) -> Result<(), EnvsubstError> {
        match node {
            Node::Text(text) => {
                out.extend_from_slice(text.value.as_bytes());
                Ok(())
            }
            Node::Reference(reference) => self.reference(reference, out),
        }
    }

    fn reference(
        &mut self,
        reference: &Reference<'s>,
        out: &mut Vec<u8>,
    ) -> Result<(), EnvsubstError> {
        let mut args = Vec::with_capacity(reference.args.len());
        for arg in &reference.args {
            let mut value = Vec::new();
            self.node(arg, &mut value)?;
            args.push(value);
        }
        let found = (self.lookup)(reference.name);
        let value = match &found {
            Some(value) => value.as_ref(),
            None => {
                let has_default = reference.operator.supplies_default();
                if self.strict && !has_default {
                    return Err(EnvsubstError::VarNotSet {
                        name: reference.name.to_owned(),
                        span: reference.span.clone(),
                    });
                }
                self.unresolved.push(Unresolved {
                    name: reference.name,
                    name_span: reference.name_span.clone(),
                    span: reference.span.clone(),
                    has_default,
                });
                ""
            }
        };
        funcs::apply(reference.operator, value, &args, out).map_err(|bounds| {
            EnvsubstError::SliceBounds {
                low: bounds.low,
                high: bounds.high,
                span: reference.span.clone(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn run(template: &str, pairs: &[(&str, &str)], strict: bool) -> Result<String, String> {
        let vars = vars(pairs);
        eval(template, |name| vars.get(name), strict)
            .map(|done| done.output)
            .map_err(|err| err.to_string())
    }

    #[test]
    fn substitutes_references_and_keeps_text() {
        let v = [("var01", "abcdEFGH28ij")];
        assert_eq!(
            run("some text ${var01}$${var$${var01}$var01${var01}", &v, false).unwrap(),
            "some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij"
        );
        assert_eq!(
            run(r"\\something ${x}", &[("x", "y")], false).unwrap(),
            r"\\something y"
        );
        assert_eq!(run("", &[], true).unwrap(), "");
    }

    #[test]
    fn nested_defaults() {
        let v = [("default_var", "foo")];
        assert_eq!(run("${var=${default_var}}", &v, false).unwrap(), "foo");
        assert_eq!(
            run("${var=pre${default_var}-suf}", &v, false).unwrap(),
            "prefoo-suf"
        );
        assert_eq!(
            run("something $${var=${default_var}}", &v, false).unwrap(),
            "something ${var=foo}"
        );
        assert_eq!(run("${v:-a}", &[("v", "")], true).unwrap(), "a");
    }

    #[test]
    fn strict_mode_fails_on_unset_names_without_default() {
        for template in [
            "${missing}",
            "${#missing}",
            "${missing^}",
            "${missing,,}",
            "${missing:0:10}",
            "${missing/%p/r}",
            "${missing%%p}",
        ] {
            assert_eq!(
                run(template, &[], true).unwrap_err(),
                r#"variable not set (strict mode): "missing""#,
                "{template}"
            );
        }
        for template in [
            "${missing:-d}",
            "${missing:=d}",
            "${missing=d}",
            "${missing:+d}",
            "${missing:?d}",
        ] {
            assert_eq!(run(template, &[], true).unwrap(), "d", "{template}");
        }
        // Set but empty is set.
        assert_eq!(run("${foo}", &[("foo", "")], true).unwrap(), "");
        // Arguments are evaluated first, and even when the default is not needed.
        assert_eq!(
            run("${a:-${b}}", &[("a", "x")], true).unwrap_err(),
            r#"variable not set (strict mode): "b""#
        );
        assert_eq!(run("${a^^:-}", &[], true).unwrap_err(), "bad substitution");
    }

    #[test]
    fn non_strict_reads_unset_as_empty() {
        assert_eq!(run("[${missing}]", &[], false).unwrap(), "[]");
        assert_eq!(run("${#missing}", &[], false).unwrap(), "0");
    }

    #[test]
    fn unresolved_references_are_reported_with_positions() {
        let template = "a: ${x}\nb: ${y:-${z}}\nc: ${set}";
        let vars = vars(&[("set", "1")]);
        let err = eval(template, |name| vars.get(name), true).unwrap_err();
        let expected = EnvsubstError::VarNotSet {
            name: "x".into(),
            span: 3..7,
        };
        assert_eq!(err, expected);

        let done = eval(template, |name| vars.get(name), false).unwrap();
        assert_eq!(done.output, "a: \nb: \nc: 1");
        let report: Vec<_> = done
            .unresolved
            .iter()
            .map(|u| (u.name, &template[u.span.clone()], u.has_default))
            .collect();
        // `z` is looked up before `y`: arguments come first.
        assert_eq!(
            report,
            [
                ("x", "${x}", false),
                ("z", "${z}", false),
                ("y", "${y:-${z}}", true)
            ]
        );
        assert_eq!(&template[done.unresolved[0].name_span.clone()], "x");

        let strict = eval("${y:-d}", |name| vars.get(name), true).unwrap();
        assert_eq!(strict.output, "d");
        assert_eq!(strict.unresolved.len(), 1);
        assert!(strict.unresolved[0].has_default);

        let all_set = eval("${set}", |name| vars.get(name), true).unwrap();
        assert!(all_set.unresolved.is_empty());
    }

    #[test]
    fn a_parsed_template_evaluates_many_times() {
        let template = parse("${n:-none}").unwrap();
        assert_eq!(template.evaluate(|_| Some("1"), true).unwrap().output, "1");
        assert_eq!(
            template.evaluate(|_| None::<&str>, true).unwrap().output,
            "none"
        );
    }

    #[test]
    fn substring_panics_and_invalid_utf8_are_errors() {
        assert_eq!(
            run("${x:2:-1}", &[("x", "hello")], false).unwrap_err(),
            "runtime error: slice bounds out of range [2:1]"
        );
        assert!(matches!(
            eval("${x:0:1}", |_| Some("é"), false),
            Err(EnvsubstError::InvalidUtf8 { offset: 0 })
        ));
        // Two halves of one character joined again are fine.
        assert_eq!(run("${x:0:1}${x:1}", &[("x", "é")], false).unwrap(), "é");
    }

    #[test]
    fn the_deepest_accepted_nesting_evaluates() {
        use crate::flux::envsubst::MAX_NESTING;
        let deep = "${a:-".repeat(MAX_NESTING - 1) + "${b}" + &"}".repeat(MAX_NESTING - 1);
        assert_eq!(run(&deep, &[("b", "x")], true).unwrap(), "x");
    }

    #[test]
    fn envsubst_env_reads_the_process_environment() {
        let path = std::env::var("PATH").unwrap_or_default();
        assert_eq!(envsubst_env("${PATH}", false).unwrap(), path);
        let unset = "${FLUXLINT_ENVSUBST_TEST_UNSET_7f3a}";
        assert_eq!(envsubst_env(unset, false).unwrap(), "");
        assert!(envsubst_env(unset, true).is_err());
    }
}
