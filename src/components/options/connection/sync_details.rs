//! What a connection's mirror holds and when it syncs, for admins: counts
//! of candidates, jobs and applications, the last and next refresh of
//! jobs, the last job error in words, and while the first sync runs, how
//! long it has left at the ATS's rate limit (dedupe works meanwhile).

use super::super::time::When;
use super::super::words::count;
use super::Attention;
use crate::i18n::{labelled, Lang};
use leptos::prelude::*;
use sourcebar_core::api::connections::SyncStatus;

/// "1,204 candidates · 37 jobs · 2,310 applications".
pub fn counts_line(lang: Lang, sync: &SyncStatus) -> String {
    let c = &sync.counts;
    match lang {
        Lang::En => format!(
            "{} candidates · {} jobs · {} applications",
            count(lang, c.candidates),
            count(lang, c.jobs),
            count(lang, c.applications)
        ),
        Lang::Fr => format!(
            "{} candidats · {} postes · {} candidatures",
            count(lang, c.candidates),
            count(lang, c.jobs),
            count(lang, c.applications)
        ),
    }
}

/// "about 2 h 10 min" / "environ 2 h 10 min"; under a minute, "under a minute".
pub fn eta_words(lang: Lang, secs: i64) -> String {
    let minutes = (secs.max(0) + 59) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    let span = match (h, m) {
        (0, 0) => {
            return match lang {
                Lang::En => "under a minute".into(),
                Lang::Fr => "moins d’une minute".into(),
            }
        }
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    match lang {
        Lang::En => format!("about {span}"),
        Lang::Fr => format!("environ {span}"),
    }
}

fn words(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// The sync details of one connection.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn SyncDetails(
    /// The connection's sync status.
    sync: SyncStatus,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let counts = counts_line(lang, &sync);
    let eta = sync.first_sync_eta_secs.map(|s| eta_words(lang, s));
    let job_error = sync
        .jobs_error
        .as_deref()
        .map(|e| Attention::of(e).words(lang));
    view! {
        <div class="sync-details" data-testid="sync-details">
            <p data-testid="sync-counts">{counts}</p>
            <p>
                {words(lang, "Jobs and applications", "Postes et candidatures")} " · "
                {match sync.jobs_synced_at.clone() {
                    Some(at) => view! { {words(lang, "last run", "dernière mise à jour")} " " <When lang at /> }.into_any(),
                    None => words(lang, "not synced yet", "pas encore synchronisés").into_any(),
                }}
                {sync.next_run_at.clone().map(|at| view! {
                    " · " {words(lang, "next run", "prochaine")} " " <When lang at />
                })}
            </p>
            {job_error.map(|e| view! {
                <p class="error" data-testid="jobs-error">{labelled(lang, words(lang, "Jobs could not be refreshed", "Les postes n’ont pas pu être mis à jour"), e)}</p>
            })}
            {eta.map(|eta| view! {
                <p class="hint" data-testid="first-sync-eta">
                    {labelled(lang, words(lang, "First sync, time left at the ATS's rate limit", "Première synchronisation, temps restant au rythme autorisé par l’ATS"), &eta)}
                    ". " {words(lang, "Duplicate checks already work meanwhile.", "La détection des doublons fonctionne déjà pendant ce temps.")}
                </p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn time_left_reads_in_hours_and_minutes_in_both_languages() {
        assert_eq!(eta_words(Lang::En, 30), "about 1 min");
        assert_eq!(eta_words(Lang::En, 0), "under a minute");
        assert_eq!(eta_words(Lang::En, 7_800), "about 2 h 10 min");
        assert_eq!(eta_words(Lang::Fr, 3_600), "environ 1 h");
    }
}
