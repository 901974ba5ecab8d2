//! The JazzHR adapter (Resumator API v1).
//!
//! JazzHR's list rows carry no email, its name filter is loose, it has no
//! "updated since", and no endpoint updates an applicant: a LinkedIn URL is
//! attached to an existing applicant as a note.

mod client;

use crate::fields::text_or_number as text;
use crate::http::HttpClient;
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    when, AccountAddress, ApiKey, Ats, AtsError, CandidateSummary, Job, JobState, Listed,
    ListedJob, Listing, NewCandidate, PageStart, Priority, ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use client::{rows, segment};
use serde_json::{json, Value};
use sourcebar_core::api::applications::{Application, ApplicationStatus};
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

/// JazzHR's public API.
pub const DEFAULT_BASE_URL: &str = "https://api.resumatorapi.com/v1";
/// Where a person opens an applicant in JazzHR's web app (`/{id}` follows).
pub const DEFAULT_APP_URL: &str = "https://app.jazz.co/app/v2/candidate";
/// The key, and where a JazzHR admin finds it.
pub const API_KEY: Field = crate::registry::api_key((
    "In JazzHR: Settings → Integrations → API Keys (an account owner or admin sees it).",
    "Dans JazzHR : Settings → Integrations → API Keys (visible par le propriétaire du compte ou un administrateur).",
));
/// The setting that moves record links elsewhere (a sandbox's record view).
pub const APP_URL: Field = Field {
    name: "app_url",
    label: "Web address of candidate records",
    label_fr: "Adresse web des fiches candidat",
    help: Some((
        "Where “Open in JazzHR” links go; leave empty for JazzHR’s own app.",
        "Où mènent les liens « Ouvrir dans JazzHR » ; laissez vide pour l’application de JazzHR.",
    )),
    secret: false,
    required: false,
    kind: FieldKind::Url,
};
/// Rows per page, fixed by JazzHR.
pub const PAGE_SIZE: usize = 100;

/// What JazzHR's public API can do (`shared/ats/README.md` §1). Every working
/// client sends an email on create and the server's rule is unconfirmed, so
/// an email stays required; no endpoint updates an applicant, so a merge
/// adds the LinkedIn URL as a note.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: false,
    name_search: true,
    create_without_job: true,
    create_without_email: false,
    notes: true,
    link_field: true,
    link_update: false,
    applications: true,
    stages: false,
};

/// One JazzHR account.
pub struct JazzHr {
    client: HttpClient,
    /// Where a person opens a record: the `app_url` setting, else JazzHR's app.
    app_url: String,
}

impl JazzHr {
    /// An adapter for the account at `address` (default: JazzHR's API)
    /// paying from `budget`.
    pub fn new(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
    ) -> Result<Self, AtsError> {
        JazzHr::reaching(address, key, budget, Reach::Any)
    }

    /// Like [`JazzHr::new`], connecting only where `reach` allows.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let base = address
            .base_url
            .unwrap_or(DEFAULT_BASE_URL)
            .trim_end_matches('/');
        let app_url = address
            .setting(APP_URL.name)
            .unwrap_or(DEFAULT_APP_URL)
            .trim_end_matches('/')
            .to_string();
        Ok(JazzHr {
            client: client::client(base, key, budget, reach)?,
            app_url,
        })
    }

    fn summary(row: &Value) -> Option<CandidateSummary> {
        Some(CandidateSummary {
            id: text(row, "id")?,
            first_name: text(row, "first_name").unwrap_or_default(),
            last_name: text(row, "last_name").unwrap_or_default(),
            phone: text(row, "prospect_phone"),
            apply_date: text(row, "apply_date"),
        })
    }

    fn candidate(&self, detail: &Value) -> Option<Candidate> {
        let id = text(detail, "id")?;
        let location = text(detail, "location").and_then(|l| location(&l));
        Some(Candidate {
            ats_url: self.record_url(&id),
            first_name: text(detail, "first_name").unwrap_or_default(),
            last_name: text(detail, "last_name").unwrap_or_default(),
            email: text(detail, "email"),
            phone: text(detail, "phone"),
            profile_url: text(detail, "linkedin_url").and_then(|u| canonical_linkedin_url(&u)),
            company: None,
            title: None,
            location,
            created_at: text(detail, "apply_date"),
            id,
        })
    }

    /// Every row of `applicants{filter}`, page by page, up to `max_pages`.
    async fn all_pages(
        &self,
        filter: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let mut out = Vec::new();
        for page in 1..=max_pages.max(1) {
            let rows = rows(
                self.client
                    .get(&format!("applicants{filter}/page/{page}"), priority)
                    .await?,
            );
            let n = rows.len();
            out.extend(rows.iter().filter_map(Self::summary).map(Listed::Partial));
            if n < PAGE_SIZE {
                break;
            }
        }
        Ok(out)
    }
}

