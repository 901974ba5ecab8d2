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

/// Entry point of `sidebar.html`.
#[cfg(feature = "sidebar-page")]
#[wasm_bindgen]
pub fn mount_sidebar() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::SidebarApp);
}

/// Entry point of `options.html`.
#[cfg(feature = "options-page")]
#[wasm_bindgen]
pub fn mount_options() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::OptionsPage);
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
