//! The settings page. Signed out: join a team with an invite link. Signed
//! in: a set-up checklist until the team is set up, then four sections
//! reachable by link (`#connection`, `#team`, `#activity`, `#account`);
//! members see only Connection (its status) and Account.

mod account;
mod activity;
mod checklist;
mod connect_link;
mod connection;
mod import;
mod providers;
mod signin;
mod team;
mod time;
mod words;

use super::{Toast, Toaster};
use crate::api::{Api, Me};
use crate::i18n::{t, Lang, Text};
use crate::settings::Settings;
use account::AccountSection;
use activity::ActivitySection;
use checklist::Checklist;
use connection::ConnectionSection;
pub use import::ImportPage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use signin::SignIn;
use sourcebar_core::api::connections::{ConnectionView, SyncStatus};
use sourcebar_core::api::people::{Member, OpenInvite};
use sourcebar_core::providers::ProviderInfo;
use team::TeamSection;
use words::{w, W};

/// Where the admin marks the install link as shared (a checklist step).
const INSTALL_SHARED_KEY: &str = "sourcebar.admin.installShared";

/// The settings page: sign-in, or the team's sections.
#[component]
pub fn OptionsPage() -> impl IntoView {
    let settings = RwSignal::new(None::<Settings>);
    provide_context(Toaster(RwSignal::new(None)));
    spawn_local(async move {
        settings.set(Some(Settings::load().await));
    });
    move || {
        settings
            .get()
            .map(|s| view! { <Options initial=s settings /> })
    }
}

/// The section a location hash names (`#team` → `team`).
fn section_of(hash: &str) -> String {
    let name = hash.trim_start_matches('#');
    match name {
        "team" | "activity" | "account" => name.to_string(),
        _ => "connection".to_string(),
    }
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// What the sections and the checklist share, loaded once and refreshed
/// after each change.
#[derive(Clone, Copy)]
pub struct TeamData {
    /// `GET /v1/connections`.
    pub connections: RwSignal<Vec<ConnectionView>>,
    /// `GET /v1/providers`: each provider's display name and rules.
    pub providers: RwSignal<Vec<ProviderInfo>>,
    /// `GET /v1/connections/{id}/sync` of each, by connection id.
    pub syncs: RwSignal<Vec<(String, SyncStatus)>>,
    /// `GET /v1/members` (admins).
    pub members: RwSignal<Vec<Member>>,
    /// `GET /v1/invites`: unused ones (admins).
    pub invites: RwSignal<Vec<OpenInvite>>,
    /// Whether the admin copied the install link from this browser.
    pub install_shared: RwSignal<bool>,
    /// Whether connections (and for admins, people) were loaded once.
    pub loaded: RwSignal<bool>,
    /// Where failures are shown (kept here: reloads run outside any owner).
    toaster: Toaster,
}

impl TeamData {
    fn new() -> Self {
        TeamData {
            connections: RwSignal::new(Vec::new()),
            providers: RwSignal::new(Vec::new()),
            syncs: RwSignal::new(Vec::new()),
            members: RwSignal::new(Vec::new()),
            invites: RwSignal::new(Vec::new()),
            install_shared: RwSignal::new(false),
            loaded: RwSignal::new(false),
            toaster: expect_context::<Toaster>(),
        }
    }

    /// Reloads the connections and their sync states.
    pub fn reload_connections(self, api: &Api) {
        let api = api.clone();
        let toaster = self.toaster;
        spawn_local(async move {
            match api.connections().await {
                Ok(list) => {
                    if let Ok(providers) = api.providers().await {
                        self.providers.try_set(providers);
                    }
                    let mut states = Vec::new();
                    for c in &list {
                        if let Ok(s) = api.sync_status(&c.id).await {
                            states.push((c.id.clone(), s));
                        }
                    }
                    // The states first: the rows are drawn when the list changes.
                    self.syncs.try_set(states);
                    self.connections.try_set(list);
                    self.loaded.try_set(true);
                }
                Err(e) => toaster.show(e.problem),
            }
        });
    }

    /// Reloads members and unused invites (admins).
    pub fn reload_people(self, api: &Api) {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(list) = api.get::<Vec<Member>>("/v1/members").await {
                self.members.try_set(list);
            }
            if let Ok(list) = api.get::<Vec<OpenInvite>>("/v1/invites").await {
                self.invites.try_set(list);
            }
        });
    }

    /// A provider's display name, from `GET /v1/providers` (its id until
    /// that answered).
    pub fn provider_name(self, id: &str) -> String {
        self.providers.with(|list| {
            list.iter()
                .find(|p| p.id == id)
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        })
    }

    /// The sync state of one connection (`None` when unknown).
    pub fn sync_of(self, id: &str) -> Option<SyncStatus> {
        self.syncs
            .with(|s| s.iter().find(|(i, _)| i == id).map(|(_, v)| v.clone()))
    }

    /// Whether some connection's first full sync is still running.
    pub fn first_sync_running(self) -> bool {
        self.connections.with(|list| {
            list.iter().any(|c| {
                c.status != "deactivated" && !self.sync_of(&c.id).is_some_and(|s| s.complete)
            })
        })
    }
}

