//! The Recruitee adapter (ATS API, personal API token as `Bearer`).
//!
//! The company id is in every path (`/c/{company_id}/…`). Candidates have a
//! single `name`, `emails[]` and `social_links[]`; `GET /candidates` pages
//! newest first by `limit` and `offset` and filters by `query` (names) and
//! `created_after`; the full search (`/search/new/candidates`) also finds
//! emails; offers are jobs and talent pools; placements put a candidate on
//! an offer. Many of these facts are UNCONFIRMED (`shared/ats/README.md`
//! §9): the sandbox's README, "Recruitee", says which and what was chosen.

use crate::http::{segment, Auth, Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, Job, Listed, Listing, NewCandidate, PageStart, Priority,
    ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use reqwest::Method;
use serde_json::{json, Value};
use sourcebar_core::names::fold_name;
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

/// Recruitee's API root, before the company id.
pub const API_ROOT: &str = "https://api.recruitee.com/c";
/// Rows per page.
pub const PAGE_SIZE: usize = 100;
/// `created_after` and two clocks: a listing of changes starts earlier.
const CHANGES_MARGIN_MS: i64 = 60_000;

/// The personal API token, and where a Recruitee user makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In Recruitee: Settings → Apps and plugins → Personal API tokens → New token. The token acts with your own permissions.",
    "Dans Recruitee : Settings → Apps and plugins → Personal API tokens → New token. Le jeton agit avec vos propres droits.",
));
/// The company id every path carries.
pub const COMPANY_ID: Field = Field {
    name: "company_id",
    label: "Recruitee company ID",
    label_fr: "ID d’entreprise Recruitee",
    help: Some((
        "A number shown on the Personal API tokens page (Settings → Apps and plugins → Personal API tokens).",
        "Un nombre affiché sur la page Personal API tokens (Settings → Apps and plugins → Personal API tokens).",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};

/// What Recruitee's public API can do (`shared/ats/README.md` §9, several
/// facts UNCONFIRMED): an email search through the full search and a name
/// search through `query` (rows checked on our side); a candidate needs only
/// a name and no offer; notes; `social_links` take the LinkedIn URL and
/// `PATCH` updates them; placements put a candidate on a job.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: true,
    create_without_job: true,
    create_without_email: true,
    notes: true,
    link_field: true,
    link_update: true,
    // Not read by this adapter yet (`Ats::list_applications`): saying
    // `true` would leave the mirror empty and every live read "stale".
    applications: false,
    stages: true,
};

/// One Recruitee company.
pub struct Recruitee {
    /// `None` when the company id cannot be one: every call then answers
    /// [`AtsError::NotFound`] ("check the account settings").
    client: Option<HttpClient>,
    company: String,
}

/// A company id is a number.
fn company_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty() && raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.to_string())
}

impl Recruitee {
    /// An adapter for the company at `address`: `{base_url}/{company_id}`,
    /// `base_url` being `https://api.recruitee.com/c` unless given.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let company = address.setting(COMPANY_ID.name).and_then(company_id);
        let root = address.base_url.unwrap_or(API_ROOT).trim_end_matches('/');
        let client = match &company {
            Some(id) => Some(
                HttpClient::new(&format!("{root}/{id}"), Auth::bearer(), key, budget, reach)?
                    .with_dialect(RecruiteeErrors),
            ),
            None => None,
        };
        Ok(Recruitee {
            client,
            company: company.unwrap_or_default(),
        })
    }

    async fn send(&self, call: Call) -> Result<Value, AtsError> {
        Ok(self
            .client
            .as_ref()
            .ok_or(AtsError::NotFound)?
            .send(call)
            .await?
            .body)
    }

    async fn detail(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        let answer = self
            .send(Call::get(format!("candidates/{}", segment(id))).priority(priority))
            .await?;
        Ok(answer.get("candidate").cloned().unwrap_or(Value::Null))
    }

    async fn write_note(&self, id: &str, text: &str) -> Result<(), AtsError> {
        self.send(Call::post(
            format!("candidates/{}/notes", segment(id)),
            json!({"note": {"body": text}}),
        ))
        .await
        .map(|_| ())
    }

    async fn place(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        self.send(Call::post(
            "placements",
            json!({"candidate_id": id_value(candidate_id), "offer_id": id_value(job_id)}),
        ))
        .await
        .map(|_| ())
    }
}

/// A 422 keeps Recruitee's words: they tell a placement that exists.
struct RecruiteeErrors;

