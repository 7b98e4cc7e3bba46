//! Would goyaml.v2 read this string, written plain, as something else?
//!
//! goyaml.v2 quotes a string (double quotes) when its own resolver would type
//! the plain text as a non-string (YAML 1.1-ish: `yes`, `on`, `~`, `0x1F`,
//! `1_000`, `.5`, `2001-12-14`), or when it looks like a base-60 float
//! (`1:20`). This module answers that question the way goyaml.v2's
//! `resolve` and `isBase60Float` do, including the Go `strconv` and
//! `time.Parse` rules they lean on.

use super::go_timestamp::is_go_timestamp;

/// True when goyaml.v2 would not read `s` back as a string if it were
/// written plain, so the emitter must quote it.
pub(super) fn needs_quotes(s: &str) -> bool {
    resolves_to_non_string(s) || is_base60_float(s)
}

/// goyaml.v2 `resolve("", s)` gives a tag other than `!!str`.
fn resolves_to_non_string(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return true; // the empty string is null
    };
    let hinted = matches!(
        first,
        b'+' | b'-' | b'0'
            ..=b'9'
                | b'y'
                | b'Y'
                | b'n'
                | b'N'
                | b't'
                | b'T'
                | b'f'
                | b'F'
                | b'o'
                | b'O'
                | b'~'
                | b'.'
    );
    if !hinted {
        return false;
    }
    if is_special_word(s) {
        return true;
    }
    match first {
        b'.' => go_parse_float_dot(s),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_go_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            go_parse_int(&plain, IntBase::Auto)
                || is_yaml_style_float(&plain) && parses_finite(&plain)
                || plain
                    .strip_prefix("0b")
                    .is_some_and(|digits| go_parse_int(digits, IntBase::Binary))
        }
        _ => false,
    }
}

/// The words goyaml.v2 looks up in its table (bools, nulls, special floats).
fn is_special_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

#[derive(Clone, Copy, PartialEq)]
enum IntBase {
    /// Go `ParseInt(s, 0, 64)`/`ParseUint(s, 0, 64)`: base from the prefix.
    Auto,
    /// Go `ParseInt(s, 2, 64)`/`ParseUint(s, 2, 64)`.
    Binary,
}

/// Go `strconv.ParseInt(s, base, 64)` or `ParseUint(s, base, 64)` succeeds
/// (`s` has no underscores here). A sign is accepted only by `ParseInt`,
/// so a signed value must fit `i64`; an unsigned one may use all of `u64`.
fn go_parse_int(s: &str, base: IntBase) -> bool {
    let (negative, signed, body) = match s.as_bytes().first() {
        Some(b'-') => (true, true, &s[1..]),
        Some(b'+') => (false, true, &s[1..]),
        _ => (false, false, s),
    };
    if body.is_empty() {
        return false;
    }
    let (radix, digits) = match base {
        IntBase::Binary => (2, body),
        IntBase::Auto => {
            let b = body.as_bytes();
            if b[0] != b'0' {
                (10, body)
            } else if b.len() >= 3 {
                match b[1].to_ascii_lowercase() {
                    b'b' => (2, &body[2..]),
                    b'o' => (8, &body[2..]),
                    b'x' => (16, &body[2..]),
                    _ => (8, &body[1..]),
                }
            } else {
                (8, &body[1..])
            }
        }
    };
    // Go accepts an empty digit string after a lone leading `0` ("0" is 0).
    let Some(magnitude) = parse_magnitude(digits, radix) else {
        return false;
    };
    if !signed {
        return true;
    }
    if negative {
        magnitude <= 1u64 << 63
    } else {
        magnitude < 1u64 << 63
    }
}

/// Digits in `radix` as a u64; `None` on a bad digit or overflow.
fn parse_magnitude(digits: &str, radix: u32) -> Option<u64> {
    let mut value: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        value = value.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    Some(value)
}

