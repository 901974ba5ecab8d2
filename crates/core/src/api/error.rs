//! The error body of every failed call, and the codes it carries.

use serde::{Deserialize, Serialize};

/// The contract's error codes; the sidebar translates each (EN/FR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Every code, for tests that check each is handled (translated, mapped).
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidKey,
        ErrorCode::InsufficientPermissions,
        ErrorCode::AtsUnreachable,
        ErrorCode::AtsRateLimited,
        ErrorCode::AtsError,
        ErrorCode::NoActiveConnection,
        ErrorCode::Conflict,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::Internal,
        ErrorCode::RateLimited,
    ];

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// An English sentence; the sidebar shows its own translation of `code`.
    pub message: String,
}

/// The whole error response: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    #[test]
    fn every_code_is_written_on_the_wire_as_its_name_and_read_back() {
        for code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire.as_str(), Some(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(wire).unwrap(), code);
        }
    }

    #[test]
    fn an_unknown_code_is_refused_rather_than_guessed() {
        let unknown = serde_json::json!({"error": {"code": "new_code", "message": "?"}});
        assert!(serde_json::from_value::<ErrorBody>(unknown).is_err());
    }
}
