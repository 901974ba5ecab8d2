//! SmartRecruiters' dialect of HTTP: the key in `X-SmartToken`, errors as
//! `{"errors": [{"code", "message"}]}` told by their status (401 a refused
//! key, 403 a missing permission), and its concurrency caps: 8 calls in
//! flight per key, a single `GET /candidates`.

use crate::http::{account_tag, Auth, ConcurrencyLimit, EndpointCap, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use std::sync::Arc;

/// What SmartRecruiters lets one key run at once
/// (`shared/ats/README.md` §6, from its rate-limiting docs via a third party).
pub const CONCURRENCY: ConcurrencyLimit = ConcurrencyLimit {
    in_all: 8,
    endpoints: &[EndpointCap {
        method: "GET",
        path: "candidates",
        at_once: 1,
    }],
};

/// An HTTP client speaking SmartRecruiters' dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    let account = account_tag(base, &key);
    let auth = Auth::Header {
        name: "x-smarttoken",
        prefix: "",
    };
    Ok(HttpClient::new(base, auth, key, budget, reach)?
        .with_dialect(SmartRecruitersErrors)
        .with_concurrency(account, CONCURRENCY))
}

/// A 403 is a key without the permission (a wrong key answers 401).
struct SmartRecruitersErrors;

impl crate::http::Dialect for SmartRecruitersErrors {
    fn refine(&self, status: reqwest::StatusCode, body: &serde_json::Value) -> Option<AtsError> {
        match status.as_u16() {
            403 => Some(AtsError::InsufficientPermissions(
                crate::http::plain_error_words(body).unwrap_or_default(),
            )),
            400 => Some(AtsError::Ats(
                crate::http::plain_error_words(body).unwrap_or_else(|| "HTTP 400".into()),
            )),
            _ => None,
        }
    }
}
