//! Typing scalars as go-yaml v3 does (kyaml's resolver: the YAML 1.2 core
//! schema with go-yaml's extensions: `0777` octal, `1_000`, timestamps).
//!
//! Kustomize reads resources through kyaml, which decodes go-yaml v3 nodes
//! into Go `interface{}` values; the typed value (not the text) is what the
//! JSON round trip and the emitter see. This module reproduces that decision
//! from a scalar's text, style and tag, as pure functions:
//!
//! - [`resolve_plain`]: an untagged plain scalar (`12`, `1.5`, `true`, `~`,
//!   `2001-12-14`, `yes` stays a string);
//! - [`resolve_scalar`]: any scalar, with its quoting and tag (`!!int "42"`,
//!   `!!binary …`, custom tags give strings), failing as go-yaml fails on a
//!   tag that does not fit (``cannot decode !!float `1.5` as a !!int``);
//! - [`yaml11_bool`]: the YAML 1.1 booleans (`yes`, `on`, `n` …) that
//!   go-yaml v2, and so kustomize's reading of kustomization files, adds.
//!
//! Timestamps become strings in Go's RFC 3339 form with nanoseconds (what
//! `time.Time` marshals to in JSON), validated by a small calendar check.

use super::Value;
use base64::Engine as _;

/// How a scalar was written, as far as typing cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted: typed by the resolver.
    Plain,
    /// Single- or double-quoted, literal (`|`) or folded (`>`): a string
    /// unless a tag says otherwise.
    Quoted,
}

/// The value of an untagged plain scalar outside flow collections. (A
/// timestamp with a 24-hour offset, which Go fails to marshal, stays text
/// here; [`resolve_scalar`] reports it.)
pub fn resolve_plain(text: &str) -> Value {
    resolve_scalar(text, ScalarStyle::Plain, None, false)
        .unwrap_or_else(|_| Value::Str(text.into()))
}

/// The value of a scalar, given its style and tag (the tag in short form:
/// `!!int`, `!custom`; `None` or `!` when untagged). `in_flow` says the
/// scalar sits inside a flow collection (`{…}`, `[…]`), where kyaml leaves
/// timestamps with a `:` as the text they were (see [`ts_needs_text`]).
///
/// Errors carry go-yaml's message, e.g. ``cannot decode !!str `abc` as a !!int``.
pub fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&str>,
    in_flow: bool,
) -> Result<Value, String> {
    let tag = match tag {
        None | Some("!") => "",
        Some(t) => t,
    };
    match tag {
        "" if style == ScalarStyle::Quoted => return Ok(Value::Str(text.to_string())),
        "!!str" => return Ok(Value::Str(text.to_string())),
        "!!binary" => return decode_binary(text).map(Value::Str),
        "" | "!!bool" | "!!int" | "!!float" | "!!null" | "!!timestamp" => {}
        // Custom tags, and core tags go-yaml does not resolve (`!!map` on a
        // scalar), keep the text.
        _ => return Ok(Value::Str(text.to_string())),
    }
    let resolved = resolve_untagged(text, tag.is_empty() || tag == "!!timestamp");
    if let Resolved::Timestamp(dt) = &resolved {
        if dt.offset.is_some_and(|o| o.unsigned_abs() >= 24 * 3600) {
            // kustomize decodes the time, then JSON encoding fails on it.
            return Err("json: error calling MarshalJSON for type time.Time: \
                        Time.MarshalJSON: timezone hour outside of range [0,23]"
                .to_string());
        }
    }
    if tag.is_empty() {
        if in_flow && matches!(resolved, Resolved::Timestamp(_)) && ts_needs_text(text) {
            return Ok(Value::Str(text.to_string()));
        }
        return Ok(to_value(resolved, text));
    }
    let found = resolved.tag();
    if found == tag {
        return Ok(to_value(resolved, text));
    }
    match (tag, resolved) {
        ("!!float", Resolved::Int(i)) => Ok(Value::Float(i as f64)),
        (_, _) => Err(format!("cannot decode {found} `{text}` as a {tag}")),
    }
}

/// The boolean that YAML 1.1 (go-yaml v2) reads in a plain scalar: the YAML
/// 1.2 set plus `y`, `yes`, `on`, `n`, `no`, `off` in their three spellings.
pub fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Some(false)
        }
        _ => None,
    }
}

