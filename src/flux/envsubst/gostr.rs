//! Go string semantics on byte strings.
//!
//! Go strings are byte strings that usually, but not always, hold UTF-8. The envsubst
//! functions slice values by byte offsets (`${V:0:1}`, glob trims), so an intermediate
//! value can end in the middle of a character, and later steps then decode it the Go way:
//! an invalid byte reads as U+FFFD with width 1. To reproduce Flux byte for byte, values
//! are evaluated as `Vec<u8>` and decoded with the helpers here.

/// What Go's `utf8.DecodeRune` returns for an invalid or truncated sequence.
pub(super) const RUNE_ERROR: char = '\u{FFFD}';

/// Decodes the character at the start of `bytes` like Go's `utf8.DecodeRune`:
/// `None` for empty input, `(U+FFFD, 1)` for a byte that does not start a valid
/// UTF-8 sequence, else the character and its width in bytes.
pub(super) fn decode_rune(bytes: &[u8]) -> Option<(char, usize)> {
    let first = *bytes.first()?;
    let width = match first {
        0x00..=0x7F => return Some((char::from(first), 1)),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Some((RUNE_ERROR, 1)),
    };
    let decoded = bytes
        .get(..width)
        .and_then(|seq| std::str::from_utf8(seq).ok())
        .and_then(|s| s.chars().next());
    Some(match decoded {
        Some(c) => (c, width),
        None => (RUNE_ERROR, 1),
    })
}

/// Go's `[]rune(s)`: every character, each invalid byte as one U+FFFD.
pub(super) fn runes(bytes: &[u8]) -> Vec<char> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((c, width)) = decode_rune(rest) {
        out.push(c);
        rest = &rest[width..];
    }
    out
}

/// Reverses the characters of `bytes` (Go: `string(reversed []rune(s))`). The result is
/// always valid UTF-8: invalid bytes become U+FFFD.
pub(super) fn reverse_runes(bytes: &[u8]) -> Vec<u8> {
    let mut chars = runes(bytes);
    chars.reverse();
    let text: String = chars.into_iter().collect();
    text.into_bytes()
}

/// Byte offset of the first occurrence of `needle` in `haystack` (Go `strings.Index`).
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Go's `strings.Replace(s, old, new, n)` (`n < 0`: all). An empty `old` matches at the
/// start and after every character, as in Go.
pub(super) fn replace(s: &[u8], old: &[u8], new: &[u8], n: i64) -> Vec<u8> {
    if old == new || n == 0 {
        return s.to_vec();
    }
    let matches = count(s, old);
    if matches == 0 {
        return s.to_vec();
    }
    let limit = if n < 0 || (matches as i64) < n {
        matches
    } else {
        n as usize
    };
    let mut out = Vec::with_capacity(s.len() + limit * new.len());
    let mut start = 0;
    for i in 0..limit {
        let mut at = start;
        if old.is_empty() {
            if i > 0 {
                at += decode_rune(&s[start..]).map_or(0, |(_, width)| width);
            }
        } else {
            at += find(&s[start..], old).unwrap_or(0);
        }
        out.extend_from_slice(&s[start..at]);
        out.extend_from_slice(new);
        start = at + old.len();
    }
    out.extend_from_slice(&s[start..]);
    out
}

/// Go's `strings.Count`: non-overlapping occurrences; for an empty `needle`, the number
/// of characters plus one.
fn count(s: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() {
        return runes(s).len() + 1;
    }
    let mut found = 0;
    let mut rest = s;
    while let Some(at) = find(rest, needle) {
        found += 1;
        rest = &rest[at + needle.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rune_reads_utf8_and_flags_invalid_bytes() {
        assert_eq!(decode_rune(b""), None);
        assert_eq!(decode_rune(b"a"), Some(('a', 1)));
        assert_eq!(decode_rune("é".as_bytes()), Some(('é', 2)));
        assert_eq!(decode_rune("€x".as_bytes()), Some(('€', 3)));
        assert_eq!(decode_rune("😀".as_bytes()), Some(('😀', 4)));
        // A truncated sequence, a lone continuation byte, an overlong form.
        assert_eq!(decode_rune(&[0xC3]), Some((RUNE_ERROR, 1)));
        assert_eq!(decode_rune(&[0xA9, b'a']), Some((RUNE_ERROR, 1)));
        assert_eq!(decode_rune(&[0xC0, 0x80]), Some((RUNE_ERROR, 1)));
        // An encoded surrogate is invalid UTF-8.
        assert_eq!(decode_rune(&[0xED, 0xA0, 0x80]), Some((RUNE_ERROR, 1)));
        // U+FFFD itself decodes with its real width.
        assert_eq!(decode_rune("\u{FFFD}".as_bytes()), Some((RUNE_ERROR, 3)));
    }

    #[test]
    fn reverse_runes_turns_invalid_bytes_into_replacement_characters() {
        assert_eq!(reverse_runes("aé€".as_bytes()), "€éa".as_bytes());
        assert_eq!(reverse_runes(&[b'a', 0xC3]), "\u{FFFD}a".as_bytes());
    }

    #[test]
    fn replace_follows_go_strings_replace() {
        assert_eq!(replace(b"abcabc", b"b", b"X", 1), b"aXcabc");
        assert_eq!(replace(b"abcabc", b"b", b"X", -1), b"aXcaXc");
        assert_eq!(replace(b"abc", b"z", b"X", -1), b"abc");
        assert_eq!(replace(b"aaa", b"aa", b"b", -1), b"ba");
        // Empty `old`: before the first character, then after each character.
        assert_eq!(replace(b"abc", b"", b"-", 1), b"-abc");
        assert_eq!(replace(b"abc", b"", b"-", -1), b"-a-b-c-");
        assert_eq!(replace("é".as_bytes(), b"", b"-", -1), "-é-".as_bytes());
        assert_eq!(replace(b"", b"", b"-", -1), b"-");
    }
}
