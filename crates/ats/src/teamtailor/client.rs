//! Teamtailor's dialect of HTTP: the key as `Authorization: Token
//! token=…`, a required `X-Api-Version` on every call, JSON:API documents
//! (`application/vnd.api+json`) and JSON:API error bodies. Everything else
//! (retries, limits, reach) is the shared [`crate::http`].

use crate::http::{plain_error_words, Auth, Dialect, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// The API version Sourcebar is written against (the newest one seen in
/// working clients; Teamtailor's docs do not name the latest).
pub const API_VERSION: &str = "20240404";
/// JSON:API's media type, sent and accepted.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// An HTTP client speaking Teamtailor's dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    let auth = Auth::Header {
        name: "authorization",
        prefix: "Token token=",
    };
    HttpClient::new(base, auth, key, budget, reach)?
        .with_dialect(TeamtailorErrors)
        .with_header("x-api-version", API_VERSION)?
        .with_header("accept", MEDIA_TYPE)?
        // A body goes as JSON:API (reqwest keeps a content type already set).
        .with_header("content-type", MEDIA_TYPE)
}

/// JSON:API errors: `{"errors": [{"detail": …}]}`, told by their status.
struct TeamtailorErrors;

impl Dialect for TeamtailorErrors {
    fn refine(&self, status: StatusCode, body: &Value) -> Option<AtsError> {
        let words = plain_error_words(body).unwrap_or_default();
        match status.as_u16() {
            // A valid key whose scope or permission does not reach this
            // (a wrong key answers 401).
            403 => Some(AtsError::InsufficientPermissions(words)),
            406 => Some(AtsError::Ats(format!(
                "X-Api-Version {API_VERSION} refused: {words}"
            ))),
            // Validation: the words say which (a taken email, an
            // application that exists): kept for the log and the adapter.
            422 => Some(AtsError::Ats(format!("HTTP 422: {words}"))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn permission_version_and_validation_errors_keep_their_words() {
        let body =
            json!({"errors": [{"status": "422", "detail": "email - has already been taken"}]});
        let refined = TeamtailorErrors.refine(StatusCode::UNPROCESSABLE_ENTITY, &body);
        assert!(
            matches!(&refined, Some(AtsError::Ats(w)) if w.contains("already been taken")),
            "{refined:?}"
        );
        assert!(matches!(
            TeamtailorErrors.refine(StatusCode::FORBIDDEN, &body),
            Some(AtsError::InsufficientPermissions(_))
        ));
        assert!(matches!(
            TeamtailorErrors.refine(StatusCode::NOT_ACCEPTABLE, &json!({})),
            Some(AtsError::Ats(w)) if w.contains(API_VERSION)
        ));
        assert!(TeamtailorErrors
            .refine(StatusCode::NOT_FOUND, &body)
            .is_none());
    }
}
