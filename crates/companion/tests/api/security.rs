//! Regression tests for the holes issue 9's attacks found in the companion's
//! own surface: invites, membership, `base_url`, ATS error text, CORS,
//! metrics, file modes, text fields, unauthenticated limits, error shapes.

use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::state::Settings;
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// An invite of `role` accepted as `email`: (status, body).
async fn accept_new_invite(app: &TestApp, admin: &str, role: &str, email: &str) -> (u16, Value) {
    let (s, invite) = app
        .call(
            "POST",
            "/v1/invites",
            Some(admin),
            Some(json!({"role": role})),
        )
        .await;
    assert_eq!(s, 201, "{invite}");
    let code = invite["code"].as_str().unwrap();
    app.call(
        "POST",
        &format!("/v1/invites/{code}/accept"),
        None,
        Some(json!({"email": email, "name": "New"})),
    )
    .await
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn spawn_with(settings: Settings) -> (TestApp, TestDb) {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut app = spawn_on(&db.url, MasterKey::generate(), sandbox(0).await, settings).await;
    app.admin_token = app.create_team("acme").await;
    (app, db)
}

// Item 1. The invite is left unused on a 409: it was meant for a new person,
// a mistyped email must not burn it, and keeping it alive gives its holder
// nothing more than the one new member of the invite's role it always allowed.
both_backends!(
    an_invite_never_authenticates_an_existing_member,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let (s, invite) = app
            .call(
                "POST",
                "/v1/invites",
                Some(&admin),
                Some(json!({"role": "member"})),
            )
            .await;
        assert_eq!(s, 201);
        let code = invite["code"].as_str().unwrap();
        let accept = format!("/v1/invites/{code}/accept");
        let tokens_before = count(
            &app,
            "SELECT COUNT(*) AS n FROM tokens WHERE user_id <> $1",
            "",
        )
        .await;
        // The admin's own email, in another spelling: refused, no token.
        for email in ["admin@acme.test", "  ADMIN@Acme.Test "] {
            let (s, body) = app
                .call("POST", &accept, None, Some(json!({"email": email})))
                .await;
            assert_eq!(
                (s, body["error"]["code"].as_str()),
                (409, Some("conflict")),
                "{body}"
            );
            assert!(body.get("token").is_none(), "{body}");
            assert!(
                !body.to_string().contains("sb_"),
                "no token of any kind: {body}"
            );
        }
        let tokens_after = count(
            &app,
            "SELECT COUNT(*) AS n FROM tokens WHERE user_id <> $1",
            "",
        )
        .await;
        assert_eq!(tokens_before, tokens_after, "no token was issued");
        let used: Option<i64> = sqlx::query("SELECT used_at FROM invites WHERE id = $1")
            .bind(invite["id"].as_str().unwrap())
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .try_get("used_at")
            .unwrap();
        assert_eq!(used, None, "the refused claim was rolled back");
        // Still one admin, and the invite still works for a new person, whose
        // answer states the role they hold.
        let (s, members) = app.call("GET", "/v1/members", Some(&admin), None).await;
        assert_eq!(s, 200);
        assert_eq!(members.as_array().unwrap().len(), 1, "{members}");
        let (s, joined) = app
            .call(
                "POST",
                &accept,
                None,
                Some(json!({"email": "new@acme.test"})),
            )
            .await;
        assert_eq!(s, 201, "{joined}");
        assert_eq!(joined["role"], "member");
        let token = joined["token"].as_str().unwrap();
        let (_, me) = app.call("GET", "/v1/me", Some(token), None).await;
        assert_eq!(
            (me["role"].as_str(), me["user"]["email"].as_str()),
            (Some("member"), Some("new@acme.test"))
        );
        // A member's email through an admin invite does not promote them either.
        let (s, body) = accept_new_invite(&app, &admin, "admin", "new@acme.test").await;
        assert_eq!((s, body["error"]["code"].as_str()), (409, Some("conflict")));
        let (_, me) = app.call("GET", "/v1/me", Some(token), None).await;
        assert_eq!(me["role"], "member");
        let (s, body) = accept_new_invite(&app, &admin, "admin", "second@acme.test").await;
        assert_eq!((s, body["role"].as_str()), (201, Some("admin")));
        drop(app);
        db.drop_db().await;
    }
);

