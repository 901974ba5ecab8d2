//! Who is calling: a member of a team, with a role (the bearer token that
//! proves it is checked in `http::auth`).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

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
