use super::{Toast, Toaster};
use crate::api::{Api, Me};
use crate::i18n::{t, Lang, Text};
use crate::settings::{normalize_companion_url, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

/// The settings page: sign-in, language, and for admins the team's ATS
/// connections, members, invites and audit log.
#[component]
pub fn OptionsPage() -> impl IntoView {
    let settings = RwSignal::new(None::<Settings>);
    provide_context(Toaster(RwSignal::new(None)));
    spawn_local(async move {
        settings.set(Some(Settings::load().await));
    });
    move || {
        settings
            .get()
            .map(|s| view! { <Options initial=s settings /> })
    }
}

#[component]
fn Options(initial: Settings, settings: RwSignal<Option<Settings>>) -> impl IntoView {
    let lang = initial.language();
    let me = RwSignal::new(None::<Me>);
    let toaster = expect_context::<Toaster>();
    if let Some(api) = initial.api() {
        spawn_local(async move {
            match api.me().await {
                Ok(m) => me.set(Some(m)),
                Err(e) => toaster.show(&e.code),
            }
        });
    }
    let save_lang = {
        let initial = initial.clone();
        move |ev: leptos::ev::Event| {
            let mut s = initial.clone();
            s.lang = Some(event_target_value(&ev));
            spawn_local(async move {
                let _ = s.save().await;
                settings.set(Some(Settings::load().await));
            });
        }
    };
    let sign_out = {
        let initial = initial.clone();
        move |_| {
            let s = Settings {
                token: None,
                ..initial.clone()
            };
            spawn_local(async move {
                let _ = s.save().await;
                settings.set(Some(Settings::load().await));
            });
        }
    };
    let api = initial.api();
    view! {
        <main class="options-page" lang=lang.tag()>
            <h1>{t(lang, Text::SettingsTitle)}</h1>
            <Toast lang />
            <div class="field inline">
                <label for="lang">{t(lang, Text::Language)}</label>
                <select id="lang" data-testid="lang" on:change=save_lang>
                    <option value="en" selected=lang == Lang::En>"English"</option>
                    <option value="fr" selected=lang == Lang::Fr>"Français"</option>
                </select>
            </div>
            {match api.clone() {
                None => view! { <SignIn initial=initial.clone() settings lang /> }.into_any(),
                Some(_) => view! {
                    <section class="card" data-testid="signed-in">
                        {move || me.get().map(|m| view! {
                            <p data-testid="whoami">
                                {t(lang, Text::SignedInAs)} " " <strong>{if m.user.name.is_empty() { m.user.email.clone() } else { m.user.name.clone() }}</strong>
                                " (" {m.user.email.clone()} ") · " {m.team.name.clone()} " · "
                                <span data-testid="role">{if m.role == "admin" { t(lang, Text::RoleAdmin) } else { t(lang, Text::RoleMember) }}</span>
                            </p>
                        })}
                        <button type="button" class="secondary" data-testid="btn-sign-out" on:click=sign_out>{t(lang, Text::SignOut)}</button>
                    </section>
                }.into_any(),
            }}
            {move || me.get().zip(api.clone()).map(|(m, api)| view! { <Team api admin=m.role == "admin" lang /> })}
        </main>
    }
}

/// Sign-in with an invite code (or a token).
#[component]
fn SignIn(initial: Settings, settings: RwSignal<Option<Settings>>, lang: Lang) -> impl IntoView {
    let url = RwSignal::new(initial.companion_url.clone().unwrap_or_default());
    let code = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let toaster = expect_context::<Toaster>();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(base) = normalize_companion_url(&url.get_untracked()) else {
            toaster.show("offline");
            return;
        };
        busy.set(true);
        let lang_choice = initial.lang.clone();
        spawn_local(async move {
            let mut api = Api {
                base: base.clone(),
                token: None,
            };
            let typed_token = token.get_untracked().trim().to_string();
            let result = if typed_token.is_empty() {
                api.accept_invite(
                    &code.get_untracked(),
                    email.get_untracked().trim(),
                    name.get_untracked().trim(),
                )
                .await
                .map(|v| v["token"].as_str().unwrap_or_default().to_string())
            } else {
                Ok(typed_token)
            };
            match result {
                Ok(tok) => {
                    api.token = Some(tok.clone());
                    match api.me().await {
                        Ok(_) => {
                            let s = Settings {
                                companion_url: Some(base),
                                token: Some(tok),
                                lang: lang_choice,
                            };
                            let _ = s.save().await;
                            settings.set(Some(Settings::load().await));
                        }
                        Err(e) => toaster.show(&e.code),
                    }
                }
                Err(e) => toaster.show(&e.code),
            }
            busy.try_set(false);
        });
    };
    let input = |id: &'static str, label: Text, value: RwSignal<String>, kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{t(lang, label)}</label>
                <input id=id data-testid=id type=kind autocomplete="off" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="card" on:submit=submit novalidate data-testid="sign-in">
            <h2>{t(lang, Text::SignInTitle)}</h2>
            <p>{t(lang, Text::SettingsIntro)}</p>
            {input("companion-url", Text::CompanionUrl, url, "url")}
            {input("invite-code", Text::InviteCode, code, "text")}
            {input("invite-email", Text::YourEmail, email, "email")}
            {input("invite-name", Text::YourName, name, "text")}
            {input("token", Text::OrToken, token, "password")}
            <button type="submit" data-testid="btn-sign-in" disabled=move || busy.get()>{t(lang, Text::SignIn)}</button>
        </form>
    }
}

