//! What an ATS says about its rate limit in its answers' headers:
//! `Retry-After` (seconds or an HTTP date) and the `X-RateLimit-*` /
//! `X-Rate-Limit-*` families (Workable, Lever, Greenhouse), whose reset is
//! either seconds to wait or a Unix timestamp.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A reset above this is a Unix timestamp, below it a number of seconds.
const TIMESTAMP_FLOOR: u64 = 1_000_000_000;
/// No ATS is waited on for longer than this, whatever it says.
const LONGEST_WAIT: Duration = Duration::from_hours(1);

/// The rate-limit figures of one answer; absent ones are `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateHeaders {
    pub retry_after: Option<Duration>,
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// How long until the window resets.
    pub reset_in: Option<Duration>,
}

impl RateHeaders {
    /// Reads the headers of one answer.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::at(headers, SystemTime::now())
    }

    fn at(headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let number = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| text(n).and_then(|v| v.parse::<u64>().ok()))
        };
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now));
        let reset_in = number(&["x-ratelimit-reset", "x-rate-limit-reset"])
            .map(|reset| seconds_or_timestamp(reset, now));
        RateHeaders {
            retry_after,
            limit: number(&["x-ratelimit-limit", "x-rate-limit-limit"]),
            remaining: number(&["x-ratelimit-remaining", "x-rate-limit-remaining"]),
            reset_in,
        }
    }

    /// How long the ATS asked us to wait: `Retry-After`, else the reset
    /// of a spent window.
    pub fn wait(&self) -> Option<Duration> {
        self.retry_after.or(match self.remaining {
            Some(0) | None => self.reset_in,
            Some(_) => None,
        })
    }
}

/// `Retry-After: 30` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or(Duration::ZERO),
    };
    Some(wait.min(LONGEST_WAIT))
}

fn seconds_or_timestamp(reset: u64, now: SystemTime) -> Duration {
    let wait = if reset >= TIMESTAMP_FLOOR {
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        Duration::from_secs(reset.saturating_sub(now))
    } else {
        Duration::from_secs(reset)
    };
    wait.min(LONGEST_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_784_848_790)
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let h = headers(&[("retry-after", "7")]);
        assert_eq!(
            RateHeaders::at(&h, now()).wait(),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now() + Duration::from_secs(12));
        let h = headers(&[("retry-after", &date)]);
        assert_eq!(
            RateHeaders::at(&h, now()).wait(),
            Some(Duration::from_secs(12))
        );
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(RateHeaders::at(&h, now()).wait(), None);
    }

    #[test]
    fn workable_reset_is_a_timestamp_and_lever_style_reset_is_seconds() {
        // Workable's recorded answer: limit 10, 6 left, reset at a timestamp.
        let h = headers(&[
            ("x-rate-limit-limit", "10"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", "1784848795"),
        ]);
        let rate = RateHeaders::at(&h, now());
        assert_eq!(rate.limit, Some(10));
        assert_eq!(rate.wait(), Some(Duration::from_secs(5)));
        let h = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "3")]);
        assert_eq!(
            RateHeaders::at(&h, now()).wait(),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn a_window_with_calls_left_asks_for_no_wait() {
        let h = headers(&[("x-rate-limit-remaining", "4"), ("x-rate-limit-reset", "9")]);
        assert_eq!(RateHeaders::at(&h, now()).wait(), None);
    }

    #[test]
    fn no_ats_makes_us_wait_more_than_an_hour() {
        let h = headers(&[("retry-after", "999999")]);
        assert_eq!(RateHeaders::at(&h, now()).wait(), Some(LONGEST_WAIT));
    }
}
