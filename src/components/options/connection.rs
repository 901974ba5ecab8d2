//! The Connection section: each connection with one status pill, Test and
//! Sync now at hand, Relink / Deactivate / Delete in a menu (Delete behind
//! a confirmation that says what it does); then, for admins, the providers
//! (`providers.rs`).

mod sync_details;

use super::providers::Providers;
use super::time::When;
use super::words::{count, n_of, w, W};
use super::TeamData;
use crate::api::Api;
use crate::components::{ToastMsg, Toaster};
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use sourcebar_core::api::connections::{ConnectionView, SyncStatus};
use std::collections::HashMap;

/// What the pill says of a connection's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Healthy,
    Syncing,
    Attention,
    Deactivated,
}

impl Health {
    fn of(connection: &ConnectionView, sync: Option<&SyncStatus>) -> Health {
        if connection.status == "deactivated" {
            Health::Deactivated
        } else if connection.status == "error" || sync.is_some_and(|s| s.state == "failed") {
            Health::Attention
        } else if !sync.is_some_and(|s| s.complete) {
            Health::Syncing
        } else {
            Health::Healthy
        }
    }

    fn name(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Syncing => "syncing",
            Health::Attention => "attention",
            Health::Deactivated => "deactivated",
        }
    }
}

/// Why a connection needs attention, read from the error it recorded. The
/// companion records its own sentences (`AtsError`'s `Display` in
/// crates/ats/src/error.rs, never an ATS's words), so each is known here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attention {
    KeyRefused,
    PermissionMissing,
    RateLimited,
    Unreachable,
    NoSuchAddress,
    AtsError,
}

