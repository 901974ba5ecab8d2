//! Connect links: `POST/GET /v1/connect-links`, `DELETE /v1/connect-links/{id}`
//! for a team's admins; `GET/POST /connect/{code}`, the page the ATS admin
//! opens. The page is public (its code is the credential), has no script and
//! no external resource, never sends a referrer, and echoes nothing from the
//! request; team and admin names are escaped.

use crate::app::auth::AuthUser;
use crate::app::connect_links::{self, state_of};
use crate::app::connections::{parse_provider, Connect};
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, ClientIp};
use crate::state::AppState;
use crate::storage::connect_links::Link;
use crate::storage::db::{now_ms, rfc3339};
use crate::storage::people;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Form, Json, Router};
use sourcebar_core::api::connections::{ConnectLinkState, ConnectLinkView, NewConnectLink};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_core::providers::ProviderField;
use sourcebar_core::ErrorCode;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/connect-links", get(list).post(create))
        .route("/v1/connect-links/{id}", delete(revoke))
        .route("/connect/{code}", get(show).post(submit))
}

/// Inline styles only; the one form posts back to this server.
const CONNECT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn view(link: &Link, url: Option<String>) -> ConnectLinkView {
    ConnectLinkView {
        id: link.id.clone(),
        provider: link.provider.clone(),
        state: state_of(link, now_ms()),
        created_at: rfc3339(link.created_at),
        expires_at: rfc3339(link.expires_at),
        connection_id: link.connection_id.clone(),
        url,
    }
}

/// The companion's own address as the caller reached it.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

#[utoipa::path(post, path = "/v1/connect-links", request_body = NewConnectLink,
    responses((status = 201, body = ConnectLinkView), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewConnectLink>,
) -> AppResult<(StatusCode, Json<ConnectLinkView>)> {
    let (link, code) = connect_links::create(&state, &user, &body.provider).await?;
    let url = format!("{}/connect/{code}", origin(&headers));
    Ok((StatusCode::CREATED, Json(view(&link, Some(url)))))
}

#[utoipa::path(get, path = "/v1/connect-links", responses((status = 200, body = [ConnectLinkView]), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<Vec<ConnectLinkView>>> {
    let links = connect_links::list(&state, &user).await?;
    Ok(Json(links.iter().map(|l| view(l, None)).collect()))
}

