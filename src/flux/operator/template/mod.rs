//! Go `text/template` as flux-operator configures it for ResourceSets:
//! delimiters `<<` `>>`, `missingkey=error`, data `nil`, and the functions of
//! slim-sprig plus `slugify`, `toYaml`, `mustToYaml` and `inputs` (the
//! current input set).
//!
//! [`parse`] turns text into items, [`exec`] runs them, [`funcs`] holds the
//! function table and [`value`] the Go values (and how Go prints them).

mod exec;
pub mod funcs;
pub mod parse;
mod slug;
pub mod value;

pub use slug::slugify;
pub use value::Value;

/// A template parse or execution error, worded as Go's.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// Parses and executes `src` with `inputs` as the value of the `inputs` function.
pub fn render(src: &str, inputs: &Value) -> Result<String, TemplateError> {
    let items = parse::parse(src)?;
    let mut state = exec::State::new(inputs);
    state.run(&items)?;
    Ok(state.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn inputs(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn actions_pipelines_and_conditionals() {
        let i = inputs(&[("a", Value::Str("x".into())), ("n", Value::Str("2".into()))]);
        assert_eq!(
            render("<< inputs.a >>-<< inputs.n | int >>", &i).unwrap(),
            "x-2"
        );
        assert_eq!(
            render(
                r#"<< if eq inputs.a "y" >>1<< else if eq inputs.a "x" >>2<< else >>3<< end >>"#,
                &i
            )
            .unwrap(),
            "2"
        );
        assert_eq!(
            render("<< $v := upper inputs.a >><< $v >>", &i).unwrap(),
            "X"
        );
    }

    #[test]
    fn range_over_lists_and_maps() {
        let list = Value::List(vec![Value::Str("a".into()), Value::Str("b".into())]);
        let mut m = BTreeMap::new();
        m.insert("k2".to_string(), Value::Int(2));
        m.insert("k1".to_string(), Value::Int(1));
        let i = inputs(&[("l", list), ("m", Value::Map(m))]);
        assert_eq!(
            render(
                "<< range $i, $v := inputs.l >><< $i >>=<< $v >>,<< end >>",
                &i
            )
            .unwrap(),
            "0=a,1=b,"
        );
        assert_eq!(
            render(
                "<< range $k, $v := inputs.m >><< $k >>:<< . >> << end >>",
                &i
            )
            .unwrap(),
            "k1:1 k2:2 "
        );
        assert_eq!(render("<< inputs.m >>", &i).unwrap(), "map[k1:1 k2:2]");
    }

    #[test]
    fn missing_keys_are_errors() {
        let i = inputs(&[]);
        let err = render("<< inputs.semver >>", &i).unwrap_err();
        assert!(
            err.0
                .ends_with("at <inputs>: map has no entry for key \"semver\""),
            "{}",
            err.0
        );
    }

    #[test]
    fn with_and_default() {
        let i = inputs(&[("a", Value::Str(String::new()))]);
        assert_eq!(
            render(r#"<< with inputs.a >>yes<< else >>no<< end >>"#, &i).unwrap(),
            "no"
        );
        assert_eq!(
            render(r#"<< inputs.a | default "d" | quote >>"#, &i).unwrap(),
            "\"d\""
        );
    }
}