impl Attention {
    fn of(error: &str) -> Self {
        let e = error.to_ascii_lowercase();
        if e.contains("refused the api key") {
            Attention::KeyRefused
        } else if e.contains("lacks a permission") {
            Attention::PermissionMissing
        } else if e.contains("rate limit") || e.contains("429") {
            Attention::RateLimited
        } else if e.contains("could not be reached") || e.contains("took too long") {
            Attention::Unreachable
        } else if e.contains("not found") {
            Attention::NoSuchAddress
        } else {
            Attention::AtsError
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        w(
            lang,
            match self {
                Attention::KeyRefused => W::KeyRefused,
                Attention::PermissionMissing => W::PermissionMissing,
                Attention::RateLimited => W::RateLimited,
                Attention::Unreachable => W::AtsUnreachable,
                Attention::NoSuchAddress => W::NoSuchAddress,
                Attention::AtsError => W::AtsAnsweredError,
            },
        )
    }

    /// Whether a new key is the fix (else Test and Sync, always at hand).
    fn needs_new_key(self) -> bool {
        matches!(self, Attention::KeyRefused | Attention::PermissionMissing)
    }
}

/// What a user has open or typed in one connection's row. It belongs to the
/// section, not the row: the list is redrawn every few seconds while a first
/// sync runs, and an open menu, a confirmation or a half-typed key must
/// survive that.
#[derive(Debug, Clone, Copy)]
struct RowUi {
    menu_open: RwSignal<bool>,
    relinking: RwSignal<bool>,
    confirming: RwSignal<bool>,
    key: RwSignal<String>,
    busy: RwSignal<bool>,
}

impl RowUi {
    fn new() -> Self {
        RowUi {
            menu_open: RwSignal::new(false),
            relinking: RwSignal::new(false),
            confirming: RwSignal::new(false),
            key: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
        }
    }
}

/// The connections and, for admins, the ways to add one.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn ConnectionSection(
    api: Api,
    data: TeamData,
    /// Admins act; members only read the status.
    admin: bool,
    lang: Lang,
) -> impl IntoView {
    let rows: StoredValue<HashMap<String, RowUi>> = StoredValue::new(HashMap::new());
    // The rows' state is made under the section's owner, so that a redraw of
    // the list (which disposes what it made) keeps it.
    let section = Owner::current();
    let row_ui = move |id: &str| {
        rows.try_update_value(|m| {
            *m.entry(id.to_string()).or_insert_with(|| {
                section
                    .as_ref()
                    .map_or_else(RowUi::new, |owner| owner.with(RowUi::new))
            })
        })
        .unwrap_or_else(RowUi::new)
    };
    let list = {
        let api = api.clone();
        move || {
            let connections = data.connections.get();
            if connections.is_empty() && data.loaded.get() {
                return view! { <p class="hint" data-testid="no-connection">{w(lang, W::NoConnection)}</p> }.into_any();
            }
            view! {
                <ul class="connections">
                    {connections.into_iter().map(|c| {
                        let ui = row_ui(&c.id);
                        view! { <ConnectionRow api=api.clone() data connection=c ui admin lang /> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" id="connection" data-testid="section-connection" aria-labelledby="connection-title">
            <h2 id="connection-title">{t(lang, Text::Connections)}</h2>
            {(!admin).then(|| view! { <p class="hint">{w(lang, W::MembersOnlySee)}</p> })}
            {list}
        </section>
        {admin.then(|| view! { <Providers api=api.clone() data lang /> })}
    }
}

/// One connection: name, pill, actions.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
fn ConnectionRow(
    api: Api,
    data: TeamData,
    connection: ConnectionView,
    /// What is open or typed in this row, kept across redraws.
    ui: RowUi,
    admin: bool,
    lang: Lang,
) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let id = connection.id.clone();
    let name = connection.name.clone();
    let provider_label = data.provider_name(&connection.provider);
    let status = connection.status.clone();
    let active = status != "deactivated";
    let sync = data.sync_of(&id);
    let health = Health::of(&connection, sync.as_ref());
    let RowUi {
        menu_open,
        relinking,
        confirming,
        key,
        busy,
    } = ui;
    let path = format!("/v1/connections/{id}");
    // One call, then a reload; `ok` names a success toast.
    let act = {
        let api = api.clone();
        move |method: &'static str, path: String, body: Value, ok: Option<ToastMsg>| {
            let api = api.clone();
            busy.set(true);
            spawn_local(async move {
                match api.call::<Value>(method, &path, &body, None).await {
                    Ok(_) => {
                        if let Some(msg) = ok {
                            toaster.say(msg);
                        }
                        relinking.try_set(false);
                        confirming.try_set(false);
                        key.try_set(String::new());
                        data.reload_connections(&api);
                    }
                    Err(e) => toaster.show(e.problem),
                }
                busy.try_set(false);
            });
        }
    };
    let (total, done) = sync.as_ref().map_or((0, 0), |s| (s.total, s.done));
    let last_sync = connection
        .last_sync_at
        .clone()
        .or_else(|| sync.as_ref().and_then(|s| s.last_sync_at.clone()));
    let error = connection
        .last_error
        .clone()
        .or_else(|| sync.as_ref().and_then(|s| s.last_error.clone()))
        .unwrap_or_default();
    let synced = move |last: Option<String>| {
        last.map(|at| view! { " · " {w(lang, W::SyncedAgo)} " " <When lang at /> })
    };
    let pill = match health {
        Health::Healthy => view! {
            <span class="mark" aria-hidden="true">"●"</span> " " {w(lang, W::Healthy)}
            {synced(last_sync.clone())}
            " · " {count(lang, total)} " " {w(lang, W::Candidates)}
        }
        .into_any(),
        Health::Syncing => view! {
            <span class="mark" aria-hidden="true">"◐"</span> " " {w(lang, W::Syncing)}
            " · " {w(lang, W::FirstSync)} " " {n_of(lang, done, total)}
            <progress max=total.max(1) value=done aria-label=w(lang, W::FirstSync)></progress>
        }
        .into_any(),
        Health::Attention => view! {
            <span class="mark" aria-hidden="true">"▲"</span> " " {w(lang, W::NeedsAttention)} ": "
            {Attention::of(&error).words(lang)}
            {(admin && Attention::of(&error).needs_new_key()).then(|| view! {
                " → " <button type="button" class="link" data-testid="btn-fix" on:click=move |_| relinking.set(true)>{w(lang, W::FixRelink)}</button>
            })}
        }
        .into_any(),
        Health::Deactivated => view! {
            <span class="mark" aria-hidden="true">"■"</span> " " {w(lang, W::Deactivated)}
            {synced(last_sync.clone())}
            " · " {count(lang, total)} " " {w(lang, W::Candidates)}
        }
        .into_any(),
    };
    let relinked = provider_label.clone();
    let actions = admin.then(|| {
        let (a_test, a_sync, a_toggle, a_key, a_delete) = (act.clone(), act.clone(), act.clone(), act.clone(), act);
        let (p_test, p_sync, p_toggle, p_key, p_delete) = (path.clone(), path.clone(), path.clone(), path.clone(), path.clone());
        let menu_id = format!("menu-{id}");
        let menu_ref = menu_id.clone();
        let confirm_id = format!("confirm-{id}");
        let delete_name = name.clone();
        view! {
            <div class="row-actions">
                <button type="button" class="secondary" data-testid="btn-test" disabled=move || busy.get()
                    on:click=move |_| a_test("POST", format!("{p_test}/test"), json!({}), Some(ToastMsg::Success(Text::TestOk, Text::TestConnection)))>
                    {t(lang, Text::TestConnection)}
                </button>
                <button type="button" class="secondary" data-testid="btn-sync" disabled=move || !active || busy.get()
                    on:click=move |_| a_sync("POST", format!("{p_sync}/sync"), json!({}), None)>
                    {t(lang, Text::SyncNow)}
                </button>
                <div class="menu-wrap">
                    <button type="button" class="secondary icon-more" data-testid="btn-more" aria-haspopup="menu"
                        aria-controls=menu_ref aria-expanded=move || menu_open.get().to_string()
                        aria-label=w(lang, W::More) title=w(lang, W::More)
                        on:click=move |_| menu_open.update(|o| *o = !*o)>"⋯"</button>
                    <Show when=move || menu_open.get()>
                        <div class="menu" role="menu" id=menu_id.clone() data-testid="connection-menu"
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { menu_open.set(false) }>
                            <button type="button" role="menuitem" data-testid="menu-relink"
                                on:click=move |_| { menu_open.set(false); relinking.set(true); }>{t(lang, Text::Relink)}</button>
                            {
                                let (a, p) = (a_toggle.clone(), p_toggle.clone());
                                if active {
                                    view! { <button type="button" role="menuitem" data-testid="btn-deactivate"
                                        on:click=move |_| { menu_open.set(false); a("POST", format!("{p}/deactivate"), json!({}), None) }>{t(lang, Text::Deactivate)}</button> }.into_any()
                                } else {
                                    view! { <button type="button" role="menuitem" data-testid="btn-activate"
                                        on:click=move |_| { menu_open.set(false); a("POST", format!("{p}/activate"), json!({}), None) }>{t(lang, Text::Activate)}</button> }.into_any()
                                }
                            }
                            <button type="button" role="menuitem" class="danger-item" data-testid="btn-delete"
                                on:click=move |_| { menu_open.set(false); confirming.set(true); }>{t(lang, Text::Delete)}"…"</button>
                        </div>
                    </Show>
                </div>
            </div>
            <Show when=move || relinking.get()>
                {
                    let (a, p, label) = (a_key.clone(), p_key.clone(), relinked.clone());
                    let input_id = format!("relink-{}", p.replace('/', "-"));
                    view! {
                        <form class="inline-form" data-testid="relink-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let k = key.get_untracked();
                            if !k.trim().is_empty() {
                                a("PUT", format!("{p}/key"), json!({"api_key": k.trim()}), Some(ToastMsg::Connected(label.clone())));
                            }
                        }>
                            <div class="field">
                                <label for=input_id.clone()>{w(lang, W::NewKey)}</label>
                                <input id=input_id.clone() type="password" autocomplete="new-password" data-testid="relink-key"
                                    prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev)) />
                                <p class="hint">{t(lang, Text::ConfirmRelink)}</p>
                            </div>
                            <div class="row-actions">
                                <button type="submit" data-testid="btn-relink" disabled=move || busy.get() || key.get().trim().is_empty()>{w(lang, W::SaveKey)}</button>
                                <button type="button" class="secondary" on:click=move |_| relinking.set(false)>{w(lang, W::Cancel)}</button>
                            </div>
                        </form>
                    }
                }
            </Show>
            <Show when=move || confirming.get()>
                {
                    let (a, p) = (a_delete.clone(), p_delete.clone());
                    let (cid, name) = (confirm_id.clone(), delete_name.clone());
                    view! {
                        <div class="confirm" role="alertdialog" aria-labelledby=format!("{cid}-title") aria-describedby=format!("{cid}-body") data-testid="confirm-delete">
                            <h3 id=format!("{cid}-title")>{w(lang, W::DeleteTitle)} " " <q>{name}</q></h3>
                            <p id=format!("{cid}-body") data-testid="delete-effect">{w(lang, W::DeleteEffect)}</p>
                            <div class="row-actions">
                                <button type="button" class="danger" data-testid="btn-confirm-delete" disabled=move || busy.get()
                                    on:click=move |_| a("DELETE", p.clone(), json!({}), None)>{w(lang, W::DeleteConfirm)}</button>
                                <button type="button" class="secondary" data-testid="btn-cancel-delete" on:click=move |_| confirming.set(false)>{w(lang, W::Cancel)}</button>
                            </div>
                        </div>
                    }
                }
            </Show>
        }
    });
    view! {
        <li class="connection" data-testid="connection" data-status=status.clone()>
            <div class="conn-head">
                <strong>{name.clone()}</strong>
                {(provider_label != name).then(|| view! { <span class="provider">{provider_label.clone()}</span> })}
                {connection.is_default.then(|| view! { <span class="tag">{t(lang, Text::Default)}</span> })}
            </div>
            <p class=format!("pill {}", health.name()) data-testid="status-pill" data-health=health.name()>{pill}</p>
            {admin.then(|| sync.clone().map(|sync| view! { <sync_details::SyncDetails sync lang /> }))}
            {actions}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::Attention;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn each_recorded_error_says_its_own_reason_and_only_key_problems_ask_for_a_new_key() {
        let cases = [
            ("the ATS refused the API key", Attention::KeyRefused, true),
            (
                "the API key lacks a permission",
                Attention::PermissionMissing,
                true,
            ),
            (
                "the ATS is rate limiting this key",
                Attention::RateLimited,
                false,
            ),
            (
                "the ATS could not be reached: the sync step took too long",
                Attention::Unreachable,
                false,
            ),
            ("not found in the ATS", Attention::NoSuchAddress, false),
            ("the ATS answered with an error", Attention::AtsError, false),
            (
                "the ATS sent an answer that could not be read: expected value",
                Attention::AtsError,
                false,
            ),
        ];
        for (error, reason, new_key) in cases {
            assert_eq!(Attention::of(error), reason, "{error}");
            assert_eq!(reason.needs_new_key(), new_key, "{error}");
        }
    }
}
