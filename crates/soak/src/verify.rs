//! The verdict, from the sandbox's own view (`GET /_sandbox/candidates?email=`,
//! each applicant with its notes): was every operation done exactly once?

use crate::client::OpResult;
use crate::workload::{Op, Plan};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::task::JoinSet;

/// What the sandbox holds against what the clients were told.
#[derive(Debug, Default)]
pub struct Tally {
    /// Uploads whose person exists more than once.
    pub duplicate_people: usize,
    /// Merges whose note was written more than once.
    pub duplicate_notes: usize,
    /// Operations acknowledged (201/200/202) whose effect is absent.
    pub lost_acknowledged: usize,
    /// Operations retried until the end without a final answer and without effect.
    pub lost_unanswered: usize,
    /// Operations without a final answer at the end (effect present or not).
    pub unfinished: usize,
    /// Operations the companion refused for good (4xx, or upload `failed`).
    pub failed: usize,
    /// Uploads answered with one candidate id while the ATS holds another.
    pub wrong_id: usize,
    /// A few examples of each problem, for the log.
    pub examples: Vec<String>,
}

impl Tally {
    #[must_use]
    pub fn duplicates(&self) -> usize {
        self.duplicate_people + self.duplicate_notes
    }

    #[must_use]
    pub fn losses(&self) -> usize {
        self.lost_acknowledged + self.lost_unanswered
    }

    fn example(&mut self, line: String) {
        if self.examples.len() < 12 {
            self.examples.push(line);
        }
    }
}

/// The sandbox's applicants with this email, each with its `notes`.
async fn applicants(
    http: &reqwest::Client,
    sandbox: &str,
    email: &str,
) -> Result<Vec<Value>, String> {
    let answer = http
        .get(format!("{sandbox}/_sandbox/candidates"))
        .query(&[("email", email)])
        .send()
        .await
        .map_err(|e| format!("sandbox view: {e}"))?;
    match answer.json::<Value>().await {
        Ok(Value::Array(list)) => Ok(list),
        Ok(other) => Err(format!("sandbox view: not a list: {other}")),
        Err(e) => Err(format!("sandbox view: {e}")),
    }
}

/// Looks up every upload's email and every seed's notes, eight at a time.
async fn sandbox_view(
    http: &reqwest::Client,
    sandbox: &str,
    emails: Vec<String>,
) -> Result<HashMap<String, Vec<Value>>, String> {
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    let mut tasks = JoinSet::new();
    for email in emails {
        let (http, sandbox, limit) = (http.clone(), sandbox.to_string(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let found = applicants(&http, &sandbox, &email).await;
            (email, found)
        });
    }
    let mut view = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (email, found) = joined.map_err(|e| format!("sandbox view task: {e}"))?;
        view.insert(email, found?);
    }
    Ok(view)
}

fn notes_with(applicant: &Value, marker: &str) -> usize {
    applicant
        .get("notes")
        .and_then(Value::as_array)
        .map_or(0, |notes| {
            notes
                .iter()
                .filter_map(|n| n.get("contents").and_then(Value::as_str))
                .map(|text| text.matches(marker).count())
                .sum()
        })
}

/// Compares each operation's effect in the sandbox with its client's result.
pub async fn check(
    http: &reqwest::Client,
    sandbox: &str,
    plan: &Plan,
    results: &[OpResult],
) -> Result<Tally, String> {
    let mut emails: Vec<String> = plan
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Upload(u) => Some(u.email.clone()),
            Op::Merge(_) => None,
        })
        .collect();
    emails.extend(plan.seeds.iter().map(|s| s.email.clone()));
    let view = sandbox_view(http, sandbox, emails).await?;
    let mut tally = Tally::default();
    for (op, result) in plan.ops.iter().zip(results) {
        let (key, copies, held_id) = match op {
            Op::Upload(u) => {
                let found = &view[&u.email];
                let id = found
                    .first()
                    .and_then(|a| a.get("id"))
                    .and_then(Value::as_str);
                (&u.key, found.len(), id.map(String::from))
            }
            Op::Merge(m) => {
                let found = &view[&plan.seeds[m.seed].email];
                (
                    &m.key,
                    found.iter().map(|a| notes_with(a, &m.marker)).sum(),
                    None,
                )
            }
        };
        let said = match &result.outcome {
            None if result.acknowledged => "acknowledged, never final",
            None => "never acknowledged",
            Some(Ok(_)) => "done",
            Some(Err(_)) => "failed",
        };
        if result.outcome.is_none() {
            tally.unfinished += 1;
        }
        if let Some(Err(why)) = &result.outcome {
            tally.failed += 1;
            tally.example(format!("{key}: refused: {why}"));
        }
        match copies {
            0 if result.acknowledged => {
                tally.lost_acknowledged += 1;
                tally.example(format!(
                    "{key}: LOST ({said}, {} conflicts)",
                    result.conflicts
                ));
            }
            0 => {
                tally.lost_unanswered += 1;
                tally.example(format!(
                    "{key}: LOST ({said}, {} conflicts)",
                    result.conflicts
                ));
            }
            1 => {
                if let (Some(Ok(Some(told))), Some(held)) = (&result.outcome, &held_id) {
                    if told != held {
                        tally.wrong_id += 1;
                        tally.example(format!("{key}: answered {told}, the ATS holds {held}"));
                    }
                }
                if result.outcome.is_none() {
                    tally.example(format!(
                        "{key}: done in the ATS but {said} ({} conflicts)",
                        result.conflicts
                    ));
                }
            }
            n => {
                match op {
                    Op::Upload(_) => tally.duplicate_people += 1,
                    Op::Merge(_) => tally.duplicate_notes += 1,
                }
                tally.example(format!("{key}: DUPLICATED, {n} times ({said})"));
            }
        }
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::notes_with;
    use serde_json::json;

    #[test]
    fn a_merge_note_written_twice_is_counted_twice() {
        let applicant = json!({"notes": [
            {"contents": "LinkedIn: x\nHeadline: [soak r merge 0000001]"},
            {"contents": "Headline: [soak r merge 0000010]"},
            {"contents": "Headline: [soak r merge 0000001]"},
        ]});
        assert_eq!(notes_with(&applicant, "[soak r merge 0000001]"), 2);
        assert_eq!(notes_with(&applicant, "[soak r merge 0000010]"), 1);
        assert_eq!(notes_with(&applicant, "[soak r merge 0000002]"), 0);
    }
}
