//! "Ask your ATS admin": under a provider's connect form, a single-use link
//! for whoever holds the key (it opens that provider's form alone, on the
//! team's server), and the links still waiting, each revocable.

use super::team::CopyLink;
use super::time::When;
use super::words::{w, W};
use crate::api::Api;
use crate::components::Toaster;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use sourcebar_core::api::connections::{ConnectLinkState, ConnectLinkView, NewConnectLink};

/// The link maker and the open links of one provider.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn AskAdmin(api: Api, provider: String, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let new_link = RwSignal::new(None::<String>);
    let links = RwSignal::new(Vec::<ConnectLinkView>::new());
    let reload = {
        let api = api.clone();
        move || {
            let api = api.clone();
            spawn_local(async move {
                if let Ok(list) = api.get::<Vec<ConnectLinkView>>("/v1/connect-links").await {
                    links.try_set(list);
                }
            });
        }
    };
    reload();
    let make = {
        let (api, reload, provider) = (api.clone(), reload.clone(), provider.clone());
        move |_| {
            let (api, reload) = (api.clone(), reload.clone());
            let body = NewConnectLink {
                provider: provider.clone(),
            };
            spawn_local(async move {
                match api
                    .call::<ConnectLinkView>("POST", "/v1/connect-links", &body, None)
                    .await
                {
                    Ok(link) => {
                        new_link.try_set(link.url);
                        reload();
                    }
                    Err(e) => toaster.show(e.problem),
                }
            });
        }
    };
    let revoke = move |id: String| {
        let (api, reload) = (api.clone(), reload.clone());
        spawn_local(async move {
            match api
                .call::<Value>(
                    "DELETE",
                    &format!("/v1/connect-links/{id}"),
                    &Value::Null,
                    None,
                )
                .await
            {
                // A revoked link's address is no use to anyone any more.
                Ok(_) => {
                    new_link.try_set(None);
                    reload();
                }
                Err(e) => toaster.show(e.problem),
            }
        });
    };
    let open = move || {
        links
            .get()
            .into_iter()
            .filter(|l| l.provider == provider && l.state == ConnectLinkState::Open)
            .collect::<Vec<_>>()
    };
    view! {
        <div class="ask-admin" data-testid="ask-admin">
            <h4>{w(lang, W::AskAdminTitle)}</h4>
            <p class="hint">{w(lang, W::AskAdminHint)}</p>
            <button type="button" class="secondary" data-testid="btn-make-connect-link" on:click=make>
                {w(lang, W::MakeConnectLink)}
            </button>
            {move || new_link.get().map(|url| view! {
                <CopyLink label=w(lang, W::ConnectLink) testid="connect-link" link=url lang />
                <p class="hint">{w(lang, W::ConnectLinkHint)}</p>
            })}
            {move || {
                let open = open();
                (!open.is_empty()).then(|| {
                    let revoke = revoke.clone();
                    view! {
                        <h5>{w(lang, W::OpenConnectLinks)}</h5>
                        <ul class="connect-links" data-testid="connect-links">
                            {open.into_iter().map(|l| {
                                let (revoke, id) = (revoke.clone(), l.id.clone());
                                view! {
                                    <li data-testid="open-connect-link">
                                        <span class="hint">{w(lang, W::Expires)} " " <When lang at=l.expires_at.clone() /></span>
                                        <button type="button" class="link" data-testid="btn-revoke-connect-link"
                                            on:click=move |_| revoke(id.clone())>{t(lang, Text::Revoke)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })
            }}
        </div>
    }
}