/// Whether a timestamp written inside a flow collection stays text: kyaml
/// re-encodes flow scalars containing `:` single-quoted, so the decoder then
/// sees a string. A date alone has no `:` and is converted as usual.
pub fn ts_needs_text(text: &str) -> bool {
    text.contains(':')
}

/// go-yaml's `resolve` outcome before it is turned into a [`Value`].
#[derive(Clone, Debug, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Timestamp(DateTime),
    Str,
}

impl Resolved {
    fn tag(&self) -> &'static str {
        match self {
            Resolved::Null => "!!null",
            Resolved::Bool(_) => "!!bool",
            Resolved::Int(_) | Resolved::UInt(_) => "!!int",
            Resolved::Float(_) => "!!float",
            Resolved::Timestamp(_) => "!!timestamp",
            Resolved::Str => "!!str",
        }
    }
}

fn to_value(r: Resolved, text: &str) -> Value {
    match r {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Int(i),
        Resolved::UInt(u) => Value::UInt(u),
        Resolved::Float(f) => Value::Float(f),
        Resolved::Timestamp(dt) => Value::Str(format_rfc3339_nano(&dt)),
        Resolved::Str => Value::Str(text.to_string()),
    }
}

/// go-yaml v3 `resolve` for an untagged (or resolvable-tagged) scalar. The
/// first byte picks what the text may be; anything else is a string.
fn resolve_untagged(text: &str, try_timestamp: bool) -> Resolved {
    let Some(&first) = text.as_bytes().first() else {
        return Resolved::Null;
    };
    match text {
        "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match first {
        b'.' => {
            // Go's ParseFloat on the raw text: `.5`, `.5e3` (no underscores).
            if is_yaml_float(text) && text.starts_with('.') {
                if let Some(f) = parse_finite_float(text) {
                    return Resolved::Float(f);
                }
            }
            Resolved::Str
        }
        b'0'..=b'9' | b'+' | b'-' => resolve_number(text, try_timestamp),
        _ => Resolved::Str,
    }
}

/// Int, float or timestamp: the digit-or-sign branch of go-yaml's resolver.
fn resolve_number(text: &str, try_timestamp: bool) -> Resolved {
    if try_timestamp {
        if let Some(dt) = parse_datetime(text) {
            return Resolved::Timestamp(dt);
        }
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int_base0(&plain) {
        return Resolved::Int(i);
    }
    if let Some(u) = go_parse_uint_base0(&plain) {
        return Resolved::UInt(u);
    }
    if is_yaml_float(&plain) {
        if let Some(f) = parse_finite_float(&plain) {
            return Resolved::Float(f);
        }
    }
    // go-yaml's explicit `0b`/`0o` fallbacks parse the rest with a fixed
    // base, which (unlike base 0) lets it carry its own sign: `0b-101` is -5.
    for (prefix, radix) in [("0b", 2), ("0o", 8)] {
        if let Some(rest) = plain.strip_prefix(prefix) {
            if let Some(i) = go_parse_int(rest, radix) {
                return Resolved::Int(i);
            }
            if let Some(u) = go_parse_uint(rest, radix) {
                return Resolved::UInt(u);
            }
        } else if let Some(rest) = plain.strip_prefix('-').and_then(|p| p.strip_prefix(prefix)) {
            if let Some(i) = go_parse_int(&format!("-{rest}"), radix) {
                return Resolved::Int(i);
            }
        }
    }
    Resolved::Str
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's float syntax.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A float that Go's ParseFloat accepts without a range error (overflow to
/// infinity is an error there; underflow to zero is not).
fn parse_finite_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go `strconv.ParseInt(s, 0, 64)`: sign, then `0x`/`0o`/`0b` or a leading
/// `0` (octal) or decimal digits. `s` has no underscores left.
fn go_parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_magnitude_base0(body)?;
    signed(neg, mag)
}

/// Go `strconv.ParseUint(s, 0, 64)` (no sign allowed).
fn go_parse_uint_base0(s: &str) -> Option<u64> {
    parse_magnitude_base0(s)
}

/// Go `strconv.ParseInt(s, radix, 64)` with an optional sign.
fn go_parse_int(s: &str, radix: u32) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    signed(neg, parse_digits(body, radix)?)
}

fn go_parse_uint(s: &str, radix: u32) -> Option<u64> {
    parse_digits(s, radix)
}

fn signed(neg: bool, mag: u64) -> Option<i64> {
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

fn parse_magnitude_base0(body: &str) -> Option<u64> {
    let b = body.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => return parse_digits(&body[2..], 16),
            b'o' | b'O' => return parse_digits(&body[2..], 8),
            b'b' | b'B' => return parse_digits(&body[2..], 2),
            _ => return parse_digits(&body[1..], 8),
        }
    }
    parse_digits(body, 10)
}

