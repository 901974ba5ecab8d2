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

/// Every job's pipeline, in order (the sandbox gives all jobs the same one).
pub const PIPELINE: &[&str] = &["New", "Phone screen", "Interview", "Offer", "Hired"];

impl Stage {
    /// The first step, where every application starts.
    pub fn first() -> Self {
        Stage {
            id: 1,
            name: "New".into(),
        }
    }

    /// The pipeline's stage called `name` (any case); `None` if there is none.
    pub fn named(name: &str) -> Option<Self> {
        PIPELINE
            .iter()
            .zip(1u32..)
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(n, id)| Stage {
                id,
                name: (*n).to_string(),
            })
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Active,
    Rejected,
    Hired,
    /// The person stepped back.
    Withdrawn,
}

impl ApplicationStatus {
    /// The status named `word` (`active`, `rejected`, `hired`, `withdrawn`).
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "active" => Some(ApplicationStatus::Active),
            "rejected" => Some(ApplicationStatus::Rejected),
            "hired" => Some(ApplicationStatus::Hired),
            "withdrawn" => Some(ApplicationStatus::Withdrawn),
            _ => None,
        }
    }
}

impl JobStatus {
    /// The status named `word` (`open`, `on_hold`, `closed`, `draft`, `archived`).
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "open" => Some(JobStatus::Open),
            "on_hold" => Some(JobStatus::OnHold),
            "closed" => Some(JobStatus::Closed),
            "draft" => Some(JobStatus::Draft),
            "archived" => Some(JobStatus::Archived),
            _ => None,
        }
    }
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
