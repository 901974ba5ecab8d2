use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use sourcebar_core::matching::{DedupeMatch, Reason, ReasonKind};

/// A reason in the user's language ("similar name — 93%").
pub fn reason_words(lang: Lang, reason: &Reason) -> String {
    let word = |text| t(lang, text).to_string();
    match reason.kind {
        ReasonKind::Email => word(Text::ReasonEmail),
        ReasonKind::ProfileUrl => word(Text::ReasonProfileUrl),
        ReasonKind::Name if reason.detail.contains("nickname") => word(Text::ReasonNickname),
        ReasonKind::Name => match reason.percent {
            Some(100) | None => word(Text::ReasonSameName),
            Some(p) => format!("{} — {p}%", t(lang, Text::ReasonSimilarName)),
        },
        ReasonKind::Company => with_value(t(lang, Text::ReasonCompany), &reason.detail),
        ReasonKind::Title => with_value(t(lang, Text::ReasonTitle), &reason.detail),
        ReasonKind::Location => with_value(t(lang, Text::ReasonLocation), &reason.detail),
        ReasonKind::Phone => word(Text::ReasonPhone),
    }
}

fn with_value(words: &str, detail: &str) -> String {
    match detail.split_once(": ") {
        Some((_, value)) => format!("{words}: {value}"),
        None => words.to_string(),
    }
}

/// The ranked potential duplicates, each selectable, with its reasons.
#[component]
pub fn MatchList(
    /// Ranked matches.
    matches: Vec<DedupeMatch>,
    /// The selected candidate's ATS id.
    selected: RwSignal<Option<String>>,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    view! {
        <fieldset class="matches">
            <legend class="visually-hidden">{t(lang, Text::SelectMatch)}</legend>
            {matches.into_iter().map(|m| {
                let id = m.candidate.id.clone();
                let radio_id = format!("match-{id}");
                let checked_id = id.clone();
                let name = format!("{} {}", m.candidate.first_name, m.candidate.last_name);
                let email = m.candidate.email.clone();
                let link = m.candidate.ats_url.clone();
                let reasons: Vec<String> = m.reasons.iter().map(|r| reason_words(lang, r)).collect();
                view! {
                    <div class="match" data-testid="match">
                        <input type="radio" name="match" id=radio_id.clone()
                            prop:checked=move || selected.get().as_deref() == Some(checked_id.as_str())
                            on:change=move |_| selected.set(Some(id.clone())) />
                        <label for=radio_id>
                            <span class="match-name">{name}</span>
                            <span class="match-score">{format!("{:.0}%", m.score * 100.0)}</span>
                            {email.map(|e| view! { <span class="match-email">{e}</span> })}
                        </label>
                        <ul class="reasons">
                            {reasons.into_iter().map(|r| view! { <li data-testid="reason">{r}</li> }).collect_view()}
                        </ul>
                        {link.map(|href| view! {
                            <a class="open" href=href target="_blank" rel="noopener noreferrer">{t(lang, Text::OpenInAts)}</a>
                        })}
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
