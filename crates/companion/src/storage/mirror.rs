//! The local mirror of each connection's candidates: rows in the database,
//! and per server an in-memory [`MatchIndex`] that follows them.
//!
//! # How each server's index follows writes made by any server
//!
//! Every write to a connection's mirror goes through a [`Batch`]: the rows,
//! then, last in the same transaction, the next `sync_state.version` of the
//! connection and one `mirror_changes` row per candidate touched, stamped
//! with that version. Taking the version locks the connection's
//! `sync_state` row until the commit, so versions commit in order: once a
//! server sees version N, it sees every change up to N.
//!
//! An index remembers the version it reflects. To bring it up to date a
//! server reads the current version (one small query), then only the
//! candidates changed after its own version, from the log, and puts their
//! current rows in (or takes them out of) the index in place. Re-reading a
//! row is idempotent, so a row read "too new" is simply read again later.
//! This happens before every dedupe answer (so a server answers with what
//! any server wrote before the question reached it), and every half second
//! in the background ([`MirrorCache::follow`]), so an idle index follows
//! too. A full rebuild happens only on first use, or when the index fell
//! behind the pruned part of the log (entries are kept ten minutes): a
//! server that was cut off from the database catches up from the log, or
//! rebuilds if it was gone too long.
//!
//! Why a polled change log rather than PostgreSQL's LISTEN/NOTIFY: the log
//! is needed anyway (a notification can be missed, and says nothing of what
//! was written before a server started listening), reading the version is a
//! one-row query, and the same code serves SQLite. Notifications would only
//! shorten the background half second, which the check before each answer
//! already makes invisible to users.

use crate::storage::db::{now_ms, Db, Tx};
use sourcebar_ats::CandidateSummary;
use sourcebar_core::index::MatchIndex;
use sourcebar_core::Candidate;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How often an idle server brings its indexes up to date.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(500);
/// How long change-log entries are kept.
pub const CHANGES_KEPT: Duration = Duration::from_mins(10);
/// How often old change-log entries are pruned.
const PRUNE_EVERY: Duration = Duration::from_mins(1);
/// Change-log rows written per statement.
const CHANGES_PER_INSERT: usize = 100;

/// One connection's index and the mirror version it reflects.
struct Follower {
    /// The version the index reflects; -1 until it is first built.
    version: AtomicI64,
    index: Arc<RwLock<MatchIndex>>,
    /// Held by whoever brings the index up to date (one at a time).
    updating: tokio::sync::Mutex<()>,
}

/// Where a connection's mirror stands in the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Head {
    version: i64,
    /// Log entries up to this version were pruned.
    floor: i64,
}

/// Cached indexes, one per connection, each following the mirror.
#[derive(Default)]
pub struct MirrorCache {
    indexes: Mutex<HashMap<String, Arc<Follower>>>,
    rebuilds: AtomicU64,
    changes_applied: AtomicU64,
}

impl MirrorCache {
    /// The index of a connection, brought up to date with the database.
    pub async fn index(
        &self,
        db: &Db,
        connection_id: &str,
    ) -> Result<Arc<RwLock<MatchIndex>>, sqlx::Error> {
        let follower = self.follower(connection_id);
        let head = head(db, connection_id).await?;
        self.bring_up(db, connection_id, &follower, head).await?;
        Ok(follower.index.clone())
    }

    /// Brings every index this server holds up to date (one query when
    /// nothing changed).
    pub async fn follow_once(&self, db: &Db) -> Result<(), sqlx::Error> {
        let cached: Vec<(String, Arc<Follower>)> = self
            .indexes
            .lock()
            .expect("mirror lock")
            .iter()
            .map(|(id, f)| (id.clone(), f.clone()))
            .collect();
        if cached.is_empty() {
            return Ok(());
        }
        let heads = all_heads(db).await?;
        for (id, follower) in cached {
            let head = heads.get(&id).copied().unwrap_or_default();
            self.bring_up(db, &id, &follower, head).await?;
        }
        Ok(())
    }

