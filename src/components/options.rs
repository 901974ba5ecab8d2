use crate::i18n::{t, Lang, Text};
use crate::settings::{normalize_companion_url, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings page: where the companion is and the user's token.
#[component]
pub fn OptionsPage() -> impl IntoView {
    let lang = Lang::from_browser();
    let url = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let url_invalid = RwSignal::new(false);

    spawn_local(async move {
        let s = Settings::load().await;
        url.set(s.companion_url.unwrap_or_default());
        token.set(s.token.unwrap_or_default());
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = url.get_untracked();
        let companion_url = normalize_companion_url(&typed);
        url_invalid.set(companion_url.is_none() && !typed.trim().is_empty());
        if url_invalid.get_untracked() {
            return;
        }
        let settings = Settings {
            companion_url,
            token: Some(token.get_untracked().trim().to_string()),
        };
        spawn_local(async move {
            saved.set(settings.save().await.is_ok());
        });
    };

    view! {
        <main class="options-page" lang=lang.tag()>
            <h1>{t(lang, Text::SettingsTitle)}</h1>
            <p>{t(lang, Text::SettingsIntro)}</p>
            <form on:submit=save novalidate>
                <div class="field">
                    <label for="companion-url">{t(lang, Text::CompanionUrl)}</label>
                    <input id="companion-url" data-testid="companion-url" type="url"
                        placeholder="https://sourcebar.example.com"
                        aria-invalid=move || url_invalid.get().to_string()
                        prop:value=move || url.get() on:input=move |ev| { saved.set(false); url.set(event_target_value(&ev)) } />
                </div>
                <div class="field">
                    <label for="token">{t(lang, Text::Token)}</label>
                    <input id="token" data-testid="token" type="password" autocomplete="off"
                        prop:value=move || token.get() on:input=move |ev| { saved.set(false); token.set(event_target_value(&ev)) } />
                </div>
                <button type="submit" data-testid="btn-save">{t(lang, Text::Save)}</button>
                <span role="status" data-testid="saved">{move || saved.get().then(|| t(lang, Text::Saved))}</span>
            </form>
        </main>
    }
}
