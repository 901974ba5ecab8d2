use crate::browser;
use crate::i18n::{error_text, t, Lang, Text};
use crate::problem::Problem;
use leptos::prelude::*;

/// Shown while no usable companion is configured: says where to go next.
///
/// The sidebar never asks for the token or the address itself (it lives in a
/// frame inside LinkedIn's page): it only sends the user to the options page.
#[component]
pub fn NotConnected(
    /// The language to speak.
    lang: Lang,
    /// Why the saved companion address is refused, if it is.
    problem: Option<Problem>,
) -> impl IntoView {
    let (title, body) = match problem {
        Some(code) => error_text(lang, code),
        None => (
            t(lang, Text::NotConnectedTitle),
            t(lang, Text::NotConnectedBody),
        ),
    };
    view! {
        <section class="notice" data-testid="not-connected" data-problem=problem.map(Problem::code).unwrap_or_default()
            role=if problem.is_some() { "alert" } else { "status" }>
            <h2>{title}</h2>
            <p>{body}</p>
            <button type="button" class="secondary" data-testid="btn-open-settings"
                on:click=|_| browser::open_options_page()>
                {t(lang, Text::OpenSettings)}
            </button>
        </section>
    }
}