// Item 9: two admins removing each other at the same moment, many times.
both_backends!(
    a_team_keeps_an_admin_under_concurrent_mutual_removals,
    |backend| async move {
        let (mut app, db) = spawn_app(backend, 0).await;
        for round in 0..16 {
            let team = format!("race{round}");
            let first = app.create_team(&team).await;
            let (s, second) =
                accept_new_invite(&app, &first, "admin", &format!("second@{team}.test")).await;
            assert_eq!(s, 201);
            let second = second["token"].as_str().unwrap().to_string();
            let id_of = |token: String| {
                let app = &app;
                async move {
                    let (_, me) = app.call("GET", "/v1/me", Some(&token), None).await;
                    (
                        me["user"]["id"].as_str().unwrap().to_string(),
                        me["team"]["id"].as_str().unwrap().to_string(),
                    )
                }
            };
            let (first_id, team_id) = id_of(first.clone()).await;
            let (second_id, _) = id_of(second.clone()).await;
            let remove_second = format!("/v1/members/{second_id}");
            let remove_first = format!("/v1/members/{first_id}");
            let (a, b) = tokio::join!(
                app.call("DELETE", &remove_second, Some(&first), None),
                app.call("DELETE", &remove_first, Some(&second), None),
            );
            let admins = count(
            &app,
            "SELECT COUNT(*) AS n FROM users WHERE team_id = $1 AND role = 'admin' AND removed_at IS NULL",
            &team_id,
        )
        .await;
            assert_eq!(admins, 1, "round {round}: {a:?} {b:?}");
            let mut statuses = [a.0, b.0];
            statuses.sort_unstable();
            assert!(
                statuses == [204, 401] || statuses == [204, 409],
                "round {round}: exactly one removal wins: {a:?} {b:?}"
            );
        }
        drop(app);
        db.drop_db().await;
    }
);

// Item 6: every spelling of a non-public address, and every URL shape that
// could smuggle one, is refused when `allow_private_base_urls` is off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base_url_refuses_private_hosts_in_every_spelling() {
    let (app, db) = spawn_with(Settings {
        allow_private_base_urls: false,
        ..fast_settings()
    })
    .await;
    let port = app
        .sandbox
        .api_url()
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let refused = [
        app.sandbox.api_url(), // the sandbox itself, on 127.0.0.1
        format!("http://localhost:{port}/v1"),
        format!("http://0x7f000001:{port}/v1"),
        format!("http://2130706433:{port}/v1"),
        format!("http://127.1:{port}/v1"),
        format!("http://0177.0.0.1:{port}/v1"),
        format!("http://0x7f.1:{port}/v1"),
        format!("http://[::ffff:127.0.0.1]:{port}/v1"),
        format!("http://[::ffff:7f00:1]:{port}/v1"),
        format!("http://[::1]:{port}/v1"),
        "http://0.0.0.0/v1".into(),
        "http://0/v1".into(),
        "http://10.0.0.1/v1".into(),
        "http://172.16.3.4/v1".into(),
        "http://192.168.1.1/v1".into(),
        "http://169.254.169.254/latest/meta-data".into(),
        "http://100.64.0.1/v1".into(),
        "http://[fd00::1]/v1".into(),
        "http://[fe80::1]/v1".into(),
        "http://[64:ff9b::a9fe:a9fe]/v1".into(),
        // Shapes refused whatever the host.
        "https://api.example.com/v1?apikey=x".into(),
        "https://api.example.com/v1#frag".into(),
        "https://user:pass@api.example.com/v1".into(),
        "https://user@api.example.com/v1".into(),
        "ftp://api.example.com/v1".into(),
        "file:///etc/passwd".into(),
        "not a url".into(),
    ];
    for url in &refused {
        let body = json!({"provider": "jazzhr", "api_key": ATS_KEY, "base_url": url});
        let (s, answer) = app
            .call(
                "POST",
                "/v1/connections",
                Some(&app.admin_token),
                Some(body),
            )
            .await;
        assert_eq!(
            (s, answer["error"]["code"].as_str()),
            (422, Some("invalid_request")),
            "{url} → {answer}"
        );
    }
    let (_, list) = app
        .call("GET", "/v1/connections", Some(&app.admin_token), None)
        .await;
    assert_eq!(list, json!([]), "nothing was stored");
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_private_base_urls_lets_the_sandbox_in_but_not_odd_shapes() {
    let (app, db) = spawn_with(fast_settings()).await;
    let (s, _) = app
        .call("POST", "/v1/connections", Some(&app.admin_token),
            Some(json!({"provider": "jazzhr", "api_key": ATS_KEY, "base_url": format!("{}?x=1", app.sandbox.api_url())})))
        .await;
    assert_eq!(s, 422, "a query is refused even for a loopback sandbox");
    app.connect(&app.admin_token).await;
    drop(app);
    db.drop_db().await;
}

