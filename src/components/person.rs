use super::decision::{best_match, primary, shown_verdict, AtsInfo, Check, Outcome, Primary};
use super::sidebar::{Ats, PageUpdate};
use super::{Actions, FormFields, MatchList, ProfileCard, VerdictBanner};
use crate::api::Api;
use crate::browser;
use crate::extract::Extracted;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::matching::{Confidence, Verdict};
use sourcebar_core::Profile;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// One person: the verdict first, who they are, the evidence, and the one
/// thing to do next.
///
/// Created anew for each person, so nothing of the previous one survives;
/// the dedupe request of a person left behind is aborted. A later capture
/// of the same person (the contact-info dialog) only fills an empty email
/// and checks again quietly: no rebuild, no flicker.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
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
    let check = RwSignal::new(Check::Pending);
    let selected = RwSignal::new(None::<String>);
    let none_of_these = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let ats = use_context::<Ats>().map_or_else(|| RwSignal::new(AtsInfo::default()), |a| a.0);
    // The profile the last check was about (the page's, plus a later email).
    let last_checked = StoredValue::new(person.profile.clone());
    let checker = api.clone().map(|api| Checker::new(api, check, selected));

    if let Some(checker) = &checker {
        checker.run(person.profile.clone(), false);
        // The verdict, for the toolbar badge and the collapsed pill.
        Effect::new(move |previous: Option<String>| {
            let shown = outcome.with(|o| {
                check.with(|c| shown_verdict(c, o.as_ref(), lang, &ats.with(|a| a.display(lang))))
            });
            let key = format!("{}|{}", shown.0, shown.1);
            if previous.as_deref() != Some(key.as_str()) {
                send_verdict(nav_id, shown.0, &shown.1);
            }
            key
        });
    }

    if let Some(PageUpdate(update)) = use_context::<PageUpdate>() {
        let checker = checker.clone();
        Effect::new(move |_| {
            let Some((id, later)) = update.get() else {
                return;
            };
            if id != nav_id {
                return;
            }
            let Some(found) = later.profile.emails.first().cloned() else {
                return;
            };
            if !fields.email.with_untracked(|e| e.trim().is_empty()) {
                return; // never overwrite what the user typed
            }
            fields.email.set(found.clone());
            let known = last_checked
                .with_value(|p| p.emails.iter().any(|e| e.eq_ignore_ascii_case(&found)));
            if let (Some(checker), false) = (&checker, known) {
                let mut profile: Profile = last_checked.get_value();
                profile.emails = vec![found];
                profile.phones.clone_from(&later.profile.phones);
                last_checked.set_value(profile.clone());
                checker.run(profile, true);
            }
        });
    }

    let retry = {
        let checker = checker.clone();
        Callback::new(move |()| {
            if let Some(c) = &checker {
                c.run(last_checked.get_value(), false);
            }
        })
    };
    let signed_in = api.is_some();
    // The card asks for a missing email only where an upload is the way on:
    // a merge needs none, and "choose" has not decided yet.
    let upload_next = Signal::derive(move || {
        !signed_in
            || confirming.get()
            || matches!(
                primary(&check.get(), selected.get().is_some(), none_of_these.get()),
                Primary::Upload | Primary::Retry
            )
    });
    let page_profile = person.profile.clone();
    let api_for_matches = api.clone();

    view! {
        <Show when=move || signed_in>
            <VerdictBanner check outcome ats lang retry />
        </Show>
        <ProfileCard person=person.clone() fields lang ats=ats upload_next />
        <Show when=move || signed_in>
            <section class="match-area" data-state=move || match check.get() { Check::Pending => "pending", _ => "ready" }>
                {
                    let page_profile = page_profile.clone();
                    let api_for_matches = api_for_matches.clone();
                    move || match check.get() {
                        Check::Pending => view! { <div class="match-skeleton" aria-hidden="true"></div> }.into_any(),
                        Check::Answered(a) if !a.matches.is_empty() => view! {
                            {(!a.mirror_complete).then(|| view! { <p class="hint">{crate::i18n::t(lang, crate::i18n::Text::MirrorIncomplete)}</p> })}
                            <MatchList matches=a.matches profile=page_profile.clone() selected none_of_these ats lang email=fields.email api=api_for_matches.clone() />
                        }.into_any(),
                        _ => ().into_any(),
                    }
                }
            </section>
        </Show>
        {api.map(|api| view! {
            <Actions api person=person.clone() fields check selected none_of_these confirming outcome ats lang />
        })}
    }
}

/// Runs the dedupe check, one at a time: a new run aborts the previous one,
/// and leaving the person aborts the last.
#[derive(Clone)]
struct Checker {
    api: Api,
    check: RwSignal<Check>,
    selected: RwSignal<Option<String>>,
    running: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
}

impl Checker {
    fn new(api: Api, check: RwSignal<Check>, selected: RwSignal<Option<String>>) -> Self {
        let running = StoredValue::new_local(None::<web_sys::AbortController>);
        on_cleanup(move || {
            let _ = running.try_with_value(|c| c.as_ref().map(web_sys::AbortController::abort));
        });
        Checker {
            api,
            check,
            selected,
            running,
        }
    }

    /// Checks `profile`; `quiet` keeps the current answer on screen until
    /// the new one arrives (a re-check after the email appeared).
    fn run(&self, profile: Profile, quiet: bool) {
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        if let Some(previous) = self.running.try_with_value(Clone::clone).flatten() {
            previous.abort();
        }
        self.running.set_value(Some(controller));
        if !quiet {
            self.check.set(Check::Pending);
        }
        let (api, check, selected) = (self.api.clone(), self.check, self.selected);
        spawn_local(async move {
            match api.dedupe(&profile, &signal).await {
                Ok(answer) => {
                    browser::performance_mark("sourcebar-dedupe-answered");
                    if answer.verdict == Verdict::Exact {
                        let certain = best_match(&answer)
                            .filter(|m| Confidence::of(m) == Confidence::Same)
                            .map(|m| m.candidate.id.clone());
                        selected.try_set(certain);
                    }
                    check.try_set(Check::Answered(answer));
                }
                Err(e) if e.is_aborted() => {}
                Err(e) if quiet => {
                    // Keep the answer on screen; the re-check only adds.
                    let _ = e;
                }
                Err(e) => {
                    check.try_set(Check::Failed(e.problem));
                }
            }
        });
    }
}

/// Tells the background the verdict, for the toolbar badge and the
/// collapsed pill, through the extension's messaging: the page around us
/// never sees it. `label` is the verdict line (at most 120 characters).
fn send_verdict(nav_id: u32, code: &str, label: &str) {
    let label: String = label.chars().take(120).collect();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"sourcebar:verdict".into());
    let _ = js_sys::Reflect::set(&message, &"verdict".into(), &code.into());
    let _ = js_sys::Reflect::set(&message, &"navId".into(), &JsValue::from(nav_id));
    let _ = js_sys::Reflect::set(&message, &"label".into(), &label.into());
    browser::send_to_extension(&message.into());
    if code != "pending" {
        browser::performance_mark("sourcebar-verdict");
    }
}
