//! Every user-facing string of the app, in English and French: one table.

use std::sync::OnceLock;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The language for a BCP 47 tag such as `fr-CA`; English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The browser's language (`navigator.language`).
    pub fn from_browser() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.navigator().language())
                .map(|tag| Lang::from_tag(&tag))
                .unwrap_or(Lang::En)
        })
    }

    /// The tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// The app's strings. Add a variant and both translations together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppName,
    Collapse,
    WaitingForProfile,
    NotAProfile,
    ReadFailed,
    FirstName,
    LastName,
    Email,
    Headline,
    Company,
    Location,
    ProfileLink,
    NotConnectedTitle,
    NotConnectedBody,
    OpenSettings,
    Required,
    InvalidEmail,
    SettingsTitle,
    SettingsIntro,
    CompanionUrl,
    Token,
    Save,
    Saved,
}

/// The string for `text` in `lang`.
pub fn t(lang: Lang, text: Text) -> &'static str {
    use Text::*;
    match (text, lang) {
        (AppName, _) => "Sourcebar",
        (Collapse, Lang::En) => "Collapse sidebar",
        (Collapse, Lang::Fr) => "Replier le panneau",
        (WaitingForProfile, Lang::En) => "Reading the profile…",
        (WaitingForProfile, Lang::Fr) => "Lecture du profil…",
        (NotAProfile, Lang::En) => "Open a LinkedIn profile to see it here.",
        (NotAProfile, Lang::Fr) => "Ouvrez un profil LinkedIn pour le voir ici.",
        (ReadFailed, Lang::En) => "This page could not be read. Reload it and try again.",
        (ReadFailed, Lang::Fr) => "Impossible de lire cette page. Rechargez-la et réessayez.",
        (FirstName, Lang::En) => "First name",
        (FirstName, Lang::Fr) => "Prénom",
        (LastName, Lang::En) => "Last name",
        (LastName, Lang::Fr) => "Nom",
        (Email, Lang::En) => "Email",
        (Email, Lang::Fr) => "E-mail",
        (Headline, Lang::En) => "Headline",
        (Headline, Lang::Fr) => "Titre du profil",
        (Company, Lang::En) => "Company",
        (Company, Lang::Fr) => "Entreprise",
        (Location, Lang::En) => "Location",
        (Location, Lang::Fr) => "Lieu",
        (ProfileLink, Lang::En) => "Profile URL",
        (ProfileLink, Lang::Fr) => "URL du profil",
        (NotConnectedTitle, Lang::En) => "Connect Sourcebar to your team in Settings",
        (NotConnectedTitle, Lang::Fr) => "Connectez Sourcebar à votre équipe dans les Réglages",
        (NotConnectedBody, Lang::En) => {
            "Ask your admin for an invite code, then paste it with your team's companion URL."
        }
        (NotConnectedBody, Lang::Fr) => {
            "Demandez un code d’invitation à votre admin, puis collez-le avec l’URL du serveur de votre équipe."
        }
        (OpenSettings, Lang::En) => "Open Settings",
        (OpenSettings, Lang::Fr) => "Ouvrir les Réglages",
        (Required, Lang::En) => "Required",
        (Required, Lang::Fr) => "Obligatoire",
        (InvalidEmail, Lang::En) => "Enter a valid email address",
        (InvalidEmail, Lang::Fr) => "Saisissez une adresse e-mail valide",
        (SettingsTitle, Lang::En) => "Sourcebar settings",
        (SettingsTitle, Lang::Fr) => "Réglages de Sourcebar",
        (SettingsIntro, Lang::En) => "Connect the extension to your team's companion server.",
        (SettingsIntro, Lang::Fr) => "Connectez l’extension au serveur de votre équipe.",
        (CompanionUrl, Lang::En) => "Companion URL",
        (CompanionUrl, Lang::Fr) => "URL du serveur",
        (Token, Lang::En) => "Access token",
        (Token, Lang::Fr) => "Jeton d’accès",
        (Save, Lang::En) => "Save",
        (Save, Lang::Fr) => "Enregistrer",
        (Saved, Lang::En) => "Saved",
        (Saved, Lang::Fr) => "Enregistré",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn french_is_chosen_for_every_french_locale() {
        assert_eq!(Lang::from_tag("fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_settings_hint_is_translated() {
        assert_eq!(
            t(Lang::En, Text::NotConnectedTitle),
            "Connect Sourcebar to your team in Settings"
        );
        assert_ne!(
            t(Lang::Fr, Text::NotConnectedTitle),
            t(Lang::En, Text::NotConnectedTitle)
        );
    }
}
