//! Who is calling, invites and members.

use serde::{Deserialize, Serialize};

/// A person of the team, as `GET /v1/me` names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: String,
    pub email: String,
    /// Empty until they give one.
    #[serde(default)]
    pub name: String,
}

/// A team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamView {
    pub id: String,
    pub name: String,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserView,
    pub team: TeamView,
    /// `admin` or `member`.
    pub role: String,
}

/// `POST /v1/invites` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvite {
    /// `member` (default) or `admin`.
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /v1/invites` answer: the code is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedInvite {
    pub code: String,
    pub id: String,
    pub role: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// One unused, unexpired invite (`GET /v1/invites`); never its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenInvite {
    pub id: String,
    pub role: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// `POST /v1/invites/{code}/accept` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acceptance {
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /v1/invites/{code}/accept` answer: the new member's token (shown
/// this once) and who they now are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Joined {
    pub token: String,
    pub user: UserView,
    pub team: TeamView,
    pub role: String,
}

/// One member of the team (`GET /v1/members`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub role: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}
