//! The Ashby adapter (RPC-style API, HTTP Basic with the key).
//!
//! Every call is a `POST` of a JSON body; a business error comes back as
//! HTTP 200 with `success: false` and becomes a typed error in
//! [`client`]. Lists carry whole candidates (emails and social links), so
//! a sync needs no detail reads; `candidate.search` finds people by email
//! and by name; `candidate.list` pages by `nextCursor` and follows changes
//! with the `syncToken` its last page gives. Facts and sources:
//! `shared/ats/README.md` §8; choices: the sandbox's README, "Ashby".

mod client;
mod sync_tokens;

use crate::fields::string as text;
use crate::http::{Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, Job, Listed, Listing, NewCandidate, PageStart, Priority,
    ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use serde_json::{json, Value};
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
use std::sync::Arc;
use sync_tokens::SyncTokens;

/// Ashby's public API root.
pub const API_ROOT: &str = "https://api.ashbyhq.com";
/// Rows per page: `candidate.list`'s most.
pub const PAGE_SIZE: usize = 100;
/// Ashby's permission names, as its API-key settings show them.
const READ: &str = "candidatesRead";
const WRITE: &str = "candidatesWrite";
const JOBS: &str = "jobsRead";

/// The API key, and where an Ashby admin makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In Ashby (an admin): Admin → Integrations → API Keys → New, with the permissions Candidates: Read and Write, and Jobs: Read.",
    "Dans Ashby (un administrateur) : Admin → Integrations → API Keys → New, avec les permissions Candidates : Read et Write, et Jobs : Read.",
));

/// What Ashby's public API can do (`shared/ats/README.md` §8):
/// `candidate.search` by email and by name; `candidate.create` needs only
/// a name, no job; `candidate.createNote`; `socialLinks` hold the LinkedIn
/// URL and `candidate.update` adds one; `application.create` puts a
/// candidate on a job at a stage.
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

/// One Ashby account.
pub struct Ashby {
    client: HttpClient,
    /// The `syncToken` of this account's last finished listing.
    tokens: SyncTokens,
}

impl Ashby {
    /// An adapter for the account reached with `key`, at `base_url` when
    /// given (a sandbox), else at Ashby's API root.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let base = address.base_url.unwrap_or(API_ROOT);
        let tokens = SyncTokens::for_account(base, &key);
        Ok(Ashby {
            client: client::client(base, key, budget, reach)?,
            tokens,
        })
    }

    /// One RPC call; reads (`list`, `info`, `search`) may be sent again.
    async fn rpc(
        &self,
        method: &str,
        body: Value,
        permission: &'static str,
        priority: Priority,
    ) -> Result<Value, AtsError> {
        let mut call = Call::post(method, body)
            .priority(priority)
            .needs(permission);
        if [".list", ".info", ".search", ".listNotes"]
            .iter()
            .any(|m| method.ends_with(m))
        {
            call = call.idempotent();
        }
        Ok(self.client.send(call).await?.body)
    }

    async fn info(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        let answer = self
            .rpc("candidate.info", json!({ "id": id }), READ, priority)
            .await?;
        Ok(answer.get("results").cloned().unwrap_or(Value::Null))
    }

    async fn search(&self, body: Value, priority: Priority) -> Result<Vec<Listed>, AtsError> {
        let answer = self.rpc("candidate.search", body, READ, priority).await?;
        Ok(results(&answer)
            .iter()
            .filter_map(candidate)
            .map(Listed::Complete)
            .collect())
    }

    async fn apply(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        self.rpc(
            "application.create",
            json!({"candidateId": candidate_id, "jobId": job_id}),
            WRITE,
            Priority::Interactive,
        )
        .await
        .map(|_| ())
    }

    async fn write_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        self.rpc(
            "candidate.createNote",
            json!({"candidateId": candidate_id, "note": text, "sendNotifications": false}),
            WRITE,
            Priority::Interactive,
        )
        .await
        .map(|_| ())
    }

    /// One `candidate.list` page from `position`.
    async fn list(&self, position: &Position, priority: Priority) -> Result<Value, AtsError> {
        let mut body = json!({ "limit": PAGE_SIZE });
        if let Some(cursor) = &position.cursor {
            body["cursor"] = json!(cursor);
        }
        if let Some(token) = &position.sync_token {
            body["syncToken"] = json!(token);
        }
        self.rpc("candidate.list", body, READ, priority).await
    }
}

/// Where a listing stands: Ashby's cursor within the walk, and the sync
/// token the walk follows changes from (`None`: a full listing). Stored
/// by the companion as the [`SyncCursor`]'s text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Position {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
    #[serde(default, rename = "syncToken", skip_serializing_if = "Option::is_none")]
    sync_token: Option<String>,
}

impl Position {
    fn read(cursor: &SyncCursor) -> Result<Self, AtsError> {
        serde_json::from_str(&cursor.0)
            .map_err(|_| AtsError::Malformed(format!("not an Ashby listing cursor: {}", cursor.0)))
    }

    fn write(&self) -> SyncCursor {
        SyncCursor(serde_json::to_string(self).unwrap_or_default())
    }
}

