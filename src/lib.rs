//! Sourcebar's sidebar and options page: Leptos (CSR) compiled to WebAssembly.
//!
//! `lib.rs` only wires: the sidebar page calls [`mount_sidebar`], the options
//! page [`mount_options`]. Screens live in `components/`, reading a profile
//! page in `extract/`, the content script's messages in `messaging`.

pub mod api;
pub mod browser;
pub mod components;
pub mod extract;
pub mod i18n;
pub mod messaging;
pub mod problem;
pub mod relative_time;
pub mod settings;

use wasm_bindgen::prelude::*;

/// Entry point of `sidebar.html`. `said_ready`: the page's script already
/// told the content script the sidebar is ready; `early`: the `[message,
/// sender]` pairs that arrived while the wasm loaded, not yet checked;
/// `tab_lookup`: the browser's `tabs.getCurrent()`, when the script asked;
/// `settings_lookup`: `storage.local.get` of [`settings::Settings::KEYS`].
#[cfg(feature = "sidebar-page")]
#[wasm_bindgen]
pub fn mount_sidebar(
    said_ready: bool,
    early: &js_sys::Array,
    tab_lookup: JsValue,
    settings_lookup: JsValue,
) {
    use leptos::prelude::*;
    console_error_panic_hook::set_once();
    let early: Vec<(JsValue, JsValue)> = early
        .iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            (pair.get(0), pair.get(1))
        })
        .collect();
    let tab_lookup = tab_lookup.dyn_into::<js_sys::Promise>().ok();
    let settings_lookup = settings_lookup.dyn_into::<js_sys::Promise>().ok();
    leptos::mount::mount_to_body(move || {
        let (tab_lookup, settings_lookup) = (tab_lookup.clone(), settings_lookup.clone());
        view! {
            <components::SidebarApp said_ready early=early.clone() tab_lookup settings_lookup />
        }
    });
}

/// Entry point of `options.html`.
#[cfg(feature = "options-page")]
#[wasm_bindgen]
pub fn mount_options() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::OptionsPage);
}

/// Entry point of `import.html`: the Import screen, built into the
/// settings page's wasm (one bundle for the team's own pages).
#[cfg(feature = "options-page")]
#[wasm_bindgen]
pub fn mount_import() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::ImportPage);
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
