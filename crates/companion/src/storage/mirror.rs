//! The local mirror of each connection's candidates: rows in the database,
//! and per server an in-memory [`MatchIndex`] rebuilt when the database's
//! version of the mirror moves on without this server.

use crate::storage::db::{now_ms, Db};
use sourcebar_ats::CandidateSummary;
use sourcebar_core::index::MatchIndex;
use sourcebar_core::Candidate;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// A connection's index and the mirror version it reflects.
type Versioned = (i64, Arc<RwLock<MatchIndex>>);

/// Cached indexes, one per connection.
#[derive(Default)]
pub struct MirrorCache {
    indexes: Mutex<HashMap<String, Versioned>>,
}

impl MirrorCache {
    /// The index of a connection, rebuilt from the database when stale.
    pub async fn index(
        &self,
        db: &Db,
        connection_id: &str,
    ) -> Result<Arc<RwLock<MatchIndex>>, sqlx::Error> {
        let version = version(db, connection_id).await?;
        if let Some((v, index)) = self.indexes.lock().expect("mirror lock").get(connection_id) {
            if *v == version {
                return Ok(index.clone());
            }
        }
        let mut index = MatchIndex::new();
        for (candidate, links) in load_all(db, connection_id).await? {
            let id = candidate.id.clone();
            index.insert(connection_id, candidate);
            for url in links {
                index.attach_profile_url(connection_id, &id, &url);
            }
        }
        let index = Arc::new(RwLock::new(index));
        self.indexes
            .lock()
            .expect("mirror lock")
            .insert(connection_id.to_string(), (version, index.clone()));
        Ok(index)
    }

    /// Applies this server's own write to its index, when the index was
    /// current just before it (otherwise the next query rebuilds it).
    pub fn apply(
        &self,
        connection_id: &str,
        new_version: i64,
        change: impl FnOnce(&mut MatchIndex),
    ) {
        let mut indexes = self.indexes.lock().expect("mirror lock");
        if let Some((v, index)) = indexes.get_mut(connection_id) {
            if *v == new_version - 1 {
                change(&mut index.write().expect("index lock"));
                *v = new_version;
            }
        }
    }

    /// How many candidates the cached indexes hold.
    pub fn size(&self) -> usize {
        self.indexes
            .lock()
            .expect("mirror lock")
            .values()
            .map(|(_, i)| i.read().map_or(0, |i| i.len()))
            .sum()
    }
}

/// Makes sure a connection has its sync state row.
pub async fn ensure_state(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_state (connection_id, state, phase, requested) VALUES ($1, 'idle', 'list', 1) \
         ON CONFLICT (connection_id) DO NOTHING",
    )
    .bind(connection_id)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// The mirror's version for a connection.
pub async fn version(db: &Db, connection_id: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT version FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64, _>("version"))
        .transpose()?
        .unwrap_or(0))
}

/// Bumps and returns the version after a write.
pub async fn bump(db: &Db, connection_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE sync_state SET version = version + 1 WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&db.pool)
        .await?;
    version(db, connection_id).await
}

/// Records a list row; a known candidate keeps its details.
pub async fn upsert_summary(
    db: &Db,
    connection_id: &str,
    row: &CandidateSummary,
    run: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mirror (connection_id, ats_id, first_name, last_name, phone, apply_date, detailed, seen_run, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) \
         ON CONFLICT (connection_id, ats_id) DO UPDATE SET first_name = excluded.first_name, \
         last_name = excluded.last_name, seen_run = excluded.seen_run",
    )
    .bind(connection_id)
    .bind(&row.id)
    .bind(&row.first_name)
    .bind(&row.last_name)
    .bind(&row.phone)
    .bind(&row.apply_date)
    .bind(run)
    .bind(now_ms())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Records a full candidate record.