    /// Keeps this server's indexes following the mirror, and prunes old
    /// change-log entries, until dropped.
    pub async fn follow(self: Arc<Self>, db: Db) {
        let mut tick = tokio::time::interval(FOLLOW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut pruned: Option<Instant> = None;
        loop {
            tick.tick().await;
            if let Err(e) = self.follow_once(&db).await {
                tracing::warn!(error = %e, "following the mirror failed");
            }
            if pruned.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                pruned = Some(Instant::now());
                let kept = i64::try_from(CHANGES_KEPT.as_millis()).unwrap_or(i64::MAX);
                if let Err(e) = prune_changes(&db, now_ms() - kept).await {
                    tracing::warn!(error = %e, "pruning the mirror's change log failed");
                }
            }
        }
    }

    /// How many times an index was built from the whole mirror.
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::Relaxed)
    }

    /// How many changed candidates were applied to indexes in place.
    pub fn changes_applied(&self) -> u64 {
        self.changes_applied.load(Ordering::Relaxed)
    }

    /// The version a connection's index reflects here (`None`: not built).
    pub fn version_of(&self, connection_id: &str) -> Option<i64> {
        self.indexes
            .lock()
            .expect("mirror lock")
            .get(connection_id)
            .map(|f| f.version.load(Ordering::SeqCst))
            .filter(|v| *v >= 0)
    }

    /// How many candidates the cached indexes hold.
    pub fn size(&self) -> usize {
        self.indexes
            .lock()
            .expect("mirror lock")
            .values()
            .map(|f| f.index.read().map_or(0, |i| i.len()))
            .sum()
    }

    fn follower(&self, connection_id: &str) -> Arc<Follower> {
        self.indexes
            .lock()
            .expect("mirror lock")
            .entry(connection_id.to_string())
            .or_insert_with(|| {
                Arc::new(Follower {
                    version: AtomicI64::new(-1),
                    index: Arc::new(RwLock::new(MatchIndex::new())),
                    updating: tokio::sync::Mutex::new(()),
                })
            })
            .clone()
    }

    /// Makes `follower` reflect at least `head` (read before this call).
    async fn bring_up(
        &self,
        db: &Db,
        connection_id: &str,
        follower: &Follower,
        head: Head,
    ) -> Result<(), sqlx::Error> {
        let built = follower.version.load(Ordering::SeqCst);
        if built >= 0 && built >= head.version {
            return Ok(());
        }
        let _updating = follower.updating.lock().await;
        let built = follower.version.load(Ordering::SeqCst);
        if built >= 0 && built >= head.version {
            // Another caller did it meanwhile.
            return Ok(());
        }
        if built >= 0
            && built >= head.floor
            && self
                .catch_up(db, connection_id, follower, built, head)
                .await?
        {
            return Ok(());
        }
        self.rebuild(db, connection_id, follower, head).await
    }

    /// Applies the changes after `from` up to `head`; false when the log no
    /// longer holds them (pruned meanwhile): the caller rebuilds.
    async fn catch_up(
        &self,
        db: &Db,
        connection_id: &str,
        follower: &Follower,
        from: i64,
        head: Head,
    ) -> Result<bool, sqlx::Error> {
        let changed = changed_between(db, connection_id, from, head.version).await?;
        if self::head(db, connection_id).await?.floor > from {
            return Ok(false);
        }
        let count = changed.ids.len();
        {
            let mut index = follower.index.write().expect("index lock");
            let mut rows: HashMap<String, Candidate> = changed
                .rows
                .into_iter()
                .map(|c| (c.id.clone(), c))
                .collect();
            let mut links = changed.links;
            for id in changed.ids {
                match rows.remove(&id) {
                    Some(candidate) => {
                        index.insert(connection_id, candidate);
                        for url in links.remove(&id).unwrap_or_default() {
                            index.attach_profile_url(connection_id, &id, &url);
                        }
                    }
                    None => index.remove(connection_id, &id),
                }
            }
        }
        follower.version.store(head.version, Ordering::SeqCst);
        self.changes_applied
            .fetch_add(u64::try_from(count).unwrap_or(u64::MAX), Ordering::Relaxed);
        Ok(true)
    }

    /// Builds the index from the whole mirror, as of `head` or later.
    async fn rebuild(
        &self,
        db: &Db,
        connection_id: &str,
        follower: &Follower,
        head: Head,
    ) -> Result<(), sqlx::Error> {
        let mut index = MatchIndex::new();
        for (candidate, links) in load_all(db, connection_id).await? {
            let id = candidate.id.clone();
            index.insert(connection_id, candidate);
            for url in links {
                index.attach_profile_url(connection_id, &id, &url);
            }
        }
        *follower.index.write().expect("index lock") = index;
        follower.version.store(head.version, Ordering::SeqCst);
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Writes to one connection's mirror that commit together, with their
/// change-log entries and the connection's next version (see the module
/// comment). Nothing is visible before [`Batch::commit`]; dropping a batch
/// rolls it back. Never hold one across an ATS call.
pub struct Batch {
    tx: Tx,
    connection_id: String,
    touched: Vec<String>,
}

impl Batch {
    /// Starts writing to `connection_id`'s mirror.
    pub async fn begin(db: &Db, connection_id: &str) -> Result<Batch, sqlx::Error> {
        Ok(Batch {
            tx: db.begin().await?,
            connection_id: connection_id.to_string(),
            touched: Vec::new(),
        })
    }

    /// Records a list row; a known candidate keeps its details.
    pub async fn upsert_summary(
        &mut self,
        row: &CandidateSummary,
        run: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO mirror (connection_id, ats_id, first_name, last_name, phone, apply_date, detailed, seen_run, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) \
             ON CONFLICT (connection_id, ats_id) DO UPDATE SET first_name = excluded.first_name, \
             last_name = excluded.last_name, seen_run = excluded.seen_run",
        )
        .bind(&self.connection_id)
        .bind(&row.id)
        .bind(&row.first_name)
        .bind(&row.last_name)
        .bind(&row.phone)
        .bind(&row.apply_date)
        .bind(run)
        .bind(now_ms())
        .execute(&mut *self.tx)
        .await?;
        self.touched.push(row.id.clone());
        Ok(())
    }

    /// Records a full candidate record.
    pub async fn upsert_candidate(&mut self, c: &Candidate, run: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO mirror (connection_id, ats_id, first_name, last_name, email, phone, profile_url, location, ats_url, \
             apply_date, detailed, seen_run, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12) \
             ON CONFLICT (connection_id, ats_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, \
             email = excluded.email, phone = excluded.phone, profile_url = excluded.profile_url, location = excluded.location, \
             ats_url = excluded.ats_url, apply_date = excluded.apply_date, detailed = 1, \
             seen_run = CASE WHEN mirror.seen_run > excluded.seen_run THEN mirror.seen_run ELSE excluded.seen_run END, \
             updated_at = excluded.updated_at",
        )
        .bind(&self.connection_id)
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
        .execute(&mut *self.tx)
        .await?;
        self.touched.push(c.id.clone());
        Ok(())
    }

    /// Records a LinkedIn URL we attached to a candidate.
    pub async fn add_link(&mut self, ats_id: &str, url: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO mirror_links (connection_id, ats_id, profile_url) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(&self.connection_id)
        .bind(ats_id)
        .bind(url)
        .execute(&mut *self.tx)
        .await?;
        self.touched.push(ats_id.to_string());
        Ok(())
    }

    /// Drops one record (removed from the ATS).
    pub async fn remove(&mut self, ats_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM mirror WHERE connection_id = $1 AND ats_id = $2")
            .bind(&self.connection_id)
            .bind(ats_id)
            .execute(&mut *self.tx)
            .await?;
        self.touched.push(ats_id.to_string());
        Ok(())
    }

    /// Drops the records seen in an earlier run and not in `run`.
    pub async fn remove_unseen_in(&mut self, run: i64) -> Result<(), sqlx::Error> {
        let rows = sqlx::query(
            "DELETE FROM mirror WHERE connection_id = $1 AND seen_run > 0 AND seen_run < $2 RETURNING ats_id",
        )
        .bind(&self.connection_id)
        .bind(run)
        .fetch_all(&mut *self.tx)
        .await?;
        for row in rows {
            self.touched.push(row.try_get("ats_id")?);
        }
        Ok(())
    }

    /// Takes the connection's next version, logs what was touched under
    /// it, and commits; returns the version (`None` when nothing was
    /// touched: the version stays).
    pub async fn commit(mut self) -> Result<Option<i64>, sqlx::Error> {
        self.touched.sort_unstable();
        self.touched.dedup();
        if self.touched.is_empty() {
            self.tx.commit().await?;
            return Ok(None);
        }
        // Last in the transaction: the row lock it takes is held only
        // until the commit just below.
        let version: i64 = sqlx::query(
            "INSERT INTO sync_state (connection_id, state, phase, requested, version) VALUES ($1, 'idle', 'list', 1, 1) \
             ON CONFLICT (connection_id) DO UPDATE SET version = sync_state.version + 1 RETURNING version",
        )
        .bind(&self.connection_id)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("version")?;
        let at = now_ms();
        for chunk in self.touched.chunks(CHANGES_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, $2, $3, ${})", i + 4))
                .collect();
            let sql = format!(
                "INSERT INTO mirror_changes (connection_id, seq, at, ats_id) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql)
                .bind(&self.connection_id)
                .bind(version)
                .bind(at);
            for id in chunk {
                query = query.bind(id);
            }
            query.execute(&mut *self.tx).await?;
        }
        self.tx.commit().await?;
        Ok(Some(version))
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

/// The mirror's version for a connection (0: never written).
pub async fn version(db: &Db, connection_id: &str) -> Result<i64, sqlx::Error> {
    Ok(head(db, connection_id).await?.version)
}

async fn head(db: &Db, connection_id: &str) -> Result<Head, sqlx::Error> {
    let row = sqlx::query("SELECT version, changes_floor FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map_or(Ok(Head::default()), |r| {
        Ok(Head {
            version: r.try_get("version")?,
            floor: r.try_get("changes_floor")?,
        })
    })
}

async fn all_heads(db: &Db) -> Result<HashMap<String, Head>, sqlx::Error> {
    sqlx::query("SELECT connection_id, version, changes_floor FROM sync_state")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("connection_id")?,
                Head {
                    version: r.try_get("version")?,
                    floor: r.try_get("changes_floor")?,
                },
            ))
        })
        .collect()
}