impl crate::http::Dialect for RecruiteeErrors {
    fn refine(&self, status: reqwest::StatusCode, body: &Value) -> Option<AtsError> {
        (status == reqwest::StatusCode::UNPROCESSABLE_ENTITY).then(|| {
            AtsError::Ats(format!(
                "HTTP 422: {}",
                crate::http::plain_error_words(body).unwrap_or_default()
            ))
        })
    }
}

/// Recruitee's ids are numbers: sent as one when they are.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.get(field)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn rows<'a>(answer: &'a Value, field: &str) -> &'a [Value] {
    answer
        .get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A candidate as Sourcebar keeps it: the first word of `name` is the
/// given name.
fn candidate(c: &Value) -> Option<Candidate> {
    let id = c.get("id").map(id_text)?;
    let name = c
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    Some(Candidate {
        first_name: first.to_string(),
        last_name: last.trim().to_string(),
        email: strings(c, "emails").into_iter().next(),
        phone: strings(c, "phones").into_iter().next(),
        profile_url: strings(c, "social_links")
            .iter()
            .find_map(|u| canonical_linkedin_url(u)),
        company: None,
        title: None,
        location: None,
        ats_url: None,
        created_at: c
            .get("created_at")
            .and_then(Value::as_str)
            .map(str::to_string),
        id,
    })
}

/// Where a listing's next page starts: `offset=N`, with the changes filter.
fn read_cursor(cursor: &SyncCursor) -> Result<(usize, Option<String>), AtsError> {
    let bad = || AtsError::Malformed(format!("not a Recruitee cursor: {}", cursor.0));
    let mut offset = None;
    let mut after = None;
    for part in cursor.0.split('&') {
        match part.split_once('=') {
            Some(("offset", n)) => offset = Some(n.parse::<usize>().map_err(|_| bad())?),
            Some(("created_after", s)) => after = Some(s.to_string()),
            _ => return Err(bad()),
        }
    }
    Ok((offset.ok_or_else(bad)?, after))
}

