//! The structure check of a PGP `enc` entry for builds without the built-in
//! OpenPGP path (no sequoia-openpgp): the same rule as
//! [`check_message_structure`] in `openpgp.rs`, read from packet headers
//! alone, so gpg never sees a message that is not encrypted to a key (a
//! compressed or literal data packet anyone can write, which a few hundred
//! bytes can expand to gigabytes).
//!
//! Only what the rule needs is parsed: the ASCII armor (RFC 9580 §6.2:
//! `-----BEGIN PGP MESSAGE-----`, optional header lines, base64, optional
//! checksum) or binary input, then each packet's header (old and new
//! format, partial body lengths) to find its tag and skip its body.
//! Nothing is decrypted or decompressed.

use base64::Engine;

/// The tags the rule is about.
const PKESK: u8 = 1;
const SKESK: u8 = 3;
const SED: u8 = 9;
const SEIP: u8 = 18;
const AED: u8 = 20;

/// A packet tag as OpenPGP names it (the names sequoia-openpgp prints, so
/// both builds word the refusal alike).
fn tag_name(tag: u8) -> String {
    let name = match tag {
        0 => "Reserved - a packet tag MUST NOT have this value",
        1 => "Public-Key Encrypted Session Key Packet",
        2 => "Signature Packet",
        3 => "Symmetric-Key Encrypted Session Key Packet",
        4 => "One-Pass Signature Packet",
        5 => "Secret-Key Packet",
        6 => "Public-Key Packet",
        7 => "Secret-Subkey Packet",
        8 => "Compressed Data Packet",
        9 => "Symmetrically Encrypted Data Packet",
        10 => "Marker Packet",
        11 => "Literal Data Packet",
        12 => "Trust Packet",
        13 => "User ID Packet",
        14 => "Public-Subkey Packet",
        17 => "User Attribute Packet",
        18 => "Sym. Encrypted and Integrity Protected Data Packet",
        19 => "Modification Detection Code Packet",
        20 => "AEAD Encrypted Data Packet",
        21 => "Padding Packet",
        60..=63 => return format!("Private/Experimental Packet {tag}"),
        _ => return format!("Unknown Packet {tag}"),
    };
    name.to_string()
}

/// The binary message: the armor removed when there is one.
fn dearmor(enc: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    let not = |why: &str| format!("not an OpenPGP message: {why}");
    let text = match std::str::from_utf8(enc) {
        Ok(t) if t.trim_start().starts_with("-----BEGIN PGP ") => t,
        // Binary: a packet header has its high bit set (no packet at all:
        // refused below, as holding no encrypted data packet).
        _ if enc.first().is_none_or(|b| b & 0x80 != 0) => {
            return Ok(std::borrow::Cow::Borrowed(enc))
        }
        _ => return Err(not("neither an armored message nor binary OpenPGP data")),
    };
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    match lines.next() {
        Some(l) if l.starts_with("-----BEGIN PGP MESSAGE") && l.ends_with("-----") => {}
        _ => return Err(not("the armor is not a PGP MESSAGE")),
    }
    let mut body = String::new();
    let mut in_headers = true;
    let mut ended = false;
    for line in lines {
        if line.starts_with("-----END PGP MESSAGE") {
            ended = true;
            break;
        }
        if in_headers {
            // `Key: Value` lines up to the first blank line (optional).
            if line.is_empty() {
                in_headers = false;
                continue;
            }
            if line.contains(": ") {
                continue;
            }
            in_headers = false;
        }
        if line.starts_with('=') {
            // The optional CRC-24 checksum; only the END line may follow.
            continue;
        }
        body.push_str(line);
    }
    if !ended {
        return Err(not("the armor has no END line"));
    }
    base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map(std::borrow::Cow::Owned)
        .map_err(|e| not(&format!("the armored data is not base64 ({e})")))
}

/// `n` bytes at `data[*pos..]`; `*pos` moves past them.
fn take<'a>(data: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
    let end = pos
        .checked_add(n)
        .filter(|e| *e <= data.len())
        .ok_or("not an OpenPGP message: a packet is truncated")?;
    let s = &data[*pos..end];
    *pos = end;
    Ok(s)
}