/// What changed in a connection's mirror between two versions: the ids
/// touched, and the current rows and attached URLs of those still there.
struct Changed {
    ids: Vec<String>,
    rows: Vec<Candidate>,
    links: HashMap<String, Vec<String>>,
}

async fn changed_between(
    db: &Db,
    connection_id: &str,
    after: i64,
    up_to: i64,
) -> Result<Changed, sqlx::Error> {
    const TOUCHED: &str =
        "SELECT ats_id FROM mirror_changes WHERE connection_id = $1 AND seq > $2 AND seq <= $3";
    let mut ids: Vec<String> = sqlx::query(TOUCHED)
        .bind(connection_id)
        .bind(after)
        .bind(up_to)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("ats_id"))
        .collect::<Result<_, _>>()?;
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        return Ok(Changed {
            ids,
            rows: Vec::new(),
            links: HashMap::new(),
        });
    }
    let rows = sqlx::query(&format!(
        "SELECT {CANDIDATE_COLUMNS} FROM mirror WHERE connection_id = $1 AND ats_id IN ({TOUCHED})"
    ))
    .bind(connection_id)
    .bind(after)
    .bind(up_to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(candidate_from)
    .collect::<Result<Vec<_>, _>>()?;
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query(&format!(
        "SELECT ats_id, profile_url FROM mirror_links WHERE connection_id = $1 AND ats_id IN ({TOUCHED})"
    ))
    .bind(connection_id)
    .bind(after)
    .bind(up_to)
    .fetch_all(&db.pool)
    .await?
    {
        links
            .entry(row.try_get("ats_id")?)
            .or_default()
            .push(row.try_get("profile_url")?);
    }
    Ok(Changed { ids, rows, links })
}

/// Forgets change-log entries written before `before` (unix ms). The
/// floor moves first, so a server reading the log while entries go sees
/// that it must rebuild.
pub async fn prune_changes(db: &Db, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET changes_floor = (SELECT MAX(c.seq) FROM mirror_changes c \
         WHERE c.connection_id = sync_state.connection_id AND c.at < $1) \
         WHERE EXISTS (SELECT 1 FROM mirror_changes c WHERE c.connection_id = sync_state.connection_id AND c.at < $1)",
    )
    .bind(before)
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "DELETE FROM mirror_changes WHERE seq <= (SELECT s.changes_floor FROM sync_state s \
         WHERE s.connection_id = mirror_changes.connection_id)",
    )
    .execute(&db.pool)
    .await?;
    Ok(())
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
