//! The providers as cards, grouped by how far their support is (empty
//! groups hidden): an available one opens its connect form, with the fields
//! `GET /v1/providers` declares and the base URL under "Advanced"; one on
//! request offers a request.

use super::connect_link::AskAdmin;
use super::words::{lacks_permission, not_this_ats, w, W};
use super::TeamData;
use crate::api::{Api, ApiFailure};
use crate::components::{ToastMsg, Toaster};
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::api::connections::{
    ConnectionView, IntegrationRequest, IntegrationRequested, NewConnection,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_core::providers::{FieldKind, ProviderField, ProviderInfo, ProviderStatus};
use sourcebar_core::ErrorReason;

/// The providers in groups (empty groups hidden), and what a card opens.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn Providers(api: Api, data: TeamData, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let providers = RwSignal::new(Vec::<ProviderInfo>::new());
    let chosen = RwSignal::new(None::<String>);
    {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(list) = api.providers().await {
                // With nothing connected yet, the first available one is open.
                if data.connections.get_untracked().is_empty() {
                    let first = list
                        .iter()
                        .find(|p| p.status == ProviderStatus::Available)
                        .map(|p| p.id.clone());
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
                    .call::<IntegrationRequested>(
                        "POST",
                        "/v1/integration-requests",
                        &IntegrationRequest {
                            provider_name: name.trim().to_string(),
                        },
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
    let group = move |status: ProviderStatus, title: Text| {
        move || {
            let cards: Vec<ProviderInfo> = providers
                .get()
                .into_iter()
                .filter(|p| p.status == status)
                .collect();
            (!cards.is_empty()).then(|| view! {
                <div class="provider-group" data-testid=format!("providers-{}", status_code(status))>
                    <h3>{t(lang, title)}</h3>
                    <div class="cards">
                        {cards.into_iter().map(|p| {
                            let id = p.id.clone();
                            let (pid, attr) = (id.clone(), id.clone());
                            view! {
                                <button type="button" class="provider-card" data-testid="provider-card" data-provider=attr
                                    aria-pressed=move || (chosen.get().as_deref() == Some(pid.as_str())).to_string()
                                    on:click=move |_| chosen.set(Some(id.clone()))>
                                    {p.name.clone()}
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
            let p = providers.with(|list| list.iter().find(|p| p.id == id).cloned())?;
            let name = p.name.clone();
            Some(if p.status == ProviderStatus::Requested {
                let r = request_card.clone();
                let shown = name.clone();
                view! {
                    <div class="provider-request" data-testid="provider-request">
                         <p><strong>{shown}</strong> " — " {w(lang, W::ProviderRequestTitle)}</p>
                        <button type="button" data-testid="btn-request-provider" on:click=move |_| r(name.clone())>
                            {w(lang, W::RequestProvider)} " " {p.name.clone()}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                let provider_id = p.id.clone();
                view! {
                    <ConnectForm api=api.clone() data provider=p lang />
                    <AskAdmin api=api.clone() provider=provider_id lang />
                }
                .into_any()
            })
        }
    };
    view! {
        <section class="card" data-testid="providers" aria-labelledby="providers-title">
            <h2 id="providers-title">{w(lang, W::AddConnection)}</h2>
            {group(ProviderStatus::Available, Text::Available)}
            {group(ProviderStatus::Beta, Text::Beta)}
            {group(ProviderStatus::Requested, Text::OnRequest)}
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
fn ConnectForm(api: Api, data: TeamData, provider: ProviderInfo, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let provider_id = provider.id.clone();
    let provider_name = provider.name.clone();
    let name = RwSignal::new(provider.name.clone());
    let base_url = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // A refusal the companion pinned on one field: (field, words), shown
    // beside that field.
    let refusal = RwSignal::new(None::<(String, String)>);
    let advanced = NodeRef::<leptos::html::Details>::new();
    let fields = provider.fields.clone();
    let values: Vec<(String, bool, RwSignal<String>)> = fields
        .iter()
        .map(|f| (f.name.clone(), f.required, RwSignal::new(String::new())))
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
        let fields = fields.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if missing() {
                return;
            }
            let mut api_key = String::new();
            let mut settings = ConnectionSettings::new();
            for (field, _, v) in &values {
                let v = v.get_untracked().trim().to_string();
                if field == "api_key" {
                    api_key = v;
                } else if !v.is_empty() {
                    settings.insert(field.clone(), v);
                }
            }
            let url = base_url.get_untracked().trim().to_string();
            let body = NewConnection {
                provider: provider_id.clone(),
                name: Some(name.get_untracked().trim().to_string()),
                api_key,
                settings,
                base_url: (!url.is_empty()).then_some(url),
            };
            busy.set(true);
            refusal.set(None);
            let api = api.clone();
            let values = values.clone();
            let (fields, provider_name) = (fields.clone(), provider_name.clone());
            let connected = ToastMsg::Connected(provider_name.clone());
            spawn_local(async move {
                match api
                    .call::<ConnectionView>("POST", "/v1/connections", &body, None)
                    .await
                {
                    Ok(_) => {
                        for (_, _, v) in &values {
                            v.try_set(String::new());
                        }
                        toaster.say(connected);
                        data.reload_connections(&api);
                    }
                    Err(e) => {
                        if let Some((field, words)) =
                            field_refusal(&e, lang, &provider_name, &fields)
                        {
                            // A field under "Advanced" is shown, with its words.
                            let hidden = field == "base_url"
                                || fields.iter().any(|f| f.name == field && !f.required);
                            if let Some(details) = advanced.get_untracked().filter(|_| hidden) {
                                details.set_open(true);
                            }
                            refusal.try_set(Some((field, words)));
                        }
                        toaster.show(e.problem);
                    }
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
    let field_input = move |(f, (field, _, value)): (
        &ProviderField,
        (String, bool, RwSignal<String>),
    )| {
        let secret = f.secret;
        let input_type = if secret {
            "password"
        } else if f.kind == FieldKind::Url {
            "url"
        } else {
            "text"
        };
        let testid = if field == "api_key" {
            "conn-key".to_string()
        } else {
            format!("conn-setting-{field}")
        };
        // The provider words its own fields in both languages.
        let label = match lang {
            Lang::Fr if !f.label_fr.is_empty() => f.label_fr.clone(),
            _ => f.label.clone(),
        };
        let help = f.help.as_ref().map(|h| match lang {
            Lang::Fr => h.fr.clone(),
            Lang::En => h.en.clone(),
        });
        let id = format!("conn-{field}");
        let help_id = format!("conn-{field}-help");
        let (mine, refused) = (field.clone(), field.clone());
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id data-testid=testid type=input_type
                    aria-describedby=help.as_ref().map(|_| help_id.clone())
                    autocomplete={if secret { "new-password" } else { "off" }}
                    aria-invalid=move || refusal.with(|r| r.as_ref().is_some_and(|(f, _)| *f == refused)).then_some("true")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                {help.map(|h| view! { <p class="hint" id=help_id data-testid=format!("conn-help-{field}")>{h}</p> })}
                {field_error(refusal, mine)}
            </div>
        }
    };
    let inputs = required.into_iter().map(field_input).collect_view();
    let optional_inputs = optional.into_iter().map(field_input).collect_view();
    view! {
        <form class="connect" on:submit=submit novalidate data-testid="connect-form">
            <h3>{t(lang, Text::ConnectTitle)} " · " {provider.name.clone()}</h3>
            <div class="field">
                <label for="conn-name">{t(lang, Text::ConnectionName)}</label>
                <input id="conn-name" data-testid="conn-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            {inputs}
            <details class="advanced" data-testid="connect-advanced" node_ref=advanced>
                <summary>{w(lang, W::Advanced)}</summary>
                <div class="field">
                    <label for="conn-url">{w(lang, W::BaseUrl)}</label>
                    <input id="conn-url" data-testid="conn-url" type="url"
                        aria-invalid=move || refusal.with(|r| r.as_ref().is_some_and(|(f, _)| f == "base_url")).then_some("true")
                        prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev)) />
                    <p class="hint">{w(lang, W::BaseUrlHint)}</p>
                    {field_error(refusal, "base_url".to_string())}
                </div>
                {optional_inputs}
            </details>
            <button type="submit" data-testid="btn-connect" disabled=move || busy.get() || missing()>
                {move || if busy.get() { t(lang, Text::Connecting) } else { t(lang, Text::Connect) }}
            </button>
        </form>
    }
}

/// The words for a refusal the companion pinned on one field of the form,
/// and that field: an address that does not answer like the provider (the
/// base URL, or the setting naming the account), or a key lacking a named
/// permission. `None`: the toast's words for the code say it all.
fn field_refusal(
    failure: &ApiFailure,
    lang: Lang,
    provider: &str,
    fields: &[ProviderField],
) -> Option<(String, String)> {
    let detail = failure.detail.as_ref()?;
    if detail.reason == Some(ErrorReason::NotThisAts) {
        let field = detail.field.clone().unwrap_or_else(|| "base_url".into());
        let label = fields.iter().find(|f| f.name == field).map(|f| match lang {
            Lang::Fr if !f.label_fr.is_empty() => f.label_fr.as_str(),
            _ => f.label.as_str(),
        });
        let words = not_this_ats(lang, provider, label);
        return Some((field, words));
    }
    let permission = detail.permission.as_deref()?;
    Some(("api_key".into(), lacks_permission(lang, permission)))
}

/// A refusal's words beside `field`, while the refusal names it.
fn field_error(refusal: RwSignal<Option<(String, String)>>, field: String) -> impl IntoView {
    move || {
        refusal.get().filter(|(f, _)| *f == field).map(|(_, words)| {
            view! { <p class="field-error" role="alert" data-testid=format!("conn-error-{field}")>{words}</p> }
        })
    }
}

/// A status's wire name, for `data-testid` (tests read it).
fn status_code(status: ProviderStatus) -> &'static str {
    match status {
        ProviderStatus::Available => "available",
        ProviderStatus::Beta => "beta",
        ProviderStatus::Requested => "requested",
    }
}
