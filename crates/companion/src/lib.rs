//! Sourcebar's companion server: the only part that holds the team's ATS key
//! and talks to the ATS. Teams, members and roles, hashed bearer tokens,
//! encrypted ATS connections, a candidate mirror for instant dedupe,
//! idempotent upload and merge, and an audit log. The HTTP contract is
//! `shared/API.md`; `GET /v1/openapi.json` publishes it.

pub mod app;
pub mod base_url;
pub mod config;
pub mod crypto;
pub mod error;
pub mod http;
pub mod metrics;
pub mod state;
pub mod storage;
pub mod telemetry;

use app::{delivery, sync};
use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A built server: bound, not yet serving.
pub struct Application {
    listener: TcpListener,
    /// `/metrics` alone, when `metrics_listen` is set.
    metrics_listener: Option<TcpListener>,
    state: AppState,
}

impl Application {
    /// Binds `addr` (port 0 picks a free port), and `metrics_listen` when
    /// set, over a ready state.
    pub async fn build(addr: SocketAddr, state: AppState) -> std::io::Result<Application> {
        let listener = TcpListener::bind(addr).await?;
        let metrics_listener = match state.settings.metrics_listen {
            Some(metrics_addr) => Some(TcpListener::bind(metrics_addr).await?),
            None => None,
        };
        Ok(Application {
            listener,
            metrics_listener,
            state,
        })
    }

    /// The bound metrics address, when `metrics_listen` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
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
        // Stopped with the server, also when this future is dropped.
        let _workers = self
            .state
            .settings
            .workers
            .then(|| AbortOnDrop(tokio::spawn(run_workers(self.state.clone()))));
        // Every server's indexes follow the mirror, whoever writes it.
        let _follower = AbortOnDrop(tokio::spawn(
            self.state.mirror.clone().follow(self.state.db.clone()),
        ));
        // Stopped with the server too.
        let _metrics = self.metrics_listener.map(|listener| {
            let app = http::metrics_router(self.state.clone());
            AbortOnDrop(tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            }))
        });
        // The peer address feeds the per-address limit on unauthenticated calls.
        let app = http::router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Background work: upload delivery in its own loop, and one sync task per
/// connection, so one team's slow ATS never stalls another team's work.
/// Dropping (aborting) this future stops every task it started.
pub async fn run_workers(state: AppState) {
    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn(delivery::run(state.clone()));
    let mut syncing: std::collections::HashMap<String, tokio::task::AbortHandle> =
        std::collections::HashMap::new();
    let mut tick = tokio::time::interval(state.settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        while tasks.try_join_next().is_some() {}
        let ids = match sync::syncing_connections(&state).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(error = %e.message, "listing connections to sync failed");
                continue;
            }
        };
        // A task ends by itself when its connection stops syncing.
        syncing.retain(|id, task| !task.is_finished() && ids.contains(id));
        for id in ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = syncing.entry(id) {
                let id = slot.key().clone();
                slot.insert(tasks.spawn(sync::run_connection(state.clone(), id)));
            }
        }
    }
}