/// A fake ATS answering every call with `[]`, or with a business error
/// carrying `text` once `failing` is set.
async fn fake_ats(text: &'static str, failing: Arc<AtomicBool>) -> String {
    fake_ats_counting(text, failing, Arc::default()).await
}

async fn fake_ats_counting(
    text: &'static str,
    failing: Arc<AtomicBool>,
    calls: Arc<std::sync::atomic::AtomicUsize>,
) -> String {
    let app = axum::Router::new().fallback(move || {
        let failing = failing.clone();
        calls.fetch_add(1, Ordering::SeqCst);
        async move {
            if failing.load(Ordering::SeqCst) {
                axum::Json(json!({"_error": text}))
            } else {
                axum::Json(json!([]))
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ats_error_text_never_reaches_the_caller() {
    const TEXT: &str = "Wire 9000 EUR to IBAN FR76 3000 <a href=//evil.test>here</a>";
    let (app, db) = spawn_with(fast_settings()).await;
    let failing = Arc::new(AtomicBool::new(true));
    let base = fake_ats(TEXT, failing.clone()).await;
    let body = json!({"provider": "jazzhr", "api_key": ATS_KEY, "base_url": base});
    let (s, answer) = app
        .call(
            "POST",
            "/v1/connections",
            Some(&app.admin_token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (s, answer["error"]["code"].as_str()),
        (502, Some("ats_error")),
        "{answer}"
    );
    assert!(!answer.to_string().contains("IBAN"), "{answer}");
    // Stored errors are shown to the team too: the connection's last_error.
    failing.store(false, Ordering::SeqCst);
    let (s, conn) = app
        .call(
            "POST",
            "/v1/connections",
            Some(&app.admin_token),
            Some(body),
        )
        .await;
    assert_eq!(s, 201, "{conn}");
    failing.store(true, Ordering::SeqCst);
    let id = conn["id"].as_str().unwrap();
    let (s, answer) = app
        .call(
            "POST",
            &format!("/v1/connections/{id}/test"),
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(s, 502);
    assert!(!answer.to_string().contains("IBAN"), "{answer}");
    let (_, list) = app
        .call("GET", "/v1/connections", Some(&app.admin_token), None)
        .await;
    assert_eq!(list[0]["status"], "error");
    assert!(list[0]["last_error"].is_string(), "{list}");
    assert!(!list.to_string().contains("IBAN"), "{list}");
    drop(app);
    db.drop_db().await;
}

// Item 6, after the URL check: a base_url stored while private addresses
// were allowed (or a name re-pointed at one since) is not called once they
// are not: the ATS client's resolver and literal check refuse it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_base_url_is_never_called_without_the_setting() {
    let db = TestDb::new(Backend::Sqlite).await;
    let master = MasterKey::generate();
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let fake = fake_ats_counting("x", Arc::new(AtomicBool::new(false)), calls.clone()).await;
    let mut lax = spawn_on(&db.url, master.clone(), sandbox(0).await, fast_settings()).await;
    let admin = lax.create_team("acme").await;
    for base in [fake.clone(), fake.replace("127.0.0.1", "localhost")] {
        let body = json!({"provider": "jazzhr", "api_key": ATS_KEY, "base_url": base});
        let (s, _) = lax
            .call("POST", "/v1/connections", Some(&admin), Some(body))
            .await;
        assert_eq!(s, 201);
    }
    let (_, list) = lax.call("GET", "/v1/connections", Some(&admin), None).await;
    drop(lax);
    let before = calls.load(Ordering::SeqCst);
    assert!(before >= 2);
    let strict = spawn_on(
        &db.url,
        master,
        sandbox(0).await,
        Settings {
            allow_private_base_urls: false,
            ..fast_settings()
        },
    )
    .await;
    for conn in list.as_array().unwrap() {
        let id = conn["id"].as_str().unwrap();
        let (s, answer) = strict
            .call(
                "POST",
                &format!("/v1/connections/{id}/test"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(
            (s, answer["error"]["code"].as_str()),
            (502, Some("ats_unreachable")),
            "{conn}: {answer}"
        );
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        before,
        "the private address was never called"
    );
    drop(strict);
    db.drop_db().await;
}

async fn preflight(app: &TestApp, origin: &str) -> Option<String> {
    let res = app
        .http
        .request(reqwest::Method::OPTIONS, app.url("/v1/me"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    res.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_only_the_allowed_extension_ids() {
    let id = "abcdefghijklmnopabcdefghijklmnop";
    let (app, db) = spawn_with(Settings {
        allowed_extension_ids: vec![id.into()],
        ..fast_settings()
    })
    .await;
    for allowed in [
        format!("chrome-extension://{id}"),
        format!("moz-extension://{id}"),
    ] {
        assert_eq!(
            preflight(&app, &allowed).await.as_deref(),
            Some(allowed.as_str())
        );
    }
    for refused in [
        "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",
        "moz-extension://0d3c3c6e-1111-2222-3333-444455556666",
        "https://www.linkedin.com",
    ] {
        assert_eq!(preflight(&app, refused).await, None, "{refused}");
    }
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_any_extension_when_no_ids_are_set() {
    let (app, db) = spawn_with(fast_settings()).await;
    for allowed in [
        "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",
        "moz-extension://0d3c3c6e-1111-2222-3333-444455556666",
    ] {
        assert_eq!(preflight(&app, allowed).await.as_deref(), Some(allowed));
    }
    assert_eq!(preflight(&app, "https://www.linkedin.com").await, None);
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_on_metrics_listen_only() {
    let (app, db) = spawn_with(Settings {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..fast_settings()
    })
    .await;
    let (s, body) = app.call("GET", "/metrics", None, None).await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let metrics = app.metrics_addr.expect("a metrics address");
    assert_ne!(metrics, app.addr);
    let res = app
        .http
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("requests"));
    drop(app);
    db.drop_db().await;

    // Unset: on the API address, as before.
    let (app, db) = spawn_with(fast_settings()).await;
    assert_eq!(app.call("GET", "/metrics", None, None).await.0, 200);
    assert!(app.metrics_addr.is_none());
    drop(app);
    db.drop_db().await;
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_file_and_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::env::temp_dir().join(format!(
        "sourcebar-modes-{}",
        sourcebar_companion::storage::db::new_id()
    ));
    let file = root.join("data").join("sourcebar.db");
    let db = sourcebar_companion::storage::db::Db::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query("SELECT COUNT(*) FROM teams")
        .execute(&db.pool)
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700, "every folder made for it");
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert_eq!(mode(&file), 0o600);
    for side in ["sourcebar.db-wal", "sourcebar.db-shm"] {
        let side = file.with_file_name(side);
        if side.exists() {
            assert_eq!(mode(&side) & 0o077, 0, "{}", side.display());
        }
    }
    db.pool.close().await;
    // An existing file that others could read is narrowed on open.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = sourcebar_companion::storage::db::Db::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    assert_eq!(mode(&file), 0o600);
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(root);
}

both_backends!(text_fields_are_cleaned_and_capped, |backend| async move {
    let (app, db) = spawn_app(backend, 0).await;
    let admin = app.admin_token.clone();
    let spoof = "Acme\u{202E}exe.txt\u{202C} \u{1b}[31mHR\u{7}\u{200F}\n\u{2066}x\u{2069}";
    let body = json!({"provider": "jazzhr", "name": spoof, "api_key": ATS_KEY, "base_url": app.sandbox.api_url()});
    let (s, conn) = app
        .call("POST", "/v1/connections", Some(&admin), Some(body))
        .await;
    assert_eq!(s, 201, "{conn}");
    assert_eq!(conn["name"], "Acmeexe.txt [31mHR x");
    let stored: String = sqlx::query("SELECT name FROM connections WHERE id = $1")
        .bind(conn["id"].as_str().unwrap())
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .try_get("name")
        .unwrap();
    assert_eq!(stored, "Acmeexe.txt [31mHR x");
    let long = json!({"provider": "jazzhr", "name": "n".repeat(101), "api_key": ATS_KEY, "base_url": app.sandbox.api_url()});
    let (s, _) = app
        .call("POST", "/v1/connections", Some(&admin), Some(long))
        .await;
    assert_eq!(s, 422, "a connection name past 100 characters");

    let (s, req) = app
        .call(
            "POST",
            "/v1/integration-requests",
            Some(&admin),
            Some(json!({"provider_name": "Tal\u{200E}eo\u{85}\u{202D}"})),
        )
        .await;
    assert_eq!((s, req["provider_name"].as_str()), (201, Some("Taleo")));
    let (s, _) = app
        .call(
            "POST",
            "/v1/integration-requests",
            Some(&admin),
            Some(json!({"provider_name": "\u{202E}\u{200F} "})),
        )
        .await;
    assert_eq!(s, 422, "nothing visible left");
    let (s, _) = app
        .call(
            "POST",
            "/v1/integration-requests",
            Some(&admin),
            Some(json!({"provider_name": "p".repeat(101)})),
        )
        .await;
    assert_eq!(s, 422);

    let (_, invite) = app
        .call("POST", "/v1/invites", Some(&admin), Some(json!({})))
        .await;
    let accept = format!("/v1/invites/{}/accept", invite["code"].as_str().unwrap());
    let (s, _) = app
        .call(
            "POST",
            &accept,
            None,
            Some(json!({"email": "long@acme.test", "name": "m".repeat(101)})),
        )
        .await;
    assert_eq!(s, 422, "a member name past 100 characters");
    let (s, joined) = app
        .call(
            "POST",
            &accept,
            None,
            Some(json!({"email": "eve@acme.test", "name": "Eve\u{202E}nimda\u{0}"})),
        )
        .await;
    assert_eq!(
        (s, joined["user"]["name"].as_str()),
        (201, Some("Evenimda")),
        "{joined}"
    );
    let (_, me) = app
        .call(
            "GET",
            "/v1/me",
            Some(joined["token"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(me["user"]["name"], "Evenimda");
    drop(app);
    db.drop_db().await;
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_are_limited_per_address() {
    let (app, db) = spawn_with(Settings {
        unauthenticated_rate_limit: 5,
        ..fast_settings()
    })
    .await;
    for i in 0..5 {
        let token = format!("sb_guess_{i}");
        assert_eq!(app.call("GET", "/v1/me", Some(&token), None).await.0, 401);
    }
    let res = app
        .http
        .get(app.url("/v1/me"))
        .bearer_auth("sb_guess_6")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // No header at all counts the same.
    assert_eq!(app.call("GET", "/v1/connections", None, None).await.0, 429);
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_accepts_are_limited_per_address() {
    let (app, db) = spawn_with(Settings {
        unauthenticated_rate_limit: 5,
        ..fast_settings()
    })
    .await;
    let (_, invite) = app
        .call(
            "POST",
            "/v1/invites",
            Some(&app.admin_token),
            Some(json!({})),
        )
        .await;
    for i in 0..5 {
        let (s, _) = app
            .call(
                "POST",
                &format!("/v1/invites/inv_guess{i}/accept"),
                None,
                Some(json!({"email": "g@x.test"})),
            )
            .await;
        assert_eq!(s, 404);
    }
    // Past the limit even the right code waits: guessing stops paying off.
    let res = app
        .http
        .post(app.url(&format!(
            "/v1/invites/{}/accept",
            invite["code"].as_str().unwrap()
        )))
        .json(&json!({"email": "g@x.test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_answer_413_in_the_error_shape() {
    let (app, db) = spawn_with(fast_settings()).await;
    let big = json!({"profile": {"first_name": "x".repeat(300 * 1024)}});
    // Declared size (Content-Length): refused before any handler.
    let (s, body) = app
        .call(
            "POST",
            "/v1/dedupe",
            Some(&app.admin_token),
            Some(big.clone()),
        )
        .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (413, Some("invalid_request")),
        "{body}"
    );
    assert!(body["error"]["message"].is_string());
    // Undeclared size (chunked): refused while the body is read.
    let (status, text) = raw_chunked_post(&app, "/v1/dedupe", &big.to_string()).await;
    assert_eq!(status, 413, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(body["error"]["code"], "invalid_request", "{text}");
    drop(app);
    db.drop_db().await;
}

/// POSTs `body` with `Transfer-Encoding: chunked` over a raw connection.
async fn raw_chunked_post(app: &TestApp, path: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        app.addr, app.admin_token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.as_bytes().chunks(16 * 1024) {
        // The server may answer and close before the whole body is sent.
        if stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .is_err()
            || stream.write_all(chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    // A chunked answer: keep the JSON between the chunk sizes.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => body[a..=b].to_string(),
        _ => body,
    };
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_strings_answer_in_the_error_shape() {
    let (app, db) = spawn_with(fast_settings()).await;
    for path in ["/v1/audit?limit=lots", "/v1/audit?before=-x"] {
        let (s, body) = app.call("GET", path, Some(&app.admin_token), None).await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (422, Some("invalid_request")),
            "{path}: {body}"
        );
    }
    drop(app);
    db.drop_db().await;
}
