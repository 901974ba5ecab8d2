//! The providers as cards, grouped by how far their support is (empty
//! groups hidden): an available one opens its connect form, with the fields
//! `GET /v1/providers` declares and the base URL under "Advanced"; one on
//! request offers a request.

use super::words::{w, W};
use super::TeamData;
use crate::api::Api;
use crate::components::{ToastMsg, Toaster};
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

/// The providers in groups (empty groups hidden), and what a card opens.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn Providers(api: Api, data: TeamData, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let providers = RwSignal::new(Vec::<Value>::new());
    let chosen = RwSignal::new(None::<String>);
    {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(list) = api.get::<Vec<Value>>("/v1/providers").await {
                // With nothing connected yet, the first available one is open.
                if data.connections.get_untracked().is_empty() {
                    let first = list
                        .iter()
                        .find(|p| p["status"] == "available")
                        .and_then(|p| p["id"].as_str())
                        .map(String::from);
                    chosen.try_set(first);
                }
                providers.try_set(list);
            }
        });
    }
    let request = {
        let api = api.clone();
        move |name: String| {
            if name.trim().is_empty() {
                return;
            }
            let api = api.clone();
            spawn_local(async move {
                match api
                    .call::<Value>(
                        "POST",
                        "/v1/integration-requests",
                        &json!({"provider_name": name.trim()}),
                        None,
                    )
                    .await
                {
                    Ok(_) => toaster.success(Text::Requested, Text::CantFind),
                    Err(e) => toaster.show(e.problem),
                }
            });
        }
    };
    let group = move |status: &'static str, title: Text| {
        move || {
            let cards: Vec<Value> = providers
                .get()
                .into_iter()
                .filter(|p| p["status"] == status)
                .collect();
            (!cards.is_empty()).then(|| view! {
                <div class="provider-group" data-testid=format!("providers-{status}")>
                    <h3>{t(lang, title)}</h3>
                    <div class="cards">
                        {cards.into_iter().map(|p| {
                            let id = p["id"].as_str().unwrap_or_default().to_string();
                            let (pid, attr) = (id.clone(), id.clone());
                            view! {
                                <button type="button" class="provider-card" data-testid="provider-card" data-provider=attr
                                    aria-pressed=move || (chosen.get().as_deref() == Some(pid.as_str())).to_string()
                                    on:click=move |_| chosen.set(Some(id.clone()))>
                                    {p["name"].as_str().unwrap_or_default().to_string()}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </div>
            })
        }
    };
    let other = RwSignal::new(String::new());
    let (request_card, request_other) = (request.clone(), request);
    let detail = {
        let api = api.clone();
        move || {
            let id = chosen.get()?;
            let p = providers.with(|list| list.iter().find(|p| p["id"] == id.as_str()).cloned())?;
            let name = p["name"].as_str().unwrap_or_default().to_string();
            Some(if p["status"] == "available" {
                view! { <ConnectForm api=api.clone() data provider=p lang /> }.into_any()
            } else {
                let r = request_card.clone();
                let shown = name.clone();
                view! {
                    <div class="provider-request" data-testid="provider-request">
                         <p><strong>{shown}</strong> " — " {w(lang, W::ProviderRequestTitle)}</p>
                        <button type="button" data-testid="btn-request-provider" on:click=move |_| r(name.clone())>
                            {w(lang, W::RequestProvider)} " " {p["name"].as_str().unwrap_or_default().to_string()}
                        </button>
                    </div>
                }
                .into_any()
            })
        }
    };
    view! {
        <section class="card" data-testid="providers" aria-labelledby="providers-title">
            <h2 id="providers-title">{w(lang, W::AddConnection)}</h2>
            {group("available", Text::Available)}
            {group("beta", Text::Beta)}
            {group("requested", Text::OnRequest)}
            {detail}
            <div class="request">
                <label for="other-ats">{t(lang, Text::CantFind)}</label>
                <input id="other-ats" data-testid="other-ats" prop:value=move || other.get() on:input=move |ev| other.set(event_target_value(&ev)) />
                <button type="button" class="secondary" on:click=move |_| request_other(other.get_untracked())>{t(lang, Text::RequestIt)}</button>
            </div>
        </section>
    }
}

/// The connect form of one provider, with the fields it declares.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
fn ConnectForm(api: Api, data: TeamData, provider: Value, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let provider_id = provider["id"].as_str().unwrap_or_default().to_string();
    let provider_name = provider["name"].as_str().unwrap_or_default().to_string();
    let name = RwSignal::new(provider["name"].as_str().unwrap_or_default().to_string());
    let base_url = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let fields: Vec<Value> = provider["fields"].as_array().cloned().unwrap_or_default();
    let values: Vec<(String, bool, RwSignal<String>)> = fields
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["required"] != false,
                RwSignal::new(String::new()),
            )
        })
        .collect();
    let missing = {
        let values = values.clone();
        move || {
            values
                .iter()
                .any(|(_, required, v)| *required && v.get().trim().is_empty())
        }
    };
    let submit = {
        let values = values.clone();
        let missing = missing.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if missing() {
                return;
            }
            let mut body = json!({"provider": provider_id, "name": name.get_untracked().trim()});
            let mut settings = serde_json::Map::new();
            for (field, _, v) in &values {
                let v = v.get_untracked().trim().to_string();
                if field == "api_key" {
                    body["api_key"] = Value::String(v);
                } else if !v.is_empty() {
                    settings.insert(field.clone(), Value::String(v));
                }
            }
            if !settings.is_empty() {
                body["settings"] = Value::Object(settings);
            }
            let url = base_url.get_untracked().trim().to_string();
            if !url.is_empty() {
                body["base_url"] = Value::String(url);
            }
            busy.set(true);
            let api = api.clone();
            let values = values.clone();
            let connected = ToastMsg::Connected(provider_name.clone());
            spawn_local(async move {
                match api
                    .call::<Value>("POST", "/v1/connections", &body, None)
                    .await
                {
                    Ok(_) => {
                        for (_, _, v) in &values {
                            v.try_set(String::new());
                        }
                        toaster.say(connected);
                        data.reload_connections(&api);
                    }
                    Err(e) => toaster.show(e.problem),
                }
                busy.try_set(false);
            });
        }
    };
    // Required fields in the form; optional settings under "Advanced".
    let (required, optional): (Vec<_>, Vec<_>) = fields
        .iter()
        .zip(values)
        .partition(|(_, (_, required, _))| *required);
    let field_input = move |(f, (field, _, value)): (&Value, (String, bool, RwSignal<String>))| {
        let secret = f["secret"] == true;
        let input_type = if secret {
            "password"
        } else if f["kind"] == "url" {
            "url"
        } else {
            "text"
        };
        let testid = if field == "api_key" {
            "conn-key".to_string()
        } else {
            format!("conn-setting-{field}")
        };
        let label = match field.as_str() {
            "api_key" => t(lang, Text::ApiKey).to_string(),
            "app_url" => w(lang, W::AppUrl).to_string(),
            _ => f["label"].as_str().unwrap_or(&field).to_string(),
        };
        let id = format!("conn-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id data-testid=testid type=input_type
                    autocomplete={if secret { "new-password" } else { "off" }}
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let inputs = required.into_iter().map(field_input).collect_view();
    let optional_inputs = optional.into_iter().map(field_input).collect_view();
    view! {
        <form class="connect" on:submit=submit novalidate data-testid="connect-form">
            <h3>{t(lang, Text::ConnectTitle)} " · " {provider["name"].as_str().unwrap_or_default().to_string()}</h3>
            <div class="field">
                <label for="conn-name">{t(lang, Text::ConnectionName)}</label>
                <input id="conn-name" data-testid="conn-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            {inputs}
            <details class="advanced" data-testid="connect-advanced">
                <summary>{w(lang, W::Advanced)}</summary>
                <div class="field">
                    <label for="conn-url">{w(lang, W::BaseUrl)}</label>
                    <input id="conn-url" data-testid="conn-url" type="url"
                        prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev)) />
                    <p class="hint">{w(lang, W::BaseUrlHint)}</p>
                </div>
                {optional_inputs}
            </details>
            <button type="submit" data-testid="btn-connect" disabled=move || busy.get() || missing()>
                {move || if busy.get() { t(lang, Text::Connecting) } else { t(lang, Text::Connect) }}
            </button>
        </form>
    }
}
