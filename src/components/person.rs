use super::{Actions, FormFields, MatchList, ProfileCard, Toaster};
use crate::api::Api;
use crate::browser;
use crate::extract::Extracted;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::matching::{DedupeResponse, Verdict};
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// One person: what the page says, what the ATS has, what can be done.
///
/// Created anew for each person, so nothing of the previous one survives;
/// the dedupe request of a person left behind is aborted.
#[component]
pub fn PersonPanel(
    /// The person on screen.
    person: Arc<Extracted>,
    /// The companion, when signed in.
    api: Option<Api>,
    /// The content script's id for this person (for the tab's badge).
    nav_id: u32,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let fields = FormFields::from_page(&person);
    let dedupe = RwSignal::new(None::<DedupeResponse>);
    let selected = RwSignal::new(None::<String>);
    let toaster = expect_context::<Toaster>();

    if let Some(api) = api.clone() {
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        let controller = StoredValue::new_local(controller);
        on_cleanup(move || {
            let _ = controller.try_with_value(|c| c.as_ref().map(|c| c.abort()));
        });
        let profile = person.profile.clone();
        spawn_local(async move {
            let Some(signal) = signal else { return };
            match api.dedupe(&profile, &signal).await {
                Ok(answer) => {
                    badge(nav_id, answer.verdict);
                    if answer.verdict == Verdict::Exact {
                        selected.try_set(answer.matches.first().map(|m| m.candidate.id.clone()));
                    }
                    dedupe.try_set(Some(answer));
                }
                Err(e) if e.is_aborted() => {}
                Err(e) => toaster.show(&e.code),
            }
        });
    }

    let signed_in = api.is_some();
    view! {
        <ProfileCard person=person.clone() fields lang />
        <Show when=move || signed_in>
            <section class="verdict-area" aria-live="polite">
                {move || match dedupe.get() {
                    None => view! {
                        <p class="verdict pending" data-testid="verdict" data-verdict="pending">{t(lang, Text::Checking)}</p>
                    }.into_any(),
                    Some(answer) => {
                        let (text, class) = match answer.verdict {
                            Verdict::Exact => (Text::VerdictExact, "exact"),
                            Verdict::Possible => (Text::VerdictPossible, "possible"),
                            Verdict::None => (Text::VerdictNone, "none"),
                        };
                        view! {
                            <p class=format!("verdict {class}") data-testid="verdict" data-verdict=class>{t(lang, text)}</p>
                            {(!answer.mirror_complete).then(|| view! { <p class="hint">{t(lang, Text::MirrorIncomplete)}</p> })}
                            <MatchList matches=answer.matches selected lang />
                        }.into_any()
                    }
                }}
            </section>
        </Show>
        {api.map(|api| view! { <Actions api person=person.clone() fields dedupe selected lang /> })}
    }
}

/// Tells the content script the verdict, for the collapsed tab's badge.
fn badge(nav_id: u32, verdict: Verdict) {
    let word = match verdict {
        Verdict::Exact => "exact",
        Verdict::Possible => "possible",
        Verdict::None => "none",
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"sourcebar:verdict".into());
    let _ = js_sys::Reflect::set(&message, &"verdict".into(), &word.into());
    let _ = js_sys::Reflect::set(&message, &"navId".into(), &JsValue::from(nav_id));
    browser::post_to_parent(&message.into());
}
