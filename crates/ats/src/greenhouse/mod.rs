//! The Greenhouse adapter (Harvest v3; v1 and v2 were switched off on
//! 31 August 2026).
//!
//! Harvest v3 trades a client id and secret for a bearer token acting as a
//! Greenhouse user, pages by a cursor in the `Link` header, and lists
//! candidates with their emails and social media addresses, so a listing
//! is complete without detail reads. A candidate applies to a job; a
//! person without a job is a prospect. A LinkedIn URL goes in
//! `social_media_addresses`, an array that a PATCH replaces whole.
//! Facts and their sources: `shared/ats/README.md` §2 and
//! harvestdocs.greenhouse.io (authentication, pagination, list endpoints,
//! the READ and WRITE migration guides, "List candidates"); where v3's docs
//! are silent this follows v1's documented shapes (crates/sandbox/README.md,
//! "Greenhouse", lists each choice).

mod applications;
mod client;

use crate::fields::text_or_number as text;
use crate::http::segment;
use crate::http::{Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::{Adapter, Field, Provider, RateLimit};
use crate::{
    when, AccountAddress, ApiKey, Ats, AtsError, Job, Listed, Listing, NewCandidate, PageStart,
    Priority, ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use reqwest::Method;
use serde_json::{json, Value};
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;
use std::time::Duration;

/// Harvest v3's API root.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io/v3";
/// Where Harvest v3 mints tokens.
pub const DEFAULT_TOKEN_URL: &str = "https://auth.greenhouse.io/token";
/// Where a person opens a candidate in Greenhouse (`/{id}` follows).
pub const APP_URL: &str = "https://app.greenhouse.io/people";
/// Rows asked for per page (v3's "List candidates": 1 to 500, default 100).
pub const PAGE_SIZE: usize = 100;
/// Pages followed for a lookup or a read-back before giving up on more.
const MAX_LOOKUP_PAGES: usize = 20;

/// The scopes each call needs, as Greenhouse names them where an admin
/// gives a credential its scopes (Manage Scopes); a refusal names the one
/// missing.
pub mod scope {
    pub const CANDIDATES_LIST: &str = "harvest:candidates:list";
    pub const CANDIDATES_CREATE: &str = "harvest:candidates:create";
    pub const CANDIDATES_UPDATE: &str = "harvest:candidates:update";
    pub const PROSPECTS_CREATE: &str = "harvest:prospects:create";
    pub const NOTES_LIST: &str = "harvest:notes:list";
    pub const NOTES_CREATE: &str = "harvest:notes:create";
    pub const APPLICATIONS_LIST: &str = "harvest:applications:list";
    pub const APPLICATIONS_CREATE: &str = "harvest:applications:create";
    pub const JOBS_LIST: &str = "harvest:jobs:list";
}

/// The client id of the Harvest v3 credential.
pub const CLIENT_ID: Field = Field {
    name: "client_id",
    label: "Client ID",
    label_fr: "Identifiant client (Client ID)",
    help: Some((
        "In Greenhouse: Configure → Dev Center → API Credential Management → Create new API credentials → Harvest V3 (OAuth). Once saved, Greenhouse shows the Client ID and Client Secret; under Manage Scopes, allow listing, creating and updating candidates, creating prospects, listing and creating notes, listing and creating applications and listing jobs.",
        "Dans Greenhouse : Configure → Dev Center → API Credential Management → Create new API credentials → Harvest V3 (OAuth). Une fois enregistré, Greenhouse affiche le Client ID et le Client Secret ; dans Manage Scopes, autorisez la lecture, la création et la modification des candidats, la création de prospects, la lecture et la création de notes, la lecture et la création de candidatures et la lecture des postes.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};
/// The one secret: the credential's client secret.
pub const CLIENT_SECRET: Field = Field {
    name: "api_key",
    label: "Client secret",
    label_fr: "Secret client (Client Secret)",
    help: Some((
        "Shown with the Client ID when the Harvest V3 (OAuth) credential is created (Configure → Dev Center → API Credential Management); rotating it there gives a new one.",
        "Affiché avec le Client ID à la création de l’identifiant Harvest V3 (OAuth) (Configure → Dev Center → API Credential Management) ; une rotation du secret en donne un nouveau.",
    )),
    secret: true,
    required: true,
    kind: FieldKind::Text,
};
/// The Greenhouse user Sourcebar acts as (the token's `sub`).
pub const USER_ID: Field = Field {
    name: "user_id",
    label: "Greenhouse user ID",
    label_fr: "ID d’utilisateur Greenhouse",
    help: Some((
        "The numeric id of the Greenhouse user that notes and uploads are made as, with the permissions Sourcebar needs: open the user under Configure → Users; it is the number at the end of the address (…/account/users/12345).",
        "L’identifiant numérique de l’utilisateur Greenhouse au nom duquel les notes et les envois sont faits, avec les droits dont Sourcebar a besoin : ouvrez l’utilisateur dans Configure → Users ; c’est le nombre à la fin de l’adresse (…/account/users/12345).",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};
/// Where tokens come from, for a sandbox; empty means Greenhouse's own.
pub const TOKEN_URL: Field = Field {
    name: "token_url",
    label: "Token address",
    label_fr: "Adresse des jetons",
    help: Some((
        "Leave empty to use Greenhouse’s own (https://auth.greenhouse.io/token); only a test sandbox needs another.",
        "Laissez vide pour celle de Greenhouse (https://auth.greenhouse.io/token) ; seul un bac à sable de test en demande une autre.",
    )),
    secret: false,
    required: false,
    kind: FieldKind::Url,
};

/// What Harvest v3 can do. Its "List candidates" reference documents an
/// email filter (any of a candidate's addresses, case ignored; the name is
/// v1's `email`, see the sandbox README); there is no name filter; a person
/// without a job is a prospect; a note needs no email.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: false,
    create_without_job: true,
    create_without_email: true,
    notes: true,
    link_field: true,
    link_update: true,
    applications: true,
    stages: true,
};

/// Greenhouse's registry entry.
pub const PROVIDER: Provider = Provider {
    id: ProviderId::Greenhouse,
    name: "Greenhouse",
    adapter: Some(Adapter {
        capabilities: CAPABILITIES,
        fields: &[CLIENT_ID, CLIENT_SECRET, USER_ID, TOKEN_URL],
        account_field: None,
        // Harvest counts calls per 10 seconds and says the limit in
        // X-RateLimit-Limit (its docs' example: 50); kept a little under.
        rate: RateLimit {
            calls: 45,
            per: Duration::from_secs(10),
        },
        // Harvest v3's public docs now cover its tokens, paging, list
        // filters (email, updated_at), the notes list and the application
        // create path. Still unread: the bodies of its candidate, prospect
        // and note creates and candidate edit, and its rate-limit numbers.
        beta_reason: Some(
            "Harvest v3's public docs give its tokens, paging, email and updated_at filters, notes list and application create, but not the bodies of creating a candidate, a prospect or a note or of editing a candidate, nor its rate limit: Sourcebar sends Harvest v1's documented bodies to the v3 paths and stays under 45 calls per 10 seconds until a live account confirms them.",
        ),
        connect: |address, key, budget, reach| {
            Ok(Arc::new(Greenhouse::reaching(address, key, budget, reach)?))
        },
    }),
};

/// One Greenhouse account.
pub struct Greenhouse {
    client: HttpClient,
    /// The user notes are written as.
    user_id: String,
}

impl Greenhouse {
    /// An adapter for the account at `address`, paying from `budget`,
    /// connecting only where `reach` allows.
    ///
    /// The token URL is its own setting rather than derived from the API
    /// root: Greenhouse's tokens come from another host
    /// (`auth.greenhouse.io`) than its API (`harvest.greenhouse.io`), so
    /// nothing can be derived, and a connection whose API root is moved (a
    /// sandbox) must never send its client secret to Greenhouse's real
    /// token endpoint: such a connection has to say where its tokens come
    /// from.
    pub fn reaching(
        address: AccountAddress<'_>,
        secret: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let setting = |field: &Field| {
            address.setting(field.name).map(str::trim).ok_or_else(|| {
                AtsError::Ats(format!(
                    "a Greenhouse connection needs its {} setting",
                    field.name
                ))
            })
        };
        let client_id = setting(&CLIENT_ID)?;
        let user_id = setting(&USER_ID)?;
        let token_url = match (address.setting(TOKEN_URL.name), address.base_url) {
            (Some(url), _) => url.trim(),
            (None, None) => DEFAULT_TOKEN_URL,
            (None, Some(_)) => {
                return Err(AtsError::Ats(
                    "a Greenhouse connection with its own API root needs its token_url setting"
                        .into(),
                ))
            }
        };
        let base = address
            .base_url
            .unwrap_or(DEFAULT_BASE_URL)
            .trim_end_matches('/');
        let account = client::Account {
            base,
            token_url,
            client_id,
            user_id,
        };
        Ok(Greenhouse {
            client: client::client(&account, secret, budget, reach)?,
            user_id: user_id.to_string(),
        })
    }

    fn candidate(&self, row: &Value) -> Option<Candidate> {
        let id = text(row, "id")?;
        let profile_url = values(row, "social_media_addresses")
            .chain(values(row, "website_addresses"))
            .find_map(|url| canonical_linkedin_url(&url));
        Some(Candidate {
            ats_url: self.record_url(&id),
            first_name: text(row, "first_name").unwrap_or_default(),
            last_name: text(row, "last_name").unwrap_or_default(),
            email: values(row, "email_addresses").next(),
            phone: values(row, "phone_numbers").next(),
            profile_url,
            company: text(row, "company"),
            title: text(row, "title"),
            location: None,
            created_at: text(row, "created_at"),
            id,
        })
    }

    fn rows(&self, body: &Value) -> Result<Vec<Listed>, AtsError> {
        let rows = body
            .as_array()
            .ok_or_else(|| AtsError::Malformed("a Greenhouse list that is not an array".into()))?;
        Ok(rows
            .iter()
            .filter_map(|row| self.candidate(row))
            .map(Listed::Complete)
            .collect())
    }

    /// A next-page link Greenhouse gave for `resource`: the list's own
    /// URL with the cursor as its only parameter. Anything else is
    /// refused, never fetched.
    fn next_page(&self, resource: &str, link: &str) -> Result<String, AtsError> {
        let prefix = format!("{}/{resource}?cursor=", self.client.base());
        let cursor = link.strip_prefix(&prefix).unwrap_or_default();
        let cursor_ok = !cursor.is_empty()
            && cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=%.~".contains(&b));
        if cursor_ok {
            Ok(link.to_string())
        } else {
            Err(AtsError::Malformed(format!(
                "not a Greenhouse {resource} page link: {link}"
            )))
        }
    }

    /// Every row of a list, following its pages up to `max_pages`.
    async fn all_pages(
        &self,
        resource: &str,
        first: Call,
        priority: Priority,
        max_pages: usize,
    ) -> Result<Vec<Value>, AtsError> {
        let permission = match resource {
            "notes" => scope::NOTES_LIST,
            "jobs" => scope::JOBS_LIST,
            "applications" => scope::APPLICATIONS_LIST,
            _ => scope::CANDIDATES_LIST,
        };
        let mut rows = Vec::new();
        let mut call = first.priority(priority).needs(permission);
        for _ in 0..max_pages {
            let answer = self.client.send(call).await?;
            let page = answer.body.as_array().ok_or_else(|| {
                AtsError::Malformed("a Greenhouse list that is not an array".into())
            })?;
            rows.extend(page.iter().cloned());
            let Some(link) = answer.next_link() else {
                break;
            };
            call = Call::get(self.next_page(resource, &link)?)
                .priority(priority)
                .needs(permission);
        }
        Ok(rows)
    }
}

/// The `value`s of an array of `{value, …}` objects, in order.
fn values<'v>(row: &'v Value, field: &str) -> impl Iterator<Item = String> + 'v {
    row.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| text(item, "value"))
}

/// An id as Greenhouse writes it in a body: a number when it is one.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

#[async_trait]
impl Ats for Greenhouse {
    fn provider(&self) -> ProviderId {
        ProviderId::Greenhouse
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!("{APP_URL}/{}", segment(candidate_id)))
    }

    async fn validate_key(&self) -> Result<(), AtsError> {
        // The cheapest call that needs a token and the scope every sync
        // needs (listing candidates).
        self.client
            .send(
                Call::get("candidates")
                    .query("per_page", "1")
                    .needs(scope::CANDIDATES_LIST),
            )
            .await
            .map(|_| ())
    }

    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let call = match start {
            PageStart::Begin(listing) => {
                let call = Call::get("candidates").query("per_page", PAGE_SIZE.to_string());
                match listing {
                    Listing::Full => call,
                    // The filter takes whole seconds: a second earlier
                    // covers the one the change fell in.
                    Listing::ChangedSince(ms) => call.query(
                        "updated_at",
                        format!("gte|{}", when::rfc3339(ms.saturating_sub(1000))),
                    ),
                }
            }
            // The cursor is the whole next-page link (filters and page size
            // are inside Greenhouse's cursor), checked before it is fetched.
            PageStart::Resume(cursor) => Call::get(self.next_page("candidates", &cursor.0)?),
        };
        let call = call.priority(priority).needs(scope::CANDIDATES_LIST);
        let answer = self.client.send(call).await?;
        let records = self.rows(&answer.body)?;
        let next = answer
            .next_link()
            .map(|link| self.next_page("candidates", &link).map(SyncCursor))
            .transpose()?;
        Ok(SyncPage {
            records,
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let call = Call::get(format!("candidates/{}", segment(id)))
            .priority(priority)
            .needs(scope::CANDIDATES_LIST);
        let row = self.client.send(call).await?.body;
        self.candidate(&row)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(Vec::new());
        }
        let first = Call::get("candidates")
            .query("email", email)
            .query("per_page", PAGE_SIZE.to_string());
        let rows = self
            .all_pages("candidates", first, priority, MAX_LOOKUP_PAGES)
            .await?;
        self.rows(&Value::Array(rows))
    }

    /// A candidate applies to the job; without a job the person is created
    /// as a prospect. The note rides along as an activity feed note, so an
    /// upload is one write. A lost answer is not sent again (POST): the
    /// caller looks the person up first.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let mut body = json!({"first_name": new.first_name, "last_name": new.last_name});
        let given = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if let Some(email) = given(&new.email) {
            body["email_addresses"] = json!([{"value": email, "type": "personal"}]);
        }
        if let Some(phone) = given(&new.phone) {
            body["phone_numbers"] = json!([{"value": phone, "type": "mobile"}]);
        }
        if let Some(url) = given(&new.profile_url) {
            body["social_media_addresses"] = json!([{ "value": url }]);
        }
        if let Some(note) = given(&new.note) {
            body["activity_feed_notes"] = json!([{
                "user_id": id_value(&self.user_id), "body": note, "visibility": "public",
            }]);
        }
        let (path, permission) = match given(&new.job_id) {
            Some(job) => {
                body["applications"] = json!([{ "job_id": id_value(&job) }]);
                ("candidates", scope::CANDIDATES_CREATE)
            }
            None => ("prospects", scope::PROSPECTS_CREATE),
        };
        let answer = self
            .client
            .send(Call::post(path, body).needs(permission))
            .await?
            .body;
        text(&answer, "id").ok_or_else(|| AtsError::Malformed("no id in the answer".into()))
    }

    async fn add_note(&self, candidate_id: &str, text_: &str) -> Result<(), AtsError> {
        let body = json!({
            "candidate_id": id_value(candidate_id), "user_id": id_value(&self.user_id),
            "body": text_, "visibility": "public",
        });
        let call = Call::post("notes", body).needs(scope::NOTES_CREATE);
        self.client.send(call).await.map(|_| ())
    }

    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let first = Call::get("notes")
            .query("candidate_ids", candidate_id)
            .query("per_page", PAGE_SIZE.to_string());
        let notes = self
            .all_pages("notes", first, Priority::Interactive, MAX_LOOKUP_PAGES)
            .await?;
        Ok(Some(notes.iter().any(|n| {
            n.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains(marker))
        })))
    }

    /// Reads the record's social media addresses and writes them back with
    /// the URL added: a PATCH replaces the whole array.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let path = format!("candidates/{}", segment(candidate_id));
        let read = Call::get(path.clone()).needs(scope::CANDIDATES_LIST);
        let row = self.client.send(read).await?.body;
        let current: Vec<String> = values(&row, "social_media_addresses").collect();
        let wanted = canonical_linkedin_url(url);
        let already = current.iter().any(|have| {
            have == url || (wanted.is_some() && canonical_linkedin_url(have) == wanted)
        });
        if already {
            return Ok(());
        }
        let mut addresses: Vec<Value> = current.iter().map(|v| json!({ "value": v })).collect();
        addresses.push(json!({ "value": url }));
        // The whole array is sent: sending it again sets the same value.
        let call = Call::new(Method::PATCH, path)
            .body(json!({ "social_media_addresses": addresses }))
            .idempotent()
            .needs(scope::CANDIDATES_UPDATE);
        self.client.send(call).await.map(|_| ())
    }

    /// `GET /v3/applications?candidate_ids=…`, every page.
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<sourcebar_core::api::applications::Application>, AtsError> {
        let first = Call::get("applications")
            .query("candidate_ids", candidate_id)
            .query("per_page", PAGE_SIZE.to_string());
        let rows = self
            .all_pages("applications", first, priority, MAX_LOOKUP_PAGES)
            .await?;
        let url = self.record_url(candidate_id);
        Ok(rows
            .iter()
            .filter_map(|row| applications::application(row, candidate_id, url.as_deref()))
            .collect())
    }

    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let body = json!({"candidate_id": id_value(candidate_id), "job_id": id_value(job_id)});
        let call = Call::post("applications", body).needs(scope::APPLICATIONS_CREATE);
        self.client.send(call).await.map(|_| ())
    }

    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let first = Call::get("jobs")
            .query("status", "open")
            .query("per_page", PAGE_SIZE.to_string());
        let rows = self
            .all_pages("jobs", first, Priority::Interactive, usize::MAX)
            .await?;
        // Checked again here: a confidential or closed job is never offered.
        Ok(rows
            .iter()
            .filter(|j| j.get("status").and_then(Value::as_str) == Some("open"))
            .filter(|j| j.get("confidential").and_then(Value::as_bool) != Some(true))
            .filter_map(|j| {
                let first_name = |list: &str| {
                    j.get(list)
                        .and_then(|l| l.get(0))
                        .and_then(|d| text(d, "name"))
                };
                Some(Job {
                    id: text(j, "id")?,
                    title: text(j, "name").unwrap_or_default(),
                    department: first_name("departments"),
                    location: first_name("offices"),
                    status: "open".into(),
                })
            })
            .collect())
    }

    /// Every job (open, closed, draft), confidential ones marked.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<crate::ListedJob>, AtsError> {
        let first = Call::get("jobs").query("per_page", PAGE_SIZE.to_string());
        let rows = self.all_pages("jobs", first, priority, usize::MAX).await?;
        Ok(rows
            .iter()
            .filter_map(|j| {
                let first_name = |list: &str| {
                    j.get(list)
                        .and_then(|l| l.get(0))
                        .and_then(|d| text(d, "name"))
                };
                let status = text(j, "status").unwrap_or_default();
                Some(crate::ListedJob {
                    state: match status.as_str() {
                        "open" => crate::JobState::Open,
                        "draft" => crate::JobState::Draft,
                        _ => crate::JobState::Closed,
                    },
                    confidential: j.get("confidential").and_then(Value::as_bool) != Some(false),
                    job: Job {
                        id: text(j, "id")?,
                        title: text(j, "name").unwrap_or_default(),
                        department: first_name("departments"),
                        location: first_name("offices"),
                        status,
                    },
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sourcebar_core::connection_settings::ConnectionSettings;

    fn adapter(base: Option<&str>, settings: &[(&str, &str)]) -> Result<Greenhouse, AtsError> {
        let settings: ConnectionSettings = settings
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        Greenhouse::reaching(
            AccountAddress {
                base_url: base,
                settings: &settings,
            },
            ApiKey::new("secret"),
            Arc::new(RateBudget::new(10, Duration::from_secs(10))),
            Reach::Any,
        )
    }

    #[test]
    fn a_moved_api_root_needs_its_own_token_url() {
        let ids = [("client_id", "c"), ("user_id", "1")];
        assert!(adapter(None, &ids).is_ok());
        assert!(matches!(
            adapter(Some("http://127.0.0.1:9/v3"), &ids),
            Err(AtsError::Ats(_))
        ));
        let with_token = [
            ("client_id", "c"),
            ("user_id", "1"),
            ("token_url", "http://127.0.0.1:9/auth/token"),
        ];
        assert!(adapter(Some("http://127.0.0.1:9/v3"), &with_token).is_ok());
        assert!(matches!(
            adapter(None, &[("client_id", "c")]),
            Err(AtsError::Ats(_))
        ));
    }

    #[test]
    fn only_our_own_next_page_links_are_followed() {
        let gh = adapter(None, &[("client_id", "c"), ("user_id", "1")]).unwrap();
        let ok = "https://harvest.greenhouse.io/v3/candidates?cursor=eyJhZnRlciI6N30";
        assert_eq!(gh.next_page("candidates", ok).unwrap(), ok);
        for bad in [
            "https://harvest.greenhouse.io/v3/candidates?cursor=",
            "https://harvest.greenhouse.io/v3/candidates?cursor=a&per_page=5",
            "https://harvest.greenhouse.io/v3/users?cursor=abc",
            "https://harvest.greenhouse.io.evil/v3/candidates?cursor=abc",
            "https://harvest.greenhouse.io/v3/candidates?cursor=a/../../x",
            "candidates?cursor=abc",
        ] {
            assert!(gh.next_page("candidates", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_row_is_complete_with_its_first_email_and_its_linkedin_url() {
        let gh = adapter(None, &[("client_id", "c"), ("user_id", "1")]).unwrap();
        let row = json!({
            "id": 4_000_012, "first_name": "Ana", "last_name": "Pérez",
            "email_addresses": [{"value": "ana@example.org", "type": "personal"}, {"value": "a@work.example", "type": "work"}],
            "social_media_addresses": [{"value": "https://twitter.com/ana"}, {"value": "linkedin.com/in/ana-perez"}],
            "created_at": "2026-01-02T03:04:05Z",
        });
        let c = gh.candidate(&row).unwrap();
        assert_eq!(c.id, "4000012");
        assert_eq!(c.email.as_deref(), Some("ana@example.org"));
        assert_eq!(
            c.profile_url.as_deref(),
            Some("https://www.linkedin.com/in/ana-perez/")
        );
        assert_eq!(
            c.ats_url.as_deref(),
            Some("https://app.greenhouse.io/people/4000012")
        );
    }
}
