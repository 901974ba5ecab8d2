//! The bearer token on every `/v1` call, turned into the member it
//! belongs to.

use crate::app::auth::AuthUser;
use crate::app::auth::Role;
use crate::app::tokens;
use crate::error::AppError;
use crate::state::AppState;
use crate::storage;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sourcebar_core::ErrorCode;

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ip = crate::http::client_ip(parts);
        // An address that keeps presenting bad tokens is turned away before
        // any lookup, for a minute.
        state.unauthenticated_budget_left(ip)?;
        let refused = || {
            state.count_unauthenticated(ip);
            AppError::unauthorized()
        };
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(refused)?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(refused)?;
        let hash = tokens::hash(token);
        let holder = storage::tokens::holder(&state.db, &hash)
            .await?
            .ok_or_else(refused)?;
        if !tokens::same_hash(&holder.hash, &hash) {
            return Err(refused());
        }
        if !state.allow_token_request(&hash) {
            return Err(AppError::new(
                ErrorCode::RateLimited,
                "Too many requests; slow down.",
            ));
        }
        Ok(AuthUser {
            role: Role::parse(&holder.role)
                .ok_or_else(|| AppError::internal("auth", "unknown role"))?,
            user_id: holder.user_id,
            team_id: holder.team_id,
            email: holder.email,
            name: holder.name,
        })
    }
}
