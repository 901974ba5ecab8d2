//! Every provider Sourcebar knows, in one table: its name, how far its
//! support is, what its API can do, what its connect form asks for, its rate
//! limit, and how to build its adapter. Adding a provider is one entry here
//! and one adapter module; nothing else holds a list of providers.

use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{
    ashby, bamboohr, jazzhr, lever, personio, recruitee, smartrecruiters, teamtailor, workable,
    AccountAddress, ApiKey, Ats, AtsError, ProviderId,
};
use sourcebar_core::providers::{
    Capabilities, FieldKind, ProviderField, ProviderInfo, ProviderStatus, Words,
};
use std::sync::Arc;
use std::time::Duration;

/// Builds one connection's adapter.
pub type Connect =
    fn(AccountAddress<'_>, ApiKey, Arc<RateBudget>, Reach) -> Result<Arc<dyn Ats>, AtsError>;

/// A provider and how far Sourcebar's support for it goes.
#[derive(Debug)]
pub struct Provider {
    pub id: ProviderId,
    pub name: &'static str,
    /// `None`: no adapter yet; teams can ask for one.
    pub adapter: Option<Adapter>,
}

/// What an adapter declares about its ATS.
pub struct Adapter {
    pub capabilities: Capabilities,
    pub fields: &'static [Field],
    /// The setting that names the account inside the API's address
    /// (Workable's subdomain): a key check that finds no API there blames it
    /// before the base URL.
    pub account_field: Option<&'static str>,
    /// What the ATS allows per key, kept a little under where it is known.
    pub rate: RateLimit,
    /// Why the provider is beta (`None`: available).
    pub beta_reason: Option<&'static str>,
    pub connect: Connect,
}

impl std::fmt::Debug for Adapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Adapter")
            .field("capabilities", &self.capabilities)
            .field("rate", &self.rate)
            .field("beta_reason", &self.beta_reason)
            .finish_non_exhaustive()
    }
}

/// One connect-form field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub label_fr: &'static str,
    /// Where an admin finds the value in that ATS: (English, French).
    pub help: Option<(&'static str, &'static str)>,
    pub secret: bool,
    pub required: bool,
    pub kind: FieldKind,
}

/// Calls per window, per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub calls: usize,
    pub per: Duration,
}

/// The one secret, with where that ATS keeps it: (English, French).
pub const fn api_key(help: (&'static str, &'static str)) -> Field {
    Field {
        name: "api_key",
        label: "API key",
        label_fr: "Clé d’API",
        help: Some(help),
        secret: true,
        required: true,
        kind: FieldKind::Text,
    }
}

