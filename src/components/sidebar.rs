use super::{NotConnected, PersonPanel, Toast, Toaster};
use crate::browser;
use crate::extract::{extract_profile, ExtractError, Extracted};
use crate::i18n::{t, Text};
use crate::messaging::Incoming;
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
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

/// The sidebar: header, the person on the page, and what can be done next.
#[component]
pub fn SidebarApp() -> impl IntoView {
    let page = RwSignal::new(PageView::Waiting);
    let nav_id = RwSignal::new(0u32);
    let settings = RwSignal::new(None::<Settings>);
    provide_context(Toaster(RwSignal::new(None)));

    spawn_local(async move {
        settings.set(Some(Settings::load().await));
        listen_to_content_script(page, nav_id).await;
    });

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
    let collapse = |_| browser::post_to_parent(&message("sourcebar:collapse"));
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
                {settings.api().is_none().then(|| view! { <NotConnected lang /> })}
            </main>
        </div>
    }
}

/// Receives the content script's messages; only our own tab's are read, and
/// a message about an earlier person never replaces a later one.
async fn listen_to_content_script(page: RwSignal<PageView>, nav_id: RwSignal<u32>) {
    let my_tab = browser::current_tab_id().await;
    browser::on_runtime_message(move |msg, sender| {
        if !from_our_tab(&sender, my_tab) {
            return;
        }
        match Incoming::from_js(msg) {
            Ok(Incoming::Navigating { nav_id: id, .. }) if id >= nav_id.get_untracked() => {
                nav_id.set(id);
                page.set(PageView::Waiting);
            }
            Ok(Incoming::Profile(capture)) if capture.nav_id >= nav_id.get_untracked() => {
                nav_id.set(capture.nav_id);
                page.set(match extract_profile(&capture) {
                    Ok(person) => PageView::Person(Arc::new(person), capture.nav_id),
                    Err(e) => PageView::Failed(e),
                });
            }
            _ => {}
        }
    });
    browser::post_to_parent(&message("sourcebar:ready"));
}

fn from_our_tab(sender: &JsValue, my_tab: Option<i32>) -> bool {
    let get = |obj: &JsValue, key: &str| js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok();
    let Some(tab) = get(sender, "tab").filter(|t| t.is_object()) else {
        return false;
    };
    let frame_is_top = get(sender, "frameId").and_then(|f| f.as_f64()) == Some(0.0);
    let tab_id = get(&tab, "id")
        .and_then(|id| id.as_f64())
        .map(|id| id as i32);
    frame_is_top && (my_tab.is_none() || tab_id == my_tab)
}

fn message(kind: &str) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("type"), &JsValue::from_str(kind));
    obj.into()
}
