//! What each operator does to a value: Flux's substitution functions.
//!
//! They mirror Flux's `funcs.go`, which differs from bash in places worth knowing:
//!
//! - every default operator returns the concatenated arguments when the value is empty,
//!   set or not (`${V:+x}` and `${V:?x}` included);
//! - lengths and substring offsets count bytes, not characters;
//! - `${V:off:len}` returns the value unchanged when `off` or `len` is not an integer
//!   (`${V: -2}` is V), counts a negative `off` from the end, and fails (Go panics) when
//!   a negative `len` ends before `off`;
//! - replace patterns are literal text, not globs; an empty pattern (from a nested
//!   reference) inserts the replacement before every character, as Go's
//!   `strings.Replace` does;
//! - `${V/#p/r}` and `${V/%p/r}` without a replacement leave V unchanged, while
//!   `${V/p/}` and `${V//p/}` delete;
//! - trims match the glob against byte prefixes, shortest or longest non-empty one, so
//!   `${V#*}` removes the first byte; suffix trims reverse value and pattern by
//!   characters and trim a prefix;
//! - case changes map each character to one character (Go's `unicode.ToUpper`), so `ß`
//!   stays `ß` and `İ` lowers to `i`.
//!
//! Values are bytes (see [`super::gostr`]); the looked-up variable is always UTF-8, the
//! arguments (results of nested references) may not be.

use super::glob;
use super::gostr::{replace, reverse_runes};
use super::tree::Operator;

/// A substring slice that Go would panic on: `value[low:high]` with `high < low` or
/// `high < 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SliceBounds {
    pub(super) low: i64,
    pub(super) high: i64,
}

/// Applies `operator` to the variable's `value` with evaluated `args`, appending the
/// result to `out`. Dispatches as Flux does: by operator spelling, and `#` by argument
/// count (none: length, one: trim).
pub(super) fn apply(
    operator: Operator,
    value: &str,
    args: &[Vec<u8>],
    out: &mut Vec<u8>,
) -> Result<(), SliceBounds> {
    let bytes = value.as_bytes();
    match operator {
        Operator::Length | Operator::TrimShortestPrefix => match args.first() {
            None => out.extend_from_slice(bytes.len().to_string().as_bytes()),
            Some(pattern) => out.extend_from_slice(trim_shortest_prefix(bytes, pattern)),
        },
        Operator::TrimLongestPrefix => out.extend_from_slice(match args.first() {
            Some(pattern) => trim_longest_prefix(bytes, pattern),
            None => bytes,
        }),
        Operator::TrimShortestSuffix => match args.first() {
            Some(pattern) => out.extend(trim_suffix(bytes, pattern, trim_shortest_prefix)),
            None => out.extend_from_slice(bytes),
        },
        Operator::TrimLongestSuffix => match args.first() {
            Some(pattern) => out.extend(trim_suffix(bytes, pattern, trim_longest_prefix)),
            None => out.extend_from_slice(bytes),
        },
        Operator::UpperAll => out.extend(value.chars().map(to_upper).collect::<String>().bytes()),
        Operator::LowerAll => out.extend(value.chars().map(to_lower).collect::<String>().bytes()),
        Operator::UpperFirst => map_first(value, to_upper, out),
        Operator::LowerFirst => map_first(value, to_lower, out),
        Operator::Substring => out.extend_from_slice(substring(bytes, args)?),
        Operator::ReplaceFirst => out.extend(replace_first_or_all(bytes, args, 1)),
        Operator::ReplaceAll => out.extend(replace_first_or_all(bytes, args, -1)),
        Operator::ReplacePrefix => out.extend(replace_prefix(bytes, args)),
        Operator::ReplaceSuffix => out.extend(replace_suffix(bytes, args)),
        Operator::Value
        | Operator::UpperThenLower
        | Operator::LowerThenUpper
        | Operator::DefaultEquals
        | Operator::DefaultColonEquals
        | Operator::DefaultColonMinus
        | Operator::DefaultColonQuestion
        | Operator::DefaultColonPlus => default(bytes, args, out),
    }
    Ok(())
}

