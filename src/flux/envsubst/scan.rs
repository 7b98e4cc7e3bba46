//! The lexer of the envsubst dialect: a cursor over the template bytes that the parser
//! reconfigures before every token.
//!
//! Flux's lexer has no fixed token grammar. Before each `scan` the parser chooses which
//! token kinds may appear (`${`, `}`, text), which characters a text token accepts (a
//! predicate of the character and its byte offset within the token), and whether `$$`
//! and `\/`, `\\` are escapes. Many observable quirks of the dialect come from the exact
//! cursor arithmetic, so this scanner keeps the same state (position, token start, width
//! of the last character read) and the same moves (read, unread, peek):
//!
//! - a NUL character reads as end of input, so text after a NUL is dropped;
//! - `unread` steps back by the width of the *last* character read, even when that was a
//!   peeked one, so `${V:é}` steps back too far and fails with "bad substitution";
//! - an escape drops the escape character from the token and takes the next character
//!   unchecked.
//!
//! Positions are byte offsets into the original template. Go's lexer deletes escape
//! characters from its buffer; here the buffer stays intact and the dropped offsets are
//! listed per token, so every position still points into the template the user wrote.

use super::gostr::decode_rune;
use std::borrow::Cow;

/// What `read` returns at the end of input (and for a NUL character, as in Go).
const EOF: char = '\0';

/// Which token kinds the next `scan` may return (bit set).
pub(super) type Mode = u8;
/// Text accepted by the current [`Accept`] predicate.
pub(super) const TEXT: Mode = 1;
/// `${`, the start of a reference.
pub(super) const OPEN: Mode = 1 << 1;
/// `}`, the end of a reference.
pub(super) const CLOSE: Mode = 1 << 2;
/// Escapes inside text (which ones: [`Escapes`]).
pub(super) const ESCAPE: Mode = 1 << 3;

/// Which escapes are active when the mode has [`ESCAPE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Escapes {
    /// `$$` → `$` (plain text outside references).
    Dollar,
    /// `$$` → `$`, `\/` → `/`, `\\` → `\` (inside references).
    DollarAndBackslash,
}

/// The token `scan` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Token {
    Illegal,
    Eof,
    Text,
    Open,
    Close,
}

/// Which characters a text token accepts. `offset` is the byte offset just past the
/// character within the token (1 for a one-byte first character), as in Go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Accept {
    /// Every character (plain text).
    Any,
    /// A variable name: Unicode letters, decimal digits and `_`.
    Name,
    /// `:` only, any number of them (the delimiter before a substring length).
    Colons,
    /// One `#` (the length operator).
    OneHash,
    /// Everything but `}`.
    NotClose,
    /// `#` or `##`.
    HashOperator,
    /// `%` or `%%`.
    PercentOperator,
    /// `:` then one of `=-?+`.
    ColonDefaultOperator,
    /// `/` then optionally one of `/#%`.
    ReplaceOperator,
    /// One `=`.
    OneEqual,
    /// One `:`.
    OneColon,
    /// Everything but `:` and `}` (a substring offset).
    NotColonOrClose,
    /// `/` only, any number of them (the delimiter before a replacement).
    Slashes,
    /// Everything but `/` (a replace pattern; `}` included).
    NotSlash,
    /// One or two of `,` and `^`, mixed or not.
    CaseOperator,
}

impl Accept {
    fn accepts(self, c: char, offset: usize) -> bool {
        match self {
            Accept::Any => true,
            Accept::Name => is_name_char(c),
            Accept::Colons => c == ':',
            Accept::OneHash => c == '#' && offset == 1,
            Accept::NotClose => c != '}',
            Accept::HashOperator => c == '#' && offset < 3,
            Accept::PercentOperator => c == '%' && offset < 3,
            Accept::ColonDefaultOperator => match offset {
                1 => c == ':',
                2 => matches!(c, '=' | '-' | '?' | '+'),
                _ => false,
            },
            Accept::ReplaceOperator => match offset {
                1 => c == '/',
                2 => matches!(c, '/' | '#' | '%'),
                _ => false,
            },
            Accept::OneEqual => c == '=' && offset == 1,
            Accept::OneColon => c == ':' && offset == 1,
            Accept::NotColonOrClose => c != ':' && c != '}',
            Accept::Slashes => c == '/',
            Accept::NotSlash => c != '/',
            Accept::CaseOperator => (c == ',' || c == '^') && offset < 3,
        }
    }
}

