//! `GET /join`: the page an invite link opens (`{companion}/join#code=…`).
//! Public, static, self-contained: no script, no external resource, and
//! nothing from the request is echoed (the code stays in the fragment, which
//! browsers never send). With the extension installed, a click on its
//! toolbar icon reads this tab's URL and opens the sign-in with the code.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/join", get(join))
}

/// Only inline styles: no script, no image, no font, no frame, no form.
pub const JOIN_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The page's words in one language.
struct Words {
    lang: &'static str,
    title: &'static str,
    lead: &'static str,
    step_icon: &'static str,
    step_pin: &'static str,
    step_confirm: &'static str,
    install_title: &'static str,
    install: &'static str,
    private: &'static str,
}

const EN: Words = Words {
    lang: "en",
    title: "Join your team on Sourcebar",
    lead: "You were invited to your team's Sourcebar: the sidebar that tells you, on a LinkedIn profile, whether the person is already in your ATS.",
    step_icon: "Click the Sourcebar icon in your browser's toolbar to join.",
    step_pin: "(If you do not see it, open the puzzle-piece menu and pin Sourcebar.)",
    step_confirm: "Sourcebar opens its settings with your team's address and this invite filled in: confirm your name and email, and you are in.",
    install_title: "No Sourcebar icon?",
    install: "Install the Sourcebar extension first (from your browser's extension store, or the way your admin told you), then come back to this page and click its icon.",
    private: "The invite code is in this link only: it is never sent to the server with the page.",
};

const FR: Words = Words {
    lang: "fr",
    title: "Rejoindre votre équipe sur Sourcebar",
    lead: "Vous êtes invité·e dans le Sourcebar de votre équipe : la barre latérale qui vous dit, sur un profil LinkedIn, si la personne est déjà dans votre ATS.",
    step_icon: "Cliquez sur l'icône Sourcebar dans la barre d'outils de votre navigateur pour rejoindre l'équipe.",
    step_pin: "(Si vous ne la voyez pas, ouvrez le menu en forme de pièce de puzzle et épinglez Sourcebar.)",
    step_confirm: "Sourcebar ouvre ses réglages avec l'adresse de votre équipe et cette invitation déjà remplies : confirmez votre nom et votre e-mail, c'est tout.",
    install_title: "Pas d'icône Sourcebar ?",
    install: "Installez d'abord l'extension Sourcebar (depuis la boutique d'extensions de votre navigateur, ou comme votre administrateur vous l'a indiqué), puis revenez sur cette page et cliquez sur son icône.",
    private: "Le code d'invitation n'est que dans ce lien : il n'est jamais envoyé au serveur avec la page.",
};

/// French when the browser prefers it to English, else English.
fn words_for(accept_language: Option<&str>) -> &'static Words {
    let Some(header) = accept_language else {
        return &EN;
    };
    let mut best: Option<(&'static Words, f32)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let words = match tag.split('-').next() {
            Some("fr") => &FR,
            Some("en") => &EN,
            _ => continue,
        };
        if best.is_none_or(|(_, b)| q > b) {
            best = Some((words, q));
        }
    }
    best.map_or(&EN, |(w, _)| w)
}

/// Whether a browser sending this `Accept-Language` prefers French to English.
pub(super) fn prefers_french(accept_language: Option<&str>) -> bool {
    words_for(accept_language).lang == "fr"
}

fn page(w: &Words) -> String {
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #f8fafc; margin: 0; }}
main {{ max-width: 36rem; margin: 3rem auto; background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 2rem; }}
h1 {{ font-size: 1.5rem; margin: 0 0 1rem; }}
h2 {{ font-size: 1.1rem; margin: 1.5rem 0 .5rem; }}
ol {{ padding-left: 1.25rem; }}
li {{ margin: .5rem 0; }}
.hint {{ color: #4b5563; font-size: .9rem; }}
</style>
</head>
<body>
<main data-testid="join">
<h1>{title}</h1>
<p>{lead}</p>
<ol>
<li><strong>{step_icon}</strong> {step_pin}</li>
<li>{step_confirm}</li>
</ol>
<h2>{install_title}</h2>
<p>{install}</p>
<p class="hint">{private}</p>
</main>
</body>
</html>
"#,
        lang = w.lang,
        title = w.title,
        lead = w.lead,
        step_icon = w.step_icon,
        step_pin = w.step_pin,
        step_confirm = w.step_confirm,
        install_title = w.install_title,
        install = w.install,
        private = w.private,
    )
}

/// The join page, in the language the browser prefers (EN or FR).
async fn join(headers: HeaderMap) -> Response {
    let w = words_for(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let mut response = page(w).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(JOIN_CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-language"));
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(w.lang));
    response
}

#[cfg(test)]
mod tests {
    use super::words_for;

    #[test]
    fn french_only_when_the_browser_prefers_it() {
        assert_eq!(words_for(Some("fr-FR,fr;q=0.9,en;q=0.8")).lang, "fr");
        assert_eq!(words_for(Some("en-US,en;q=0.9,fr;q=0.8")).lang, "en");
        assert_eq!(words_for(Some("de-DE,fr;q=0.5")).lang, "fr");
        assert_eq!(words_for(Some("de-DE")).lang, "en");
        assert_eq!(words_for(None).lang, "en");
    }
}
