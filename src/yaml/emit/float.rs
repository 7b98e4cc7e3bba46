//! Floats as `kustomize build` prints them.
//!
//! A float crosses two encoders before it is printed: encoding/json writes
//! an integral float below 1e21 as plain digits, which goyaml.v2 then reads
//! back as an integer when it fits 64 bits; every other float reaches the
//! YAML emitter as a float and is written by Go's
//! `strconv.FormatFloat(f, 'g', -1, 64)`.

/// A float as kustomize prints it after the JSON round trip.
///
/// Integral floats that fit 64 bits print as integers (`1.0` → `1`,
/// `-0.0` → `0`); others use Go's shortest `%g`: the shortest digits that
/// read back to the same float, in exponent form when the decimal exponent
/// is below -4 or at least 6 (`1e-05`, `1.2345675e+06`, `1e+21`), with a
/// signed exponent of at least two digits. Non-finite values, which
/// kustomize refuses to write (see `check_emittable`), come out as
/// goyaml.v2 spells them (`.inf`, `-.inf`, `.nan`).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // encoding/json's text for this float: shortest digits, zero padded.
        // Rust's `Display` writes exactly that (`-0` for negative zero).
        let digits = format!("{f}");
        if let Ok(i) = digits.parse::<i64>() {
            return i.to_string();
        }
        if let Ok(u) = digits.parse::<u64>() {
            return u.to_string();
        }
        // Too big for 64 bits: goyaml.v2 reads the digits back as this
        // same float (they are its shortest representation).
    }
    go_shortest_g(f)
}

/// Go's `FormatFloat(f, 'g', -1, 64)` for a finite float.
fn go_shortest_g(f: f64) -> String {
    // `{:e}` gives the shortest round-trip digits as `d.ddde<exp>`, the
    // same digits Go's shortest formatting picks.
    let sci = format!("{f:e}");
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci;
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return sci;
    };
    if (-4..6).contains(&exp) {
        // Fixed notation with the same shortest digits.
        format!("{f}")
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
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
    }

    #[test]
    fn non_finite_floats_use_yaml_names() {
        assert_eq!(format_float(f64::INFINITY), ".inf");
        assert_eq!(format_float(f64::NEG_INFINITY), "-.inf");
        assert_eq!(format_float(f64::NAN), ".nan");
    }
}
