//! Timestamps of the model: RFC 3339 in UTC (`2024-01-31T09:30:00Z`), so
//! that they sort as strings and a dialect can print a date from them.

use serde::Serialize;

/// A moment, as RFC 3339 in UTC with second precision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Timestamp(String);

impl Timestamp {
    /// Now.
    pub fn now() -> Self {
        Self::from_unix(unix_now())
    }

    /// The moment `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: u64) -> Self {
        let (days, rest) = (secs / 86_400, secs % 86_400);
        let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(i64::MAX));
        Timestamp(format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rest / 3600,
            rest / 60 % 60,
            rest % 60
        ))
    }

    /// Midnight of a `YYYY-MM-DD` day. The day is kept as given: a dialect
    /// that takes dates from clients reads back exactly what it was sent.
    pub fn at_day(day: &str) -> Self {
        Timestamp(format!("{day}T00:00:00Z"))
    }

    /// The day, `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        self.0.get(..10).unwrap_or(&self.0)
    }

    /// The RFC 3339 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    Timestamp::now().day().to_string()
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "day is in 1..=31 and month in 1..=12 by construction"
)]
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }

    #[test]
    fn now_is_rfc3339_utc_and_its_day_is_today() {
        let now = Timestamp::now();
        assert_eq!(now.as_str().len(), 20, "{now:?}");
        assert!(now.as_str().ends_with('Z'));
        assert_eq!(now.day(), today());
    }

    #[test]
    fn unix_seconds_print_as_rfc3339() {
        assert_eq!(Timestamp::from_unix(0).as_str(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(1_436_356_576).as_str(),
            "2015-07-08T11:56:16Z"
        );
    }

    #[test]
    fn a_day_reads_back_as_given() {
        assert_eq!(Timestamp::at_day("2019-03-04").day(), "2019-03-04");
    }
}
