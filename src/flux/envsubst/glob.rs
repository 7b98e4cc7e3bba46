//! The glob matcher behind `${V#p}`, `${V##p}`, `${V%p}` and `${V%%p}`.
//!
//! Flux uses a modified copy of Go's `path.Match` in which `/` is an ordinary
//! character: `*` and `?` match it too, and a trailing `*` matches any rest at once.
//! Syntax: `*` any run of bytes, `?` one character, `[...]`/`[^...]` a class of
//! characters and ranges `a-z`, `\c` the character `c`. The match is against the whole
//! name, working on bytes: a pattern may match part of a multi-byte character.
//! A malformed pattern is an error only when the matcher reaches the bad part.

use super::gostr::{decode_rune, RUNE_ERROR};

/// The pattern is malformed (Go's `ErrBadPattern`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct BadPattern;

/// Whether `pattern` matches all of `name`.
pub(super) fn matches(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = next_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches whatever is left.
            return Ok(true);
        }
        // The chunk right here. The last chunk must also consume the whole name.
        let here = match_chunk(chunk, name);
        if let Ok(Some(after)) = here {
            if after.is_empty() || !pattern.is_empty() {
                name = after;
                continue;
            }
        }
        here?;
        if star {
            // Let the star absorb 1, 2, ... bytes and try the chunk after them.
            for skip in 1..=name.len() {
                if let Some(after) = match_chunk(chunk, &name[skip..])? {
                    if pattern.is_empty() && !after.is_empty() {
                        continue;
                    }
                    name = after;
                    continue 'chunks;
                }
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the next chunk: leading stars, then everything up to the next star that is
/// not inside a `[...]` class.
fn next_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let stars = pattern.iter().take_while(|&&b| b == b'*').count();
    let pattern = &pattern[stars..];
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // Skip the escaped character (a trailing `\` is left for `match_chunk`).
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (stars > 0, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk against the start of `s`: the rest of `s` on a match,
/// `None` on a mismatch (including running out of `s`).
fn match_chunk<'n>(mut chunk: &[u8], mut s: &'n [u8]) -> Result<Option<&'n [u8]>, BadPattern> {
    while let Some(&first) = chunk.first() {
        if s.is_empty() {
            return Ok(None);
        }
        match first {
            b'[' => {
                let (c, width) = decode_rune(s).unwrap_or((RUNE_ERROR, 1));
                s = &s[width..];
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (end, rest) = class_char(&chunk[1..])?;
                        hi = end;
                        chunk = rest;
                    }
                    if lo <= c && c <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    return Ok(None);
                }
            }
            b'?' => {
                let width = decode_rune(s).map_or(1, |(_, width)| width);
                s = &s[width..];
                chunk = &chunk[1..];
            }
            _ => {
                if first == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if chunk[0] != s[0] {
                    return Ok(None);
                }
                s = &s[1..];
                chunk = &chunk[1..];
            }
        }
    }
    Ok(Some(s))
}

/// One possibly escaped character of a class, and the chunk after it. A class that
/// ends right after it (no `]` yet) is malformed.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let mut chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(_) => chunk,
    };
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
    }
    let (c, width) = decode_rune(chunk).ok_or(BadPattern)?;
    if c == RUNE_ERROR && width == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[width..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, name: &str) -> Result<bool, BadPattern> {
        matches(pattern.as_bytes(), name.as_bytes())
    }

    #[test]
    fn literals_stars_and_questions() {
        assert_eq!(m("abc", "abc"), Ok(true));
        assert_eq!(m("abc", "abcd"), Ok(false));
        assert_eq!(m("a*c", "abbbc"), Ok(true));
        assert_eq!(m("a*c", "abbbd"), Ok(false));
        assert_eq!(m("a?c", "abc"), Ok(true));
        assert_eq!(m("a?c", "aéc"), Ok(true));
        assert_eq!(m("*", ""), Ok(true));
        assert_eq!(m("", ""), Ok(true));
        assert_eq!(m("", "a"), Ok(false));
    }

    #[test]
    fn slash_is_an_ordinary_character() {
        assert_eq!(m("*/", "path/to/"), Ok(true));
        assert_eq!(m("a?b", "a/b"), Ok(true));
        assert_eq!(m("*.txt", "dir/file.txt"), Ok(true));
        assert_eq!(m("p*", "p/q/r"), Ok(true));
    }

    #[test]
    fn classes_and_escapes() {
        assert_eq!(m("[a-c]x", "bx"), Ok(true));
        assert_eq!(m("[^a-c]x", "bx"), Ok(false));
        assert_eq!(m("[^a-c]x", "dx"), Ok(true));
        assert_eq!(m(r"\*", "*"), Ok(true));
        assert_eq!(m(r"[\]]", "]"), Ok(true));
        assert_eq!(m("[é]", "é"), Ok(true));
    }

    #[test]
    fn malformed_patterns_fail_when_reached() {
        assert_eq!(m("[", "a"), Err(BadPattern));
        assert_eq!(m("[]a]", "a"), Err(BadPattern));
        assert_eq!(m("[a-", "a"), Err(BadPattern));
        assert_eq!(m(r"a\", "ab"), Err(BadPattern));
        // Never reached: the name ran out first.
        assert_eq!(m("a[", "a"), Ok(false));
        // The reversed class of a `%` trim, `]9-0[`: a leading `]` is a literal, the
        // trailing `[` opens a class that never closes.
        assert_eq!(m("]9-0[", "1cba"), Ok(false));
        assert_eq!(m("]9-0[", "]9-0[x"), Err(BadPattern));
    }

    #[test]
    fn star_may_stop_inside_a_character() {
        // `*` then `?` can match the two bytes of `é` separately.
        assert_eq!(matches(b"*?", &"é".as_bytes()[..1]), Ok(true));
        assert_eq!(matches(b"a?", &[b'a', 0xC3]), Ok(true));
    }
}
