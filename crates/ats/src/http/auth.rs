//! How an ATS wants its key: in the query (and for JazzHR, inside the JSON
//! body of writes), in a header, as HTTP Basic, or exchanged for a bearer
//! token by OAuth2 client credentials. The key itself stays an [`ApiKey`]:
//! it is placed on the request here and nowhere else.

use crate::{ApiKey, AtsError};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::RequestBuilder;
use serde::Deserialize;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A token is renewed this long before the ATS says it expires (a
/// quarter of its life early when it lives less than four minutes).
const TOKEN_MARGIN: Duration = Duration::from_mins(1);
/// When the token answer gives no lifetime.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_mins(10);

/// Where the key goes on each request.
#[derive(Debug)]
pub enum Auth {
    /// `?{param}=key` on every call; with `in_body_for_writes`, a call with
    /// a JSON body carries it inside the body instead (JazzHR).
    QueryKey {
        param: &'static str,
        in_body_for_writes: bool,
    },
    /// `{name}: {prefix}{key}`: `Authorization: Bearer …`,
    /// `Authorization: Token token=…` (Teamtailor), `X-SmartToken: …`.
    Header {
        name: &'static str,
        prefix: &'static str,
    },
    /// HTTP Basic.
    Basic(BasicKey),
    /// OAuth2 client credentials; the key is the client secret.
    ClientCredentials(ClientCredentials),
}

impl Auth {
    /// `Authorization: Bearer {key}`.
    pub const fn bearer() -> Self {
        Auth::Header {
            name: "authorization",
            prefix: "Bearer ",
        }
    }
}

/// Which half of HTTP Basic the key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasicKey {
    /// The key as user name, an empty password (Greenhouse, Lever).
    AsUsername,
    /// A fixed user name, the key as password.
    AsPassword { username: String },
}

/// OAuth2 client credentials (RFC 6749 §4.4): the client authenticates with
/// HTTP Basic at `token_url` and gets a bearer token, cached until shortly
/// before it expires.
#[derive(Debug)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    /// Extra form fields the provider asks for (Greenhouse: `sub`).
    extra: Vec<(String, String)>,
    /// The client id and secret go in the form body (RFC 6749 §2.3.1's
    /// alternative, Personio's way) instead of HTTP Basic.
    in_body: bool,
    cache: Mutex<Option<Token>>,
}

#[derive(Debug, Clone)]
struct Token {
    value: String,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl ClientCredentials {
    /// Client credentials for `client_id` at `token_url`.
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            extra: Vec::new(),
            in_body: false,
            cache: Mutex::new(None),
        }
    }

    /// Sends the client id and secret as form fields, not as HTTP Basic.
    #[must_use]
    pub fn credentials_in_body(mut self) -> Self {
        self.in_body = true;
        self
    }

    /// An extra form field of the token request.
    #[must_use]
    pub fn with_field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.extra.push((name.to_string(), value.into()));
        self
    }

    /// Where tokens come from (checked against the connection's reach).
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    async fn token(&self, secret: &ApiKey, http: &reqwest::Client) -> Result<String, AtsError> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.value.clone());
        }
        let mut form = vec![("grant_type".to_string(), "client_credentials".to_string())];
        form.extend(self.extra.iter().cloned());
        let request = if self.in_body {
            form.push(("client_id".into(), self.client_id.clone()));
            form.push(("client_secret".into(), secret.expose().to_string()));
            http.post(&self.token_url)
        } else {
            http.post(&self.token_url)
                .basic_auth(&self.client_id, Some(secret.expose()))
        };
        let response = request.form(&form).send().await.map_err(|e| {
            AtsError::Unreachable(if e.is_timeout() {
                "the token endpoint timed out".into()
            } else {
                "the token endpoint could not be reached".into()
            })
        })?;
        let status = response.status();
        if status.as_u16() == 400 || status.as_u16() == 401 || status.as_u16() == 403 {
            // RFC 6749 §5.2: invalid_client / unauthorized_client.
            return Err(AtsError::InvalidKey);
        }
        if status.as_u16() == 404 {
            // No token endpoint there: not this ATS's address.
            return Err(AtsError::NotFound);
        }
        if !status.is_success() {
            return Err(AtsError::Unreachable(format!(
                "the token endpoint answered HTTP {}",
                status.as_u16()
            )));
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|_| AtsError::Malformed("the token answer could not be read".into()))?;
        let lifetime = answer
            .expires_in
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let token = Token {
            value: answer.access_token,
            renew_at: Instant::now() + renew_after(lifetime),
        };
        let value = token.value.clone();
        *cache = Some(token);
        Ok(value)
    }
}

impl Auth {
    /// Puts `key` on `request` (or into `body`).
    pub(super) async fn apply(
        &self,
        request: RequestBuilder,
        key: &ApiKey,
        body: &mut Option<Value>,
        http: &reqwest::Client,
    ) -> Result<RequestBuilder, AtsError> {
        Ok(match self {
            Auth::QueryKey {
                param,
                in_body_for_writes,
            } => match body {
                Some(Value::Object(map)) if *in_body_for_writes => {
                    map.insert((*param).to_string(), Value::String(key.expose().into()));
                    request
                }
                _ => request.query(&[(*param, key.expose())]),
            },
            Auth::Header { name, prefix } => {
                request.header(*name, sensitive(&format!("{prefix}{}", key.expose()))?)
            }
            Auth::Basic(BasicKey::AsUsername) => request.basic_auth(key.expose(), Some("")),
            Auth::Basic(BasicKey::AsPassword { username }) => {
                request.basic_auth(username, Some(key.expose()))
            }
            Auth::ClientCredentials(credentials) => {
                let token = credentials.token(key, http).await?;
                request.header(AUTHORIZATION, sensitive(&format!("Bearer {token}"))?)
            }
        })
    }

    /// Drops a cached token after the ATS refused it.
    pub(super) async fn forget_token(&self) {
        if let Auth::ClientCredentials(credentials) = self {
            *credentials.cache.lock().await = None;
        }
    }

    /// Whether a refused call may be worth one more try with a new token.
    pub(super) fn renews_tokens(&self) -> bool {
        matches!(self, Auth::ClientCredentials(_))
    }
}

/// How long a token that lives `lifetime` is used before a new one is
/// minted: early enough that it never dies in flight, late enough that a
/// short-lived token is still used more than once.
fn renew_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(TOKEN_MARGIN.min(lifetime / 4))
}

/// A header value that never shows in debug output.
fn sensitive(value: &str) -> Result<HeaderValue, AtsError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| AtsError::InvalidKey)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_a_minute_early_or_a_quarter_of_a_short_life_early() {
        assert_eq!(
            renew_after(Duration::from_hours(1)),
            Duration::from_mins(59)
        );
        assert_eq!(renew_after(Duration::from_secs(4)), Duration::from_secs(3));
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }
}
