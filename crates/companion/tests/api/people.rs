use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

both_backends!(authorization_matrix, |backend| async move {
    let (mut app, db) = spawn_app(backend, 20).await;
    let admin = app.admin_token.clone();
    let member = app.invite_member(&admin, "member@acme.test").await;
    let other = app.create_team("globex").await;
    let victim = app.invite_member(&admin, "leaving@acme.test").await;
    let (_, me) = app.call("GET", "/v1/me", Some(&victim), None).await;
    let victim_id = me["user"]["id"].as_str().unwrap().to_string();
    let conn = app.connect(&admin).await;
    let (_, jobs) = app.call("GET", "/v1/jobs", Some(&admin), None).await;
    let job = jobs[0]["id"].as_str().unwrap().to_string();
    let (_, rows) = app
        .call(
            "POST",
            "/v1/dedupe",
            Some(&admin),
            Some(json!({"profile": {"first_name": "x"}})),
        )
        .await;
    assert_eq!(rows["verdict"], "none");
    let upload = |n: &str| json!({"profile": {"first_name": "Matrix", "last_name": n, "emails": [format!("{n}@matrix.test")]}});
    let (_, made) = app.upload(&admin, upload("seed"), "seed").await;
    let ats_id = made["candidate"]["id"].as_str().unwrap().to_string();
    let upload_id = made["upload_id"].as_str().unwrap().to_string();
    let merge = json!({"profile": {"first_name": "Matrix", "last_name": "seed", "profile_url": "https://www.linkedin.com/in/matrix-seed/"}});

    // (method, path, body, [nobody, member, other team's admin, admin]); admin runs last.
    let c = |p: &str| format!("/v1/connections/{conn}{p}");
    let rows: Vec<(&str, String, Option<serde_json::Value>, [u16; 4])> = vec![
        ("GET", "/v1/me".into(), None, [401, 200, 200, 200]),
        ("GET", "/v1/providers".into(), None, [401, 200, 200, 200]),
        (
            "POST",
            "/v1/invites".into(),
            Some(json!({"role": "member"})),
            [401, 403, 201, 201],
        ),
        ("GET", "/v1/invites".into(), None, [401, 403, 200, 200]),
        ("GET", "/v1/members".into(), None, [401, 403, 200, 200]),
        ("GET", "/v1/connections".into(), None, [401, 200, 200, 200]),
        (
            "POST",
            "/v1/connections".into(),
            Some(
                json!({"provider": "jazzhr", "api_key": "wrong-key-000000", "base_url": app.sandbox.api_url()}),
            ),
            [401, 403, 422, 422],
        ),
        ("POST", c("/test"), None, [401, 403, 404, 200]),
        (
            "PUT",
            c("/key"),
            Some(json!({"api_key": ATS_KEY})),
            [401, 403, 404, 200],
        ),
        ("POST", c("/sync"), None, [401, 403, 404, 202]),
        ("GET", c("/sync"), None, [401, 200, 404, 200]),
        ("POST", c("/default"), None, [401, 403, 404, 200]),
        (
            "POST",
            "/v1/integration-requests".into(),
            Some(json!({"provider_name": "Taleo"})),
            [401, 201, 201, 201],
        ),
        (
            "POST",
            "/v1/dedupe".into(),
            Some(json!({"profile": {"first_name": "Matrix", "last_name": "seed"}})),
            [401, 200, 200, 200],
        ),
        ("GET", "/v1/jobs".into(), None, [401, 200, 409, 200]),
        (
            "GET",
            format!("/v1/candidates/{ats_id}/applications"),
            None,
            [401, 200, 409, 200],
        ),
        (
            "GET",
            format!("/v1/uploads/{upload_id}"),
            None,
            [401, 200, 404, 200],
        ),
        (
            "POST",
            format!("/v1/candidates/{ats_id}/merge"),
            Some(merge.clone()),
            [401, 200, 409, 200],
        ),
        ("GET", "/v1/audit".into(), None, [401, 403, 200, 200]),
        ("POST", c("/deactivate"), None, [401, 403, 404, 200]),
        ("POST", c("/activate"), None, [401, 403, 404, 200]),
        (
            "DELETE",
            format!("/v1/members/{victim_id}"),
            None,
            [401, 403, 404, 204],
        ),
        ("DELETE", c(""), None, [401, 403, 404, 204]),
    ];
    for (method, path, body, expected) in rows {
        for (who, token, want) in [
            ("nobody", None, expected[0]),
            ("member", Some(&member), expected[1]),
            ("other admin", Some(&other), expected[2]),
            ("admin", Some(&admin), expected[3]),
        ] {
            let key = format!("{who}-{path}");
            let (status, answer) = app
                .call_with(
                    method,
                    &path,
                    token.map(String::as_str),
                    body.clone(),
                    Some(&key),
                )
                .await;
            assert_eq!(status, want, "{method} {path} as {who}: {answer}");
            if status >= 400 {
                assert!(
                    answer["error"]["code"].is_string(),
                    "{method} {path} as {who}: error shape {answer}"
                );
            }
        }
    }
    // Uploads: members may, with the required fields.
    let (s, _) = app
        .call_with(
            "POST",
            "/v1/candidates",
            None,
            Some(upload("a")),
            Some("u-a"),
        )
        .await;
    assert_eq!(s, 401);
    let _ = job;
    // Public endpoints.
    assert_eq!(app.call("GET", "/v1/openapi.json", None, None).await.0, 200);
    assert_eq!(app.call("GET", "/healthz", None, None).await.0, 200);
    drop(app);
    db.drop_db().await;
});

