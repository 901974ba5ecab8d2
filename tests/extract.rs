//! DOM extraction against the fixture pages, in headless Chromium
//! (`wasm-bindgen-test`; run by `./build.sh test`).
#![cfg(target_arch = "wasm32")]

use sourcebar::extract::{extract_profile, ExtractError};
use sourcebar::messaging::PageCapture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the content script would send for a fixture page.
fn capture(url: &str, page: &str) -> PageCapture {
    let main_start = page.find("<main").expect("fixture has <main>");
    let main_end = page.find("</main>").expect("fixture closes <main>") + "</main>".len();
    let title = page
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or("");
    let data = page
        .split("<code")
        .skip(1)
        .filter_map(|c| {
            c.split_once('>')
                .map(|(_, rest)| rest.split("</code>").next().unwrap_or(""))
        })
        .map(|raw| raw.replace("&quot;", "\""))
        .collect();
    let overlay = page.find("<div role=\"dialog\"").map(|start| {
        let end = page[start..]
            .find("</div>\n<code")
            .map_or(page.len(), |e| start + e + 6);
        page[start..end].to_string()
    });
    PageCapture {
        nav_id: 1,
        url: url.into(),
        title: title.replace("&lt;", "<").replace("&gt;", ">"),
        markup: page[main_start..main_end].to_string(),
        data,
        overlay,
    }
}

const JANE: &str = include_str!("fixtures/profiles/jane-doe.html");
const JANE_CONTACT: &str = include_str!("fixtures/profiles/jane-doe.contact.html");
const LUDWIG: &str = include_str!("fixtures/profiles/ludwig-van-der-rohe.html");
const SMITH_JONES: &str = include_str!("fixtures/profiles/jane-smith-jones.html");
const EVE: &str = include_str!("fixtures/profiles/eve-adams.html");
const SPA_ONE: &str = include_str!("fixtures/profiles/spa-one.html");

#[wasm_bindgen_test]
fn reads_the_2023_layout_with_embedded_data() {
    let got =
        extract_profile(&capture("https://fr.linkedin.com/in/Jane-Doe/?trk=x", JANE)).unwrap();
    let p = got.profile;
    assert_eq!(got.displayed_name, "Jane Doe");
    assert_eq!(
        (p.first_name.as_deref(), p.last_name.as_deref()),
        (Some("Jane"), Some("Doe"))
    );
    assert_eq!(
        p.headline.as_deref(),
        Some("Head of Talent at Acme Robotics | Hiring engineers")
    );
    assert_eq!(p.company.as_deref(), Some("Acme Robotics"));
    assert_eq!(p.location.as_deref(), Some("Lyon, France"));
    assert_eq!(
        p.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/jane-doe/")
    );
    assert!(p.photo_url.unwrap().starts_with("https://media.licdn.com/"));
    assert!(
        p.emails.is_empty(),
        "no contact details unless the overlay is open"
    );
}

#[wasm_bindgen_test]
fn reads_the_2019_layout_without_photo() {
    let p = extract_profile(&capture(
        "https://www.linkedin.com/in/ludwig-van-der-rohe/",
        LUDWIG,
    ))
    .unwrap()
    .profile;
    assert_eq!(p.first_name.as_deref(), Some("Ludwig"));
    assert_eq!(p.last_name.as_deref(), Some("van der Rohe"));
    assert_eq!(
        p.headline.as_deref(),
        Some("Architect, teacher, furniture designer")
    );
    assert_eq!(p.company.as_deref(), Some("Bauhaus Dessau"));
    assert_eq!(p.title.as_deref(), Some("Director"));
    assert_eq!(p.location.as_deref(), Some("Berlin, Germany"));
    assert_eq!(p.photo_url, None);
}

#[wasm_bindgen_test]
fn contact_details_come_from_the_open_overlay() {
    let url = "https://www.linkedin.com/in/jane-doe/overlay/contact-info/";
    let p = extract_profile(&capture(url, JANE_CONTACT))
        .unwrap()
        .profile;
    assert_eq!(p.emails, vec!["jane.doe@example.com".to_string()]);
    assert_eq!(p.phones, vec!["+33 6 12 34 56 78".to_string()]);
    assert_eq!(
        p.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/jane-doe/")
    );
}

#[wasm_bindgen_test]
fn tolerates_missing_parts_and_cleans_the_name() {
    let got = extract_profile(&capture(
        "https://www.linkedin.com/in/jane-smith-jones/",
        SMITH_JONES,
    ))
    .unwrap();
    let p = got.profile;
    assert_eq!(p.full_name.as_deref(), Some("Jane Smith-Jones"));
    assert_eq!(
        (p.first_name.as_deref(), p.last_name.as_deref()),
        (Some("Jane"), Some("Smith-Jones"))
    );
    assert_eq!((p.headline, p.company, p.photo_url), (None, None, None));
}

#[wasm_bindgen_test]
fn hostile_markup_stays_text() {
    let got = extract_profile(&capture("https://www.linkedin.com/in/eve-adams/", EVE)).unwrap();
    assert_eq!(got.displayed_name, "Eve <img src=x onerror=alert(1)> Adams");
    assert_eq!(got.profile.full_name.as_deref(), Some("Eve Adams"));
}

#[wasm_bindgen_test]
fn stale_embedded_data_about_another_person_is_ignored() {
    // After in-page navigation to spa-two, the page still embeds spa-one's data.
    let mut page = capture("https://www.linkedin.com/in/spa-two/", SPA_ONE);
    page.markup = page
        .markup
        .replace("Sam One", "Alex Two")
        .replace("First Co", "Second GmbH");
    let p = extract_profile(&page).unwrap().profile;
    assert_eq!(p.first_name.as_deref(), Some("Alex"));
    assert_eq!(p.headline.as_deref(), Some("Engineer at Second GmbH"));
}

#[wasm_bindgen_test]
fn falls_back_to_the_title_when_there_is_no_heading() {
    let page = PageCapture {
        nav_id: 1,
        url: "https://www.linkedin.com/in/kim-lee/".into(),
        title: "(12) Kim Lee | LinkedIn".into(),
        markup: "<main><p>Loading…</p></main>".into(),
        data: vec![],
        overlay: None,
    };
    let p = extract_profile(&page).unwrap().profile;
    assert_eq!(
        (p.first_name.as_deref(), p.last_name.as_deref()),
        (Some("Kim"), Some("Lee"))
    );
}

#[wasm_bindgen_test]
fn refuses_what_is_not_a_profile() {
    let mut page = capture("https://www.linkedin.com/feed/", JANE);
    assert_eq!(extract_profile(&page), Err(ExtractError::NotAProfile));
    page.url = "https://www.linkedin.com/in/nobody/".into();
    page.markup = "<main></main>".into();
    page.title = "LinkedIn".into();
    assert_eq!(extract_profile(&page), Err(ExtractError::NoName));
}
