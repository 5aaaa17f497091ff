//! Number formatting exactly as Go's `strconv` does it, shared by the stores,
//! the MAC and exec-env: sops prints and encrypts numbers with Go's rules.

use std::fmt::Write as _;

/// Is `x` exactly `a × 10^j`? (`a` odd, as it ends in 5.) Exact integer
/// arithmetic on the binary mantissa: `x = m × 2^e` with `m` odd, and
/// `a × 10^j = (a × 5^j) × 2^j` with `a × 5^j` odd, so both the powers of
/// two and the odd parts must agree.
fn is_exactly(x: f64, a: u64, j: i32) -> bool {
    let bits = x.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    if m == 0 || a.is_multiple_of(2) {
        return false;
    }
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    if e != j {
        return false;
    }
    let pow5 = |n: u32| 5u128.checked_pow(n);
    if j >= 0 {
        pow5(j as u32)
            .and_then(|p| p.checked_mul(u128::from(a)))
            .is_some_and(|v| v == u128::from(m))
    } else {
        pow5(j.unsigned_abs())
            .and_then(|p| p.checked_mul(u128::from(m)))
            .is_some_and(|v| v == u128::from(a))
    }
}

/// The shortest decimal digits that read back as `f` (finite, non-negative),
/// chosen as Go's `strconv` does: `f ≈ 0.d1d2… × 10^(exp+1)`, i.e.
/// `d1.d2… × 10^exp`. Returns ("0", 0) for zero.
///
/// Rust's shortest formatting picks the same number of digits as Go, but
/// when the value lies exactly halfway between two candidates of that
/// length Rust rounds up while Go rounds to the even last digit (e.g. the
/// double 1326373591031975.25 is `…975.2` in Go, `…975.3` in Rust). Such
/// exact ties are detected with integer arithmetic and corrected.
pub fn go_shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs()); // e.g. "1.2345e-7", "1e21", "0e0"
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mut exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let Ok(mut d) = digits.parse::<u64>() else {
        return (digits, exp);
    };
    if d == 0 || d.is_multiple_of(2) {
        return (digits, exp);
    }
    // f ≈ d × 10^k
    let k = exp - (digits.len() as i32 - 1);
    let reads_back = |cand: u64| format!("{cand}e{k}").parse::<f64>().ok() == Some(f.abs());
    if d.checked_mul(10)
        .is_some_and(|t| is_exactly(f.abs(), t - 5, k - 1))
        && reads_back(d - 1)
    {
        d -= 1;
    } else if d
        .checked_mul(10)
        .and_then(|t| t.checked_add(5))
        .is_some_and(|t| is_exactly(f.abs(), t, k - 1))
        && reads_back(d + 1)
    {
        d += 1;
    } else {
        return (digits, exp);
    }
    let mut out = d.to_string();
    // A carry may add a digit (…9 + 1); trailing zeros are not digits.
    exp = k + out.len() as i32 - 1;
    while out.len() > 1 && out.ends_with('0') {
        out.pop();
    }
    (out, exp)
}

/// Go's `strconv.FormatFloat(f, fmt, -1, 64)` for `fmt` in `e`, `E`, `f`,
/// `g`, `G`: shortest round-trip digits ([`go_shortest_digits`]). `%e`
/// exponents have a sign and at least two digits; `g` uses `%e` when the
/// exponent is < -4 or >= 6 (Go's choice in shortest mode, also `%v`).
/// NaN and infinities are `NaN`, `+Inf`, `-Inf`.
pub fn go_format_float(f: f64, fmt: char) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let (digits, exp) = go_shortest_digits(f);
    let mut out = String::with_capacity(digits.len() + 8);
    if f.is_sign_negative() {
        out.push('-');
    }
    let use_e = match fmt {
        'e' | 'E' => true,
        'g' | 'G' => f != 0.0 && !(-4..6).contains(&exp),
        _ => false,
    };
    if use_e {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push(if fmt.is_ascii_uppercase() { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        let _ = write!(out, "{e}");
    } else if f == 0.0 {
        out.push('0');
    } else {
        // Plain decimal: digits × 10^(exp + 1 - len).
        let point = exp + 1; // digits before the decimal point
        let n = digits.len() as i32;
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
            out.push_str(&digits);
        } else if point >= n {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (point - n) as usize));
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_ties_are_detected() {
        assert!(is_exactly(1_326_373_591_031_975.2, 132637359103197525, -2));
        assert!(!is_exactly(0.1, 1, -1));
        assert_eq!(
            go_format_float(1_326_373_591_031_975.2, 'f'),
            "1326373591031975.2"
        );
    }

    /// `g`: how yaml.v3 writes floats (and `%v`); `G` for the flat stores.
    #[test]
    fn g_formats() {
        let g = |f: f64| go_format_float(f, 'g');
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(123456.0), "123456");
        assert_eq!(g(1234567.0), "1.234567e+06");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001), "1e-05");
        assert_eq!(g(1.5), "1.5");
        assert_eq!(g(-2.25), "-2.25");
        assert_eq!(g(1.0), "1");
        assert_eq!(g(100.0), "100");
        assert_eq!(g(1e21), "1e+21");
        assert_eq!(g(3.14159e-10), "3.14159e-10");
        assert_eq!(go_format_float(1234567.0, 'G'), "1.234567E+06");
    }

    /// `f`: the text sops encrypts and feeds into the MAC for floats.
    #[test]
    fn f_formats() {
        let f = |x: f64| go_format_float(x, 'f');
        assert_eq!(f(1e21), "1000000000000000000000");
        assert_eq!(f(1_326_373_591_031_975.2), "1326373591031975.2");
        assert_eq!(f(2.5), "2.5");
        assert_eq!(f(f64::INFINITY), "+Inf");
    }
}