/// The value, or when it is empty the arguments joined without separator.
fn default(value: &[u8], args: &[Vec<u8>], out: &mut Vec<u8>) {
    if value.is_empty() {
        args.iter().for_each(|arg| out.extend_from_slice(arg));
    } else {
        out.extend_from_slice(value);
    }
}

fn map_first(value: &str, map: fn(char) -> char, out: &mut Vec<u8>) {
    let mut chars = value.chars();
    if let Some(first) = chars.next() {
        let mut buf = [0; 4];
        out.extend_from_slice(map(first).encode_utf8(&mut buf).as_bytes());
        out.extend_from_slice(chars.as_str().as_bytes());
    }
}

/// Go's `unicode.ToUpper`: the simple (one-character) mapping. Rust's `to_uppercase`
/// gives the full mapping; where that has several characters, the simple mapping is
/// either the character itself or, for Greek letters with ypogegrammeni, the titlecase
/// form below.
fn to_upper(c: char) -> char {
    match c {
        '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => {
            char::from_u32(c as u32 + 8).unwrap_or(c)
        }
        '\u{1FB3}' => '\u{1FBC}',
        '\u{1FC3}' => '\u{1FCC}',
        '\u{1FF3}' => '\u{1FFC}',
        _ => single(c.to_uppercase()).unwrap_or(c),
    }
}

/// Go's `unicode.ToLower` (see [`to_upper`]); `İ` is the one character whose full
/// lowercase mapping has two characters.
fn to_lower(c: char) -> char {
    match c {
        '\u{130}' => 'i',
        _ => single(c.to_lowercase()).unwrap_or(c),
    }
}

fn single(mut mapped: impl Iterator<Item = char>) -> Option<char> {
    match (mapped.next(), mapped.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// `${V:pos}` and `${V:pos:len}` on bytes.
fn substring<'v>(value: &'v [u8], args: &[Vec<u8>]) -> Result<&'v [u8], SliceBounds> {
    let len = value.len() as i64;
    let Some(pos) = args.first() else {
        return Ok(value);
    };
    let Some(mut pos) = parse_int(pos) else {
        return Ok(value);
    };
    if pos < 0 {
        pos = (len + pos).max(0);
    }
    let tail = || {
        if pos < len {
            &value[pos as usize..]
        } else {
            &[][..]
        }
    };
    let Some(length) = args.get(1) else {
        return Ok(tail());
    };
    let Some(length) = parse_int(length) else {
        return Ok(value);
    };
    // Go's int arithmetic wraps; a wrapped end is negative and fails below, as in Go.
    let end = pos.wrapping_add(length);
    if end >= len {
        return Ok(tail());
    }
    if end < 0 || pos > end {
        return Err(SliceBounds {
            low: pos,
            high: end,
        });
    }
    Ok(&value[pos as usize..end as usize])
}

/// Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, no spaces.
fn parse_int(text: &[u8]) -> Option<i64> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

fn replace_first_or_all(value: &[u8], args: &[Vec<u8>], count: i64) -> Vec<u8> {
    match args {
        [] => value.to_vec(),
        [pattern] => replace(value, pattern, b"", count),
        [pattern, replacement, ..] => replace(value, pattern, replacement, count),
    }
}

fn replace_prefix(value: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    match args {
        [pattern, replacement] if value.starts_with(pattern) => {
            replace(value, pattern, replacement, 1)
        }
        _ => value.to_vec(),
    }
}

fn replace_suffix(value: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    match args {
        [pattern, replacement] if value.ends_with(pattern) => {
            let mut out = value[..value.len() - pattern.len()].to_vec();
            out.extend_from_slice(replacement);
            out
        }
        _ => value.to_vec(),
    }
}

