//! The SmartRecruiters adapter (Customer API, `X-SmartToken`).
//!
//! Lower confidence than the other adapters: the facts come from
//! SmartRecruiters' older public docs and third parties
//! (`shared/ats/README.md` §6; the sandbox's README, "SmartRecruiters",
//! says which). `GET /candidates?q=` is a keyword search over every field,
//! so email and name searches send `q` and keep the rows that really
//! match; list rows lack the `web` profiles, so they are partial. The key
//! may run a single `GET /candidates` at a time and 8 calls in all: the
//! shared HTTP client holds calls to that.

mod client;

use crate::fields::text_or_number as text;
use crate::http::{segment, Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, CandidateSummary, Job, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use reqwest::Method;
use serde_json::{json, Value};
use sourcebar_core::names::fold_name;
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
use std::sync::Arc;

/// SmartRecruiters' public API root.
pub const API_ROOT: &str = "https://api.smartrecruiters.com";
/// Rows per page: the most `limit` takes.
pub const PAGE_SIZE: usize = 100;
/// Permission names (UNCONFIRMED spellings; the sandbox's README).
const READ: &str = "candidates_read";
const WRITE: &str = "candidates_manage";
const JOBS: &str = "jobs_read";
/// Job statuses in which a job takes candidates.
const OPEN: &[&str] = &["SOURCING", "INTERVIEW", "OFFER"];

/// The API key, and where a SmartRecruiters admin makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In SmartRecruiters (an admin): Settings → Apps & Integrations → API (Credentials) → create an API key with access to candidates (read and manage) and jobs (read).",
    "Dans SmartRecruiters (un administrateur) : Settings → Apps & Integrations → API (Credentials) → créez une clé d’API avec accès aux candidats (lecture et gestion) et aux offres (lecture).",
));

/// What SmartRecruiters' public API can do (lower confidence, see the
/// module's note): search by email and by name through `q` (checked on
/// our side); create in the talent pool or on a job, always with an email;
/// notes through the Message API; the LinkedIn URL in `web.linkedin`, set
/// by `PATCH`; an existing candidate put on a job.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: true,
    create_without_job: true,
    create_without_email: false,
    notes: true,
    link_field: true,
    link_update: true,
    // Not read by this adapter yet (`Ats::list_applications`): saying
    // `true` would leave the mirror empty and every live read "stale".
    applications: false,
    stages: true,
};

/// One SmartRecruiters account.
pub struct SmartRecruiters {
    client: HttpClient,
}

impl SmartRecruiters {
    /// An adapter for the account reached with `key`, at `base_url` when
    /// given (a sandbox), else at SmartRecruiters' API root.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let base = address.base_url.unwrap_or(API_ROOT);
        Ok(SmartRecruiters {
            client: client::client(base, key, budget, reach)?,
        })
    }

    async fn send(&self, call: Call) -> Result<Value, AtsError> {
        Ok(self.client.send(call).await?.body)
    }

    async fn detail(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        self.send(
            Call::get(format!("candidates/{}", segment(id)))
                .priority(priority)
                .needs(READ),
        )
        .await
    }

    /// Rows of a keyword search, up to `pages` pages.
    async fn keyword(
        &self,
        q: &str,
        pages: u32,
        priority: Priority,
    ) -> Result<Vec<Value>, AtsError> {
        let mut rows = Vec::new();
        for page in 0..pages.max(1) {
            let answer = self
                .send(
                    Call::get("candidates")
                        .query("q", q)
                        .query("limit", PAGE_SIZE.to_string())
                        .query("offset", (page as usize * PAGE_SIZE).to_string())
                        .priority(priority)
                        .needs(READ),
                )
                .await?;
            let content = content(&answer);
            rows.extend(content.iter().cloned());
            if content.len() < PAGE_SIZE {
                break;
            }
        }
        Ok(rows)
    }

    async fn write_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        // The Message API attaches a note to the candidates it tags.
        let content = format!("@[CANDIDATE:{candidate_id}] {text}");
        self.send(
            Call::post(
                "messages/shares",
                json!({"content": content, "shareWith": {"openNote": true}}),
            )
            .needs(WRITE),
        )
        .await
        .map(|_| ())
    }
}

