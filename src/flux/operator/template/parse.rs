//! Parsing Go `text/template` source (with `<<` `>>` delimiters) into a tree.
//!
//! The grammar is Go's: text and actions; an action is a pipeline
//! (`$x := cmd | cmd`) or a control keyword (`if`, `else`, `end`, `range`,
//! `with`, `break`, `continue`). `<<-` trims the whitespace before the action
//! and `->>` the whitespace after it (the marker must be separated from the
//! action by a space, as in Go). `define`/`template`/`block` are not
//! supported: ResourceSet templates are single, unnamed templates.

use super::TemplateError;

pub const LEFT: &str = "<<";
pub const RIGHT: &str = ">>";

/// A parsed template body.
#[derive(Debug, Clone)]
pub enum Item {
    Text(String),
    Action(Pipe),
    If {
        branches: Vec<(Pipe, Vec<Item>)>,
        otherwise: Option<Vec<Item>>,
    },
    With {
        branches: Vec<(Pipe, Vec<Item>)>,
        otherwise: Option<Vec<Item>>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Item>,
        otherwise: Option<Vec<Item>>,
    },
    Break,
    Continue,
}

/// `$a, $b := cmd | cmd` (or `$a = ...`).
#[derive(Debug, Clone)]
pub struct Pipe {
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Vec<Arg>>,
    pub line: usize,
    pub col: usize,
}

/// An operand of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    Dot,
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// `.a.b`
    Field(Vec<String>),
    /// `$x.a.b` (`$` is the name `$`)
    Var(String, Vec<String>),
    /// A function name.
    Func(String),
    /// `term.a.b` where term is a function or a parenthesized pipeline.
    Chain(Box<Arg>, Vec<String>),
    Pipe(Box<Pipe>),
}

impl Arg {
    /// The node as Go prints it in error contexts (`<inputs.x>`).
    pub fn describe(&self) -> String {
        let fields = |f: &[String]| f.iter().map(|x| format!(".{x}")).collect::<String>();
        match self {
            Arg::Dot => ".".into(),
            Arg::Nil => "nil".into(),
            Arg::Bool(b) => b.to_string(),
            Arg::Int(i) => i.to_string(),
            Arg::Float(f) => f.to_string(),
            Arg::Str(s) => format!("{s:?}"),
            Arg::Field(f) => fields(f),
            Arg::Var(v, f) => format!("{v}{}", fields(f)),
            Arg::Func(n) => n.clone(),
            Arg::Chain(t, f) => format!("{}{}", t.describe(), fields(f)),
            Arg::Pipe(_) => "(...)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Field(String),
    Dot,
    Var(String),
    Str(String),
    Num(String),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

/// A token and whether whitespace preceded it (Go's `itemSpace`).
#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    spaced: bool,
}

/// One `<< ... >>` action: its tokens and where it starts.
struct Action {
    tokens: Vec<Token>,
    line: usize,
    col: usize,
}

enum Piece {
    Text(String),
    Action(Action),
}

/// Parses a template.
pub fn parse(src: &str) -> Result<Vec<Item>, TemplateError> {
    let pieces = split(src)?;
    let mut p = Parser { pieces, pos: 0 };
    let (items, end) = p.list()?;
    match end {
        End::Eof => Ok(items),
        End::Keyword(l, c) => Err(p.error(l, c, "unexpected {{end}}")),
        End::Else(_, l, c) => Err(p.error(l, c, "unexpected {{else}}")),
    }
}

fn line_col(src: &str, at: usize) -> (usize, usize) {
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(at, |i| at - i - 1);
    (line, col)
}

fn err_at(line: usize, col: usize, msg: impl std::fmt::Display) -> TemplateError {
    TemplateError(format!("template: resourceset:{line}:{col}: {msg}"))
}

/// Splits the source into text and tokenized actions, applying trim markers.
fn split(src: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut trim_next = false;
    while let Some(off) = src[rest_start..].find(LEFT) {
        let open = rest_start + off;
        let mut text = &src[rest_start..open];
        if trim_next {
            text = text.trim_start_matches([' ', '\t', '\r', '\n']);
        }
        let mut inner = open + LEFT.len();
        let b = src.as_bytes();
        let trim_left = b.get(inner) == Some(&b'-')
            && matches!(b.get(inner + 1), Some(b' ' | b'\t' | b'\r' | b'\n'));
        if trim_left {
            text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            inner += 1;
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text.to_string()));
        }
        let (line, col) = line_col(src, open);
        // Comments: << /* ... */ >>
        let after_ws = src[inner..].trim_start_matches([' ', '\t', '\r', '\n']);
        if after_ws.starts_with("/*") {
            let cstart = src.len() - after_ws.len();
            let Some(cend) = src[cstart..].find("*/") else {
                return Err(err_at(line, col, "unclosed comment"));
            };
            let mut j = cstart + cend + 2;
            let rest = &src[j..];
            let (trim_right, skip) =
                if let Some(r) = rest.strip_prefix(" -").or(rest.strip_prefix("\t-")) {
                    (r.starts_with(RIGHT), 2)
                } else {
                    (false, 0)
                };
            j += if trim_right { skip } else { 0 };
            if !src[j..].starts_with(RIGHT) {
                return Err(err_at(line, col, "comment ends before closing delimiter"));
            }
            rest_start = j + RIGHT.len();
            trim_next = trim_right;
            continue;
        }
        let (tokens, close, trim_right) = lex_action(src, inner, line, col)?;
        pieces.push(Piece::Action(Action { tokens, line, col }));
        rest_start = close;
        trim_next = trim_right;
    }
    let mut text = &src[rest_start..];
    if trim_next {
        text = text.trim_start_matches([' ', '\t', '\r', '\n']);
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text.to_string()));
    }
    Ok(pieces)
}

