//! Floats as `kustomize build` prints them.
//!
//! A float crosses two encoders before it is printed: encoding/json writes
//! an integral float below 1e21 as plain digits, which goyaml.v2 then reads
//! back as an integer when it fits 64 bits; every other float reaches the
//! YAML emitter as a float and is written by Go's
//! `strconv.FormatFloat(f, 'g', -1, 64)`.
//!
//! Both use Go's shortest digits: the fewest digits that read back to the
//! same float, and among those the closest to it, ties to the even digit.
//! Rust's shortest formatting agrees except on exact ties, where it rounds
//! up; [`shortest_decimal`] corrects those.

/// A float as kustomize prints it after the JSON round trip.
///
/// Integral floats that fit 64 bits print as integers (`1.0` → `1`,
/// `-0.0` → `0`); others use Go's shortest `%g`: exponent form when the
/// decimal exponent is below -4 or at least 6 (`1e-05`, `1.2345675e+06`,
/// `1e+21`), with a signed exponent of at least two digits. Non-finite
/// values, which kustomize refuses to write (see `check_emittable`), come
/// out as goyaml.v2 spells them (`.inf`, `-.inf`, `.nan`).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let negative = f.is_sign_negative();
    let decimal = shortest_decimal(f);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // encoding/json's text for this float, read back by goyaml.v2.
        let text = decimal.fixed(negative);
        if let Ok(i) = text.parse::<i64>() {
            return i.to_string();
        }
        if let Ok(u) = text.parse::<u64>() {
            return u.to_string();
        }
        // Too big for 64 bits: goyaml.v2 reads the digits back as this
        // same float.
    }
    if decimal.exp < -4 || decimal.exp >= 6 {
        decimal.scientific(negative)
    } else {
        decimal.fixed(negative)
    }
}

/// `d1.d2d3… × 10^exp`; `digits` has no leading or trailing zeros (`"0"`
/// for zero).
struct Decimal {
    digits: String,
    exp: i32,
}

impl Decimal {
    /// Go's `'f'` format with shortest precision.
    fn fixed(&self, negative: bool) -> String {
        let mut out = String::new();
        if negative && self.digits != "0" {
            out.push('-');
        }
        let len = self.digits.len() as i32;
        if self.exp < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-self.exp - 1) as usize));
            out.push_str(&self.digits);
        } else if len <= self.exp + 1 {
            out.push_str(&self.digits);
            out.extend(std::iter::repeat_n('0', (self.exp + 1 - len) as usize));
        } else {
            let (int, frac) = self.digits.split_at((self.exp + 1) as usize);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        }
        out
    }

    /// Go's `'e'` format with shortest precision: `d.ddde±XX`.
    fn scientific(&self, negative: bool) -> String {
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        let (first, rest) = self.digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let sign = if self.exp < 0 { '-' } else { '+' };
        out.push_str(&format!("e{sign}{:02}", self.exp.unsigned_abs()));
        out
    }
}

/// Go's shortest decimal digits for a finite float (sign ignored).
fn shortest_decimal(f: f64) -> Decimal {
    let f = f.abs();
    if f == 0.0 {
        return Decimal {
            digits: "0".to_string(),
            exp: 0,
        };
    }
    // `{:e}` gives the shortest round-trip digits as `d.ddde<exp>`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits = even_tie_alternative(f, &digits, exp).unwrap_or(digits);
    Decimal { digits, exp }
}

