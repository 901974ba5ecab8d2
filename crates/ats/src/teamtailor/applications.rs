//! A Teamtailor candidate's job applications: the candidate's related
//! `job-applications` with their `job`, `stage` and `reject-reason`
//! included (JSON:API). Closed by `rejected-at` (the reason says whether
//! the company or the candidate ended it) or by a stage of type `hired`.

use super::{id_of, text};
use serde_json::Value;
use sourcebar_core::api::applications::{Application, ApplicationStatus};

/// The path that lists them, with what it includes.
pub(super) fn path(candidate_id: &str) -> String {
    format!(
        "candidates/{}/job-applications",
        crate::http::segment(candidate_id)
    )
}

/// What the answer should include.
pub(super) const INCLUDE: &str = "job,stage,reject-reason";

/// The applications of a `job-applications` document.
pub(super) fn of_document(doc: &Value, ats_url: Option<&str>) -> Vec<Application> {
    let included = doc["included"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let find = |rel: &Value| -> Option<&Value> {
        let (kind, id) = (rel["data"]["type"].as_str()?, id_of(&rel["data"])?);
        included
            .iter()
            .find(|r| r["type"] == kind && id_of(r).as_deref() == Some(id.as_str()))
    };
    doc["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let rels = &a["relationships"];
            let attributes = &a["attributes"];
            let job_id = id_of(&rels["job"]["data"])?;
            let stage = find(&rels["stage"]).map(|s| &s["attributes"]);
            let status = if text(attributes, "rejected-at").is_some() {
                let by_company = find(&rels["reject-reason"])
                    .and_then(|r| r["attributes"]["rejected-by-company"].as_bool());
                if by_company == Some(false) {
                    ApplicationStatus::Withdrawn
                } else {
                    ApplicationStatus::Rejected
                }
            } else if stage.and_then(|s| text(s, "stage-type")).as_deref() == Some("hired") {
                ApplicationStatus::Hired
            } else {
                ApplicationStatus::Active
            };
            Some(Application {
                id: id_of(a)?,
                job_title: find(&rels["job"]).and_then(|j| text(&j["attributes"], "title")),
                job_id: Some(job_id),
                stage: stage
                    .and_then(|s| text(s, "name"))
                    .filter(|_| status == ApplicationStatus::Active),
                status,
                updated_at: text(attributes, "updated-at"),
                ats_url: ats_url.map(str::to_string),
                stale: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn included_jobs_stages_and_reasons_name_each_application() {
        let application = |id: &str, job: &str, stage: &str, rejected: Value, reason: Value| {
            json!({"id": id, "type": "job-applications",
                "attributes": {"updated-at": "2026-01-02T03:04:05.000+00:00", "rejected-at": rejected},
                "relationships": {"job": {"data": {"id": job, "type": "jobs"}},
                    "stage": {"data": {"id": stage, "type": "stages"}},
                    "reject-reason": {"data": reason}}})
        };
        let doc = json!({"data": [
            application("1", "10", "2", Value::Null, Value::Null),
            application("2", "11", "2", json!("2026-01-03T00:00:00.000+00:00"), json!({"id": "9", "type": "reject-reasons"})),
            application("3", "12", "5", Value::Null, Value::Null),
        ], "included": [
            {"id": "10", "type": "jobs", "attributes": {"title": "Backend"}},
            {"id": "2", "type": "stages", "attributes": {"name": "Phone screen", "stage-type": "in_process"}},
            {"id": "5", "type": "stages", "attributes": {"name": "Hired", "stage-type": "hired"}},
            {"id": "9", "type": "reject-reasons", "attributes": {"reason": "Withdrew", "rejected-by-company": false}},
        ]});
        let read = of_document(&doc, None);
        assert_eq!(read.len(), 3);
        assert_eq!(
            (
                read[0].job_title.as_deref(),
                read[0].stage.as_deref(),
                read[0].status
            ),
            (
                Some("Backend"),
                Some("Phone screen"),
                ApplicationStatus::Active
            )
        );
        assert_eq!(
            (read[1].status, read[1].stage.as_deref()),
            (ApplicationStatus::Withdrawn, None)
        );
        assert_eq!(read[2].status, ApplicationStatus::Hired);
    }
}