/// A member's name, else their email.
pub(crate) fn display_name(member: &Member) -> String {
    let name = member.name.trim();
    if name.is_empty() {
        member.email.clone()
    } else {
        name.to_string()
    }
}

/// A role in words.
pub(crate) fn role_text(lang: Lang, role: &str) -> &'static str {
    if role == "admin" {
        t(lang, Text::RoleAdmin)
    } else {
        t(lang, Text::RoleMember)
    }
}

/// Copies `text` to the clipboard (the page has the user's click).
pub(crate) fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
fn Options(initial: Settings, settings: RwSignal<Option<Settings>>) -> impl IntoView {
    let lang = initial.language();
    let save_lang = {
        let initial = initial.clone();
        move |ev: leptos::ev::Event| {
            let mut s = initial.clone();
            s.lang = Some(event_target_value(&ev));
            spawn_local(async move {
                let _ = s.save().await;
                settings.set(Some(Settings::load().await));
            });
        }
    };
    let language = view! {
        <div class="field inline lang">
            <label for="lang">{t(lang, Text::Language)}</label>
            <select id="lang" data-testid="lang" on:change=save_lang>
                <option value="en" selected=lang == Lang::En>"English"</option>
                <option value="fr" selected=lang == Lang::Fr>"Français"</option>
            </select>
        </div>
    };
    let body = match initial.api() {
        None => view! { <SignIn initial=initial.clone() settings lang /> }.into_any(),
        Some(api) => view! { <SignedIn api initial=initial.clone() settings lang /> }.into_any(),
    };
    view! {
        <main class="options-page admin-page" lang=lang.tag()>
            <header class="page-head">
                <h1>{t(lang, Text::SettingsTitle)}</h1>
                {language}
            </header>
            <Toast lang />
            {body}
        </main>
    }
}

/// The signed-in page: who we are, the checklist, the sections.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
fn SignedIn(
    api: Api,
    initial: Settings,
    settings: RwSignal<Option<Settings>>,
    lang: Lang,
) -> impl IntoView {
    let me = RwSignal::new(None::<Me>);
    let toaster = expect_context::<Toaster>();
    let data = TeamData::new();
    let section = RwSignal::new(section_of(&location_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        section.try_set(section_of(&location_hash()));
    });
    on_cleanup(move || listener.remove());
    {
        let api = api.clone();
        spawn_local(async move {
            match api.me().await {
                Ok(m) => {
                    if m.role == "admin" {
                        data.reload_people(&api);
                        data.install_shared.try_set(
                            crate::browser::storage_get(INSTALL_SHARED_KEY)
                                .await
                                .is_some(),
                        );
                    }
                    me.set(Some(m));
                }
                Err(e) => toaster.show(e.problem),
            }
        });
    }
    data.reload_connections(&api);
    // While a first sync runs, its progress ("n of N") is refreshed.
    {
        let api = api.clone();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if data.first_sync_running() {
                    data.reload_connections(&api);
                }
            },
            std::time::Duration::from_secs(3),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let whoami = move || {
        me.get().map(|m| {
            let name = if m.user.name.is_empty() {
                m.user.email.clone()
            } else {
                m.user.name.clone()
            };
            view! {
                <p class="whoami" data-testid="whoami">
                    {t(lang, Text::SignedInAs)} " " <strong>{name}</strong>
                    " (" {m.user.email.clone()} ") · " {m.team.name.clone()} " · "
                    <span data-testid="role">{role_text(lang, &m.role)}</span>
                </p>
            }
        })
    };
    let nav = move |admin: bool| {
        let links: Vec<(&str, W)> = if admin {
            vec![
                ("connection", W::Connection),
                ("team", W::Team),
                ("activity", W::Activity),
                ("account", W::Account),
            ]
        } else {
            vec![("connection", W::Connection), ("account", W::Account)]
        };
        view! {
            <nav class="sections" aria-label=w(lang, W::Sections)>
                {links.into_iter().map(|(id, label)| view! {
                    <a href=format!("#{id}") data-testid=format!("nav-{id}")
                        aria-current=move || (section.get() == id).then_some("page")>{w(lang, label)}</a>
                }).collect_view()}
                <a href="import.html" data-testid="nav-import">{w(lang, W::ImportCandidates)}</a>
            </nav>
        }
    };
    view! {
        {whoami}
        {move || me.get().map(|m| {
            let admin = m.role == "admin";
            let (api, initial) = (api.clone(), initial.clone());
            view! {
                {nav(admin)}
                {admin.then(|| view! { <Checklist data lang /> })}
                {move || {
                    let (api, initial, me) = (api.clone(), initial.clone(), m.clone());
                    match section.get().as_str() {
                        "team" if admin => view! { <TeamSection api data me lang /> }.into_any(),
                        "activity" if admin => view! { <ActivitySection api data lang /> }.into_any(),
                        "account" => view! { <AccountSection api me initial settings lang /> }.into_any(),
                        _ => view! { <ConnectionSection api data admin lang /> }.into_any(),
                    }
                }}
            }
        })}
    }
}
