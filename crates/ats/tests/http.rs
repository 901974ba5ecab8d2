//! The shared HTTP module against a scripted server on loopback: where each
//! auth strategy puts the key, which failures are sent again, what the rate
//! headers make us wait, and the OAuth2 token's life.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use sourcebar_ats::http::{Auth, BasicKey, Call, ClientCredentials, HttpClient};
use sourcebar_ats::net::Reach;
use sourcebar_ats::{ApiKey, AtsError, Priority, RateBudget};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY: &str = "shared-http-secret-0042";

/// A scripted answer: status, extra headers, JSON body.
type Scripted = (u16, Vec<(&'static str, String)>, Value);

/// What the server saw, and how it should answer next.
#[derive(Default)]
struct Script {
    /// Answers to give in order (status, headers, body); then 200 `{}`.
    answers: Mutex<Vec<Scripted>>,
    /// Each request: path with query, headers, body.
    seen: Mutex<Vec<(String, HeaderMap, String)>>,
    tokens_issued: AtomicUsize,
    /// The token the API accepts (None: any).
    valid_token: Mutex<Option<String>>,
    /// When set, new tokens are issued but the API accepts none of them.
    refuse_new_tokens: std::sync::atomic::AtomicBool,
}

async fn api(
    State(script): State<Arc<Script>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    script
        .seen
        .lock()
        .unwrap()
        .push((uri.to_string(), headers.clone(), body));
    if let Some(valid) = script.valid_token.lock().unwrap().clone() {
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if bearer != format!("Bearer {valid}") {
            return (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "invalid token"})),
            )
                .into_response();
        }
    }
    let next = {
        let mut answers = script.answers.lock().unwrap();
        (!answers.is_empty()).then(|| answers.remove(0))
    };
    let (status, extra, body) = next.unwrap_or((200, Vec::new(), json!({})));
    let mut response = (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    for (name, value) in extra {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

async fn token(State(script): State<Arc<Script>>, headers: HeaderMap, form: String) -> Response {
    let expected = format!("Basic {}", base64_basic("client-7", KEY));
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != expected
        || !form.contains("grant_type=client_credentials")
        || !form.contains("sub=42")
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let n = script.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
    let value = format!("token-{n}");
    if !script.refuse_new_tokens.load(Ordering::SeqCst) {
        *script.valid_token.lock().unwrap() = Some(value.clone());
    }
    Json(json!({"access_token": value, "token_type": "bearer", "expires_in": 3600})).into_response()
}

/// `user:password` in base64, written out so the test does not trust the
/// code under test to compute it.
fn base64_basic(user: &str, password: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn serve() -> (String, Arc<Script>) {
    let script = Arc::new(Script::default());
    let app = Router::new()
        .route("/token", post(token))
        .route("/api/{*rest}", any(api))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), script)
}

fn client(root: &str, auth: Auth) -> HttpClient {
    let budget = Arc::new(RateBudget::new(1000, Duration::from_mins(1)));
    HttpClient::new(
        &format!("{root}/api"),
        auth,
        ApiKey::new(KEY),
        budget,
        Reach::Any,
    )
    .unwrap()
}

fn seen(script: &Script) -> Vec<(String, HeaderMap, String)> {
    script.seen.lock().unwrap().clone()
}

fn answer(script: &Script, status: u16, headers: Vec<(&'static str, String)>, body: Value) {
    script.answers.lock().unwrap().push((status, headers, body));
}

#[tokio::test]
async fn each_auth_strategy_puts_the_key_where_its_ats_wants_it() {
    let (root, script) = serve().await;
    let jazz = client(
        &root,
        Auth::QueryKey {
            param: "apikey",
            in_body_for_writes: true,
        },
    );
    jazz.get("applicants", Priority::Interactive).await.unwrap();
    jazz.post("notes", json!({"contents": "hi"})).await.unwrap();
    let teamtailor = client(
        &root,
        Auth::Header {
            name: "authorization",
            prefix: "Token token=",
        },
    );
    teamtailor
        .get("v1/candidates", Priority::Interactive)
        .await
        .unwrap();
    let lever = client(&root, Auth::Basic(BasicKey::AsUsername));
    lever
        .get("v1/opportunities", Priority::Interactive)
        .await
        .unwrap();
    let smart = client(
        &root,
        Auth::Header {
            name: "x-smarttoken",
            prefix: "",
        },
    );
    smart
        .get("candidates", Priority::Interactive)
        .await
        .unwrap();

    let seen = seen(&script);
    assert_eq!(seen[0].0, format!("/api/applicants?apikey={KEY}"));
    assert_eq!(
        seen[1].0, "/api/notes",
        "a JazzHR write carries the key in its body, not its URL"
    );
    let body: Value = serde_json::from_str(&seen[1].2).unwrap();
    assert_eq!(body, json!({"contents": "hi", "apikey": KEY}));
    assert_eq!(
        seen[2].1["authorization"],
        format!("Token token={KEY}").as_str()
    );
    assert_eq!(
        seen[3].1["authorization"],
        format!("Basic {}", base64_basic(KEY, "")).as_str()
    );
    assert_eq!(seen[4].1["x-smarttoken"], KEY);
    for (uri, headers, _) in &seen[2..] {
        assert!(
            !uri.contains(KEY),
            "a header strategy never puts the key in the URL"
        );
        assert!(headers.get("apikey").is_none());
    }
}

#[tokio::test]
async fn a_read_is_sent_again_after_a_5xx_but_a_write_is_not() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(&script, 503, vec![], json!({}));
    answer(&script, 200, vec![], json!({"ok": true}));
    let value = http.get("jobs", Priority::Interactive).await.unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(seen(&script).len(), 2);

    answer(&script, 502, vec![], json!({}));
    let error = http
        .post("candidates", json!({"first_name": "Ada"}))
        .await
        .unwrap_err();
    assert!(matches!(error, AtsError::Unreachable(_)), "{error:?}");
    assert_eq!(
        seen(&script).len(),
        3,
        "a POST whose outcome is unknown is never re-sent"
    );
}

#[tokio::test]
async fn a_write_refused_with_429_is_sent_again_after_retry_after() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(&script, 429, vec![("retry-after", "1".into())], json!({}));
    answer(&script, 201, vec![], json!({"id": "c1"}));
    let started = Instant::now();
    let value = http
        .post("candidates", json!({"first_name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(value, json!({"id": "c1"}));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(seen(&script).len(), 2);
}

#[tokio::test]
async fn a_spent_window_waits_for_its_reset_even_without_retry_after() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(
        &script,
        429,
        vec![
            ("x-rate-limit-remaining", "0".into()),
            ("x-rate-limit-reset", "1".into()),
        ],
        json!({}),
    );
    let started = Instant::now();
    http.get("candidates", Priority::Interactive).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
}

#[tokio::test]
async fn a_user_is_not_kept_waiting_when_the_ats_asks_for_a_long_pause() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(&script, 429, vec![("retry-after", "30".into())], json!({}));
    let started = Instant::now();
    let error = http
        .get("candidates", Priority::Interactive)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AtsError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(30)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn client_credentials_fetch_one_token_reuse_it_and_renew_it_once_when_refused() {
    let (root, script) = serve().await;
    let credentials =
        ClientCredentials::new(format!("{root}/token"), "client-7").with_field("sub", "42");
    let http = client(&root, Auth::ClientCredentials(credentials));
    http.get("candidates", Priority::Interactive).await.unwrap();
    http.get("jobs", Priority::Interactive).await.unwrap();
    assert_eq!(
        script.tokens_issued.load(Ordering::SeqCst),
        1,
        "the token is cached"
    );
    assert_eq!(seen(&script)[0].1["authorization"], "Bearer token-1");

    // The ATS revokes the token early: one new token, and the call succeeds.
    *script.valid_token.lock().unwrap() = Some("revoked-elsewhere".into());
    http.get("jobs", Priority::Interactive).await.unwrap();
    assert_eq!(script.tokens_issued.load(Ordering::SeqCst), 2);
    assert_eq!(
        seen(&script).last().unwrap().1["authorization"],
        "Bearer token-2"
    );

    // A fresh token refused too is a refused key, after exactly one renewal.
    script.refuse_new_tokens.store(true, Ordering::SeqCst);
    *script.valid_token.lock().unwrap() = Some("revoked-again".into());
    let calls = seen(&script).len();
    let error = http.get("jobs", Priority::Interactive).await.unwrap_err();
    assert!(matches!(error, AtsError::InvalidKey), "{error:?}");
    assert_eq!(script.tokens_issued.load(Ordering::SeqCst), 3);
    assert_eq!(seen(&script).len(), calls + 2);
}

#[tokio::test]
async fn a_refused_client_secret_is_an_invalid_key() {
    let (root, _script) = serve().await;
    let credentials =
        ClientCredentials::new(format!("{root}/token"), "someone-else").with_field("sub", "42");
    let http = client(&root, Auth::ClientCredentials(credentials));
    let error = http
        .get("candidates", Priority::Interactive)
        .await
        .unwrap_err();
    assert!(matches!(error, AtsError::InvalidKey), "{error:?}");
}

#[tokio::test]
async fn a_next_page_link_outside_the_base_is_refused_before_any_request() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    let inside = http
        .send(Call::get(format!("{root}/api/candidates?page=2")))
        .await;
    assert!(inside.is_ok());
    for outside in [
        format!("{root}/token"),
        format!("{root}/apix/candidates"),
        "https://elsewhere.test/api".to_string(),
    ] {
        let error = http.send(Call::get(outside.clone())).await.unwrap_err();
        assert!(
            matches!(error, AtsError::Malformed(_)),
            "{outside}: {error:?}"
        );
    }
    assert_eq!(seen(&script).len(), 1);
}

#[tokio::test]
async fn the_link_header_and_rate_headers_are_read_from_an_answer() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(
        &script,
        200,
        vec![
            (
                "link",
                format!("<{root}/api/candidates?page=2>; rel=\"next\""),
            ),
            ("x-ratelimit-limit", "50".into()),
            ("x-ratelimit-remaining", "49".into()),
        ],
        json!([]),
    );
    let answer = http
        .send(Call::get("candidates").priority(Priority::Background))
        .await
        .unwrap();
    assert_eq!(
        answer.next_link(),
        Some(format!("{root}/api/candidates?page=2"))
    );
    assert_eq!(answer.rate().remaining, Some(49));
    assert_eq!(answer.rate().limit, Some(50));
}

