//! Imports and their rows, as stored.

use crate::storage::db::Db;
use sqlx::any::AnyRow;
use sqlx::Row;

/// An import as stored.
#[derive(Debug, Clone)]
pub struct Import {
    pub id: String,
    pub team_id: String,
    pub user_id: String,
    /// JSON list of file names.
    pub files: String,
    pub state: String,
    pub rows_total: i64,
    pub checked: i64,
    pub created_at: i64,
}

/// A row to store: its place, where it came from, and what it reads as.
pub struct NewRow {
    pub row_no: i64,
    /// JSON [`sourcebar_core::api::imports::RowSource`].
    pub source: String,
    /// JSON profile, or `None` for an invalid row.
    pub profile: Option<String>,
    /// JSON row error, for an invalid row.
    pub error: Option<String>,
    pub duplicate_of: Option<i64>,
}

/// A row as stored.
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub row_no: i64,
    pub source: String,
    pub profile: Option<String>,
    pub error: Option<String>,
    pub duplicate_of: Option<i64>,
    pub verdict: Option<String>,
    pub matches: Option<String>,
    pub state: String,
    /// `upload` or `merge`, once chosen.
    pub action: Option<String>,
    /// The fixed request body (JSON), once chosen.
    pub request: Option<String>,
    pub upload_id: Option<String>,
    pub candidate_id: Option<String>,
    pub last_error: Option<String>,
}

const ROW_COLUMNS: &str = "row_no, source, profile, error, duplicate_of, verdict, matches, state, action, request, upload_id, candidate_id, last_error";

fn stored_row(r: &AnyRow) -> Result<StoredRow, sqlx::Error> {
    Ok(StoredRow {
        row_no: r.try_get("row_no")?,
        source: r.try_get("source")?,
        profile: r.try_get("profile")?,
        error: r.try_get("error")?,
        duplicate_of: r.try_get("duplicate_of")?,
        verdict: r.try_get("verdict")?,
        matches: r.try_get("matches")?,
        state: r.try_get("state")?,
        action: r.try_get("action")?,
        request: r.try_get("request")?,
        upload_id: r.try_get("upload_id")?,
        candidate_id: r.try_get("candidate_id")?,
        last_error: r.try_get("last_error")?,
    })
}