/// Tokenizes one action starting at `i`; returns the tokens, the index after
/// the closing delimiter and whether it had the `->>` trim marker.
fn lex_action(
    src: &str,
    mut i: usize,
    line: usize,
    col: usize,
) -> Result<(Vec<Token>, usize, bool), TemplateError> {
    let b = src.as_bytes();
    let mut tokens = Vec::new();
    let mut spaced = false;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(err_at(line, col, "unclosed action"));
        };
        if c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' {
            // ` ->>` is a trim marker.
            if src[i + 1..].starts_with("-") && src[i + 2..].starts_with(RIGHT) {
                return Ok((tokens, i + 2 + RIGHT.len(), true));
            }
            spaced = true;
            i += 1;
            continue;
        }
        if src[i..].starts_with(RIGHT) {
            return Ok((tokens, i + RIGHT.len(), false));
        }
        let start = i;
        let tok = match c {
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'=' => {
                i += 1;
                Tok::Assign
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Declare
            }
            b'"' => {
                let (s, next) = lex_quoted(src, i)
                    .ok_or_else(|| err_at(line, col, "unterminated quoted string"))?;
                i = next;
                Tok::Str(s)
            }
            b'`' => {
                let Some(end) = src[i + 1..].find('`') else {
                    return Err(err_at(line, col, "unterminated raw quoted string"));
                };
                let s = src[i + 1..i + 1 + end].to_string();
                i = i + 2 + end;
                Tok::Str(s)
            }
            b'$' => {
                i += 1;
                while i < b.len() && is_alnum(b[i]) {
                    i += 1;
                }
                Tok::Var(src[start..i].to_string())
            }
            b'.' => {
                if b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                    i = lex_number(b, i);
                    Tok::Num(src[start..i].to_string())
                } else {
                    i += 1;
                    while i < b.len() && is_alnum(b[i]) {
                        i += 1;
                    }
                    if i == start + 1 {
                        Tok::Dot
                    } else {
                        Tok::Field(src[start + 1..i].to_string())
                    }
                }
            }
            b'0'..=b'9' | b'-' | b'+' => {
                i = lex_number(b, i);
                if i == start + 1 && !c.is_ascii_digit() {
                    return Err(err_at(line, col, format!("bad character {:?}", c as char)));
                }
                Tok::Num(src[start..i].to_string())
            }
            c if is_alnum(c) || c >= 0x80 => {
                while i < b.len() && (is_alnum(b[i]) || b[i] >= 0x80) {
                    i += 1;
                }
                Tok::Ident(src[start..i].to_string())
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(err_at(line, col, format!("unexpected {ch:?} in command")));
            }
        };
        tokens.push(Token { tok, spaced });
        spaced = false;
    }
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn lex_number(b: &[u8], mut i: usize) -> usize {
    if matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
        // exponent sign
        if matches!(b[i], b'e' | b'E') && matches!(b.get(i + 1), Some(b'+' | b'-')) {
            i += 1;
        }
        i += 1;
    }
    i
}

