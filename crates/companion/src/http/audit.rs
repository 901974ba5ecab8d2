//! `GET /v1/audit` (admins): newest first, paged with `before`, filtered by
//! person (`user_id`) and by `action`; each entry names its actor and, where
//! the mirror knows it, its candidate, so the page can write one sentence.

use crate::app::audit;
use crate::app::auth::AuthUser;
use crate::error::AppResult;
use crate::http::ApiQuery;
use crate::state::AppState;
use crate::storage::db::rfc3339;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sourcebar_core::api::audit::AuditEntry;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/audit", get(list))
}

/// The query string of `GET /v1/audit`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// At most this many entries (1..=200, 50 by default).
    limit: Option<i64>,
    /// The `id` of the last entry of the previous page.
    before: Option<i64>,
    /// Only what this user did.
    user_id: Option<String>,
    /// Only this action (`upload`, `merge`, `connect`, `relink`, …).
    action: Option<String>,
}

#[utoipa::path(get, path = "/v1/audit", params(AuditQuery),
    responses((status = 200, body = [AuditEntry]), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    user.require_admin()?;
    let entries = audit::page(
        &state,
        &user.team_id,
        q.limit,
        q.before,
        q.user_id.as_deref(),
        q.action.as_deref(),
    )
    .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntry {
                id: e.id,
                at: rfc3339(e.at),
                user_id: e.user_id,
                user_name: e.user_name,
                action: e.action,
                connection_id: e.connection_id,
                candidate_id: e.candidate_id,
                candidate_name: e.candidate_name,
                candidate_url: e.candidate_url,
                detail: e.detail,
            })
            .collect(),
    ))
}
