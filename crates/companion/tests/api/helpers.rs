//! `spawn_app`: a companion on a free port over a fresh SQLite file or a
//! fresh PostgreSQL database, talking to an in-process JazzHR sandbox.

use serde_json::{json, Value};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::state::{AppState, AtsConnector, RealAts, Settings};
use sourcebar_companion::storage::db::Db;
use sourcebar_companion::Application;
use sourcebar_sandbox::{start, Fault, FaultKind, SandboxConfig, SandboxHandle};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub const ATS_KEY: &str = "jazz-live-key-7f3a9c21e5";
const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database for one test.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    pub sqlite_file: Option<std::path::PathBuf>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let id = sourcebar_companion::storage::db::new_id();
        match backend {
            Backend::Sqlite => {
                let file = std::env::temp_dir().join(format!("sourcebar-test-{id}/sourcebar.db"));
                TestDb {
                    url: format!("sqlite://{}", file.display()),
                    pg_name: None,
                    sqlite_file: Some(file),
                }
            }
            Backend::Postgres => {
                let name = format!("sb_test_{}", &id[..16]);
                let admin = Db::connect(PG_ADMIN)
                    .await
                    .expect("PostgreSQL on 127.0.0.1:5432");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin.pool)
                    .await
                    .unwrap();
                admin.pool.close().await;
                TestDb {
                    url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    pg_name: Some(name),
                    sqlite_file: None,
                }
            }
        }
    }

    pub async fn drop_db(self) {
        if let Some(name) = self.pg_name {
            let admin = Db::connect(PG_ADMIN).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await;
        }
        if let Some(file) = self.sqlite_file {
            let _ = std::fs::remove_dir_all(file.parent().unwrap());
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub http: reqwest::Client,
    pub sandbox: Arc<SandboxHandle>,
    pub admin_token: String,
    /// Where `/metrics` is served when `metrics_listen` is set.
    pub metrics_addr: Option<SocketAddr>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn fast_settings() -> Settings {
    Settings {
        ats_calls_per_minute: Some(100_000),
        token_rate_limit: 100_000,
        tick: Duration::from_millis(50),
        workers: false,
        // The sandbox listens on loopback.
        allow_private_base_urls: true,
        unauthenticated_rate_limit: 100_000,
        ..Settings::default()
    }
}

pub async fn sandbox(seed_candidates: usize) -> Arc<SandboxHandle> {
    Arc::new(
        start(SandboxConfig {
            api_key: ATS_KEY.into(),
            seed_candidates,
            rate_limit: 1_000_000,
            ..Default::default()
        })
        .await
        .unwrap(),
    )
}

/// A server over `db` with `master`, sharing `sandbox`.
pub async fn spawn_on(
    db_url: &str,
    master: MasterKey,
    sandbox: Arc<SandboxHandle>,
    settings: Settings,
) -> TestApp {
    spawn_with_connector(db_url, master, sandbox, settings, Arc::new(RealAts)).await
}

/// Like [`spawn_on`], with `connector` building the adapters (a scripted
/// one, or the real ones with other capabilities).
pub async fn spawn_with_connector(
    db_url: &str,
    master: MasterKey,
    sandbox: Arc<SandboxHandle>,
    settings: Settings,
    connector: Arc<dyn AtsConnector>,
) -> TestApp {
    let db = Db::open(db_url).await.expect("database opens");
    let state = AppState::new(db, master, connector, settings);
    let app = Application::build("127.0.0.1:0".parse().unwrap(), state.clone())
        .await
        .unwrap();
    let addr = app.addr();
    let metrics_addr = app.metrics_addr();
    let server = tokio::spawn(async move {
        let _ = app.run(std::future::pending()).await;
    });
    TestApp {
        addr,
        state,
        http: reqwest::Client::new(),
        sandbox,
        admin_token: String::new(),
        metrics_addr,
        server,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Sends a request as `token` (or nobody); returns status and JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.call_with(method, path, token, body, None).await
    }

    /// `GET /v1/connections/{conn}/sync` as `token` sees it (its body).
    pub async fn sync_status(&self, token: &str, conn: &str) -> Value {
        self.call(
            "GET",
            &format!("/v1/connections/{conn}/sync"),
            Some(token),
            None,
        )
        .await
        .1
    }

    /// `POST /v1/candidates` with an idempotency key.
    pub async fn upload(&self, token: &str, body: Value, key: &str) -> (u16, Value) {
        self.call_with("POST", "/v1/candidates", Some(token), Some(body), Some(key))
            .await
    }

    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        idem: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method.parse().unwrap(), self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = idem {
            req = req.header("idempotency-key", k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A team with an admin; returns the admin's token.
    pub async fn create_team(&mut self, name: &str) -> String {
        use sqlx::Row;
        let team_id = sourcebar_companion::storage::db::new_id();
        let user_id = sourcebar_companion::storage::db::new_id();
        let db = &self.state.db;
        sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, 0)")
            .bind(&team_id)
            .bind(name)
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO users (id, team_id, email, name, role, created_at) VALUES ($1, $2, $3, 'Admin', 'admin', 0)")
            .bind(&user_id)
            .bind(&team_id)
            .bind(format!("admin@{name}.test"))
            .execute(&db.pool)
            .await
            .unwrap();
        let token = sourcebar_companion::app::people::issue_token(&self.state, &user_id)
            .await
            .unwrap();
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert!(n >= 1);
        token
    }

    /// A member of the admin's team, through an invite; returns their token.
    pub async fn invite_member(&self, admin: &str, email: &str) -> String {
        let (s, invite) = self
            .call(
                "POST",
                "/v1/invites",
                Some(admin),
                Some(json!({"role": "member"})),
            )
            .await;
        assert_eq!(s, 201, "{invite}");
        let code = invite["code"].as_str().unwrap();
        let (s, accepted) = self
            .call(
                "POST",
                &format!("/v1/invites/{code}/accept"),
                None,
                Some(json!({"email": email, "name": "Member"})),
            )
            .await;
        assert_eq!(s, 201, "{accepted}");
        accepted["token"].as_str().unwrap().to_string()
    }

    /// Connects the admin's team to the sandbox; returns the connection id.
    pub async fn connect(&self, admin: &str) -> String {
        let body = json!({"provider": "jazzhr", "name": "Sandbox", "api_key": ATS_KEY, "base_url": self.sandbox.api_url()});
        let (s, conn) = self
            .call("POST", "/v1/connections", Some(admin), Some(body))
            .await;
        assert_eq!(s, 201, "{conn}");
        conn["id"].as_str().unwrap().to_string()
    }

    /// Runs sync steps until the mirror is complete.
    pub async fn sync_fully(&self) {
        use sqlx::Row;
        for _ in 0..10_000 {
            sourcebar_companion::app::sync::run_once(&self.state)
                .await
                .unwrap();
            let pending: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM sync_state WHERE full_done = 0 OR phase <> 'idle'",
            )
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
            if pending == 0 {
                return;
            }
        }
        panic!("sync never completed");
    }
}

/// A server with a team and a sandbox.
pub async fn spawn_app(backend: Backend, seed_candidates: usize) -> (TestApp, TestDb) {
    let db = TestDb::new(backend).await;
    let mut app = spawn_on(
        &db.url,
        MasterKey::generate(),
        sandbox(seed_candidates).await,
        fast_settings(),
    )
    .await;
    app.admin_token = app.create_team("acme").await;
    (app, db)
}

/// Declares one async test per backend.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)(Backend::Postgres).await
            }
        }
    };
}

/// A sandbox fault on the paths under `path`, without latency.
pub fn fault(kind: FaultKind, probability: f64, path: &str) -> Fault {
    Fault {
        method: None,
        kind,
        probability,
        path_prefix: Some(path.into()),
        latency_ms: None,
    }
}