/// Unsigned digits in `radix`, at least one, fitting 64 bits.
fn parse_digits(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for c in s.chars() {
        let d = c.to_digit(radix)?;
        v = v.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    Some(v)
}

/// `!!binary`: base64 (line breaks ignored, as Go's decoder does) decoded to
/// text; bytes that are not UTF-8 become U+FFFD, as Go's JSON encoder writes them.
fn decode_binary(text: &str) -> Result<String, String> {
    let compact: String = text.chars().filter(|&c| c != '\n' && c != '\r').collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    match engine.decode(compact.as_bytes()) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => Err("!!binary value contains invalid base64 data".to_string()),
    }
}

// ---- timestamps ----

/// A broken-down time as Go's `time.Parse` reads it.
#[derive(Clone, Debug, PartialEq)]
struct DateTime {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Offset from UTC in seconds; `None` when the text has no zone (UTC).
    offset: Option<i32>,
}

/// go-yaml's `parseTimestamp`: the text starts with four digits and `-`, and
/// matches one of `2006-1-2T15:4:5.999999999Z07:00` (also with a lower-case
/// `t`), `2006-1-2 15:4:5.999999999` (UTC) or `2006-1-2`. Gives the RFC 3339
/// text with nanoseconds that Go marshals the time to.
pub fn parse_timestamp(s: &str) -> Option<String> {
    parse_datetime(s).map(|dt| format_rfc3339_nano(&dt))
}

fn parse_datetime(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    [
        Layout::DateTimeZone(b'T'),
        Layout::DateTimeZone(b't'),
        Layout::DateTimeSpace,
        Layout::Date,
    ]
    .into_iter()
    .find_map(|layout| parse_layout(b, layout))
}

#[derive(Clone, Copy)]
enum Layout {
    /// `2006-1-2T15:4:5.999999999Z07:00` with the given separator.
    DateTimeZone(u8),
    /// `2006-1-2 15:4:5.999999999`.
    DateTimeSpace,
    /// `2006-1-2`.
    Date,
}

/// A cursor over the text, with Go `time.Parse`'s number readers.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn literal(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// Go `getnum(value, false)`: one digit, or two when the second is a digit.
    fn num12(&mut self) -> Option<u32> {
        let d0 = digit(self.b.get(self.i))?;
        self.i += 1;
        match digit(self.b.get(self.i)) {
            Some(d1) => {
                self.i += 1;
                Some(d0 * 10 + d1)
            }
            None => Some(d0),
        }
    }

    /// A layout space: one or more spaces (Go's `skip` eats them all).
    fn spaces(&mut self) -> Option<()> {
        if self.b.get(self.i) != Some(&b' ') {
            return None;
        }
        while self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
        Some(())
    }

    fn at_end(&self) -> bool {
        self.i == self.b.len()
    }
}

fn digit(b: Option<&u8>) -> Option<u32> {
    b.filter(|c| c.is_ascii_digit()).map(|c| (c - b'0') as u32)
}

fn parse_layout(b: &[u8], layout: Layout) -> Option<DateTime> {
    let mut c = Cursor { b, i: 4 };
    let year = b[..4].iter().fold(0u32, |v, d| v * 10 + (d - b'0') as u32);
    c.literal(b'-')?;
    let month = c.num12()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    c.literal(b'-')?;
    let day = c.num12()?;
    let mut dt = DateTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: None,
    };
    match layout {
        Layout::Date => {}
        Layout::DateTimeZone(sep) => {
            c.literal(sep)?;
            parse_clock(&mut c, &mut dt)?;
            dt.offset = Some(parse_zone(&mut c)?);
        }
        Layout::DateTimeSpace => {
            c.spaces()?;
            parse_clock(&mut c, &mut dt)?;
        }
    }
    if !c.at_end() || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(dt)
}