both_backends!(invites_expire_and_work_once, |backend| async move {
    let (app, db) = spawn_app(backend, 0).await;
    let admin = app.admin_token.clone();
    let (_, invite) = app
        .call("POST", "/v1/invites", Some(&admin), Some(json!({})))
        .await;
    let code = invite["code"].as_str().unwrap();
    let accept = format!("/v1/invites/{code}/accept");
    let (s, first) = app
        .call(
            "POST",
            &accept,
            None,
            Some(json!({"email": "Ann@Acme.test", "name": "Ann"})),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(first["role"], "member");
    assert_eq!(first["user"]["email"], "ann@acme.test");
    let (s, again) = app
        .call(
            "POST",
            &accept,
            None,
            Some(json!({"email": "eve@evil.test"})),
        )
        .await;
    assert_eq!(
        (s, again["error"]["code"].as_str()),
        (404, Some("not_found"))
    );

    let (_, invite) = app
        .call(
            "POST",
            "/v1/invites",
            Some(&admin),
            Some(json!({"role": "admin"})),
        )
        .await;
    sqlx::query("UPDATE invites SET expires_at = 1 WHERE id = $1")
        .bind(invite["id"].as_str().unwrap())
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (s, _) = app
        .call(
            "POST",
            &format!("/v1/invites/{}/accept", invite["code"].as_str().unwrap()),
            None,
            Some(json!({"email": "late@acme.test"})),
        )
        .await;
    assert_eq!(s, 404, "an expired invite is refused");
    let (s, _) = app
        .call(
            "POST",
            "/v1/invites/inv_made_up/accept",
            None,
            Some(json!({"email": "x@acme.test"})),
        )
        .await;
    assert_eq!(s, 404);
    // Tokens are stored hashed: the issued token is nowhere in the table.
    let token = first["token"].as_str().unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT hash FROM tokens")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(stored.iter().all(|h| h.len() == 64 && !h.contains(token)));
    drop(app);
    db.drop_db().await;
});

both_backends!(a_removed_member_is_refused_at_once, |backend| async move {
    let (app, db) = spawn_app(backend, 0).await;
    let admin = app.admin_token.clone();
    let member = app.invite_member(&admin, "bob@acme.test").await;
    let (s, me) = app.call("GET", "/v1/me", Some(&member), None).await;
    assert_eq!(s, 200);
    let id = me["user"]["id"].as_str().unwrap();
    assert_eq!(
        app.call("DELETE", &format!("/v1/members/{id}"), Some(&admin), None)
            .await
            .0,
        204
    );
    let (s, body) = app.call("GET", "/v1/me", Some(&member), None).await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    // The last admin cannot be removed.
    let (_, me) = app.call("GET", "/v1/me", Some(&admin), None).await;
    let (s, _) = app
        .call(
            "DELETE",
            &format!("/v1/members/{}", me["user"]["id"].as_str().unwrap()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, 409);
    let (_, audit) = app
        .call("GET", "/v1/audit?limit=50", Some(&admin), None)
        .await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"member_removed") && actions.contains(&"invite_accepted"),
        "{actions:?}"
    );
    drop(app);
    db.drop_db().await;
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_token_has_a_request_budget() {
    let db = TestDb::new(Backend::Sqlite).await;
    let settings = sourcebar_companion::state::Settings {
        token_rate_limit: 5,
        ..fast_settings()
    };
    let mut app = spawn_on(
        &db.url,
        sourcebar_companion::crypto::MasterKey::generate(),
        sandbox(0).await,
        settings,
    )
    .await;
    let admin = app.create_team("acme").await;
    for _ in 0..5 {
        assert_eq!(app.call("GET", "/v1/me", Some(&admin), None).await.0, 200);
    }
    let (s, body) = app.call("GET", "/v1/me", Some(&admin), None).await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );
    // Another user's budget is their own.
    let other = app.create_team("globex").await;
    assert_eq!(app.call("GET", "/v1/me", Some(&other), None).await.0, 200);
    drop(app);
    db.drop_db().await;
}
