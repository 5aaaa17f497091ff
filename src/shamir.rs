//! Shamir secret sharing over GF(2^8), compatible with sops' key groups:
//! each share is the secret's length plus one byte, the last byte being the
//! share's x coordinate (1 for the first group, 2 for the second, …).

use rand::RngCore;
use zeroize::Zeroizing;

/// Multiply in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1,
/// without data-dependent branches.
fn mul(a: u8, b: u8) -> u8 {
    let mut acc: u8 = 0;
    for i in (0..8).rev() {
        let bit = (b >> i) & 1;
        let reduce = (acc >> 7).wrapping_neg() & 0x1b;
        acc = (bit.wrapping_neg() & a) ^ (acc << 1) ^ reduce;
    }
    acc
}

/// a^254 = a^-1 for a ≠ 0.
fn inv(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    let mut e = 254u32;
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    result
}

/// Why the data key could not be split or recovered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShamirError(&'static str);

/// Split `secret` into `parts` shares of which any `threshold` recover it.
pub fn split(
    secret: &[u8],
    parts: usize,
    threshold: usize,
) -> Result<Vec<Zeroizing<Vec<u8>>>, ShamirError> {
    if parts < threshold {
        return Err(ShamirError(
            "the number of key groups cannot be less than the threshold",
        ));
    }
    if parts > 255 {
        return Err(ShamirError("there cannot be more than 255 key groups"));
    }
    if threshold < 2 {
        return Err(ShamirError("the Shamir threshold must be at least 2"));
    }
    if secret.is_empty() {
        return Err(ShamirError("cannot split an empty secret"));
    }
    let mut out: Vec<Zeroizing<Vec<u8>>> = (0..parts)
        .map(|i| {
            let mut v = Zeroizing::new(vec![0u8; secret.len() + 1]);
            v[secret.len()] = (i + 1) as u8;
            v
        })
        .collect();
    let mut coeffs = Zeroizing::new(vec![0u8; threshold]);
    for (idx, &byte) in secret.iter().enumerate() {
        coeffs[0] = byte;
        rand::rngs::OsRng.fill_bytes(&mut coeffs[1..]);
        for share in out.iter_mut() {
            let x = share[secret.len()];
            // Horner's rule.
            let mut y = 0u8;
            for &c in coeffs.iter().rev() {
                y = mul(y, x) ^ c;
            }
            share[idx] = y;
        }
    }
    Ok(out)
}

/// Recover the secret from shares (Lagrange interpolation at x = 0).
pub fn combine(parts: &[Zeroizing<Vec<u8>>]) -> Result<Zeroizing<Vec<u8>>, ShamirError> {
    if parts.len() < 2 {
        return Err(ShamirError(
            "less than two shares cannot recover the data key",
        ));
    }
    let n = parts[0].len();
    if n < 2 || parts.iter().any(|p| p.len() != n) {
        return Err(ShamirError(
            "the key shares have different or invalid lengths",
        ));
    }
    let xs: Vec<u8> = parts.iter().map(|p| p[n - 1]).collect();
    for (i, x) in xs.iter().enumerate() {
        if xs[..i].contains(x) {
            return Err(ShamirError("duplicate key share"));
        }
    }
    let mut secret = Zeroizing::new(vec![0u8; n - 1]);
    for (i, &xi) in xs.iter().enumerate() {
        // Basis polynomial l_i(0) = Π x_j / (x_i + x_j) (characteristic 2).
        let mut basis = 1u8;
        for (j, &xj) in xs.iter().enumerate() {
            if i != j {
                basis = mul(basis, mul(xj, inv(xi ^ xj)));
            }
        }
        for (k, s) in secret.iter_mut().enumerate() {
            *s ^= mul(parts[i][k], basis);
        }
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_inverse() {
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1);
        }
    }

    #[test]
    fn any_threshold_subset_recovers() {
        let secret: Vec<u8> = (0..32).collect();
        let shares = split(&secret, 3, 2).unwrap();
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let got = combine(&[shares[a].clone(), shares[b].clone()]).unwrap();
            assert_eq!(&got[..], &secret[..]);
        }
        assert_eq!(shares[0][32], 1);
        assert_eq!(shares[2][32], 3);
    }

    #[test]
    fn known_vector_from_sops_layout() {
        // A degree-1 polynomial f(x) = s + c·x with s = 0x42, c = 0x07:
        // shares at x = 1, 2 are f(1) = 0x45, f(2) = 0x42 ^ mul(7, 2) = 0x4c.
        let a = Zeroizing::new(vec![0x45, 1]);
        let b = Zeroizing::new(vec![0x42 ^ mul(7, 2), 2]);
        assert_eq!(&combine(&[a, b]).unwrap()[..], &[0x42]);
    }
}
