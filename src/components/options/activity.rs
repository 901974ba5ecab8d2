//! The Activity section: the audit log as sentences ("Sam merged Jane Doe ·
//! 3 min ago · Open"), filterable by person and by action, paged.

use super::time::When;
use super::words::{event_sentence, w, FILTER_ACTIONS, W};
use super::{display_name, TeamData};
use crate::api::Api;
use crate::components::Toaster;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::api::audit::AuditEntry;

/// Entries per page.
const PAGE: u32 = 20;

/// What an entry is about: the candidate, the connection or the provider.
fn subject(entry: &AuditEntry) -> String {
    entry
        .candidate_name
        .as_deref()
        .or(entry.detail["name"].as_str())
        .or(entry.detail["provider_name"].as_str())
        .or(entry.candidate_id.as_deref())
        .unwrap_or_default()
        .to_string()
}

/// Encodes a query value.
fn enc(v: &str) -> String {
    String::from(js_sys::encode_uri_component(v))
}

/// The audit log.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn ActivitySection(api: Api, data: TeamData, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let person = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let more = RwSignal::new(false);
    let load = move |before: Option<i64>| {
        let api = api.clone();
        let (p, a) = (person.get_untracked(), action.get_untracked());
        let mut query = vec![format!("limit={PAGE}")];
        if let Some(b) = before {
            query.push(format!("before={b}"));
        }
        if !p.is_empty() {
            query.push(format!("user_id={}", enc(&p)));
        }
        if !a.is_empty() {
            query.push(format!("action={}", enc(&a)));
        }
        let path = format!("/v1/audit?{}", query.join("&"));
        spawn_local(async move {
            match api.get::<Vec<AuditEntry>>(&path).await {
                Ok(page) => {
                    more.try_set(page.len() == PAGE as usize);
                    if before.is_some() {
                        entries.update(|e| e.extend(page));
                    } else {
                        entries.try_set(page);
                    }
                }
                Err(e) => toaster.show(e.problem),
            }
        });
    };
    load(None);
    let (on_person, on_action, next) = (load.clone(), load.clone(), load);
    let list = move || {
        let list = entries.get();
        if list.is_empty() {
            return view! { <p class="hint" data-testid="no-activity">{w(lang, W::NoActivity)}</p> }.into_any();
        }
        view! {
            <ol class="audit" data-testid="audit">
                {list.into_iter().map(|e| {
                    let act = e.action.clone();
                    let who = e.user_name.as_deref().filter(|s| !s.is_empty()).unwrap_or(w(lang, W::Someone)).to_string();
                    let sentence = event_sentence(lang, &act, &who, &subject(&e));
                    let at = e.at.clone();
                    // Only a web address becomes a link.
                    let url = e
                        .candidate_url
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
                    view! {
                        <li class="audit-entry" data-testid="audit-entry" data-action=act>
                            <span data-testid="audit-sentence">{sentence}</span>
                            " · " <When lang at />
                            {url.map(|u| view! { " · " <a href=u target="_blank" rel="noopener noreferrer" data-testid="audit-open">{w(lang, W::Open)}</a> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="card" id="activity" data-testid="section-activity" aria-labelledby="activity-title">
            <h2 id="activity-title">{t(lang, Text::AuditLog)}</h2>
            <div class="filters">
                <div class="field inline">
                    <label for="filter-person">{w(lang, W::FilterPerson)}</label>
                    <select id="filter-person" data-testid="filter-person" on:change=move |ev| { person.set(event_target_value(&ev)); on_person(None); }>
                        <option value="">{w(lang, W::AllPeople)}</option>
                        {move || data.members.get().into_iter().map(|m| {
                            let id = m.id.clone();
                            let selected = person.get_untracked() == id;
                            view! { <option value=id selected=selected>{display_name(&m)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field inline">
                    <label for="filter-action">{w(lang, W::FilterAction)}</label>
                    <select id="filter-action" data-testid="filter-action" on:change=move |ev| { action.set(event_target_value(&ev)); on_action(None); }>
                        <option value="">{w(lang, W::AllActions)}</option>
                        {FILTER_ACTIONS.iter().map(|(id, label)| view! { <option value=*id>{w(lang, *label)}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {list}
            <Show when=move || more.get()>
                {
                    let next = next.clone();
                    view! {
                        <button type="button" class="secondary" data-testid="btn-more-activity"
                            on:click=move |_| next(entries.with(|e| e.last().map(|x| x.id)))>{t(lang, Text::LoadMore)}</button>
                    }
                }
            </Show>
        </section>
    }
}
