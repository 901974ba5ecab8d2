//! Instants as ATS filters want them: unix milliseconds in, a date or an
//! RFC 3339 timestamp out (UTC).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `YYYY-MM-DD` of the instant.
pub fn date(ms: i64) -> String {
    let d = at(ms).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `2026-11-23T23:40:00Z` (whole seconds).
pub fn rfc3339(ms: i64) -> String {
    at(ms.div_euclid(1000) * 1000)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_timestamps_are_utc() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_767_225_600_000), "2026-01-01");
        assert_eq!(super::rfc3339(1_767_225_600_999), "2026-01-01T00:00:00Z");
        assert_eq!(super::date(-1), "1969-12-31");
    }
}