/// Removes the shortest non-empty prefix matching `pattern`; a malformed pattern leaves
/// the value as it is, even if a longer prefix matched before the error.
fn trim_shortest_prefix<'v>(value: &'v [u8], pattern: &[u8]) -> &'v [u8] {
    let mut shortest = None;
    for end in (1..=value.len()).rev() {
        match glob::matches(pattern, &value[..end]) {
            Err(_) => return value,
            Ok(true) => shortest = Some(end),
            Ok(false) => {}
        }
    }
    shortest.map_or(value, |end| &value[end..])
}

/// Removes the longest non-empty prefix matching `pattern`.
fn trim_longest_prefix<'v>(value: &'v [u8], pattern: &[u8]) -> &'v [u8] {
    for end in (1..=value.len()).rev() {
        match glob::matches(pattern, &value[..end]) {
            Err(_) => return value,
            Ok(true) => return &value[end..],
            Ok(false) => {}
        }
    }
    value
}

/// A suffix trim: reverse value and pattern (by characters), trim a prefix, reverse back.
fn trim_suffix(
    value: &[u8],
    pattern: &[u8],
    trim_prefix: for<'v> fn(&'v [u8], &[u8]) -> &'v [u8],
) -> Vec<u8> {
    let reversed = reverse_runes(value);
    reverse_runes(trim_prefix(&reversed, &reverse_runes(pattern)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(operator: Operator, value: &str, args: &[&str]) -> Result<String, SliceBounds> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let mut out = Vec::new();
        apply(operator, value, &args, &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn ok(operator: Operator, value: &str, args: &[&str]) -> String {
        call(operator, value, args).unwrap()
    }

    #[test]
    fn length_counts_bytes() {
        assert_eq!(ok(Operator::Length, "Hello World", &[]), "11");
        assert_eq!(ok(Operator::Length, "é", &[]), "2");
        assert_eq!(ok(Operator::Length, "", &[]), "0");
    }

    #[test]
    fn case_changes() {
        assert_eq!(ok(Operator::LowerAll, "Hello World", &[]), "hello world");
        assert_eq!(ok(Operator::UpperAll, "Hello World", &[]), "HELLO WORLD");
        assert_eq!(ok(Operator::LowerFirst, "HELLO WORLD", &[]), "hELLO WORLD");
        assert_eq!(ok(Operator::UpperFirst, "hello world", &[]), "Hello world");
        assert_eq!(ok(Operator::UpperFirst, "", &[]), "");
        assert_eq!(ok(Operator::LowerFirst, "", &[]), "");
        assert_eq!(ok(Operator::UpperFirst, "éa", &[]), "Éa");
        // One character to one character, as in Go.
        assert_eq!(ok(Operator::UpperAll, "straße ﬁ", &[]), "STRAßE ﬁ");
        assert_eq!(ok(Operator::LowerAll, "İ", &[]), "i");
        assert_eq!(ok(Operator::UpperAll, "ᾳ", &[]), "ᾼ");
        // No final-sigma rule either.
        assert_eq!(ok(Operator::LowerAll, "ΟΔΟΣ", &[]), "οδοσ");
        // Mixed case operators leave the value alone.
        assert_eq!(ok(Operator::UpperThenLower, "aB", &[]), "aB");
        assert_eq!(ok(Operator::LowerThenUpper, "aB", &[]), "aB");
    }

    #[test]
    fn defaults_join_arguments_when_the_value_is_empty() {
        assert_eq!(
            ok(Operator::DefaultColonMinus, "Hello World", &["Hola Mundo"]),
            "Hello World"
        );
        assert_eq!(
            ok(Operator::DefaultColonMinus, "", &["Hola Mundo"]),
            "Hola Mundo"
        );
        assert_eq!(
            ok(
                Operator::DefaultEquals,
                "",
                &["Hola Mundo", "-Bonjour le monde", "-Halló heimur"]
            ),
            "Hola Mundo-Bonjour le monde-Halló heimur"
        );
        // `:+` and `:?` are defaults too.
        assert_eq!(ok(Operator::DefaultColonPlus, "set", &["alt"]), "set");
        assert_eq!(ok(Operator::DefaultColonPlus, "", &["alt"]), "alt");
        assert_eq!(ok(Operator::DefaultColonQuestion, "", &["msg"]), "msg");
        assert_eq!(ok(Operator::DefaultColonEquals, "", &[]), "");
        assert_eq!(ok(Operator::Value, "v", &[]), "v");
    }

    #[test]
    fn substring_follows_flux() {
        let v = "123456789123456789";
        assert_eq!(ok(Operator::Substring, v, &["0", "8"]), "12345678");
        assert_eq!(ok(Operator::Substring, v, &["1", "8"]), "23456789");
        assert_eq!(ok(Operator::Substring, v, &["9"]), "123456789");
        assert_eq!(ok(Operator::Substring, v, &["9", "50"]), "123456789");
        assert_eq!(ok(Operator::Substring, v, &["-3", "2"]), "78");
        assert_eq!(ok(Operator::Substring, v, &["-300", "3"]), "123");
        assert_eq!(ok(Operator::Substring, "12345678", &["9", "1"]), "");
        assert_eq!(ok(Operator::Substring, "12345678", &["9"]), "");
        assert_eq!(ok(Operator::Substring, "12345678", &["-2"]), "78");
        assert_eq!(ok(Operator::Substring, "hello", &["+1", "+2"]), "el");
        // Not integers: the value unchanged.
        assert_eq!(ok(Operator::Substring, "hello", &[" -2"]), "hello");
        assert_eq!(ok(Operator::Substring, "hello", &["1", "x"]), "hello");
        assert_eq!(
            ok(Operator::Substring, "hello", &["99999999999999999999"]),
            "hello"
        );
        assert_eq!(ok(Operator::Substring, "hello", &[]), "hello");
        // A negative length is fine only when the start is past the end anyway.
        assert_eq!(ok(Operator::Substring, "hello", &["9", "-2"]), "");
        assert_eq!(ok(Operator::Substring, "hello", &["2", "0"]), "");
        assert_eq!(
            ok(Operator::Substring, "hello", &["0", "9223372036854775807"]),
            "hello"
        );
    }

    #[test]
    fn substring_panics_of_go_are_errors() {
        let bounds = |low, high| Err(SliceBounds { low, high });
        assert_eq!(
            call(Operator::Substring, "hello", &["2", "-1"]),
            bounds(2, 1)
        );
        assert_eq!(
            call(Operator::Substring, "hello", &["0", "-3"]),
            bounds(0, -3)
        );
        assert_eq!(call(Operator::Substring, "abc", &["5", "-3"]), bounds(5, 2));
        // pos + len wraps around in Go's int arithmetic.
        assert_eq!(
            call(Operator::Substring, "abc", &["1", "9223372036854775807"]),
            bounds(1, i64::MIN)
        );
    }

    #[test]
    fn replacements_are_literal() {
        let z = "abcABC123ABCabc";
        assert_eq!(
            ok(Operator::ReplaceFirst, z, &["abc", "xyz"]),
            "xyzABC123ABCabc"
        );
        assert_eq!(
            ok(Operator::ReplaceAll, z, &["abc", "xyz"]),
            "xyzABC123ABCxyz"
        );
        assert_eq!(
            ok(Operator::ReplacePrefix, z, &["abc", "XYZ"]),
            "XYZABC123ABCabc"
        );
        assert_eq!(
            ok(Operator::ReplaceSuffix, z, &["abc", "XYZ"]),
            "abcABC123ABCXYZ"
        );
        assert_eq!(ok(Operator::ReplacePrefix, z, &["ABC", "XYZ"]), z);
        assert_eq!(ok(Operator::ReplaceSuffix, z, &["ABC", "XYZ"]), z);
        assert_eq!(ok(Operator::ReplaceAll, "a.b.c", &["*", "-"]), "a.b.c");
        // Without a replacement: deleted by `/` and `//`, kept by `/#` and `/%`.
        assert_eq!(
            ok(Operator::ReplaceFirst, "foo.bar.baz", &["."]),
            "foobar.baz"
        );
        assert_eq!(ok(Operator::ReplaceAll, "foo.bar.baz", &["."]), "foobarbaz");
        assert_eq!(ok(Operator::ReplacePrefix, "abc", &["a"]), "abc");
        assert_eq!(ok(Operator::ReplaceSuffix, "abc", &["c"]), "abc");
        // An empty pattern inserts, as Go's strings.Replace does.
        assert_eq!(ok(Operator::ReplaceFirst, "abc", &["", "-"]), "-abc");
        assert_eq!(ok(Operator::ReplaceAll, "abc", &["", "-"]), "-a-b-c-");
        assert_eq!(ok(Operator::ReplaceSuffix, "abc", &["", "-"]), "abc-");
    }

    #[test]
    fn trims_match_globs_on_byte_prefixes() {
        assert_eq!(
            ok(Operator::TrimShortestPrefix, "bash.string.txt", &["*."]),
            "string.txt"
        );
        assert_eq!(
            ok(Operator::TrimLongestPrefix, "bash.string.txt", &["*."]),
            "txt"
        );
        assert_eq!(
            ok(Operator::TrimShortestSuffix, "bash.string.txt", &[".*"]),
            "bash.string"
        );
        assert_eq!(
            ok(Operator::TrimLongestSuffix, "bash.string.txt", &[".*"]),
            "bash"
        );
        assert_eq!(
            ok(Operator::TrimShortestPrefix, "/path/to/file", &["*/"]),
            "path/to/file"
        );
        assert_eq!(
            ok(Operator::TrimLongestPrefix, "/path/to/file", &["*/"]),
            "file"
        );
        assert_eq!(ok(Operator::TrimShortestPrefix, "abc", &["x"]), "abc");
        // The shortest match is never empty: `*` removes one byte.
        assert_eq!(ok(Operator::TrimShortestPrefix, "abc", &["*"]), "bc");
        assert_eq!(ok(Operator::TrimLongestPrefix, "abc", &["*"]), "");
        // A malformed pattern leaves the value alone.
        assert_eq!(ok(Operator::TrimLongestPrefix, "abc", &["["]), "abc");
        // The reversed class `]9-0[` of a suffix trim matches nothing.
        assert_eq!(ok(Operator::TrimShortestSuffix, "abc1", &["[0-9]"]), "abc1");
    }

    #[test]
    fn trims_can_cut_a_character() {
        let mut out = Vec::new();
        apply(
            Operator::TrimShortestPrefix,
            "éa",
            &[b"*".to_vec()],
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [0xA9, b'a']);
        // Suffix trims reverse by characters: the cut byte comes back as U+FFFD.
        out.clear();
        apply(
            Operator::TrimShortestSuffix,
            "aé",
            &[b"*".to_vec()],
            &mut out,
        )
        .unwrap();
        assert_eq!(out, "a\u{FFFD}".as_bytes());
    }

    #[test]
    fn parse_int_is_go_atoi() {
        assert_eq!(parse_int(b"42"), Some(42));
        assert_eq!(parse_int(b"-7"), Some(-7));
        assert_eq!(parse_int(b"+7"), Some(7));
        assert_eq!(parse_int(b"007"), Some(7));
        assert_eq!(parse_int(b""), None);
        assert_eq!(parse_int(b" 1"), None);
        assert_eq!(parse_int(b"1_0"), None);
        assert_eq!(parse_int(b"9223372036854775808"), None);
    }
}
