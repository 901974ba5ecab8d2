//! The account's users: who writes notes and makes changes (Greenhouse and
//! Lever need one to write on behalf of).

use super::{Id, Timestamp};
use serde::Serialize;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Recruiter,
}

/// A user of the ATS account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
    pub created_at: Timestamp,
}

impl User {
    /// The account's owner, there before any other record.
    pub fn owner() -> Self {
        User {
            id: Id::OWNER,
            first_name: "Sandbox".into(),
            last_name: "Admin".into(),
            email: "admin@sandbox.invalid".into(),
            role: Role::Admin,
            created_at: Timestamp::at_day("2016-01-01"),
        }
    }
}
