//! Greenhouse Harvest v3's dialect of HTTP: OAuth2 client credentials
//! (the client secret is the key, the token acts as a Greenhouse user, its
//! `sub`), errors told by the status with v1's bodies
//! (`{"message", "errors": [{"message", "field"}]}`), and a 403 that means
//! the credential lacks a scope. Everything else (retries, token cache and
//! refresh, limits, reach) is the shared [`crate::http`].

use crate::http::{plain_error_words, Auth, ClientCredentials, Dialect, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// Where one Greenhouse account is and who Sourcebar acts as there.
pub struct Account<'a> {
    pub base: &'a str,
    pub token_url: &'a str,
    pub client_id: &'a str,
    /// The Greenhouse user the tokens act as (`sub`).
    pub user_id: &'a str,
}

/// An HTTP client speaking Harvest v3 for `account`.
pub fn client(
    account: &Account<'_>,
    secret: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    let credentials = ClientCredentials::new(account.token_url, account.client_id)
        .with_field("sub", account.user_id);
    let auth = Auth::ClientCredentials(credentials);
    Ok(HttpClient::new(account.base, auth, secret, budget, reach)?.with_dialect(HarvestErrors))
}

/// Harvest's error answers.
struct HarvestErrors;

impl Dialect for HarvestErrors {
    /// `Validation error: <first error's field>: <its message>`.
    fn error_words(&self, body: &Value) -> Option<String> {
        let message = plain_error_words(body)?;
        let first = body.get("errors").and_then(|e| e.get(0));
        let detail = first.and_then(|e| {
            let text = e.get("message")?.as_str()?;
            Some(match e.get("field").and_then(Value::as_str) {
                Some(field) => format!("{field}: {text}"),
                None => text.to_string(),
            })
        });
        Some(match detail {
            Some(detail) if detail != message => format!("{message}: {detail}"),
            _ => message,
        })
    }

    /// A bearer token that works but is refused is a credential without
    /// the scope (a dead token is a 401); a 422 is a validation error.
    fn refine(&self, status: StatusCode, body: &Value) -> Option<AtsError> {
        let words = || {
            self.error_words(body)
                .unwrap_or_else(|| format!("HTTP {}", status.as_u16()))
        };
        match status {
            StatusCode::FORBIDDEN => Some(AtsError::InsufficientPermissions(words())),
            StatusCode::UNPROCESSABLE_ENTITY => Some(AtsError::Ats(words())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_403_is_a_missing_scope_and_a_422_keeps_its_words() {
        let forbidden = HarvestErrors.refine(
            StatusCode::FORBIDDEN,
            &json!({"message": "Missing required scope: harvest:candidates:list"}),
        );
        assert!(
            matches!(&forbidden, Some(AtsError::InsufficientPermissions(w)) if w.contains("harvest:candidates:list")),
            "{forbidden:?}"
        );
        let invalid = HarvestErrors.refine(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"message": "Validation error", "errors": [{"message": "Must be one of: candidate, prospect", "field": "type"}]}),
        );
        assert!(
            matches!(&invalid, Some(AtsError::Ats(w)) if w == "Validation error: type: Must be one of: candidate, prospect"),
            "{invalid:?}"
        );
        assert!(HarvestErrors
            .refine(StatusCode::UNAUTHORIZED, &Value::Null)
            .is_none());
    }
}
