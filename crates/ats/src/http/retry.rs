//! Which failures may be sent again, and after how long.
//!
//! The rule that keeps uploads from creating a person twice: a failure that
//! certainly was not processed (a 429, a 401, a refused connection) may be
//! sent again; one whose outcome is unknown (a timeout after sending, a 5xx,
//! an answer cut off) only when the call is idempotent.

use super::limits::RateHeaders;
use crate::{AtsError, Priority};
use rand::Rng;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::Duration;

/// Whether a failed request may have reached the ATS (and a POST committed).
#[derive(Debug)]
pub enum Outcome {
    /// Never reached or refused before processing: safe to send again.
    NotProcessed(AtsError),
    /// May have been processed: only idempotent calls are sent again.
    Unknown(AtsError),
}

/// How many attempts, and how long a caller may be kept waiting in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub attempts: u32,
    pub patience: Duration,
}

impl Policy {
    /// A user waits at most 6 s over 3 attempts; background work 2 min over 6.
    pub fn for_priority(priority: Priority) -> Self {
        match priority {
            Priority::Interactive => Policy {
                attempts: 3,
                patience: Duration::from_secs(6),
            },
            Priority::Background => Policy {
                attempts: 6,
                patience: Duration::from_mins(2),
            },
        }
    }

    /// How long to wait before attempt `attempt + 1` after `error`, or
    /// `None` when the error is final, the attempts are spent, or the wait
    /// would outlast the patience.
    pub fn wait_before_retry(
        &self,
        error: &AtsError,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if !error.is_transient() || attempt >= self.attempts {
            return None;
        }
        let wait = match error {
            AtsError::RateLimited {
                retry_after: Some(d),
            } => *d,
            _ => backoff(attempt),
        };
        (elapsed + wait <= self.patience).then_some(wait)
    }
}

/// 0.5 s, 1 s, 2 s, ... capped at 20 s, each with ±50 % jitter.
pub fn backoff(attempt: u32) -> Duration {
    let base = 500u64
        .saturating_mul(1 << attempt.saturating_sub(1).min(6))
        .min(20_000);
    let jitter = rand::thread_rng().gen_range(base / 2..=base + base / 2);
    Duration::from_millis(jitter)
}

/// A request that got no answer. Never echoes reqwest's message: it may
/// carry the URL, and with it a key in the query.
pub fn classify_send_error(e: &reqwest::Error) -> Outcome {
    if e.is_connect() {
        Outcome::NotProcessed(AtsError::Unreachable("connection failed".into()))
    } else if e.is_timeout() {
        Outcome::Unknown(AtsError::Unreachable("timed out".into()))
    } else {
        Outcome::Unknown(AtsError::Unreachable("request failed".into()))
    }
}

/// The error an HTTP status stands for (`None` for a success).
pub fn error_for_status(status: StatusCode, headers: &HeaderMap) -> Option<Outcome> {
    let outcome = match status {
        s if s.is_success() => return None,
        // Most ATSs answer a refused key with either; a dialect that tells a
        // missing permission by 403 says so in `Dialect::refine`.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            Outcome::NotProcessed(AtsError::InvalidKey)
        }
        StatusCode::TOO_MANY_REQUESTS => Outcome::NotProcessed(AtsError::RateLimited {
            retry_after: RateHeaders::from_headers(headers).wait(),
        }),
        StatusCode::NOT_FOUND => Outcome::NotProcessed(AtsError::NotFound),
        s if s.is_server_error() => {
            Outcome::Unknown(AtsError::Unreachable(format!("HTTP {}", s.as_u16())))
        }
        s if s.is_redirection() => {
            tracing::warn!(
                status = s.as_u16(),
                "the ATS answered with a redirect; not followed"
            );
            Outcome::NotProcessed(AtsError::Ats(format!(
                "HTTP {} redirect (not followed)",
                s.as_u16()
            )))
        }
        s => Outcome::NotProcessed(AtsError::Ats(format!("HTTP {}", s.as_u16()))),
    };
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_never_kept_waiting_past_six_seconds() {
        let policy = Policy::for_priority(Priority::Interactive);
        let limited = AtsError::RateLimited {
            retry_after: Some(Duration::from_secs(5)),
        };
        assert_eq!(
            policy.wait_before_retry(&limited, 1, Duration::from_secs(0)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.wait_before_retry(&limited, 1, Duration::from_secs(2)),
            None
        );
    }

    #[test]
    fn final_errors_and_spent_attempts_are_not_retried() {
        let policy = Policy::for_priority(Priority::Background);
        assert_eq!(
            policy.wait_before_retry(&AtsError::InvalidKey, 1, Duration::ZERO),
            None
        );
        let down = AtsError::Unreachable("HTTP 503".into());
        assert!(policy.wait_before_retry(&down, 5, Duration::ZERO).is_some());
        assert_eq!(policy.wait_before_retry(&down, 6, Duration::ZERO), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for attempt in 1..20 {
            let wait = backoff(attempt);
            assert!(wait >= Duration::from_millis(250), "{attempt}: {wait:?}");
            assert!(wait <= Duration::from_secs(30), "{attempt}: {wait:?}");
        }
    }

    #[test]
    fn a_5xx_may_have_been_processed_and_a_429_was_not() {
        let headers = HeaderMap::new();
        assert!(matches!(
            error_for_status(StatusCode::SERVICE_UNAVAILABLE, &headers),
            Some(Outcome::Unknown(AtsError::Unreachable(_)))
        ));
        assert!(matches!(
            error_for_status(StatusCode::TOO_MANY_REQUESTS, &headers),
            Some(Outcome::NotProcessed(AtsError::RateLimited { .. }))
        ));
        assert!(matches!(
            error_for_status(StatusCode::FOUND, &headers),
            Some(Outcome::NotProcessed(AtsError::Ats(_)))
        ));
        assert!(error_for_status(StatusCode::CREATED, &headers).is_none());
    }
}
