//! Messages from the content script, strictly read and size-capped.
//!
//! The content script sends them with `chrome.runtime.sendMessage`, which a
//! web page cannot do to our extension; we still accept only our own tab's
//! top frame and only the closed set of types below. When the sidebar cannot
//! tell which tab it is in, it accepts nothing (see [`is_from_our_tab`]).

use js_sys::Reflect;
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

/// Whether `sender` (a `runtime.MessageSender`) is the top frame of the tab
/// the sidebar lives in. Fails closed: an unknown own tab, a missing tab or
/// frame id, or any other frame is refused. Every sidebar of every tab hears
/// every content script, so this is what keeps one tab's person out of another.
pub fn is_from_our_tab(sender: &JsValue, my_tab: Option<i32>) -> bool {
    let Some(my_tab) = my_tab else {
        return false;
    };
    let get = |obj: &JsValue, key: &str| Reflect::get(obj, &JsValue::from_str(key)).ok();
    let Some(tab) = get(sender, "tab").filter(JsValue::is_object) else {
        return false;
    };
    let frame_is_top = get(sender, "frameId").and_then(|f| f.as_f64()) == Some(0.0);
    let same_tab = get(&tab, "id").and_then(|id| id.as_f64()) == Some(f64::from(my_tab));
    frame_is_top && same_tab
}

/// Whether `sender` is our own background worker passing on a content
/// script's message. Firefox gives an extension page framed in a web page
/// (our sidebar) only a content script's APIs: it never hears the content
/// script's `runtime.sendMessage`, so the background relays those messages
/// with `tabs.sendMessage` to the tab they came from and no other
/// (extension/background.js). A sender with no tab whose URL is our own
/// extension's is that background; a web page can never message us.
pub fn is_relayed_by_our_background(sender: &JsValue, our_base: Option<&str>) -> bool {
    let get = |key: &str| Reflect::get(sender, &JsValue::from_str(key)).ok();
    let has_tab = get("tab").is_some_and(|t| t.is_object());
    let url = get("url").and_then(|u| u.as_string());
    match (our_base, url) {
        (Some(base), Some(url)) if !base.is_empty() => !has_tab && url.starts_with(base),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_from_our_tab, is_relayed_by_our_background};
    use wasm_bindgen::JsValue;

    fn sender(json: &str) -> JsValue {
        js_sys::JSON::parse(json).unwrap()
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_tab_check_refuses_when_our_tab_is_unknown() {
        // Before the fix an unknown own tab let every tab's messages in.
        let top_of_tab_7 = sender(r#"{"tab":{"id":7},"frameId":0}"#);
        assert!(!is_from_our_tab(&top_of_tab_7, None));
        assert!(is_from_our_tab(&top_of_tab_7, Some(7)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_tab_check_refuses_other_tabs_frames_and_incomplete_senders() {
        for refused in [
            r#"{"tab":{"id":8},"frameId":0}"#,
            r#"{"tab":{"id":7},"frameId":3}"#,
            r#"{"tab":{"id":7}}"#,
            r#"{"tab":{},"frameId":0}"#,
            r#"{"tab":{"id":"7"},"frameId":0}"#,
            r#"{"frameId":0}"#,
            r#"{"tab":null,"frameId":0}"#,
            r"{}",
        ] {
            assert!(!is_from_our_tab(&sender(refused), Some(7)), "{refused}");
        }
        assert!(!is_from_our_tab(&JsValue::UNDEFINED, Some(7)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_our_own_tabless_background_counts_as_a_relay() {
        let base = Some("moz-extension://abc/");
        let background = sender(r#"{"url":"moz-extension://abc/_generated_background_page.html"}"#);
        assert!(is_relayed_by_our_background(&background, base));
        for refused in [
            // Another tab's sidebar: an extension page, but inside a tab.
            r#"{"tab":{"id":8},"frameId":2,"url":"moz-extension://abc/sidebar.html"}"#,
            // Another extension, or a page.
            r#"{"url":"moz-extension://other/bg.html"}"#,
            r#"{"url":"https://www.linkedin.com/in/x/"}"#,
            r"{}",
        ] {
            assert!(
                !is_relayed_by_our_background(&sender(refused), base),
                "{refused}"
            );
        }
        assert!(!is_relayed_by_our_background(&background, None));
        assert!(!is_relayed_by_our_background(&background, Some("")));
    }
}
