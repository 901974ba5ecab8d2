//! The sidebar's components mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sourcebar::components::decision::{Check, Outcome};
use sourcebar::components::{
    AtsInfo, FormFields, MatchList, NotConnected, PageUpdate, PersonPanel, ProfileCard,
    VerdictBanner,
};
use sourcebar::extract::Extracted;
use sourcebar::i18n::Lang;
use sourcebar::problem::Problem;
use sourcebar_core::api::applications::{Application, ApplicationStatus};
use sourcebar_core::companion_url::CompanionUrlError;
use sourcebar_core::matching::{
    DedupeMatch, DedupeResponse, Reason, ReasonKind, TeamAction, TeamEvent, Verdict,
};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
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

/// Lets Leptos run its effects: an effect that sets a signal renders on a later turn.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
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
    // Names from the page show as a summary; the edit control opens the form.
    assert!(host
        .query_selector("[data-testid='field-first-name']")
        .unwrap()
        .is_none());
    by_testid(&host, "btn-edit")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    settle().await;
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

/// The address refusal the tests show.
const INSECURE: Problem = Problem::CompanionUrl(CompanionUrlError::InsecureRemote);

fn mount_not_connected(lang: Lang, problem: Option<Problem>) -> web_sys::HtmlElement {
    let document = leptos::prelude::document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <NotConnected lang problem /> },
    );
    handle.forget();
    host
}

#[wasm_bindgen_test]
async fn the_sidebar_asks_for_no_token_only_points_to_settings() {
    for problem in [None, Some(INSECURE)] {
        let host = mount_not_connected(Lang::En, problem);
        leptos::task::tick().await;
        assert!(host.query_selector("input, textarea").unwrap().is_none());
        let button = by_testid(&host, "btn-open-settings");
        assert_eq!(button.text_content().unwrap(), "Open Settings");
    }
}

#[wasm_bindgen_test]
async fn a_refused_companion_address_is_explained_in_french() {
    let host = mount_not_connected(Lang::Fr, Some(INSECURE));
    leptos::task::tick().await;
    let notice = by_testid(&host, "not-connected");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap();
    assert!(text.contains("Adresse du serveur non sûre"), "{text}");
    assert!(text.contains("http://"), "{text}");
    assert_eq!(
        by_testid(&host, "btn-open-settings")
            .text_content()
            .unwrap(),
        "Ouvrir les Réglages"
    );
}

fn host() -> web_sys::HtmlElement {
    let document = leptos::prelude::document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

fn eve(email: Option<&str>) -> Extracted {
    Extracted {
        displayed_name: "Eve Adams".into(),
        profile: Profile {
            first_name: Some("Eve".into()),
            last_name: Some("Adams".into()),
            profile_url: Some("https://www.linkedin.com/in/eve-adams/".into()),
            emails: email.map(|e| vec![e.to_string()]).unwrap_or_default(),
            ..Profile::default()
        },
    }
}

fn count(host: &web_sys::HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn the_summary_hides_empty_rows_and_asks_only_for_a_missing_required_field() {
    let el = host();
    let person = Arc::new(eve(None));
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let fields = FormFields::from_page(&person);
        view! { <ProfileCard person=person.clone() fields lang=Lang::En /> }
    });
    handle.forget();
    leptos::task::tick().await;
    // No headline, company or location on the page: no empty rows.
    assert_eq!(count(&el, "[data-testid='profile-headline'], [data-testid='profile-company'], [data-testid='profile-location']"), 0);
    // The names are there: summary only. The email is missing: an input.
    assert_eq!(count(&el, "input"), 1);
    assert!(el
        .query_selector("[data-testid='field-email']")
        .unwrap()
        .is_some());

    // A provider that creates without an email asks for nothing.
    let el = host();
    let person = Arc::new(eve(None));
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let fields = FormFields::from_page(&person);
        let ats = Signal::derive(|| AtsInfo {
            name: Some("Lever".into()),
            capabilities: Some(Capabilities {
                create_without_email: true,
                ..Capabilities::default()
            }),
        });
        view! { <ProfileCard person=person.clone() fields lang=Lang::En ats /> }
    });
    handle.forget();
    leptos::task::tick().await;
    assert_eq!(count(&el, "input"), 0);

    // Over a match (merge, or a choice still to make) the email is not asked
    // for; it is once an upload becomes the way on.
    let el = host();
    let person = Arc::new(eve(None));
    let upload_next = RwSignal::new(false);
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let fields = FormFields::from_page(&person);
        view! { <ProfileCard person=person.clone() fields lang=Lang::En upload_next /> }
    });
    handle.forget();
    leptos::task::tick().await;
    assert_eq!(count(&el, "input"), 0);
    upload_next.set(true);
    leptos::task::tick().await;
    assert_eq!(count(&el, "[data-testid='field-email']"), 1);
}

