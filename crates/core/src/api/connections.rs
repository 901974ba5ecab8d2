//! ATS connections: connect, relink, the connection as listed, its sync, and
//! a team's request for an ATS Sourcebar does not support yet.

use crate::connection_settings::ConnectionSettings;
use serde::{Deserialize, Serialize};

/// `POST /v1/connections` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConnection {
    /// A provider id from `GET /v1/providers` (`jazzhr`).
    pub provider: String,
    /// What the team calls it; the provider's name when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// The one secret: validated against the ATS, then sealed, never shown again.
    pub api_key: String,
    /// The provider's other, non-secret fields (`GET /v1/providers` lists
    /// them): a missing required one is refused, naming it.
    #[serde(default)]
    pub settings: ConnectionSettings,
    /// The API root as the provider's docs write it (a sandbox, a region).
    #[serde(default)]
    pub base_url: Option<String>,
}

/// `PUT /v1/connections/{id}/key` body: relink with a new key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewKey {
    pub api_key: String,
}

/// A connection as answered (`GET /v1/connections` and every write to one):
/// never its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionView {
    pub id: String,
    /// The provider's id (`jazzhr`), as in `GET /v1/providers`.
    pub provider: String,
    #[serde(default)]
    pub name: String,
    /// `connected`, `error` or `deactivated`.
    pub status: String,
    #[serde(default)]
    pub is_default: bool,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub last_sync_at: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
    /// The key is write-only: only its last characters are ever shown.
    #[serde(default)]
    pub key_hint: String,
    #[serde(default)]
    pub base_url: Option<String>,
    /// The non-secret settings it was connected with.
    #[serde(default)]
    pub settings: ConnectionSettings,
}

/// `POST /v1/connections/{id}/test` answer when the key still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionTest {
    pub ok: bool,
}

/// `GET /v1/connections/{id}/sync` (and the `202` of a sync request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    /// `idle` (also before the first sync), `running` or `failed`.
    pub state: String,
    /// Mirrored records read in detail.
    pub done: i64,
    /// Mirrored records.
    pub total: i64,
    /// A full sync finished at least once.
    pub complete: bool,
    /// A sync was asked for and has not started yet.
    pub requested: bool,
    /// RFC 3339, UTC.
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    /// What the mirror holds.
    #[serde(default)]
    pub counts: SyncCounts,
    /// When jobs and applications next refresh (RFC 3339, UTC); `None` for a
    /// deactivated connection, which does not sync.
    #[serde(default)]
    pub next_run_at: Option<String>,
    /// When jobs and applications last refreshed (RFC 3339, UTC).
    #[serde(default)]
    pub jobs_synced_at: Option<String>,
    /// Why the last refresh of jobs failed, in words (`None`: it worked).
    #[serde(default)]
    pub jobs_error: Option<String>,
    /// While a first sync runs: about how many seconds the records still
    /// to read take at the connection's rate budget.
    #[serde(default)]
    pub first_sync_eta_secs: Option<i64>,
}

/// How many records a connection's mirror holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncCounts {
    pub candidates: i64,
    pub jobs: i64,
    pub applications: i64,
}

/// `POST /v1/integration-requests` body: an ATS the team wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationRequest {
    pub provider_name: String,
}

/// `POST /v1/integration-requests` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationRequested {
    pub id: String,
    pub provider_name: String,
}

/// `POST /v1/connect-links` body: a link for whoever holds this provider's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConnectLink {
    pub provider: String,
}

/// Where a connect link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConnectLinkState {
    /// Waiting for the ATS admin.
    Open,
    /// The ATS was connected through it.
    Used,
    Revoked,
    Expired,
}

/// A connect link as its team's admins see it ("ask your ATS admin").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectLinkView {
    pub id: String,
    pub provider: String,
    pub state: ConnectLinkState,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339: seven days after it was made.
    pub expires_at: String,
    /// The connection it made, once used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The link to send, in the answer that made it only (only its hash is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