/// The next packet at `data[*pos..]`: its tag; `*pos` moves past its body.
fn next_packet(data: &[u8], pos: &mut usize) -> Result<u8, String> {
    let mut take = |n: usize| take(data, pos, n);
    let first = take(1)?[0];
    if first & 0x80 == 0 {
        return Err("not an OpenPGP message: invalid packet header".to_string());
    }
    let be = |b: &[u8]| b.iter().fold(0usize, |n, x| (n << 8) | usize::from(*x));
    if first & 0x40 == 0 {
        // Old format: the tag in bits 5-2, the length's size in bits 1-0.
        let tag = (first >> 2) & 0x0f;
        match first & 0x03 {
            0 => {
                let len = be(take(1)?);
                take(len)?;
            }
            1 => {
                let len = be(take(2)?);
                take(len)?;
            }
            2 => {
                let len = be(take(4)?);
                take(len)?;
            }
            // Indeterminate: to the end of the input.
            _ => *pos = data.len(),
        }
        return Ok(tag);
    }
    // New format: the tag in bits 5-0, then lengths (partial ones chained).
    let tag = first & 0x3f;
    loop {
        let o1 = take(1)?[0];
        let (len, partial) = match o1 {
            0..=191 => (usize::from(o1), false),
            192..=223 => (((usize::from(o1) - 192) << 8) + be(take(1)?) + 192, false),
            255 => (be(take(4)?), false),
            _ => (1usize << (o1 & 0x1f), true),
        };
        take(len)?;
        if !partial {
            return Ok(tag);
        }
    }
}