/// `15:4:5.999999999`: hour 0-23, minute and second 0-59, an optional
/// fraction (`.` or `,` and any number of digits, truncated to nanoseconds).
fn parse_clock(c: &mut Cursor, dt: &mut DateTime) -> Option<()> {
    dt.hour = c.num12().filter(|h| *h < 24)?;
    c.literal(b':')?;
    dt.minute = c.num12().filter(|m| *m < 60)?;
    c.literal(b':')?;
    dt.second = c.num12().filter(|s| *s < 60)?;
    if matches!(c.b.get(c.i), Some(b'.' | b',')) && digit(c.b.get(c.i + 1)).is_some() {
        c.i += 1;
        let mut nanos = 0u32;
        let mut n = 0;
        while let Some(d) = digit(c.b.get(c.i)) {
            if n < 9 {
                nanos = nanos * 10 + d;
                n += 1;
            }
            c.i += 1;
        }
        dt.nanos = nanos * 10u32.pow(9 - n);
    }
    Some(())
}

/// `Z07:00`: `Z`, or a sign and `hh:mm` (Go accepts hours up to 24 and
/// minutes up to 60 here).
fn parse_zone(c: &mut Cursor) -> Option<i32> {
    if c.literal(b'Z').is_some() {
        return Some(0);
    }
    let b = c.b.get(c.i..c.i + 6)?;
    if b[3] != b':' {
        return None;
    }
    let two = |x: &[u8]| Some(digit(x.first())? * 10 + digit(x.get(1))?);
    let (h, m) = (two(&b[1..3])?, two(&b[4..6])?);
    if h > 24 || m > 60 {
        return None;
    }
    let off = ((h * 60 + m) * 60) as i32;
    c.i += 6;
    match b[0] {
        b'+' => Some(off),
        b'-' => Some(-off),
        _ => None,
    }
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `time.RFC3339Nano` (`2006-01-02T15:04:05.999999999Z07:00`): trailing
/// fractional zeros dropped, a zero or missing offset written `Z`.
fn format_rfc3339_nano(dt: &DateTime) -> String {
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
    );
    if dt.nanos > 0 {
        let frac = format!("{:09}", dt.nanos);
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    match dt.offset.unwrap_or(0) {
        0 => s.push('Z'),
        off => {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            s.push_str(&format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Value {
        resolve_plain(s)
    }

    fn str_(s: &str) -> Value {
        Value::Str(s.to_string())
    }

    fn is_str(v: &Value, s: &str) -> bool {
        matches!(v, Value::Str(x) if x == s)
    }

    #[test]
    fn yaml11_words_stay_strings() {
        for s in [
            "yes", "no", "on", "off", "y", "n", "Yes", "ON", "nO", "tRUE", "Yes!",
        ] {
            assert!(is_str(&plain(s), s), "{s}");
        }
    }

    #[test]
    fn bools_and_nulls() {
        for s in ["true", "True", "TRUE"] {
            assert_eq!(plain(s), Value::Bool(true));
        }
        for s in ["false", "False", "FALSE"] {
            assert_eq!(plain(s), Value::Bool(false));
        }
        for s in ["~", "null", "Null", "NULL", ""] {
            assert_eq!(plain(s), Value::Null, "{s:?}");
        }
        assert!(is_str(&plain("nULL"), "nULL"));
    }

    #[test]
    fn ints_as_go_yaml_v3_reads_them() {
        let cases: [(&str, i64); 15] = [
            ("0777", 511),
            ("012", 10),
            ("0o17", 15),
            ("0O17", 15),
            ("0x1F", 31),
            ("0X1f", 31),
            ("0b101", 5),
            ("1_000", 1000),
            ("1__2", 12),
            ("+12", 12),
            ("-0", 0),
            ("-12", -12),
            ("20011214", 20011214),
            ("-9223372036854775808", i64::MIN),
            ("0b-101", -5),
        ];
        for (s, v) in cases {
            assert_eq!(plain(s), Value::Int(v), "{s}");
        }
        assert!(matches!(plain("9223372036854775807"), Value::Int(i64::MAX)));
    }

    #[test]
    fn large_ints_become_uint_then_float() {
        assert!(matches!(
            plain("9223372036854775808"),
            Value::UInt(9223372036854775808)
        ));
        assert!(matches!(
            plain("18446744073709551615"),
            Value::UInt(u64::MAX)
        ));
        assert!(
            matches!(plain("18446744073709551616"), Value::Float(f) if f == 18446744073709551616.0)
        );
        assert!(matches!(plain("100000000000000000000"), Value::Float(f) if f == 1e20));
        assert!(
            matches!(plain("-9223372036854775809"), Value::Float(f) if f == -9223372036854775809.0)
        );
    }

    #[test]
    fn floats() {
        let cases: [(&str, f64); 12] = [
            ("1.0", 1.0),
            ("1e3", 1000.0),
            ("1.5e3", 1500.0),
            ("3.", 3.0),
            (".5", 0.5),
            ("+.5", 0.5),
            ("-1.5", -1.5),
            ("0.0001", 0.0001),
            ("6.02e+23", 6.02e23),
            ("1_000.5", 1000.5),
            ("08", 8.0),
            ("1e-400", 0.0),
        ];
        for (s, v) in cases {
            assert!(matches!(plain(s), Value::Float(f) if f == v), "{s}");
        }
        assert!(matches!(plain("-0.0"), Value::Float(f) if f == 0.0 && f.is_sign_negative()));
        assert!(matches!(plain(".inf"), Value::Float(f) if f == f64::INFINITY));
        assert!(matches!(plain("+.Inf"), Value::Float(f) if f == f64::INFINITY));
        assert!(matches!(plain("-.INF"), Value::Float(f) if f == f64::NEG_INFINITY));
        assert!(matches!(plain(".NaN"), Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn not_numbers() {
        for s in [
            "12e", "0xG", "1,000", "0b2", "._", "+", "-", "-0b", "1e400", ".", ".e1", "._5",
            "1.2.3", "1:20", "12:30:45", "_1", "=", "<<", "Infinity", "inf", "nan", "0x", "1.10.0",
            "v1", "é", "-.5e", "+-1",
        ] {
            assert!(is_str(&plain(s), s), "{s}");
        }
    }

    #[test]
    fn timestamps() {
        let cases = [
            ("2001-12-14", "2001-12-14T00:00:00Z"),
            ("2001-1-1", "2001-01-01T00:00:00Z"),
            ("2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"),
            ("2001-12-14  1:2:3", "2001-12-14T01:02:03Z"),
            (
                "2001-12-14t21:59:43.10-05:00",
                "2001-12-14T21:59:43.1-05:00",
            ),
            ("2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43Z"),
            ("2001-12-14T21:59:43-00:00", "2001-12-14T21:59:43Z"),
            ("2001-12-14T21:59:43Z", "2001-12-14T21:59:43Z"),
            (
                "2001-12-14T21:59:43.123456789123Z",
                "2001-12-14T21:59:43.123456789Z",
            ),
            ("2001-12-14T21:59:43,5Z", "2001-12-14T21:59:43.5Z"),
            ("2001-12-14T21:59:43.000Z", "2001-12-14T21:59:43Z"),
            ("2000-02-29", "2000-02-29T00:00:00Z"),
            ("2004-02-29", "2004-02-29T00:00:00Z"),
            ("2001-12-14T21:59:43+05:60", "2001-12-14T21:59:43+06:00"),
        ];
        for (s, want) in cases {
            assert!(is_str(&plain(s), want), "{s} -> {:?}", plain(s));
        }
    }

    #[test]
    fn not_timestamps() {
        for s in [
            "2001-12-14T21:59:43",
            "2001-02-30",
            "1900-02-29",
            "2001-13-01",
            "2001-00-10",
            "2001-12-00",
            "2001-12-14T24:00:00Z",
            "2001-12-14T21:60:00Z",
            "2001-12-14T21:59:60Z",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-14 21:59:43Z",
            "2001-012-14",
            "2001-12-14T21:59:43z",
            "2001-12-14T21:59:43+0500",
            "01-12-14",
            "2001-12-14x",
        ] {
            assert!(is_str(&plain(s), s), "{s} -> {:?}", plain(s));
        }
    }

    #[test]
    fn quoted_and_tagged() {
        use ScalarStyle::*;
        let r = |t: &str, st, tag: Option<&str>| resolve_scalar(t, st, tag, false);
        assert_eq!(r("0777", Quoted, None), Ok(str_("0777")));
        assert_eq!(r("123", Plain, Some("!!str")), Ok(str_("123")));
        assert_eq!(r("foo", Plain, Some("!custom")), Ok(str_("foo")));
        assert_eq!(r("42", Plain, Some("!custom")), Ok(str_("42")));
        assert_eq!(r("~", Plain, Some("!custom")), Ok(str_("~")));
        assert_eq!(r("42", Quoted, Some("!!int")), Ok(Value::Int(42)));
        assert_eq!(r("0x1F", Plain, Some("!!int")), Ok(Value::Int(31)));
        assert_eq!(r("1", Plain, Some("!!float")), Ok(Value::Float(1.0)));
        assert_eq!(r("1e3", Quoted, Some("!!float")), Ok(Value::Float(1000.0)));
        assert_eq!(r("", Quoted, Some("!!null")), Ok(Value::Null));
        assert_eq!(r("true", Quoted, Some("!!bool")), Ok(Value::Bool(true)));
        assert_eq!(r("12", Plain, Some("!")), Ok(Value::Int(12)));
        assert_eq!(r("12", Quoted, Some("!")), Ok(str_("12")));
        assert_eq!(
            r("2001-12-14", Plain, Some("!!timestamp")),
            Ok(str_("2001-12-14T00:00:00Z"))
        );
        assert_eq!(r("aGVsbG8=", Plain, Some("!!binary")), Ok(str_("hello")));
        assert_eq!(
            r("aGVs\nbG8=\n", Quoted, Some("!!binary")),
            Ok(str_("hello"))
        );
        assert_eq!(
            r("a!", Plain, Some("!!binary")),
            Err("!!binary value contains invalid base64 data".into())
        );
        assert_eq!(
            r("1.5", Plain, Some("!!int")),
            Err("cannot decode !!float `1.5` as a !!int".into())
        );
        assert_eq!(
            r("abc", Quoted, Some("!!int")),
            Err("cannot decode !!str `abc` as a !!int".into())
        );
        assert_eq!(
            r("yes", Plain, Some("!!bool")),
            Err("cannot decode !!str `yes` as a !!bool".into())
        );
        assert_eq!(
            r("2001-12-14", Plain, Some("!!int")),
            Err("cannot decode !!str `2001-12-14` as a !!int".into())
        );
        assert_eq!(
            r("18446744073709551615", Plain, Some("!!float")),
            Err("cannot decode !!int `18446744073709551615` as a !!float".into())
        );
    }

    #[test]
    fn timestamps_go_cannot_marshal_are_errors() {
        let e = resolve_scalar("2001-12-14T21:59:43-24:00", ScalarStyle::Plain, None, true);
        assert!(e
            .unwrap_err()
            .ends_with("timezone hour outside of range [0,23]"));
        assert!(
            resolve_scalar("2001-12-14T21:59:43+23:60", ScalarStyle::Plain, None, false).is_err()
        );
        assert!(is_str(
            &plain("2001-12-14T21:59:43+23:59"),
            "2001-12-14T21:59:43+23:59"
        ));
    }

    #[test]
    fn timestamps_with_colons_in_flow_stay_text() {
        let r = |t: &str| resolve_scalar(t, ScalarStyle::Plain, None, true);
        assert_eq!(
            r("2001-12-14 21:59:43.10"),
            Ok(str_("2001-12-14 21:59:43.10"))
        );
        assert_eq!(r("2001-12-14"), Ok(str_("2001-12-14T00:00:00Z")));
        assert_eq!(r("12"), Ok(Value::Int(12)));
    }

    #[test]
    fn yaml11_bools() {
        assert_eq!(yaml11_bool("yes"), Some(true));
        assert_eq!(yaml11_bool("Off"), Some(false));
        assert_eq!(yaml11_bool("TRUE"), Some(true));
        assert_eq!(yaml11_bool("yEs"), None);
    }
}
