//! The delivery worker: finishes queued uploads and merges whose lease ran
//! out (the ATS was down, an answer was lost, a server crashed).
//!
//! Any server may run it: an upload is leased through the database before it
//! is touched. An upload is always delivered looking first (a lost attempt
//! may have created the applicant); a merge resumes from its recorded steps.
//! Uploads are independent, so several are delivered at once, a few per
//! connection, each attempt capped in time: one slow ATS never holds up
//! another team's queue.

use crate::app::connections;
use crate::app::merge::{self, StoredMerge};
use crate::app::uploads::{self, Failure, Stored, ATTEMPT_CAP, LEASE_MS};
use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::db::now_ms;
use crate::storage::idempotency::{self, Scope};
use crate::storage::uploads as stored_uploads;
use sourcebar_ats::AtsError;
use std::collections::HashMap;
use tokio::task::JoinSet;

/// Deliveries in flight per connection (JazzHR's budget is per key).
const PER_CONNECTION: usize = 4;
/// What a queued upload of a deleted connection answers.
pub const CONNECTION_REMOVED: &str =
    "The ATS connection was removed before this could be delivered.";

/// A queued row, leased to this server.
struct Leased {
    id: String,
    kind: String,
    team_id: String,
    user_id: String,
    connection_id: String,
    request: String,
    attempts: i64,
    steps: String,
}

/// How a delivery ended.
enum Delivered {
    Done,
    Later,
    Failed,
}

/// Waits between attempts: 1 s, 2 s, 4 s, ... at most 30 s.
fn backoff_ms(attempts: i64) -> i64 {
    (500i64 << attempts.clamp(1, 6)).min(30_000)
}

/// Connections with queued work due now.
async fn due_connections(state: &AppState) -> AppResult<Vec<String>> {
    Ok(stored_uploads::due_connections(&state.db, now_ms()).await?)
}

/// Leases up to `room` due rows of one connection, oldest first.
async fn lease_due(state: &AppState, connection_id: &str, room: usize) -> AppResult<Vec<Leased>> {
    let now = now_ms();
    let limit = i64::try_from(room).unwrap_or(i64::MAX);
    let rows = stored_uploads::due_rows(&state.db, connection_id, now, limit).await?;
    let mut leased = Vec::new();
    for row in rows {
        let taken = stored_uploads::lease(
            &state.db,
            &row.id,
            state.instance.as_str(),
            now + LEASE_MS,
            now,
        )
        .await?;
        if !taken {
            continue;
        }
        leased.push(Leased {
            id: row.id,
            kind: row.kind,
            team_id: row.team_id,
            user_id: row.user_id,
            connection_id: row.connection_id,
            request: row.request,
            attempts: row.attempts + 1,
            steps: row.steps,
        });
    }
    Ok(leased)
}

/// Delivers every queued upload and merge due now, a few per connection at
/// once, and waits for them; returns how many were finished. Tests and
/// tools call this; the server runs [`run`].
pub async fn deliver_queued(state: &AppState) -> AppResult<usize> {
    let mut running = JoinSet::new();
    for connection_id in due_connections(state).await? {
        for leased in lease_due(state, &connection_id, PER_CONNECTION).await? {
            let state = state.clone();
            running.spawn(async move { deliver_leased(&state, leased).await });
        }
    }
    let mut done = 0;
    while let Some(result) = running.join_next().await {
        match result {
            Ok(Ok(Delivered::Done)) => done += 1,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e.message, "delivering a queued upload failed"),
            Err(e) => tracing::error!(error = %e, "a delivery task ended abnormally"),
        }
    }
    Ok(done)
}