/// Check that an OpenPGP message (armored or not) is what sops and gpg
/// write for a data key: one or more encrypted session keys (PKESK or
/// SKESK packets), then one encrypted data packet (SEIP, or the older SED
/// or LibrePGP's OCB packet), and nothing else.
pub fn check_message_structure(enc: &[u8]) -> Result<(), String> {
    let bad = |why: String| {
        format!("{why}; a data key is always encrypted to a key (PKESK or SKESK packets, then an encrypted data packet), so this entry was not written by sops or gpg")
    };
    let data = dearmor(enc)?;
    let mut pos = 0usize;
    let mut session_keys = 0usize;
    let mut encrypted = false;
    while pos < data.len() {
        let tag = next_packet(&data, &mut pos)?;
        if encrypted {
            return Err(bad(format!(
                "a {} (tag {tag}) follows the encrypted data packet",
                tag_name(tag)
            )));
        }
        match tag {
            PKESK | SKESK => session_keys += 1,
            SED | SEIP | AED if session_keys > 0 => encrypted = true,
            SED | SEIP | AED => {
                return Err(bad(
                    "the encrypted data packet has no encrypted session key before it".into(),
                ))
            }
            other => {
                return Err(bad(format!(
                    "the message {} a {} (tag {other})",
                    if session_keys == 0 {
                        "starts with"
                    } else {
                        "has, after its session keys,"
                    },
                    tag_name(other)
                )))
            }
        }
    }
    if !encrypted {
        return Err(bad("the message holds no encrypted data packet".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new-format packet with a one-octet length.
    fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![0xc0 | tag, body.len() as u8];
        p.extend_from_slice(body);
        p
    }

    fn armor(bin: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bin);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN PGP MESSAGE-----\nComment: test\n\n{}\n=AAAA\n-----END PGP MESSAGE-----\n",
            lines.join("\n")
        )
    }

    #[test]
    fn encrypted_messages_pass_in_every_header_form() {
        let esk = packet(PKESK, &[3; 20]);
        let seip = packet(SEIP, &[1; 40]);
        let good = [esk.clone(), seip.clone()].concat();
        assert_eq!(check_message_structure(&good), Ok(()));
        assert_eq!(check_message_structure(armor(&good).as_bytes()), Ok(()));
        // Armor without header lines, with CRLF, indented, without checksum.
        let b64 = base64::engine::general_purpose::STANDARD.encode(&good);
        for text in [
            format!("-----BEGIN PGP MESSAGE-----\n\n{b64}\n-----END PGP MESSAGE-----"),
            format!("-----BEGIN PGP MESSAGE-----\r\n\r\n{b64}\r\n-----END PGP MESSAGE-----\r\n"),
            format!("\n  -----BEGIN PGP MESSAGE-----\n  {b64}\n  -----END PGP MESSAGE-----\n"),
        ] {
            assert_eq!(check_message_structure(text.as_bytes()), Ok(()), "{text}");
        }
        // Old-format headers (1, 2 and 4 length octets, indeterminate).
        let old = |tag: u8, kind: u8, len: &[u8], body: &[u8]| {
            let mut p = vec![0x80 | (tag << 2) | kind];
            p.extend_from_slice(len);
            p.extend_from_slice(body);
            p
        };
        let msg = [
            old(PKESK, 0, &[4], &[0; 4]),
            old(SKESK, 1, &[0, 4], &[0; 4]),
            old(SED, 2, &[0, 0, 0, 4], &[0; 4]),
        ]
        .concat();
        assert_eq!(check_message_structure(&msg), Ok(()));
        let msg = [old(PKESK, 0, &[1], &[0]), old(SED, 3, &[], &[7; 300])].concat();
        assert_eq!(check_message_structure(&msg), Ok(()));
        // New-format two- and five-octet lengths, partial body lengths.
        let mut seip = vec![0xc0 | SEIP, 0xe9]; // partial: 512 bytes
        seip.extend_from_slice(&[0; 512]);
        seip.extend_from_slice(&[0xc1, 0x00]); // two octets: 448 bytes
        seip.extend_from_slice(&[0; 448]);
        let mut esk = vec![0xc0 | PKESK, 0xff, 0, 0, 0, 2];
        esk.extend_from_slice(&[0; 2]);
        assert_eq!(check_message_structure(&[esk, seip].concat()), Ok(()));
    }

    #[test]
    fn anything_else_is_refused() {
        let esk = packet(PKESK, &[3; 20]);
        let seip = packet(SEIP, &[1; 40]);
        let literal = packet(11, b"b\0\0\0\0\0key");
        let compressed = packet(8, &[1, 0x78, 0x9c]);
        for (msg, want) in [
            (
                compressed.clone(),
                "starts with a Compressed Data Packet (tag 8)",
            ),
            (
                literal.clone(),
                "starts with a Literal Data Packet (tag 11)",
            ),
            (
                [esk.clone(), literal.clone()].concat(),
                "has, after its session keys, a Literal",
            ),
            (
                [esk.clone(), seip.clone(), literal.clone()].concat(),
                "follows the encrypted data packet",
            ),
            (seip.clone(), "no encrypted session key before it"),
            (esk.clone(), "no encrypted data packet"),
            (packet(10, b"PGP"), "Marker Packet"),
            (packet(61, b""), "Private/Experimental Packet 61"),
        ] {
            for input in [msg.clone(), armor(&msg).into_bytes()] {
                let e = check_message_structure(&input).unwrap_err();
                assert!(e.contains(want), "{want}: {e}");
                assert!(e.contains("not written by sops"), "{e}");
            }
        }
        // Truncated or malformed input is an error, never a panic.
        let good = [esk, seip].concat();
        for n in 1..good.len() {
            assert!(check_message_structure(&good[..n]).is_err(), "{n}");
        }
        for bad in [
            &b""[..],
            b"not a message",
            b"-----BEGIN PGP MESSAGE-----\n\n!!!\n-----END PGP MESSAGE-----",
            b"-----BEGIN PGP MESSAGE-----\n\nwcBMA",
            b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----",
            &[0xc1, 0xff, 0xff, 0xff, 0xff, 0xff],
            &[0xc1, 0xe0],
            &[0x3f],
        ] {
            assert!(check_message_structure(bad).is_err(), "{bad:?}");
        }
    }
}
