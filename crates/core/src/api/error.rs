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

/// `{"code", "message"}` inside an error response, and, where the
/// companion knows them, what the UI needs to point at the cause (an
/// extension of the contract: each is optional, absent when unknown, and a
/// client that ignores them still reads the contract's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// An English sentence; the sidebar shows its own translation of `code`.
    pub message: String,
    /// The request field at fault: `base_url`, `api_key` or a setting's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why, more precisely than `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ErrorReason>,
    /// The permission the API key lacks, as the ATS names it in its settings
    /// (with `insufficient_permissions`, where the provider's call declares it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
}

/// Why a request was refused, beyond its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorReason {
    /// The address (`field`: the base URL or the setting naming the account)
    /// did not answer like the chosen ATS's API.
    NotThisAts,
    /// A reason this client does not know yet (a newer companion): read as
    /// the code alone.
    #[serde(other)]
    Other,
}

impl ApiError {
    /// An error with a code and a sentence, nothing more.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            field: None,
            reason: None,
            permission: None,
        }
    }
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
            error: ApiError::new(
                ErrorCode::IdempotencyKeyReused,
                "Another body was sent with this key.",
            ),
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "idempotency_key_reused");
        // The extension's fields are absent when unknown: the contract's shape exactly.
        assert_eq!(json["error"].as_object().unwrap().len(), 2);
        assert_eq!(ErrorCode::IdempotencyKeyReused.http_status(), 422);
    }

    #[test]
    fn the_field_reason_and_permission_travel_and_a_contract_only_body_still_reads() {
        let body = ErrorBody {
            error: ApiError {
                field: Some("base_url".into()),
                reason: Some(ErrorReason::NotThisAts),
                permission: Some("harvest:candidates:list".into()),
                ..ApiError::new(ErrorCode::InvalidRequest, "No.")
            },
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["field"], "base_url");
        assert_eq!(json["error"]["reason"], "not_this_ats");
        assert_eq!(json["error"]["permission"], "harvest:candidates:list");
        assert_eq!(serde_json::from_value::<ErrorBody>(json).unwrap(), body);
        let plain = serde_json::json!({"error": {"code": "invalid_key", "message": "?"}});
        let read = serde_json::from_value::<ErrorBody>(plain).unwrap().error;
        assert_eq!(
            (read.field, read.reason, read.permission),
            (None, None, None)
        );
    }

    #[test]
    fn a_reason_from_a_newer_companion_is_read_as_unknown_not_refused() {
        let newer = serde_json::json!({"error": {"code": "invalid_request", "message": "?", "reason": "brand_new"}});
        let read = serde_json::from_value::<ErrorBody>(newer).unwrap().error;
        assert_eq!(read.reason, Some(ErrorReason::Other));
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