#[tokio::test]
async fn the_key_never_appears_in_an_error() {
    let (root, script) = serve().await;
    let http = client(
        &root,
        Auth::QueryKey {
            param: "apikey",
            in_body_for_writes: false,
        },
    );
    answer(
        &script,
        500,
        vec![],
        json!({"error": format!("bad key {KEY}")}),
    );
    answer(&script, 500, vec![], json!({}));
    answer(&script, 500, vec![], json!({}));
    let error = http.get("x", Priority::Interactive).await.unwrap_err();
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn a_403_on_a_call_that_names_its_permission_says_which_one_is_missing() {
    let (root, script) = serve().await;
    let http = client(&root, Auth::bearer());
    answer(&script, 403, vec![], json!({"message": "Forbidden"}));
    let error = http
        .send(Call::get("candidates").needs("harvest:candidates:list"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            AtsError::MissingPermission("harvest:candidates:list")
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("harvest:candidates:list"));
    // Without a named permission, a 403 stays a refused key; a 401 always is.
    answer(&script, 403, vec![], json!({}));
    let error = http.send(Call::get("candidates")).await.unwrap_err();
    assert!(matches!(error, AtsError::InvalidKey), "{error:?}");
    answer(&script, 401, vec![], json!({}));
    let error = http
        .send(Call::get("candidates").needs("harvest:candidates:list"))
        .await
        .unwrap_err();
    assert!(matches!(error, AtsError::InvalidKey), "{error:?}");
}
