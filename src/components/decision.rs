//! What the panel shows and offers, decided from its state with no DOM:
//! the verdict line, the one primary action, and why an action waits.
//! Pure, so the rules are tested without mounting anything.

use crate::api::Change;
use crate::i18n::{ats_or_generic, t, verdict_sentence, Lang, Text, VerdictWords};
use crate::problem::Problem;
use sourcebar_core::email::is_valid_email;
use sourcebar_core::matching::{DedupeMatch, DedupeResponse, Reason, Verdict};
use sourcebar_core::providers::Capabilities;

/// The team's ATS as the panel needs it: its display name and the rules
/// the panel applies (`GET /v1/connections` → default provider →
/// `GET /v1/providers`). Unknown until both answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtsInfo {
    /// The provider's display name ("JazzHR").
    pub name: Option<String>,
    /// What the provider's API allows; `None` while unknown.
    pub capabilities: Option<Capabilities>,
}

impl AtsInfo {
    /// Whether an upload needs an email: the provider's declared rule, and
    /// yes while the rule is not known (the companion would refuse anyway).
    pub fn email_required(&self) -> bool {
        !self.capabilities.is_some_and(|c| c.create_without_email)
    }

    /// Whether an upload needs a job: only where the provider says so.
    pub fn job_required(&self) -> bool {
        self.capabilities.is_some_and(|c| !c.create_without_job)
    }

    /// Whether a merge writes a note (and so can append what the record
    /// lacks); never promised while the rule is not known.
    pub fn takes_notes(&self) -> bool {
        self.capabilities.is_some_and(|c| c.notes)
    }

    /// The name to print ("JazzHR", else "your ATS").
    pub fn display(&self, lang: Lang) -> String {
        ats_or_generic(lang, self.name.as_deref())
    }
}

/// The ATS check of the person on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Not answered yet.
    Pending,
    /// The companion's answer.
    Answered(DedupeResponse),
    /// The check failed, and why.
    Failed(Problem),
}

impl Check {
    /// The verdict, once answered.
    pub fn verdict(&self) -> Option<Verdict> {
        match self {
            Check::Answered(a) => Some(a.verdict),
            _ => None,
        }
    }
}

/// What was done, shown in place of the buttons.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Merged into `name`.
    Merged {
        name: String,
        changes: Vec<Change>,
        /// The ATS's own email, when it differs from the one on the page.
        kept_email: Option<(String, String)>,
        ats_url: Option<String>,
    },
    /// Created in the ATS at once.
    Uploaded { ats_url: Option<String> },
    /// Saved by the companion; delivered when the ATS answers again.
    Queued { upload_id: String },
    /// A queued upload reached the ATS.
    Delivered { ats_url: Option<String> },
    /// A queued upload was refused for good.
    QueueFailed,
}

/// The one primary action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primary {
    /// The check has not answered: nothing can be sent.
    Wait,
    /// Merge into the selected match.
    Merge,
    /// Upload a new candidate.
    Upload,
    /// Possible matches: pick one, or "None of these".
    Choose,
    /// The check failed: retry it.
    Retry,
}

impl Primary {
    /// `data-action` (API.md "Sidebar hooks"; `wait` and `retry` are ours).
    pub fn code(self) -> &'static str {
        match self {
            Primary::Wait => "wait",
            Primary::Merge => "merge",
            Primary::Upload => "upload",
            Primary::Choose => "choose",
            Primary::Retry => "retry",
        }
    }
}

/// The primary action for a check, whether a match is selected, and
/// whether the user said "None of these".
pub fn primary(check: &Check, selected: bool, none_of_these: bool) -> Primary {
    match check {
        Check::Pending => Primary::Wait,
        Check::Failed(_) => Primary::Retry,
        Check::Answered(a) => match a.verdict {
            Verdict::None => Primary::Upload,
            Verdict::Exact | Verdict::Possible if selected => Primary::Merge,
            Verdict::Possible if none_of_these => Primary::Upload,
            Verdict::Exact | Verdict::Possible => Primary::Choose,
        },
    }
}

