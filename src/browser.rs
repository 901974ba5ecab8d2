//! The few extension APIs the app uses (`chrome.*`), bound once, with every
//! call tolerant of running outside an extension (wasm tests, a plain page).

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    fn storage_local_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = set)]
    fn storage_local_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = remove)]
    fn storage_local_remove(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener)]
    fn runtime_on_message(listener: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = openOptionsPage)]
    fn runtime_open_options_page() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    fn runtime_send_message(message: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = getCurrent)]
    fn tabs_get_current() -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = getURL)]
    fn runtime_get_url(path: &str) -> Result<String, JsValue>;
}

/// This extension's own base URL (`chrome-extension://ID/`,
/// `moz-extension://UUID/`); `None` outside an extension.
pub fn extension_base_url() -> Option<String> {
    runtime_get_url("").ok().filter(|url| !url.is_empty())
}

/// Reads one string from `chrome.storage.local`.
pub async fn storage_get(key: &str) -> Option<String> {
    storage_get_all(&[key], None).await.pop().flatten()
}

/// Reads several strings from `chrome.storage.local` in one call (one
/// round trip to the browser instead of one per key), in `keys`' order.
///
/// `asked`: the same `storage.local.get` already under way (the page's
/// script asks while the wasm loads), else it is asked here.
pub async fn storage_get_all(keys: &[&str], asked: Option<Promise>) -> Vec<Option<String>> {
    let wanted: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    let pending = asked.or_else(|| storage_local_get(&wanted).ok());
    let items = match pending {
        Some(promise) => JsFuture::from(promise).await.ok(),
        None => None,
    };
    keys.iter()
        .map(|key| {
            let items = items.as_ref()?;
            Reflect::get(items, &JsValue::from_str(key))
                .ok()?
                .as_string()
        })
        .collect()
}

/// Writes strings to `chrome.storage.local`; `None` values are removed.
pub async fn storage_set(entries: &[(&str, Option<&str>)]) -> Result<(), JsValue> {
    let items = Object::new();
    let removed = js_sys::Array::new();
    for (key, value) in entries {
        match value {
            Some(v) => {
                Reflect::set(&items, &JsValue::from_str(key), &JsValue::from_str(v))?;
            }
            None => {
                removed.push(&JsValue::from_str(key));
            }
        }
    }
    JsFuture::from(storage_local_set(&items)?).await?;
    if removed.length() > 0 {
        JsFuture::from(storage_local_remove(&removed)?).await?;
    }
    Ok(())
}

/// Listens to `chrome.runtime` messages; the closure lives as long as the page.
pub fn on_runtime_message(listener: impl FnMut(JsValue, JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue, JsValue)>::new(listener);
    if runtime_on_message(closure.as_ref()).is_ok() {
        closure.forget();
    }
}

/// Opens the options page (the settings). Firefox gives the sidebar (an
/// extension page framed in a web page) no `runtime.openOptionsPage`: there
/// the sidebar opens the page in a new tab itself.
pub fn open_options_page() {
    if runtime_open_options_page().is_ok() {
        return;
    }
    if let (Some(window), Ok(url)) = (web_sys::window(), runtime_get_url("options.html")) {
        let _ = window.open_with_url_and_target(&url, "_blank");
    }
}

/// The id of the tab this frame lives in: the browser's answer, else the
/// background worker's (it reads the tab from the message's sender).
/// `None` when neither can tell; callers must then refuse, not guess.
///
/// `asked`: the browser's `tabs.getCurrent()` already under way (the page's
/// script asks while the wasm loads), else it is asked here.
pub async fn current_tab_id(asked: Option<Promise>) -> Option<i32> {
    let from_tabs = async {
        let pending = match asked {
            Some(promise) => promise,
            None => tabs_get_current().ok()?,
        };
        let tab = JsFuture::from(pending).await.ok()?;
        tab_id_of(&tab, "id")
    };
    if let Some(id) = from_tabs.await {
        return Some(id);
    }
    let ask = Object::new();
    Reflect::set(&ask, &"type".into(), &"sourcebar:which-tab".into()).ok()?;
    let answer = JsFuture::from(runtime_send_message(&ask).ok()?)
        .await
        .ok()?;
    tab_id_of(&answer, "tabId")
}

/// A tab id: a non-negative integer that fits an `i32`, nothing else.
fn tab_id_of(object: &JsValue, key: &str) -> Option<i32> {
    let id = Reflect::get(object, &JsValue::from_str(key))
        .ok()?
        .as_f64()?;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "checked above: a whole number within i32's range"
    )]
    let whole = id as i32;
    (id.fract() == 0.0 && (0.0..=f64::from(i32::MAX)).contains(&id)).then_some(whole)
}

/// Sends a message through the extension's own messaging (the background
/// worker relays it to this tab's content script). Unlike `postMessage` to the
/// parent window, the page around the sidebar can never read it.
pub fn send_to_extension(message: &JsValue) {
    if let Ok(promise) = runtime_send_message(message) {
        // Nobody may answer (the worker only relays): that is not an error.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Adds a `performance` mark named `name`, so the time from navigation to
/// verdict can be measured, and split, by the browser itself.
pub fn performance_mark(name: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(performance) = Reflect::get(&window, &"performance".into()) else {
        return;
    };
    if let Ok(mark) = Reflect::get(&performance, &"mark".into()) {
        if let Ok(mark) = mark.dyn_into::<js_sys::Function>() {
            let _ = mark.call1(&performance, &name.into());
        }
    }
}
