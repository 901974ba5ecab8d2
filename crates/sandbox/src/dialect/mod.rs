//! How each emulated ATS speaks over the neutral model: its routes, where a
//! request carries the key, what it answers to a wrong key and past its rate
//! limit, and how it prints ids. See README.md, "Adding a dialect".

pub mod ashby;
pub mod bamboohr;
pub mod greenhouse;
pub mod jazzhr;
pub mod lever;
pub mod personio;
pub mod recruitee;
pub mod smartrecruiters;
pub mod teamtailor;
pub mod workable;

use crate::model::{Job, Model, Person};
use crate::{SandboxState, Shared};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Router;
use base64::Engine as _;
use serde_json::Value;
use std::time::Duration;

/// Every emulated ATS; adding one is a module and a line here.
const DIALECTS: &[&dyn Dialect] = &[
    &jazzhr::JazzHr,
    &ashby::Ashby,
    &smartrecruiters::SmartRecruiters,
    &bamboohr::BambooHr,
    &recruitee::Recruitee,
    &greenhouse::Greenhouse,
    &lever::Lever,
    &teamtailor::Teamtailor,
    &workable::Workable,
    &personio::Personio,
];

/// One ATS's API over the neutral model.
pub trait Dialect: Send + Sync + 'static {
    /// The provider's id, as Sourcebar names it (`"jazzhr"`).
    fn name(&self) -> &'static str;

    /// The path of the API root as its docs write the base URL (`"/v1"`).
    fn base_path(&self) -> &'static str;

    /// The API's routes, each with its full path under `base_path`.
    fn routes(&self) -> Router<Shared>;

    /// The API key a request carries, read where this ATS reads it.
    fn api_key(&self, request: &Parts, body: &[u8]) -> Option<String>;

    /// The key behind a request. By default the key it carries; an ATS
    /// that trades its key for bearer tokens looks the token up in
    /// `shared.tokens` and answers the key it was minted with.
    fn caller_key(&self, shared: &SandboxState, request: &Parts, body: &[u8]) -> Option<String> {
        let _ = shared;
        self.api_key(request, body)
    }

    /// The answer to a missing or wrong key.
    fn unauthorized(&self) -> Response;

    /// The answer to a call past the rate limit.
    fn rate_limited(&self, window: &RateWindow) -> Response;

    /// `Some(burst)`: the ATS meters each key with a token bucket of
    /// `burst` calls refilled at `limit` calls per rate window (Lever);
    /// `None` (the default): a fixed window of `limit` calls.
    fn burst(&self, _limit: u32) -> Option<u32> {
        None
    }

    /// Adds what this ATS tells about its rate limit to an accepted call's
    /// answer (`X-RateLimit-*` and the like); nothing by default.
    fn add_rate_headers(&self, _window: &RateWindow, _response: &mut Response) {}

    /// A `200` body that no client can parse (the `malformed` fault).
    fn malformed_body(&self) -> &'static str;

    /// A person's id as this ATS prints it.
    fn person_id(&self, person: &Person) -> String;

    /// A job's id as this ATS prints it.
    fn job_id(&self, job: &Job) -> String;

    /// The person as the ATS's record view shows it (`/_sandbox/applicants/{id}`).
    fn record(&self, model: &Model, person: &Person) -> Value;

    /// The record with everything written on it, for `/_sandbox/candidates`.
    fn inspect(&self, model: &Model, person: &Person) -> Value;

    /// A connection's non-secret settings, given the sandbox's origin
    /// (`http://HOST`), for `/_sandbox/info`.
    fn settings(&self, origin: &str) -> Value;

    /// The permission a key needs to list candidates, as the ATS names it,
    /// for `/_sandbox/info` (a test takes it away and gives it back); `None`
    /// where this ATS's keys carry no separate permissions.
    fn read_permission(&self) -> Option<&'static str> {
        None
    }

    /// The person this ATS calls `id`.
    fn find_person<'m>(&self, model: &'m Model, id: &str) -> Option<&'m Person> {
        model.people().iter().find(|p| self.person_id(p) == id)
    }
}

/// A key's rate window when a call arrives, for the headers and the 429.
#[derive(Debug, Clone, Copy)]
pub struct RateWindow {
    /// Calls allowed per window.
    pub limit: u32,
    /// Calls left in this window after this one.
    pub remaining: u32,
    /// Until the window starts again.
    pub resets_in: Duration,
    /// A `Retry-After` the sandbox's config asks for, whatever the ATS does.
    pub retry_after_secs: Option<u64>,
}

/// Which ATS a sandbox emulates.
#[derive(Clone, Copy)]
pub struct Provider(&'static dyn Dialect);

impl Provider {
    /// The emulated provider with this name.
    ///
    /// # Errors
    /// [`NotEmulated`] when no dialect has that name.
    pub fn named(name: &str) -> Result<Provider, NotEmulated> {
        DIALECTS
            .iter()
            .find(|d| d.name() == name)
            .map(|d| Provider(*d))
            .ok_or_else(|| NotEmulated(name.to_string()))
    }

    /// Names of every emulated provider.
    pub fn names() -> Vec<&'static str> {
        DIALECTS.iter().map(|d| d.name()).collect()
    }

    /// The provider's dialect.
    pub fn dialect(self) -> &'static dyn Dialect {
        self.0
    }

    /// The provider's name (`"jazzhr"`).
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl Default for Provider {
    /// JazzHR, the first emulated ATS.
    fn default() -> Self {
        Provider(&jazzhr::JazzHr)
    }
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A provider no dialect emulates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEmulated(pub String);

impl std::fmt::Display for NotEmulated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "provider '{}' is not emulated yet (emulated: {})",
            self.0,
            Provider::names().join(", ")
        )
    }
}

impl std::error::Error for NotEmulated {}

/// The user name of an `Authorization: Basic` header.
pub fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, _password) = text.split_once(':')?;
    Some(user.to_string())
}

/// Whole seconds until `d` has passed, at least one (a `Retry-After`).
pub fn ceil_secs(d: Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// A `Retry-After` in seconds: the config's when it sets one, else when
/// the key may call again: a second when its window still has room (a 429
/// a fault made), else the seconds left in the window.
pub fn retry_after(window: &RateWindow) -> u64 {
    window.retry_after_secs.unwrap_or(if window.remaining > 0 {
        1
    } else {
        ceil_secs(window.resets_in)
    })
}

/// Percent-decoding of a path segment or query value (`+` is a space in queries).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                if let Some(v) = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_is_found_by_its_name_and_others_are_not_emulated() {
        for name in Provider::names() {
            assert_eq!(Provider::named(name).unwrap().name(), name);
        }
        assert_eq!(Provider::default().name(), "jazzhr");
        let err = Provider::named("no-such-ats").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "provider 'no-such-ats' is not emulated yet (emulated: {})",
                Provider::names().join(", ")
            )
        );
    }

    #[test]
    fn decoding_handles_escapes_plus_and_stray_percents() {
        assert_eq!(decode("Jos%C3%A9+Garc%C3%ADa"), "José García");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