#[wasm_bindgen_test]
async fn a_later_capture_of_the_same_person_fills_an_empty_email_only() {
    for typed in [None, Some("typed@by.user")] {
        let el = host();
        let update = RwSignal::new(None);
        let person = Arc::new(eve(None));
        let handle = leptos::mount::mount_to(el.clone(), move || {
            provide_context(PageUpdate(update));
            view! { <PersonPanel person=person.clone() api=None nav_id=4 lang=Lang::En /> }
        });
        handle.forget();
        leptos::task::tick().await;
        let email: web_sys::HtmlInputElement = by_testid(&el, "field-email").unchecked_into();
        if let Some(typed) = typed {
            email.set_value(typed);
            email
                .dispatch_event(&web_sys::Event::new("input").unwrap())
                .unwrap();
        }
        // Another person's capture (another navId) changes nothing.
        update.set(Some((3, Arc::new(eve(Some("other@x.io"))))));
        settle().await;
        assert_eq!(email.value(), typed.unwrap_or(""));
        // The contact-info dialog of this person: same navId, an email.
        update.set(Some((4, Arc::new(eve(Some("eve.adams@initech.example"))))));
        settle().await;
        // Same panel (the same input element), email filled unless typed.
        let now: web_sys::HtmlInputElement = by_testid(&el, "field-email").unchecked_into();
        assert!(now.is_same_node(Some(&email)), "the panel was rebuilt");
        assert_eq!(now.value(), typed.unwrap_or("eve.adams@initech.example"));
    }
}

fn a_match(id: &str, first: &str, last: &str, reasons: Vec<Reason>, score: f64) -> DedupeMatch {
    DedupeMatch {
        connection_id: "c1".into(),
        candidate: Candidate {
            id: id.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: Some(format!("{id}@old.example")),
            company: Some("Initech".into()),
            ats_url: Some(format!("https://ats.example/{id}")),
            ..Candidate::default()
        },
        score,
        reasons,
        history: vec![TeamEvent {
            action: TeamAction::Merged,
            by: "Ana".into(),
            at: "2020-01-01T00:00:00Z".into(),
        }],
        applications: vec![
            Application {
                id: "a1".into(),
                job_id: Some("j1".into()),
                job_title: Some("Backend Engineer".into()),
                stage: Some("Phone screen".into()),
                status: ApplicationStatus::Active,
                updated_at: Some("2020-01-01T00:00:00Z".into()),
                ats_url: None,
                stale: false,
            },
            Application {
                id: "a2".into(),
                job_id: Some("j2".into()),
                job_title: Some("<b>Sales Lead</b>".into()),
                stage: None,
                status: ApplicationStatus::Rejected,
                updated_at: None,
                ats_url: None,
                stale: false,
            },
        ],
    }
}

fn reason(kind: ReasonKind, detail: &str) -> Reason {
    Reason {
        kind,
        detail: detail.into(),
        percent: Some(91),
        weight: Some(5.0),
    }
}

