//! Checking a `readyExpr` the way kustomize-controller and helm-controller
//! compile it before use (fluxcd/pkg `runtime/cel.NewExpression` with
//! `WithCompile`, `WithStructVariables("self", "dep")`): the CEL parser of
//! the `cel` crate (cel-go's ANTLR grammar and messages) with optional
//! syntax on, as Flux's environment enables `OptionalTypes`, then a walk for
//! identifiers that are neither `self`, `dep`, a macro variable nor a CEL
//! type name, which cel-go's checker refuses as undeclared references, and
//! a look at the result's static type: Flux wants `bool`, and `self` and
//! `dep` are `google.protobuf.Struct`s whose fields are `dyn`, so
//! `dep.status.ready` alone is refused while `dep.status.ready == true` is
//! not. Only types that are certain are judged (there is no full type
//! checker here). A failure is terminal in Flux: the dependent stalls.
//!
//! The generated parser recurses deeply (more than 100 KB of stack per
//! nesting level in a debug build), so the parse runs on its own thread
//! with a large stack, and expressions longer than [`CHECKED_LIMIT`] code
//! points are not checked at all.

use cel::common::ast::{operators, EntryExpr, Expr, IdedExpr, LiteralValue, SourceInfo};
use cel::parser::Parser;

/// cel-go's default limit on an expression's size, in code points.
pub const CEL_GO_SIZE_LIMIT: usize = 100_000;

/// The longest expression (in code points) fluxlint parses: with
/// [`PARSER_STACK`] this holds for every shape of nesting in a debug build.
pub const CHECKED_LIMIT: usize = 10_000;

/// The parser thread's stack (reserved, not committed, until used).
const PARSER_STACK: usize = 64 << 20;

/// The variables Flux declares for a `readyExpr`.
const DECLARED: [&str; 2] = ["self", "dep"];

/// Identifiers cel-go declares as type values (`type(x) == int`).
const TYPE_NAMES: [&str; 11] = [
    "bool",
    "bytes",
    "double",
    "int",
    "list",
    "map",
    "null_type",
    "string",
    "type",
    "uint",
    "optional_type",
];

/// Namespaces of the functions Flux's environment has (`optional.of(x)`,
/// `sets.contains(a, b)`, `base64.encode(b)`, `strings.quote(s)`) and the
/// root of the protobuf type names (`google.protobuf.Timestamp`).
const FUNCTION_NAMESPACES: [&str; 5] = ["optional", "sets", "base64", "strings", "google"];

/// The verdict on one expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CelSyntax {
    Valid,
    /// cel-go's words: `ERROR: <input>:1:33: Syntax error: ...`, a snippet
    /// line and a caret line per error.
    Invalid(String),
    /// Longer than [`CHECKED_LIMIT`] (but within cel-go's limit), or the
    /// parser failed: nothing is known.
    Unchecked,
}

/// Checks a `readyExpr` (see the module documentation).
pub fn check_ready_expr(expr: &str) -> CelSyntax {
    let size = expr.chars().count();
    if size > CEL_GO_SIZE_LIMIT {
        return CelSyntax::Invalid(format!(
            "expression code point size exceeds limit: size: {size}, limit {CEL_GO_SIZE_LIMIT}"
        ));
    }
    if size > CHECKED_LIMIT {
        return CelSyntax::Unchecked;
    }
    std::thread::scope(|scope| {
        let parse = std::thread::Builder::new()
            .name("cel-parse".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_and_resolve(expr));
        match parse.map(|handle| handle.join()) {
            Ok(Ok(verdict)) => verdict,
            // The thread could not start, or the parser panicked.
            _ => CelSyntax::Unchecked,
        }
    })
}

/// Runs on the parser thread; the AST is also dropped there (its drop
/// recurses as deeply as the parse).
fn parse_and_resolve(expr: &str) -> CelSyntax {
    let parsed = Parser::new()
        .enable_optional_syntax(true)
        .parse_with_source_info(expr);
    let (ast, info) = match parsed {
        Ok(parsed) => parsed,
        Err(mut errors) => {
            for e in &mut errors.errors {
                tidy_message(&mut e.msg);
            }
            return CelSyntax::Invalid(errors.to_string());
        }
    };
    let mut undeclared = Vec::new();
    let mut bound = Vec::new();
    find_undeclared(&ast, &mut bound, &mut undeclared);
    if undeclared.is_empty() {
        return match certain_type(&ast) {
            Some(found) if found != "bool" => CelSyntax::Invalid(format!(
                "CEL expression output type mismatch: expected bool, got {found}"
            )),
            _ => CelSyntax::Valid,
        };
    }
    let messages: Vec<String> = undeclared
        .iter()
        .map(|(id, name)| undeclared_message(expr, &info, *id, name))
        .collect();
    CelSyntax::Invalid(messages.join("\n"))
}

