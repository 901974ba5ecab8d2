//! Lever's dialect of HTTP: Basic auth with the key as user name, errors
//! as `{"code": "…", "message": "…"}` with the HTTP status telling what
//! went wrong (a 403 is a permission the key lacks), and the `{data,
//! hasNext, next}` envelope. Everything else is the shared [`crate::http`].

pub use crate::http::segment;
use crate::http::{plain_error_words, Auth, BasicKey, Dialect, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// An HTTP client speaking Lever's dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    let auth = Auth::Basic(BasicKey::AsUsername);
    Ok(HttpClient::new(base, auth, key, budget, reach)?.with_dialect(LeverErrors))
}

/// Lever's error bodies.
struct LeverErrors;

impl Dialect for LeverErrors {
    fn error_words(&self, body: &Value) -> Option<String> {
        let message = plain_error_words(body)?;
        Some(match body.get("code").and_then(Value::as_str) {
            Some(code) => format!("{code}: {message}"),
            None => message,
        })
    }

    fn refine(&self, status: StatusCode, body: &Value) -> Option<AtsError> {
        let words = || self.error_words(body).unwrap_or_default();
        match status {
            // 401 is a refused key; 403 a key without this endpoint's permission.
            StatusCode::FORBIDDEN => Some(AtsError::InsufficientPermissions(words())),
            StatusCode::BAD_REQUEST => Some(AtsError::Ats(words())),
            _ => None,
        }
    }
}

/// The rows of a list answer.
pub fn rows(answer: &Value) -> Result<&Vec<Value>, AtsError> {
    answer
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| AtsError::Malformed("a list answer without data".into()))
}

/// The offset token of the next page, when there is one.
pub fn next_offset(answer: &Value) -> Option<String> {
    let more = answer.get("hasNext").and_then(Value::as_bool) == Some(true);
    answer
        .get("next")
        .and_then(Value::as_str)
        .filter(|t| more && !t.is_empty())
        .map(String::from)
}

/// The record of a single-record answer (`{"data": {…}}`).
pub fn record(answer: &Value) -> Result<&Value, AtsError> {
    answer
        .get("data")
        .filter(|d| d.is_object())
        .ok_or_else(|| AtsError::Malformed("an answer without its record".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_403_is_a_missing_permission_and_the_code_goes_to_the_log() {
        let body = json!({"code": "ForbiddenError", "message": "no access to postings"});
        assert!(matches!(
            LeverErrors.refine(StatusCode::FORBIDDEN, &body),
            Some(AtsError::InsufficientPermissions(m)) if m == "ForbiddenError: no access to postings"
        ));
        assert!(LeverErrors
            .refine(StatusCode::UNAUTHORIZED, &body)
            .is_none());
    }

    #[test]
    fn the_next_token_is_read_only_when_lever_says_there_is_more() {
        assert_eq!(
            next_offset(&json!({"data": [], "hasNext": true, "next": "abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            next_offset(&json!({"data": [], "hasNext": false, "next": "abc"})),
            None
        );
        assert!(rows(&json!({"hasNext": false})).is_err());
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }
}
