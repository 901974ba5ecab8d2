//! A Lever person's applications: every opportunity of the contact that
//! is on a posting (`GET /opportunities?contact_id=…&expand=applications`),
//! at its stage (named by `GET /stages`) or closed by its archive reason
//! (hired or not, by `GET /archive_reasons`).

use super::client::{next_offset, rows};
use super::{permission, text, Lever, APP_URL, PAGE_SIZE};
use crate::http::{segment, Call};
use crate::{when, AtsError, Priority};
use serde_json::Value;
use sourcebar_core::api::applications::{Application, ApplicationStatus};
use std::collections::HashMap;

/// At most this many pages of one contact's opportunities.
const MAX_PAGES: usize = 5;

impl Lever {
    /// Every row of a small list (`stages`, `archive_reasons`), by id.
    async fn named(
        &self,
        path: &str,
        needs: &'static str,
        priority: Priority,
    ) -> Result<HashMap<String, Value>, AtsError> {
        let mut all = HashMap::new();
        let mut offset: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::get(path).priority(priority).needs(needs);
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            for row in rows(&answer)? {
                if let Some(id) = text(row, "id") {
                    all.insert(id, row.clone());
                }
            }
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => break,
            }
        }
        Ok(all)
    }

    /// The opportunities of `contact`, with their application objects.
    async fn opportunities_of(
        &self,
        contact: &str,
        priority: Priority,
    ) -> Result<Vec<Value>, AtsError> {
        let mut all = Vec::new();
        let mut offset: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::get("opportunities")
                .priority(priority)
                .needs(permission::READ_OPPORTUNITIES)
                .query("contact_id", contact)
                .query("expand", "applications")
                .query("limit", PAGE_SIZE.to_string());
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            all.extend(rows(&answer)?.iter().cloned());
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => break,
            }
        }
        Ok(all)
    }

    /// The applications of the person behind opportunity `id`.
    pub(super) async fn applications(
        &self,
        id: &str,
        priority: Priority,
    ) -> Result<Vec<Application>, AtsError> {
        let opportunity = self.opportunity(id, priority).await?;
        let contact = text(&opportunity, "contact")
            .ok_or_else(|| AtsError::Malformed("opportunity without contact".into()))?;
        let opportunities = self.opportunities_of(&contact, priority).await?;
        if !opportunities.iter().any(|o| posting(o).is_some()) {
            return Ok(Vec::new());
        }
        let stages = self
            .named("stages", permission::READ_STAGES, priority)
            .await?;
        let reasons = if opportunities.iter().any(|o| archived(o).is_some()) {
            self.named(
                "archive_reasons",
                permission::READ_ARCHIVE_REASONS,
                priority,
            )
            .await?
        } else {
            HashMap::new()
        };
        Ok(opportunities
            .iter()
            .filter_map(|o| application(o, &stages, &reasons))
            .collect())
    }
}

/// The posting an opportunity is on: its (expanded) application's.
fn posting(opportunity: &Value) -> Option<String> {
    opportunity
        .get("applications")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|a| text(a, "posting"))
}

/// `archived`, when the opportunity is closed.
fn archived(opportunity: &Value) -> Option<&Value> {
    opportunity.get("archived").filter(|a| a.is_object())
}

/// One opportunity on a posting as an application.
fn application(
    opportunity: &Value,
    stages: &HashMap<String, Value>,
    reasons: &HashMap<String, Value>,
) -> Option<Application> {
    let id = text(opportunity, "id")?;
    let job_id = posting(opportunity)?;
    let closed = archived(opportunity);
    let status = closed.map_or(ApplicationStatus::Active, |a| {
        let reason = text(a, "reason").and_then(|r| reasons.get(&r));
        archive_status(reason)
    });
    let stage = text(opportunity, "stage")
        .and_then(|s| stages.get(&s))
        .and_then(|s| text(s, "text"))
        .filter(|_| status == ApplicationStatus::Active);
    let changed = closed
        .and_then(|a| a.get("archivedAt"))
        .or_else(|| opportunity.get("updatedAt"))
        .and_then(Value::as_i64);
    Some(Application {
        ats_url: Some(format!("{APP_URL}/{}", segment(&id))),
        id,
        job_id: Some(job_id),
        job_title: None,
        stage,
        status,
        updated_at: changed.map(when::rfc3339),
        stale: false,
    })
}

/// What an archive reason says of how the candidacy ended: `type` is
/// `hired` or `non-hired`; a reason read as a withdrawal is one.
fn archive_status(reason: Option<&Value>) -> ApplicationStatus {
    let Some(reason) = reason else {
        return ApplicationStatus::Other;
    };
    if text(reason, "type").as_deref() == Some("hired") {
        return ApplicationStatus::Hired;
    }
    let words = text(reason, "text").unwrap_or_default().to_lowercase();
    if words.contains("withdr") {
        ApplicationStatus::Withdrawn
    } else {
        ApplicationStatus::Rejected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_archived_opportunity_is_closed_by_its_reason() {
        let stages = HashMap::from([(
            "s1".to_string(),
            json!({"id": "s1", "text": "Phone screen"}),
        )]);
        let reasons = HashMap::from([
            (
                "h".to_string(),
                json!({"id": "h", "text": "Hired", "type": "hired"}),
            ),
            (
                "w".to_string(),
                json!({"id": "w", "text": "Withdrew", "type": "non-hired"}),
            ),
        ]);
        let on = |archived: Value| {
            json!({"id": "o1", "stage": "s1", "archived": archived, "updatedAt": 0,
                "applications": [{"id": "a1", "posting": "p1"}]})
        };
        let active = application(&on(Value::Null), &stages, &reasons).unwrap();
        assert_eq!(
            (
                active.stage.as_deref(),
                active.status,
                active.job_id.as_deref()
            ),
            (Some("Phone screen"), ApplicationStatus::Active, Some("p1"))
        );
        let hired = application(
            &on(json!({"reason": "h", "archivedAt": 1000})),
            &stages,
            &reasons,
        );
        assert_eq!(
            hired.as_ref().map(|a| (a.status, a.stage.is_none())),
            Some((ApplicationStatus::Hired, true))
        );
        let gone = application(&on(json!({"reason": "w"})), &stages, &reasons).unwrap();
        assert_eq!(gone.status, ApplicationStatus::Withdrawn);
        let unknown = application(&on(json!({"reason": "?"})), &stages, &reasons).unwrap();
        assert_eq!(unknown.status, ApplicationStatus::Other);
        // Without a posting it is no application (a lead in no job).
        assert!(application(
            &json!({"id": "o2", "applications": ["a2"]}),
            &stages,
            &reasons
        )
        .is_none());
    }
}