/// The parser reports its recursion limit as a debug dump of a nested
/// error (`OtherError(ParseError { .. msg: "Recursion limit of 96
/// exceeded" .. })`); keep the inner message.
fn tidy_message(msg: &mut String) {
    let Some(start) = msg.find("OtherError(") else {
        return;
    };
    let inner = msg[start..]
        .split_once("msg: \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(inner, _)| inner.to_string());
    if let Some(inner) = inner {
        msg.replace_range(start.., &inner);
    }
}

/// Collects identifiers that nothing declares, with their expression ids,
/// in the order they are written. `bound` holds the macro variables in scope.
fn find_undeclared<'a>(e: &'a IdedExpr, bound: &mut Vec<&'a str>, out: &mut Vec<(u64, &'a str)>) {
    match &e.expr {
        Expr::Unspecified | Expr::Literal(_) => {}
        Expr::Ident(name) => {
            let name = name.as_str();
            // Macro expansions name their accumulators `@result`, `@it` ...
            if !name.starts_with('@')
                && !bound.contains(&name)
                && !DECLARED.contains(&name)
                && !TYPE_NAMES.contains(&name)
                && !out.iter().any(|(_, n)| *n == name)
            {
                out.push((e.id, name));
            }
        }
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                let namespaced = matches!(
                    &target.expr,
                    Expr::Ident(ns) if FUNCTION_NAMESPACES.contains(&ns.as_str())
                );
                if !namespaced {
                    find_undeclared(target, bound, out);
                }
            }
            for arg in &call.args {
                find_undeclared(arg, bound, out);
            }
        }
        Expr::Select(select) => {
            let protobuf = matches!(&select.operand.expr, Expr::Ident(ns) if ns == "google");
            if !protobuf {
                find_undeclared(&select.operand, bound, out);
            }
        }
        Expr::List(list) => {
            for element in &list.elements {
                find_undeclared(element, bound, out);
            }
        }
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::StructField(field) => find_undeclared(&field.value, bound, out),
                    EntryExpr::MapEntry(entry) => {
                        find_undeclared(&entry.key, bound, out);
                        find_undeclared(&entry.value, bound, out);
                    }
                }
            }
        }
        Expr::Struct(st) => {
            for entry in &st.entries {
                if let EntryExpr::StructField(field) = &entry.expr {
                    find_undeclared(&field.value, bound, out);
                }
            }
        }
        Expr::Comprehension(c) => {
            // The range and the accumulator's start see the outer scope;
            // the loop and the result see the macro's variables as well.
            find_undeclared(&c.iter_range, bound, out);
            find_undeclared(&c.accu_init, bound, out);
            let depth = bound.len();
            bound.push(&c.iter_var);
            if let Some(v) = &c.iter_var2 {
                bound.push(v);
            }
            bound.push(&c.accu_var);
            find_undeclared(&c.loop_cond, bound, out);
            find_undeclared(&c.loop_step, bound, out);
            find_undeclared(&c.result, bound, out);
            bound.truncate(depth);
        }
    }
}

/// The static type cel-go's checker gives `e`, when it is certain from the
/// shape alone: literals, `self` and `dep`, and fields or items of those.
fn certain_type(e: &IdedExpr) -> Option<&'static str> {
    match &e.expr {
        Expr::Literal(literal) => Some(match literal {
            LiteralValue::Boolean(_) => "bool",
            LiteralValue::Bytes(_) => "bytes",
            LiteralValue::Double(_) => "double",
            LiteralValue::Int(_) => "int",
            LiteralValue::Null => "null_type",
            LiteralValue::String(_) => "string",
            LiteralValue::UInt(_) => "uint",
        }),
        Expr::Ident(name) if DECLARED.contains(&name.as_str()) => Some("map(string, dyn)"),
        Expr::Select(select) if !select.test => {
            rooted_in_declared(&select.operand).then_some("dyn")
        }
        Expr::Call(call) if call.func_name == operators::INDEX && call.target.is_none() => call
            .args
            .first()
            .is_some_and(rooted_in_declared)
            .then_some("dyn"),
        _ => None,
    }
}

/// Whether `e` is `self` or `dep`, or fields and items of them.
fn rooted_in_declared(e: &IdedExpr) -> bool {
    match &e.expr {
        Expr::Ident(name) => DECLARED.contains(&name.as_str()),
        Expr::Select(select) if !select.test => rooted_in_declared(&select.operand),
        Expr::Call(call) if call.func_name == operators::INDEX && call.target.is_none() => {
            call.args.first().is_some_and(rooted_in_declared)
        }
        _ => false,
    }
}

