//! The audit log as `GET /v1/audit` answers it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One audit entry: who did what, when, to which record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Pass it as `before` for the next page.
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub user_id: Option<String>,
    /// The actor's name, else their email.
    pub user_name: Option<String>,
    /// `upload`, `merge`, `connect`, `relink`, `deactivate`, `delete`, …
    pub action: String,
    pub connection_id: Option<String>,
    pub candidate_id: Option<String>,
    /// The candidate's name from the mirror (or as recorded at upload).
    pub candidate_name: Option<String>,
    /// The candidate's page in the ATS, when the mirror knows it.
    pub candidate_url: Option<String>,
    /// What the action recorded (names and ids, never a secret).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: Value,
}
