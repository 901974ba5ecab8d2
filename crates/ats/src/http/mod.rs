//! HTTP shared by every adapter: how the key travels ([`Auth`]), which
//! failures may be sent again ([`retry`]), what the ATS says about its
//! limits ([`limits`]), where the next page is ([`paging`]), and a client
//! that connects only where the connection's [`Reach`] allows, follows no
//! redirect, and pays every call from the connection's [`RateBudget`].
//!
//! An adapter keeps only its dialect: its paths and field names, and how it
//! reports a business error inside a successful answer ([`Dialect`]).

pub mod auth;
pub mod concurrency;
pub mod limits;
pub mod paging;
pub mod retry;
mod transport;

pub use auth::{Auth, BasicKey, ClientCredentials};
pub use concurrency::{account_tag, ConcurrencyLimit, EndpointCap};
pub use limits::RateHeaders;

use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError, Priority};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use retry::Outcome;
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

/// How an ATS reports a business error inside an answer whose HTTP status
/// says success (JazzHR: `{"_error": …}` on 200; Ashby: `success: false`).
/// The default sees none.
pub trait Dialect: Send + Sync {
    /// The error a successful answer carries, if any.
    fn error_in_success(&self, _body: &Value) -> Option<AtsError> {
        None
    }

    /// The ATS's own words in an error answer's body, for the server's log
    /// only (they never reach an answer or a stored error).
    fn error_words(&self, body: &Value) -> Option<String> {
        plain_error_words(body)
    }

    /// A better error than the status alone gives, from the error answer's
    /// status and body (e.g. a 403 that means a missing permission, or a
    /// 422 that means a duplicate). `None` keeps the status's meaning.
    fn refine(&self, _status: StatusCode, _body: &Value) -> Option<AtsError> {
        None
    }
}

/// An ATS whose errors are all told by the HTTP status.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainDialect;

impl Dialect for PlainDialect {}

/// The common spellings of an error body: `{"error": "…"}`,
/// `{"message": "…"}`, `{"errors": [{"message"|"detail": "…"}]}` or
/// `{"errors": ["…"]}`.
pub fn plain_error_words(body: &Value) -> Option<String> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    if let Some(words) = body.get("error").and_then(text) {
        return Some(words);
    }
    if let Some(words) = body.get("message").and_then(text) {
        return Some(words);
    }
    let first = body.get("errors")?.as_array()?.first()?;
    text(first)
        .or_else(|| first.get("message").and_then(text))
        .or_else(|| first.get("detail").and_then(text))
}

/// One call: a method, a path under the base URL, a query and a JSON body.
#[derive(Debug, Clone)]
pub struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    priority: Priority,
    idempotent: bool,
    /// The permission (scope) this call needs, as the ATS names it.
    permission: Option<&'static str>,
}

impl Call {
    /// A call with no query and no body; GET, PUT and DELETE may be sent
    /// again when their outcome is unknown, POST and PATCH may not.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(method, Method::GET | Method::PUT | Method::DELETE);
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            priority: Priority::Interactive,
            idempotent,
            permission: None,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<String>) -> Self {
        Call::new(Method::GET, path)
    }

    /// `POST path` with a JSON body.
    pub fn post(path: impl Into<String>, body: Value) -> Self {
        Call::new(Method::POST, path).body(body)
    }

    /// Adds a query parameter.
    #[must_use]
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_string(), value.into()));
        self
    }

    /// Sets the JSON body.
    #[must_use]
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Who waits for this call (default: a user).
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Names the permission this call needs: a refusal for lack of it (a
    /// 403, or the dialect's own permission error) says which one.
    #[must_use]
    pub fn needs(mut self, permission: &'static str) -> Self {
        self.permission = Some(permission);
        self
    }

    /// Declares a POST safe to send again (an RPC-style read such as
    /// Ashby's `candidate.search`).
    #[must_use]
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The JSON body (`Null` when the body was empty).
    pub body: Value,
}

impl Answer {
    /// The `rel="next"` URL of a `Link` header, when there is one.
    pub fn next_link(&self) -> Option<String> {
        paging::next_link(&self.headers)
    }

