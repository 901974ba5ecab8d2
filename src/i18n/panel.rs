//! The panel's sentences that carry a value (the ATS's name, a person, a
//! count), in English and French. French typography: a non-breaking space
//! before `:`, `?`, `;` and `%`, and guillemets.

use super::Lang;

/// A non-breaking space, before French high punctuation.
const NBSP: char = '\u{a0}';

/// "words: value", with French spacing ("même lieu : Lyon").
pub fn labelled(lang: Lang, words: &str, value: &str) -> String {
    match lang {
        Lang::En => format!("{words}: {value}"),
        Lang::Fr => format!("{words}{NBSP}: {value}"),
    }
}

/// The ATS's name, or "your ATS" while it is not known.
pub fn ats_or_generic(lang: Lang, ats: Option<&str>) -> String {
    match (ats, lang) {
        (Some(name), _) if !name.trim().is_empty() => name.trim().to_string(),
        (_, Lang::En) => "your ATS".into(),
        (_, Lang::Fr) => "votre ATS".into(),
    }
}

/// The verdict sentences, also the toolbar's title and the pill's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictWords<'a> {
    /// The check is running.
    Pending,
    /// The person is in the ATS, as `name`.
    Exact { name: &'a str },
    /// `count` people in the ATS may be them.
    Possible { count: usize },
    /// Nobody in the ATS looks like them.
    New,
    /// The check failed.
    Failed,
    /// The user just uploaded them.
    AddedByYou,
    /// The user just merged them into `name`.
    MergedByYou { name: &'a str },
    /// The upload waits for the ATS.
    Queued,
}

/// The short verdict sentence: "In JazzHR · Jane Doe".
pub fn verdict_sentence(lang: Lang, ats: &str, words: &VerdictWords) -> String {
    use VerdictWords as V;
    match (words, lang) {
        (V::Pending, Lang::En) => format!("Checking {ats}…"),
        (V::Pending, Lang::Fr) => format!("Vérification dans {ats}…"),
        (V::Exact { name }, Lang::En) => format!("In {ats} · {name}"),
        (V::Exact { name }, Lang::Fr) => format!("Dans {ats} · {name}"),
        (V::Possible { count: 1 }, Lang::En) => format!("Check · 1 possible match in {ats}"),
        (V::Possible { count: 1 }, Lang::Fr) => {
            format!("À vérifier · 1 doublon possible dans {ats}")
        }
        (V::Possible { count }, Lang::En) => format!("Check · {count} possible matches in {ats}"),
        (V::Possible { count }, Lang::Fr) => {
            format!("À vérifier · {count} doublons possibles dans {ats}")
        }
        (V::New, Lang::En) => format!("New · not in {ats}"),
        (V::New, Lang::Fr) => format!("Nouveau · absent de {ats}"),
        (V::Failed, Lang::En) => format!("Could not check {ats}"),
        (V::Failed, Lang::Fr) => format!("Vérification impossible dans {ats}"),
        (V::AddedByYou, Lang::En) => format!("In {ats} · added just now by you"),
        (V::AddedByYou, Lang::Fr) => format!("Dans {ats} · ajouté à l’instant par vous"),
        (V::MergedByYou { name }, Lang::En) => {
            format!("In {ats} · {name} · merged just now by you")
        }
        (V::MergedByYou { name }, Lang::Fr) => {
            format!("Dans {ats} · {name} · fusionné à l’instant par vous")
        }
        (V::Queued, Lang::En) => format!("Queued for {ats} · will be delivered"),
        (V::Queued, Lang::Fr) => format!("En attente pour {ats} · sera envoyé"),
    }
}

/// "Merge into Jane Doe".
pub fn merge_into(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Merge into {name}"),
        Lang::Fr => format!("Fusionner avec {name}"),
    }
}

/// "Upload to JazzHR".
pub fn upload_to(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("Upload to {ats}"),
        Lang::Fr => format!("Importer dans {ats}"),
    }
}

/// "Open in JazzHR".
pub fn open_in(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("Open in {ats}"),
        Lang::Fr => format!("Ouvrir dans {ats}"),
    }
}

/// The confirmation before uploading over an exact match.
pub fn confirm_upload_over(lang: Lang, ats: &str, name: &str) -> String {
    match lang {
        Lang::En => format!(
            "{ats} already has {name}. Upload a second record anyway? It will be a duplicate if this is the same person."
        ),
        Lang::Fr => format!(
            "{ats} a déjà {name}. Importer quand même une seconde fiche{NBSP}? Ce sera un doublon s’il s’agit de la même personne."
        ),
    }
}