pub async fn upsert_candidate(
    db: &Db,
    connection_id: &str,
    c: &Candidate,
    run: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mirror (connection_id, ats_id, first_name, last_name, email, phone, profile_url, location, ats_url, \
         apply_date, detailed, seen_run, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12) \
         ON CONFLICT (connection_id, ats_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, \
         email = excluded.email, phone = excluded.phone, profile_url = excluded.profile_url, location = excluded.location, \
         ats_url = excluded.ats_url, apply_date = excluded.apply_date, detailed = 1, \
         seen_run = CASE WHEN mirror.seen_run > excluded.seen_run THEN mirror.seen_run ELSE excluded.seen_run END, \
         updated_at = excluded.updated_at",
    )
    .bind(connection_id)
    .bind(&c.id)
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.profile_url)
    .bind(&c.location)
    .bind(&c.ats_url)
    .bind(&c.created_at)
    .bind(run)
    .bind(now_ms())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Records a LinkedIn URL we attached to a candidate.
pub async fn add_link(
    db: &Db,
    connection_id: &str,
    ats_id: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mirror_links (connection_id, ats_id, profile_url) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(connection_id)
    .bind(ats_id)
    .bind(url)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// The LinkedIn URLs we attached to one candidate.
pub async fn links_of(
    db: &Db,
    connection_id: &str,
    ats_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("SELECT profile_url FROM mirror_links WHERE connection_id = $1 AND ats_id = $2")
        .bind(connection_id)
        .bind(ats_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("profile_url"))
        .collect()
}

/// A mirrored candidate, if known.
pub async fn get(
    db: &Db,
    connection_id: &str,
    ats_id: &str,
) -> Result<Option<Candidate>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {CANDIDATE_COLUMNS} FROM mirror WHERE connection_id = $1 AND ats_id = $2"
    ))
    .bind(connection_id)
    .bind(ats_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| candidate_from(&r)).transpose()
}

const CANDIDATE_COLUMNS: &str =
    "ats_id, first_name, last_name, email, phone, profile_url, location, ats_url, apply_date";

fn candidate_from(row: &sqlx::any::AnyRow) -> Result<Candidate, sqlx::Error> {
    Ok(Candidate {
        id: row.try_get("ats_id")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        profile_url: row.try_get("profile_url")?,
        company: None,
        title: None,
        location: row.try_get("location")?,
        ats_url: row.try_get("ats_url")?,
        created_at: row.try_get("apply_date")?,
    })
}

/// Every mirrored candidate of a connection, with attached URLs.
pub async fn load_all(
    db: &Db,
    connection_id: &str,
) -> Result<Vec<(Candidate, Vec<String>)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {CANDIDATE_COLUMNS} FROM mirror WHERE connection_id = $1"
    ))
    .bind(connection_id)
    .fetch_all(&db.pool)
    .await?;
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query("SELECT ats_id, profile_url FROM mirror_links WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_all(&db.pool)
        .await?
    {
        links
            .entry(row.try_get("ats_id")?)
            .or_default()
            .push(row.try_get("profile_url")?);
    }
    rows.iter()
        .map(|r| {
            let c = candidate_from(r)?;
            let l = links.remove(&c.id).unwrap_or_default();
            Ok((c, l))
        })
        .collect()
}

/// Up to `limit` mirrored records still waiting for their details, newest
/// application first.
pub async fn undetailed(
    db: &Db,
    connection_id: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT ats_id FROM mirror WHERE connection_id = $1 AND detailed = 0 ORDER BY apply_date DESC, ats_id LIMIT $2")
        .bind(connection_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| r.try_get("ats_id")).collect()
}

/// Drops one record (removed from the ATS).
pub async fn remove(db: &Db, connection_id: &str, ats_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mirror WHERE connection_id = $1 AND ats_id = $2")
        .bind(connection_id)
        .bind(ats_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Drops the records seen in an earlier run and not in `run`.
pub async fn remove_unseen_in(db: &Db, connection_id: &str, run: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mirror WHERE connection_id = $1 AND seen_run > 0 AND seen_run < $2")
        .bind(connection_id)
        .bind(run)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The newest apply date among detailed records.
pub async fn newest_detailed_apply_date(
    db: &Db,
    connection_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT MAX(apply_date) AS d FROM mirror WHERE connection_id = $1 AND detailed = 1")
        .bind(connection_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("d")
}