#[wasm_bindgen_test]
async fn a_match_card_says_its_confidence_evidence_conflicts_and_history_and_selects_on_click() {
    let el = host();
    let selected = RwSignal::new(None::<String>);
    let none_of_these = RwSignal::new(true);
    let profile = Profile {
        first_name: Some("Sam".into()),
        last_name: Some("One".into()),
        company: Some("Acme".into()),
        emails: vec!["sam@acme.example".into()],
        ..Profile::default()
    };
    let matches = vec![
        a_match(
            "p1",
            "Sam",
            "Onne",
            vec![reason(ReasonKind::Name, "similar name")],
            0.7,
        ),
        a_match(
            "p2",
            "Samuel",
            "One",
            vec![reason(ReasonKind::Name, "same name")],
            0.9,
        ),
    ];
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let ats = RwSignal::new(AtsInfo {
            name: Some("JazzHR".into()),
            capabilities: Some(Capabilities {
                notes: true,
                ..Capabilities::default()
            }),
        });
        view! { <MatchList matches=matches.clone() profile=profile.clone() selected none_of_these ats lang=Lang::En /> }
    });
    handle.forget();
    leptos::task::tick().await;
    let cards = el.query_selector_all("[data-testid='match']").unwrap();
    let first: web_sys::HtmlElement = cards.get(0).unwrap().unchecked_into();
    let text = first.text_content().unwrap();
    assert!(text.contains("Maybe"), "{text}");
    assert!(
        !text.contains('%'),
        "the score moved to the tooltip: {text}"
    );
    assert_eq!(
        first.get_attribute("title").as_deref(),
        Some("Match score: 70%")
    );
    assert!(text.contains("✓ similar name"), "{text}");
    assert!(text.contains("✗ different email"), "{text}");
    assert!(text.contains("✗ different company: Initech"), "{text}");
    assert!(text.contains("Merged by Ana · "), "{text}");
    // Its applications, as text (a title from the ATS is never markup).
    let lines: Vec<String> = {
        let items = first
            .query_selector_all("[data-testid='application']")
            .unwrap();
        (0..items.length())
            .map(|i| items.get(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert!(
        lines[0].starts_with("Backend Engineer · Phone screen · ") && lines[0].ends_with(" ago"),
        "{lines:?}"
    );
    assert_eq!(lines[1], "Rejected · <b>Sales Lead</b>");
    assert!(first.query_selector("b").unwrap().is_none());
    assert!(text.contains("Open in JazzHR"), "{text}");
    assert_eq!(
        first
            .query_selector("[data-testid='name-pair']")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Sam One ↔  / Sam Onne"
    );
    let second: web_sys::HtmlElement = cards.get(1).unwrap().unchecked_into();
    assert!(second.text_content().unwrap().contains("Likely the same"));
    assert!(second
        .query_selector("[data-testid='name-pair']")
        .unwrap()
        .is_none());

    // The whole card is the target.
    second
        .query_selector(".chips")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked().as_deref(), Some("p2"));
    assert!(!none_of_these.get_untracked());
    assert_eq!(
        second.get_attribute("data-selected").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_failed_check_shows_in_the_verdict_with_retry_and_an_upload_turns_it_to_in_the_ats() {
    let el = host();
    let check = RwSignal::new(Check::Failed(Problem::Offline));
    let outcome = RwSignal::new(None::<Outcome>);
    let retried = RwSignal::new(0);
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let ats = RwSignal::new(AtsInfo {
            name: Some("JazzHR".into()),
            capabilities: Some(Capabilities {
                notes: true,
                ..Capabilities::default()
            }),
        });
        let retry = Callback::new(move |()| retried.update(|n| *n += 1));
        view! { <VerdictBanner check outcome ats lang=Lang::Fr retry /> }
    });
    handle.forget();
    leptos::task::tick().await;
    let verdict = by_testid(&el, "verdict");
    assert_eq!(
        verdict.get_attribute("data-verdict").as_deref(),
        Some("error")
    );
    assert_eq!(verdict.get_attribute("role").as_deref(), Some("status"));
    by_testid(&el, "btn-retry")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked(), 1);

    check.set(Check::Answered(DedupeResponse {
        verdict: Verdict::None,
        matches: vec![],
        mirror_complete: true,
    }));
    leptos::task::tick().await;
    assert_eq!(
        verdict.get_attribute("data-verdict").as_deref(),
        Some("none")
    );
    assert!(el
        .query_selector("[data-testid='btn-retry']")
        .unwrap()
        .is_none());
    outcome.set(Some(Outcome::Uploaded { ats_url: None }));
    leptos::task::tick().await;
    // The same live region, now saying the person is in the ATS.
    let verdict = by_testid(&el, "verdict");
    assert_eq!(
        verdict.get_attribute("data-verdict").as_deref(),
        Some("exact")
    );
    assert_eq!(
        verdict.text_content().unwrap(),
        "✓Dans JazzHR · ajouté à l’instant par vous"
    );
}