/// Go's `unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_'`: general category L*
/// or Nd. (Rust's `is_alphanumeric` is wider: it includes Nl, No and marks.)
pub fn is_name_char(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as Gc};
    c == '_'
        || matches!(
            get_general_category(c),
            Gc::UppercaseLetter
                | Gc::LowercaseLetter
                | Gc::TitlecaseLetter
                | Gc::ModifierLetter
                | Gc::OtherLetter
                | Gc::DecimalNumber
        )
}

/// The cursor. The parser sets `mode`, `accept` and `escapes` before each [`scan`].
///
/// [`scan`]: Scanner::scan
pub(super) struct Scanner<'s> {
    src: &'s str,
    pos: usize,
    start: usize,
    width: usize,
    pub(super) mode: Mode,
    pub(super) accept: Accept,
    pub(super) escapes: Escapes,
    /// Offsets of escape characters dropped from the current token, ascending.
    dropped: Vec<usize>,
}

impl<'s> Scanner<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        Scanner {
            src,
            pos: 0,
            start: 0,
            width: 0,
            mode: TEXT,
            accept: Accept::Any,
            escapes: Escapes::Dollar,
            dropped: Vec::new(),
        }
    }

    /// Byte offset of the cursor.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Byte offset where the last scanned token starts.
    pub(super) fn token_start(&self) -> usize {
        self.start
    }

    /// The text of the last scanned token, escape characters removed.
    pub(super) fn token_text(&self) -> Cow<'s, str> {
        let bytes = &self.src.as_bytes()[self.start..self.pos];
        if self.dropped.is_empty() {
            return match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                // Tokens start and end on character boundaries (the one cursor move that
                // can land inside a character always ends in an error before a token is
                // taken), so this arm only keeps the function total.
                Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
            };
        }
        let mut kept = Vec::with_capacity(bytes.len());
        for (offset, &byte) in (self.start..self.pos).zip(bytes) {
            if self.dropped.binary_search(&offset).is_err() {
                kept.push(byte);
            }
        }
        Cow::Owned(match String::from_utf8(kept) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        })
    }

    /// Reads one character; [`EOF`] at the end (width 0) and for a NUL (width 1).
    pub(super) fn read(&mut self) -> char {
        match decode_rune(&self.src.as_bytes()[self.pos.min(self.src.len())..]) {
            None => {
                self.width = 0;
                EOF
            }
            Some((c, width)) => {
                self.width = width;
                self.pos += width;
                c
            }
        }
    }

    /// Steps back by the width of the last character read.
    pub(super) fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(self.width);
    }

    pub(super) fn peek(&mut self) -> char {
        let c = self.read();
        self.unread();
        c
    }

    /// Scans the next token allowed by the current mode.
    pub(super) fn scan(&mut self) -> Token {
        self.start = self.pos;
        self.dropped.clear();
        let c = self.read();
        if c == EOF {
            Token::Eof
        } else if self.scan_open(c) {
            Token::Open
        } else if self.scan_close(c) {
            Token::Close
        } else if self.scan_text(c) {
            Token::Text
        } else {
            Token::Illegal
        }
    }

    /// Offset of the character just read within the current token, counting only kept
    /// bytes (Go measures it in its buffer, where escape characters are already gone).
    fn offset_in_token(&self) -> usize {
        self.pos - self.start - self.dropped.len()
    }

    fn scan_text(&mut self, first: char) -> bool {
        if self.mode & TEXT == 0 {
            return false;
        }
        if self.is_escape(first) {
            self.drop_escape();
        } else if !self.accept.accepts(first, self.offset_in_token()) {
            return false;
        }
        loop {
            let c = self.read();
            if c == EOF {
                self.unread();
                break;
            }
            if self.scan_open(c) {
                // Leave `${` for the next token.
                self.unread();
                self.unread();
                break;
            }
            if self.is_escape(c) {
                self.drop_escape();
                continue;
            }
            if !self.accept.accepts(c, self.offset_in_token()) {
                self.unread();
                break;
            }
        }
        true
    }

    /// `c` was just read: is it `$` followed by `{`? On a miss the cursor is back after `c`.
    fn scan_open(&mut self, c: char) -> bool {
        if self.mode & OPEN == 0 || c != '$' {
            return false;
        }
        if self.read() == '{' {
            return true;
        }
        self.unread();
        false
    }

    fn scan_close(&self, c: char) -> bool {
        self.mode & CLOSE != 0 && c == '}'
    }

    /// `c` was just read: does it start an escape sequence?
    fn is_escape(&mut self, c: char) -> bool {
        if self.mode & ESCAPE == 0 {
            return false;
        }
        if c == '$' && self.peek() == '$' {
            return true;
        }
        if c == '\\' && self.escapes == Escapes::DollarAndBackslash {
            return matches!(self.peek(), '/' | '\\');
        }
        false
    }

    /// Drops the escape character just read and takes the escaped one (always a single
    /// byte: `$`, `/` or `\`) without checking it.
    fn drop_escape(&mut self) {
        self.dropped.push(self.pos - 1);
        self.pos += 1;
        self.width = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_with(src: &str, mode: Mode, accept: Accept) -> (Token, String, usize) {
        let mut scanner = Scanner::new(src);
        scanner.mode = mode;
        scanner.accept = accept;
        let token = scanner.scan();
        (token, scanner.token_text().into_owned(), scanner.pos())
    }

    #[test]
    fn plain_text_stops_before_a_reference() {
        let (token, text, pos) = scan_with("ab${x}", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!((token, text.as_str(), pos), (Token::Text, "ab", 2));
        let (token, _, pos) = scan_with("${x}", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!((token, pos), (Token::Open, 2));
    }

    #[test]
    fn double_dollar_is_an_escape_in_text() {
        let (token, text, pos) = scan_with("$${x}", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!((token, text.as_str(), pos), (Token::Text, "${x}", 5));
        let (_, text, _) = scan_with("a$$$${x}", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!(text, "a$${x}");
        // A lone `$` is text.
        let (_, text, _) = scan_with("$x $", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!(text, "$x $");
    }

    #[test]
    fn backslash_escapes_only_inside_references() {
        let mut scanner = Scanner::new(r"a\/b\\c\d");
        scanner.mode = TEXT | ESCAPE;
        scanner.accept = Accept::NotSlash;
        scanner.escapes = Escapes::DollarAndBackslash;
        assert_eq!(scanner.scan(), Token::Text);
        assert_eq!(scanner.token_text(), r"a/b\c\d");

        scanner = Scanner::new(r"a\/b");
        scanner.mode = TEXT | ESCAPE;
        scanner.accept = Accept::NotSlash;
        scanner.escapes = Escapes::Dollar;
        assert_eq!(scanner.scan(), Token::Text);
        assert_eq!(scanner.token_text(), r"a\");
    }

    #[test]
    fn nul_reads_as_end_of_input() {
        let (token, text, pos) = scan_with("a\0b", TEXT | OPEN | ESCAPE, Accept::Any);
        assert_eq!((token, text.as_str(), pos), (Token::Text, "a", 1));
        let (token, _, _) = scan_with("\0b", TEXT, Accept::Any);
        assert_eq!(token, Token::Eof);
    }

    #[test]
    fn operator_predicates_use_the_offset_in_the_token() {
        assert_eq!(scan_with("##x", TEXT, Accept::HashOperator).1, "##");
        assert_eq!(scan_with("###", TEXT, Accept::HashOperator).1, "##");
        assert_eq!(scan_with(":-x", TEXT, Accept::ColonDefaultOperator).1, ":-");
        assert_eq!(scan_with("/%x", TEXT, Accept::ReplaceOperator).1, "/%");
        assert_eq!(scan_with("^,^", TEXT, Accept::CaseOperator).1, "^,");
        assert_eq!(scan_with(":::x", TEXT, Accept::Colons).1, ":::");
        assert_eq!(scan_with("x", TEXT, Accept::OneColon).0, Token::Illegal);
    }

    #[test]
    fn names_are_letters_digits_and_underscore() {
        assert_eq!(scan_with("ab_1é.x", TEXT, Accept::Name).1, "ab_1é");
        assert_eq!(scan_with("٣x", TEXT, Accept::Name).1, "٣x");
        // Letter numbers (Nl) and other numbers (No) are not name characters in Go.
        assert_eq!(scan_with("Ⅻ", TEXT, Accept::Name).0, Token::Illegal);
        assert_eq!(scan_with("²", TEXT, Accept::Name).0, Token::Illegal);
        assert_eq!(scan_with("-", TEXT, Accept::Name).0, Token::Illegal);
    }

    #[test]
    fn unread_uses_the_width_of_the_last_read() {
        let mut scanner = Scanner::new("a:é");
        scanner.read();
        scanner.read();
        assert_eq!(scanner.peek(), 'é');
        // The peek set the width to 2, so this steps back over `:` and `a`.
        scanner.unread();
        assert_eq!(scanner.pos(), 0);
    }
}
