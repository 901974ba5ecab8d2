//! The Personio adapter: two public APIs, each with its own credential.
//!
//! Reading goes through the v2 Recruiting API (OAuth2 client credentials:
//! a client id and secret traded at `/v2/auth/token` for a bearer token):
//! candidates listed newest-updated first by cursor, with an `email` and
//! an `updated_at.gt` filter and no name filter; jobs. Writing goes through
//! the Recruiting API's create-application endpoint (the Recruiting API key
//! as a bearer token plus `X-Company-ID`): an application always names a
//! job position and an email, and its `message` is the only place for a
//! note; there is no note endpoint and no update of a candidate. Facts and
//! sources: `shared/ats/README.md` §10; choices: the sandbox's README,
//! "Personio".

use crate::fields::string_at as text;
use crate::http::{segment, Auth, Call, ClientCredentials, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, Job, Listed, Listing, NewCandidate, PageStart, Priority,
    ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use serde_json::{json, Value};
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

/// Personio's API root (both APIs hang under it).
pub const DEFAULT_BASE_URL: &str = "https://api.personio.de";
/// The v2 scope every read needs, as Personio names it on the credential.
pub const READ_SCOPE: &str = "personio:recruiting:read";
/// Candidates asked for per page (Personio: 1 to 200, 100 by default).
pub const PAGE_SIZE: usize = 100;
/// Jobs pages followed before giving up on more.
const MAX_JOB_PAGES: usize = 20;
/// `updated_at.gt` is compared with two clocks.
const CHANGES_MARGIN_MS: i64 = 60_000;

/// The one secret: the v2 client secret and the Recruiting API key, both.
pub const API_KEY: Field = Field {
    name: "api_key",
    label: "Client secret and Recruiting API key",
    label_fr: "Secret client et clé de l’API Recruiting",
    help: Some((
        "In Personio: Settings → Integrations → API credentials. Create a credential with the personio:recruiting:read scope and copy its Client secret; then open \"Recruiting API key\" and copy its access token. Paste both here, the client secret first, separated by a space.",
        "Dans Personio : Paramètres → Intégrations → Identifiants API. Créez un identifiant avec le droit personio:recruiting:read et copiez son Client secret ; ouvrez ensuite « Recruiting API key » et copiez son jeton d’accès. Collez les deux ici, le secret client d’abord, séparés par une espace.",
    )),
    secret: true,
    required: true,
    kind: FieldKind::Text,
};
/// The v2 credential's client id.
pub const CLIENT_ID: Field = Field {
    name: "client_id",
    label: "Client ID",
    label_fr: "Identifiant client (Client ID)",
    help: Some((
        "Shown with the client secret under Settings → Integrations → API credentials.",
        "Affiché avec le secret client dans Paramètres → Intégrations → Identifiants API.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};
/// The company id the Recruiting API asks for in `X-Company-ID`.
pub const COMPANY_ID: Field = Field {
    name: "company_id",
    label: "Company ID",
    label_fr: "Identifiant de l’entreprise (Company ID)",
    help: Some((
        "Shown with the Recruiting API key under Settings → Integrations → API credentials.",
        "Affiché avec la clé de l’API Recruiting dans Paramètres → Intégrations → Identifiants API.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};

/// What Personio's public APIs can do (`shared/ats/README.md` §10): an
/// email filter but no name filter; an application always names a job and
/// an email; no note endpoint (the note travels in the application's
/// message); no LinkedIn field to read or write and no candidate update;
/// applications can be read.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: false,
    create_without_job: false,
    create_without_email: false,
    notes: false,
    link_field: false,
    link_update: false,
    // v2 lists applications, but this adapter does not read them yet.
    applications: false,
    stages: false,
};

/// One Personio company, reached through both APIs.
pub struct Personio {
    read: HttpClient,
    write: HttpClient,
}

/// The two credentials in the one secret: `client_secret recruiting_key`;
/// a single word serves as both (a sandbox's one key).
fn credentials(key: &ApiKey) -> Result<(ApiKey, ApiKey), AtsError> {
    let words: Vec<&str> = key.expose().split_whitespace().collect();
    match words.as_slice() {
        [both] => Ok((ApiKey::new(*both), ApiKey::new(*both))),
        [secret, recruiting] => Ok((ApiKey::new(*secret), ApiKey::new(*recruiting))),
        _ => Err(AtsError::InvalidKey),
    }
}

impl Personio {
    /// An adapter for the company at `address` (`base_url`: a sandbox or
    /// another root; Personio's own by default).
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
        let (secret, recruiting) = credentials(&key)?;
        // Only its two halves are kept.
        drop(key);
        let client_id = address.setting(CLIENT_ID.name).unwrap_or_default().trim();
        let company = address.setting(COMPANY_ID.name).unwrap_or_default().trim();
        let token = ClientCredentials::new(format!("{base}/v2/auth/token"), client_id)
            .credentials_in_body();
        let read = HttpClient::new(
            base,
            Auth::ClientCredentials(token),
            secret,
            budget.clone(),
            reach,
        )?;
        let write = HttpClient::new(base, Auth::bearer(), recruiting, budget, reach)?
            .with_header("x-company-id", company)?;
        Ok(Personio { read, write })
    }

    async fn read(&self, call: Call) -> Result<Value, AtsError> {
        Ok(self.read.send(call.needs(READ_SCOPE)).await?.body)
    }

    /// One page of candidates with `query`.
    async fn candidates(
        &self,
        query: &[(String, String)],
        priority: Priority,
    ) -> Result<Value, AtsError> {
        let mut call = Call::get("v2/recruiting/candidates").priority(priority);
        for (name, value) in query {
            call = call.query(name, value.clone());
        }
        self.read(call).await
    }

    /// The candidate with this email, newest first: how a created one is
    /// found (the create answers no id).
    async fn id_by_email(&self, email: &str) -> Result<Option<String>, AtsError> {
        let answer = self
            .candidates(
                &[
                    ("email".into(), email.to_string()),
                    ("limit".into(), "1".into()),
                ],
                Priority::Interactive,
            )
            .await?;
        Ok(rows(&answer).first().and_then(|c| c.get("id")).map(id_text))
    }

    /// `POST /v1/recruiting/applications`: a person on a job position.
    async fn apply(&self, body: Value) -> Result<(), AtsError> {
        self.write
            .send(Call::post("v1/recruiting/applications", body))
            .await
            .map(|_| ())
    }
}

/// The rows of a v2 list (`_data`).
fn rows(answer: &Value) -> &[Value] {
    answer
        .get("_data")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The query of the next page (`_meta.links.next.href`), as pairs.
fn next_query(answer: &Value) -> Option<String> {
    let href = answer.pointer("/_meta/links/next/href")?.as_str()?;
    let query = href.split_once('?').map_or(href, |(_, q)| q);
    (!query.is_empty()).then(|| query.to_string())
}

fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// Percent-decoding of a query value (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some() =>
            {
                let hex = s.get(i + 1..i + 3).unwrap_or_default();
                out.push(u8::from_str_radix(hex, 16).unwrap_or_default());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An id, as a number or a string.
fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A v2 candidate: everything the mirror keeps but a LinkedIn URL, which
/// the API does not return (custom attributes are left out).
fn candidate(c: &Value) -> Option<Candidate> {
    Some(Candidate {
        id: c.get("id").map(id_text)?,
        first_name: text(c, "/first_name").unwrap_or_default(),
        last_name: text(c, "/last_name").unwrap_or_default(),
        email: text(c, "/email"),
        phone: text(c, "/phone"),
        profile_url: None,
        company: None,
        title: None,
        location: text(c, "/location"),
        ats_url: None,
        created_at: text(c, "/created_at"),
    })
}

/// The application's message: the upload's note and the profile URL,
/// since Personio has no note endpoint and no LinkedIn field.
fn message(new: &NewCandidate) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
        lines.push(format!("LinkedIn: {url}"));
    }
    if let Some(note) = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        lines.push(note.to_string());
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A job position id as Personio's create takes it: a number.
fn position(job: &str) -> Value {
    job.trim()
        .parse::<u64>()
        .map_or_else(|_| json!(job.trim()), |n| json!(n))
}

#[async_trait]
impl Ats for Personio {
    fn provider(&self) -> ProviderId {
        ProviderId::Personio
    }

    /// Personio's candidate pages live under each company's own host,
    /// which the API does not tell.
    fn record_url(&self, _candidate_id: &str) -> Option<String> {
        None
    }

    /// Both credentials: the client secret by listing one candidate, the
    /// Recruiting API key and company id by an empty application, which
    /// Personio refuses as invalid (400, nothing created) when they are
    /// right and as unauthorised (401) when they are not.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.candidates(&[("limit".into(), "1".into())], Priority::Interactive)
            .await?;
        match self.apply(json!({})).await {
            Ok(()) | Err(AtsError::Ats(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Candidates by cursor, newest-updated first; changes through
    /// `updated_at.gt`. The cursor is the next page's query, filters and
    /// all, as Personio writes it.
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let mut query = vec![("limit".to_string(), PAGE_SIZE.to_string())];
        match start {
            PageStart::Begin(Listing::Full) => {}
            PageStart::Begin(Listing::ChangedSince(ms)) => query.push((
                "updated_at.gt".into(),
                crate::when::rfc3339(ms - CHANGES_MARGIN_MS),
            )),
            PageStart::Resume(cursor) => {
                query = pairs(&cursor.0);
                if !query.iter().any(|(k, _)| k == "cursor") {
                    return Err(AtsError::Malformed(format!(
                        "not a Personio cursor: {}",
                        cursor.0
                    )));
                }
            }
        }
        let answer = self.candidates(&query, priority).await?;
        if answer.get("_data").and_then(Value::as_array).is_none() {
            return Err(AtsError::Malformed(
                "no _data in the candidates answer".into(),
            ));
        }
        let records: Vec<Listed> = rows(&answer)
            .iter()
            .filter_map(candidate)
            .map(Listed::Complete)
            .collect();
        let next = next_query(&answer)
            .filter(|_| !records.is_empty())
            .map(SyncCursor);
        Ok(SyncPage {
            records,
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let answer = self
            .read(Call::get(format!("v2/recruiting/candidates/{}", segment(id))).priority(priority))
            .await?;
        let c = answer.get("_data").unwrap_or(&answer);
        candidate(c).ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    /// The `email` filter, exact.
    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let answer = self
            .candidates(&[("email".into(), email.trim().to_string())], priority)
            .await?;
        Ok(rows(&answer)
            .iter()
            .filter_map(candidate)
            .map(Listed::Complete)
            .collect())
    }

    /// An application on the job with the note (and the LinkedIn URL) as
    /// its message, then the candidate found by email: the create answers
    /// no id. A failure that `is_transient()` may still have created it.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let Some(job) = new.job_id.as_deref().filter(|j| !j.trim().is_empty()) else {
            return Err(AtsError::Unsupported("create a candidate without a job"));
        };
        let Some(email) = new
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        else {
            return Err(AtsError::Unsupported("create a candidate without an email"));
        };
        let mut body = json!({
            "first_name": new.first_name.trim(),
            "last_name": new.last_name.trim(),
            "email": email,
            "job_position_id": position(job),
        });
        if let Some(message) = message(new) {
            body["message"] = json!(message);
        }
        self.apply(body).await?;
        self.id_by_email(email)
            .await?
            .ok_or_else(|| AtsError::Malformed("the new candidate is not listed".into()))
    }

    /// Personio has no note endpoint: a note travels only in an
    /// application's message, when it is created.
    async fn add_note(&self, _candidate_id: &str, _text: &str) -> Result<(), AtsError> {
        Err(AtsError::Unsupported("add a note to an existing candidate"))
    }

    /// Another application with the candidate's names and email on that
    /// job, which Personio files under the same candidate (the sandbox's
    /// README says how sure that is).
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let c = self
            .get_candidate(candidate_id, Priority::Interactive)
            .await?;
        let Some(email) = c.email else {
            return Err(AtsError::Unsupported(
                "put a candidate without an email on another job",
            ));
        };
        self.apply(json!({
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": email,
            "job_position_id": position(job_id),
        }))
        .await
    }

    /// Jobs whose status is OPEN, page by page.
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        let mut query = vec![("limit".to_string(), "100".to_string())];
        for _ in 0..MAX_JOB_PAGES {
            let mut call = Call::get("v2/recruiting/jobs");
            for (name, value) in &query {
                call = call.query(name, value.clone());
            }
            let answer = self.read(call).await?;
            let page = answer
                .get("_data")
                .and_then(Value::as_array)
                .ok_or_else(|| AtsError::Malformed("no _data in the jobs answer".into()))?;
            jobs.extend(
                page.iter()
                    .filter(|j| text(j, "/status").as_deref() == Some("OPEN"))
                    .filter_map(|j| {
                        Some(Job {
                            id: j.get("id").map(id_text)?,
                            title: text(j, "/name").unwrap_or_default(),
                            department: text(j, "/department/name"),
                            location: text(j, "/office/name"),
                            status: "OPEN".into(),
                        })
                    }),
            );
            match next_query(&answer) {
                Some(next) if !page.is_empty() => query = pairs(&next),
                _ => break,
            }
        }
        Ok(jobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_secret_holds_the_client_secret_then_the_recruiting_key() {
        let (s, r) = credentials(&ApiKey::new("sec  rec\n")).unwrap();
        assert_eq!((s.expose(), r.expose()), ("sec", "rec"));
        let (s, r) = credentials(&ApiKey::new("both")).unwrap();
        assert_eq!((s.expose(), r.expose()), ("both", "both"));
        assert!(credentials(&ApiKey::new("a b c")).is_err());
        assert!(credentials(&ApiKey::new("  ")).is_err());
    }

    #[test]
    fn the_next_page_is_the_query_of_the_next_link() {
        let answer = json!({"_data": [], "_meta": {"links": {"next": {"href": "https://api.personio.de/v2/recruiting/candidates?cursor=abc%3D&limit=100"}}}});
        let next = next_query(&answer).unwrap();
        assert_eq!(
            pairs(&next),
            [
                ("cursor".to_string(), "abc=".to_string()),
                ("limit".to_string(), "100".to_string())
            ]
        );
        assert_eq!(next_query(&json!({"_data": []})), None);
    }

    #[test]
    fn the_message_carries_the_link_and_the_note() {
        let new = NewCandidate {
            profile_url: Some("https://fr.linkedin.com/in/ana-p/".into()),
            note: Some("Head of Data".into()),
            ..NewCandidate::default()
        };
        assert_eq!(
            message(&new).unwrap(),
            "LinkedIn: https://www.linkedin.com/in/ana-p/\nHead of Data"
        );
        assert_eq!(message(&NewCandidate::default()), None);
    }
}