fn content(answer: &Value) -> &[Value] {
    answer
        .get("content")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn summary(row: &Value) -> Option<CandidateSummary> {
    Some(CandidateSummary {
        id: text(row, "id")?,
        first_name: text(row, "firstName").unwrap_or_default(),
        last_name: text(row, "lastName").unwrap_or_default(),
        phone: text(row, "phoneNumber"),
        apply_date: text(row, "createdOn"),
    })
}

fn candidate(detail: &Value) -> Option<Candidate> {
    Some(Candidate {
        id: text(detail, "id")?,
        first_name: text(detail, "firstName").unwrap_or_default(),
        last_name: text(detail, "lastName").unwrap_or_default(),
        email: text(detail, "email"),
        phone: text(detail, "phoneNumber"),
        profile_url: detail
            .pointer("/web/linkedin")
            .and_then(Value::as_str)
            .and_then(canonical_linkedin_url),
        company: None,
        title: None,
        location: detail
            .pointer("/location/city")
            .and_then(Value::as_str)
            .map(str::to_string),
        ats_url: None,
        created_at: text(detail, "createdOn"),
    })
}

/// The offset of a listing's next page, as the companion stores it.
fn offset_of(cursor: &SyncCursor) -> Result<usize, AtsError> {
    cursor
        .0
        .strip_prefix("offset=")
        .and_then(|o| o.parse().ok())
        .ok_or_else(|| AtsError::Malformed(format!("not a SmartRecruiters cursor: {}", cursor.0)))
}

#[async_trait]
impl Ats for SmartRecruiters {
    fn provider(&self) -> ProviderId {
        ProviderId::Smartrecruiters
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!(
            "https://app.smartrecruiters.com/app/people/candidates/{}",
            segment(candidate_id)
        ))
    }

    /// One candidate row (`candidates_read`) and one job (`jobs_read`).
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.send(Call::get("candidates").query("limit", "1").needs(READ))
            .await?;
        self.send(Call::get("jobs").query("limit", "1").needs(JOBS))
            .await
            .map(|_| ())
    }

    /// Pages of `GET /candidates` by offset. SmartRecruiters documents no
    /// "changed since" filter: a listing of changes lists everything.
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let offset = match start {
            PageStart::Begin(Listing::Full | Listing::ChangedSince(_)) => 0,
            PageStart::Resume(cursor) => offset_of(cursor)?,
        };
        let answer = self
            .send(
                Call::get("candidates")
                    .query("limit", PAGE_SIZE.to_string())
                    .query("offset", offset.to_string())
                    .priority(priority)
                    .needs(READ),
            )
            .await?;
        let rows = content(&answer);
        let total = answer
            .get("totalFound")
            .and_then(Value::as_u64)
            .and_then(|t| usize::try_from(t).ok());
        let after = offset + rows.len();
        let more = !rows.is_empty() && total.is_none_or(|t| after < t);
        Ok(SyncPage {
            // Rows lack `web`: the LinkedIn URL needs the detail.
            records: rows
                .iter()
                .filter_map(summary)
                .map(Listed::Partial)
                .collect(),
            removed: Vec::new(),
            next: more.then(|| SyncCursor(format!("offset={after}"))),
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        candidate(&self.detail(id, priority).await?)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    /// `q` searches every field: only rows whose email is this one are kept.
    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .keyword(email, 1, priority)
            .await?
            .iter()
            .filter(|r| text(r, "email").is_some_and(|e| e.eq_ignore_ascii_case(email)))
            .filter_map(summary)
            .map(Listed::Partial)
            .collect())
    }

    /// `q` with the name: only rows carrying every word of it are kept.
    async fn search_by_name(
        &self,
        name: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let wanted = fold_name(name);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .keyword(name.trim(), max_pages, priority)
            .await?
            .iter()
            .filter(|r| {
                let full = fold_name(&format!(
                    "{} {}",
                    text(r, "firstName").unwrap_or_default(),
                    text(r, "lastName").unwrap_or_default()
                ));
                let words: Vec<&str> = full.split(' ').collect();
                wanted
                    .split(' ')
                    .all(|w| words.iter().any(|n| n.starts_with(w)))
            })
            .filter_map(summary)
            .map(Listed::Partial)
            .collect())
    }

    /// On the job when there is one, else in the talent pool; the upload's
    /// note follows through the Message API. A failure that
    /// `is_transient()` may still have created it: the caller looks first.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let mut body =
            json!({"firstName": new.first_name.trim(), "lastName": new.last_name.trim()});
        for (field, value) in [("email", &new.email), ("phoneNumber", &new.phone)] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                body[field] = json!(v);
            }
        }
        if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
            body["web"] = json!({ "linkedin": url });
        }
        let path = match new.job_id.as_deref().filter(|j| !j.is_empty()) {
            Some(job) => format!("jobs/{}/candidates", segment(job)),
            None => "candidates".to_string(),
        };
        let answer = self.send(Call::post(path, body).needs(WRITE)).await?;
        let id = text(&answer, "id")
            .ok_or_else(|| AtsError::Malformed("no candidate id in the answer".into()))?;
        if let Some(note) = new.note.as_deref().filter(|n| !n.trim().is_empty()) {
            if let Err(e) = self.write_note(&id, note).await {
                tracing::warn!(candidate = id.as_str(), error = %e, detail = e.detail().unwrap_or_default(), "the upload's note was not written");
            }
        }
        Ok(id)
    }

    async fn add_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        self.write_note(candidate_id, text).await
    }

    /// Sets `web.linkedin` where it is empty; a record that holds another
    /// profile keeps it (the merge's note carries the new one).
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let Some(url) = canonical_linkedin_url(url) else {
            return Err(AtsError::Unsupported(
                "add a link that is not a LinkedIn profile",
            ));
        };
        let detail = self.detail(candidate_id, Priority::Interactive).await?;
        if let Some(current) = detail.pointer("/web/linkedin").and_then(Value::as_str) {
            if !current.trim().is_empty() {
                if linkedin_public_id(current) != linkedin_public_id(&url) {
                    tracing::info!(
                        candidate = candidate_id,
                        "web.linkedin already holds another profile; left as it is"
                    );
                }
                return Ok(());
            }
        }
        self.send(
            Call::new(
                Method::PATCH,
                format!("candidates/{}", segment(candidate_id)),
            )
            .body(json!({"web": {"linkedin": url}}))
            .idempotent()
            .needs(WRITE),
        )
        .await
        .map(|_| ())
    }

    /// `PUT /candidates/{id}/jobs/{jobId}`: idempotent, so it may be sent again.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        self.send(
            Call::new(
                Method::PUT,
                format!(
                    "candidates/{}/jobs/{}",
                    segment(candidate_id),
                    segment(job_id)
                ),
            )
            .body(json!({}))
            .needs(WRITE),
        )
        .await
        .map(|_| ())
    }

    /// Jobs that take candidates (sourcing, interview, offer), internal
    /// and private postings left out (filtered here).
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        for page in 0usize.. {
            let answer = self
                .send(
                    Call::get("jobs")
                        .query("limit", PAGE_SIZE.to_string())
                        .query("offset", (page * PAGE_SIZE).to_string())
                        .needs(JOBS),
                )
                .await?;
            let rows = content(&answer);
            jobs.extend(
                rows.iter()
                    .filter(|j| text(j, "status").is_some_and(|s| OPEN.contains(&s.as_str())))
                    .filter(|j| {
                        !matches!(
                            text(j, "postingStatus").as_deref(),
                            Some("INTERNAL" | "PRIVATE")
                        )
                    })
                    .filter_map(|j| {
                        Some(Job {
                            id: text(j, "id")?,
                            title: text(j, "title").unwrap_or_default(),
                            department: j
                                .pointer("/department/label")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            location: j
                                .pointer("/location/city")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            status: text(j, "status").unwrap_or_default(),
                        })
                    }),
            );
            if rows.len() < PAGE_SIZE {
                break;
            }
        }
        Ok(jobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_an_offset_and_nothing_else() {
        assert_eq!(offset_of(&SyncCursor("offset=200".into())).unwrap(), 200);
        assert!(offset_of(&SyncCursor("page=2".into())).is_err());
    }

    #[test]
    fn the_detail_gives_the_linkedin_url_from_web() {
        let c = candidate(&json!({"id": "c1", "firstName": "Ana", "lastName": "Pérez",
            "email": "ana@x.io", "web": {"linkedin": "https://fr.linkedin.com/in/Ana-P"}}))
        .unwrap();
        assert_eq!(
            c.profile_url.as_deref(),
            Some("https://www.linkedin.com/in/ana-p/")
        );
    }
}