/// JazzHR's location without its placeholders: an empty one reads
/// "(No City Provided) (No State Provided) (No Postal Code Provided)", and
/// a partial one keeps the placeholders of what is missing.
fn location(raw: &str) -> Option<String> {
    let mut rest = raw;
    let mut kept = String::new();
    while let Some(start) = rest.find("(No ") {
        kept.push_str(&rest[..start]);
        if let Some(end) = rest[start..].find("Provided)") {
            rest = &rest[start + end + "Provided)".len()..];
        } else {
            kept.push_str(&rest[start..]);
            rest = "";
        }
    }
    kept.push_str(rest);
    let words: Vec<&str> = kept.split_whitespace().collect();
    let cleaned = words.join(" ");
    let cleaned = cleaned.trim_matches(|c: char| c == ',' || c.is_whitespace());
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

#[async_trait]
impl Ats for JazzHr {
    fn provider(&self) -> ProviderId {
        ProviderId::Jazzhr
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!("{}/{}", self.app_url, segment(candidate_id)))
    }

    async fn validate_key(&self) -> Result<(), AtsError> {
        // The cheapest authenticated call: one page of users.
        self.client
            .get("users/page/1", Priority::Interactive)
            .await
            .map(|_| ())
    }

    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let listing = match start {
            PageStart::Begin(listing) => ListingPage::first(listing),
            PageStart::Resume(cursor) => ListingPage::parse(cursor)?,
        };
        let rows = rows(self.client.get(&listing.path(), priority).await?);
        // JazzHR's pages hold 100 rows; a short page is the last.
        let next = (rows.len() >= PAGE_SIZE).then(|| listing.next().cursor());
        Ok(SyncPage {
            records: rows
                .iter()
                .filter_map(Self::summary)
                .map(Listed::Partial)
                .collect(),
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let detail = self
            .client
            .get(&format!("applicants/{}", segment(id)), priority)
            .await?;
        self.candidate(&detail)
            .ok_or_else(|| AtsError::Malformed("applicant without id".into()))
    }

    async fn get_candidate_with_applications(
        &self,
        id: &str,
        priority: Priority,
    ) -> Result<(Candidate, Option<Vec<Application>>), AtsError> {
        let detail = self
            .client
            .get(&format!("applicants/{}", segment(id)), priority)
            .await?;
        let candidate = self
            .candidate(&detail)
            .ok_or_else(|| AtsError::Malformed("applicant without id".into()))?;
        let url = self.record_url(&candidate.id);
        let applications = applications_of(&detail, url.as_deref());
        Ok((candidate, Some(applications)))
    }

    /// The detail's `jobs[]` (title and workflow step), dated by the
    /// applicant's `applicants2jobs` rows (`date`).
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<Application>, AtsError> {
        let (_, applications) = self
            .get_candidate_with_applications(candidate_id, priority)
            .await?;
        let mut applications = applications.unwrap_or_default();
        let path = format!(
            "applicants2jobs/applicant_id/{}/page/1",
            segment(candidate_id)
        );
        for row in rows(self.client.get(&path, priority).await?) {
            let (Some(job), Some(date)) = (text(&row, "job_id"), text(&row, "date")) else {
                continue;
            };
            for a in &mut applications {
                if a.job_id.as_deref() == Some(job.as_str()) && a.updated_at.is_none() {
                    a.updated_at = Some(applied_at(&date));
                }
            }
        }
        Ok(applications)
    }

    async fn search_by_name(
        &self,
        name: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Vec::new());
        }
        self.all_pages(&format!("/name/{}", segment(name)), max_pages, priority)
            .await
    }

    /// Creates the applicant. A failure that is `is_transient()` may still
    /// have created it (the answer was lost): look for it before retrying.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let mut body = json!({
            "first_name": new.first_name, "last_name": new.last_name,
            "source": new.source.clone().unwrap_or_else(|| "Sourcebar".into()),
        });
        for (field, value) in [
            ("email", &new.email),
            ("phone", &new.phone),
            ("linkedin", &new.profile_url),
            ("job", &new.job_id),
            ("coverletter", &new.note),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                body[field] = Value::String(v.clone());
            }
        }
        let answer = self.client.post("applicants", body).await?;
        text(&answer, "prospect_id")
            .ok_or_else(|| AtsError::Malformed("no prospect_id in the answer".into()))
    }

    async fn add_note(&self, candidate_id: &str, text_: &str) -> Result<(), AtsError> {
        let body = json!({"applicant_id": candidate_id, "user_id": "usr_anonymous", "contents": text_, "security": "1"});
        self.client.post("notes", body).await.map(|_| ())
    }

    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        // The applicant detail carries its notes as `comments[]`. The name
        // of the text field is not documented, so every string of a comment
        // is searched.
        let detail = self
            .client
            .get(
                &format!("applicants/{}", segment(candidate_id)),
                Priority::Interactive,
            )
            .await?;
        let comments = detail.get("comments").and_then(Value::as_array);
        let found = comments.into_iter().flatten().any(|c| {
            c.as_object().is_some_and(|fields| {
                fields
                    .values()
                    .any(|v| v.as_str().is_some_and(|s| s.contains(marker)))
            })
        });
        Ok(Some(found))
    }

    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let body = json!({"applicant_id": candidate_id, "job_id": job_id});
        self.client.post("applicants2jobs", body).await.map(|_| ())
    }

    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        for page in 1.. {
            let path = format!("jobs/status/open/confidential/false/private/false/page/{page}");
            let rows = rows(self.client.get(&path, Priority::Interactive).await?);
            let n = rows.len();
            // Filtered again here: a confidential job must never be offered.
            jobs.extend(
                rows.iter()
                    .filter(|j| !flag(j, "confidential") && !flag(j, "private"))
                    .filter_map(|j| {
                        Some(Job {
                            id: text(j, "id")?,
                            title: text(j, "title").unwrap_or_default(),
                            department: text(j, "department"),
                            location: text(j, "city"),
                            status: text(j, "status").unwrap_or_else(|| "Open".into()),
                        })
                    }),
            );
            if n < PAGE_SIZE {
                break;
            }
        }
        Ok(jobs)
    }

    /// Every job, whatever its status. The name of the confidential and
    /// private fields in a job row is not documented, but the filters are:
    /// the jobs they list are marked too, so none is ever offered.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<ListedJob>, AtsError> {
        let mut hidden = std::collections::HashSet::new();
        for filter in ["confidential/true", "private/true"] {
            for row in self.all_job_rows(filter, priority).await? {
                hidden.extend(text(&row, "id"));
            }
        }
        Ok(self
            .all_job_rows("", priority)
            .await?
            .iter()
            .filter_map(|j| {
                let id = text(j, "id")?;
                let status = text(j, "status").unwrap_or_default();
                Some(ListedJob {
                    confidential: hidden.contains(&id)
                        || flag(j, "confidential")
                        || flag(j, "private"),
                    state: job_state(&status),
                    job: Job {
                        id,
                        title: text(j, "title").unwrap_or_default(),
                        department: text(j, "department"),
                        location: text(j, "city"),
                        status,
                    },
                })
            })
            .collect())
    }
}

