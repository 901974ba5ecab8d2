//! Where the companion is and who we are to it, kept in `chrome.storage.local`.

use crate::browser;

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
    /// Loads the settings; empty when nothing was saved.
    pub async fn load() -> Settings {
        Settings {
            companion_url: browser::storage_get(URL_KEY)
                .await
                .filter(|s| !s.is_empty()),
            token: browser::storage_get(TOKEN_KEY)
                .await
                .filter(|s| !s.is_empty()),
            lang: browser::storage_get(LANG_KEY)
                .await
                .filter(|s| !s.is_empty()),
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
            .map(crate::i18n::Lang::from_tag)
            .unwrap_or_else(crate::i18n::Lang::from_browser)
    }

    /// The companion client, when signed in.
    pub fn api(&self) -> Option<crate::api::Api> {
        Some(crate::api::Api {
            base: self.companion_url.clone()?,
            token: Some(self.token.clone()?),
        })
    }

    /// Whether the sidebar can talk to a companion.
    pub fn is_connected(&self) -> bool {
        self.companion_url.is_some() && self.token.is_some()
    }
}

/// A companion URL as typed: trimmed, without a trailing slash, http(s) only.
pub fn normalize_companion_url(raw: &str) -> Option<String> {
    let url = raw.trim().trim_end_matches('/');
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "http://".len()
        && !url.chars().any(char::is_whitespace);
    ok.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize_companion_url;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn companion_urls_are_tidied_and_checked() {
        assert_eq!(
            normalize_companion_url(" http://127.0.0.1:8787/ ").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(normalize_companion_url("ftp://x"), None);
        assert_eq!(normalize_companion_url("https://"), None);
    }
}