/// goyaml.v2's float pattern,
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_digits = count_digits(&b[i..]);
    i += int_digits;
    if int_digits == 0 {
        if b.get(i) != Some(&b'.') {
            return false;
        }
        let frac = count_digits(&b[i + 1..]);
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    } else if b.get(i) == Some(&b'.') {
        i += 1 + count_digits(&b[i + 1..]);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = count_digits(&b[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

fn count_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Go `ParseFloat` succeeds on a decimal literal: it fails only on overflow
/// (underflow to zero is accepted).
fn parses_finite(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go `strconv.ParseFloat(s, 64)` succeeds for a string starting with `.`:
/// `.` digits, optional exponent, `_` only between digits, no overflow.
fn go_parse_float_dot(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 1;
    let mut saw_digits = false;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        saw_digits |= b[i].is_ascii_digit();
        i += 1;
    }
    if !saw_digits {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return false;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    if i != b.len() || !go_underscores_ok(s) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    parses_finite(&plain)
}

/// Go's `underscoreOK` for a decimal literal without base prefix: every `_`
/// sits between two digits.
fn go_underscores_ok(s: &str) -> bool {
    #[derive(PartialEq)]
    enum Saw {
        Start,
        Digit,
        Underscore,
        Other,
    }
    let mut saw = Saw::Start;
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    for c in body.bytes() {
        if c.is_ascii_digit() {
            saw = Saw::Digit;
        } else if c == b'_' {
            if saw != Saw::Digit {
                return false;
            }
            saw = Saw::Underscore;
        } else {
            if saw == Saw::Underscore {
                return false;
            }
            saw = Saw::Other;
        }
    }
    saw != Saw::Underscore
}

/// goyaml.v2 `isBase60Float`:
/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        let run = count_digits(&b[i + 1..]);
        let ok = run == 1 || run == 2 && b[i + 1] <= b'5';
        if !ok {
            return false;
        }
        groups += 1;
        i += 1 + run;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_words_need_quotes() {
        for s in [
            "yes", "y", "Y", "N", "on", "Off", "true", "True", "FALSE", "null", "Null", "~", "",
            ".inf", "-.INF", "+.Inf", ".NaN",
        ] {
            assert!(needs_quotes(s), "{s:?}");
        }
        for s in [
            "nO", "tRUE", "Yes!", "<<", "=", ".", "+", "-", "~a", "a~", "Infinity", "é",
        ] {
            assert!(!needs_quotes(s), "{s:?}");
        }
    }

    #[test]
    fn integers_need_quotes() {
        for s in [
            "123",
            "+12",
            "-12",
            "0777",
            "0x1F",
            "0X1f",
            "0o17",
            "0b101",
            "1_000",
            "1__2",
            "20011214",
            "0",
            "-0",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "0b-1",
            "+_1",
        ] {
            assert!(needs_quotes(s), "{s:?}");
        }
    }

    #[test]
    fn floats_need_quotes() {
        for s in [
            "1.0",
            "1.",
            "0.",
            "-.5",
            "+.5e5",
            "1e3",
            "08",
            ".5",
            ".5e3",
            ".5_5",
            "1e-400",
            "99999999999999999999",
            "-9223372036854775809",
        ] {
            assert!(needs_quotes(s), "{s:?}");
        }
    }

    #[test]
    fn non_numbers_stay_plain() {
        for s in [
            "12e",
            "0xG",
            "1,000",
            "0b2",
            "._",
            "._5",
            ".5_",
            "-0b",
            "0x",
            "1e400",
            ".5e999",
            "0x1FFFFFFFFFFFFFFFFF",
            "1.2.3",
            "v1",
            "1a",
            "-1-",
            "+-1",
            "0b",
        ] {
            assert!(!needs_quotes(s), "{s:?}");
        }
    }

    #[test]
    fn base60_needs_quotes() {
        for s in [
            "1:20",
            "12:30:45",
            "190:20:30",
            "-1:20",
            "1_0:5",
            "1:20.5",
            "1:2:3.",
        ] {
            assert!(needs_quotes(s), "{s:?}");
        }
        for s in ["1:60", "1:", "1:200", "a:1", ":1", "1::2", "1:2a"] {
            assert!(!needs_quotes(s), "{s:?}");
        }
    }
}