/// cel-go's checker message for an undeclared identifier, laid out as the
/// parser's errors are (1-based line and column in code points, snippet).
fn undeclared_message(expr: &str, info: &SourceInfo, id: u64, name: &str) -> String {
    let message = format!("undeclared reference to '{name}' (in container '')");
    let Some((start, _)) = info.offset_for(id) else {
        return format!("ERROR: <input>: {message}");
    };
    let mut line = 1;
    let mut column = 0;
    let mut line_text = expr.lines().next().unwrap_or("");
    for (i, c) in expr.chars().enumerate() {
        if i == start as usize {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 0;
            line_text = expr.lines().nth(line - 1).unwrap_or("");
        } else {
            column += 1;
        }
    }
    format!(
        "ERROR: <input>:{line}:{}: {message}\n| {line_text}\n| {}^",
        column + 1,
        ".".repeat(column)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(expr: &str) -> String {
        match check_ready_expr(expr) {
            CelSyntax::Invalid(m) => m,
            other => panic!("{expr:?}: {other:?}"),
        }
    }

    #[test]
    fn flux_examples_are_valid() {
        for expr in [
            "dep.status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
            "self.metadata.annotations['app/version'] == dep.metadata.annotations['app/version']",
            "dep.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True') \
             && dep.metadata.generation == dep.status.observedGeneration",
            "has(dep.status.lastAppliedRevision)",
            "dep.?status.?observedGeneration.orValue(0) >= 0",
            "optional.of(dep.status).hasValue()",
            "type(dep.spec) == map",
            "[1, 2].map(x, x * 2).size() == 2 && {'a': 1}.all(k, k != '')",
            "dep.status.conditions.exists(c,\n  c.type == \"Ready\")",
        ] {
            assert_eq!(check_ready_expr(expr), CelSyntax::Valid, "{expr}");
        }
    }

    #[test]
    fn syntax_errors_carry_cel_go_positions() {
        let m = invalid("self.status.x == dep.status.y &&");
        assert!(
            m.starts_with("ERROR: <input>:1:33: Syntax error: mismatched input '<EOF>'"),
            "{m}"
        );
        assert!(m.contains("| self.status.x == dep.status.y &&"), "{m}");
        assert!(invalid("").contains("Syntax error"));
        assert!(invalid("dep.status.ready ==== true")
            .starts_with("ERROR: <input>:1:20: Syntax error: extraneous input '=='"));
        assert!(invalid("'unterminated").contains("token recognition error"));
        // `${VAR}` left by a missing substitution.
        assert!(invalid("dep.metadata.name == ${NAME}").contains("Syntax error"));
    }

    #[test]
    fn macro_misuse_is_an_error() {
        assert!(invalid("dep.status.conditions.all(1, true)")
            .contains("argument must be a simple name"));
        assert!(invalid("has(dep)").contains("invalid argument to has() macro"));
    }

    #[test]
    fn only_self_dep_and_macro_variables_are_declared() {
        let m = invalid("deps.status.ready == true");
        assert_eq!(
            m.lines().collect::<Vec<_>>(),
            [
                "ERROR: <input>:1:1: undeclared reference to 'deps' (in container '')",
                "| deps.status.ready == true",
                "| ^"
            ]
        );
        let m = invalid("dep.status.conditions.all(c, c.ok) &&\n  c.ready");
        assert!(
            m.starts_with("ERROR: <input>:2:3: undeclared reference to 'c'"),
            "{m}"
        );
        assert!(m.ends_with("\n|   c.ready\n| ..^"), "{m}");
        assert!(invalid("foo.bar(dep)").contains("'foo'"));
        assert_eq!(
            check_ready_expr("[1].all(x, [2].all(y, x < y))"),
            CelSyntax::Valid
        );
    }

    #[test]
    fn the_result_must_be_a_bool_when_its_type_is_certain() {
        // fluxcd/pkg runtime/cel expression_test.go: a Struct field is dyn.
        assert_eq!(
            invalid("dep.status.ready"),
            "CEL expression output type mismatch: expected bool, got dyn"
        );
        assert!(invalid("dep.status.conditions[0]").ends_with("got dyn"));
        assert!(invalid("'True'").ends_with("got string"));
        assert!(invalid("dep").ends_with("got map(string, dyn)"));
        for expr in [
            "dep.status.ready == true",
            "true",
            "!has(dep.spec.suspend)",
            "{'a': true}.a",
            "dep.status.conditions.exists(c, c.status == 'True')",
        ] {
            assert_eq!(check_ready_expr(expr), CelSyntax::Valid, "{expr}");
        }
    }

    #[test]
    fn deep_and_long_expressions_do_not_crash() {
        let n = CHECKED_LIMIT;
        for expr in [
            format!("{}1{}", "(".repeat(n / 2 - 1), ")".repeat(n / 2 - 1)),
            "[".repeat(n),
            format!("dep{}", ".a".repeat(n / 2 - 2)),
            vec!["1"; n / 2].join("+"),
            format!("{}c", "a?b:".repeat(n / 4 - 1)),
        ] {
            assert_ne!(
                check_ready_expr(&expr),
                CelSyntax::Unchecked,
                "{}",
                &expr[..20]
            );
        }
        // Nesting beyond the parser's recursion limit is an error, not a crash.
        let nested = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        let m = invalid(&nested);
        assert!(
            m.starts_with("ERROR: <input>:1:97: Syntax error: Recursion limit of 96 exceeded\n"),
            "{m}"
        );
        assert_eq!(check_ready_expr(&"1+".repeat(n)), CelSyntax::Unchecked);
        let huge = "1".repeat(CEL_GO_SIZE_LIMIT + 1);
        assert!(invalid(&huge).starts_with("expression code point size exceeds limit"));
    }
}