/// Every provider, in the order the options page lists them.
pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: ProviderId::Jazzhr,
        name: "JazzHR",
        adapter: Some(Adapter {
            capabilities: jazzhr::CAPABILITIES,
            fields: &[jazzhr::API_KEY, jazzhr::APP_URL],
            account_field: None,
            // "80 calls per minute per API key" (shared/ats/README.md §1).
            rate: RateLimit {
                calls: 75,
                per: Duration::from_mins(1),
            },
            beta_reason: None,
            connect: |address, key, budget, reach| {
                Ok(Arc::new(jazzhr::JazzHr::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    crate::greenhouse::PROVIDER,
    Provider {
        id: ProviderId::Lever,
        name: "Lever",
        adapter: Some(Adapter {
            capabilities: lever::CAPABILITIES,
            fields: &[lever::API_KEY, lever::USER_ID],
            account_field: None,
            // A token bucket of 10 calls a second, bursts of 20
            // (shared/ats/README.md §3): 9 a second stays under both.
            rate: RateLimit {
                calls: 9,
                per: Duration::from_secs(1),
            },
            beta_reason: None,
            connect: |address, key, budget, reach| {
                Ok(Arc::new(lever::Lever::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Teamtailor,
        name: "Teamtailor",
        adapter: Some(Adapter {
            capabilities: teamtailor::CAPABILITIES,
            fields: &[
                teamtailor::API_KEY,
                teamtailor::USER_ID,
                teamtailor::REGION,
                teamtailor::APP_URL,
            ],
            account_field: None,
            // docs.teamtailor.com (current) and its Postman collection give
            // the X-Rate-Limit-* headers but no number, and version only by
            // an example (20161108) and a pointer to the changelog; "50 per
            // 10 s" is unconfirmed lore.
            rate: RateLimit {
                calls: 40,
                per: Duration::from_secs(10),
            },
            beta_reason: Some(
                "Teamtailor's current public docs name its X-Rate-Limit-* headers but give no limit, and show X-Api-Version only by an old example (20161108): Sourcebar pins 20240404, the newest version seen in use, and keeps under 40 calls per 10 seconds.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(teamtailor::Teamtailor::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Workable,
        name: "Workable",
        adapter: Some(Adapter {
            capabilities: workable::CAPABILITIES,
            fields: &[
                workable::API_KEY,
                workable::SUBDOMAIN,
                workable::MEMBER_EMAIL,
            ],
            account_field: Some(workable::SUBDOMAIN.name),
            // Account tokens: 10 requests per 10 seconds (shared/ats/README.md §4).
            rate: RateLimit {
                calls: 9,
                per: Duration::from_secs(10),
            },
            beta_reason: None,
            connect: |address, key, budget, reach| {
                Ok(Arc::new(workable::Workable::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Smartrecruiters,
        name: "SmartRecruiters",
        adapter: Some(Adapter {
            capabilities: smartrecruiters::CAPABILITIES,
            fields: &[smartrecruiters::API_KEY],
            account_field: None,
            // 10 calls a second per key (2 on some endpoints), 8 in flight
            // and a single GET /candidates (shared/ats/README.md §6): the
            // in-flight caps are held by the HTTP client.
            rate: RateLimit {
                calls: 8,
                per: Duration::from_secs(1),
            },
            beta_reason: Some(
                "SmartRecruiters' facts are of lower confidence: its API has no documented \"changed since\" filter, so every sync lists every candidate; searches go through its keyword search and are checked by Sourcebar; notes are shared through its Message API by tagging the candidate; and adding an existing candidate to a job uses PUT /candidates/{id}/jobs/{jobId}, a path its current public docs do not confirm.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(smartrecruiters::SmartRecruiters::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Ashby,
        name: "Ashby",
        adapter: Some(Adapter {
            capabilities: ashby::CAPABILITIES,
            fields: &[ashby::API_KEY],
            account_field: None,
            // About 1000 calls per window is recorded; the window is not
            // documented (shared/ats/README.md §8): a minute is assumed.
            rate: RateLimit {
                calls: 900,
                per: Duration::from_mins(1),
            },
            beta_reason: Some(
                "Ashby's public docs do not state the window of its rate limit (Sourcebar assumes a minute and stays under 900 calls in it), and Sourcebar keeps Ashby's syncToken in the server's memory: after a restart, the next sync lists every candidate again.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(ashby::Ashby::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Recruitee,
        name: "Recruitee",
        adapter: Some(Adapter {
            capabilities: recruitee::CAPABILITIES,
            fields: &[recruitee::API_KEY, recruitee::COMPANY_ID],
            account_field: Some(recruitee::COMPANY_ID.name),
            // Recruitee's rate limit is not public (shared/ats/README.md §9):
            // a cautious one call a second.
            rate: RateLimit {
                calls: 60,
                per: Duration::from_mins(1),
            },
            beta_reason: Some(
                "Recruitee's public docs leave much unconfirmed: its rate limit, its error bodies, the create body's wrapper, the notes and placements endpoints, and whether its full search finds emails; its list has no \"changed since\" filter, so a sync brings new candidates and edits wait for the next full re-list.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(recruitee::Recruitee::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Bamboohr,
        name: "BambooHR",
        adapter: Some(Adapter {
            capabilities: bamboohr::CAPABILITIES,
            fields: &[bamboohr::API_KEY, bamboohr::COMPANY_DOMAIN],
            account_field: Some(bamboohr::COMPANY_DOMAIN.name),
            // BambooHR publishes no number, only a 429 with Retry-After
            // (shared/ats/README.md §7): a cautious two calls a second.
            rate: RateLimit {
                calls: 120,
                per: Duration::from_mins(1),
            },
            beta_reason: Some(
                "BambooHR's API cannot search candidates by email (duplicates are found by name, then checked), cannot create a candidate without a job, and cannot update a candidate, so a merge writes the LinkedIn URL in a comment; it publishes no rate limit, and putting an existing candidate on another job is a new application that BambooHR is expected, not documented, to file under the same candidate.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(bamboohr::BambooHr::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    Provider {
        id: ProviderId::Personio,
        name: "Personio",
        adapter: Some(Adapter {
            capabilities: personio::CAPABILITIES,
            fields: &[personio::API_KEY, personio::CLIENT_ID, personio::COMPANY_ID],
            account_field: None,
            // Creating applications: 20 calls in 60 seconds per company
            // (shared/ats/README.md §10); one budget serves reads and writes.
            rate: RateLimit {
                calls: 18,
                per: Duration::from_mins(1),
            },
            beta_reason: Some(
                "Personio's public APIs cannot search candidates by name (only by email), cannot create a candidate without a job or without an email, have no note endpoint (an upload's note and LinkedIn URL travel in the application's message; a merge writes neither), cannot read or update a LinkedIn URL, and answer no id on create (the new candidate is found by email); putting an existing candidate on another job is a new application that Personio is expected, not documented, to file under the same candidate; its v2 read endpoints are marked beta by Personio.",
            ),
            connect: |address, key, budget, reach| {
                Ok(Arc::new(personio::Personio::reaching(
                    address, key, budget, reach,
                )?))
            },
        }),
    },
    requested(ProviderId::Flatchr, "Flatchr"),
    requested(ProviderId::Jarvi, "Jarvi"),
];

const fn requested(id: ProviderId, name: &'static str) -> Provider {
    Provider {
        id,
        name,
        adapter: None,
    }
}

/// The entry for `id` (every [`ProviderId`] has one).
pub fn provider(id: ProviderId) -> &'static Provider {
    PROVIDERS
        .iter()
        .find(|p| p.id == id)
        .expect("every ProviderId has a registry entry")
}

impl Provider {
    /// What `GET /v1/providers` says of it.
    pub fn info(&self) -> ProviderInfo {
        let (status, beta_reason, fields, capabilities) = match &self.adapter {
            None => (
                ProviderStatus::Requested,
                None,
                Vec::new(),
                Capabilities::default(),
            ),
            Some(a) => (
                if a.beta_reason.is_some() {
                    ProviderStatus::Beta
                } else {
                    ProviderStatus::Available
                },
                a.beta_reason.map(str::to_string),
                a.fields
                    .iter()
                    .map(|f| ProviderField {
                        name: f.name.into(),
                        label: f.label.into(),
                        label_fr: f.label_fr.into(),
                        help: f.help.map(|(en, fr)| Words {
                            en: en.into(),
                            fr: fr.into(),
                        }),
                        secret: f.secret,
                        required: f.required,
                        kind: f.kind,
                    })
                    .collect(),
                a.capabilities,
            ),
        };
        ProviderInfo {
            id: self.id.as_str().to_string(),
            name: self.name.to_string(),
            status,
            beta_reason,
            fields,
            capabilities,
        }
    }

    /// A fresh budget at this provider's rate (a default for one without an
    /// adapter, which never calls anything).
    pub fn budget(&self) -> RateBudget {
        let rate = self.adapter.as_ref().map_or(
            RateLimit {
                calls: 60,
                per: Duration::from_mins(1),
            },
            |a| a.rate,
        );
        RateBudget::new(rate.calls, rate.per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_id_has_exactly_one_entry_and_its_wire_name() {
        for p in PROVIDERS {
            assert_eq!(PROVIDERS.iter().filter(|q| q.id == p.id).count(), 1);
            let wire = serde_json::to_value(p.id).unwrap();
            assert_eq!(wire.as_str(), Some(p.id.as_str()));
        }
        assert_eq!(PROVIDERS.len(), 12);
    }

    #[test]
    fn a_provider_without_an_adapter_is_requested_and_claims_nothing() {
        let info = requested(ProviderId::Flatchr, "Flatchr").info();
        assert_eq!(info.status, ProviderStatus::Requested);
        assert_eq!(info.capabilities, Capabilities::default());
        assert!(info.fields.is_empty());
    }

    #[test]
    fn jazzhr_is_available_asks_for_its_key_and_requires_an_email() {
        let info = provider(ProviderId::Jazzhr).info();
        assert_eq!(info.status, ProviderStatus::Available);
        assert_eq!(info.fields.len(), 2);
        assert!(info.fields[0].secret && info.fields[0].required);
        // Where records open is a setting, optional: JazzHR's app by default.
        assert_eq!(info.fields[1].name, "app_url");
        assert!(!info.fields[1].secret && !info.fields[1].required);
        assert!(!info.capabilities.create_without_email);
        assert!(!info.capabilities.email_search);
    }

    #[test]
    fn teamtailor_is_beta_asks_for_its_key_and_the_notes_user_and_searches_by_email() {
        let info = provider(ProviderId::Teamtailor).info();
        assert_eq!(info.status, ProviderStatus::Beta);
        assert!(info.beta_reason.is_some());
        let names: Vec<&str> = info.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["api_key", "user_id", "region", "app_url"]);
        assert!(info.fields[0].secret && info.fields[1].required);
        assert!(info.fields.iter().all(|f| f.help.is_some()));
        let caps = info.capabilities;
        assert!(caps.email_search && !caps.name_search);
        assert!(caps.create_without_email && caps.create_without_job && caps.link_update);
    }

    #[test]
    fn workable_is_available_asks_for_its_subdomain_and_member_and_stays_under_its_limit() {
        let info = provider(ProviderId::Workable).info();
        assert_eq!(info.status, ProviderStatus::Available);
        let names: Vec<&str> = info.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["api_key", "subdomain", "member_email"]);
        assert!(info.fields.iter().all(|f| f.required && f.help.is_some()));
        assert!(info.capabilities.email_search && !info.capabilities.name_search);
        assert!(info.capabilities.link_update && info.capabilities.create_without_job);
        let rate = provider(ProviderId::Workable)
            .adapter
            .as_ref()
            .unwrap()
            .rate;
        assert!(rate.calls < 10 && rate.per == Duration::from_secs(10));
    }

    #[test]
    fn lever_is_available_asks_for_its_key_and_a_user_and_searches_by_email() {
        let info = provider(ProviderId::Lever).info();
        assert_eq!(info.status, ProviderStatus::Available);
        let names: Vec<&str> = info.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["api_key", "user_id"]);
        assert!(info.fields[1].required && !info.fields[1].secret);
        assert!(info.fields[1].help.is_some());
        let c = info.capabilities;
        assert!(c.email_search && !c.name_search && c.link_update);
        assert!(c.create_without_email && c.create_without_job);
        // Under Lever's sustained 10 calls a second.
        let budget = provider(ProviderId::Lever).budget();
        assert!(budget.limit() < 10 && budget.window() == Duration::from_secs(1));
    }

    #[test]
    fn the_issue_12_providers_are_beta_say_why_and_ask_for_their_account() {
        for (id, fields) in [
            (ProviderId::Ashby, &["api_key"][..]),
            (ProviderId::Smartrecruiters, &["api_key"][..]),
            (ProviderId::Bamboohr, &["api_key", "company_domain"][..]),
            (ProviderId::Recruitee, &["api_key", "company_id"][..]),
        ] {
            let info = provider(id).info();
            assert_eq!(info.status, ProviderStatus::Beta, "{id:?}");
            assert!(info.beta_reason.as_deref().is_some_and(|r| r.len() > 40));
            let names: Vec<&str> = info.fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, fields, "{id:?}");
            assert!(info.fields.iter().all(|f| f.required && f.help.is_some()));
        }
    }

    #[test]
    fn bamboohr_claims_no_email_search_and_no_create_without_a_job() {
        let c = provider(ProviderId::Bamboohr).info().capabilities;
        assert!(!c.email_search && c.name_search);
        assert!(!c.create_without_job && !c.link_update && c.notes);
        let a = provider(ProviderId::Ashby).info().capabilities;
        assert!(a.email_search && a.name_search && a.create_without_job && a.link_update);
    }
}
