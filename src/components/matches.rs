use super::applications::MatchApplications;
use super::decision::{match_name, AtsInfo};
use crate::api::Api;
use crate::i18n::{labelled, open_in, score_tooltip, t, team_event, Lang, Text};
use crate::relative_time::since_now;
use leptos::prelude::*;
use sourcebar_core::matching::{
    conflicts, fuzzy_name, percent, Confidence, Conflict, DedupeMatch, Reason, ReasonKind,
    TeamAction,
};
use sourcebar_core::Profile;

/// A reason in the user's language, as a chip ("✓ same company: Acme").
pub fn reason_words(lang: Lang, reason: &Reason) -> String {
    let word = |text| t(lang, text).to_string();
    let words = match reason.kind {
        ReasonKind::Email => word(Text::ReasonEmail),
        ReasonKind::ProfileUrl => word(Text::ReasonProfileUrl),
        ReasonKind::Name if reason.detail.contains("nickname") => word(Text::ReasonNickname),
        ReasonKind::Name => match reason.percent {
            Some(100) | None => word(Text::ReasonSameName),
            Some(_) if reason.detail == "same name" => word(Text::ReasonSameName),
            Some(_) => word(Text::ReasonSimilarName),
        },
        ReasonKind::Company => with_value(lang, t(lang, Text::ReasonCompany), &reason.detail),
        ReasonKind::Title => with_value(lang, t(lang, Text::ReasonTitle), &reason.detail),
        ReasonKind::Location => with_value(lang, t(lang, Text::ReasonLocation), &reason.detail),
        ReasonKind::Phone => word(Text::ReasonPhone),
    };
    format!("✓ {words}")
}

/// A conflict as a chip ("✗ different email", "✗ autre entreprise : Initech").
pub fn conflict_words(lang: Lang, conflict: &Conflict) -> String {
    let (text, with) = match conflict.kind {
        ReasonKind::Email => (Text::ConflictEmail, false),
        ReasonKind::ProfileUrl => (Text::ConflictProfileUrl, false),
        ReasonKind::Company => (Text::ConflictCompany, true),
        ReasonKind::Location => (Text::ConflictLocation, true),
        ReasonKind::Title => (Text::ConflictTitle, true),
        ReasonKind::Name | ReasonKind::Phone => (Text::ConflictOther, false),
    };
    let words = t(lang, text);
    if with && !conflict.theirs.is_empty() {
        format!("✗ {}", labelled(lang, words, &conflict.theirs))
    } else {
        format!("✗ {words}")
    }
}

/// The value after the scorer's "same company: " prefix.
fn with_value(lang: Lang, words: &str, detail: &str) -> String {
    match detail.split_once(": ") {
        Some((_, value)) => labelled(lang, words, value),
        None => words.to_string(),
    }
}

/// The word (and its icon) for a confidence.
pub fn confidence_words(lang: Lang, c: Confidence) -> (&'static str, &'static str) {
    match c {
        Confidence::Same => ("✓", t(lang, Text::ConfidenceSame)),
        Confidence::Likely => ("≈", t(lang, Text::ConfidenceLikely)),
        Confidence::Maybe => ("?", t(lang, Text::ConfidenceMaybe)),
    }
}

