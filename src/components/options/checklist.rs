//! The set-up checklist, shown to admins until the team is set up: connect
//! the ATS, its first sync, invite the team, share the install link. Each
//! step links to the section where it is done.

use super::words::{n_of, w, W};
use super::TeamData;
use crate::i18n::Lang;
use leptos::prelude::*;

/// One step: its id, its words, whether it is done, and a detail.
struct Step {
    id: &'static str,
    label: W,
    done: bool,
    detail: Option<String>,
    href: &'static str,
}

fn steps(data: TeamData, lang: Lang) -> Vec<Step> {
    let connections = data.connections.get();
    let connected = !connections.is_empty();
    let (mut done, mut total, mut synced) = (0, 0, false);
    for c in &connections {
        if let Some(s) = data.sync_of(&c.id) {
            done += s.done;
            total += s.total;
            synced |= s.complete;
        }
    }
    let others = data.members.get().len() > 1;
    let invited = others || !data.invites.get().is_empty();
    vec![
        Step {
            id: "connect",
            label: W::StepConnect,
            done: connected,
            detail: None,
            href: "#connection",
        },
        Step {
            id: "sync",
            label: W::StepSync,
            done: synced,
            detail: (connected && !synced)
                .then(|| format!("{} · {}", n_of(lang, done, total), w(lang, W::Candidates))),
            href: "#connection",
        },
        Step {
            id: "invite",
            label: W::StepInvite,
            done: invited,
            detail: None,
            href: "#team",
        },
        Step {
            id: "share",
            label: W::StepShare,
            done: data.install_shared.get(),
            detail: None,
            href: "#team",
        },
    ]
}

/// The checklist; nothing once every step is done.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn Checklist(
    /// What the team has set up so far.
    data: TeamData,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    move || {
        if !data.loaded.get() {
            return None;
        }
        let steps = steps(data, lang);
        let done = steps.iter().filter(|s| s.done).count();
        (done < steps.len()).then(|| {
            view! {
                <section class="card checklist" data-testid="checklist" aria-labelledby="checklist-title">
                    <h2 id="checklist-title">{w(lang, W::ChecklistTitle)}</h2>
                    <p class="hint">{w(lang, W::ChecklistIntro)} " " {n_of(lang, i64::try_from(done).unwrap_or(0), i64::try_from(steps.len()).unwrap_or(0))}</p>
                    <ol class="steps">
                        {steps.into_iter().map(|s| view! {
                            <li class="step" class:done=s.done data-testid=format!("step-{}", s.id) data-done=s.done.to_string()>
                                <span class="mark" aria-hidden="true">{if s.done { "✓" } else { "○" }}</span>
                                <a href=s.href>{w(lang, s.label)}</a>
                                <span class="state">
                                    " · " {if s.done { w(lang, W::StepDone) } else { w(lang, W::StepTodo) }}
                                    {s.detail.map(|d| view! { " · " <span data-testid="step-detail">{d}</span> })}
                                </span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
    }
}