fn confirm(text: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(text).ok())
        .unwrap_or(false)
}

/// Connections (admins act; members read), providers, members, invites, audit.
#[component]
fn Team(api: Api, admin: bool, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let connections = RwSignal::new(Vec::<Value>::new());
    let syncs = RwSignal::new(Vec::<(String, Value)>::new());
    let reload = {
        let api = api.clone();
        move || {
            let api = api.clone();
            spawn_local(async move {
                match api.get::<Vec<Value>>("/v1/connections").await {
                    Ok(list) => {
                        let mut states = Vec::new();
                        for c in &list {
                            let id = c["id"].as_str().unwrap_or_default().to_string();
                            if let Ok(s) = api
                                .get::<Value>(&format!("/v1/connections/{id}/sync"))
                                .await
                            {
                                states.push((id, s));
                            }
                        }
                        connections.try_set(list);
                        syncs.try_set(states);
                    }
                    Err(e) => toaster.show(&e.code),
                }
            });
        }
    };
    reload();
    let act = {
        let api = api.clone();
        let reload = reload.clone();
        move |method: &'static str, path: String, body: Value, ok: Option<(Text, Text)>| {
            let (api, reload) = (api.clone(), reload.clone());
            spawn_local(async move {
                match api.call::<Value>(method, &path, &body, None).await {
                    Ok(_) => {
                        if let Some((title, text)) = ok {
                            toaster.success(title, text);
                        }
                        reload();
                    }
                    Err(e) => toaster.show(&e.code),
                }
            });
        }
    };
    // Typed relink keys live outside the rows, so a list refresh (after a
    // test or a sync) never wipes what the admin is typing.
    let relink_keys = RwSignal::new(std::collections::HashMap::<String, String>::new());
    let row_actions = {
        let act = act.clone();
        move |c: &Value| {
            let id = c["id"].as_str().unwrap_or_default().to_string();
            let active = c["status"] != "deactivated";
            let base = format!("/v1/connections/{id}");
            let (a1, a2, a3, a4, a5) = (
                act.clone(),
                act.clone(),
                act.clone(),
                act.clone(),
                act.clone(),
            );
            let (p1, p2, p3, p4, p5) =
                (base.clone(), base.clone(), base.clone(), base.clone(), base);
            let (key_id, key_id_input, key_id_button, key_id_send) =
                (id.clone(), id.clone(), id.clone(), id.clone());
            let typed =
                move |id: &str| relink_keys.with(|m| m.get(id).cloned().unwrap_or_default());
            view! {
                <div class="row-actions">
                    <button type="button" class="secondary" data-testid="btn-test" on:click=move |_| a1("POST", format!("{p1}/test"), json!({}), Some((Text::TestOk, Text::TestConnection)))>{t(lang, Text::TestConnection)}</button>
                    <button type="button" class="secondary" data-testid="btn-sync" disabled=!active on:click=move |_| a2("POST", format!("{p2}/sync"), json!({}), None)>{t(lang, Text::SyncNow)}</button>
                    <input type="password" aria-label=t(lang, Text::ApiKey) data-testid="relink-key" placeholder=t(lang, Text::ApiKey)
                        prop:value=move || typed(&key_id) on:input=move |ev| { let v = event_target_value(&ev); relink_keys.update(|m| { m.insert(key_id_input.clone(), v); }); } />
                    <button type="button" class="secondary" data-testid="btn-relink" disabled=move || typed(&key_id_button).trim().is_empty()
                        on:click=move |_| if confirm(t(lang, Text::ConfirmRelink)) { a3("PUT", format!("{p3}/key"), json!({"api_key": relink_keys.with_untracked(|m| m.get(&key_id_send).cloned().unwrap_or_default())}), Some((Text::ConnectedTitle, Text::ConnectedBody))) }>
                        {t(lang, Text::Relink)}
                    </button>
                    {if active {
                        view! { <button type="button" class="secondary" data-testid="btn-deactivate" on:click=move |_| if confirm(t(lang, Text::ConfirmDeactivate)) { a4("POST", format!("{p4}/deactivate"), json!({}), None) }>{t(lang, Text::Deactivate)}</button> }.into_any()
                    } else {
                        view! { <button type="button" class="secondary" data-testid="btn-activate" on:click=move |_| a4("POST", format!("{p4}/activate"), json!({}), None)>{t(lang, Text::Activate)}</button> }.into_any()
                    }}
                    <button type="button" class="danger" data-testid="btn-delete" on:click=move |_| if confirm(t(lang, Text::ConfirmDelete)) { a5("DELETE", p5.clone(), json!({}), None) }>{t(lang, Text::Delete)}</button>
                </div>
            }
        }
    };
    view! {
        <section class="card" data-testid="connections">
            <h2>{t(lang, Text::Connections)}</h2>
            {(!admin).then(|| view! { <p class="hint">{t(lang, Text::AdminsOnly)}</p> })}
            <ul class="connections">
                {move || connections.get().into_iter().map(|c| {
                    let id = c["id"].as_str().unwrap_or_default().to_string();
                    let sync = syncs.get().into_iter().find(|(i, _)| *i == id).map(|(_, s)| s).unwrap_or(Value::Null);
                    let (done, total) = (sync["done"].as_i64().unwrap_or(0), sync["total"].as_i64().unwrap_or(0));
                    let last = c["last_sync_at"].as_str().map(String::from).unwrap_or_else(|| t(lang, Text::Never).to_string());
                    view! {
                        <li class="connection" data-testid="connection" data-status=c["status"].as_str().unwrap_or_default().to_string()>
                            <div>
                                <strong>{c["name"].as_str().unwrap_or_default().to_string()}</strong>
                                " · " {c["provider"].as_str().unwrap_or_default().to_string()}
                                " · " <span data-testid="connection-status">{c["status"].as_str().unwrap_or_default().to_string()}</span>
                                {(c["is_default"] == true).then(|| view! { " · " <em>{t(lang, Text::Default)}</em> })}
                            </div>
                            <div class="hint">{t(lang, Text::LastSync)} ": " {last}</div>
                            <progress max=total.max(1) value=done aria-label=t(lang, Text::LastSync)></progress>
                            {c["last_error"].as_str().map(|e| view! { <div class="error">{e.to_string()}</div> })}
                            {admin.then(|| row_actions(&c))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {admin.then(|| view! {
            <Providers api=api.clone() on_change=reload.clone() lang />
            <People api=api.clone() lang />
            <Audit api=api.clone() lang />
        })}
    }
}

/// Providers as cards in three groups, the Connect form, and requests.
#[component]
fn Providers(
    api: Api,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
    lang: Lang,
) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let providers = RwSignal::new(Vec::<Value>::new());
    let name = RwSignal::new("JazzHR".to_string());
    let key = RwSignal::new(String::new());
    let base_url = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let wanted = RwSignal::new(String::new());
    let other = RwSignal::new(String::new());
    {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(list) = api.get::<Vec<Value>>("/v1/providers").await {
                providers.try_set(list);
            }
        });
    }
    let connect = {
        let api = api.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if key.get_untracked().trim().is_empty() {
                return;
            }
            busy.set(true);
            let (api, on_change) = (api.clone(), on_change.clone());
            let mut body = json!({"provider": "jazzhr", "name": name.get_untracked(), "api_key": key.get_untracked()});
            if !base_url.get_untracked().trim().is_empty() {
                body["base_url"] = Value::String(base_url.get_untracked().trim().to_string());
            }
            spawn_local(async move {
                match api
                    .call::<Value>("POST", "/v1/connections", &body, None)
                    .await
                {
                    Ok(_) => {
                        key.set(String::new());
                        toaster.success(Text::ConnectedTitle, Text::ConnectedBody);
                        on_change();
                    }
                    Err(e) => toaster.show(&e.code),
                }
                busy.try_set(false);
            });
        }
    };
    let request = {
        let api = api.clone();
        move |_| {
            let name = if wanted.get_untracked() == "other" {
                other.get_untracked()
            } else {
                wanted.get_untracked()
            };
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
                    Err(e) => toaster.show(&e.code),
                }
            });
        }
    };
    let group = move |status: &'static str, title: Text| {
        view! {
            <div class="provider-group" data-testid=format!("providers-{status}")>
                <h3>{t(lang, title)}</h3>
                <div class="cards">
                    {move || providers.get().into_iter().filter(|p| p["status"] == status).map(|p| view! {
                        <div class="provider-card">{p["name"].as_str().unwrap_or_default().to_string()}</div>
                    }).collect_view()}
                </div>
            </div>
        }
    };
    view! {
        <section class="card" data-testid="providers">
            <h2>{t(lang, Text::ConnectTitle)}</h2>
            {group("available", Text::Available)}
            {group("beta", Text::Beta)}
            {group("requested", Text::OnRequest)}
            <form class="connect" on:submit=connect novalidate data-testid="connect-form">
                <div class="field"><label for="conn-name">{t(lang, Text::ConnectionName)}</label>
                    <input id="conn-name" data-testid="conn-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="conn-key">{t(lang, Text::ApiKey)}</label>
                    <input id="conn-key" data-testid="conn-key" type="password" autocomplete="off" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="conn-url">"Base URL (sandbox, region)"</label>
                    <input id="conn-url" data-testid="conn-url" type="url" placeholder="https://api.resumatorapi.com/v1" prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev)) /></div>
                <button type="submit" data-testid="btn-connect" disabled=move || busy.get() || key.get().trim().is_empty()>
                    {move || if busy.get() { t(lang, Text::Connecting) } else { t(lang, Text::Connect) }}
                </button>
            </form>
            <div class="request">
                <label for="wanted">{t(lang, Text::CantFind)}</label>
                <select id="wanted" on:change=move |ev| wanted.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {move || providers.get().into_iter().filter(|p| p["status"] != "available").map(|p| {
                        let n = p["name"].as_str().unwrap_or_default().to_string();
                        view! { <option value=n.clone()>{n.clone()}</option> }
                    }).collect_view()}
                    <option value="other">{t(lang, Text::Other)}</option>
                </select>
                <Show when=move || wanted.get() == "other">
                    <input aria-label=t(lang, Text::Other) prop:value=move || other.get() on:input=move |ev| other.set(event_target_value(&ev)) />
                </Show>
                <button type="button" class="secondary" on:click=request>{t(lang, Text::RequestIt)}</button>
            </div>
        </section>
    }
}