    /// What the ATS said about its limits.
    pub fn rate(&self) -> RateHeaders {
        RateHeaders::from_headers(&self.headers)
    }
}

/// An HTTP client for one connection.
pub struct HttpClient {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    key: ApiKey,
    /// Headers sent on every call (`On-Behalf-Of`, `X-Company-ID`, …).
    fixed_headers: HeaderMap,
    budget: Arc<RateBudget>,
    dialect: Arc<dyn Dialect>,
    /// Calls in flight at once, where the ATS caps them.
    slots: Option<Arc<concurrency::Slots>>,
}

impl HttpClient {
    /// A client for `base` (the API root as the provider's docs write it)
    /// that connects only where `reach` allows.
    pub fn new(
        base: &str,
        auth: Auth,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        if let Auth::ClientCredentials(credentials) = &auth {
            transport::check_address_literal(credentials.token_url(), reach)?;
        }
        Ok(HttpClient {
            http: transport::client(base, reach)?,
            base: base.trim_end_matches('/').to_string(),
            auth,
            key,
            fixed_headers: HeaderMap::new(),
            budget,
            dialect: Arc::new(PlainDialect),
            slots: None,
        })
    }

    /// How this ATS reports errors inside successful answers.
    #[must_use]
    pub fn with_dialect(mut self, dialect: impl Dialect + 'static) -> Self {
        self.dialect = Arc::new(dialect);
        self
    }

    /// Caps the calls in flight at once, shared by every client of the
    /// same account in this process (`account`: [`account_tag`]).
    #[must_use]
    pub fn with_concurrency(mut self, account: u64, limit: ConcurrencyLimit) -> Self {
        self.slots = Some(concurrency::Slots::for_account(account, limit));
        self
    }

