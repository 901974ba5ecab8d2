//! Who is calling: the bearer token, checked on every `/v1` call.

use crate::error::AppError;
use crate::state::AppState;
use crate::tokens;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use sourcebar_core::ErrorCode;
use sqlx::Row;

/// A team member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Member,
}

impl Role {
    /// From the stored text.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: String,
    pub team_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl AuthUser {
    /// How the user is named in notes: their name, else their email.
    pub fn name_or_email(&self) -> String {
        if self.name.trim().is_empty() {
            self.email.clone()
        } else {
            format!("{} <{}>", self.name.trim(), self.email)
        }
    }

    /// Refuses callers who are not admins.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(AppError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(AppError::unauthorized)?;
        let hash = tokens::hash(token);
        let row = sqlx::query(
            "SELECT t.hash, u.id, u.team_id, u.email, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.hash = $1 AND t.revoked_at IS NULL AND u.removed_at IS NULL",
        )
        .bind(&hash)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(AppError::unauthorized)?;
        let stored: String = row.try_get("hash")?;
        if !tokens::same_hash(&stored, &hash) {
            return Err(AppError::unauthorized());
        }
        if !state.allow_token_request(&hash) {
            return Err(AppError::new(
                ErrorCode::RateLimited,
                "Too many requests; slow down.",
            ));
        }
        let role: String = row.try_get("role")?;
        Ok(AuthUser {
            user_id: row.try_get("id")?,
            team_id: row.try_get("team_id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: Role::parse(&role).ok_or_else(|| AppError::internal("auth", "unknown role"))?,
        })
    }
}
