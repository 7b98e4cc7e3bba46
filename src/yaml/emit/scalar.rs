//! Scalars: which style goyaml.v2 picks for a string, and how each style is
//! written, folded at 80 columns.
//!
//! goyaml.v2 first *requests* a style (literal for text with `\n`, double
//! quotes for text its resolver would read as another type, plain
//! otherwise), then downgrades it when the characters do not allow it
//! (plain → single quotes → double quotes; literal → double quotes). The
//! writers fold plain and quoted scalars at the first eligible space after
//! column 80; columns count runes.

use super::v2_resolve::needs_quotes;
use super::writer::Writer;

/// Lines are broken at the first eligible space past this column.
const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The style goyaml.v2's encoder requests for a string value or key.
pub(super) fn requested_string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if needs_quotes(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    }
}

/// What the characters of a scalar allow (goyaml.v2 `analyze_scalar`, for
/// block context: no scalar is ever written inside a flow collection).
#[derive(Clone, Copy, Debug)]
pub(super) struct Analysis {
    /// Contains a line break (`\n`, `\r`, U+0085, U+2028, U+2029).
    pub multiline: bool,
    plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// goyaml.v2's printable set: `\n`, U+0020–U+007E, U+00A0–U+D7FF,
/// U+E000–U+FFFD except the BOM. Everything else must be escaped.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A blank, a break, or NUL (goyaml.v2 `is_blankz`).
fn is_blank_or_break(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\0' || is_break(c)
}

pub(super) fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut indicators = s.starts_with("---") || s.starts_with("...");
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;

    let mut chars = s.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let followed_by_whitespace = matches!(next, None | Some(' ' | '\t'));
        let last = next.is_none();
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => indicators = true,
                '#' if preceded_by_whitespace => indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_break(c);
        first = false;
    }

    let mut plain_allowed = true;
    let mut single_quoted_allowed = true;
    let mut block_allowed = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        plain_allowed = false;
    }
    if trailing_space {
        block_allowed = false;
    }
    if break_space {
        plain_allowed = false;
        single_quoted_allowed = false;
    }
    if space_break || special {
        plain_allowed = false;
        single_quoted_allowed = false;
        block_allowed = false;
    }
    if line_breaks || indicators {
        plain_allowed = false;
    }
    Analysis {
        multiline: line_breaks,
        plain_allowed,
        single_quoted_allowed,
        block_allowed,
    }
}

/// goyaml.v2 `select_scalar_style`: downgrade the requested style until the
/// characters allow it.
pub(super) fn select_style(requested: Style, a: &Analysis, simple_key: bool, empty: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.plain_allowed || empty && simple_key) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