/// Why an upload cannot be sent with these fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// A first or last name is missing.
    NeedsName,
    /// The ATS requires an email and there is none.
    NeedsEmail,
    /// The email typed is not an address.
    BadEmail,
    /// The ATS creates candidates on a job only, and none is chosen.
    NeedsJob,
}

/// What an upload would send, as far as its blockers go.
pub struct UploadFields<'a> {
    pub first: &'a str,
    pub last: &'a str,
    pub email: &'a str,
    /// The chosen job's id, or empty.
    pub job: &'a str,
}

/// What stops an upload of these fields to this ATS, if anything.
pub fn upload_blocker(fields: &UploadFields<'_>, ats: &AtsInfo) -> Option<Blocker> {
    let email = fields.email.trim();
    if fields.first.trim().is_empty() || fields.last.trim().is_empty() {
        Some(Blocker::NeedsName)
    } else if email.is_empty() && ats.email_required() {
        Some(Blocker::NeedsEmail)
    } else if !email.is_empty() && !is_valid_email(email) {
        Some(Blocker::BadEmail)
    } else if fields.job.is_empty() && ats.job_required() {
        Some(Blocker::NeedsJob)
    } else {
        None
    }
}

/// A match's person, "First Last".
pub fn match_name(m: &DedupeMatch) -> String {
    format!("{} {}", m.candidate.first_name, m.candidate.last_name)
        .trim()
        .to_string()
}

/// The match a certain reason points to, else the best one.
pub fn best_match(answer: &DedupeResponse) -> Option<&DedupeMatch> {
    answer
        .matches
        .iter()
        .find(|m| m.reasons.iter().any(Reason::is_certain))
        .or_else(|| answer.matches.first())
}

/// The verdict as shown: its code (`data-verdict`) and its sentence. A
/// finished upload or merge makes the person "in the ATS".
pub fn shown_verdict(
    check: &Check,
    outcome: Option<&Outcome>,
    lang: Lang,
    ats: &str,
) -> (&'static str, String) {
    match outcome {
        Some(Outcome::Uploaded { .. } | Outcome::Delivered { .. }) => {
            return (
                "exact",
                verdict_sentence(lang, ats, &VerdictWords::AddedByYou),
            );
        }
        Some(Outcome::Merged { name, .. }) => {
            return (
                "exact",
                verdict_sentence(lang, ats, &VerdictWords::MergedByYou { name }),
            );
        }
        Some(Outcome::Queued { .. }) => {
            let code = check.verdict().map_or("none", verdict_code);
            return (code, verdict_sentence(lang, ats, &VerdictWords::Queued));
        }
        Some(Outcome::QueueFailed) | None => {}
    }
    match check {
        Check::Pending => (
            "pending",
            verdict_sentence(lang, ats, &VerdictWords::Pending),
        ),
        Check::Failed(_) => ("error", verdict_sentence(lang, ats, &VerdictWords::Failed)),
        Check::Answered(a) => {
            let words = match a.verdict {
                Verdict::Exact => {
                    let name = best_match(a).map(match_name).unwrap_or_default();
                    return (
                        "exact",
                        verdict_sentence(lang, ats, &VerdictWords::Exact { name: &name }),
                    );
                }
                Verdict::Possible => VerdictWords::Possible {
                    count: a.matches.len(),
                },
                Verdict::None => VerdictWords::New,
            };
            (verdict_code(a.verdict), verdict_sentence(lang, ats, &words))
        }
    }
}

/// `data-verdict` for a verdict.
pub fn verdict_code(v: Verdict) -> &'static str {
    match v {
        Verdict::Exact => "exact",
        Verdict::Possible => "possible",
        Verdict::None => "none",
    }
}

/// The icon beside a verdict (never the only cue: the word is there too).
pub fn verdict_icon(code: &str) -> &'static str {
    match code {
        "exact" => "✓",
        "possible" => "?",
        "none" => "+",
        "error" => "!",
        _ => "…",
    }
}

