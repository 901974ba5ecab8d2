//! What can go wrong when talking to an ATS, mapped to the contract's codes.

use sourcebar_core::ErrorCode;
use std::time::Duration;

/// A failed ATS call, already classified.
#[derive(Debug, thiserror::Error)]
pub enum AtsError {
    /// The ATS refused the key.
    #[error("the ATS refused the API key")]
    InvalidKey,
    /// The key is valid but lacks a permission this call needs (the ATS's
    /// words inside are for the server's log only: see [`AtsError::detail`]).
    #[error("the API key lacks a permission")]
    InsufficientPermissions(String),
    /// The key lacks this permission, named as the ATS names it in its
    /// settings (our own words, from the call that needed it).
    #[error("the API key lacks the permission {0}")]
    MissingPermission(&'static str),
    /// No answer, a timeout, or a connection error, after retries.
    #[error("the ATS could not be reached: {0}")]
    Unreachable(String),
    /// The ATS kept answering 429 after retries.
    #[error("the ATS is rate limiting this key")]
    RateLimited {
        /// How long the ATS asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The record does not exist.
    #[error("not found in the ATS")]
    NotFound,
    /// A business error (JazzHR: HTTP 200 with `_error`) or an unexpected
    /// status. The text may come from the ATS: it is kept out of `Display`,
    /// which ends up in answers and stored errors; log [`AtsError::detail`].
    #[error("the ATS answered with an error")]
    Ats(String),
    /// The answer could not be read.
    #[error("the ATS sent an answer that could not be read: {0}")]
    Malformed(String),
    /// The provider's public API cannot do this at all (its capabilities
    /// say so; generic code that asks first never meets this).
    #[error("this ATS's public API cannot {0}")]
    Unsupported(&'static str),
}

impl AtsError {
    /// The contract's error code for this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            AtsError::InvalidKey => ErrorCode::InvalidKey,
            AtsError::InsufficientPermissions(_) | AtsError::MissingPermission(_) => {
                ErrorCode::InsufficientPermissions
            }
            AtsError::Unreachable(_) => ErrorCode::AtsUnreachable,
            AtsError::RateLimited { .. } => ErrorCode::AtsRateLimited,
            AtsError::NotFound => ErrorCode::NotFound,
            AtsError::Ats(_) | AtsError::Malformed(_) => ErrorCode::AtsError,
            AtsError::Unsupported(_) => ErrorCode::InvalidRequest,
        }
    }

    /// The words behind the error, for the server's log only (they may come
    /// from the ATS, so they never go into an answer or a stored error).
    pub fn detail(&self) -> Option<&str> {
        match self {
            AtsError::InsufficientPermissions(m)
            | AtsError::Ats(m)
            | AtsError::Unreachable(m)
            | AtsError::Malformed(m) => Some(m),
            _ => None,
        }
    }

    /// Whether the call may succeed later without anything changing on our
    /// side (an upload in this state is queued rather than refused).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            AtsError::Unreachable(_) | AtsError::RateLimited { .. }
        )
    }
}
