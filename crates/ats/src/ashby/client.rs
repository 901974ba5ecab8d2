//! Ashby's dialect of HTTP: every call a `POST /<object>.<method>` with a
//! JSON body, the key as the HTTP Basic user name, and business errors in
//! answers whose status says success (`{"success": false, "errors": […],
//! "errorInfo": {"code": …}}`), turned here into typed [`AtsError`]s. A 403
//! is either a refused key or a missing permission: the body's code tells.

use crate::http::{Auth, BasicKey, Dialect, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// Ashby's code for a key that lacks the endpoint's permission.
const MISSING_PERMISSION: &str = "missing_endpoint_permission";

/// Codes that say a listing cannot go on from where it stands: a sync
/// token or a cursor that expired or cannot be read, or too many changes
/// for an incremental sync. The walk starts again as a full listing.
const RESTART_LISTING: &[&str] = &[
    "sync_token_expired",
    "sync_token_invalid",
    "incremental_sync_too_large",
    "next_cursor_expired",
    "invalid_next_cursor",
];

/// An HTTP client speaking Ashby's dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    HttpClient::new(base, Auth::Basic(BasicKey::AsUsername), key, budget, reach)?
        .with_dialect(AshbyErrors)
        .with_header("accept", "application/json; version=1")
}

/// Ashby's error envelope.
struct AshbyErrors;

impl Dialect for AshbyErrors {
    fn error_in_success(&self, body: &Value) -> Option<AtsError> {
        (body.get("success") == Some(&Value::Bool(false))).then(|| classify(body))
    }

    fn error_words(&self, body: &Value) -> Option<String> {
        let code = code(body);
        let errors = body
            .get("errors")
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|e| !e.is_empty());
        match (code, errors) {
            (Some(code), Some(errors)) => Some(format!("{code}: {errors}")),
            (Some(code), None) => Some(code.to_string()),
            (None, errors) => errors,
        }
    }

    fn refine(&self, status: StatusCode, body: &Value) -> Option<AtsError> {
        match status {
            StatusCode::FORBIDDEN if code(body) == Some(MISSING_PERMISSION) => Some(
                AtsError::InsufficientPermissions(self.error_words(body).unwrap_or_default()),
            ),
            // Missing (401), wrong or deactivated (403): the key is refused.
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Some(AtsError::InvalidKey),
            StatusCode::BAD_REQUEST => Some(AtsError::Ats(
                self.error_words(body).unwrap_or_else(|| "HTTP 400".into()),
            )),
            _ => None,
        }
    }
}

fn code(body: &Value) -> Option<&str> {
    body.pointer("/errorInfo/code").and_then(Value::as_str)
}

/// The typed error of a `success: false` answer.
fn classify(body: &Value) -> AtsError {
    let words = AshbyErrors
        .error_words(body)
        .unwrap_or_else(|| "success: false".into());
    match code(body) {
        Some(MISSING_PERMISSION) => AtsError::InsufficientPermissions(words),
        Some(c) if c == "not_found" || c.ends_with("_not_found") => AtsError::NotFound,
        _ => AtsError::Ats(words),
    }
}

/// Whether `error` says the listing must start again from scratch.
pub fn restarts_listing(error: &AtsError) -> bool {
    matches!(error, AtsError::Ats(words)
        if RESTART_LISTING.iter().any(|c| words.split(':').next() == Some(*c)))
}

/// Whether `error` says the candidate is already on that job.
pub fn already_on_job(error: &AtsError) -> bool {
    matches!(error, AtsError::Ats(words) if words.starts_with("application_already_exists"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failure(code: &str) -> Value {
        json!({"success": false, "errors": ["something"], "errorInfo": {"code": code, "requestId": "r1"}})
    }

    #[test]
    fn a_success_false_answer_is_a_typed_error() {
        assert!(AshbyErrors
            .error_in_success(&json!({"success": true, "results": []}))
            .is_none());
        assert!(matches!(
            AshbyErrors.error_in_success(&failure("missing_endpoint_permission")),
            Some(AtsError::InsufficientPermissions(_))
        ));
        assert!(matches!(
            AshbyErrors.error_in_success(&failure("candidate_not_found")),
            Some(AtsError::NotFound)
        ));
        let Some(AtsError::Ats(words)) = AshbyErrors.error_in_success(&failure("invalid_input"))
        else {
            panic!("a business error")
        };
        assert_eq!(words, "invalid_input: something");
    }

    #[test]
    fn a_403_is_a_refused_key_unless_it_names_a_missing_permission() {
        assert!(matches!(
            AshbyErrors.refine(
                StatusCode::FORBIDDEN,
                &failure("missing_endpoint_permission")
            ),
            Some(AtsError::InsufficientPermissions(_))
        ));
        assert!(matches!(
            AshbyErrors.refine(StatusCode::FORBIDDEN, &failure("invalid_api_key")),
            Some(AtsError::InvalidKey)
        ));
        assert!(matches!(
            AshbyErrors.refine(StatusCode::FORBIDDEN, &Value::Null),
            Some(AtsError::InvalidKey)
        ));
    }

    #[test]
    fn stale_tokens_and_cursors_restart_the_listing() {
        for code in RESTART_LISTING {
            assert!(restarts_listing(&classify(&failure(code))), "{code}");
        }
        assert!(!restarts_listing(&classify(&failure("invalid_input"))));
        assert!(!restarts_listing(&AtsError::InvalidKey));
    }
}
