//! Where the companion is and who we are to it, kept in `chrome.storage.local`.

use crate::browser;
use sourcebar_core::companion_url::{check_companion_url, CompanionUrlError};

const URL_KEY: &str = "sourcebar.companionUrl";
const TOKEN_KEY: &str = "sourcebar.token";
const LANG_KEY: &str = "sourcebar.lang";

/// The extension's connection to the team's companion server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The companion's base URL, e.g. `https://sourcebar.example.com`.
    pub companion_url: Option<String>,
    /// The bearer token the companion issued to this user (never shown).
    pub token: Option<String>,
    /// The language chosen in the settings (`en`/`fr`); else the browser's.
    pub lang: Option<String>,
}

impl Settings {
    /// The storage keys [`Settings::load`] reads, for a page script that
    /// asks for them early.
    pub const KEYS: [&'static str; 3] = [URL_KEY, TOKEN_KEY, LANG_KEY];

    /// Loads the settings; empty when nothing was saved.
    pub async fn load() -> Settings {
        Settings::load_from(None).await
    }

    /// Loads the settings from `asked`, a `storage.local.get` of
    /// [`Settings::KEYS`] already under way, else asks for them.
    pub async fn load_from(asked: Option<js_sys::Promise>) -> Settings {
        let mut values = browser::storage_get_all(&Settings::KEYS, asked)
            .await
            .into_iter()
            .map(|v| v.filter(|s| !s.is_empty()));
        Settings {
            companion_url: values.next().flatten(),
            token: values.next().flatten(),
            lang: values.next().flatten(),
        }
    }

    /// Saves both values; an empty value is removed.
    pub async fn save(&self) -> Result<(), wasm_bindgen::JsValue> {
        browser::storage_set(&[
            (
                URL_KEY,
                self.companion_url.as_deref().filter(|s| !s.is_empty()),
            ),
            (TOKEN_KEY, self.token.as_deref().filter(|s| !s.is_empty())),
            (LANG_KEY, self.lang.as_deref().filter(|s| !s.is_empty())),
        ])
        .await
    }

    /// The language to speak.
    pub fn language(&self) -> crate::i18n::Lang {
        self.lang
            .as_deref()
            .map_or_else(crate::i18n::Lang::from_browser, crate::i18n::Lang::from_tag)
    }

    /// Why the stored companion address is refused, if it is: a value saved
    /// by an older version (or written by hand) gets the same check as a typed one.
    pub fn companion_url_problem(&self) -> Option<CompanionUrlError> {
        check_companion_url(self.companion_url.as_deref()?).err()
    }

    /// The companion client, when signed in to an address that passes the check.
    pub fn api(&self) -> Option<crate::api::Api> {
        let base = check_companion_url(self.companion_url.as_deref()?).ok()?;
        Some(crate::api::Api {
            base,
            token: Some(self.token.clone()?),
        })
    }

    /// Whether the sidebar can talk to a companion.
    pub fn is_connected(&self) -> bool {
        self.api().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;
    use sourcebar_core::companion_url::CompanionUrlError;

    fn stored(url: &str) -> Settings {
        Settings {
            companion_url: Some(url.into()),
            token: Some("tok".into()),
            lang: None,
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_stored_plain_http_remote_companion_is_never_used() {
        let bad = stored("http://sourcebar.example.com");
        assert_eq!(bad.api(), None);
        assert!(!bad.is_connected());
        assert_eq!(
            bad.companion_url_problem(),
            Some(CompanionUrlError::InsecureRemote)
        );

        let local = stored("http://127.0.0.1:8787/");
        assert_eq!(local.companion_url_problem(), None);
        assert_eq!(
            local.api().map(|a| a.base).as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert!(stored("https://sourcebar.example.com").is_connected());
    }
}
