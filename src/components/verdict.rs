use super::decision::{shown_verdict, verdict_icon, AtsInfo, Check, Outcome};
use crate::i18n::{error_text, t, Lang, Text};
use leptos::prelude::*;

/// The top of the panel: an icon, a word and the matched person ("In
/// JazzHR · Jane Doe"), announced politely; a failed check says why and
/// offers "Retry" right there.
#[component]
pub fn VerdictBanner(
    /// The ATS check.
    check: RwSignal<Check>,
    /// What the user did (an upload or merge makes the person "in the ATS").
    outcome: RwSignal<Option<Outcome>>,
    /// The team's ATS.
    ats: RwSignal<AtsInfo>,
    /// The language to speak.
    lang: Lang,
    /// Runs the check again.
    retry: Callback<()>,
) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let name = ats.with(|a| a.display(lang));
        outcome.with(|o| check.with(|c| shown_verdict(c, o.as_ref(), lang, &name)))
    });
    let failure = move || match check.get() {
        Check::Failed(code) => Some(code),
        _ => None,
    };
    view! {
        <section class="verdict-area">
            // A stable live region: its text changes, the element stays.
            <div class=move || format!("verdict {}", shown.get().0) data-testid="verdict"
                data-verdict=move || shown.get().0 role="status" aria-live="polite">
                <span class="verdict-icon" aria-hidden="true">{move || verdict_icon(shown.get().0)}</span>
                <span class="verdict-text">{move || shown.get().1}</span>
            </div>
            {move || failure().map(|code| {
                let (_, body) = error_text(lang, code);
                view! {
                    <div class="verdict-failure" data-code=code.code()>
                        <p>{body}</p>
                        <button type="button" class="secondary" data-testid="btn-retry"
                            on:click=move |_| retry.run(())>{t(lang, Text::Retry)}</button>
                    </div>
                }
            })}
        </section>
    }
}
