use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};
use sourcebar_companion::crypto::{reseal_all, MasterKey};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Collects every log line the server writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every table as text (PostgreSQL) or the database files' bytes (SQLite).
async fn dump(app: &TestApp, db: &TestDb) -> String {
    let mut out = String::new();
    if let Some(file) = &db.sqlite_file {
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(bytes) = std::fs::read(format!("{}{suffix}", file.display())) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        return out;
    }
    for table in [
        "teams",
        "users",
        "tokens",
        "invites",
        "connections",
        "audit",
        "integration_requests",
        "mirror",
        "sync_state",
        "idempotency",
        "uploads",
    ] {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM {table} t"))
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        out.push_str(&rows.join("\n"));
    }
    out
}

async fn api_key_appears_nowhere(backend: Backend) {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (app, db) = spawn_app(backend, 30).await;
    let admin = app.admin_token.clone();
    let mut bodies: Vec<Value> = Vec::new();
    let conn = app.connect(&admin).await;
    for (method, path, body) in [
        ("GET", "/v1/connections".to_string(), None),
        ("POST", format!("/v1/connections/{conn}/test"), None),
        (
            "PUT",
            format!("/v1/connections/{conn}/key"),
            Some(json!({"api_key": ATS_KEY})),
        ),
        ("GET", format!("/v1/connections/{conn}/sync"), None),
        ("GET", "/v1/audit".to_string(), None),
        ("GET", "/v1/jobs".to_string(), None),
        (
            "POST",
            "/v1/dedupe".to_string(),
            Some(json!({"profile": {"first_name": "Jane", "last_name": "Doe"}})),
        ),
        ("GET", "/v1/openapi.json".to_string(), None),
        ("GET", "/metrics".to_string(), None),
    ] {
        let (status, answer) = app.call(method, &path, Some(&admin), body).await;
        assert!(status < 300, "{method} {path}: {status} {answer}");
        bodies.push(answer);
    }
    // A failed connect echoes nothing of the refused key either.
    let (_, refused) = app.call("POST", "/v1/connections", Some(&admin), Some(json!({"provider": "jazzhr", "api_key": "refused-key-123456", "base_url": app.sandbox.api_url()}))).await;
    bodies.push(refused);
    app.sync_fully().await;

    for body in &bodies {
        assert!(
            !body.to_string().contains(ATS_KEY),
            "a response carries the key: {body}"
        );
        assert!(!body.to_string().contains("refused-key-123456"));
    }
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logs.len() > 1000, "logs were captured");
    assert!(!logs.contains(ATS_KEY), "a log line carries the key");
    assert!(!logs.contains(&admin), "a log line carries a token");
    let dump = dump(&app, &db).await;
    assert!(dump.contains("v1:"), "the sealed key is in the dump");
    assert!(
        !dump.contains(ATS_KEY),
        "the database holds the key in plain text"
    );
    drop(app);
    db.drop_db().await;
}

#[tokio::test(flavor = "current_thread")]
async fn api_key_appears_nowhere_sqlite() {
    api_key_appears_nowhere(Backend::Sqlite).await;
}

#[tokio::test(flavor = "current_thread")]
async fn api_key_appears_nowhere_postgres() {
    api_key_appears_nowhere(Backend::Postgres).await;
}

