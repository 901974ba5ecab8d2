//! Teams, their members and their invites.

use crate::storage::db::{Backend, Db};
use sqlx::{AnyConnection, Row};

/// A team's name.
pub async fn team_name(db: &Db, team_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT name FROM teams WHERE id = $1")
        .bind(team_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("name")
}

/// A new invite, stored by the hash of its code.
pub struct NewInvite<'a> {
    pub code_hash: &'a str,
    pub id: &'a str,
    pub team_id: &'a str,
    pub role: &'a str,
    pub created_by: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores an invite.
pub async fn insert_invite(db: &Db, invite: &NewInvite<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invites (code_hash, id, team_id, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(invite.code_hash)
    .bind(invite.id)
    .bind(invite.team_id)
    .bind(invite.role)
    .bind(invite.created_by)
    .bind(invite.created_at)
    .bind(invite.expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An invite still waiting for its person.
pub struct OpenInvite {
    pub id: String,
    pub role: String,
    pub expires_at: i64,
    pub created_at: i64,
}

/// A team's invites that are neither used, revoked nor expired, newest first.
pub async fn open_invites(
    db: &Db,
    team_id: &str,
    now: i64,
) -> Result<Vec<OpenInvite>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, role, expires_at, created_at FROM invites WHERE team_id = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
    )
    .bind(team_id)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OpenInvite {
                id: r.try_get("id")?,
                role: r.try_get("role")?,
                expires_at: r.try_get("expires_at")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Revokes one unused invite of a team; false when there was none.
pub async fn revoke_invite(
    db: &Db,
    id: &str,
    team_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE invites SET revoked_at = $1 WHERE id = $2 AND team_id = $3 AND used_at IS NULL AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(team_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() != 0)
}

/// The invite a code opened.
pub struct ClaimedInvite {
    pub id: String,
    pub team_id: String,
    pub role: String,
}

/// Marks the usable invite with this code hash as used, in one statement;
/// none when the code is unknown, used, revoked or expired.
pub async fn claim_invite(
    conn: &mut AnyConnection,
    code_hash: &str,
    now: i64,
) -> Result<Option<ClaimedInvite>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3 \
         RETURNING id, team_id, role",
    )
    .bind(now)
    .bind(code_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ClaimedInvite {
            id: r.try_get("id")?,
            team_id: r.try_get("team_id")?,
            role: r.try_get("role")?,
        })
    })
    .transpose()
}

/// A new member of a team.
pub struct NewMember<'a> {
    pub id: &'a str,
    pub team_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub created_at: i64,
}

/// Adds a member unless the email already belongs to a member of the team
/// (the unique (team, email) index decides); true when added.
pub async fn insert_member_unless_present(
    conn: &mut AnyConnection,
    member: &NewMember<'_>,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO users (id, team_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (team_id, email) WHERE removed_at IS NULL DO NOTHING",
    )
    .bind(member.id)
    .bind(member.team_id)
    .bind(member.email)
    .bind(member.name)
    .bind(member.role)
    .bind(member.created_at)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A user's stored role, removed or not.
pub async fn stored_role(conn: &mut AnyConnection, user_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await?
        .try_get("role")
}

/// A member as listed to admins.
pub struct Member {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub created_at: i64,
}

/// A team's current members, oldest first.
pub async fn members(db: &Db, team_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, email, name, role, created_at FROM users WHERE team_id = $1 AND removed_at IS NULL ORDER BY created_at")
        .bind(team_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                name: r.try_get("name")?,
                role: r.try_get("role")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Serialises every membership change of a team on PostgreSQL (a row lock
/// on the team until the transaction ends), so a conditional update then
/// sees another admin's committed removal. SQLite needs nothing: it takes
/// its single write lock at the update itself.
pub async fn lock_team_membership(
    conn: &mut AnyConnection,
    backend: Backend,
    team_id: &str,
) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM teams WHERE id = $1 FOR UPDATE")
            .bind(team_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Removes a member in one statement that also checks the rules: the
/// caller is still an admin of the team, and an admin goes only while
/// another admin stays. True when removed.
pub async fn remove_member_if_allowed(
    conn: &mut AnyConnection,
    member_id: &str,
    team_id: &str,
    caller_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query(
        "UPDATE users SET removed_at = $1 WHERE id = $2 AND team_id = $3 AND removed_at IS NULL \
         AND EXISTS (SELECT 1 FROM users c WHERE c.id = $4 AND c.team_id = $3 AND c.role = 'admin' AND c.removed_at IS NULL) \
         AND (role <> 'admin' OR (SELECT COUNT(*) FROM users a WHERE a.team_id = $3 AND a.role = 'admin' AND a.removed_at IS NULL) > 1)",
    )
    .bind(now)
    .bind(member_id)
    .bind(team_id)
    .bind(caller_id)
    .execute(conn)
    .await?;
    Ok(removed.rows_affected() == 1)
}

/// A user's role while they are a member; none once removed.
pub async fn current_role(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT role FROM users WHERE id = $1 AND removed_at IS NULL")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.try_get("role")).transpose()
}

/// Whether a user is a current member of the team.
pub async fn is_member(
    conn: &mut AnyConnection,
    user_id: &str,
    team_id: &str,
) -> Result<bool, sqlx::Error> {
    let target = sqlx::query(
        "SELECT 1 AS one FROM users WHERE id = $1 AND team_id = $2 AND removed_at IS NULL",
    )
    .bind(user_id)
    .bind(team_id)
    .fetch_optional(conn)
    .await?;
    Ok(target.is_some())
}

/// The ids of the teams with this name (`None`: of every team).
pub async fn team_ids(db: &Db, name: Option<&str>) -> Result<Vec<String>, sqlx::Error> {
    let rows = match name {
        Some(name) => {
            sqlx::query("SELECT id FROM teams WHERE name = $1")
                .bind(name)
                .fetch_all(&db.pool)
                .await
        }
        None => {
            sqlx::query("SELECT id FROM teams")
                .fetch_all(&db.pool)
                .await
        }
    }?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// The id of the first team found with this name.
pub async fn team_id_named(db: &Db, name: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM teams WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Stores a new team.
pub async fn insert_team(db: &Db, id: &str, name: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The id of the team's current member with this email.
pub async fn member_id_by_email(
    db: &Db,
    team_id: &str,
    email: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id FROM users WHERE team_id = $1 AND email = $2 AND removed_at IS NULL",
    )
    .bind(team_id)
    .bind(email)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Stores a new admin of a team.
pub async fn insert_admin(
    db: &Db,
    id: &str,
    team_id: &str,
    email: &str,
    name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO users (id, team_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, 'admin', $5)")
        .bind(id)
        .bind(team_id)
        .bind(email)
        .bind(name)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}