fn results(answer: &Value) -> &[Value] {
    answer
        .get("results")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Ashby keeps one `name`: the first word is the given name, the rest the
/// family name ("Ludwig van der Rohe").
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// The LinkedIn URL among `socialLinks`.
fn linkedin_of(candidate: &Value) -> Option<String> {
    candidate
        .get("socialLinks")
        .and_then(Value::as_array)?
        .iter()
        .filter(|l| {
            l.get("type")
                .and_then(Value::as_str)
                .is_none_or(|t| t.eq_ignore_ascii_case("linkedin"))
        })
        .filter_map(|l| text(l, "url"))
        .find_map(|u| canonical_linkedin_url(&u))
}

/// A candidate as Sourcebar keeps it.
fn candidate(c: &Value) -> Option<Candidate> {
    let id = text(c, "id")?;
    let (first_name, last_name) = split_name(&text(c, "name").unwrap_or_default());
    let email = c
        .pointer("/primaryEmailAddress/value")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            c.pointer("/emailAddresses/0/value")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    Some(Candidate {
        first_name,
        last_name,
        email,
        phone: c
            .pointer("/primaryPhoneNumber/value")
            .and_then(Value::as_str)
            .map(str::to_string),
        profile_url: linkedin_of(c),
        company: text(c, "company"),
        title: text(c, "position"),
        location: c
            .pointer("/location/locationSummary")
            .and_then(Value::as_str)
            .map(str::to_string),
        ats_url: text(c, "profileUrl"),
        created_at: text(c, "createdAt"),
        id,
    })
}

#[async_trait]
impl Ats for Ashby {
    fn provider(&self) -> ProviderId {
        ProviderId::Ashby
    }

    /// Answers carry `profileUrl`; without one, Ashby's app by id.
    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!(
            "https://app.ashbyhq.com/candidates/{}",
            crate::http::segment(candidate_id)
        ))
    }

    /// One candidate (`candidatesRead`), then one job (`jobsRead`): the two
    /// permissions a sync and the job picker need. `candidatesWrite`
    /// cannot be checked without writing: a key without it is refused at
    /// the first write, naming it.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.rpc(
            "candidate.list",
            json!({"limit": 1}),
            READ,
            Priority::Interactive,
        )
        .await?;
        self.rpc("job.list", json!({"limit": 1}), JOBS, Priority::Interactive)
            .await
            .map(|_| ())
    }

    /// A full listing, or the changes since the sync token of this
    /// account's last finished listing; with no token in hand (another
    /// process, a restart), or one Ashby no longer takes, a full listing.
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let position = match start {
            PageStart::Begin(Listing::Full) => Position::default(),
            PageStart::Begin(Listing::ChangedSince(_)) => Position {
                cursor: None,
                sync_token: self.tokens.get(),
            },
            PageStart::Resume(cursor) => Position::read(cursor)?,
        };
        let (position, answer) = match self.list(&position, priority).await {
            Err(e) if position != Position::default() && client::restarts_listing(&e) => {
                tracing::info!(
                    detail = e.detail().unwrap_or_default(),
                    "Ashby listing restarted in full"
                );
                self.tokens.forget();
                let fresh = Position::default();
                let answer = self.list(&fresh, priority).await?;
                (fresh, answer)
            }
            other => (position, other?),
        };
        let more = answer.get("moreDataAvailable") == Some(&Value::Bool(true));
        let next = match (more, text(&answer, "nextCursor")) {
            (true, Some(cursor)) => Some(
                Position {
                    cursor: Some(cursor),
                    sync_token: position.sync_token.clone(),
                }
                .write(),
            ),
            (true, None) => {
                return Err(AtsError::Malformed(
                    "more data available but no nextCursor".into(),
                ))
            }
            (false, _) => {
                if let Some(token) = text(&answer, "syncToken") {
                    self.tokens.set(token);
                }
                None
            }
        };
        Ok(SyncPage {
            records: results(&answer)
                .iter()
                .filter_map(candidate)
                .map(Listed::Complete)
                .collect(),
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        candidate(&self.info(id, priority).await?)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        if email.trim().is_empty() {
            return Ok(Vec::new());
        }
        self.search(json!({ "email": email.trim() }), priority)
            .await
    }

    /// `candidate.search` has no pages: one call, whatever `max_pages`.
    async fn search_by_name(
        &self,
        name: &str,
        _max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        if name.trim().is_empty() {
            return Ok(Vec::new());
        }
        self.search(json!({ "name": name.trim() }), priority).await
    }

    /// `candidate.create`, then `application.create` when a job is given,
    /// then the upload's note. A failure that `is_transient()` may still
    /// have created it: the caller looks before trying again.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let name = format!("{} {}", new.first_name.trim(), new.last_name.trim());
        let mut body = json!({ "name": name.trim() });
        for (field, value) in [("email", &new.email), ("phoneNumber", &new.phone)] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                body[field] = json!(v);
            }
        }
        if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
            body["linkedInUrl"] = json!(url);
        }
        let answer = self
            .rpc("candidate.create", body, WRITE, Priority::Interactive)
            .await?;
        let id = answer
            .get("results")
            .and_then(|c| text(c, "id"))
            .ok_or_else(|| AtsError::Malformed("no candidate id in the answer".into()))?;
        if let Some(job) = new.job_id.as_deref().filter(|j| !j.is_empty()) {
            self.apply(&id, job).await?;
        }
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

    /// Notes are read back with `candidate.listNotes`, page by page.
    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let mut body = json!({"candidateId": candidate_id, "limit": PAGE_SIZE});
        loop {
            let answer = self
                .rpc(
                    "candidate.listNotes",
                    body.clone(),
                    READ,
                    Priority::Interactive,
                )
                .await?;
            if results(&answer)
                .iter()
                .any(|n| text(n, "content").is_some_and(|c| c.contains(marker)))
            {
                return Ok(Some(true));
            }
            match text(&answer, "nextCursor") {
                Some(cursor) if answer.get("moreDataAvailable") == Some(&Value::Bool(true)) => {
                    body["cursor"] = json!(cursor);
                }
                _ => return Ok(Some(false)),
            }
        }
    }

    /// Adds the LinkedIn URL to `socialLinks`, which `candidate.update`
    /// replaces whole: the record's own links are read and sent back with
    /// it. A record that already holds a LinkedIn profile keeps it (the
    /// merge's note carries the new one); the same list sent twice changes
    /// nothing, so the call may be repeated.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let Some(url) = canonical_linkedin_url(url) else {
            return Err(AtsError::Unsupported(
                "add a link that is not a LinkedIn profile",
            ));
        };
        let record = self.info(candidate_id, Priority::Interactive).await?;
        if let Some(current) = linkedin_of(&record) {
            if linkedin_public_id(&current) != linkedin_public_id(&url) {
                tracing::info!(
                    candidate = candidate_id,
                    "socialLinks already hold another LinkedIn profile; left as they are"
                );
            }
            return Ok(());
        }
        let mut links: Vec<Value> = record
            .get("socialLinks")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        links.push(json!({"type": "LinkedIn", "url": url}));
        let call = Call::post(
            "candidate.update",
            json!({"candidateId": candidate_id, "socialLinks": links}),
        )
        .needs(WRITE)
        .idempotent();
        self.client.send(call).await.map(|_| ())
    }

    /// A candidate already on the job (Ashby says so) is where it should be.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        match self.apply(candidate_id, job_id).await {
            Err(e) if client::already_on_job(&e) => Ok(()),
            other => other,
        }
    }

    /// Open jobs, confidential ones left out (filtered again here).
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        let mut body = json!({"limit": PAGE_SIZE});
        loop {
            let answer = self
                .rpc("job.list", body.clone(), JOBS, Priority::Interactive)
                .await?;
            jobs.extend(
                results(&answer)
                    .iter()
                    .filter(|j| text(j, "status").as_deref() == Some("Open"))
                    .filter(|j| j.get("confidential") != Some(&Value::Bool(true)))
                    .filter_map(|j| {
                        Some(Job {
                            id: text(j, "id")?,
                            title: text(j, "title").unwrap_or_default(),
                            department: None,
                            location: None,
                            status: "Open".into(),
                        })
                    }),
            );
            match text(&answer, "nextCursor") {
                Some(cursor) if answer.get("moreDataAvailable") == Some(&Value::Bool(true)) => {
                    body["cursor"] = json!(cursor);
                }
                _ => return Ok(jobs),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_splits_at_its_first_space() {
        assert_eq!(
            split_name(" Ludwig van der Rohe "),
            ("Ludwig".into(), "van der Rohe".into())
        );
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }

    #[test]
    fn a_candidate_is_read_with_its_primary_email_and_linkedin_link() {
        let c = candidate(&json!({
            "id": "c1", "name": "Ana Pérez", "createdAt": "2024-01-02T03:04:05.000Z",
            "primaryEmailAddress": {"value": "ana@x.io", "type": "Personal", "isPrimary": true},
            "socialLinks": [{"type": "GitHub", "url": "https://github.com/ana"},
                            {"type": "LinkedIn", "url": "https://fr.linkedin.com/in/Ana-P"}],
            "profileUrl": "https://app.ashbyhq.com/candidates/c1"
        }))
        .unwrap();
        assert_eq!(
            (c.first_name.as_str(), c.last_name.as_str()),
            ("Ana", "Pérez")
        );
        assert_eq!(c.email.as_deref(), Some("ana@x.io"));
        assert_eq!(
            c.profile_url.as_deref(),
            Some("https://www.linkedin.com/in/ana-p/")
        );
        assert!(candidate(&json!({"name": "No Id"})).is_none());
    }

    #[test]
    fn a_listing_position_round_trips_and_rejects_garbage() {
        let p = Position {
            cursor: Some("abc".into()),
            sync_token: Some("tok".into()),
        };
        assert_eq!(Position::read(&p.write()).unwrap(), p);
        assert_eq!(Position::default().write().0, "{}");
        assert!(Position::read(&SyncCursor("page=2".into())).is_err());
    }
}