/// The words of a blocker.
pub fn blocker_text(blocker: Blocker) -> Text {
    match blocker {
        Blocker::NeedsName => Text::NeedsName,
        Blocker::BadEmail | Blocker::NeedsEmail => Text::FixEmail,
        Blocker::NeedsJob => Text::Job,
    }
}

/// What a merge will write, shown before it runs (field, what happens): only
/// what the provider lets it write. Merge fills and appends through a note;
/// without notes it can only add the candidate to the chosen job.
pub fn merge_preview(
    ats: &AtsInfo,
    new_profile_url: bool,
    new_email: bool,
    with_job: bool,
) -> Vec<(Text, Text)> {
    let mut lines = Vec::new();
    let link_update = ats.capabilities.is_some_and(|c| c.link_update);
    if new_profile_url && link_update {
        lines.push((Text::FieldProfileUrlInRecord, Text::WillAdd));
    } else if new_profile_url && ats.takes_notes() {
        lines.push((Text::FieldProfileUrl, Text::WillAppend));
    }
    if ats.takes_notes() {
        if new_email {
            lines.push((Text::FieldEmail, Text::WillAdd));
        }
        lines.push((Text::FieldNote, Text::WillAppend));
    }
    if with_job {
        lines.push((Text::FieldJob, Text::WillAdd));
    }
    lines
}