impl JazzHr {
    /// Every row of `jobs[/{filter}]/page/{n}`.
    async fn all_job_rows(&self, filter: &str, priority: Priority) -> Result<Vec<Value>, AtsError> {
        let mut all = Vec::new();
        for page in 1.. {
            let path = if filter.is_empty() {
                format!("jobs/page/{page}")
            } else {
                format!("jobs/{filter}/page/{page}")
            };
            let rows = rows(self.client.get(&path, priority).await?);
            let n = rows.len();
            all.extend(rows);
            if n < PAGE_SIZE {
                break;
            }
        }
        Ok(all)
    }
}

/// The applications an applicant detail shows in `jobs[]`: one per job
/// (JazzHR keeps one applicant-to-job mapping per job, so the job's id
/// names it), at the workflow step `applicant_progress` names.
fn applications_of(detail: &Value, ats_url: Option<&str>) -> Vec<Application> {
    rows(detail.get("jobs").cloned().unwrap_or(Value::Null))
        .iter()
        .filter_map(|j| {
            let job_id = text(j, "job_id")?;
            let step = text(j, "applicant_progress");
            let status = step
                .as_deref()
                .map_or(ApplicationStatus::Active, step_status);
            Some(Application {
                id: job_id.clone(),
                job_id: Some(job_id),
                job_title: text(j, "job_title"),
                // A closing step ("Hired", "Not Hired") is the status, not a stage.
                stage: step.filter(|_| status == ApplicationStatus::Active),
                status,
                updated_at: text(j, "date").map(|d| applied_at(&d)),
                ats_url: ats_url.map(str::to_string),
                stale: false,
            })
        })
        .collect()
}

/// What a workflow step's name says of the application: JazzHR closes an
/// application by moving it to a step named so.
fn step_status(step: &str) -> ApplicationStatus {
    let step = step.trim().to_ascii_lowercase();
    if step == "hired" {
        ApplicationStatus::Hired
    } else if step.starts_with("not hired") || step.starts_with("rejected") || step == "not a fit" {
        ApplicationStatus::Rejected
    } else if step.starts_with("withdr") {
        ApplicationStatus::Withdrawn
    } else {
        ApplicationStatus::Active
    }
}