/// A Go interpreted string literal starting at `i` (the opening quote).
fn lex_quoted(src: &str, i: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = src[i + 1..].char_indices();
    while let Some((off, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1 + off + 1)),
            '\n' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut hex = String::new();
                        for _ in 0..n {
                            hex.push(chars.next()?.1);
                        }
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

enum End {
    Eof,
    /// `end`
    Keyword(usize, usize),
    /// `else` with the rest of its tokens (`else if ...`).
    Else(Vec<Token>, usize, usize),
}

struct Parser {
    pieces: Vec<Piece>,
    pos: usize,
}

impl Parser {
    fn error(&self, line: usize, col: usize, msg: &str) -> TemplateError {
        err_at(line, col, msg)
    }

    /// Items up to `end`, `else` or the end of input.
    fn list(&mut self) -> Result<(Vec<Item>, End), TemplateError> {
        let mut items = Vec::new();
        while self.pos < self.pieces.len() {
            let piece = std::mem::replace(&mut self.pieces[self.pos], Piece::Text(String::new()));
            self.pos += 1;
            match piece {
                Piece::Text(t) => items.push(Item::Text(t)),
                Piece::Action(a) => {
                    let (line, col) = (a.line, a.col);
                    let mut toks = a.tokens;
                    let keyword = match toks.first() {
                        Some(Token {
                            tok: Tok::Ident(k), ..
                        }) => k.clone(),
                        _ => String::new(),
                    };
                    match keyword.as_str() {
                        "end" => return Ok((items, End::Keyword(line, col))),
                        "else" => {
                            toks.remove(0);
                            return Ok((items, End::Else(toks, line, col)));
                        }
                        "if" | "with" => {
                            toks.remove(0);
                            items.push(self.conditional(&keyword, toks, line, col)?);
                        }
                        "range" => {
                            toks.remove(0);
                            let pipe = pipeline(&toks, line, col, true)?;
                            let (body, end) = self.list()?;
                            let otherwise = match end {
                                End::Keyword(..) => None,
                                End::Else(rest, l, c) => {
                                    if !rest.is_empty() {
                                        return Err(self.error(
                                            l,
                                            c,
                                            "unexpected tokens after else in range",
                                        ));
                                    }
                                    let (e, end2) = self.list()?;
                                    if !matches!(end2, End::Keyword(..)) {
                                        return Err(self.error(line, col, "unexpected EOF"));
                                    }
                                    Some(e)
                                }
                                End::Eof => return Err(self.error(line, col, "unexpected EOF")),
                            };
                            items.push(Item::Range {
                                pipe,
                                body,
                                otherwise,
                            });
                        }
                        "break" => items.push(Item::Break),
                        "continue" => items.push(Item::Continue),
                        "define" | "template" | "block" => {
                            return Err(self.error(
                                line,
                                col,
                                &format!("{keyword} is not supported"),
                            ));
                        }
                        _ => items.push(Item::Action(pipeline(&toks, line, col, false)?)),
                    }
                }
            }
        }
        Ok((items, End::Eof))
    }

    /// `if`/`with` with its `else if`/`else with` chain.
    fn conditional(
        &mut self,
        keyword: &str,
        toks: Vec<Token>,
        line: usize,
        col: usize,
    ) -> Result<Item, TemplateError> {
        let mut branches = Vec::new();
        let mut cond = pipeline(&toks, line, col, false)?;
        let otherwise;
        loop {
            let (body, end) = self.list()?;
            branches.push((cond, body));
            match end {
                End::Keyword(..) => {
                    otherwise = None;
                    break;
                }
                End::Eof => return Err(self.error(line, col, "unexpected EOF")),
                End::Else(rest, l, c) => {
                    if rest.is_empty() {
                        let (e, end2) = self.list()?;
                        if !matches!(end2, End::Keyword(..)) {
                            return Err(self.error(l, c, "expected end; found else"));
                        }
                        otherwise = Some(e);
                        break;
                    }
                    match &rest[0].tok {
                        Tok::Ident(k) if k == keyword => {
                            cond = pipeline(&rest[1..], l, c, false)?;
                        }
                        Tok::Ident(k) if k == "if" || k == "with" => {
                            // `else with` inside an if (or vice versa): a nested conditional.
                            let nested = self.conditional(k, rest[1..].to_vec(), l, c)?;
                            otherwise = Some(vec![nested]);
                            break;
                        }
                        _ => return Err(self.error(l, c, "unexpected tokens after else")),
                    }
                }
            }
        }
        Ok(if keyword == "if" {
            Item::If {
                branches,
                otherwise,
            }
        } else {
            Item::With {
                branches,
                otherwise,
            }
        })
    }
}

/// Parses a pipeline from tokens.
fn pipeline(toks: &[Token], line: usize, col: usize, range: bool) -> Result<Pipe, TemplateError> {
    let mut pos = 0;
    let mut decl = Vec::new();
    let mut assign = false;
    // Declarations: `$x :=`, `$x =`, `$i, $v :=` (the two-variable form only in range).
    let mut look = 0;
    let mut vars = Vec::new();
    while let Some(Token {
        tok: Tok::Var(v), ..
    }) = toks.get(look)
    {
        vars.push(v.clone());
        look += 1;
        match toks.get(look).map(|t| &t.tok) {
            Some(Tok::Comma) if range && vars.len() == 1 => {
                look += 1;
            }
            Some(Tok::Declare) => {
                decl = vars.clone();
                pos = look + 1;
                break;
            }
            Some(Tok::Assign) => {
                decl = vars.clone();
                assign = true;
                pos = look + 1;
                break;
            }
            _ => break,
        }
    }
    let mut p = TokStream {
        toks,
        pos,
        line,
        col,
    };
    let pipe = p.pipe(decl, assign)?;
    if p.pos < toks.len() {
        return Err(err_at(
            line,
            col,
            format!("unexpected {:?} in operand", toks[p.pos].tok),
        ));
    }
    Ok(pipe)
}

struct TokStream<'a> {
    toks: &'a [Token],
    pos: usize,
    line: usize,
    col: usize,
}

