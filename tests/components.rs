//! The sidebar's components mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sourcebar::components::{FormFields, ProfileCard};
use sourcebar::extract::Extracted;
use sourcebar::i18n::Lang;
use sourcebar_core::Profile;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(person: Extracted, lang: Lang) -> web_sys::HtmlElement {
    let document = leptos::prelude::document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let person = Arc::new(person);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let fields = FormFields::from_page(&person);
        view! { <ProfileCard person=person.clone() fields lang /> }
    });
    handle.forget();
    host
}

fn by_testid(host: &web_sys::HtmlElement, id: &str) -> web_sys::Element {
    host.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_form_starts_from_the_page_and_validates_inline() {
    let person = Extracted {
        displayed_name: "Ana <b>Pérez</b>".into(),
        profile: Profile {
            first_name: Some("Ana".into()),
            last_name: Some("Pérez".into()),
            headline: Some("CTO at Foo".into()),
            ..Profile::default()
        },
    };
    let host = mount(person, Lang::Fr);
    leptos::task::tick().await;
    // Page text is text: no <b> element was created.
    assert_eq!(
        by_testid(&host, "profile-name").text_content().unwrap(),
        "Ana <b>Pérez</b>"
    );
    assert!(host.query_selector("b").unwrap().is_none());
    let first: web_sys::HtmlInputElement = by_testid(&host, "field-first-name").unchecked_into();
    assert_eq!(first.value(), "Ana");
    assert!(host.text_content().unwrap().contains("Prénom"));

    let email: web_sys::HtmlInputElement = by_testid(&host, "field-email").unchecked_into();
    email.set_value("not-an-email");
    email
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(host
        .text_content()
        .unwrap()
        .contains("Saisissez une adresse e-mail valide"));

    email.set_value("ana@foo.io");
    email
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(
        email.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
}
