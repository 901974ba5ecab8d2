use super::{AtsInfo, NotConnected, PersonPanel, Toast, Toaster};
use crate::api::Api;
use crate::browser;
use crate::extract::{extract_profile, ExtractError, Extracted};
use crate::i18n::{t, Text};
use crate::messaging::{is_from_our_tab, is_relayed_by_our_background, Incoming};
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// What the sidebar shows of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageView {
    /// The content script has not sent (this) person yet.
    Waiting,
    /// The person on the page, with the content script's id for them.
    Person(Arc<Extracted>, u32),
    /// The page could not be read.
    Failed(ExtractError),
}

/// A later capture of the person on screen (same `navId`): LinkedIn's
/// contact-info dialog opened or changed. The panel keeps itself and only
/// takes what is new (an email into an empty field).
#[derive(Debug, Clone, Copy)]
pub struct PageUpdate(pub RwSignal<Option<(u32, Arc<Extracted>)>>);

/// The team's ATS (name and rules), fetched once per sidebar load.
#[derive(Debug, Clone, Copy)]
pub struct Ats(pub RwSignal<AtsInfo>);

/// The sidebar: header, the person on the page, and what can be done next.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn SidebarApp(
    /// The page's script already said "ready" to the content script.
    #[prop(optional)]
    said_ready: bool,
    /// `(message, sender)` pairs that arrived before the wasm had loaded,
    /// not yet checked.
    #[prop(optional)]
    early: Vec<(JsValue, JsValue)>,
    /// The browser's answer to "which tab is this?", asked by the page's script.
    #[prop(default = None)]
    tab_lookup: Option<js_sys::Promise>,
    /// The stored settings, asked for by the page's script.
    #[prop(default = None)]
    settings_lookup: Option<js_sys::Promise>,
) -> impl IntoView {
    let page = RwSignal::new(PageView::Waiting);
    let nav_id = RwSignal::new(0u32);
    let settings = RwSignal::new(None::<Settings>);
    let update = RwSignal::new(None);
    let ats = RwSignal::new(AtsInfo::default());
    provide_context(Toaster(RwSignal::new(None)));
    provide_context(PageUpdate(update));
    provide_context(Ats(ats));

    // Side by side: the content script is told "ready" without waiting for
    // the settings, so the person (and the check) come sooner.
    spawn_local(async move {
        let loaded = Settings::load_from(settings_lookup).await;
        let api = loaded.api();
        settings.set(Some(loaded));
        if let Some(api) = api {
            load_ats(api, ats).await;
        }
    });
    spawn_local(listen_to_content_script(
        page, nav_id, update, said_ready, early, tab_lookup,
    ));

    move || {
        settings
            .get()
            .map(|s| view! { <Sidebar settings=s page /> })
    }
}

#[component]
fn Sidebar(settings: Settings, page: RwSignal<PageView>) -> impl IntoView {
    let lang = settings.language();
    let api = settings.api();
    let Toaster(toast) = expect_context::<Toaster>();
    let collapse = |_| browser::send_to_extension(&message("sourcebar:collapse"));
    view! {
        <div class="sidebar-app" lang=lang.tag()>
            <header class="bar">
                <h1>{t(lang, Text::AppName)}</h1>
                <button type="button" class="icon" data-testid="btn-collapse"
                    aria-label=t(lang, Text::Collapse) title=t(lang, Text::Collapse) on:click=collapse>
                    "›"
                </button>
            </header>
            <main class="content">
                <Toast lang />
                {move || {
                    // A new person: the previous one's toast goes too.
                    let view = page.get();
                    toast.set(None);
                    match view {
                        PageView::Waiting => view! {
                            <p class="status" role="status" data-testid="status">{t(lang, Text::WaitingForProfile)}</p>
                        }.into_any(),
                        PageView::Failed(ExtractError::NotAProfile) => view! {
                            <p class="status" role="status" data-testid="status">{t(lang, Text::NotAProfile)}</p>
                        }.into_any(),
                        PageView::Failed(ExtractError::NoName) => view! {
                            <p class="status error" role="alert" data-testid="status">{t(lang, Text::ReadFailed)}</p>
                        }.into_any(),
                        PageView::Person(person, nav_id) => view! { <PersonPanel person api=api.clone() nav_id lang /> }.into_any(),
                    }
                }}
                {settings.api().is_none().then(|| {
                    let problem = settings.companion_url_problem().map(crate::problem::Problem::from);
                    view! { <NotConnected lang problem /> }
                })}
            </main>
        </div>
    }
}