/// The server's delivery loop: every tick, starts the deliveries that are
/// due, without waiting for the ones still running.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(state.settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut running: JoinSet<()> = JoinSet::new();
    let mut owners: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut busy: HashMap<String, usize> = HashMap::new();
    loop {
        tick.tick().await;
        while let Some(ended) = running.try_join_next_with_id() {
            let id = match ended {
                Ok((id, ())) => id,
                Err(e) => e.id(),
            };
            if let Some(conn) = owners.remove(&id) {
                if let Some(n) = busy.get_mut(&conn) {
                    *n = n.saturating_sub(1);
                }
            }
        }
        busy.retain(|_, n| *n > 0);
        let due = match due_connections(&state).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e.message, "reading the upload queue failed");
                continue;
            }
        };
        for connection_id in due {
            let room =
                PER_CONNECTION.saturating_sub(busy.get(&connection_id).copied().unwrap_or(0));
            if room == 0 {
                continue;
            }
            let leased = match lease_due(&state, &connection_id, room).await {
                Ok(leased) => leased,
                Err(e) => {
                    tracing::warn!(error = %e.message, "leasing queued uploads failed");
                    continue;
                }
            };
            for one in leased {
                let state = state.clone();
                let handle = running.spawn(async move {
                    if let Err(e) = deliver_leased(&state, one).await {
                        tracing::warn!(error = %e.message, "delivering a queued upload failed");
                    }
                });
                owners.insert(handle.id(), connection_id.clone());
                *busy.entry(connection_id.clone()).or_default() += 1;
            }
        }
    }
}

/// One attempt at one leased row.
async fn deliver_leased(state: &AppState, row: Leased) -> AppResult<Delivered> {
    let (status, deleted) = crate::storage::connections::liveness(&state.db, &row.connection_id)
        .await?
        .unwrap_or((String::new(), true));
    if deleted {
        return give_up(state, &row, CONNECTION_REMOVED).await;
    }
    if status == "deactivated" {
        // Kept until the connection is active again; checked once a lease.
        return Ok(Delivered::Later);
    }
    let conn = connections::load(state, &row.team_id, &row.connection_id).await?;
    let outcome = if row.kind == "merge" {
        let stored: StoredMerge = serde_json::from_str(&row.request)
            .map_err(|e| AppError::internal("queued merge", e))?;
        let scope = scope(&row, &stored.idempotency_key);
        merge::attempt(state, scope, &conn, &row.id, &row.steps, &stored)
            .await
            .map(|_| ())
    } else {
        let stored: Stored = serde_json::from_str(&row.request)
            .map_err(|e| AppError::internal("queued upload", e))?;
        let scope = scope(&row, &stored.idempotency_key);
        deliver_upload(state, scope, &conn, &row.id, &stored).await
    };
    match outcome {
        Ok(()) => {
            Metrics::inc(&state.metrics.uploads_delivered_later);
            Ok(Delivered::Done)
        }
        Err(e) if e.worth_retrying() => {
            let retry_at = now_ms() + backoff_ms(row.attempts);
            uploads::requeue(state, &row.id, Some(retry_at), &e.reason()).await?;
            Ok(Delivered::Later)
        }
        Err(e) => give_up(state, &row, &e.reason()).await,
    }
}

/// Delivers a queued upload, looking first for what a lost attempt created.
async fn deliver_upload(
    state: &AppState,
    scope: Scope<'_>,
    conn: &crate::storage::connections::Connection,
    id: &str,
    stored: &Stored,
) -> Result<(), Failure> {
    let new = uploads::new_candidate(&stored.request, &stored.user_name, conn.capabilities(state))?;
    let ats = conn.open(state)?;
    let candidate = tokio::time::timeout(
        ATTEMPT_CAP,
        uploads::deliver(&*ats, conn.capabilities(state), &new, true),
    )
    .await
    .unwrap_or_else(|_| Err(AtsError::Unreachable("took too long".into())))?;
    uploads::finish(state, id, scope, conn, &candidate).await?;
    Ok(())
}

fn scope<'a>(row: &'a Leased, key: &'a str) -> Scope<'a> {
    Scope {
        team_id: &row.team_id,
        user_id: &row.user_id,
        key,
    }
}

/// Fails the row for good and frees its key (nothing was created: the ATS
/// refused, or the connection is gone), so the user may try again.
async fn give_up(state: &AppState, row: &Leased, reason: &str) -> AppResult<Delivered> {
    uploads::fail(state, &row.id, reason).await?;
    let key = match row.kind.as_str() {
        "merge" => serde_json::from_str::<StoredMerge>(&row.request).map(|s| s.idempotency_key),
        _ => serde_json::from_str::<Stored>(&row.request).map(|s| s.idempotency_key),
    };
    if let Ok(key) = key {
        idempotency::release(&state.db, scope(row, &key)).await?;
    }
    Ok(Delivered::Failed)
}