/// When `f` lies exactly halfway between `digits` and a neighbour with the
/// same number of digits that also reads back as `f`, Go picks the even one
/// of the two; returns the neighbour when that is it.
fn even_tie_alternative(f: f64, digits: &str, exp: i32) -> Option<String> {
    let d: u64 = digits.parse().ok()?;
    if d % 2 == 0 {
        return None;
    }
    // The last digit's unit is 10^k.
    let k = exp - (digits.len() as i32 - 1);
    let (m, e) = odd_mantissa(f);
    for neighbour in [d - 1, d + 1] {
        // f == (d + neighbour) / 2 × 10^k  ⇔  m·2^(e+1) == c·10^k, c odd.
        let c = u128::from(d + neighbour);
        if !equals_odd_times_power_of_ten(m, e + 1, c, k) {
            continue;
        }
        let text = neighbour.to_string();
        if text.len() != digits.len() {
            return None;
        }
        let reread: f64 = format!("{text}e{k}").parse().ok()?;
        return (reread == f).then_some(text);
    }
    None
}

/// `f == m · 2^e` with `m` odd (`f` finite and non-zero).
fn odd_mantissa(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let zeros = m.trailing_zeros();
    (m >> zeros, e + zeros as i32)
}

/// `m · 2^e == c · 10^k` for odd `m` and odd `c`: the powers of two must
/// match (`e == k`), and then the odd parts `m` and `c · 5^k`.
fn equals_odd_times_power_of_ten(m: u64, e: i32, c: u128, k: i32) -> bool {
    if e != k {
        return false;
    }
    let Some(five_pow) = 5u128.checked_pow(k.unsigned_abs()) else {
        return false;
    };
    if k >= 0 {
        c.checked_mul(five_pow) == Some(u128::from(m))
    } else {
        u128::from(m).checked_mul(five_pow) == Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::format_float;

    #[test]
    fn integral_floats_print_as_integers() {
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(1000.0), "1000");
        assert_eq!(format_float(1500.0), "1500");
        assert_eq!(format_float(3.0), "3");
        assert_eq!(format_float(0.0), "0");
        assert_eq!(format_float(-0.0), "0");
        assert_eq!(format_float(-12.0), "-12");
        assert_eq!(format_float(1234567.0), "1234567");
        assert_eq!(format_float(1e18), "1000000000000000000");
    }

    #[test]
    fn integral_floats_past_i64_use_the_json_digits() {
        // 2^63 is written by encoding/json as its shortest digits padded
        // with zeros, which then fit a uint64.
        assert_eq!(format_float(9223372036854775808.0), "9223372036854776000");
        assert_eq!(format_float(1e19), "10000000000000000000");
    }

    #[test]
    fn integral_floats_past_u64_stay_floats() {
        assert_eq!(
            format_float(18446744073709551616.0),
            "1.8446744073709552e+19"
        );
        assert_eq!(format_float(1e20), "1e+20");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(6.02e23), "6.02e+23");
        assert_eq!(format_float(-1e300), "-1e+300");
    }

    #[test]
    fn fractions_use_go_shortest_g() {
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(123456.5), "123456.5");
        assert_eq!(format_float(-1.5), "-1.5");
        assert_eq!(format_float(0.00001), "1e-05");
        assert_eq!(format_float(1e-7), "1e-07");
        assert_eq!(format_float(1234567.5), "1.2345675e+06");
        assert_eq!(format_float(123456789.123), "1.23456789123e+08");
        assert_eq!(format_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_float(5e-324), "5e-324");
        assert_eq!(format_float(1.5e-100), "1.5e-100");
        assert_eq!(format_float(-0.000123), "-0.000123");
    }

    #[test]
    // The literals are the floats' exact values, to show the tie.
    #[allow(clippy::excessive_precision)]
    fn exact_ties_round_to_even_digits() {
        // Exactly 862637673859626.25: both …626.2 and …626.3 read back as
        // it; Go (checked with kubectl) writes the even one.
        assert_eq!(format_float(862637673859626.25), "8.626376738596262e+14");
        assert_eq!(format_float(-88337018580020.625), "-8.833701858002062e+13");
    }

    #[test]
    fn non_finite_floats_use_yaml_names() {
        assert_eq!(format_float(f64::INFINITY), ".inf");
        assert_eq!(format_float(f64::NEG_INFINITY), "-.inf");
        assert_eq!(format_float(f64::NAN), ".nan");
    }
}
