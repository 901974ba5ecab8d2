//! One error type for every handler, answered in the contract's shape.

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sourcebar_ats::AtsError;
use sourcebar_core::{ApiError, ErrorBody, ErrorCode, ErrorReason};
use std::time::Duration;

/// An error answer: a contract code and an English sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// Sent as `Retry-After` (whole seconds) with a 429.
    pub retry_after: Option<Duration>,
    /// A status other than the code's own (413 for an oversized body).
    pub status: Option<StatusCode>,
    /// The request field at fault, where known (answered as `field`).
    pub field: Option<String>,
    /// Why, beyond the code (answered as `reason`).
    pub reason: Option<ErrorReason>,
    /// The permission a key lacks (answered as `permission`).
    pub permission: Option<String>,
}

impl AppError {
    /// An error with its own message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            retry_after: None,
            status: None,
            field: None,
            reason: None,
            permission: None,
        }
    }

    /// The same error, naming the request field at fault.
    #[must_use]
    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error, with a reason beyond its code.
    #[must_use]
    pub fn because(mut self, reason: ErrorReason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Too many requests: answered 429 with `Retry-After`.
    pub fn rate_limited(message: impl Into<String>, retry_after: Duration) -> Self {
        AppError {
            retry_after: Some(retry_after),
            ..AppError::new(ErrorCode::RateLimited, message)
        }
    }

    /// A body past the size limit: 413, in the contract's shape.
    pub fn too_large(limit_bytes: usize) -> Self {
        AppError {
            status: Some(StatusCode::PAYLOAD_TOO_LARGE),
            ..AppError::invalid(format!(
                "The request body is larger than {} KiB.",
                limit_bytes / 1024
            ))
        }
    }

    pub fn unauthorized() -> Self {
        AppError::new(ErrorCode::Unauthorized, "A valid bearer token is required.")
    }

    pub fn forbidden() -> Self {
        AppError::new(ErrorCode::Forbidden, "Your role does not allow this.")
    }

    pub fn not_found(what: &str) -> Self {
        AppError::new(ErrorCode::NotFound, format!("No such {what}."))
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::new(ErrorCode::InvalidRequest, message)
    }

    /// A server fault: logged in full, answered generically.
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, context, "internal error");
        AppError::new(
            ErrorCode::Internal,
            "Something went wrong on the server. Try again.",
        )
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal("database", e)
    }
}

impl From<AtsError> for AppError {
    fn from(e: AtsError) -> Self {
        // Whatever the ATS wrote stays in the server's log: it is not ours to
        // vouch for (it may be markup, a phishing line or another tenant's data).
        if let Some(detail) = e.detail() {
            tracing::debug!(detail, code = e.code().as_str(), "ATS call failed");
        }
        let error = AppError::new(e.code(), ats_message(&e).into_owned());
        match e {
            // The adapter's own name for it, from the call that needed it.
            AtsError::MissingPermission(name) => AppError {
                permission: Some(name.to_string()),
                ..error
            },
            _ => error,
        }
    }
}

/// What a caller is told about an ATS failure: one fixed sentence per kind,
/// never text that came from the ATS (a missing permission is named from
/// the adapter's own table).
pub fn ats_message(e: &AtsError) -> std::borrow::Cow<'static, str> {
    if let AtsError::MissingPermission(name) = e {
        return format!("The API key lacks a permission Sourcebar needs: {name}.").into();
    }
    match e {
        AtsError::InvalidKey => "The ATS refused the API key.",
        AtsError::InsufficientPermissions(_) => "The API key lacks a permission Sourcebar needs.",
        AtsError::Unreachable(_) => "Unable to connect the ATS provider.",
        AtsError::RateLimited { .. } => "The ATS is rate limiting this key; try again in a minute.",
        AtsError::NotFound => "The ATS has no such record.",
        AtsError::Ats(_) => "The ATS answered with an error; the server log has its details.",
        AtsError::Malformed(_) => "The ATS sent an answer that could not be read.",
        AtsError::Unsupported(_) => "This ATS's public API cannot do that.",
        AtsError::MissingPermission(_) => unreachable!("answered above"),
    }
    .into()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status.unwrap_or_else(|| {
            StatusCode::from_u16(self.code.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        });
        let mut response = (
            status,
            Json(ErrorBody {
                error: ApiError {
                    code: self.code,
                    message: self.message,
                    field: self.field,
                    reason: self.reason,
                    permission: self.permission,
                },
            }),
        )
            .into_response();
        if let Some(wait) = self.retry_after {
            // Whole seconds, rounded up: "0" would invite an immediate retry.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

/// A handler's result.
pub type AppResult<T> = Result<T, AppError>;
