//! The team's audit log as admins read it.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::audit::{self, Filter, Logged};

/// Longest action name accepted as a filter.
const MAX_ACTION: usize = 40;

/// A page of the team's audit log, newest first: at most `limit` entries
/// (1..=200, 50 by default), older than `before`, of one user and one
/// action when given.
pub async fn page(
    state: &AppState,
    team_id: &str,
    limit: Option<i64>,
    before: Option<i64>,
    user_id: Option<&str>,
    action: Option<&str>,
) -> AppResult<Vec<Logged>> {
    let limit = limit.unwrap_or(50).clamp(1, 200);
    if action.is_some_and(|a| {
        a.len() > MAX_ACTION || !a.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    }) {
        return Err(AppError::invalid("action is not a known action name."));
    }
    let filter = Filter {
        team_id,
        before: before.unwrap_or(i64::MAX),
        user_id,
        action,
        limit,
    };
    Ok(audit::page(&state.db, &filter).await?)
}
