//! The Account section: who you are, in which team, on which server, the
//! keyboard shortcut, and signing out.

use super::role_text;
use super::words::{w, W};
use crate::api::{Api, Me};
use crate::i18n::{t, Lang, Text};
use crate::settings::Settings;
use js_sys::{Array, Promise, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "commands"], js_name = getAll)]
    fn commands_get_all() -> Result<Promise, JsValue>;
}

/// The shortcut that toggles the sidebar, as the browser shows it
/// (`Alt+Shift+S`); `None` when unset or outside an extension.
async fn toggle_shortcut() -> Option<String> {
    let all = JsFuture::from(commands_get_all().ok()?).await.ok()?;
    Array::from(&all).iter().find_map(|c| {
        let name = Reflect::get(&c, &JsValue::from_str("name"))
            .ok()?
            .as_string()?;
        if name != "toggle-sidebar" {
            return None;
        }
        Reflect::get(&c, &JsValue::from_str("shortcut"))
            .ok()?
            .as_string()
            .filter(|s| !s.is_empty())
    })
}

/// The account.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn AccountSection(
    api: Api,
    me: Me,
    initial: Settings,
    settings: RwSignal<Option<Settings>>,
    lang: Lang,
) -> impl IntoView {
    let shortcut = RwSignal::new(None::<Option<String>>);
    spawn_local(async move {
        shortcut.try_set(Some(toggle_shortcut().await));
    });
    let sign_out = move |_| {
        let s = Settings {
            token: None,
            ..initial.clone()
        };
        spawn_local(async move {
            let _ = s.save().await;
            settings.set(Some(Settings::load().await));
        });
    };
    let name = if me.user.name.is_empty() {
        me.user.email.clone()
    } else {
        me.user.name.clone()
    };
    view! {
        <section class="card" id="account" data-testid="section-account" aria-labelledby="account-title">
            <h2 id="account-title">{w(lang, W::Account)}</h2>
            <dl class="facts">
                <dt>{t(lang, Text::SignedInAs)}</dt><dd>{name} " (" {me.user.email.clone()} ")"</dd>
                <dt>{w(lang, W::Team)}</dt><dd>{me.team.name.clone()} " · " {role_text(lang, &me.role)}</dd>
                <dt>{w(lang, W::CompanionAddress)}</dt><dd>{api.base.clone()}</dd>
                <dt>{w(lang, W::Shortcut)}</dt>
                <dd data-testid="shortcut">
                    {move || shortcut.get().map(|s| match s {
                        Some(keys) => view! { <kbd>{keys}</kbd> " " {w(lang, W::ShortcutHint)} }.into_any(),
                        None => view! { {w(lang, W::ShortcutNone)} }.into_any(),
                    })}
                </dd>
            </dl>
            <div>
                <button type="button" class="secondary" data-testid="btn-sign-out" on:click=sign_out>{t(lang, Text::SignOut)}</button>
            </div>
        </section>
    }
}
