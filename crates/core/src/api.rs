//! Error codes and the error body of the companion's HTTP contract.

use serde::{Deserialize, Serialize};

/// The contract's error codes; the sidebar translates each (EN/FR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    NotFound,
    InvalidRequest,
    InvalidKey,
    InsufficientPermissions,
    AtsUnreachable,
    AtsRateLimited,
    AtsError,
    NoActiveConnection,
    Conflict,
    IdempotencyKeyReused,
    /// Not in the contract's list: a server fault the user can only retry.
    Internal,
    /// Not in the contract's list: the companion's own per-token limit.
    RateLimited,
}

impl ErrorCode {
    /// The HTTP status the contract pairs with this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::InvalidRequest
            | ErrorCode::InvalidKey
            | ErrorCode::InsufficientPermissions
            | ErrorCode::IdempotencyKeyReused => 422,
            ErrorCode::AtsUnreachable | ErrorCode::AtsError => 502,
            ErrorCode::AtsRateLimited => 503,
            ErrorCode::NoActiveConnection | ErrorCode::Conflict => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }

    /// The `snake_case` name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidKey => "invalid_key",
            ErrorCode::InsufficientPermissions => "insufficient_permissions",
            ErrorCode::AtsUnreachable => "ats_unreachable",
            ErrorCode::AtsRateLimited => "ats_rate_limited",
            ErrorCode::AtsError => "ats_error",
            ErrorCode::NoActiveConnection => "no_active_connection",
            ErrorCode::Conflict => "conflict",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::Internal => "internal",
            ErrorCode::RateLimited => "rate_limited",
        }
    }
}

/// `{"code", "message"}` inside an error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// An English sentence; the sidebar shows its own translation of `code`.
    pub message: String,
}

/// The whole error response: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_contract_shape() {
        let body = ErrorBody {
            error: ApiError {
                code: ErrorCode::IdempotencyKeyReused,
                message: "Another body was sent with this key.".into(),
            },
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "idempotency_key_reused");
        assert_eq!(ErrorCode::IdempotencyKeyReused.http_status(), 422);
    }
}
