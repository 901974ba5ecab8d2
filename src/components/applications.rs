//! A match's applications to jobs, on its card: as the dedupe answer gave
//! them (the companion's mirror), read again from the ATS in the
//! background once the match is selected, saying so when that read failed
//! and what shows may be out of date.

use crate::api::Api;
use crate::i18n::{
    application_line, applications_label, applications_refreshing, applications_stale,
    applications_unreadable, no_applications, Lang,
};
use crate::relative_time::since_now;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::api::applications::Application;

/// Where the card's applications come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// The dedupe answer's copy (the mirror), not read again yet.
    Synced,
    /// Being read from the ATS.
    Refreshing,
    /// Just read from the ATS.
    Fresh,
    /// The ATS did not answer: the mirror's copy, maybe out of date.
    Stale,
}

impl Freshness {
    fn code(self) -> &'static str {
        match self {
            Freshness::Synced => "synced",
            Freshness::Refreshing => "refreshing",
            Freshness::Fresh => "fresh",
            Freshness::Stale => "stale",
        }
    }
}

/// The applications of one match (text only: every word comes from the
/// ATS or the page).
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn MatchApplications(
    /// What the dedupe answer carried.
    applications: Vec<Application>,
    /// Which connection and record they belong to.
    connection_id: String,
    candidate_id: String,
    /// Whether this match is the selected one (its applications are read
    /// again from the ATS the first time it is).
    selected: Memo<bool>,
    /// The companion, to read them again (none: never refreshed).
    api: Option<Api>,
    /// Whether the ATS's API can read applications at all: where it
    /// cannot, nothing is read again and the card says so instead of
    /// "none" or "out of date".
    readable: Signal<bool>,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let list = RwSignal::new(applications);
    let freshness = RwSignal::new(Freshness::Synced);
    if let Some(api) = api {
        let asked = StoredValue::new(false);
        Effect::new(move |_| {
            if !selected.get() || !readable.get() || asked.get_value() {
                return;
            }
            asked.set_value(true);
            freshness.set(Freshness::Refreshing);
            let (api, connection_id, candidate_id) =
                (api.clone(), connection_id.clone(), candidate_id.clone());
            spawn_local(async move {
                match api.applications(&connection_id, &candidate_id).await {
                    Ok(read) => {
                        let stale = read.iter().any(|a| a.stale);
                        list.try_set(read);
                        freshness.try_set(if stale {
                            Freshness::Stale
                        } else {
                            Freshness::Fresh
                        });
                    }
                    // The mirror's copy stays, said to be maybe out of date.
                    Err(_) => {
                        freshness.try_set(Freshness::Stale);
                    }
                }
            });
        });
    }
    let lines = move || -> Vec<String> {
        list.get()
            .iter()
            .map(|a| {
                let when = a.updated_at.as_deref().and_then(|at| since_now(lang, at));
                application_line(lang, a, when.as_deref())
            })
            .collect()
    };
    view! {
        <div class="applications" data-testid="applications" data-freshness=move || freshness.get().code()>
            {move || {
                let lines = lines();
                if lines.is_empty() {
                    let words = if readable.get() { no_applications(lang) } else { applications_unreadable(lang) };
                    selected.get().then(|| view! { <p class="hint" data-testid="applications-none">{words}</p> }.into_any())
                } else {
                    Some(view! {
                        <ul aria-label=applications_label(lang)>
                            {lines.into_iter().map(|l| view! { <li data-testid="application">{l}</li> }).collect_view()}
                        </ul>
                    }.into_any())
                }
            }}
            {move || match freshness.get() {
                Freshness::Refreshing => Some(view! { <p class="hint" role="status">{applications_refreshing(lang)}</p> }.into_any()),
                Freshness::Stale => Some(view! { <p class="hint stale" role="status" data-testid="applications-stale">{applications_stale(lang)}</p> }.into_any()),
                Freshness::Synced | Freshness::Fresh => None,
            }}
        </div>
    }
}
