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
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = getCurrent)]
    fn tabs_get_current() -> Result<Promise, JsValue>;
}

/// Reads one string from `chrome.storage.local`.
pub async fn storage_get(key: &str) -> Option<String> {
    let promise = storage_local_get(&JsValue::from_str(key)).ok()?;
    let items = JsFuture::from(promise).await.ok()?;
    Reflect::get(&items, &JsValue::from_str(key))
        .ok()?
        .as_string()
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

/// Opens the options page (the settings).
pub fn open_options_page() {
    let _ = runtime_open_options_page();
}

/// The id of the tab this frame lives in, when the browser tells.
pub async fn current_tab_id() -> Option<i32> {
    let tab = JsFuture::from(tabs_get_current().ok()?).await.ok()?;
    Reflect::get(&tab, &JsValue::from_str("id"))
        .ok()?
        .as_f64()
        .map(|id| id as i32)
}

/// Posts a message to the page that holds this frame (the content script).
pub fn post_to_parent(message: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(parent)) = window.parent() {
        if parent != window {
            // The content script checks that the message comes from our
            // frame; the messages carry no data the page could misuse.
            let _ = parent.post_message(message, "*");
        }
    }
}
