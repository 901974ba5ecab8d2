//! The Team section: members, invite links (`{companion}/join#code=…`, one
//! per teammate) and the install link for everyone.

use super::time::When;
use super::words::{w, W};
use super::{copy_to_clipboard, display_name, role_text, TeamData, INSTALL_SHARED_KEY};
use crate::api::{Api, Me};
use crate::components::Toaster;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

/// The link an invite code travels in: the code is in the fragment, so it
/// never reaches the companion's logs when the page is opened.
pub fn invite_link(base: &str, code: &str) -> String {
    format!("{}/join#code={code}", base.trim_end_matches('/'))
}

fn confirm(text: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(text).ok())
        .unwrap_or(false)
}

/// A read-only link with a Copy button.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub(super) fn CopyLink(
    /// The field's label.
    label: &'static str,
    /// `data-testid` of the field; the button's is `btn-copy-{testid}`.
    testid: &'static str,
    link: String,
    lang: Lang,
    /// Run after a copy.
    #[prop(optional)]
    on_copy: Option<Callback<()>>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let id = format!("{testid}-field");
    let text = link.clone();
    view! {
        <div class="field copy-link">
            <label for=id.clone()>{label}</label>
            <div class="copy-row">
                <input id=id readonly data-testid=testid prop:value=link.clone() />
                <button type="button" class="secondary" data-testid=format!("btn-copy-{testid}") on:click=move |_| {
                    copy_to_clipboard(&text);
                    copied.set(true);
                    if let Some(cb) = on_copy { cb.run(()); }
                }>{move || if copied.get() { w(lang, W::Copied) } else { t(lang, Text::Copy) }}</button>
            </div>
        </div>
    }
}

/// Members, invites and the install link.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn TeamSection(api: Api, data: TeamData, me: Me, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let created = RwSignal::new(None::<String>);
    let call = {
        let api = api.clone();
        move |method: &'static str, path: String, body: Value, show_code: bool| {
            let api = api.clone();
            spawn_local(async move {
                match api.call::<Value>(method, &path, &body, None).await {
                    Ok(v) => {
                        if show_code {
                            created.set(v["code"].as_str().map(|c| invite_link(&api.base, c)));
                        }
                        data.reload_people(&api);
                    }
                    Err(e) => toaster.show(e.problem),
                }
            });
        }
    };
    let (remove, create, revoke) = (call.clone(), call.clone(), call);
    let my_id = me.user.id.clone();
    let members = move || {
        data.members.get().into_iter().map(|m| {
            let id = m.id.clone();
            let name = display_name(&m);
            let is_me = id == my_id;
            let remove = remove.clone();
            let prompt = format!("{} {name}?", t(lang, Text::Remove));
            view! {
                <li class="member" data-testid="member">
                    <span><strong>{name.clone()}</strong> {is_me.then(|| format!(" ({})", w(lang, W::You)))}</span>
                    <span class="hint">{m.email.clone()}</span>
                    <span class="tag" data-testid="member-role">{role_text(lang, &m.role)}</span>
                    <span class="hint">{w(lang, W::Joined)} " " <When lang at=m.created_at.clone() /></span>
                    {(!is_me).then(|| view! {
                        <button type="button" class="link" on:click=move |_| if confirm(&prompt) {
                            remove("DELETE", format!("/v1/members/{id}"), json!({}), false);
                        }>{t(lang, Text::Remove)}</button>
                    })}
                </li>
            }
        }).collect_view()
    };
    let invites = move || {
        data.invites.get().into_iter().map(|i| {
            let id = i.id.clone();
            let revoke = revoke.clone();
            view! {
                <li class="invite" data-testid="pending-invite">
                    <span class="tag">{role_text(lang, &i.role)}</span>
                    <span class="hint">{w(lang, W::Expires)} " " <When lang at=i.expires_at.clone() /></span>
                    <button type="button" class="link" on:click=move |_| revoke("DELETE", format!("/v1/invites/{id}"), json!({}), false)>{t(lang, Text::Revoke)}</button>
                </li>
            }
        }).collect_view()
    };
    let install = format!("{}/join", api.base.trim_end_matches('/'));
    let shared = Callback::new(move |()| {
        data.install_shared.set(true);
        spawn_local(async move {
            let _ = crate::browser::storage_set(&[(INSTALL_SHARED_KEY, Some("1"))]).await;
        });
    });
    view! {
        <section class="card" id="team" data-testid="section-team" aria-labelledby="team-title">
            <h2 id="team-title">{t(lang, Text::Members)}</h2>
            <ul class="members" data-testid="people">{members}</ul>
            <h2>{t(lang, Text::Invites)}</h2>
            <p class="hint">{w(lang, W::InviteLinkHint)}</p>
            <div>
                <button type="button" data-testid="btn-invite" on:click=move |_| create("POST", "/v1/invites".into(), json!({"role": "member"}), true)>
                    {t(lang, Text::CreateInvite)}
                </button>
            </div>
            {move || created.get().map(|link| view! { <CopyLink label=w(lang, W::InviteLink) testid="invite-link" link lang /> })}
            <ul class="invites">{invites}</ul>
            <h2>{w(lang, W::InstallLink)}</h2>
            <p class="hint">{w(lang, W::InstallLinkHint)}</p>
            <CopyLink label=w(lang, W::InstallLink) testid="install-link" link=install lang on_copy=shared />
        </section>
    }
}
