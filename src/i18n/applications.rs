//! A match's applications in words, in English and French:
//! "Backend Engineer · Phone screen · 3 days ago", "Rejected · Sales Lead";
//! and the job picker's filter.

use super::Lang;
use sourcebar_core::api::applications::{Application, ApplicationStatus};

/// The status of a closed application, in words (`None` while active: the
/// stage says where it is).
fn closed_status(lang: Lang, status: ApplicationStatus) -> Option<&'static str> {
    Some(match (status, lang) {
        (ApplicationStatus::Active, _) => return None,
        (ApplicationStatus::Rejected, Lang::En) => "Rejected",
        (ApplicationStatus::Rejected, Lang::Fr) => "Refusé",
        (ApplicationStatus::Hired, Lang::En) => "Hired",
        (ApplicationStatus::Hired, Lang::Fr) => "Embauché",
        (ApplicationStatus::Withdrawn, Lang::En) => "Withdrawn",
        (ApplicationStatus::Withdrawn, Lang::Fr) => "Désisté",
        (ApplicationStatus::Other, Lang::En) => "Closed",
        (ApplicationStatus::Other, Lang::Fr) => "Clos",
    })
}

/// One application on a line: the job, then the stage (active) or the
/// status first (closed), then how long ago it last changed (`when`,
/// already in words).
pub fn application_line(lang: Lang, a: &Application, when: Option<&str>) -> String {
    let job = a
        .job_title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map_or_else(
            || match lang {
                Lang::En => "Unnamed job".to_string(),
                Lang::Fr => "Poste sans nom".to_string(),
            },
            |t| t.trim().to_string(),
        );
    let mut parts = if let Some(status) = closed_status(lang, a.status) {
        vec![status.to_string(), job]
    } else {
        let stage = a.stage.as_deref().map(str::trim).filter(|s| !s.is_empty());
        std::iter::once(job)
            .chain(stage.map(str::to_string))
            .collect()
    };
    parts.extend(when.filter(|w| !w.is_empty()).map(str::to_string));
    parts.join(" · ")
}

/// The label of a match's list of applications.
pub fn applications_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Applications in the ATS",
        Lang::Fr => "Candidatures dans l’ATS",
    }
}

/// Said under the applications while they are read again from the ATS.
pub fn applications_refreshing(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Checking the ATS for changes…",
        Lang::Fr => "Vérification des changements dans l’ATS…",
    }
}

/// Said under the applications when the ATS did not answer in time.
pub fn applications_stale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "May be out of date: the ATS did not answer, this is the last synced copy.",
        Lang::Fr => {
            "Peut-être pas à jour : l’ATS n’a pas répondu, voici la dernière copie synchronisée."
        }
    }
}

/// Said for a selected match with no application.
pub fn no_applications(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No application to a job yet.",
        Lang::Fr => "Aucune candidature à un poste pour l’instant.",
    }
}

/// Said on a selected match when the ATS's API cannot show applications,
/// instead of claiming there are none.
pub fn applications_unreadable(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "This ATS's API does not show a candidate's applications: open the record to see them.",
        Lang::Fr => "L’API de cet ATS ne montre pas les candidatures d’une personne : ouvrez sa fiche pour les voir.",
    }
}

/// The job picker's filter field.
pub fn job_filter_placeholder(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Filter jobs by title",
        Lang::Fr => "Filtrer les postes par intitulé",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn application(status: ApplicationStatus, stage: Option<&str>) -> Application {
        Application {
            id: "1".into(),
            job_id: Some("9".into()),
            job_title: Some("Backend Engineer".into()),
            stage: stage.map(str::to_string),
            status,
            updated_at: None,
            ats_url: None,
            stale: false,
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn an_active_application_reads_job_stage_and_when() {
        let a = application(ApplicationStatus::Active, Some("Phone screen"));
        assert_eq!(
            application_line(Lang::En, &a, Some("3 days ago")),
            "Backend Engineer · Phone screen · 3 days ago"
        );
        assert_eq!(
            application_line(Lang::Fr, &a, Some("il y a 3 jours")),
            "Backend Engineer · Phone screen · il y a 3 jours"
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_closed_application_reads_its_status_first() {
        let a = application(ApplicationStatus::Rejected, Some("Interview"));
        assert_eq!(
            application_line(Lang::En, &a, None),
            "Rejected · Backend Engineer"
        );
        assert_eq!(
            application_line(Lang::Fr, &a, None),
            "Refusé · Backend Engineer"
        );
    }
}