/// Why upload is unavailable: the ATS needs an email.
pub fn needs_email(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => {
            format!("{ats} needs an email to create a candidate — open Contact info or type it")
        }
        Lang::Fr => format!(
            "{ats} exige un e-mail pour créer un candidat — ouvrez les coordonnées ou saisissez-le"
        ),
    }
}

/// Why an upload waits for a job: the ATS creates candidates on a job only.
pub fn needs_job(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("{ats} adds a new candidate to a job — choose one below"),
        Lang::Fr => {
            format!("{ats} ajoute un nouveau candidat à un poste — choisissez-en un ci-dessous")
        }
    }
}

/// Why actions wait: the check has not answered.
pub fn waiting_for_check(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("Waiting for {ats} to answer before anything can be sent"),
        Lang::Fr => format!("En attente de la réponse de {ats} avant tout envoi"),
    }
}

/// "✓ Uploaded to JazzHR".
pub fn uploaded_to(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("✓ Uploaded to {ats}"),
        Lang::Fr => format!("✓ Importé dans {ats}"),
    }
}

/// "✓ Delivered to JazzHR".
pub fn delivered_to(lang: Lang, ats: &str) -> String {
    match lang {
        Lang::En => format!("✓ Delivered to {ats}"),
        Lang::Fr => format!("✓ Envoyé dans {ats}"),
    }
}

/// "✓ Merged into Jane Doe".
pub fn merged_into(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("✓ Merged into {name}"),
        Lang::Fr => format!("✓ Fusionné avec {name}"),
    }
}

/// The ATS kept its own email (merge never overwrites).
pub fn keeps_other_email(lang: Lang, ats: &str, theirs: &str, ours: &str) -> String {
    match lang {
        Lang::En => format!(
            "{ats} keeps its email {theirs}; the page shows {ours}. Merge never overwrites it."
        ),
        Lang::Fr => format!(
            "{ats} garde son e-mail {theirs}{NBSP}; la page indique {ours}. La fusion ne l’écrase jamais."
        ),
    }
}

/// "Uploaded by Sam · 3 days ago" / "Merged by Ana · last week".
pub fn team_event(lang: Lang, merged: bool, by: &str, when: &str) -> String {
    match (merged, lang) {
        (false, Lang::En) => format!("Uploaded by {by} · {when}"),
        (false, Lang::Fr) => format!("Importé par {by} · {when}"),
        (true, Lang::En) => format!("Merged by {by} · {when}"),
        (true, Lang::Fr) => format!("Fusionné par {by} · {when}"),
    }
}

/// The tooltip that holds the score: "Match score: 87%".
pub fn score_tooltip(lang: Lang, percent: u8) -> String {
    match lang {
        Lang::En => format!("Match score: {percent}%"),
        Lang::Fr => format!("Score de correspondance{NBSP}: {percent}{NBSP}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn french_puts_a_non_breaking_space_before_the_colon() {
        assert_eq!(
            labelled(Lang::En, "same location", "Lyon"),
            "same location: Lyon"
        );
        assert_eq!(
            labelled(Lang::Fr, "même lieu", "Lyon"),
            "même lieu\u{a0}: Lyon"
        );
        assert!(score_tooltip(Lang::Fr, 87).contains("\u{a0}:"));
        assert!(score_tooltip(Lang::Fr, 87).ends_with("87\u{a0}%"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_verdict_names_the_ats_and_the_person() {
        assert_eq!(
            verdict_sentence(
                Lang::En,
                "JazzHR",
                &VerdictWords::Exact { name: "Jane Doe" }
            ),
            "In JazzHR · Jane Doe"
        );
        assert_eq!(
            verdict_sentence(
                Lang::Fr,
                "JazzHR",
                &VerdictWords::Exact { name: "Jane Doe" }
            ),
            "Dans JazzHR · Jane Doe"
        );
        assert_eq!(
            verdict_sentence(Lang::En, "Lever", &VerdictWords::AddedByYou),
            "In Lever · added just now by you"
        );
        assert_eq!(
            verdict_sentence(Lang::En, "X", &VerdictWords::Possible { count: 1 }),
            "Check · 1 possible match in X"
        );
        assert_eq!(ats_or_generic(Lang::Fr, None), "votre ATS");
        assert_eq!(ats_or_generic(Lang::En, Some(" Lever ")), "Lever");
    }
}
