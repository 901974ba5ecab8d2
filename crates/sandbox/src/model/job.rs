//! Jobs (openings, postings, requisitions) and a person's applications to them.

use super::{Id, Timestamp};
use serde::Serialize;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Open,
    /// Paused: not hiring for now, not closed (JazzHR's "On Hold"; an ATS
    /// without such a state shows it as closed).
    OnHold,
    Closed,
    Draft,
    Archived,
}

/// A job.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: Id,
    pub title: String,
    pub department: String,
    /// A city, or "Remote".
    pub location: String,
    pub status: JobStatus,
    /// Hidden from everyone but its hiring team.
    pub confidential: bool,
    /// Internal only: never published on job boards (JazzHR's `private`).
    pub private: bool,
}

/// A step of the hiring pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub id: u32,
    pub name: String,
}

impl Stage {
    /// The first step, where every application starts.
    pub fn first() -> Self {
        Stage {
            id: 1,
            name: "New".into(),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Active,
    Rejected,
    Hired,
}

/// A person considered for a job (one per person and job).
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: Id,
    pub person: Id,
    pub job: Id,
    pub stage: Stage,
    pub status: ApplicationStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
