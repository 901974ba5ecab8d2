//! One error type for every handler, answered in the contract's shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sourcebar_ats::AtsError;
use sourcebar_core::{ApiError, ErrorBody, ErrorCode};

/// An error answer: a contract code and an English sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    /// An error with its own message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
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
        let message = match &e {
            AtsError::InvalidKey => "The ATS refused the API key.".to_string(),
            AtsError::InsufficientPermissions(_) => {
                "The API key lacks a permission Sourcebar needs.".to_string()
            }
            AtsError::Unreachable(_) => "Unable to connect the ATS provider.".to_string(),
            AtsError::RateLimited { .. } => {
                "The ATS is rate limiting this key; try again in a minute.".to_string()
            }
            AtsError::NotFound => "The ATS has no such record.".to_string(),
            AtsError::Ats(m) => format!("The ATS answered with an error: {m}"),
            AtsError::Malformed(_) => "The ATS sent an answer that could not be read.".to_string(),
        };
        AppError::new(e.code(), message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            Json(ErrorBody {
                error: ApiError {
                    code: self.code,
                    message: self.message,
                },
            }),
        )
            .into_response()
    }
}

/// A handler's result.
pub type AppResult<T> = Result<T, AppError>;