impl Writer<'_> {
    /// A plain scalar; a space past column 80 becomes a line break unless
    /// it starts or ends a run of spaces.
    pub(super) fn write_plain(&mut self, s: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, c) in s.char_indices() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && s.as_bytes().get(i + 1) != Some(&b' ')
                {
                    self.write_indent();
                } else {
                    self.put(' ');
                }
                spaces = true;
            } else if is_break(c) {
                // Unreachable for the strings goyaml.v2 writes plain (line
                // breaks forbid plain), kept to mirror the writer.
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// A single-quoted scalar (`'` doubled); folds like plain, but never at
    /// the first or last character.
    pub(super) fn write_single_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let bytes = s.as_bytes();
        let mut spaces = false;
        let mut breaks = false;
        for (i, c) in s.char_indices() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < bytes.len()
                    && bytes[i + 1] != b' '
                {
                    self.write_indent();
                } else {
                    self.put(' ');
                }
                spaces = true;
            } else if is_break(c) {
                // Only U+2028/U+2029 get here (`\n` asks for a literal,
                // `\r` and U+0085 force double quotes): written raw, and
                // the next line is indented.
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// A double-quoted scalar with goyaml.v2's escapes; a fold before a
    /// second space continues the next line with `\`.
    pub(super) fn write_double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // goyaml.v2 tests for a BOM at the start of the string rather than
        // at the current rune, so such a string is escaped throughout.
        let escape_all = s.starts_with('\u{feff}');
        let bytes = s.as_bytes();
        let mut spaces = false;
        for (i, c) in s.char_indices() {
            if escape_all || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < bytes.len()
                {
                    self.write_indent();
                    if bytes[i + 1] == b' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(' ');
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_escape(&mut self, c: char) {
        self.put('\\');
        let short = match c {
            '\0' => Some('0'),
            '\u{7}' => Some('a'),
            '\u{8}' => Some('b'),
            '\t' => Some('t'),
            '\n' => Some('n'),
            '\u{b}' => Some('v'),
            '\u{c}' => Some('f'),
            '\r' => Some('r'),
            '\u{1b}' => Some('e'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            '\u{85}' => Some('N'),
            '\u{a0}' => Some('_'),
            '\u{2028}' => Some('L'),
            '\u{2029}' => Some('P'),
            _ => None,
        };
        if let Some(e) = short {
            self.put(e);
            return;
        }
        let code = c as u32;
        let (letter, width) = if code <= 0xff {
            ('x', 2)
        } else if code <= 0xffff {
            ('u', 4)
        } else {
            ('U', 8)
        };
        self.put(letter);
        for k in (0..width).rev() {
            let digit = (code >> (4 * k)) & 0xf;
            self.put(char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase()));
        }
    }

    /// A literal block scalar: `|`, indentation hint `2` when the text
    /// starts with a space or break, chomping `-` (no final break) or `+`
    /// (more than one), then each line at the scalar indent, unfolded.
    pub(super) fn write_literal(&mut self, s: &str) {
        self.write_indicator("|", true, false, false);
        if s.starts_with(|c: char| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
        }
        let mut from_end = s.chars().rev();
        let last = from_end.next();
        let before_last = from_end.next();
        match (last, before_last) {
            (Some(l), _) if !is_break(l) => self.write_indicator("-", false, false, false),
            (Some(_), None) => self.write_indicator("+", false, false, false),
            (Some(_), Some(b)) if is_break(b) => self.write_indicator("+", false, false, false),
            _ => {}
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style_of(s: &str) -> Style {
        select_style(requested_string_style(s), &analyze(s), false, s.is_empty())
    }

    #[test]
    fn requested_styles() {
        assert_eq!(requested_string_style("a\nb"), Style::Literal);
        assert_eq!(requested_string_style("yes"), Style::DoubleQuoted);
        assert_eq!(requested_string_style("1:20"), Style::DoubleQuoted);
        assert_eq!(requested_string_style("hello"), Style::Plain);
    }

    #[test]
    fn indicators_force_single_quotes() {
        for s in [
            "foo: bar",
            "a:",
            "a: ",
            "foo #bar",
            "a #",
            "#foo",
            "[a]",
            "{a}",
            "&a",
            "*a",
            "!a",
            "|a",
            ">a",
            "%a",
            "@a",
            "`a",
            "\"a",
            "'a",
            "'",
            "- foo",
            "-",
            "- ",
            "? foo",
            ": foo",
            "---",
            "--- a",
            "...",
            " leading",
            "trailing  ",
            " ",
            "null ",
            "*/1 * * * *",
            ": test",
            "ls\u{2028}x",
        ] {
            assert_eq!(style_of(s), Style::SingleQuoted, "{s:?}");
        }
    }

    #[test]
    fn harmless_characters_stay_plain() {
        for s in [
            "foo:bar",
            "http://x.com/a#b",
            "foo#bar",
            "a[b]",
            "a,b",
            "?foo",
            ":foo",
            "-foo",
            "~a",
            "a'b",
            "a\"b",
            "a\\b",
            "a  b",
            "café",
            "日本語",
            "\u{a0}",
            "\u{e000}",
            "-1a",
        ] {
            assert_eq!(style_of(s), Style::Plain, "{s:?}");
        }
    }

    #[test]
    fn special_characters_force_double_quotes() {
        for s in [
            "tab\there",
            "emoji 😀",
            "ctl\u{1}x",
            "a\u{1b}b",
            "a\u{feff}b",
            "\u{feff}ab c",
            "cr\rx",
            "a \nb\n",
            "a\tb\nc\n",
            "a\r\nb\n",
            "a\nb ",
            "  \n",
            "\u{85}",
        ] {
            assert_eq!(style_of(s), Style::DoubleQuoted, "{s:?}");
        }
    }

    #[test]
    fn literal_allowed_with_breaks_and_spaces_after_breaks() {
        for s in [
            "a\n b\n",
            "a\n\n b",
            "\n",
            "\n\n",
            " lead\nsecond\n",
            "a\u{2028}b\n",
        ] {
            assert_eq!(style_of(s), Style::Literal, "{s:?}");
        }
    }

    #[test]
    fn empty_string_is_double_quoted() {
        assert_eq!(style_of(""), Style::DoubleQuoted);
        let a = analyze("");
        assert_eq!(
            select_style(Style::Plain, &a, true, true),
            Style::SingleQuoted
        );
    }
}
