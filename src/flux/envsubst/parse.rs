//! The parser: template text → [`Template`].
//!
//! The grammar is whatever Flux's hand-written recursive descent accepts, quirks
//! included, because a template that Flux rejects fails the whole Kustomization:
//!
//! - Only `${...}` is a reference: `$VAR` and a lone `$` are text, while `${` starts a
//!   reference wherever it appears and must then parse.
//! - `$$` is an escape for `$` in plain text and in `/` operator arguments, not in other
//!   arguments (`${V:-$$}` defaults to `$$`).
//! - Within `${...}`, after the name, the next character picks the operator: `:` (a
//!   default if followed by `=-?+`, else a substring), `=`, `,`/`^`, `/`, `#`, `%`, or
//!   `}`. Anything else is "missing closing brace" (so `${V-x}` fails).
//! - Substring arguments stop at `:` and `}`; default, trim and replacement arguments at
//!   `}` only; a replace pattern stops at `/` only (a `}` inside it is text).
//! - A nested `${...}` may stand for an argument; default arguments may mix text and
//!   references, other operators take one of either per argument.

use super::error::{EnvsubstError, ParseErrorKind, MAX_NESTING};
use super::scan::{Accept, Escapes, Mode, Scanner, Token, CLOSE, ESCAPE, OPEN, TEXT};
use super::tree::{Node, Operator, Reference, Template, Text};
use std::borrow::Cow;
use std::ops::Range;

/// Parses a template. Errors carry Flux's message and the byte offsets of the problem.
pub fn parse(template: &str) -> Result<Template<'_>, EnvsubstError> {
    let mut parser = Parser {
        scanner: Scanner::new(template),
        depth: 0,
        open: 0,
    };
    let nodes = parser.parse_sequence()?;
    Ok(Template {
        source: template,
        nodes,
    })
}

struct Parser<'s> {
    scanner: Scanner<'s>,
    /// Nesting depth of the reference being parsed.
    depth: usize,
    /// Where the innermost reference being parsed starts (for error positions).
    open: usize,
}

