//! A Greenhouse candidate's applications (`GET /v3/applications?
//! candidate_ids=…`, v1's application object): the job, the current
//! stage while active, and the status (`active`, `rejected`, `hired`; a
//! rejection of type "They rejected us" is the candidate withdrawing).

use super::text;
use serde_json::Value;
use sourcebar_core::api::applications::{Application, ApplicationStatus};

/// One application row for `candidate_id` (rows of anyone else, or
/// prospects' job-less ones, are none).
pub(super) fn application(
    row: &Value,
    candidate_id: &str,
    ats_url: Option<&str>,
) -> Option<Application> {
    if text(row, "candidate_id").as_deref() != Some(candidate_id) {
        return None;
    }
    let job = row.get("jobs").and_then(Value::as_array)?.first()?;
    let status = match text(row, "status").as_deref().map(ApplicationStatus::parse) {
        Some(ApplicationStatus::Rejected) if withdrew(row) => ApplicationStatus::Withdrawn,
        Some(status) => status,
        None => ApplicationStatus::Other,
    };
    let stage = row
        .get("current_stage")
        .and_then(|s| text(s, "name"))
        .filter(|_| status == ApplicationStatus::Active);
    Some(Application {
        id: text(row, "id")?,
        job_id: text(job, "id"),
        job_title: text(job, "name"),
        stage,
        status,
        updated_at: text(row, "last_activity_at"),
        ats_url: ats_url.map(str::to_string),
        stale: false,
    })
}

/// Whether a rejection was the candidate's own choice (Greenhouse's
/// rejection reason types: "We rejected them", "They rejected us").
fn withdrew(row: &Value) -> bool {
    row.get("rejection_reason")
        .and_then(|r| r.get("type"))
        .and_then(|t| text(t, "name"))
        .is_some_and(|name| name.eq_ignore_ascii_case("they rejected us"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_application_says_its_job_stage_and_how_it_ended() {
        let row = |status: &str, reason: Value| {
            json!({"id": 9, "candidate_id": 7, "status": status, "rejection_reason": reason,
                "last_activity_at": "2026-01-02T03:04:05Z",
                "current_stage": {"id": 2, "name": "Phone screen"},
                "jobs": [{"id": 5, "name": "Backend"}]})
        };
        let active = application(&row("active", Value::Null), "7", None).unwrap();
        assert_eq!(
            (
                active.job_id.as_deref(),
                active.job_title.as_deref(),
                active.stage.as_deref()
            ),
            (Some("5"), Some("Backend"), Some("Phone screen"))
        );
        assert_eq!(active.updated_at.as_deref(), Some("2026-01-02T03:04:05Z"));
        let withdrew = json!({"name": "Took another offer", "type": {"name": "They rejected us"}});
        let gone = application(&row("rejected", withdrew), "7", None).unwrap();
        assert_eq!(
            (gone.status, gone.stage),
            (ApplicationStatus::Withdrawn, None)
        );
        let no = json!({"name": "Not a fit", "type": {"name": "We rejected them"}});
        assert_eq!(
            application(&row("rejected", no), "7", None).unwrap().status,
            ApplicationStatus::Rejected
        );
        assert_eq!(
            application(&row("converted", Value::Null), "7", None)
                .unwrap()
                .status,
            ApplicationStatus::Other
        );
        assert!(application(&row("active", Value::Null), "8", None).is_none());
    }
}
