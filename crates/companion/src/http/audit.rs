//! `GET /v1/audit` (admins): newest first, paged with `before`.

use crate::auth::AuthUser;
use crate::db::rfc3339;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/audit", get(list))
}

#[derive(Deserialize)]
struct Page {
    limit: Option<i64>,
    /// The `id` of the last entry of the previous page.
    before: Option<i64>,
}

#[utoipa::path(get, path = "/v1/audit", responses((status = 200), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    Query(page): Query<Page>,
) -> AppResult<Json<Value>> {
    user.require_admin()?;
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    let rows = sqlx::query(
        "SELECT id, at, user_id, action, connection_id, candidate_id, detail FROM audit \
         WHERE team_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(&user.team_id)
    .bind(page.before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&state.db.pool)
    .await?;
    let list: Result<Vec<Value>, sqlx::Error> = rows
        .iter()
        .map(|r| {
            let detail: String = r.try_get("detail")?;
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "at": rfc3339(r.try_get("at")?),
                "user_id": r.try_get::<Option<String>, _>("user_id")?,
                "action": r.try_get::<String, _>("action")?,
                "connection_id": r.try_get::<Option<String>, _>("connection_id")?,
                "candidate_id": r.try_get::<Option<String>, _>("candidate_id")?,
                "detail": serde_json::from_str::<Value>(&detail).unwrap_or(Value::Null),
            }))
        })
        .collect();
    Ok(Json(Value::Array(list?)))
}