/// The one-line reason under a disabled primary action, if any.
pub fn action_reason(
    lang: Lang,
    ats: &str,
    primary: Primary,
    blocker: Option<Blocker>,
) -> Option<String> {
    use crate::i18n::{needs_email, needs_job, waiting_for_check};
    match primary {
        Primary::Wait => Some(waiting_for_check(lang, ats)),
        Primary::Retry => Some(t(lang, Text::CheckFailedReason).to_string()),
        Primary::Choose => Some(t(lang, Text::ChooseMatch).to_string()),
        Primary::Merge => None,
        Primary::Upload => blocker.map(|b| match b {
            Blocker::NeedsEmail => needs_email(lang, ats),
            Blocker::NeedsJob => needs_job(lang, ats),
            other => t(lang, blocker_text(other)).to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sourcebar_core::matching::ReasonKind;
    use sourcebar_core::Candidate;

    fn answer(verdict: Verdict, names: &[(&str, bool)]) -> Check {
        Check::Answered(DedupeResponse {
            verdict,
            mirror_complete: true,
            matches: names
                .iter()
                .map(|(name, certain)| DedupeMatch {
                    connection_id: "c".into(),
                    candidate: Candidate {
                        id: (*name).into(),
                        first_name: (*name).into(),
                        last_name: "Doe".into(),
                        ..Candidate::default()
                    },
                    score: 0.9,
                    reasons: vec![Reason {
                        kind: if *certain {
                            ReasonKind::Email
                        } else {
                            ReasonKind::Name
                        },
                        detail: String::new(),
                        percent: None,
                        weight: None,
                    }],
                    history: vec![],
                    applications: vec![],
                })
                .collect(),
        })
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_verdict_picks_the_primary_action() {
        assert_eq!(primary(&Check::Pending, false, false), Primary::Wait);
        assert_eq!(
            primary(&Check::Failed(Problem::Offline), false, false),
            Primary::Retry
        );
        let exact = answer(Verdict::Exact, &[("Jane", true)]);
        assert_eq!(primary(&exact, true, false), Primary::Merge);
        let possible = answer(Verdict::Possible, &[("Sam", false), ("Al", false)]);
        assert_eq!(primary(&possible, false, false), Primary::Choose);
        assert_eq!(primary(&possible, true, false), Primary::Merge);
        assert_eq!(primary(&possible, false, true), Primary::Upload);
        assert_eq!(
            primary(&answer(Verdict::None, &[]), false, false),
            Primary::Upload
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn an_email_is_required_only_where_the_provider_says_so() {
        let fields = |first, last, email, job| UploadFields {
            first,
            last,
            email,
            job,
        };
        let jazzhr = AtsInfo {
            name: Some("JazzHR".into()),
            capabilities: Some(Capabilities {
                create_without_job: true,
                ..Capabilities::default()
            }),
        };
        let open = AtsInfo {
            name: None,
            capabilities: Some(Capabilities {
                create_without_job: true,
                create_without_email: true,
                ..Capabilities::default()
            }),
        };
        assert_eq!(
            upload_blocker(&fields("Eve", "Adams", "", ""), &jazzhr),
            Some(Blocker::NeedsEmail)
        );
        assert_eq!(upload_blocker(&fields("Eve", "Adams", "", ""), &open), None);
        assert_eq!(
            upload_blocker(&fields("Eve", "Adams", "eve@", ""), &open),
            Some(Blocker::BadEmail)
        );
        assert_eq!(
            upload_blocker(&fields("Eve", " ", "e@x.io", ""), &jazzhr),
            Some(Blocker::NeedsName)
        );
        // A provider that creates on a job only waits for one.
        let on_a_job = AtsInfo {
            name: Some("Greenhouse".into()),
            capabilities: Some(Capabilities {
                create_without_email: true,
                ..Capabilities::default()
            }),
        };
        assert_eq!(
            upload_blocker(&fields("Eve", "Adams", "", ""), &on_a_job),
            Some(Blocker::NeedsJob)
        );
        assert_eq!(
            upload_blocker(&fields("Eve", "Adams", "", "42"), &on_a_job),
            None
        );
        assert_eq!(
            action_reason(
                Lang::En,
                "Greenhouse",
                Primary::Upload,
                Some(Blocker::NeedsJob)
            )
            .as_deref(),
            Some("Greenhouse adds a new candidate to a job — choose one below")
        );
        assert!(
            AtsInfo::default().email_required(),
            "unknown rule: required"
        );
        let lever = AtsInfo {
            name: Some("Lever".into()),
            capabilities: Some(Capabilities {
                create_without_email: true,
                ..Capabilities::default()
            }),
        };
        assert!(!lever.email_required());
        let why = action_reason(
            Lang::En,
            "JazzHR",
            Primary::Upload,
            Some(Blocker::NeedsEmail),
        );
        assert_eq!(
            why.as_deref(),
            Some("JazzHR needs an email to create a candidate — open Contact info or type it")
        );
        assert_eq!(
            action_reason(Lang::En, "JazzHR", Primary::Merge, None),
            None
        );
        assert!(action_reason(Lang::Fr, "JazzHR", Primary::Wait, None).is_some());
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_merge_preview_promises_a_note_only_where_the_provider_takes_notes() {
        let with_notes = AtsInfo {
            name: Some("JazzHR".into()),
            capabilities: Some(Capabilities {
                notes: true,
                ..Capabilities::default()
            }),
        };
        assert_eq!(
            merge_preview(&with_notes, true, false, true),
            vec![
                (Text::FieldProfileUrl, Text::WillAppend),
                (Text::FieldNote, Text::WillAppend),
                (Text::FieldJob, Text::WillAdd),
            ]
        );
        let without_notes = AtsInfo {
            capabilities: Some(Capabilities::default()),
            ..with_notes
        };
        assert_eq!(
            merge_preview(&without_notes, true, true, true),
            vec![(Text::FieldJob, Text::WillAdd)]
        );
        assert!(merge_preview(&AtsInfo::default(), true, true, false).is_empty());
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_verdict_line_names_the_person_and_follows_what_was_done() {
        let exact = answer(Verdict::Exact, &[("Al", false), ("Jane", true)]);
        assert_eq!(
            shown_verdict(&exact, None, Lang::En, "JazzHR"),
            ("exact", "In JazzHR · Jane Doe".to_string())
        );
        let none = answer(Verdict::None, &[]);
        assert_eq!(shown_verdict(&none, None, Lang::En, "JazzHR").0, "none");
        let uploaded = Outcome::Uploaded { ats_url: None };
        assert_eq!(
            shown_verdict(&none, Some(&uploaded), Lang::En, "JazzHR"),
            ("exact", "In JazzHR · added just now by you".to_string())
        );
        assert_eq!(
            shown_verdict(&Check::Failed(Problem::Offline), None, Lang::Fr, "JazzHR").0,
            "error"
        );
    }
}