impl<'s> Parser<'s> {
    /// The top level: text (with `$$` escapes) and references, up to the end.
    fn parse_sequence(&mut self) -> Result<Vec<Node<'s>>, EnvsubstError> {
        let mut nodes = Vec::new();
        loop {
            self.scanner.accept = Accept::Any;
            self.scanner.mode = TEXT | OPEN | ESCAPE;
            self.scanner.escapes = Escapes::Dollar;
            match self.scanner.scan() {
                Token::Eof => return Ok(nodes),
                Token::Text => nodes.push(Node::Text(self.text())),
                Token::Open => {
                    let open = self.scanner.token_start();
                    nodes.push(Node::Reference(self.parse_reference(open)?));
                }
                // Unreachable with `Accept::Any`, kept total like Go's parser.
                Token::Close | Token::Illegal => {
                    return Err(self.error(ParseErrorKind::BadSubstitution))
                }
            }
        }
    }

    /// A reference whose `${` starts at `open` and has just been scanned.
    fn parse_reference(&mut self, open: usize) -> Result<Reference<'s>, EnvsubstError> {
        if self.depth >= MAX_NESTING {
            return Err(EnvsubstError::TooDeep { offset: open });
        }
        let outer_open = std::mem::replace(&mut self.open, open);
        self.depth += 1;
        let reference = self.parse_reference_body(open);
        self.depth -= 1;
        self.open = outer_open;
        reference
    }

    fn parse_reference_body(&mut self, open: usize) -> Result<Reference<'s>, EnvsubstError> {
        self.scanner.escapes = Escapes::DollarAndBackslash;
        if self.scanner.peek() == '#' {
            return self.parse_length(open);
        }
        let (name, name_span) = self.scan_name(ParseErrorKind::VariableName)?;
        let mut reference = Reference {
            name,
            name_span,
            operator: Operator::Value,
            args: Vec::new(),
            span: open..open,
        };
        match self.scanner.peek() {
            ':' => self.parse_colon_operator(&mut reference)?,
            '=' => self.parse_default(&mut reference)?,
            ',' | '^' => self.parse_case(&mut reference)?,
            '/' => self.parse_replace(&mut reference)?,
            '#' => self.parse_trim(&mut reference, Accept::HashOperator)?,
            '%' => self.parse_trim(&mut reference, Accept::PercentOperator)?,
            _ => {
                self.scanner.accept = Accept::Name;
                self.scanner.mode = CLOSE;
                if self.scanner.scan() != Token::Close {
                    return Err(self.error(ParseErrorKind::MissingClosingBrace));
                }
            }
        }
        reference.span.end = self.scanner.pos();
        Ok(reference)
    }

    /// `${#NAME}`.
    fn parse_length(&mut self, open: usize) -> Result<Reference<'s>, EnvsubstError> {
        self.scan_operator(Accept::OneHash)?;
        let (name, name_span) = self.scan_name(ParseErrorKind::BadSubstitution)?;
        self.expect_close()?;
        Ok(Reference {
            name,
            name_span,
            operator: Operator::Length,
            args: Vec::new(),
            span: open..self.scanner.pos(),
        })
    }

    /// After `${NAME`, at `:`: a default operator if `=-?+` follows, else a substring.
    fn parse_colon_operator(&mut self, reference: &mut Reference<'s>) -> Result<(), EnvsubstError> {
        // Go looks one character past the `:` with read, peek, unread. The last unread
        // steps back by the width of the peeked character, so after a multi-byte one
        // the cursor lands before the `:` and the substring operator then fails; at the
        // end of input it stays after the `:`. Both are Flux's behaviour.
        self.scanner.read();
        let after_colon = self.scanner.peek();
        self.scanner.unread();
        match after_colon {
            '=' | '-' | '?' | '+' => self.parse_default(reference),
            _ => self.parse_substring(reference),
        }
    }

    /// `${NAME:offset}`, `${NAME:offset:length}`.
    fn parse_substring(&mut self, reference: &mut Reference<'s>) -> Result<(), EnvsubstError> {
        self.scan_operator(Accept::OneColon)?;
        reference.operator = Operator::Substring;
        reference
            .args
            .push(self.parse_argument(Accept::NotColonOrClose, TEXT)?);
        // Either `}` or a run of `:` before the length.
        self.scanner.accept = Accept::Colons;
        self.scanner.mode = TEXT | CLOSE;
        match self.scanner.scan() {
            Token::Close => return Ok(()),
            Token::Text => {}
            _ => return Err(self.error(ParseErrorKind::BadSubstitution)),
        }
        reference
            .args
            .push(self.parse_argument(Accept::NotClose, TEXT)?);
        self.expect_close()
    }

    /// `${NAME#glob}`, `${NAME##glob}`, `${NAME%glob}`, `${NAME%%glob}`.
    fn parse_trim(
        &mut self,
        reference: &mut Reference<'s>,
        accept: Accept,
    ) -> Result<(), EnvsubstError> {
        reference.operator = match self.scan_operator(accept)?.as_ref() {
            "#" => Operator::TrimShortestPrefix,
            "##" => Operator::TrimLongestPrefix,
            "%" => Operator::TrimShortestSuffix,
            "%%" => Operator::TrimLongestSuffix,
            _ => return Err(self.error(ParseErrorKind::BadSubstitution)),
        };
        reference
            .args
            .push(self.parse_argument(Accept::NotClose, TEXT)?);
        self.expect_close()
    }

    /// `${NAME/text/replacement}` and the `//`, `/#`, `/%` forms; the replacement may
    /// be empty (`${NAME/text/}`). Both arguments take `$$`, `\/` and `\\` escapes.
    fn parse_replace(&mut self, reference: &mut Reference<'s>) -> Result<(), EnvsubstError> {
        reference.operator = match self.scan_operator(Accept::ReplaceOperator)?.as_ref() {
            "/" => Operator::ReplaceFirst,
            "//" => Operator::ReplaceAll,
            "/#" => Operator::ReplacePrefix,
            "/%" => Operator::ReplaceSuffix,
            _ => return Err(self.error(ParseErrorKind::BadSubstitution)),
        };
        reference
            .args
            .push(self.parse_argument(Accept::NotSlash, TEXT | ESCAPE)?);
        // The delimiter: one or more `/`.
        self.scanner.accept = Accept::Slashes;
        self.scanner.mode = TEXT;
        if self.scanner.scan() != Token::Text {
            return Err(self.error(ParseErrorKind::BadSubstitution));
        }
        if self.scanner.peek() != '}' {
            reference
                .args
                .push(self.parse_argument(Accept::NotClose, TEXT | ESCAPE)?);
        }
        self.expect_close()
    }

    /// `${NAME=word}`, `${NAME:=word}`, `${NAME:-word}`, `${NAME:?word}`, `${NAME:+word}`:
    /// the word is any mix of text and references up to `}`, possibly empty.
    fn parse_default(&mut self, reference: &mut Reference<'s>) -> Result<(), EnvsubstError> {
        let accept = if self.scanner.peek() == '=' {
            Accept::OneEqual
        } else {
            Accept::ColonDefaultOperator
        };
        self.scanner.accept = accept;
        self.scanner.mode = TEXT;
        if self.scanner.scan() != Token::Text {
            return Err(self.error(ParseErrorKind::DefaultFunction));
        }
        reference.operator = match self.scanner.token_text().as_ref() {
            "=" => Operator::DefaultEquals,
            ":=" => Operator::DefaultColonEquals,
            ":-" => Operator::DefaultColonMinus,
            ":?" => Operator::DefaultColonQuestion,
            ":+" => Operator::DefaultColonPlus,
            _ => return Err(self.error(ParseErrorKind::DefaultFunction)),
        };
        while self.scanner.peek() != '}' {
            reference
                .args
                .push(self.parse_argument(Accept::NotClose, TEXT)?);
        }
        self.expect_close()
    }

    /// `${NAME,}`, `${NAME,,}`, `${NAME^}`, `${NAME^^}` and the mixed `^,`, `,^`.
    fn parse_case(&mut self, reference: &mut Reference<'s>) -> Result<(), EnvsubstError> {
        reference.operator = match self.scan_operator(Accept::CaseOperator)?.as_ref() {
            "^" => Operator::UpperFirst,
            "^^" => Operator::UpperAll,
            "," => Operator::LowerFirst,
            ",," => Operator::LowerAll,
            "^," => Operator::UpperThenLower,
            ",^" => Operator::LowerThenUpper,
            _ => return Err(self.error(ParseErrorKind::BadSubstitution)),
        };
        self.expect_close()
    }

    /// One operator argument: a nested reference or a text accepted by `accept`.
    fn parse_argument(&mut self, accept: Accept, mode: Mode) -> Result<Node<'s>, EnvsubstError> {
        self.scanner.accept = accept;
        self.scanner.mode = mode | OPEN;
        match self.scanner.scan() {
            Token::Open => {
                let open = self.scanner.token_start();
                Ok(Node::Reference(self.parse_reference(open)?))
            }
            Token::Text | Token::Close => Ok(Node::Text(self.text())),
            Token::Eof | Token::Illegal => Err(self.error(ParseErrorKind::FunctionArgument)),
        }
    }

    /// Scans a variable name; `missing` is the error when there is none.
    fn scan_name(
        &mut self,
        missing: ParseErrorKind,
    ) -> Result<(&'s str, Range<usize>), EnvsubstError> {
        self.scanner.accept = Accept::Name;
        self.scanner.mode = TEXT;
        if self.scanner.scan() != Token::Text {
            return Err(self.error(missing));
        }
        let span = self.scanner.token_start()..self.scanner.pos();
        match self.scanner.token_text() {
            Cow::Borrowed(name) => Ok((name, span)),
            // Names are scanned without escapes, so they always borrow.
            Cow::Owned(_) => Err(self.error(missing)),
        }
    }

    /// Scans the operator characters accepted by `accept` ("bad substitution" if none).
    fn scan_operator(&mut self, accept: Accept) -> Result<Cow<'s, str>, EnvsubstError> {
        self.scanner.accept = accept;
        self.scanner.mode = TEXT;
        if self.scanner.scan() != Token::Text {
            return Err(self.error(ParseErrorKind::BadSubstitution));
        }
        Ok(self.scanner.token_text())
    }

    /// The closing `}` of a reference ("bad substitution" if it is not next).
    fn expect_close(&mut self) -> Result<(), EnvsubstError> {
        self.scanner.mode = CLOSE;
        if self.scanner.scan() != Token::Close {
            return Err(self.error(ParseErrorKind::BadSubstitution));
        }
        Ok(())
    }

    fn text(&self) -> Text<'s> {
        Text {
            value: self.scanner.token_text(),
            span: self.scanner.token_start()..self.scanner.pos(),
        }
    }

    fn error(&self, kind: ParseErrorKind) -> EnvsubstError {
        EnvsubstError::Parse {
            kind,
            offset: self.scanner.token_start(),
            reference: self.open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree in a compact notation: `name[operator](args)` and quoted texts.
    fn show(template: &str) -> String {
        match parse(template) {
            Ok(tree) => tree
                .nodes()
                .iter()
                .map(show_node)
                .collect::<Vec<_>>()
                .join(" "),
            Err(err) => format!("error: {err}"),
        }
    }

    fn show_node(node: &Node<'_>) -> String {
        match node {
            Node::Text(text) => format!("{:?}", text.value),
            Node::Reference(r) => {
                let args: Vec<String> = r.args.iter().map(show_node).collect();
                format!("{}[{}]({})", r.name, r.operator.as_str(), args.join(","))
            }
        }
    }

    #[test]
    fn text_and_escapes() {
        assert_eq!(show("text"), r#""text""#);
        assert_eq!(show("}text"), r#""}text""#);
        assert_eq!(show("$${string}"), r#""${string}""#);
        assert_eq!(show("$$string"), r#""$string""#);
        assert_eq!(show(r"\\.\pipe\pipename"), r#""\\\\.\\pipe\\pipename""#);
        assert_eq!(show("$VAR $ end$"), r#""$VAR $ end$""#);
        assert_eq!(show(""), "");
    }

    #[test]
    fn every_operator() {
        assert_eq!(show("${v}"), "v[]()");
        assert_eq!(show("${#v}"), "v[#]()");
        assert_eq!(
            show("${v^}${v^^}${v,}${v,,}"),
            "v[^]() v[^^]() v[,]() v[,,]()"
        );
        assert_eq!(show("${v^,}${v,^}"), "v[^,]() v[,^]()");
        assert_eq!(show("${v:1}"), r#"v[:]("1")"#);
        assert_eq!(show("${v:1:2}"), r#"v[:]("1","2")"#);
        assert_eq!(show("${v#a}${v##a}"), r#"v[#]("a") v[##]("a")"#);
        assert_eq!(show("${v%a}${v%%a}"), r#"v[%]("a") v[%%]("a")"#);
        assert_eq!(show("${v/a/b}${v//a/b}"), r#"v[/]("a","b") v[//]("a","b")"#);
        assert_eq!(
            show("${v/#a/b}${v/%a/b}"),
            r#"v[/#]("a","b") v[/%]("a","b")"#
        );
        assert_eq!(show("${v=d}${v:=d}"), r#"v[=]("d") v[:=]("d")"#);
        assert_eq!(
            show("${v:-d}${v:?d}${v:+d}"),
            r#"v[:-]("d") v[:?]("d") v[:+]("d")"#
        );
    }

    #[test]
    fn argument_boundaries() {
        // Substring arguments stop at `:`; a run of colons is one delimiter.
        assert_eq!(show("${x:1::2}"), r#"x[:]("1","2")"#);
        assert_eq!(show("${x:1:2:3}"), r#"x[:]("1","2:3")"#);
        assert_eq!(show("${x: -2}"), r#"x[:](" -2")"#);
        // `${v:-3:2}` is a default, not a negative offset.
        assert_eq!(show("${v:-3:2}"), r#"v[:-]("3:2")"#);
        // A `}` inside a replace pattern is text; the pattern ends at `/`.
        assert_eq!(show("${x/a}rest/b}"), r#"x[/]("a}rest","b")"#);
        // Repeated slashes form one delimiter; an empty replacement gives one argument.
        assert_eq!(show("${x/a//b}"), r#"x[/]("a","b")"#);
        assert_eq!(show("${x/a/}"), r#"x[/]("a")"#);
        // Empty defaults.
        assert_eq!(show("${x:-}${x=}"), "x[:-]() x[=]()");
        // Trim arguments take anything up to `}`.
        assert_eq!(show("${string#$%:*{}"), r#"string[#]("$%:*{")"#);
    }

    #[test]
    fn escapes_inside_references() {
        assert_eq!(show(r"${s/\/p\\/l}"), r#"s[/]("/p\\","l")"#);
        assert_eq!(show(r"${s/p/\/leng\\th}"), r#"s[/]("p","/leng\\th")"#);
        assert_eq!(show("${x/a$$b/c}"), r#"x[/]("a$b","c")"#);
        // Defaults take no escapes at all.
        assert_eq!(show("${x:-$$}"), r#"x[:-]("$$")"#);
        assert_eq!(show(r"${x:-\/}"), r#"x[:-]("\\/")"#);
    }

    #[test]
    fn nested_references() {
        assert_eq!(show("${s:${p}}"), "s[:](p[]())");
        assert_eq!(
            show("${s:${y:p:l}:${z,,}}"),
            r#"s[:](y[:]("p","l"),z[,,]())"#
        );
        assert_eq!(show("${s=pre${v} suf}"), r#"s[=]("pre",v[]()," suf")"#);
        assert_eq!(show("${s//${a}/${b}}"), "s[//](a[](),b[]())");
    }

    #[test]
    fn errors_are_flux_errors() {
        assert_eq!(show("${"), "error: unable to parse variable name");
        assert_eq!(show("${}"), "error: unable to parse variable name");
        assert_eq!(show("${ X }"), "error: unable to parse variable name");
        assert_eq!(show("${@}"), "error: unable to parse variable name");
        assert_eq!(show("${A"), "error: missing closing brace");
        assert_eq!(show("${A.b}"), "error: missing closing brace");
        assert_eq!(show("${V-x}"), "error: missing closing brace");
        assert_eq!(show("${V+x}"), "error: missing closing brace");
        assert_eq!(show("${V?x}"), "error: missing closing brace");
        assert_eq!(show("${#}"), "error: bad substitution");
        assert_eq!(show("${x^^^}"), "error: bad substitution");
        assert_eq!(
            show("${x#}"),
            "error: unable to parse substitution within function"
        );
        assert_eq!(
            show("${x:-abc"),
            "error: unable to parse substitution within function"
        );
        assert_eq!(show("${x:${y}abc}"), "error: bad substitution");
        assert_eq!(show("${x/a${y}/b}"), "error: bad substitution");
        assert_eq!(show("${x//}"), "error: bad substitution");
        // The cursor quirk after `:`: multi-byte character, end of input.
        assert_eq!(show("${x:é}"), "error: bad substitution");
        assert_eq!(show("${é:ü}"), "error: bad substitution");
        assert_eq!(show("${x:"), "error: bad substitution");
        assert_eq!(
            show("${x:\0"),
            "error: unable to parse substitution within function"
        );
    }

    #[test]
    fn error_positions() {
        let err = parse("ab ${x:-${y.z}}").unwrap_err();
        assert_eq!(
            err,
            EnvsubstError::Parse {
                kind: ParseErrorKind::MissingClosingBrace,
                offset: 11,
                reference: 8,
            }
        );
        assert_eq!(err.offset(), 8);
    }

    #[test]
    fn spans_point_into_the_template() {
        let template = "a $${b} ${cc:-${d}} e";
        let tree = parse(template).unwrap();
        let spans: Vec<_> = tree.nodes().iter().map(Node::span).collect();
        assert_eq!(spans, [0..8, 8..19, 19..21]);
        let refs: Vec<_> = tree
            .references()
            .map(|r| (r.name, r.span.clone(), &template[r.name_span.clone()]))
            .collect();
        assert_eq!(refs, [("cc", 8..19, "cc"), ("d", 14..18, "d")]);
        assert_eq!(&template[14..18], "${d}");
    }

    #[test]
    fn nul_ends_the_template() {
        assert_eq!(show("a\0${b"), r#""a""#);
    }

    #[test]
    fn nesting_is_limited() {
        let deep = "${a:-".repeat(MAX_NESTING) + &"}".repeat(MAX_NESTING);
        assert!(parse(&deep).is_ok());
        let too_deep = "${a:-".repeat(MAX_NESTING + 1) + &"}".repeat(MAX_NESTING + 1);
        assert!(matches!(
            parse(&too_deep),
            Err(EnvsubstError::TooDeep { .. })
        ));
    }
}