#[async_trait]
impl Ats for Recruitee {
    fn provider(&self) -> ProviderId {
        ProviderId::Recruitee
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!(
            "https://app.recruitee.com/#/candidates/{}?company={}",
            segment(candidate_id),
            self.company
        ))
    }

    /// One candidate and the offers: what a sync and the job picker need.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.send(Call::get("candidates").query("limit", "1"))
            .await?;
        self.send(Call::get("offers")).await.map(|_| ())
    }

    /// Newest first by offset; changes are the candidates created since
    /// (`created_after`): edits to older ones wait for the next re-list.
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let (offset, after) = match start {
            PageStart::Begin(Listing::Full) => (0, None),
            PageStart::Begin(Listing::ChangedSince(ms)) => {
                (0, Some(crate::when::rfc3339(ms - CHANGES_MARGIN_MS)))
            }
            PageStart::Resume(cursor) => read_cursor(cursor)?,
        };
        let mut call = Call::get("candidates")
            .query("limit", PAGE_SIZE.to_string())
            .query("offset", offset.to_string())
            .priority(priority);
        if let Some(after) = &after {
            call = call.query("created_after", after.clone());
        }
        let answer = self.send(call).await?;
        let page = rows(&answer, "candidates");
        let next = (page.len() == PAGE_SIZE).then(|| {
            let next = offset + page.len();
            SyncCursor(match &after {
                Some(after) => format!("offset={next}&created_after={after}"),
                None => format!("offset={next}"),
            })
        });
        Ok(SyncPage {
            records: page
                .iter()
                .filter_map(candidate)
                .map(Listed::Complete)
                .collect(),
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        candidate(&self.detail(id, priority).await?)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    /// The full search with the email; only rows holding that very email.
    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(Vec::new());
        }
        let answer = self
            .send(
                Call::get("search/new/candidates")
                    .query("query", email)
                    .query("limit", PAGE_SIZE.to_string())
                    .priority(priority),
            )
            .await?;
        Ok(rows(&answer, "hits")
            .iter()
            .filter(|c| {
                strings(c, "emails")
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(email))
            })
            .filter_map(candidate)
            .map(Listed::Complete)
            .collect())
    }

    /// `query` with the name; only rows carrying every word of it.
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
        let mut found = Vec::new();
        for page in 0..max_pages.max(1) as usize {
            let answer = self
                .send(
                    Call::get("candidates")
                        .query("query", name.trim())
                        .query("limit", PAGE_SIZE.to_string())
                        .query("offset", (page * PAGE_SIZE).to_string())
                        .priority(priority),
                )
                .await?;
            let page_rows = rows(&answer, "candidates");
            found.extend(
                page_rows
                    .iter()
                    .filter_map(candidate)
                    .filter(|c| {
                        let full = fold_name(&format!("{} {}", c.first_name, c.last_name));
                        let words: Vec<&str> = full.split(' ').collect();
                        wanted
                            .split(' ')
                            .all(|w| words.iter().any(|n| n.starts_with(w)))
                    })
                    .map(Listed::Complete),
            );
            if page_rows.len() < PAGE_SIZE {
                break;
            }
        }
        Ok(found)
    }

    /// With its offer when a job is given; the upload's note follows.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let name = format!("{} {}", new.first_name.trim(), new.last_name.trim());
        let mut candidate = json!({ "name": name.trim() });
        if let Some(e) = new
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            candidate["emails"] = json!([e]);
        }
        if let Some(p) = new
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            candidate["phones"] = json!([p]);
        }
        if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
            candidate["social_links"] = json!([url]);
        }
        if let Some(source) = new.source.as_deref().filter(|s| !s.trim().is_empty()) {
            candidate["sources"] = json!([source.trim()]);
        }
        let mut body = json!({ "candidate": candidate });
        if let Some(job) = new.job_id.as_deref().filter(|j| !j.is_empty()) {
            body["offers"] = json!([id_value(job)]);
        }
        let answer = self.send(Call::post("candidates", body)).await?;
        let id = answer
            .pointer("/candidate/id")
            .map(id_text)
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

    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let answer = self
            .send(Call::get(format!(
                "candidates/{}/notes",
                segment(candidate_id)
            )))
            .await?;
        Ok(Some(rows(&answer, "notes").iter().any(|n| {
            n.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains(marker))
        })))
    }

    /// `social_links` is sent whole: the record's own links and the
    /// LinkedIn URL. A record with another LinkedIn profile keeps it.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let Some(url) = canonical_linkedin_url(url) else {
            return Err(AtsError::Unsupported(
                "add a link that is not a LinkedIn profile",
            ));
        };
        let detail = self.detail(candidate_id, Priority::Interactive).await?;
        let mut links = strings(&detail, "social_links");
        if let Some(current) = links.iter().find_map(|u| canonical_linkedin_url(u)) {
            if linkedin_public_id(&current) != linkedin_public_id(&url) {
                tracing::info!(
                    candidate = candidate_id,
                    "social_links already hold another LinkedIn profile; left as they are"
                );
            }
            return Ok(());
        }
        links.push(url);
        self.send(
            Call::new(
                Method::PATCH,
                format!("candidates/{}", segment(candidate_id)),
            )
            .body(json!({"candidate": {"social_links": links}}))
            .idempotent(),
        )
        .await
        .map(|_| ())
    }

    /// A placement; one that exists already (a 422 saying so) is done.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        match self.place(candidate_id, job_id).await {
            Err(AtsError::Ats(words)) if words.contains("already assigned") => Ok(()),
            other => other,
        }
    }

    /// Published job offers (talent pools and internal offers left out).
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let answer = self.send(Call::get("offers")).await?;
        Ok(rows(&answer, "offers")
            .iter()
            .filter(|o| {
                o.get("kind")
                    .and_then(Value::as_str)
                    .is_none_or(|k| k == "job")
            })
            .filter(|o| o.get("status").and_then(Value::as_str) == Some("published"))
            .filter_map(|o| {
                Some(Job {
                    id: o.get("id").map(id_text)?,
                    title: o
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    department: o
                        .get("department")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    location: o
                        .get("location")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    status: "published".into(),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_id_is_a_number() {
        assert_eq!(company_id(" 71034 ").as_deref(), Some("71034"));
        assert_eq!(company_id("acme"), None);
        assert_eq!(company_id(""), None);
    }

    #[test]
    fn cursors_carry_the_offset_and_the_changes_filter() {
        let (offset, after) = read_cursor(&SyncCursor(
            "offset=200&created_after=2026-01-01T00:00:00Z".into(),
        ))
        .unwrap();
        assert_eq!(
            (offset, after.as_deref()),
            (200, Some("2026-01-01T00:00:00Z"))
        );
        assert!(read_cursor(&SyncCursor("page=2".into())).is_err());
    }

    #[test]
    fn a_candidate_is_read_from_its_single_name() {
        let c = candidate(
            &json!({"id": 7, "name": "Ana María Pérez", "emails": ["ana@x.io"],
            "social_links": ["https://fr.linkedin.com/in/Ana-P"]}),
        )
        .unwrap();
        assert_eq!(
            (c.id.as_str(), c.first_name.as_str(), c.last_name.as_str()),
            ("7", "Ana", "María Pérez")
        );
        assert_eq!(
            c.profile_url.as_deref(),
            Some("https://www.linkedin.com/in/ana-p/")
        );
    }
}