/// Members and invites.
#[component]
fn People(api: Api, lang: Lang) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let members = RwSignal::new(Vec::<Value>::new());
    let invites = RwSignal::new(Vec::<Value>::new());
    let code = RwSignal::new(None::<String>);
    let reload = {
        let api = api.clone();
        move || {
            let api = api.clone();
            spawn_local(async move {
                if let Ok(list) = api.get::<Vec<Value>>("/v1/members").await {
                    members.try_set(list);
                }
                if let Ok(list) = api.get::<Vec<Value>>("/v1/invites").await {
                    invites.try_set(list);
                }
            });
        }
    };
    reload();
    let call = {
        let (api, reload) = (api.clone(), reload.clone());
        move |method: &'static str, path: String, body: Value, show_code: bool| {
            let (api, reload) = (api.clone(), reload.clone());
            spawn_local(async move {
                match api.call::<Value>(method, &path, &body, None).await {
                    Ok(v) => {
                        if show_code {
                            code.set(v["code"].as_str().map(String::from));
                        }
                        reload();
                    }
                    Err(e) => toaster.show(&e.code),
                }
            });
        }
    };
    let (c1, c2, c3) = (call.clone(), call.clone(), call);
    view! {
        <section class="card" data-testid="people">
            <h2>{t(lang, Text::Members)}</h2>
            <ul>{move || members.get().into_iter().map(|m| {
                let id = m["id"].as_str().unwrap_or_default().to_string();
                let c = c1.clone();
                view! { <li>{m["email"].as_str().unwrap_or_default().to_string()} " · " {m["role"].as_str().unwrap_or_default().to_string()}
                    " " <button type="button" class="link" on:click=move |_| if confirm(t(lang, Text::Remove)) { c("DELETE", format!("/v1/members/{id}"), json!({}), false) }>{t(lang, Text::Remove)}</button></li> }
            }).collect_view()}</ul>
            <h2>{t(lang, Text::Invites)}</h2>
            <button type="button" data-testid="btn-invite" on:click=move |_| c2("POST", "/v1/invites".into(), json!({"role": "member"}), true)>{t(lang, Text::CreateInvite)}</button>
            {move || code.get().map(|c| {
                let copy = c.clone();
                view! {
                    <p class="invite-code">{t(lang, Text::InviteCreated)} " " <code data-testid="invite-code-value">{c}</code> " "
                        <button type="button" class="link" on:click=move |_| {
                            if let Some(w) = web_sys::window() { let _ = w.navigator().clipboard().write_text(&copy); }
                        }>{t(lang, Text::Copy)}</button></p>
                }
            })}
            <ul>{move || invites.get().into_iter().map(|i| {
                let id = i["id"].as_str().unwrap_or_default().to_string();
                let c = c3.clone();
                view! { <li>{i["role"].as_str().unwrap_or_default().to_string()} " · " {i["expires_at"].as_str().unwrap_or_default().to_string()}
                    " " <button type="button" class="link" on:click=move |_| c("DELETE", format!("/v1/invites/{id}"), json!({}), false)>{t(lang, Text::Revoke)}</button></li> }
            }).collect_view()}</ul>
        </section>
    }
}

