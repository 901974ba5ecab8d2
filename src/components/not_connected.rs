use crate::browser;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;

/// Shown while no companion is configured: says where to go next.
#[component]
pub fn NotConnected(
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    view! {
        <section class="notice" data-testid="not-connected" role="status">
            <h2>{t(lang, Text::NotConnectedTitle)}</h2>
            <p>{t(lang, Text::NotConnectedBody)}</p>
            <button type="button" class="secondary" on:click=|_| browser::open_options_page()>
                {t(lang, Text::OpenSettings)}
            </button>
        </section>
    }
}
