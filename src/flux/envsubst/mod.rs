//! Flux's `envsubst` dialect: the `${VAR}` substitution of `spec.postBuild`.
//!
//! kustomize-controller substitutes each rendered object's YAML text with
//! `fluxcd/pkg/envsubst` (v1.7.0, a fork of drone/envsubst). This module reproduces that
//! dialect byte for byte, including its departures from bash:
//!
//! - only `${...}` is a reference; `$VAR` stays literal, and `$$` is an escape for `$`;
//! - the operators are `${#V}`, `${V^}`, `${V^^}`, `${V,}`, `${V,,}`, `${V:off}`,
//!   `${V:off:len}`, `${V#glob}`, `${V##glob}`, `${V%glob}`, `${V%%glob}`, `${V/a/b}`,
//!   `${V//a/b}`, `${V/#a/b}`, `${V/%a/b}` and the defaults `${V=x}`, `${V:=x}`,
//!   `${V:-x}`, `${V:?x}`, `${V:+x}`, which all mean "x if V is empty or unset";
//! - `${V-x}`, `${V+x}`, `${V?x}` and any other malformed reference fail to parse.
//!
//! Data flow: [`parse`] turns the text into a [`Template`] (every reference with its
//! byte range, name, [`Operator`] and arguments), and [`Template::evaluate`] substitutes
//! it, returning the text and the references left [`Unresolved`]. [`eval`] does both;
//! [`envsubst_env`] reads the process environment like `flux envsubst`.
//!
//! Files: `scan` (the reconfigurable lexer), `parse`, `tree` (node types), `eval`,
//! `funcs` (what each operator does), `glob` (the trim patterns), `gostr` (Go's byte
//! string semantics), `error`.
//!
//! Two deliberate limits: references nest at most [`MAX_NESTING`] deep (Go has no
//! limit), and a result that is not valid UTF-8 is an error
//! ([`EnvsubstError::InvalidUtf8`]) where Go would return the bytes.

mod error;
mod eval;
mod funcs;
mod glob;
mod gostr;
mod parse;
mod scan;
mod tree;

pub use error::{EnvsubstError, ParseErrorKind, MAX_NESTING};
pub use eval::{envsubst_env, eval, Evaluated, Unresolved};
pub use parse::parse;
pub use scan::is_name_char;
pub use tree::{Node, Operator, Reference, References, Template, Text};
