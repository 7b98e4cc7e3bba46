//! Go's `time.Parse` for the four layouts goyaml.v2 tries on a plain
//! scalar that starts with `YYYY-` (its `parseTimestamp`). A string that
//! parses is a timestamp to goyaml.v2, so the emitter double-quotes it.
//!
//! Go's rules kept here: month, day, hour, minute and second take one or
//! two digits; ranges are checked (day against the month, with leap years);
//! a space in the layout matches a run of spaces; the fraction takes `.` or
//! `,` and any number of digits; the zone is `Z` or `±hh:mm` (hours up to
//! 24, minutes up to 60); nothing may follow.

/// goyaml.v2 `parseTimestamp`: `YYYY-` then Go `time.Parse` with one of
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with a lowercase `t`,
/// `2006-1-2 15:4:5.999999999` or `2006-1-2`.
pub(super) fn is_go_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    [
        Layout::DateTimeZone(b'T'),
        Layout::DateTimeZone(b't'),
        Layout::DateTime,
        Layout::Date,
    ]
    .into_iter()
    .any(|layout| parse_with(layout, b))
}

#[derive(Clone, Copy)]
enum Layout {
    /// `2006-1-2<sep>15:4:5.999999999Z07:00`
    DateTimeZone(u8),
    /// `2006-1-2 15:4:5.999999999`
    DateTime,
    /// `2006-1-2`
    Date,
}

/// Go `time.Parse(layout, s)` succeeds (only the layouts above).
fn parse_with(layout: Layout, s: &[u8]) -> bool {
    let mut rest = s;
    let year = parse_fixed_digits(&mut rest, 4);
    let Some(year) = year else { return false };
    if !eat(&mut rest, b'-') {
        return false;
    }
    let Some(month) = go_getnum(&mut rest) else {
        return false;
    };
    if !(1..=12).contains(&month) {
        return false;
    }
    if !eat(&mut rest, b'-') {
        return false;
    }
    let Some(day) = go_getnum(&mut rest) else {
        return false;
    };
    match layout {
        Layout::Date => {}
        Layout::DateTimeZone(sep) => {
            if !eat(&mut rest, sep) || !parse_clock(&mut rest) || !parse_zone(&mut rest) {
                return false;
            }
        }
        Layout::DateTime => {
            // A space in a Go layout matches any run of spaces (none at the
            // end of the input, where the clock then fails).
            if rest.first().is_some_and(|&c| c != b' ') {
                return false;
            }
            while rest.first() == Some(&b' ') {
                rest = &rest[1..];
            }
            if !parse_clock(&mut rest) {
                return false;
            }
        }
    }
    rest.is_empty() && day >= 1 && day <= days_in_month(month, year)
}

/// `15:4:5.999999999`: hour, minute, second of one or two digits, then an
/// optional fraction (`.` or `,` and any number of digits).
fn parse_clock(rest: &mut &[u8]) -> bool {
    let Some(hour) = go_getnum(rest) else {
        return false;
    };
    if hour >= 24 || !eat(rest, b':') {
        return false;
    }
    let Some(minute) = go_getnum(rest) else {
        return false;
    };
    if minute >= 60 || !eat(rest, b':') {
        return false;
    }
    let Some(second) = go_getnum(rest) else {
        return false;
    };
    if second >= 60 {
        return false;
    }
    if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b',') && rest[1].is_ascii_digit() {
        *rest = &rest[1..];
        while rest.first().is_some_and(u8::is_ascii_digit) {
            *rest = &rest[1..];
        }
    }
    true
}

/// `Z07:00`: `Z`, or a sign and `hh:mm` (hours up to 24, minutes up to 60).
fn parse_zone(rest: &mut &[u8]) -> bool {
    if eat(rest, b'Z') {
        return true;
    }
    let r = *rest;
    if r.len() < 6 || r[3] != b':' || !(r[0] == b'+' || r[0] == b'-') {
        return false;
    }
    let digits = [r[1], r[2], r[4], r[5]];
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let hours = (r[1] - b'0') * 10 + (r[2] - b'0');
    let minutes = (r[4] - b'0') * 10 + (r[5] - b'0');
    *rest = &r[6..];
    hours <= 24 && minutes <= 60
}

/// Go's `getnum(s, false)`: one digit, or two when the second is a digit.
fn go_getnum(rest: &mut &[u8]) -> Option<u32> {
    let r = *rest;
    let first = *r.first().filter(|c| c.is_ascii_digit())?;
    let mut value = u32::from(first - b'0');
    let mut used = 1;
    if let Some(&second) = r.get(1).filter(|c| c.is_ascii_digit()) {
        value = value * 10 + u32::from(second - b'0');
        used = 2;
    }
    *rest = &r[used..];
    Some(value)
}

fn parse_fixed_digits(rest: &mut &[u8], n: usize) -> Option<u32> {
    let r = *rest;
    if r.len() < n || !r[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = r[..n]
        .iter()
        .fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
    *rest = &r[n..];
    Some(value)
}

fn eat(rest: &mut &[u8], c: u8) -> bool {
    if rest.first() == Some(&c) {
        *rest = &rest[1..];
        true
    } else {
        false
    }
}

fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::is_go_timestamp;

    #[test]
    fn accepted_by_a_layout() {
        for s in [
            "2001-12-14",
            "2001-1-1",
            "2001-12-14T21:59:43Z",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14   21:59:43",
            "2001-12-14T21:59:43.123456789123Z",
            "2001-12-14T00:00:00Z",
            "2000-02-29",
            "2001-12-14 21:59:43,5",
        ] {
            assert!(is_go_timestamp(s), "{s:?}");
        }
    }

    #[test]
    fn rejected_by_every_layout() {
        for s in [
            "2001-12-14T21:59:43",
            "2001-13-01",
            "2001-02-30",
            "2001-02-29",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-14T24:00:00Z",
            "2001-12-14T21:60:00Z",
            "2001-12-14T21:59:43z",
            "2001-12-14x",
            "2001-12-",
            "2001-00-10",
            "2001-12-00",
            "2001-123-1",
        ] {
            assert!(!is_go_timestamp(s), "{s:?}");
        }
    }
}
