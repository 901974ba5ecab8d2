//! Messages from the content script, strictly read and size-capped.
//!
//! The content script sends them with `chrome.runtime.sendMessage`, which a
//! web page cannot do to our extension; we still accept only our own tab's
//! top frame and only the closed set of types below.

use serde::Deserialize;
use wasm_bindgen::JsValue;

/// The largest markup we accept, in bytes (the content script caps at 2 MiB).
pub const MAX_MARKUP: usize = 2 * 1024 * 1024 + 1024;

/// What the content script captured of a profile page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageCapture {
    /// Increases each time the page shows another person.
    pub nav_id: u32,
    /// `location.href` when captured.
    pub url: String,
    /// `document.title`.
    pub title: String,
    /// `main`'s outer HTML (untrusted; parsed inertly, never inserted).
    pub markup: String,
    /// Texts of the page's embedded JSON blocks that mention a public id.
    #[serde(default)]
    pub data: Vec<String>,
    /// The contact-info overlay's markup, only when the user opened it.
    #[serde(default)]
    pub overlay: Option<String>,
}

/// A message the sidebar understands.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type")]
pub enum Incoming {
    /// The page shows a person: here is its markup.
    #[serde(rename = "sourcebar:profile")]
    Profile(PageCapture),
    /// The page moved to another person: forget the one on screen.
    #[serde(rename = "sourcebar:navigating", rename_all = "camelCase")]
    Navigating { nav_id: u32, url: String },
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Malformed,
    TooLarge,
}

impl Incoming {
    /// Reads a message, refusing unknown shapes and oversized payloads.
    pub fn from_js(value: JsValue) -> Result<Incoming, Refused> {
        let incoming: Incoming =
            serde_wasm_bindgen::from_value(value).map_err(|_| Refused::Malformed)?;
        if let Incoming::Profile(capture) = &incoming {
            let data: usize = capture.data.iter().map(String::len).sum();
            let overlay = capture.overlay.as_ref().map_or(0, String::len);
            if capture.markup.len() > MAX_MARKUP || data > MAX_MARKUP || overlay > MAX_MARKUP {
                return Err(Refused::TooLarge);
            }
        }
        Ok(incoming)
    }
}
