//! The audit log: who did what, when, to which connection and record.

use crate::storage::db::{now_ms, rfc3339, Db};
use crate::storage::{distinct, placeholders};
use serde_json::Value;
use sourcebar_core::matching::{TeamAction, TeamEvent};
use sqlx::Row;
use std::collections::HashMap;

/// One entry to record.
pub struct Entry<'a> {
    pub team_id: &'a str,
    pub user_id: Option<&'a str>,
    pub action: &'a str,
    pub connection_id: Option<&'a str>,
    pub candidate_id: Option<&'a str>,
    pub detail: Value,
}

/// Records an entry. Never given a secret: callers pass names and ids only.
pub async fn record(db: &Db, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (team_id, at, user_id, action, connection_id, candidate_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.team_id)
    .bind(now_ms())
    .bind(entry.user_id)
    .bind(entry.action)
    .bind(entry.connection_id)
    .bind(entry.candidate_id)
    .bind(entry.detail.to_string())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Records what an authenticated user did in their team.
pub async fn by_user(
    db: &Db,
    user: &crate::app::auth::AuthUser,
    action: &str,
    connection_id: Option<&str>,
    candidate_id: Option<&str>,
    detail: Value,
) -> Result<(), sqlx::Error> {
    record(
        db,
        Entry {
            team_id: &user.team_id,
            user_id: Some(&user.user_id),
            action,
            connection_id,
            candidate_id,
            detail,
        },
    )
    .await
}

/// Most team events shown per match.
pub const HISTORY_PER_MATCH: usize = 5;

/// The uploads and merges the team made of each `(connection_id,
/// candidate_id)`, newest first, at most [`HISTORY_PER_MATCH`] each, with the
/// actor's display name: one indexed query for a whole dedupe answer.
pub async fn history(
    db: &Db,
    team_id: &str,
    candidates: &[(&str, &str)],
) -> Result<HashMap<(String, String), Vec<TeamEvent>>, sqlx::Error> {
    let mut out: HashMap<(String, String), Vec<TeamEvent>> = HashMap::new();
    if candidates.is_empty() {
        return Ok(out);
    }
    let connections = distinct(candidates.iter().map(|(c, _)| *c));
    let ids = distinct(candidates.iter().map(|(_, id)| *id));
    // $1 is the team; then the connections, then the candidates.
    let sql = format!(
        "SELECT a.connection_id, a.candidate_id, a.action, a.at, u.name, u.email \
         FROM audit a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.team_id = $1 AND a.connection_id IN ({}) AND a.candidate_id IN ({}) \
         AND a.action IN ('upload', 'merge') ORDER BY a.id DESC",
        placeholders(2, connections.len()),
        placeholders(2 + connections.len(), ids.len()),
    );
    let mut query = sqlx::query(&sql).bind(team_id);
    for value in connections.iter().chain(&ids) {
        query = query.bind(*value);
    }
    for row in query.fetch_all(&db.pool).await? {
        let connection: Option<String> = row.try_get("connection_id")?;
        let candidate: Option<String> = row.try_get("candidate_id")?;
        let (Some(connection), Some(candidate)) = (connection, candidate) else {
            continue;
        };
        if !candidates
            .iter()
            .any(|(c, id)| *c == connection && *id == candidate)
        {
            continue;
        }
        let events = out.entry((connection, candidate)).or_default();
        if events.len() >= HISTORY_PER_MATCH {
            continue;
        }
        let action = match row.try_get::<String, _>("action")?.as_str() {
            "upload" => TeamAction::Uploaded,
            _ => TeamAction::Merged,
        };
        events.push(TeamEvent {
            action,
            by: display_name(
                row.try_get::<Option<String>, _>("name")?,
                row.try_get::<Option<String>, _>("email")?,
            ),
            at: rfc3339(row.try_get("at")?),
        });
    }
    Ok(out)
}

/// A user's name, else their email (empty for a user no longer on record).
pub fn display_name(name: Option<String>, email: Option<String>) -> String {
    name.filter(|n| !n.trim().is_empty())
        .or(email)
        .unwrap_or_default()
}

/// Which audit entries to read: a team's, older than `before`, optionally
/// of one user and one action, at most `limit`.
pub struct Filter<'a> {
    pub team_id: &'a str,
    pub before: i64,
    pub user_id: Option<&'a str>,
    pub action: Option<&'a str>,
    pub limit: i64,
}

/// One audit entry, with its actor's and its candidate's names.
pub struct Logged {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<String>,
    /// The actor's name, else their email.
    pub user_name: Option<String>,
    pub action: String,
    pub connection_id: Option<String>,
    pub candidate_id: Option<String>,
    /// The candidate's name from the mirror, else as recorded at upload.
    pub candidate_name: Option<String>,
    /// The candidate's page in the ATS, when the mirror knows it.
    pub candidate_url: Option<String>,
    pub detail: Value,
}

/// A page of a team's audit log, newest first.
pub async fn page(db: &Db, filter: &Filter<'_>) -> Result<Vec<Logged>, sqlx::Error> {
    // $1 the team, $2 the page's end; then each filter given; the limit last.
    let mut filters = String::new();
    let mut next = 3;
    for (given, column) in [
        (filter.user_id.is_some(), "a.user_id"),
        (filter.action.is_some(), "a.action"),
    ] {
        if given {
            filters += &[" AND ", column, " = $", &next.to_string()].concat();
            next += 1;
        }
    }
    let sql = format!(
        "SELECT a.id, a.at, a.user_id, a.action, a.connection_id, a.candidate_id, a.detail, \
         u.name AS user_name, u.email AS user_email, \
         m.first_name AS m_first, m.last_name AS m_last, m.ats_url AS m_url \
         FROM audit a LEFT JOIN users u ON u.id = a.user_id \
         LEFT JOIN mirror m ON m.connection_id = a.connection_id AND m.ats_id = a.candidate_id \
         WHERE a.team_id = $1 AND a.id < $2{filters} ORDER BY a.id DESC LIMIT ${next}"
    );
    let mut query = sqlx::query(&sql).bind(filter.team_id).bind(filter.before);
    if let Some(u) = filter.user_id {
        query = query.bind(u);
    }
    if let Some(a) = filter.action {
        query = query.bind(a);
    }
    let rows = query.bind(filter.limit).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let detail: String = r.try_get("detail")?;
            let detail = serde_json::from_str::<Value>(&detail).unwrap_or(Value::Null);
            let user_id: Option<String> = r.try_get("user_id")?;
            let user_name = user_id.as_ref().map(|_| {
                display_name(
                    r.try_get("user_name").ok().flatten(),
                    r.try_get("user_email").ok().flatten(),
                )
            });
            let mirrored = match (
                r.try_get::<Option<String>, _>("m_first")?,
                r.try_get::<Option<String>, _>("m_last")?,
            ) {
                (Some(f), Some(l)) => Some(format!("{f} {l}").trim().to_string()),
                _ => None,
            };
            let candidate_id: Option<String> = r.try_get("candidate_id")?;
            // An upload records the name it sent; other entries name no candidate.
            let candidate_name = candidate_id.as_ref().and_then(|_| {
                mirrored
                    .filter(|n| !n.is_empty())
                    .or_else(|| detail["name"].as_str().map(String::from))
            });
            Ok(Logged {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                user_id,
                user_name,
                action: r.try_get("action")?,
                connection_id: r.try_get("connection_id")?,
                candidate_id,
                candidate_name,
                candidate_url: r.try_get("m_url")?,
                detail,
            })
        })
        .collect()
}
