//! A Workable record's application: Workable keeps one candidate record
//! per job, so a record's detail is its one application (its `job`, its
//! `stage` and `stage_kind`, `disqualified`). A record in the talent pool
//! (no job) has none.

use super::text;
use serde_json::Value;
use sourcebar_core::api::applications::{Application, ApplicationStatus};

/// The application a candidate detail shows, if it is on a job.
pub(super) fn of_detail(detail: &Value, ats_url: Option<&str>) -> Vec<Application> {
    let Some(job) = detail.get("job").filter(|j| j.is_object()) else {
        return Vec::new();
    };
    let Some(shortcode) = text(job, "shortcode") else {
        return Vec::new();
    };
    let status = if detail.get("disqualified").and_then(Value::as_bool) == Some(true) {
        let reason = text(detail, "disqualification_reason").unwrap_or_default();
        if reason.to_lowercase().contains("withdr") {
            ApplicationStatus::Withdrawn
        } else {
            ApplicationStatus::Rejected
        }
    } else if text(detail, "stage_kind").as_deref() == Some("hired") {
        ApplicationStatus::Hired
    } else {
        ApplicationStatus::Active
    };
    vec![Application {
        id: text(detail, "id").map_or_else(|| shortcode.clone(), |id| format!("{id}@{shortcode}")),
        job_id: Some(shortcode),
        job_title: text(job, "title"),
        stage: text(detail, "stage").filter(|_| status == ApplicationStatus::Active),
        status,
        updated_at: text(detail, "updated_at"),
        ats_url: ats_url.map(str::to_string),
        stale: false,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_on_a_job_is_one_application_and_the_pool_none() {
        let on = |extra: Value| {
            let mut d = json!({"id": "c1", "job": {"shortcode": "SC1", "title": "Backend"},
                "stage": "Phone screen", "stage_kind": "phone-screen", "disqualified": false,
                "updated_at": "2026-01-02T03:04:05Z"});
            d.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            of_detail(&d, None)
        };
        let active = on(json!({}));
        assert_eq!(
            (
                active[0].job_id.as_deref(),
                active[0].stage.as_deref(),
                active[0].status
            ),
            (Some("SC1"), Some("Phone screen"), ApplicationStatus::Active)
        );
        assert_eq!(
            on(json!({"stage_kind": "hired", "stage": "Hired"}))[0].status,
            ApplicationStatus::Hired
        );
        let gone = on(json!({"disqualified": true, "disqualification_reason": "Withdrew"}));
        assert_eq!(
            (gone[0].status, gone[0].stage.clone()),
            (ApplicationStatus::Withdrawn, None)
        );
        assert_eq!(
            on(json!({"disqualified": true}))[0].status,
            ApplicationStatus::Rejected
        );
        assert!(of_detail(&json!({"id": "c2", "job": null, "stage": "Sourced"}), None).is_empty());
    }
}
