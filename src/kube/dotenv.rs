//! The two dotenv readers Kubernetes tools use on decrypted env files:
//!
//! * [`godotenv`]: joho/godotenv v1.5.1's `Unmarshal`, which KSOPS applies
//!   to `secretFrom[].envs` (quotes removed, `\n` escapes in double quotes,
//!   `$VAR` expansion from earlier keys, inline comments cut).
//! * [`kubectl`]: kubectl's `--from-env-file` reader (one `KEY=value` per
//!   line, the value taken verbatim).
//!
//! Unlike the originals, errors never quote the file's text (it is
//! plaintext): they give a line number and the offending character class.

use std::collections::BTreeMap;

/// `KEY -> value`; later keys overwrite earlier ones.
pub type EnvMap = BTreeMap<String, String>;

fn go_is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn line_of(src: &str, rest: &str) -> usize {
    let at = src.len().saturating_sub(rest.len());
    src[..at].matches('\n').count() + 1
}

/// Why a dotenv file could not be read the way godotenv or kubectl read
/// it: the line and what is wrong there, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DotenvError(pub String);

/// godotenv v1.5.1's parser.
pub fn godotenv(text: &str) -> Result<EnvMap, DotenvError> {
    let src = text.replace("\r\n", "\n");
    let mut out = EnvMap::new();
    let mut cut: &str = &src;
    // Statement start: skip whitespace and comment lines.
    while let Some(pos) = cut.find(|c: char| !c.is_whitespace()) {
        cut = &cut[pos..];
        if cut.starts_with('#') {
            match cut.find('\n') {
                Some(nl) => {
                    cut = &cut[nl..];
                    continue;
                }
                None => break,
            }
        }
        let line = line_of(&src, cut);
        let (key, rest) = locate_key(cut).map_err(|e| DotenvError(format!("line {line}: {e}")))?;
        let (value, rest) =
            extract_value(rest, &out).map_err(|e| DotenvError(format!("line {line}: {e}")))?;
        out.insert(key, value);
        match rest {
            Some(r) => cut = r,
            None => break,
        }
    }
    Ok(out)
}

fn locate_key(src: &str) -> Result<(String, &str), DotenvError> {
    let mut src = src.trim_start_matches(go_is_space);
    if let Some(t) = src.strip_prefix("export") {
        if t.starts_with(go_is_space) {
            src = t.trim_start_matches(go_is_space);
        }
    }
    // The original walks bytes and reads each byte as a Latin-1 rune.
    let b = src.as_bytes();
    let mut key = "";
    let mut offset = 0;
    for (i, &c) in b.iter().enumerate() {
        let r = char::from(c);
        if go_is_space(r) {
            continue;
        }
        match c {
            b'=' | b':' => {
                key = &src[..i];
                offset = i + 1;
                break;
            }
            b'_' => {}
            _ => {
                if r.is_alphabetic() || r.is_numeric() || c == b'.' {
                    continue;
                }
                let what = match c {
                    b'\n' => "a line break (a line without '=')".to_string(),
                    b'\t' => "a tab".to_string(),
                    0x21..=0x7e => format!("{:?}", r),
                    _ => format!("byte 0x{c:02x}"),
                };
                return Err(DotenvError(format!(
                    "unexpected character {what} in a variable name"
                )));
            }
        }
    }
    if src.is_empty() {
        return Err(DotenvError("zero length string".into()));
    }
    let key = key.trim_end_matches(char::is_whitespace).to_string();
    let rest = src.get(offset..).unwrap_or("");
    Ok((key, rest.trim_start_matches(go_is_space)))
}

fn extract_value<'a>(
    src: &'a str,
    vars: &EnvMap,
) -> Result<(String, Option<&'a str>), DotenvError> {
    let quote = match src.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => Some(q),
        _ => None,
    };
    let Some(q) = quote else {
        let end = src.find(['\n', '\r']).unwrap_or(src.len());
        if end == 0 && src.is_empty() {
            return Ok((String::new(), None));
        }
        let line: Vec<char> = src[..end].chars().collect();
        let mut end_of_var = line.len();
        if end_of_var == 0 {
            return Ok((String::new(), Some(&src[end..])));
        }
        let mut i = end_of_var;
        while i > 0 {
            i -= 1;
            if line[i] == '#' && i > 0 && go_is_space(line[i - 1]) {
                end_of_var = i;
                break;
            }
        }
        let value: String = line[..end_of_var].iter().collect();
        let trimmed = value.trim_matches(go_is_space);
        return Ok((expand_variables(trimmed, vars), Some(&src[end..])));
    };
    let b = src.as_bytes();
    for i in 1..b.len() {
        if b[i] != q || b[i - 1] == b'\\' {
            continue;
        }
        let qc = char::from(q);
        let value = src[..i].trim_end_matches(qc).trim_start_matches(qc);
        let value = if q == b'"' {
            expand_variables(&expand_escapes(value), vars)
        } else {
            value.to_string()
        };
        return Ok((value, Some(&src[i + 1..])));
    }
    Err(DotenvError(format!(
        "unterminated {} quoted value",
        if q == b'"' { "double" } else { "single" }
    )))
}

