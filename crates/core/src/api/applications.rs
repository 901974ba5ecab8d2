//! A candidate's applications to jobs, as `/v1/dedupe` matches and
//! `GET /v1/candidates/{ats_id}/applications` carry them.

use serde::{Deserialize, Serialize};

/// Where an application stands, in words every ATS maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Still in the pipeline.
    Active,
    Rejected,
    Hired,
    /// The candidate stepped back.
    Withdrawn,
    /// The ATS says something none of the above covers.
    #[serde(other)]
    Other,
}

impl ApplicationStatus {
    /// The word on the wire and in the companion's mirror (`"active"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Active => "active",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Hired => "hired",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Other => "other",
        }
    }

    /// The status named `word`; anything unknown is `Other`.
    pub fn parse(word: &str) -> Self {
        [
            ApplicationStatus::Active,
            ApplicationStatus::Rejected,
            ApplicationStatus::Hired,
            ApplicationStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
        .unwrap_or(ApplicationStatus::Other)
    }
}

/// One application of a candidate to a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: String,
    #[serde(default)]
    pub job_id: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    /// The pipeline stage's name as the ATS shows it ("Phone screen").
    #[serde(default)]
    pub stage: Option<String>,
    pub status: ApplicationStatus,
    /// RFC 3339, when the ATS last changed it (where it says).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Where it opens in the ATS's web app.
    #[serde(default)]
    pub ats_url: Option<String>,
    /// True when this comes from the companion's mirror because the ATS did
    /// not answer in time: it may be out of date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_the_contract_does_not_know_reads_as_other() {
        let a: Application = serde_json::from_value(serde_json::json!({
            "id": "1", "status": "on_hold"
        }))
        .unwrap();
        assert_eq!(a.status, ApplicationStatus::Other);
        assert_eq!(ApplicationStatus::parse("hired"), ApplicationStatus::Hired);
        assert_eq!(ApplicationStatus::parse("?"), ApplicationStatus::Other);
        let fresh = serde_json::to_value(&a).unwrap();
        assert!(fresh.get("stale").is_none(), "only a stale answer says so");
    }
}
