//! Timestamps the way Go's `time` package writes them: `lastmodified`
//! (RFC 3339, seconds) and YAML timestamps (`MarshalText`, RFC 3339 with
//! nanoseconds as needed).

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

fn offset_text(off: UtcOffset) -> String {
    if off.is_utc() {
        "Z".to_string()
    } else {
        let (h, m, _) = off.as_hms();
        let sign = if off.is_negative() { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
    }
}

/// Go's `t.Format(time.RFC3339)`: no fractional seconds.
pub fn format_rfc3339(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        offset_text(t.offset())
    )
}

/// Go's `t.Format(time.RFC3339Nano)` (what `MarshalText` prints).
pub fn format_rfc3339_nano(t: OffsetDateTime) -> String {
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let ns = t.nanosecond();
    if ns != 0 {
        let frac = format!("{ns:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push_str(&offset_text(t.offset()));
    s
}

/// The current time in UTC, truncated to seconds, as sops writes `lastmodified`.
pub fn now_rfc3339() -> String {
    format_rfc3339(OffsetDateTime::now_utc())
}

/// A timestamp that is not RFC 3339; the parser's reason is its source.
/// The text itself is not quoted (it may be a decrypted value).
#[derive(Debug, thiserror::Error)]
#[error("not an RFC 3339 timestamp")]
pub struct NotRfc3339(#[source] time::error::Parse);

/// Parse an RFC 3339 timestamp.
pub fn parse_rfc3339(s: &str) -> Result<OffsetDateTime, NotRfc3339> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(NotRfc3339)
}

/// Re-print an RFC 3339 timestamp as Go's `MarshalText` would.
pub fn normalize_rfc3339(s: &str) -> Result<String, NotRfc3339> {
    Ok(format_rfc3339_nano(parse_rfc3339(s)?))
}

/// The MAC's additional data: `lastmodified` parsed and re-formatted as
/// Go's RFC 3339 (sops does `LastModified.Format(time.RFC3339)`).
pub fn mac_aad(lastmodified: &str) -> Result<String, NotRfc3339> {
    Ok(format_rfc3339(parse_rfc3339(lastmodified)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        assert_eq!(
            normalize_rfc3339("2024-01-01T00:00:00Z").unwrap(),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            normalize_rfc3339("2024-01-01T00:00:00.500+02:00").unwrap(),
            "2024-01-01T00:00:00.5+02:00"
        );
        assert_eq!(
            mac_aad("2024-01-01T10:11:12.5Z").unwrap(),
            "2024-01-01T10:11:12Z"
        );
        assert!(now_rfc3339().ends_with('Z'));
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