/// A JazzHR date (`YYYY-MM-DD`, or a date and time) as RFC 3339.
fn applied_at(date: &str) -> String {
    let date = date.trim();
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.replacen(' ', "T", 1)
    }
}

/// JazzHR's job statuses ("Open", "On Hold", "Drafting", ...) in the
/// mirror's words; anything not hiring and not a draft is closed.
fn job_state(status: &str) -> JobState {
    match status.trim().to_ascii_lowercase().as_str() {
        "open" => JobState::Open,
        "drafting" | "draft" => JobState::Draft,
        "archived" => JobState::Archived,
        _ => JobState::Closed,
    }
}

/// One page of a JazzHR listing, which pages by number with the filter in
/// the path: `applicants[/from_apply_date/{date}]/page/{n}`. Its cursor is
/// that path.
#[derive(Debug, PartialEq, Eq)]
struct ListingPage {
    /// `""` or `/from_apply_date/YYYY-MM-DD`.
    filter: String,
    page: u32,
}

impl ListingPage {
    fn first(listing: Listing) -> Self {
        let filter = match listing {
            Listing::Full => String::new(),
            // JazzHR filters by apply date only, in the account's time
            // zone: a day earlier covers any zone, and it lists new
            // applicants only (it has no "changed since").
            Listing::ChangedSince(ms) => {
                format!("/from_apply_date/{}", when::date(ms - 86_400_000))
            }
        };
        ListingPage { filter, page: 1 }
    }

    fn path(&self) -> String {
        format!("applicants{}/page/{}", self.filter, self.page)
    }

    fn next(&self) -> Self {
        ListingPage {
            filter: self.filter.clone(),
            page: self.page.saturating_add(1),
        }
    }

    fn cursor(&self) -> SyncCursor {
        SyncCursor(self.path())
    }

    /// A cursor this adapter wrote (anything else is refused, not fetched).
    fn parse(cursor: &SyncCursor) -> Result<Self, AtsError> {
        let bad = || AtsError::Malformed(format!("not a JazzHR listing cursor: {}", cursor.0));
        let rest = cursor.0.strip_prefix("applicants").ok_or_else(bad)?;
        let (filter, page) = rest.rsplit_once("/page/").ok_or_else(bad)?;
        let page: u32 = page.parse().map_err(|_| bad())?;
        let date_ok = |d: &str| d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        let filter_ok = filter.is_empty()
            || filter
                .strip_prefix("/from_apply_date/")
                .is_some_and(date_ok);
        if !filter_ok || page == 0 {
            return Err(bad());
        }
        Ok(ListingPage {
            filter: filter.to_string(),
            page,
        })
    }
}

fn flag(value: &Value, field: &str) -> bool {
    matches!(value.get(field), Some(Value::Bool(true)))
        || text(value, field).is_some_and(|v| v == "1" || v == "true")
}

#[cfg(test)]
mod tests {
    use super::{location, Listing, ListingPage, SyncCursor};

    #[test]
    fn a_listing_cursor_is_the_next_page_and_only_ours_are_accepted() {
        let first = ListingPage::first(Listing::ChangedSince(1_767_225_600_000));
        assert_eq!(first.path(), "applicants/from_apply_date/2025-12-31/page/1");
        let cursor = first.next().cursor();
        assert_eq!(cursor.0, "applicants/from_apply_date/2025-12-31/page/2");
        assert_eq!(ListingPage::parse(&cursor).unwrap(), first.next());
        assert_eq!(
            ListingPage::first(Listing::Full).path(),
            "applicants/page/1"
        );
        for bad in [
            "users/page/1",
            "applicants/page/0",
            "applicants/page/x",
            "applicants/../users/page/2",
            "applicants/from_apply_date/../../x/page/2",
        ] {
            assert!(
                ListingPage::parse(&SyncCursor(bad.into())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn placeholders_are_dropped_from_a_location() {
        assert_eq!(
            location("(No City Provided) (No State Provided) (No Postal Code Provided)"),
            None
        );
        assert_eq!(
            location("Lyon (No State Provided) (No Postal Code Provided)").as_deref(),
            Some("Lyon")
        );
        assert_eq!(
            location("(No City Provided) CA 94105").as_deref(),
            Some("CA 94105")
        );
        assert_eq!(location("Paris, France").as_deref(), Some("Paris, France"));
        assert_eq!(
            location("Town (No Provided").as_deref(),
            Some("Town (No Provided")
        );
    }
}
