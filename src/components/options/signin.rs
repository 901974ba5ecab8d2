//! Signing in. An invite link (`{companion}/join#code=…`, pasted here or
//! handed over as `options.html#invite=<link>` by the toolbar button on a
//! join page) fills the server and the code, leaving name and email to
//! confirm. The server address, a bare code and an access token are under
//! "Advanced".

use super::words::{w, W};
use crate::api::Api;
use crate::components::Toaster;
use crate::i18n::{error_text, t, Lang, Text};
use crate::problem::Problem;
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::companion_url::check_companion_url;
use sourcebar_core::ErrorCode;

/// The companion and the code an invite link carries; `None` when `link`
/// is not an invite link to a companion that passes the address check.
pub fn parse_invite_link(link: &str) -> Option<(String, String)> {
    let (before, fragment) = link.trim().split_once('#')?;
    let code = fragment
        .split('&')
        .find_map(|kv| kv.strip_prefix("code="))
        .map(str::trim)
        .filter(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        })?;
    let base = before.trim_end_matches('/').strip_suffix("/join")?;
    let base = check_companion_url(base).ok()?;
    Some((base, code.to_string()))
}

/// The invite link handed over in this page's `#invite=` fragment.
fn invite_from_location() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let encoded = hash.strip_prefix("#invite=")?;
    js_sys::decode_uri_component(encoded).ok().map(String::from)
}

/// The sign-in form.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn SignIn(
    initial: Settings,
    settings: RwSignal<Option<Settings>>,
    lang: Lang,
) -> impl IntoView {
    // A saved address that no longer passes the check is shown, with why.
    let stored_problem = initial.companion_url_problem().map(|e| {
        let (title, body) = error_text(lang, e.into());
        view! {
            <p class="notice error" role="alert" data-testid="url-problem" data-code=e.code()>
                <strong>{title}</strong>" — "{body}
            </p>
        }
    });
    let link = RwSignal::new(String::new());
    let url = RwSignal::new(initial.companion_url.clone().unwrap_or_default());
    let code = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let link_bad = RwSignal::new(false);
    let toaster = expect_context::<Toaster>();
    // A link fills the address and the code itself.
    let take_link = move |value: String| {
        link.set(value.clone());
        if value.trim().is_empty() {
            link_bad.set(false);
            return;
        }
        match parse_invite_link(&value) {
            Some((base, c)) => {
                url.set(base);
                code.set(c);
                link_bad.set(false);
            }
            None => link_bad.set(true),
        }
    };
    let handed = invite_from_location();
    // Someone signed out of a known server, or whose saved address needs
    // fixing, sees the advanced fields at once.
    let advanced_open =
        handed.is_none() && (initial.companion_url.is_some() || stored_problem.is_some());
    if let Some(handed) = handed {
        take_link(handed);
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let base = match check_companion_url(&url.get_untracked()) {
            Ok(base) => base,
            Err(e) => {
                toaster.show(e.into());
                return;
            }
        };
        busy.set(true);
        let lang_choice = initial.lang.clone();
        spawn_local(async move {
            let mut api = Api {
                base: base.clone(),
                token: None,
            };
            let typed_token = token.get_untracked().trim().to_string();
            let result = if typed_token.is_empty() {
                api.accept_invite(
                    code.get_untracked().trim(),
                    email.get_untracked().trim(),
                    name.get_untracked().trim(),
                )
                .await
                .map(|joined| joined.token)
                .map_err(|mut e| {
                    // An invite never signs in someone already in the team.
                    if e.problem == Problem::Api(ErrorCode::Conflict) {
                        e.problem = Problem::InviteEmailTaken;
                    }
                    e
                })
            } else {
                Ok(typed_token)
            };
            match result {
                Ok(tok) => {
                    api.token = Some(tok.clone());
                    match api.me().await {
                        Ok(_) => {
                            let s = Settings {
                                companion_url: Some(base),
                                token: Some(tok),
                                lang: lang_choice,
                            };
                            let _ = s.save().await;
                            // The invite is used: drop it from the address.
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_hash("");
                            }
                            settings.set(Some(Settings::load().await));
                        }
                        Err(e) => toaster.show(e.problem),
                    }
                }
                Err(e) => toaster.show(e.problem),
            }
            busy.try_set(false);
        });
    };
    let input = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      auto: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id data-testid=id type=kind autocomplete=auto prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="card" on:submit=submit novalidate data-testid="sign-in">
            <h2>{w(lang, W::JoinTitle)}</h2>
            <p>{w(lang, W::JoinIntro)}</p>
            {stored_problem}
            <div class="field">
                <label for="invite-link">{w(lang, W::InviteLink)}</label>
                <input id="invite-link" data-testid="invite-link" type="url" autocomplete="off"
                    placeholder="https://…/join#code=…" prop:value=move || link.get()
                    aria-invalid=move || link_bad.get().to_string() aria-describedby="invite-link-state"
                    on:input=move |ev| take_link(event_target_value(&ev)) />
                <p id="invite-link-state" class="hint" data-testid="invite-link-state">
                    {move || if link_bad.get() {
                        view! { <span class="error">{w(lang, W::InviteLinkBad)}</span> }.into_any()
                    } else if !code.get().is_empty() && !url.get().is_empty() {
                        view! { {w(lang, W::InviteLinkFilled)} " " <strong data-testid="invite-server">{url.get()}</strong> }.into_any()
                    } else {
                        ().into_any()
                    }}
                </p>
            </div>
            {input("invite-name", t(lang, Text::YourName), name, "text", "name")}
            {input("invite-email", t(lang, Text::YourEmail), email, "email", "email")}
            <details class="advanced" data-testid="advanced" open=advanced_open>
                <summary data-testid="advanced-toggle">{w(lang, W::AdvancedSignIn)}</summary>
                {input("companion-url", t(lang, Text::CompanionUrl), url, "url", "off")}
                {input("invite-code", w(lang, W::InviteCodeLabel), code, "text", "off")}
                {input("token", w(lang, W::TokenLabel), token, "password", "off")}
            </details>
            <button type="submit" data-testid="btn-sign-in" disabled=move || busy.get()>
                {move || if token.get().trim().is_empty() { w(lang, W::Join) } else { t(lang, Text::SignIn) }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_invite_link;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn an_invite_link_gives_the_server_and_the_code() {
        assert_eq!(
            parse_invite_link(" https://sourcebar.example.com/join#code=abc123 "),
            Some(("https://sourcebar.example.com".into(), "abc123".into()))
        );
        assert_eq!(
            parse_invite_link("https://example.com/team/join/#code=x-1"),
            Some(("https://example.com/team".into(), "x-1".into()))
        );
        assert_eq!(
            parse_invite_link("http://127.0.0.1:8787/join#code=k"),
            Some(("http://127.0.0.1:8787".into(), "k".into()))
        );
        // Not a join link, no code, a code with markup, plain http far away.
        assert_eq!(parse_invite_link("https://example.com/#code=abc"), None);
        assert_eq!(parse_invite_link("https://example.com/join"), None);
        assert_eq!(parse_invite_link("https://example.com/join#code=<b>"), None);
        assert_eq!(parse_invite_link("http://example.com/join#code=abc"), None);
    }
}
