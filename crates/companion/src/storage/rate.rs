//! The rate budget of one ATS connection, kept in PostgreSQL so that every
//! companion process calling that ATS shares it ([`sourcebar_ats::SharedLedger`]).
//!
//! The log is `rate_calls`: one row per call in flight, or answered within
//! the last window (a call keeps its place until a window after its answer,
//! see [`sourcebar_ats::rate`]). Each attempt is one short transaction that
//! first locks the connection's `rate_budgets` row (`SELECT ... FOR
//! UPDATE`), so attempts from every process are serialised per connection:
//! the count it reads cannot move before its own row is committed. Times
//! are the database's clock, so servers whose clocks disagree still agree
//! on the window. A call whose end was never recorded (its server died)
//! leaves after [`IN_FLIGHT_AT_MOST`] and a window.

use crate::storage::db::Db;
use async_trait::async_trait;
use sourcebar_ats::SharedLedger;
use sqlx::Row;
use std::time::Duration;

/// How long a refused interactive call holds background work back in every
/// process; a user still waiting renews it at each attempt (every 250 ms
/// at most).
const USERS_WAITING_MS: i64 = 600;

/// Longest a call may hold its place while its end is not recorded.
const IN_FLIGHT_AT_MOST: Duration = Duration::from_mins(2);

/// The database's clock, in unix milliseconds.
const DB_NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// One connection's shared call log.
pub struct DbLedger {
    db: Db,
    connection_id: String,
}

impl DbLedger {
    /// The ledger of `connection_id` in `db` (PostgreSQL).
    pub fn new(db: Db, connection_id: &str) -> Self {
        DbLedger {
            db,
            connection_id: connection_id.to_string(),
        }
    }

    async fn take(
        &self,
        cap: usize,
        window: Duration,
        interactive: bool,
    ) -> Result<Result<i64, Duration>, sqlx::Error> {
        let window_ms = millis(window);
        let cap = i64::try_from(cap).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO rate_budgets (connection_id) VALUES ($1) ON CONFLICT (connection_id) DO NOTHING",
        )
        .bind(&self.connection_id)
        .execute(&self.db.pool)
        .await?;
        let mut tx = self.db.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT users_waiting_until, {DB_NOW_MS} AS now FROM rate_budgets \
             WHERE connection_id = $1 FOR UPDATE"
        ))
        .bind(&self.connection_id)
        .fetch_one(&mut *tx)
        .await?;
        let users_until: i64 = row.try_get("users_waiting_until")?;
        let now: i64 = row.try_get("now")?;
        if !interactive && users_until > now {
            // A user is waiting somewhere: background work tries again
            // when the mark would lapse.
            tx.rollback().await?;
            let wait = u64::try_from(users_until - now).unwrap_or_default();
            return Ok(Err(Duration::from_millis(wait)));
        }
        sqlx::query(
            "DELETE FROM rate_calls WHERE connection_id = $1 AND at <= $2 AND (done = 1 OR at <= $3)",
        )
        .bind(&self.connection_id)
        .bind(now - window_ms)
        .bind(now - window_ms - millis(IN_FLIGHT_AT_MOST))
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(CASE WHEN done = 1 THEN at END) AS oldest \
             FROM rate_calls WHERE connection_id = $1",
        )
        .bind(&self.connection_id)
        .fetch_one(&mut *tx)
        .await?;
        let n: i64 = row.try_get("n")?;
        let oldest: Option<i64> = row.try_get("oldest")?;
        if n < cap {
            let ticket: i64 = sqlx::query(
                "INSERT INTO rate_calls (connection_id, at) VALUES ($1, $2) RETURNING id",
            )
            .bind(&self.connection_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            tx.commit().await?;
            return Ok(Ok(ticket));
        }
        if interactive {
            sqlx::query(
                "UPDATE rate_budgets SET users_waiting_until = $1 WHERE connection_id = $2",
            )
            .bind(now + USERS_WAITING_MS)
            .bind(&self.connection_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // Only an answered call leaves by itself; with none, try again soon.
        let wait = oldest.map_or(250, |t| t + window_ms - now).max(0);
        Ok(Err(Duration::from_millis(
            u64::try_from(wait).unwrap_or_default(),
        )))
    }

    async fn end(&self, ticket: i64) -> Result<(), sqlx::Error> {
        sqlx::query(&format!(
            "UPDATE rate_calls SET at = {DB_NOW_MS}, done = 1 WHERE id = $1"
        ))
        .bind(ticket)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    async fn ages(&self, window: Duration) -> Result<Vec<Duration>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT CASE WHEN r.done = 1 THEN c.now - r.at ELSE 0 END AS age \
             FROM rate_calls r, (SELECT {DB_NOW_MS} AS now) c \
             WHERE r.connection_id = $1 AND (r.done = 0 OR r.at > c.now - $2) ORDER BY age DESC"
        ))
        .bind(&self.connection_id)
        .bind(millis(window))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let age: i64 = r.try_get("age")?;
                Ok(Duration::from_millis(
                    u64::try_from(age).unwrap_or_default(),
                ))
            })
            .collect()
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[async_trait]
impl SharedLedger for DbLedger {
    async fn try_take(
        &self,
        cap: usize,
        window: Duration,
        interactive: bool,
    ) -> Result<Result<i64, Duration>, String> {
        self.take(cap, window, interactive)
            .await
            .map_err(|e| e.to_string())
    }

    async fn finish(&self, ticket: i64) -> Result<(), String> {
        self.end(ticket).await.map_err(|e| e.to_string())
    }

    async fn recent(&self, window: Duration) -> Result<Vec<Duration>, String> {
        self.ages(window).await.map_err(|e| e.to_string())
    }
}
