//! JazzHR's dialect of HTTP: the key in the query for reads and inside the
//! JSON body for writes, business errors on HTTP 200 (`{"_error": …}`), a
//! lone object where one row matches, and filters as path segments.
//! Everything else (retries, limits, reach) is the shared [`crate::http`].

pub use crate::http::segment;
use crate::http::{Auth, Dialect, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use serde_json::Value;
use std::sync::Arc;

/// An HTTP client speaking JazzHR's dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    let auth = Auth::QueryKey {
        param: "apikey",
        in_body_for_writes: true,
    };
    Ok(HttpClient::new(base, auth, key, budget, reach)?.with_dialect(JazzHrErrors))
}

/// JazzHR reports business errors with HTTP 200.
struct JazzHrErrors;

impl Dialect for JazzHrErrors {
    fn error_in_success(&self, body: &Value) -> Option<AtsError> {
        let message = body
            .get("_error")
            .or_else(|| body.get("error"))
            .and_then(Value::as_str)?;
        let lower = message.to_lowercase();
        Some(if lower.contains("not found") {
            AtsError::NotFound
        } else if lower.contains("api key") || lower.contains("apikey") {
            AtsError::InvalidKey
        } else if lower.contains("permission") {
            AtsError::InsufficientPermissions(message.to_string())
        } else {
            AtsError::Ats(message.to_string())
        })
    }
}

/// JazzHR answers a lone object when one row matches: always a list.
pub fn rows(value: Value) -> Vec<Value> {
    match value {
        Value::Array(rows) => rows,
        Value::Object(map) if map.is_empty() => Vec::new(),
        Value::Object(map) => vec![Value::Object(map)],
        _ => Vec::new(),
    }
}