both_backends!(
    a_sealed_key_copied_to_another_row_does_not_open,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let first = app.connect(&admin).await;
        let second = app.connect(&admin).await;
        let sealed: String =
            sqlx::query_scalar("SELECT key_ciphertext FROM connections WHERE id = $1")
                .bind(&first)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        sqlx::query("UPDATE connections SET key_ciphertext = $1 WHERE id = $2")
            .bind(&sealed)
            .bind(&second)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let (s, body) = app
            .call(
                "POST",
                &format!("/v1/connections/{second}/test"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(s, 500, "{body}");
        // Tampered: one character of the ciphertext changed.
        let mut bytes = sealed.into_bytes();
        let i = bytes.len() - 5;
        bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
        sqlx::query("UPDATE connections SET key_ciphertext = $1 WHERE id = $2")
            .bind(String::from_utf8(bytes).unwrap())
            .bind(&first)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(
            app.call(
                "POST",
                &format!("/v1/connections/{first}/test"),
                Some(&admin),
                None
            )
            .await
            .0,
            500
        );
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(relink_and_master_key_rotation, |backend| async move {
    let tdb = TestDb::new(backend).await;
    let master = MasterKey::generate();
    let sb = sandbox(0).await;
    let mut app = spawn_on(&tdb.url, master.clone(), sb.clone(), fast_settings()).await;
    let admin = app.create_team("acme").await;
    let conn = app.connect(&admin).await;
    // A refused key leaves the old one working.
    let (s, body) = app
        .call(
            "PUT",
            &format!("/v1/connections/{conn}/key"),
            Some(&admin),
            Some(json!({"api_key": "not-the-key-999"})),
        )
        .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (422, Some("invalid_key"))
    );
    assert_eq!(
        app.call(
            "POST",
            &format!("/v1/connections/{conn}/test"),
            Some(&admin),
            None
        )
        .await,
        (200, json!({"ok": true}))
    );
    // Rotation re-seals every key; a server on the new key tests fine.
    let new = MasterKey::generate();
    assert_eq!(reseal_all(&app.state.db, &master, &new).await.unwrap(), 1);
    drop(app);
    let app = spawn_on(&tdb.url, new, sb, fast_settings()).await;
    assert_eq!(
        app.call(
            "POST",
            &format!("/v1/connections/{conn}/test"),
            Some(&admin),
            None
        )
        .await,
        (200, json!({"ok": true}))
    );
    // Delete destroys the key.
    assert_eq!(
        app.call(
            "DELETE",
            &format!("/v1/connections/{conn}"),
            Some(&admin),
            None
        )
        .await
        .0,
        204
    );
    let left: Option<String> =
        sqlx::query_scalar("SELECT key_ciphertext FROM connections WHERE id = $1")
            .bind(&conn)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(left, None);
    let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
    assert_eq!(list, json!([]));
    drop(app);
    tdb.drop_db().await;
});

both_backends!(
    a_relink_after_a_refused_key_ends_the_failure_and_syncs_again,
    |backend| async move {
        let (mut app, _db) = spawn_app(backend, 3).await;
        let admin = app.create_team("acme").await;
        let conn = app.connect(&admin).await;
        app.sync_fully().await;
        // The ATS admin regenerates the key: the next sync is refused.
        app.sandbox.state.replace_key("regenerated-key-0001");
        app.call(
            "POST",
            &format!("/v1/connections/{conn}/sync"),
            Some(&admin),
            None,
        )
        .await;
        sourcebar_companion::app::sync::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(connection_status(&app, &admin).await, "error");
        assert_eq!(app.sync_status(&admin, &conn).await["state"], "failed");

        // Relinked with the new key: no failure left to show, a sync asked for.
        let (s, body) = app
            .call(
                "PUT",
                &format!("/v1/connections/{conn}/key"),
                Some(&admin),
                Some(json!({"api_key": "regenerated-key-0001"})),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let sync = app.sync_status(&admin, &conn).await;
        assert_ne!(sync["state"], "failed", "{sync}");
        assert_eq!(sync["last_error"], Value::Null, "{sync}");
        assert_eq!(connection_status(&app, &admin).await, "connected");
        sourcebar_companion::app::sync::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(connection_status(&app, &admin).await, "connected");
        assert_ne!(app.sync_status(&admin, &conn).await["state"], "failed");
    }
);

/// The status of the team's one connection.
async fn connection_status(app: &TestApp, admin: &str) -> String {
    let (_, list) = app.call("GET", "/v1/connections", Some(admin), None).await;
    list[0]["status"].as_str().unwrap_or_default().to_string()
}
