//! The structure check of a PGP `enc` entry: what gpg (or the built-in
//! path) may be given. It reads packet headers only, so it needs no
//! OpenPGP implementation and is built without the `pgp-builtin` feature
//! too (the armor is then read by [`dearmor_text`]).

use crate::keys::KeyError;

/// The tags the rule is about.
const PKESK: u8 = 1;
const SKESK: u8 = 3;
const SED: u8 = 9;
const SEIP: u8 = 18;
const AED: u8 = 20;

/// A packet tag as OpenPGP names it (the names sequoia-openpgp prints, so
/// both builds word the refusal alike).
pub(crate) fn tag_name(tag: u8) -> String {
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

/// Check that an OpenPGP message (armored or not) is what sops and gpg
/// write for a data key: one or more encrypted session keys (PKESK or
/// SKESK packets), then one encrypted data packet (SEIP, or the older SED
/// or LibrePGP's OCB packet), and nothing else. Only packet headers are
/// read (tags and lengths); nothing is parsed, decrypted or decompressed.
/// Packet bodies are not looked into on purpose: gpg reads session keys
/// that stricter parsers refuse, such as the RSA values with leading zero
/// bits that sops' Go OpenPGP code wrote (sops' own test files have them).
///
/// A message that starts with anything else — above all a compressed or
/// literal data packet, which any file writer can make without a key and
/// which a few hundred bytes can expand to gigabytes — is refused before
/// gpg or the built-in path sees it.
pub fn check_message_structure(enc: &[u8]) -> Result<(), KeyError> {
    let bad = |why: String| {
        KeyError::Invalid(format!("{why}; a data key is always encrypted to a key (PKESK or SKESK packets, then an encrypted data packet), so this entry was not written by sops or gpg"))
    };
    let data = dearmor(enc)?;
    if data.is_empty() {
        return Err(KeyError::Invalid(
            "not an OpenPGP message: it is empty".into(),
        ));
    }
    let mut pos = 0;
    let mut session_keys = 0usize;
    let mut encrypted = false;
    while pos < data.len() {
        let (tag, end) = packet_at(&data, pos)?;
        if encrypted {
            return Err(bad(format!(
                "a {} (tag {tag}) follows the encrypted data packet",
                tag_name(tag)
            )));
        }
        match tag {
            PKESK | SKESK => session_keys += 1,
            SEIP | SED | AED if session_keys > 0 => encrypted = true,
            SEIP | SED | AED => {
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
        pos = end;
    }
    if !encrypted {
        return Err(bad("the message holds no encrypted data packet".into()));
    }
    Ok(())
}

/// The binary packets of a message: ASCII armor removed (a message that
/// starts with a packet header byte is taken as binary already). With the
/// built-in OpenPGP path, sequoia's tolerant armor reader; without it,
/// [`dearmor_text`].
fn dearmor(enc: &[u8]) -> Result<Vec<u8>, KeyError> {
    let first = enc.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_none_or(|b| b & 0x80 != 0) {
        return Ok(enc.to_vec());
    }
    #[cfg(feature = "pgp-builtin")]
    {
        use sequoia_openpgp as openpgp;
        use std::io::Read;
        let mut r =
            openpgp::armor::Reader::from_bytes(enc, openpgp::armor::ReaderMode::Tolerant(None));
        let mut out = Vec::new();
        // The armor is at most 4/3 of the packets: nothing to bound beyond
        // the input's own size.
        r.read_to_end(&mut out)
            .map_err(|e| KeyError::Invalid(format!("not an OpenPGP message: {e}")))?;
        Ok(out)
    }
    #[cfg(not(feature = "pgp-builtin"))]
    dearmor_text(enc)
}

/// ASCII armor (RFC 9580 §6.2) read by rsops itself, for builds without
/// sequoia: a `-----BEGIN PGP …-----` line, optional `Key: Value` header
/// lines up to a blank line, base64 lines, an optional `=` checksum line
/// (not verified: gpg checks the message), the `-----END PGP …` line.
/// Leading and trailing spaces and CRLF line ends are accepted.
#[cfg(any(not(feature = "pgp-builtin"), test))]
pub(crate) fn dearmor_text(enc: &[u8]) -> Result<Vec<u8>, KeyError> {
    use base64::Engine;
    let not = |why: &str| KeyError::Invalid(format!("not an OpenPGP message: {why}"));
    let text = std::str::from_utf8(enc).map_err(|_| not("the armor is not text"))?;
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    match lines.next() {
        Some(l) if l.starts_with("-----BEGIN PGP ") && l.ends_with("-----") => {}
        _ => return Err(not("no -----BEGIN PGP MESSAGE----- line")),
    }
    let mut body = String::new();
    let mut in_headers = true;
    let mut ended = false;
    for line in lines {
        if line.starts_with("-----END PGP ") {
            ended = true;
            break;
        }
        if in_headers {
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
            continue;
        }
        body.push_str(line);
    }
    if !ended {
        return Err(not("the armor has no END line"));
    }
    base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|e| not(&format!("the armored data is not base64 ({e})")))
}

/// The tag of the packet whose header starts at `pos`, and where the
/// packet ends (RFC 9580 §4.2: old and new header formats, partial body
/// lengths, and an old-format packet of indeterminate length running to
/// the end).
fn packet_at(d: &[u8], pos: usize) -> Result<(u8, usize), KeyError> {
    let truncated = || KeyError::Invalid("not an OpenPGP message: a packet is cut short".into());
    let byte = |i: usize| d.get(i).copied().ok_or_else(truncated);
    let be = |i: usize, n: usize| -> Result<usize, KeyError> {
        let b = d.get(i..i + n).ok_or_else(truncated)?;
        Ok(b.iter().fold(0usize, |a, &x| (a << 8) | x as usize))
    };
    let span = |start: usize, len: usize| -> Result<usize, KeyError> {
        match start.checked_add(len) {
            Some(end) if end <= d.len() => Ok(end),
            _ => Err(truncated()),
        }
    };
    let ctb = byte(pos)?;
    if ctb & 0x80 == 0 {
        return Err(KeyError::Invalid(
            "not an OpenPGP message: invalid packet header".into(),
        ));
    }
    let mut p = pos + 1;
    if ctb & 0x40 == 0 {
        let tag = (ctb >> 2) & 0x0f;
        let n = match ctb & 3 {
            0 => 1,
            1 => 2,
            2 => 4,
            _ => return Ok((tag, d.len())),
        };
        let len = be(p, n)?;
        return Ok((tag, span(p + n, len)?));
    }
    let tag = ctb & 0x3f;
    loop {
        let o1 = byte(p)? as usize;
        match o1 {
            0..=191 => return Ok((tag, span(p + 1, o1)?)),
            192..=223 => {
                let len = ((o1 - 192) << 8) + byte(p + 1)? as usize + 192;
                return Ok((tag, span(p + 2, len)?));
            }
            255 => {
                let len = be(p + 1, 4)?;
                return Ok((tag, span(p + 5, len)?));
            }
            // A partial body length: this chunk, then another length.
            _ => p = span(p + 1, 1 << (o1 & 0x1f))?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

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
        // The armor reader of builds without sequoia: no header lines, CRLF,
        // indented, no blank line, no checksum.
        let b64 = base64::engine::general_purpose::STANDARD.encode(&good);
        for text in [
            armor(&good),
            format!("-----BEGIN PGP MESSAGE-----\n\n{b64}\n-----END PGP MESSAGE-----"),
            format!("-----BEGIN PGP MESSAGE-----\r\n\r\n{b64}\r\n-----END PGP MESSAGE-----\r\n"),
            format!("\n  -----BEGIN PGP MESSAGE-----\n  {b64}\n  -----END PGP MESSAGE-----\n"),
        ] {
            assert_eq!(dearmor_text(text.as_bytes()).as_ref(), Ok(&good), "{text}");
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
                assert!(e.to_string().contains(want), "{want}: {e}");
                assert!(e.to_string().contains("not written by sops"), "{e}");
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