/// Receives the content script's messages; only our own tab's are read (none
/// when the tab cannot be told), and a message about an earlier person never
/// replaces a later one.
///
/// The listener and the "ready" go out at once, beside the lookup of our tab,
/// so the person's capture is on its way while the browser answers; what
/// arrives before that answer waits in [`Held`] and is judged by it.
async fn listen_to_content_script(
    page: RwSignal<PageView>,
    nav_id: RwSignal<u32>,
    update: RwSignal<Option<(u32, Arc<Extracted>)>>,
    said_ready: bool,
    early: Vec<(JsValue, JsValue)>,
    tab_lookup: Option<js_sys::Promise>,
) {
    let our_base = browser::extension_base_url();
    let mut early = early;
    early.truncate(Held::MAX);
    let my_tab = Rc::new(RefCell::new(Held::Looking(early)));
    let handle = move |msg: JsValue, sender: &JsValue, tab: Option<i32>| {
        let ours = is_from_our_tab(sender, tab)
            || (tab.is_some() && is_relayed_by_our_background(sender, our_base.as_deref()));
        if ours {
            take_message(msg, page, nav_id, update);
        }
    };
    let listener = {
        let (my_tab, handle) = (Rc::clone(&my_tab), handle.clone());
        move |msg: JsValue, sender: JsValue| {
            let known = match &mut *my_tab.borrow_mut() {
                Held::Known(tab) => *tab,
                Held::Looking(held) => {
                    if held.len() < Held::MAX {
                        held.push((msg, sender));
                    }
                    return;
                }
            };
            handle(msg, &sender, known);
        }
    };
    browser::on_runtime_message(listener);
    if !said_ready {
        browser::send_to_extension(&message("sourcebar:ready"));
    }
    let tab = browser::current_tab_id(tab_lookup).await;
    let held = std::mem::replace(&mut *my_tab.borrow_mut(), Held::Known(tab));
    if let Held::Looking(held) = held {
        for (msg, sender) in held {
            handle(msg, &sender, tab);
        }
    }
}

/// Our tab, once the browser has said which it is; until then, the messages
/// that arrived (a few: a navigation and a capture or two).
enum Held {
    Looking(Vec<(JsValue, JsValue)>),
    Known(Option<i32>),
}

impl Held {
    /// More than this before the browser answers is not our content script.
    const MAX: usize = 8;
}

/// Acts on one message from our own tab's content script.
fn take_message(
    msg: JsValue,
    page: RwSignal<PageView>,
    nav_id: RwSignal<u32>,
    update: RwSignal<Option<(u32, Arc<Extracted>)>>,
) {
    match Incoming::from_js(msg) {
        Ok(Incoming::Navigating { nav_id: id, .. }) if id >= nav_id.get_untracked() => {
            nav_id.set(id);
            page.set(PageView::Waiting);
        }
        Ok(Incoming::Profile(capture)) if is_same_person(&page.get_untracked(), capture.nav_id) => {
            // The same person again (the contact-info dialog): no rebuild.
            if let Ok(person) = extract_profile(&capture) {
                update.set(Some((capture.nav_id, Arc::new(person))));
            }
        }
        Ok(Incoming::Profile(capture)) if capture.nav_id >= nav_id.get_untracked() => {
            browser::performance_mark("sourcebar-profile-received");
            nav_id.set(capture.nav_id);
            page.set(match extract_profile(&capture) {
                Ok(person) => PageView::Person(Arc::new(person), capture.nav_id),
                Err(e) => PageView::Failed(e),
            });
        }
        _ => {}
    }
}

/// Whether a capture with `nav_id` is of the person already on screen.
pub fn is_same_person(shown: &PageView, nav_id: u32) -> bool {
    matches!(shown, PageView::Person(_, id) if *id == nav_id)
}

/// Reads the team's default connection's provider and that provider's
/// name and rules. Left unknown when either call fails: the panel then
/// says "your ATS" and requires an email, as the companion would.
async fn load_ats(api: Api, ats: RwSignal<AtsInfo>) {
    let (Ok(connections), Ok(providers)) = (api.connections().await, api.providers().await) else {
        return;
    };
    let connection = connections
        .iter()
        .find(|c| c.is_default && c.status == "connected")
        .or_else(|| connections.iter().find(|c| c.status == "connected"))
        .or_else(|| connections.first());
    let Some(provider) = connection.and_then(|c| providers.iter().find(|p| p.id == c.provider))
    else {
        return;
    };
    ats.try_set(AtsInfo {
        name: Some(provider.name.clone()),
        capabilities: Some(provider.capabilities),
    });
}

fn message(kind: &str) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("type"), &JsValue::from_str(kind));
    obj.into()
}

#[cfg(test)]
mod tests {
    use super::{is_same_person, PageView};
    use crate::extract::{ExtractError, Extracted};
    use std::sync::Arc;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_a_capture_with_the_shown_persons_nav_id_is_the_same_person() {
        let shown = PageView::Person(
            Arc::new(Extracted {
                displayed_name: "Jane Doe".into(),
                profile: sourcebar_core::Profile::default(),
            }),
            3,
        );
        assert!(is_same_person(&shown, 3));
        assert!(!is_same_person(&shown, 4));
        assert!(!is_same_person(&PageView::Waiting, 3));
        assert!(!is_same_person(&PageView::Failed(ExtractError::NoName), 3));
    }
}
