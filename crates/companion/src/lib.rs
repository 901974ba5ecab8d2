//! Sourcebar's companion server: the only part that holds the team's ATS key
//! and talks to the ATS. Teams, members and roles, hashed bearer tokens,
//! encrypted ATS connections, a candidate mirror for instant dedupe,
//! idempotent upload and merge, and an audit log. The HTTP contract is
//! `shared/API.md`; `GET /v1/openapi.json` publishes it.

pub mod audit;
pub mod auth;
pub mod config;
pub mod connections;
pub mod crypto;
pub mod db;
pub mod dedupe;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod metrics;
pub mod mirror;
pub mod state;
pub mod sync;
pub mod telemetry;
pub mod tokens;
pub mod uploads;

use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A built server: bound, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Binds `addr` (port 0 picks a free port) over a ready state.
    pub async fn build(addr: SocketAddr, state: AppState) -> std::io::Result<Application> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Application { listener, state })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr().port()
    }

    /// The shared state (tests use it to reach the database).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves; starts the workers when configured.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let workers = self
            .state
            .settings
            .workers
            .then(|| tokio::spawn(run_workers(self.state.clone())));
        let app = http::router(self.state);
        let result = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        if let Some(w) = workers {
            w.abort();
        }
        result
    }
}

/// Background work: sync steps and queued uploads, every tick.
pub async fn run_workers(state: AppState) {
    let mut tick = tokio::time::interval(state.settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Uploads first: a user is waiting for them.
        if let Err(e) = uploads::deliver_queued(&state).await {
            tracing::warn!(error = %e.message, "delivering queued uploads failed");
        }
        if let Err(e) = sync::run_once(&state).await {
            tracing::warn!(error = %e.message, "sync step failed");
        }
    }
}