/// The audit log, newest first, paged.
#[component]
fn Audit(api: Api, lang: Lang) -> impl IntoView {
    let entries = RwSignal::new(Vec::<Value>::new());
    let load = move |before: Option<i64>| {
        let api = api.clone();
        spawn_local(async move {
            let path = match before {
                Some(b) => format!("/v1/audit?limit=20&before={b}"),
                None => "/v1/audit?limit=20".into(),
            };
            if let Ok(page) = api.get::<Vec<Value>>(&path).await {
                entries.update(|e| e.extend(page));
            }
        });
    };
    load(None);
    let more = load.clone();
    view! {
        <section class="card" data-testid="audit">
            <h2>{t(lang, Text::AuditLog)}</h2>
            <table>
                <tbody>{move || entries.get().into_iter().map(|e| view! {
                    <tr><td>{e["at"].as_str().unwrap_or_default().to_string()}</td><td>{e["action"].as_str().unwrap_or_default().to_string()}</td>
                        <td>{e["candidate_id"].as_str().unwrap_or_default().to_string()}</td><td>{e["detail"].to_string()}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <button type="button" class="secondary" on:click=move |_| more(entries.with(|e| e.last().and_then(|x| x["id"].as_i64())))>{t(lang, Text::LoadMore)}</button>
        </section>
    }
}
