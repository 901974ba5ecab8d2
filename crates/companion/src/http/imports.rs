//! Bulk work: `POST /v1/dedupe/batch`, and imports (`/v1/imports…`).

use crate::app::auth::AuthUser;
use crate::app::dedupe;
use crate::app::imports::{self, ReceivedFile};
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sourcebar_core::api::imports::{
    ImportCreated, ImportMerge, ImportRowView, ImportUpload, ImportView, PastedImport, RowVerdict,
};
use sourcebar_core::import::Field;
use sourcebar_core::matching::{BatchDedupeRequest, BatchDedupeResponse, MAX_BATCH};
use sourcebar_import::{ImportError, MAX_FILE_BYTES};
use std::collections::HashMap;
use tower_http::limit::RequestBodyLimitLayer;

/// Most files one import takes.
const MAX_FILES: usize = 10;
/// Largest `POST /v1/imports` body: a few files at the cap each.
const MAX_IMPORT_BODY: usize = 4 * 50 * 1024 * 1024 + 1024 * 1024;

/// Routes with small JSON bodies (under the API's usual body limit).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/dedupe/batch", post(dedupe_batch))
        .route("/v1/imports/{id}", get(view))
        .route("/v1/imports/{id}/rows", get(rows))
        .route("/v1/imports/{id}/upload", post(upload))
        .route("/v1/imports/{id}/merge", post(merge))
        .route("/v1/imports/{id}/report.csv", get(report))
}

/// `POST /v1/imports`, whose files may be far larger than any other body.
pub fn file_router() -> Router<AppState> {
    Router::new()
        .route("/v1/imports", post(create))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_IMPORT_BODY))
}

#[utoipa::path(post, path = "/v1/dedupe/batch", request_body = BatchDedupeRequest, responses((status = 200, description = "One /v1/dedupe answer per profile, in the same order", body = BatchDedupeResponse), (status = 401), (status = 422)))]
async fn dedupe_batch(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<BatchDedupeRequest>,
) -> AppResult<Json<BatchDedupeResponse>> {
    if body.profiles.len() > MAX_BATCH {
        return Err(AppError::invalid(format!(
            "profiles: at most {MAX_BATCH} in one batch."
        )));
    }
    for (i, p) in body.profiles.iter().enumerate() {
        p.validate()
            .map_err(|e| AppError::invalid(format!("profiles[{i}]: {e}")))?;
    }
    Ok(Json(BatchDedupeResponse {
        results: dedupe::dedupe_all(&state, &user.team_id, &body.profiles).await?,
    }))
}

#[utoipa::path(post, path = "/v1/imports", request_body(content = PastedImport, description = "JSON {\"urls\"}, or multipart/form-data with `file` parts (CSV, XLSX, XLS, JSON; 50 MB each) and an optional `mapping` part: {\"<file name>\": [\"first_name\"|null, …]}"), responses((status = 201, body = ImportCreated), (status = 413), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    request: Request,
) -> AppResult<Response> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let created = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| AppError::invalid(e.body_text()))?;
        imports::create_from_files(&state, &user, files(multipart).await?).await?
    } else {
        let ApiJson(body) = ApiJson::<PastedImport>::from_request(request, &state).await?;
        imports::create_from_urls(&state, &user, &body.urls).await?
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// The `file` parts, each refused past 50 MB as it arrives, and the
/// optional `mapping` part.
async fn files(mut multipart: Multipart) -> AppResult<Vec<ReceivedFile>> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::invalid(e.body_text());
    let mut files = Vec::new();
    let mut mappings: HashMap<String, Vec<Option<String>>> = HashMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                if files.len() == MAX_FILES {
                    return Err(AppError::invalid(format!(
                        "At most {MAX_FILES} files in one import."
                    )));
                }
                let name = field.file_name().unwrap_or("file").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if (bytes.len() + chunk.len()) as u64 > MAX_FILE_BYTES {
                        return Err(imports::file_error(&name, &ImportError::TooLarge));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                files.push(ReceivedFile {
                    name,
                    bytes,
                    mapping: None,
                });
            }
            Some("mapping") => {
                let text = field.text().await.map_err(bad)?;
                mappings = serde_json::from_str(&text)
                    .map_err(|e| AppError::invalid(format!("mapping: {e}")))?;
            }
            _ => {}
        }
    }
    for file in &mut files {
        if let Some(names) = mappings.get(&file.name) {
            let mapping = names
                .iter()
                .map(|n| match n.as_deref() {
                    None | Some("") => Ok(None),
                    Some(n) => Field::parse(n)
                        .map(Some)
                        .ok_or_else(|| AppError::invalid(format!("mapping: unknown field {n}"))),
                })
                .collect::<AppResult<Vec<_>>>()?;
            file.mapping = Some(mapping);
        }
    }
    Ok(files)
}

#[utoipa::path(get, path = "/v1/imports/{id}", responses((status = 200, body = ImportView), (status = 403), (status = 404)))]
async fn view(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ImportView>> {
    Ok(Json(imports::view(&state, &user, &id).await?))
}

#[derive(Deserialize)]
struct RowsQuery {
    verdict: Option<RowVerdict>,
    #[serde(default)]
    after: u64,
    limit: Option<u64>,
}

#[utoipa::path(get, path = "/v1/imports/{id}/rows", params(("verdict" = Option<String>, Query, description = "exact, possible, none or invalid"), ("after" = Option<u64>, Query, description = "rows after this row number"), ("limit" = Option<u64>, Query, description = "at most 500; 100 by default")), responses((status = 200, body = [ImportRowView]), (status = 403), (status = 404)))]
async fn rows(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<RowsQuery>,
) -> AppResult<Json<Vec<ImportRowView>>> {
    Ok(Json(
        imports::rows(&state, &user, &id, q.verdict, q.after, q.limit).await?,
    ))
}

#[utoipa::path(post, path = "/v1/imports/{id}/upload", request_body = ImportUpload, responses((status = 202), (status = 409), (status = 422)))]
async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ImportUpload>,
) -> AppResult<Response> {
    imports::upload(&state, &user, &id, body).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({"state": "uploading"})),
    )
        .into_response())
}

#[utoipa::path(post, path = "/v1/imports/{id}/merge", request_body = ImportMerge, responses((status = 202), (status = 409), (status = 422)))]
async fn merge(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ImportMerge>,
) -> AppResult<Response> {
    imports::merge(&state, &user, &id, body).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({"state": "uploading"})),
    )
        .into_response())
}

#[utoipa::path(get, path = "/v1/imports/{id}/report.csv", responses((status = 200, content_type = "text/csv", description = "One line per row: what was found and done"), (status = 403), (status = 404)))]
async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let csv = imports::report_csv(&state, &user, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"import-{id}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}