    /// A header sent on every call. A value that is not a valid header
    /// (a newline in a setting) is refused, never sent.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Result<Self, AtsError> {
        let value = HeaderValue::from_str(value)
            .map_err(|_| AtsError::Ats(format!("invalid value for the {name} header")))?;
        self.fixed_headers
            .insert(HeaderName::from_static(name), value);
        Ok(self)
    }

    /// The API root, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET path` at `priority`, returning the JSON body.
    pub async fn get(&self, path: &str, priority: Priority) -> Result<Value, AtsError> {
        Ok(self.send(Call::get(path).priority(priority)).await?.body)
    }

    /// `POST path` with a JSON body, for a user; sent again only when it
    /// certainly was not processed.
    pub async fn post(&self, path: &str, body: Value) -> Result<Value, AtsError> {
        Ok(self.send(Call::post(path, body)).await?.body)
    }

    /// Sends `call`, again while that is safe and the priority's patience
    /// lasts: a failure that certainly was not processed (429, a refused
    /// connection) always may be; one whose outcome is unknown (a timeout,
    /// a 5xx) only when the call is idempotent.
    pub async fn send(&self, call: Call) -> Result<Answer, AtsError> {
        let policy = retry::Policy::for_priority(call.priority);
        let started = Instant::now();
        let mut attempt = 0;
        let mut renewed_token = false;
        loop {
            attempt += 1;
            // A user is never kept waiting on the budget past the patience
            // of their priority.
            let Ok(permit) = self
                .budget
                .acquire_by(call.priority, started + policy.patience)
                .await
            else {
                return Err(AtsError::RateLimited { retry_after: None });
            };
            let held = match &self.slots {
                Some(slots) => Some(slots.take(&call.method, &call.path).await),
                None => None,
            };
            let answer = self.once(&call).await;
            // The answer is in: the call keeps its place for one window more.
            drop((permit, held));
            let error = match answer {
                Ok(answer) => return Ok(answer),
                Err(Outcome::NotProcessed(e)) => e,
                Err(Outcome::Unknown(e)) if call.idempotent => e,
                Err(Outcome::Unknown(e)) => return Err(e),
            };
            if matches!(error, AtsError::InvalidKey) && self.auth.renews_tokens() && !renewed_token
            {
                // An OAuth token can be revoked before its time: one more
                // try with a fresh one (the refusal was not processed).
                renewed_token = true;
                continue;
            }
            let Some(wait) = policy.wait_before_retry(&error, attempt, started.elapsed()) else {
                return Err(error);
            };
            tracing::debug!(
                path = call.path.as_str(),
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying ATS call"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn once(&self, call: &Call) -> Result<Answer, Outcome> {
        let url = if call.path.starts_with("https://") || call.path.starts_with("http://") {
            // A next-page URL the ATS gave: only ever under our own base
            // (`https://ats.test` must not accept `https://ats.test.evil`).
            let under_base = call.path.strip_prefix(&self.base).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')
            });
            if !under_base {
                return Err(Outcome::NotProcessed(AtsError::Malformed(
                    "a next-page link points outside the ATS".into(),
                )));
            }
            call.path.clone()
        } else {
            format!("{}/{}", self.base, call.path.trim_start_matches('/'))
        };
        let mut request = self
            .http
            .request(call.method.clone(), &url)
            .headers(self.fixed_headers.clone());
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        let mut body = call.body.clone();
        request = self
            .auth
            .apply(request, &self.key, &mut body, &self.http)
            .await
            .map_err(Outcome::NotProcessed)?;
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| retry::classify_send_error(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .map_err(|_| Outcome::Unknown(AtsError::Unreachable("answer cut off".into())))?;
        if status == StatusCode::UNAUTHORIZED {
            // A cached OAuth token may have expired early: the next attempt
            // fetches a new one.
            self.auth.forget_token().await;
        }
        if let Some(error) = retry::error_for_status(status, &headers) {
            let parsed = serde_json::from_str::<Value>(&text).unwrap_or(Value::Null);
            let words = self.dialect.error_words(&parsed);
            if let Some(words) = words {
                // The ATS's own words are logged here, and kept out of every
                // answer and stored error (`AtsError`'s `Display` omits them).
                tracing::warn!(
                    path = call.path.as_str(),
                    status = status.as_u16(),
                    ats_message = words.as_str(),
                    "the ATS answered with an error"
                );
            }
            let refined = self.dialect.refine(status, &parsed);
            // A dialect that tells a refused key from a missing permission
            // by the body (Ashby answers both with 403) has the last word.
            let key_refused = matches!(refined, Some(AtsError::InvalidKey));
            let outcome = match (refined, error) {
                (Some(refined), Outcome::NotProcessed(_)) => Outcome::NotProcessed(refined),
                (Some(refined), Outcome::Unknown(_)) => Outcome::Unknown(refined),
                (None, error) => error,
            };
            return Err(match outcome {
                Outcome::NotProcessed(e) if key_refused => Outcome::NotProcessed(e),
                Outcome::NotProcessed(e) => Outcome::NotProcessed(name_permission(call, status, e)),
                unknown @ Outcome::Unknown(_) => unknown,
            });
        }
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .map_err(|_| Outcome::Unknown(AtsError::Malformed("not JSON".into())))?
        };
        if let Some(error) = self.dialect.error_in_success(&body) {
            if let AtsError::Ats(words) | AtsError::InsufficientPermissions(words) = &error {
                tracing::warn!(
                    path = call.path.as_str(),
                    ats_message = words.as_str(),
                    "the ATS answered with an error"
                );
            }
            return Err(Outcome::NotProcessed(name_permission(call, status, error)));
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// A refusal on a call that needs a named permission is a key without it:
/// the ATS's permission error, or a 403 (a wholly wrong key answers 401).
fn name_permission(call: &Call, status: StatusCode, error: AtsError) -> AtsError {
    match (call.permission, error) {
        (Some(needed), AtsError::InsufficientPermissions(_)) => AtsError::MissingPermission(needed),
        (Some(needed), AtsError::InvalidKey) if status == StatusCode::FORBIDDEN => {
            AtsError::MissingPermission(needed)
        }
        (_, error) => error,
    }
}

/// Escapes a value for one path segment (`/candidates/{id}`): anything but
/// unreserved characters is percent-encoded, so a value never leaves its
/// segment.
pub fn segment(value: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