/// `\n` and `\r` become line breaks, then every other `\X` but `\$` becomes `X`.
fn expand_escapes(s: &str) -> String {
    let mut first = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek() {
                Some('n') => {
                    first.push('\n');
                    it.next();
                }
                Some('r') => {
                    first.push('\r');
                    it.next();
                }
                Some(&d) if d != '\n' => {
                    first.push('\\');
                    first.push(d);
                    it.next();
                }
                _ => first.push('\\'),
            }
        } else {
            first.push(c);
        }
    }
    let mut out = String::with_capacity(first.len());
    let mut it = first.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek() {
                Some(&d) if d != '$' => {
                    out.push(d);
                    it.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?`: `\$…` keeps the rest without the
/// backslash, `$NAME`/`${NAME}` becomes an earlier key's value (or empty),
/// anything else stays.
fn expand_variables(s: &str, vars: &EnvMap) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let start = i;
        let escaped = b[i] == b'\\' && b.get(i + 1) == Some(&b'$');
        if !(escaped || b[i] == b'$') {
            i += 1;
            continue;
        }
        let mut j = if escaped { i + 2 } else { i + 1 };
        if b.get(j) == Some(&b'(') {
            j += 1;
        }
        if b.get(j) == Some(&b'{') {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || b[j] == b'_') {
            j += 1;
        }
        let name = &s[name_start..j];
        if b.get(j) == Some(&b'}') {
            j += 1;
        }
        out.push_str(&s[copied..start]);
        if escaped {
            out.push_str(&s[start + 1..j]);
        } else if !name.is_empty() {
            out.push_str(vars.get(name).map_or("", String::as_str));
        } else {
            out.push_str(&s[start..j]);
        }
        copied = j;
        i = j;
    }
    out.push_str(&s[copied..]);
    out
}

/// kubectl's `--from-env-file` reader: `(key, value)` pairs in file order.
/// A line without `=` takes its value from the process environment, as in
/// kubectl. `name` is used in messages.
pub fn kubectl(bytes: &[u8], name: &str) -> Result<Vec<(String, String)>, DotenvError> {
    let mut out = Vec::new();
    let mut lines: Vec<&[u8]> = bytes.split(|&c| c == b'\n').collect();
    if bytes.ends_with(b"\n") {
        lines.pop();
    }
    for (n, raw) in lines.into_iter().enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if n == 0 {
            raw.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(raw)
        } else {
            raw
        };
        let Ok(line) = std::str::from_utf8(raw) else {
            return Err(DotenvError(format!(
                "env file {name} contains invalid utf8 bytes at line {}",
                n + 1
            )));
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (line.to_string(), std::env::var(line).unwrap_or_default()),
        };
        if !is_env_var_name(&key) {
            // The key is decrypted text: name the line, never quote it.
            return Err(DotenvError(format!(
                "env file {name}, line {}: the key is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
                n + 1
            )));
        }
        out.push((key, value));
    }
    Ok(out)
}

/// `[-._a-zA-Z][-._a-zA-Z0-9]*`
fn is_env_var_name(k: &str) -> bool {
    let ok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_');
    let b = k.as_bytes();
    !b.is_empty() && !b[0].is_ascii_digit() && b.iter().all(|&c| ok(c))
}

/// Kubernetes' Secret/ConfigMap key rule: `[-._a-zA-Z0-9]+`, at most 253
/// characters, not `.` or `..`.
pub fn is_config_map_key(k: &str) -> bool {
    let b = k.as_bytes();
    !b.is_empty()
        && b.len() <= 253
        && k != "."
        && k != ".."
        && !k.starts_with("..")
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Vec<(String, String)> {
        godotenv(s).unwrap().into_iter().collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn godotenv_rules() {
        assert_eq!(
            g("A=1\nexport B=2\n# c\n  C: x # comment\nD=\"a\\nb\"\nE='r\\n$A'\nF=$A${B}$c\nG=\"\\$A\"\n"),
            kv(&[
                ("A", "1"),
                ("B", "2"),
                ("C", "x"),
                ("D", "a\nb"),
                ("E", "r\\n$A"),
                ("F", "12$c"),
                ("G", "$A"),
            ])
        );
        assert_eq!(g("A=a #b #c\n"), kv(&[("A", "a #b")]));
        assert_eq!(g("A=#x\n"), kv(&[("A", "#x")]));
        assert_eq!(g("A=\nB=2"), kv(&[("A", ""), ("B", "2")]));
        assert_eq!(g("LAST"), kv(&[("", "LAST")]));
        assert_eq!(g("A=$(CMD) $(cmd)\n"), kv(&[("A", ") $(cmd)")]));
    }

    #[test]
    fn godotenv_errors_do_not_quote_the_text() {
        let e = godotenv("A=1\nsecretvalue\nB=2\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        assert!(!e.to_string().contains("secretvalue"), "{e}");
        let e = godotenv("A=\"topsecret\n").unwrap_err();
        assert!(!e.to_string().contains("topsecret"), "{e}");
    }

    #[test]
    fn kubectl_rules() {
        let got = kubectl(
            b"# c\nUSER=admin\nPASS=\"q v\"\n  LEADING=  s  \nURL=a=b\n\nEMPTY=\n",
            "f",
        )
        .unwrap();
        assert_eq!(
            got,
            kv(&[
                ("USER", "admin"),
                ("PASS", "\"q v\""),
                ("LEADING", "  s  "),
                ("URL", "a=b"),
                ("EMPTY", "")
            ])
        );
        let e = kubectl(b"A=1\nexport TOPSECRET=1\n", "f").unwrap_err();
        assert!(
            e.to_string().contains("line 2") && !e.to_string().contains("TOPSECRET"),
            "{e}"
        );
        assert!(kubectl(b"=v\n", "f").is_err());
        let e = kubectl(b"A=\xff\n", "f").unwrap_err();
        assert!(e.to_string().contains("line 1"));
    }

    #[test]
    fn secret_keys() {
        assert!(is_config_map_key("a.b-c_D9"));
        assert!(!is_config_map_key("bad key"));
        assert!(!is_config_map_key(".."));
        assert!(!is_config_map_key(""));
    }
}
