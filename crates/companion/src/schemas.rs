//! OpenAPI schemas of the core's answer types (`sourcebar_core` has no I/O
//! and no OpenAPI dependency, so their documented shapes live here). A test
//! (`dedupe_answer_matches_its_openapi_schema`) checks every key a real
//! dedupe answer carries is documented, so the two cannot drift apart.
#![allow(dead_code)]

use utoipa::ToSchema;

/// `POST /v1/dedupe` answer.
#[derive(ToSchema)]
pub struct DedupeResponse {
    /// `exact` (same email or LinkedIn URL), `possible` (similar name) or `none`.
    #[schema(example = "exact")]
    pub verdict: String,
    /// Ranked by score, at most 10.
    pub matches: Vec<DedupeMatch>,
    /// False while the first sync of the mirror is still running: the answer
    /// then also comes from a bounded live check of the ATS.
    pub mirror_complete: bool,
}

/// One potential duplicate.
#[derive(ToSchema)]
pub struct DedupeMatch {
    pub connection_id: String,
    pub candidate: Candidate,
    /// 0..1, higher is surer.
    pub score: f64,
    /// Why this candidate may be the person, in words.
    pub reasons: Vec<Reason>,
    /// The team's uploads and merges of this candidate on this connection
    /// through Sourcebar (from the audit log), newest first, at most 5.
    pub history: Vec<TeamEvent>,
}

/// What a teammate did with a candidate through Sourcebar.
#[derive(ToSchema)]
pub struct TeamEvent {
    /// `uploaded` or `merged`.
    #[schema(example = "uploaded")]
    pub action: String,
    /// The teammate's name (or email when they gave no name).
    #[schema(example = "Sam Sourcer")]
    pub by: String,
    /// RFC 3339, UTC.
    #[schema(example = "2026-12-04T09:30:00Z")]
    pub at: String,
}

/// Why a candidate may be the person on the page.
#[derive(ToSchema)]
pub struct Reason {
    /// `email`, `profile_url`, `name`, `company`, `title`, `location` or `phone`.
    pub kind: String,
    /// English detail ("similar name — 93%"); the sidebar words it per language.
    pub detail: String,
    /// For a name: the similarity in percent.
    pub percent: Option<u8>,
    /// This field's contribution to the match weight (log2 odds).
    pub weight: Option<f64>,
}

/// A candidate as the ATS holds it.
#[derive(ToSchema)]
pub struct Candidate {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub profile_url: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    /// A link that opens this record in the ATS's web app.
    pub ats_url: Option<String>,
    /// When the ATS says the record was created.
    pub created_at: Option<String>,
}