#[utoipa::path(delete, path = "/v1/connect-links/{id}", responses((status = 204), (status = 403), (status = 404)))]
async fn revoke(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    connect_links::revoke(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /connect/{code}`: the provider's form, or why the link no longer works.
async fn show(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    state.unauthenticated_budget_left(ip)?;
    state.count_unauthenticated(ip);
    let fr = super::join::prefers_french(accept_language(&headers));
    let Some(link) = connect_links::open(&state, &code).await? else {
        return Ok(html(StatusCode::NOT_FOUND, &notice(fr, Notice::Unknown)));
    };
    if let Some(gone) = gone(&link) {
        return Ok(html(StatusCode::GONE, &notice(fr, gone)));
    }
    let page = form_page(&state, &link, fr, None).await?;
    Ok(html(StatusCode::OK, &page))
}

/// `POST /connect/{code}`: checks the key with the ATS and connects it.
async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    state.unauthenticated_budget_left(ip)?;
    state.count_unauthenticated(ip);
    let fr = super::join::prefers_french(accept_language(&headers));
    let Some(link) = connect_links::open(&state, &code).await? else {
        return Ok(html(StatusCode::NOT_FOUND, &notice(fr, Notice::Unknown)));
    };
    if let Some(gone) = gone(&link) {
        return Ok(html(StatusCode::GONE, &notice(fr, gone)));
    }
    let mut settings = ConnectionSettings::new();
    let mut api_key = String::new();
    let mut base_url = None;
    for (name, value) in fields {
        let value = value.trim().to_string();
        match name.as_str() {
            "api_key" => api_key = value,
            "base_url" if !value.is_empty() => base_url = Some(value),
            "base_url" => {}
            _ if !value.is_empty() => {
                settings.insert(name, value);
            }
            _ => {}
        }
    }
    let form = Connect {
        provider: link.provider.clone(),
        name: None,
        api_key,
        settings,
        base_url,
    };
    match connect_links::connect(&state, &code, form).await {
        Ok(_) => Ok(html(
            StatusCode::OK,
            &notice(fr, Notice::Connected(provider_name(&link))),
        )),
        Err(e) => {
            let page = form_page(&state, &link, fr, Some(&e)).await?;
            let status = StatusCode::from_u16(e.code.http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(html(status, &page))
        }
    }
}

fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
}

fn provider_name(link: &Link) -> &'static str {
    parse_provider(&link.provider).map_or("ATS", |p| sourcebar_ats::registry::provider(p).name)
}

/// Why a link no longer opens a form.
enum Notice {
    Unknown,
    Used,
    Revoked,
    Expired,
    Connected(&'static str),
}

fn gone(link: &Link) -> Option<Notice> {
    match state_of(link, now_ms()) {
        ConnectLinkState::Open => None,
        ConnectLinkState::Used => Some(Notice::Used),
        ConnectLinkState::Revoked => Some(Notice::Revoked),
        ConnectLinkState::Expired => Some(Notice::Expired),
    }
}

fn notice(fr: bool, notice: Notice) -> String {
    let (title, text) = match (notice, fr) {
        (Notice::Unknown, false) => (
            "This link does not work".to_string(),
            "Check that you copied the whole link, or ask for a new one.".to_string(),
        ),
        (Notice::Unknown, true) => (
            "Ce lien ne fonctionne pas".to_string(),
            "Vérifiez que vous avez copié le lien en entier, ou demandez-en un nouveau."
                .to_string(),
        ),
        (Notice::Used, false) => (
            "This link was already used".to_string(),
            "The ATS is connected. Ask for a new link to connect it again.".to_string(),
        ),
        (Notice::Used, true) => (
            "Ce lien a déjà servi".to_string(),
            "L’ATS est connecté. Demandez un nouveau lien pour le connecter à nouveau.".to_string(),
        ),
        (Notice::Revoked, false) => (
            "This link was revoked".to_string(),
            "Ask the person who sent it for a new one.".to_string(),
        ),
        (Notice::Revoked, true) => (
            "Ce lien a été révoqué".to_string(),
            "Demandez-en un nouveau à la personne qui vous l’a envoyé.".to_string(),
        ),
        (Notice::Expired, false) => (
            "This link has expired".to_string(),
            "Links work for seven days. Ask for a new one.".to_string(),
        ),
        (Notice::Expired, true) => (
            "Ce lien a expiré".to_string(),
            "Les liens sont valables sept jours. Demandez-en un nouveau.".to_string(),
        ),
        (Notice::Connected(ats), false) => (
            format!("{ats} is connected"),
            "Thank you. Sourcebar checks your ATS from now on; you can close this page."
                .to_string(),
        ),
        (Notice::Connected(ats), true) => (
            format!("{ats} est connecté"),
            "Merci. Sourcebar consulte désormais votre ATS ; vous pouvez fermer cette page."
                .to_string(),
        ),
    };
    shell(
        fr,
        &title,
        &format!("<p data-testid=\"notice\">{}</p>", esc(&text)),
    )
}

/// What the ATS admin is told when the key is not accepted: our own words
/// per kind (never the ATS's), and the server's sentence, which may name a
/// missing permission.
fn refusal(fr: bool, ats: &str, e: &AppError) -> String {
    let words = match (e.code, fr) {
        (ErrorCode::InvalidKey, false) => {
            format!("{ats} refused this key. Check that you copied all of it.")
        }
        (ErrorCode::InvalidKey, true) => {
            format!("{ats} a refusé cette clé. Vérifiez que vous l’avez copiée en entier.")
        }
        (ErrorCode::InsufficientPermissions, false) => {
            "This key lacks a permission Sourcebar needs.".to_string()
        }
        (ErrorCode::InsufficientPermissions, true) => {
            "Il manque à cette clé une permission dont Sourcebar a besoin.".to_string()
        }
        (ErrorCode::AtsUnreachable | ErrorCode::AtsRateLimited | ErrorCode::AtsError, false) => {
            format!("{ats} did not answer properly. Try again in a minute.")
        }
        (ErrorCode::AtsUnreachable | ErrorCode::AtsRateLimited | ErrorCode::AtsError, true) => {
            format!("{ats} n’a pas répondu correctement. Réessayez dans une minute.")
        }
        (_, false) => "This could not be connected.".to_string(),
        (_, true) => "La connexion n’a pas abouti.".to_string(),
    };
    format!(
        "<div class=\"error\" role=\"alert\" data-testid=\"refusal\" data-code=\"{}\"><p>{}</p><p lang=\"en\" class=\"hint\">{}</p></div>",
        e.code.as_str(),
        esc(&words),
        esc(&e.message)
    )
}

async fn form_page(
    state: &AppState,
    link: &Link,
    fr: bool,
    error: Option<&AppError>,
) -> AppResult<String> {
    let pid = parse_provider(&link.provider)?;
    let ats = sourcebar_ats::registry::provider(pid).name;
    let fields = sourcebar_ats::registry::provider(pid).info().fields;
    let team = people::team_name(&state.db, &link.team_id).await?;
    let (title, lead, private, connect, advanced, base_url) = if fr {
        (
            format!("Connecter {ats} au Sourcebar de {team}"),
            format!("L’équipe {team} vous demande de connecter son compte {ats} à Sourcebar, la barre latérale qui vérifie si une personne vue sur LinkedIn est déjà dans votre ATS."),
            "La clé va directement au serveur Sourcebar de l’équipe, qui la garde chiffrée ; personne dans l’équipe ne la voit. Ce lien ne sert qu’une fois.",
            "Connecter",
            "Avancé",
            "Adresse de l’API (seulement pour un point d’accès régional)",
        )
    } else {
        (
            format!("Connect {ats} to {team}’s Sourcebar"),
            format!("The {team} team asks you to connect its {ats} account to Sourcebar, the sidebar that checks whether a person seen on LinkedIn is already in your ATS."),
            "The key goes straight to the team’s Sourcebar server, which keeps it encrypted; nobody on the team ever sees it. This link works once.",
            "Connect",
            "Advanced",
            "API address (only for a regional endpoint)",
        )
    };
    let mut body = format!("<p>{}</p>", esc(&lead));
    if let Some(e) = error {
        body.push_str(&refusal(fr, ats, e));
    }
    body.push_str("<form method=\"post\" data-testid=\"connect-link-form\">");
    let (required, optional): (Vec<&ProviderField>, Vec<&ProviderField>) =
        fields.iter().partition(|f| f.required);
    for f in required {
        body.push_str(&field(f, fr));
    }
    let _ = write!(body, "<details><summary>{}</summary>", esc(advanced));
    let _ = write!(
        body,
        "<label for=\"base_url\">{}</label><input id=\"base_url\" name=\"base_url\" type=\"url\" autocomplete=\"off\">",
        esc(base_url)
    );
    for f in optional {
        body.push_str(&field(f, fr));
    }
    let _ = write!(
        body,
        "</details><button type=\"submit\" data-testid=\"btn-connect\">{}</button></form><p class=\"hint\">{}</p>",
        esc(connect),
        esc(private)
    );
    Ok(shell(fr, &title, &body))
}

/// One input of the provider's form, labelled and explained in the page's language.
fn field(f: &ProviderField, fr: bool) -> String {
    let label = if fr && !f.label_fr.is_empty() {
        &f.label_fr
    } else {
        &f.label
    };
    let kind = if f.secret {
        "password"
    } else if f.kind == sourcebar_core::providers::FieldKind::Url {
        "url"
    } else {
        "text"
    };
    let name = esc(&f.name);
    let mut out = format!("<label for=\"f-{name}\">{}</label>", esc(label));
    let help = f.help.as_ref().map(|h| if fr { &h.fr } else { &h.en });
    let described = if help.is_some() {
        format!(" aria-describedby=\"h-{name}\"")
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "<input id=\"f-{name}\" name=\"{name}\" type=\"{kind}\" autocomplete=\"{}\"{}{described}>",
        if f.secret { "new-password" } else { "off" },
        if f.required { " required" } else { "" }
    );
    if let Some(help) = help {
        let _ = write!(out, "<p class=\"hint\" id=\"h-{name}\">{}</p>", esc(help));
    }
    out
}

fn shell(fr: bool, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #f8fafc; margin: 0; }}
main {{ max-width: 36rem; margin: 3rem auto; background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 2rem; }}
h1 {{ font-size: 1.5rem; margin: 0 0 1rem; }}
label {{ display: block; font-weight: 600; margin: 1rem 0 .25rem; }}
input {{ width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; border: 1px solid #9ca3af; border-radius: 6px; }}
button {{ margin-top: 1.5rem; font: inherit; font-weight: 600; padding: .6rem 1.4rem; border: 0; border-radius: 6px; background: #1d4ed8; color: #fff; }}
details {{ margin-top: 1rem; }}
.hint {{ color: #4b5563; font-size: .9rem; margin: .25rem 0; }}
.error {{ border: 1px solid #b91c1c; background: #fef2f2; border-radius: 8px; padding: .25rem 1rem; margin: 1rem 0; }}
</style>
</head>
<body>
<main data-testid="connect-link">
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"#,
        lang = if fr { "fr" } else { "en" },
        title = esc(title),
    )
}

fn html(status: StatusCode, page: &str) -> Response {
    let mut response = (status, page.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONNECT_CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Text made safe inside HTML elements and quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            super::esc(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }
}