impl TokStream<'_> {
    fn err(&self, msg: &str) -> TemplateError {
        err_at(self.line, self.col, msg)
    }

    fn pipe(&mut self, decl: Vec<String>, assign: bool) -> Result<Pipe, TemplateError> {
        let mut cmds = Vec::new();
        loop {
            let mut cmd = Vec::new();
            while let Some(t) = self.toks.get(self.pos) {
                if matches!(t.tok, Tok::Pipe | Tok::RParen) {
                    break;
                }
                cmd.push(self.operand()?);
            }
            if cmd.is_empty() {
                return Err(self.err(if cmds.is_empty() {
                    "missing value for command"
                } else {
                    "missing command"
                }));
            }
            cmds.push(cmd);
            match self.toks.get(self.pos).map(|t| &t.tok) {
                Some(Tok::Pipe) => self.pos += 1,
                _ => break,
            }
        }
        Ok(Pipe {
            decl,
            assign,
            cmds,
            line: self.line,
            col: self.col,
        })
    }

    fn operand(&mut self) -> Result<Arg, TemplateError> {
        let term = self.term()?;
        let mut fields = Vec::new();
        while let Some(Token {
            tok: Tok::Field(f),
            spaced: false,
        }) = self.toks.get(self.pos)
        {
            fields.push(f.clone());
            self.pos += 1;
        }
        if fields.is_empty() {
            return Ok(term);
        }
        Ok(match term {
            Arg::Field(mut f) => {
                f.extend(fields);
                Arg::Field(f)
            }
            Arg::Var(v, mut f) => {
                f.extend(fields);
                Arg::Var(v, f)
            }
            Arg::Func(_) | Arg::Pipe(_) | Arg::Dot => Arg::Chain(Box::new(term), fields),
            _ => return Err(self.err("unexpected . after term")),
        })
    }

    fn term(&mut self) -> Result<Arg, TemplateError> {
        let Some(t) = self.toks.get(self.pos) else {
            return Err(self.err("unexpected end of action"));
        };
        self.pos += 1;
        Ok(match &t.tok {
            Tok::Dot => Arg::Dot,
            Tok::Field(f) => {
                let mut fields = vec![f.clone()];
                while let Some(Token {
                    tok: Tok::Field(f),
                    spaced: false,
                }) = self.toks.get(self.pos)
                {
                    fields.push(f.clone());
                    self.pos += 1;
                }
                Arg::Field(fields)
            }
            Tok::Var(v) => Arg::Var(v.clone(), Vec::new()),
            Tok::Str(s) => Arg::Str(s.clone()),
            Tok::Num(n) => {
                parse_number(n).ok_or_else(|| self.err(&format!("bad number syntax: {n:?}")))?
            }
            Tok::Ident(id) => match id.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ => Arg::Func(id.clone()),
            },
            Tok::LParen => {
                let pipe = self.pipe(Vec::new(), false)?;
                match self.toks.get(self.pos) {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => self.pos += 1,
                    _ => return Err(self.err("unclosed left paren")),
                }
                Arg::Pipe(Box::new(pipe))
            }
            other => return Err(self.err(&format!("unexpected {other:?} in operand"))),
        })
    }
}

