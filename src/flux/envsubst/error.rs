//! Errors of parsing and evaluating a template. Messages are Flux's own, so that
//! `variable substitution failed: <message>` reads as kustomize-controller reports it.

use std::fmt;
use std::ops::Range;

/// Why a template does not parse (the Go parser's error values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// `bad substitution`: an operator that is malformed or not followed by `}`.
    BadSubstitution,
    /// `missing closing brace`: a name followed by anything but an operator or `}`
    /// (`${A.b}`, `${V-x}`, an unclosed `${A`).
    MissingClosingBrace,
    /// `unable to parse variable name`: `${}`, `${ X}`, `${@}`, `${` at the end.
    VariableName,
    /// `unable to parse substitution within function`: an operator argument that is
    /// missing or runs into the end of input.
    FunctionArgument,
    /// `unable to parse default function` (kept for completeness: the parser only
    /// enters a default operator after seeing its first characters).
    DefaultFunction,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseErrorKind::BadSubstitution => "bad substitution",
            ParseErrorKind::MissingClosingBrace => "missing closing brace",
            ParseErrorKind::VariableName => "unable to parse variable name",
            ParseErrorKind::FunctionArgument => "unable to parse substitution within function",
            ParseErrorKind::DefaultFunction => "unable to parse default function",
        })
    }
}

/// Deepest nesting of references accepted (`${a:-${b:-${c}}}` is 3). Go has no limit;
/// one is needed here because parsing and evaluation recurse per level.
pub const MAX_NESTING: usize = 200;

/// A failed parse or evaluation. `Display` gives Flux's message; the fields locate the
/// problem in the template (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvsubstError {
    /// The template does not parse.
    #[error("{kind}")]
    Parse {
        kind: ParseErrorKind,
        /// Where the offending token starts (the template length at end of input).
        offset: usize,
        /// Where the innermost `${` around it starts.
        reference: usize,
    },
    /// Strict mode: a variable that is not set, referenced without a default operator.
    #[error("variable not set (strict mode): \"{name}\"")]
    VarNotSet {
        name: String,
        /// The whole `${...}` reference.
        span: Range<usize>,
    },
    /// `${V:offset:length}` with a negative length that ends before the offset: Flux's
    /// Go code panics here (the controller recovers and reports the panic).
    #[error("runtime error: slice bounds out of range [{}]", slice_bounds(*low, *high))]
    SliceBounds {
        low: i64,
        high: i64,
        span: Range<usize>,
    },
    /// The output is not valid UTF-8: a substring or a glob trim cut a multi-byte
    /// character and nothing joined it back. Flux would emit the bytes and then fail to
    /// read them back as YAML.
    #[error("substitution result is not valid UTF-8 (byte {offset} of the output)")]
    InvalidUtf8 { offset: usize },
    /// References nested deeper than [`MAX_NESTING`].
    #[error("references nested deeper than {MAX_NESTING} levels")]
    TooDeep { offset: usize },
}

impl EnvsubstError {
    /// Byte offset in the template the error is about (for [`InvalidUtf8`]: 0, since it
    /// concerns the output).
    ///
    /// [`InvalidUtf8`]: EnvsubstError::InvalidUtf8
    pub fn offset(&self) -> usize {
        match self {
            EnvsubstError::Parse { reference, .. } => *reference,
            EnvsubstError::VarNotSet { span, .. } | EnvsubstError::SliceBounds { span, .. } => {
                span.start
            }
            EnvsubstError::InvalidUtf8 { .. } => 0,
            EnvsubstError::TooDeep { offset } => *offset,
        }
    }
}

/// Go prints a negative upper bound alone (`[:-3]`), else both bounds (`[5:2]`).
fn slice_bounds(low: i64, high: i64) -> String {
    if high < 0 {
        format!(":{high}")
    } else {
        format!("{low}:{high}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_flux() {
        let parse = EnvsubstError::Parse {
            kind: ParseErrorKind::MissingClosingBrace,
            offset: 3,
            reference: 0,
        };
        assert_eq!(parse.to_string(), "missing closing brace");
        let unset = EnvsubstError::VarNotSet {
            name: "X".into(),
            span: 0..4,
        };
        assert_eq!(unset.to_string(), r#"variable not set (strict mode): "X""#);
        let bounds = |low, high| EnvsubstError::SliceBounds {
            low,
            high,
            span: 0..1,
        };
        assert_eq!(
            bounds(2, 1).to_string(),
            "runtime error: slice bounds out of range [2:1]"
        );
        assert_eq!(
            bounds(0, -3).to_string(),
            "runtime error: slice bounds out of range [:-3]"
        );
    }
}