/// The ranked potential duplicates. The whole card selects it (its radio
/// button is the keyboard's way in); confidence in words, evidence and
/// conflicts as chips, the score in a tooltip, the team's history below.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn MatchList(
    /// Ranked matches.
    matches: Vec<DedupeMatch>,
    /// The person on the page (for conflicts and the names side by side).
    profile: Profile,
    /// The selected candidate's ATS id.
    selected: RwSignal<Option<String>>,
    /// Set when the user said none of the matches is the person.
    none_of_these: RwSignal<bool>,
    /// The team's ATS.
    ats: RwSignal<AtsInfo>,
    /// The language to speak.
    lang: Lang,
    /// The email as the user has it now (typed, or filled from contact info):
    /// a conflict with the record's shows as it changes.
    #[prop(optional, into)]
    email: Option<Signal<String>>,
    /// The companion: a selected match's applications are read again from
    /// the ATS through it.
    #[prop(default = None)]
    api: Option<Api>,
) -> impl IntoView {
    let profile = StoredValue::new(profile);
    let page_email = move || {
        let mut p = profile.get_value();
        if let Some(typed) = email.map(|e| e.get()) {
            p.emails = Some(typed.trim().to_string())
                .filter(|e| !e.is_empty())
                .into_iter()
                .collect();
        }
        p
    };
    let profile = profile.get_value();
    let page_name = [profile.first_name.as_deref(), profile.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let page_name = if page_name.trim().is_empty() {
        profile.full_name.clone().unwrap_or_default()
    } else {
        page_name
    };
    // Unknown rules (the providers call failed): read, the companion answers honestly.
    let applications_readable =
        Signal::derive(move || ats.with(|a| a.capabilities.is_none_or(|c| c.applications)));
    view! {
        <fieldset class="matches">
            <legend class="visually-hidden">{t(lang, Text::SelectMatch)}</legend>
            {matches.into_iter().map(|m| {
                let id = m.candidate.id.clone();
                let radio_id = format!("match-{id}");
                let is_selected = {
                    let id = id.clone();
                    Memo::new(move |_| selected.with(|s| s.as_deref() == Some(id.as_str())))
                };
                let pick = move || {
                    selected.set(Some(id.clone()));
                    none_of_these.set(false);
                };
                let pick2 = pick.clone();
                let confidence = Confidence::of(&m);
                let (icon, word) = confidence_words(lang, confidence);
                let tooltip = score_tooltip(lang, percent(m.score));
                let card_tooltip = tooltip.clone();
                let name = match_name(&m);
                let pair = fuzzy_name(&m.reasons).then(|| (page_name.clone(), name.clone()));
                let pros: Vec<String> = m.reasons.iter().map(|r| reason_words(lang, r)).collect();
                let (candidate, reasons) = (m.candidate.clone(), m.reasons.clone());
                let cons = move || -> Vec<String> {
                    conflicts(&page_email(), &candidate, &reasons).iter().map(|c| conflict_words(lang, c)).collect()
                };
                let history: Vec<String> = m.history.iter().map(|e| {
                    let when = since_now(lang, &e.at).unwrap_or_default();
                    team_event(lang, e.action == TeamAction::Merged, &e.by, &when)
                }).collect();
                let email = m.candidate.email.clone();
                let link = m.candidate.ats_url.clone();
                view! {
                    <div class=move || format!("match {}{}", confidence.code(), if is_selected.get() { " selected" } else { "" })
                        data-testid="match" data-confidence=confidence.code()
                        data-selected=move || is_selected.get().to_string()
                        title=card_tooltip
                        on:click=move |_| pick()>
                        <div class="match-head">
                            <input type="radio" name="match" id=radio_id.clone()
                                prop:checked=move || is_selected.get()
                                on:change=move |_| pick2() />
                            <label for=radio_id class="match-name">{name}</label>
                            <span class=format!("confidence {}", confidence.code()) data-testid="confidence" title=tooltip>
                                <span aria-hidden="true">{icon}" "</span>{word}
                            </span>
                        </div>
                        {pair.map(|(ours, theirs)| view! {
                            <p class="name-pair" data-testid="name-pair">
                                <span>{ours}</span><span aria-hidden="true">" ↔ "</span><span class="visually-hidden">" / "</span><span>{theirs}</span>
                            </p>
                        })}
                        {email.map(|e| view! { <p class="match-email">{e}</p> })}
                        <ul class="chips" aria-label=t(lang, Text::Evidence)>
                            {pros.into_iter().map(|words| view! { <li class="chip pro" data-testid="reason">{words}</li> }).collect_view()}
                            {move || cons().into_iter().map(|words| view! { <li class="chip con" data-testid="conflict">{words}</li> }).collect_view()}
                        </ul>
                        <MatchApplications applications=m.applications.clone() connection_id=m.connection_id.clone()
                            candidate_id=m.candidate.id.clone() selected=is_selected api=api.clone()
                            readable=applications_readable lang />
                        {(!history.is_empty()).then(|| view! {
                            <ul class="history" aria-label=t(lang, Text::TeamHistory)>
                                {history.into_iter().map(|h| view! { <li data-testid="history">{h}</li> }).collect_view()}
                            </ul>
                        })}
                        {link.map(|href| view! {
                            <a class="open" href=href target="_blank" rel="noopener noreferrer"
                                on:click=|ev| ev.stop_propagation()>
                                {move || open_in(lang, &ats.with(|a| a.display(lang)))}
                            </a>
                        })}
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn evidence_and_conflicts_read_as_chips_with_french_spacing() {
        let company = Reason::new(ReasonKind::Company, "same company: Acme");
        assert_eq!(reason_words(Lang::En, &company), "✓ same company: Acme");
        assert_eq!(
            reason_words(
                Lang::Fr,
                &Reason::new(ReasonKind::Location, "same location: Lyon")
            ),
            "✓ même lieu\u{a0}: Lyon"
        );
        let email = Conflict {
            kind: ReasonKind::Email,
            theirs: "x@y.io".into(),
        };
        assert_eq!(conflict_words(Lang::En, &email), "✗ different email");
        let company = Conflict {
            kind: ReasonKind::Company,
            theirs: "Initech".into(),
        };
        assert_eq!(
            conflict_words(Lang::Fr, &company),
            "✗ autre entreprise\u{a0}: Initech"
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_similar_name_chip_carries_no_percentage() {
        let mut name = Reason::new(ReasonKind::Name, "similar name");
        name.percent = Some(93);
        assert_eq!(reason_words(Lang::En, &name), "✓ similar name");
    }
}