fn parse_number(text: &str) -> Option<Arg> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, clean.trim_start_matches('+').to_string()),
    };
    let int = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(bn) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        i64::from_str_radix(bn, 2).ok()
    } else if body.len() > 1 && body.starts_with('0') && body.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body[1..], 8).ok()
    } else {
        body.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Arg::Int(if neg { -i } else { i }));
    }
    let f: f64 = body.parse().ok()?;
    Some(Arg::Float(if neg { -f } else { f }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_markers_remove_surrounding_whitespace() {
        let items = parse("a  \n<<- .x ->>  \n b").unwrap();
        assert!(matches!(&items[0], Item::Text(t) if t == "a"));
        assert!(matches!(&items[2], Item::Text(t) if t == "b"));
    }

    #[test]
    fn chains_need_no_space() {
        let items = parse("<< eq inputs.a .b >>").unwrap();
        let Item::Action(p) = &items[0] else { panic!() };
        assert_eq!(p.cmds[0].len(), 3);
        assert!(matches!(&p.cmds[0][1], Arg::Chain(_, f) if f == &["a".to_string()]));
    }

    #[test]
    fn else_if_chains() {
        let items = parse("<<if .a>>1<<else if .b>>2<<else>>3<<end>>").unwrap();
        let Item::If {
            branches,
            otherwise,
        } = &items[0]
        else {
            panic!()
        };
        assert_eq!(branches.len(), 2);
        assert!(otherwise.is_some());
    }

    #[test]
    fn unclosed_action_is_an_error() {
        assert!(parse("<< .a").is_err());
        assert!(parse("<< if .a >>x").is_err());
    }
}