/// Stores an import and all its rows in one transaction; an invalid row is
/// checked already (`invalid`).
pub async fn insert(db: &Db, import: &Import, rows: &[NewRow]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO imports (id, team_id, user_id, files, state, rows_total, checked, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(&import.id)
        .bind(&import.team_id)
        .bind(&import.user_id)
        .bind(&import.files)
        .bind(&import.state)
        .bind(import.rows_total)
        .bind(import.checked)
        .bind(import.created_at)
        .bind(import.created_at)
        .execute(&mut *tx)
        .await?;
    for row in rows {
        let verdict = row.profile.is_none().then_some("invalid");
        sqlx::query("INSERT INTO import_rows (import_id, row_no, source, profile, error, duplicate_of, verdict, state) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')")
            .bind(&import.id)
            .bind(row.row_no)
            .bind(&row.source)
            .bind(&row.profile)
            .bind(&row.error)
            .bind(row.duplicate_of)
            .bind(verdict)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// An import of `team_id`.
pub async fn get(db: &Db, team_id: &str, id: &str) -> Result<Option<Import>, sqlx::Error> {
    sqlx::query("SELECT id, team_id, user_id, files, state, rows_total, checked, created_at FROM imports WHERE id = $1 AND team_id = $2")
        .bind(id)
        .bind(team_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| {
            Ok(Import {
                id: r.try_get("id")?,
                team_id: r.try_get("team_id")?,
                user_id: r.try_get("user_id")?,
                files: r.try_get("files")?,
                state: r.try_get("state")?,
                rows_total: r.try_get("rows_total")?,
                checked: r.try_get("checked")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
}

/// Sets an import's state.
pub async fn set_state(db: &Db, id: &str, state: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE imports SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Up to `limit` rows not checked yet, in order.
pub async fn unchecked(db: &Db, id: &str, limit: i64) -> Result<Vec<StoredRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ROW_COLUMNS} FROM import_rows WHERE import_id = $1 AND verdict IS NULL ORDER BY row_no LIMIT $2"))
        .bind(id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(stored_row)
        .collect()
}

/// Records the verdicts of checked rows and the import's progress, together.
pub async fn record_checks(
    db: &Db,
    id: &str,
    checks: &[(i64, &str, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for (row_no, verdict, matches) in checks {
        sqlx::query("UPDATE import_rows SET verdict = $1, matches = $2 WHERE import_id = $3 AND row_no = $4")
            .bind(*verdict)
            .bind(matches)
            .bind(id)
            .bind(*row_no)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE imports SET checked = (SELECT COUNT(*) FROM import_rows WHERE import_id = $1 AND verdict IS NOT NULL), updated_at = $2 WHERE id = $3")
        .bind(id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Rows in order after `after`, of one verdict or all.
pub async fn rows(
    db: &Db,
    id: &str,
    verdict: Option<&str>,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredRow>, sqlx::Error> {
    let filter = if verdict.is_some() {
        "AND verdict = $4"
    } else {
        ""
    };
    let sql = format!("SELECT {ROW_COLUMNS} FROM import_rows WHERE import_id = $1 AND row_no > $2 {filter} ORDER BY row_no LIMIT $3");
    let mut q = sqlx::query(&sql).bind(id).bind(after).bind(limit);
    if let Some(v) = verdict {
        q = q.bind(v);
    }
    q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(stored_row)
        .collect()
}

/// The rows numbered `row_nos`.
pub async fn rows_numbered(
    db: &Db,
    id: &str,
    row_nos: &[i64],
) -> Result<Vec<StoredRow>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in row_nos.chunks(200) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM import_rows WHERE import_id = $1 AND row_no IN ({}) ORDER BY row_no",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(id);
        for n in chunk {
            q = q.bind(*n);
        }
        for r in q.fetch_all(&db.pool).await? {
            out.push(stored_row(&r)?);
        }
    }
    Ok(out)
}

/// Fixes a row's action and request, once: a row already chosen keeps the
/// first choice. Returns whether this call chose it.
pub async fn choose(
    db: &Db,
    id: &str,
    row_no: i64,
    action: &str,
    request: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE import_rows SET action = $1, request = $2, state = 'chosen', last_error = NULL WHERE import_id = $3 AND row_no = $4 AND (action IS NULL OR state = 'failed')")
        .bind(action)
        .bind(request)
        .bind(id)
        .bind(row_no)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks rows that are the same person as a chosen earlier row: skipped.
pub async fn skip_duplicates_of(db: &Db, id: &str, row_no: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE import_rows SET state = 'skipped' WHERE import_id = $1 AND duplicate_of = $2 AND action IS NULL")
        .bind(id)
        .bind(row_no)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Chosen rows still to send (or whose queued upload may have finished).
pub async fn to_send(db: &Db, id: &str) -> Result<Vec<StoredRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ROW_COLUMNS} FROM import_rows WHERE import_id = $1 AND state IN ('chosen', 'queued') ORDER BY row_no"))
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(stored_row)
        .collect()
}

/// Records what sending a row came to.
pub async fn record_outcome(
    db: &Db,
    id: &str,
    row_no: i64,
    state: &str,
    upload_id: Option<&str>,
    candidate_id: Option<&str>,
    last_error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE import_rows SET state = $1, upload_id = COALESCE($2, upload_id), candidate_id = COALESCE($3, candidate_id), last_error = $4 WHERE import_id = $5 AND row_no = $6")
        .bind(state)
        .bind(upload_id)
        .bind(candidate_id)
        .bind(last_error)
        .bind(id)
        .bind(row_no)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Counts of rows by verdict and by state.
pub async fn counts(db: &Db, id: &str) -> Result<Vec<(String, String, bool, i64)>, sqlx::Error> {
    sqlx::query("SELECT COALESCE(verdict, '') AS verdict, state, CASE WHEN duplicate_of IS NULL THEN 0 ELSE 1 END AS dup, COUNT(*) AS n FROM import_rows WHERE import_id = $1 GROUP BY verdict, state, CASE WHEN duplicate_of IS NULL THEN 0 ELSE 1 END")
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            let dup: i64 = r.try_get("dup")?;
            Ok((r.try_get("verdict")?, r.try_get("state")?, dup == 1, r.try_get("n")?))
        })
        .collect()
}

/// The importer, as the upload queue needs them: email, name, role.
pub async fn importer(
    db: &Db,
    user_id: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query("SELECT email, name, role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get("email")?, r.try_get("name")?, r.try_get("role")?)))
        .transpose()
}
