//! Bulk imports: files or pasted URLs read into rows, each row checked
//! against the mirror in batches (the same dedupe as `/v1/dedupe`), then
//! the rows the user chooses uploaded or merged through the same
//! idempotent queue as the sidebar's (`app::uploads`).
//!
//! Each row's idempotency key is derived from the import and the row, and
//! its request is fixed the first time it is chosen, so a re-click, a
//! reload or a companion restart replays the first attempt instead of
//! creating a second person. Checking and sending run in the background;
//! an import found unfinished (after a restart) is taken up again when it
//! is next read.

use crate::app::auth::{AuthUser, Role};
use crate::app::connections;
use crate::app::dedupe;
use crate::app::uploads;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::audit::{self, Entry};
use crate::storage::db::{new_id, now_ms, rfc3339};
use crate::storage::idempotency;
use crate::storage::imports::{self as stored, Import, NewRow, StoredRow};
use serde_json::{json, Value};
use sourcebar_core::api::imports::{
    ImportCounts, ImportCreated, ImportMerge, ImportRowView, ImportState, ImportUpload, ImportView,
    RowSource, RowState, RowVerdict,
};
use sourcebar_core::api::sourcing::{ProfileSubmission, WorkState};
use sourcebar_core::import::{pasted_urls, same_person_as_earlier, Field, RowError};
use sourcebar_core::matching::{DedupeMatch, Verdict, MAX_BATCH};
use sourcebar_core::Profile;
use sourcebar_import::{ImportError, ParsedRow};
use std::collections::HashSet;
use std::sync::Mutex;

/// The file name pasted URLs are listed under.
pub const PASTED: &str = "pasted URLs";
/// Most rows one import may hold.
pub const MAX_ROWS: usize = 100_000;

/// Imports being checked or sent by this process (`check:ID`, `send:ID`),
/// so reading an import starts its work only when nobody here runs it.
static RUNNING: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Holds a place in [`RUNNING`] for as long as it lives.
struct Running(String);

impl Running {
    fn start(key: String) -> Option<Running> {
        let fresh = RUNNING
            .lock()
            .expect("running imports lock")
            .get_or_insert_with(HashSet::new)
            .insert(key.clone());
        // Built only once the lock is given back: dropping one takes it.
        fresh.then(|| Running(key))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock() {
            if let Some(set) = running.as_mut() {
                set.remove(&self.0);
            }
        }
    }
}

/// One file as received: its name and its bytes, with the mapping the user
/// corrected in the preview, if any.
pub struct ReceivedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub mapping: Option<Vec<Option<Field>>>,
}

/// A row read, before it is stored.
struct ReadRow {
    file: String,
    line: u64,
    cells: Vec<(String, String)>,
    profile: Result<Profile, RowError>,
}

/// An import error as the API answers it: a 413 for a file over the limit,
/// else a 422 naming the file.
pub fn file_error(name: &str, e: &ImportError) -> AppError {
    let error = AppError::invalid(format!("{name}: {}", e.message_en()));
    if *e == ImportError::TooLarge {
        AppError {
            status: Some(axum::http::StatusCode::PAYLOAD_TOO_LARGE),
            ..error
        }
    } else {
        error
    }
}

/// `POST /v1/imports` with files.
pub async fn create_from_files(
    state: &AppState,
    user: &AuthUser,
    files: Vec<ReceivedFile>,
) -> AppResult<ImportCreated> {
    if files.is_empty() {
        return Err(AppError::invalid(
            "Send at least one file part, or {\"urls\"}.",
        ));
    }
    let mut names = Vec::new();
    let mut rows = Vec::new();
    for file in files {
        names.push(file.name.clone());
        let name = file.name.clone();
        let read = tokio::task::spawn_blocking(move || read_file(file))
            .await
            .map_err(|e| AppError::internal("import read", e))?;
        rows.extend(read.map_err(|e| file_error(&name, &e))?);
    }
    create(state, user, names, rows).await
}

/// Reads one file into rows under its mapping (the one proposed from its
/// headers unless the user gave one).
fn read_file(file: ReceivedFile) -> Result<Vec<ReadRow>, ImportError> {
    let table = sourcebar_import::read_file(&file.name, std::io::Cursor::new(file.bytes))?;
    let mapping = match file.mapping {
        Some(m) if sourcebar_core::import::identifies_rows(&m) => m,
        Some(_) => return Err(ImportError::NoIdentityColumn),
        None => sourcebar_import::proposed_mapping(&table)?,
    };
    Ok(table
        .profiles(&mapping)
        .into_iter()
        .map(
            |ParsedRow {
                 line,
                 cells,
                 profile,
             }| ReadRow {
                file: file.name.clone(),
                line,
                cells: table.headers.iter().cloned().zip(cells).collect(),
                profile,
            },
        )
        .collect())
}

/// `POST /v1/imports` with `{"urls"}`.
pub async fn create_from_urls(
    state: &AppState,
    user: &AuthUser,
    text: &str,
) -> AppResult<ImportCreated> {
    let rows: Vec<ReadRow> = pasted_urls(text)
        .into_iter()
        .map(|u| ReadRow {
            file: PASTED.into(),
            line: u.line,
            cells: vec![("url".into(), u.text)],
            profile: u.profile,
        })
        .collect();
    create(state, user, vec![PASTED.into()], rows).await
}

async fn create(
    state: &AppState,
    user: &AuthUser,
    files: Vec<String>,
    rows: Vec<ReadRow>,
) -> AppResult<ImportCreated> {
    if rows.is_empty() {
        return Err(AppError::invalid(ImportError::Empty.message_en()));
    }
    if rows.len() > MAX_ROWS {
        return Err(AppError::invalid(format!(
            "An import holds at most {MAX_ROWS} rows."
        )));
    }
    let profiles: Vec<Option<&Profile>> = rows.iter().map(|r| r.profile.as_ref().ok()).collect();
    let duplicates = same_person_as_earlier(&profiles);
    let mut new_rows = Vec::with_capacity(rows.len());
    for (i, (row, duplicate_of)) in rows.iter().zip(duplicates).enumerate() {
        let source = RowSource {
            file: row.file.clone(),
            line: row.line,
            cells: row.cells.clone(),
        };
        new_rows.push(NewRow {
            row_no: count(i) + 1,
            source: to_json(&source)?,
            profile: row.profile.as_ref().ok().map(to_json).transpose()?,
            error: row.profile.as_ref().err().map(to_json).transpose()?,
            duplicate_of: duplicate_of.map(|d| count(d) + 1),
        });
    }
    let now = now_ms();
    let import = Import {
        id: new_id(),
        team_id: user.team_id.clone(),
        user_id: user.user_id.clone(),
        files: to_json(&files)?,
        state: ImportState::Checking.as_str().into(),
        rows_total: count(new_rows.len()),
        checked: count(new_rows.iter().filter(|r| r.profile.is_none()).count()),
        created_at: now,
    };
    stored::insert(&state.db, &import, &new_rows).await?;
    let invalid = new_rows.iter().filter(|r| r.profile.is_none()).count();
    // Names and counts only: the rows themselves never reach the audit log.
    audit::record(
        &state.db,
        Entry {
            team_id: &user.team_id,
            user_id: Some(&user.user_id),
            action: "import",
            connection_id: None,
            candidate_id: None,
            detail: json!({"import_id": import.id, "files": files, "rows": new_rows.len(), "invalid": invalid}),
        },
    )
    .await?;
    spawn_check(state, &import.id, &user.team_id);
    Ok(ImportCreated {
        id: import.id,
        state: ImportState::Checking,
        rows: new_rows.len() as u64,
    })
}

/// A count or an index as the database stores it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// JSON text of what the rows store.
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::internal("import row", e))
}

/// Checks the import's unchecked rows in the background, unless this
/// process already does.
fn spawn_check(state: &AppState, id: &str, team_id: &str) {
    let Some(guard) = Running::start(format!("check:{id}")) else {
        return;
    };
    let (state, id, team_id) = (state.clone(), id.to_string(), team_id.to_string());
    tokio::spawn(async move {
        let _guard = guard;
        if let Err(e) = check(&state, &id, &team_id).await {
            tracing::warn!(error = %e.message, "import check stopped; it resumes when the import is read");
        }
    });
}

/// Checks every unchecked row, [`MAX_BATCH`] at a time, then marks the
/// import ready.
pub async fn check(state: &AppState, id: &str, team_id: &str) -> AppResult<()> {
    loop {
        let batch = stored::unchecked(&state.db, id, count(MAX_BATCH)).await?;
        if batch.is_empty() {
            break;
        }
        let mut numbered = Vec::new();
        let mut profiles = Vec::new();
        for row in &batch {
            match row.profile.as_deref().map(serde_json::from_str::<Profile>) {
                Some(Ok(p)) => {
                    numbered.push(row.row_no);
                    profiles.push(p);
                }
                _ => numbered.push(-row.row_no),
            }
        }
        let answers = dedupe::dedupe_all(state, team_id, &profiles).await?;
        let mut answers = answers.into_iter();
        let mut checks = Vec::new();
        for n in numbered {
            if n < 0 {
                checks.push((-n, RowVerdict::Invalid.as_str(), "[]".to_string()));
                continue;
            }
            let Some(answer) = answers.next() else { break };
            let verdict = match answer.verdict {
                Verdict::Exact => RowVerdict::Exact,
                Verdict::Possible => RowVerdict::Possible,
                Verdict::None => RowVerdict::None,
            };
            let matches = serde_json::to_string(&answer.matches)
                .map_err(|e| AppError::internal("import check", e))?;
            checks.push((n, verdict.as_str(), matches));
        }
        stored::record_checks(&state.db, id, &checks, now_ms()).await?;
    }
    let import = stored::get(&state.db, team_id, id).await?;
    if import.is_some_and(|i| i.state == ImportState::Checking.as_str()) {
        stored::set_state(&state.db, id, ImportState::Ready.as_str(), now_ms()).await?;
    }
    Ok(())
}

/// The import, if `user` may see it: the importer or an admin of its team.
async fn visible(state: &AppState, user: &AuthUser, id: &str) -> AppResult<Import> {
    let import = stored::get(&state.db, &user.team_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("import"))?;
    if import.user_id != user.user_id && user.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    Ok(import)
}

/// Takes up work an earlier process left unfinished.
fn resume(state: &AppState, import: &Import) {
    match ImportState::parse(&import.state) {
        Some(ImportState::Checking) => spawn_check(state, &import.id, &import.team_id),
        Some(ImportState::Uploading) => spawn_send(state, import),
        _ => {}
    }
}

/// `GET /v1/imports/{id}`.
pub async fn view(state: &AppState, user: &AuthUser, id: &str) -> AppResult<ImportView> {
    let import = visible(state, user, id).await?;
    resume(state, &import);
    let mut counts = ImportCounts::default();
    for (verdict, row_state, duplicate, n) in stored::counts(&state.db, id).await? {
        let n = u64::try_from(n).unwrap_or(0);
        match RowVerdict::parse(&verdict) {
            Some(RowVerdict::Exact) => counts.exact += n,
            Some(RowVerdict::Possible) => counts.possible += n,
            Some(RowVerdict::None) => counts.none += n,
            Some(RowVerdict::Invalid) => counts.invalid += n,
            None => {}
        }
        match RowState::parse(&row_state) {
            Some(RowState::Created) => counts.created += n,
            Some(RowState::Merged) => counts.merged += n,
            Some(RowState::Failed) => counts.failed += n,
            Some(RowState::Chosen | RowState::Queued) => counts.waiting += n,
            _ => {}
        }
        if duplicate {
            counts.duplicates += n;
        }
    }
    Ok(ImportView {
        id: import.id,
        state: ImportState::parse(&import.state)
            .ok_or_else(|| AppError::internal("import", "unknown state"))?,
        rows: u64::try_from(import.rows_total).unwrap_or(0),
        checked: u64::try_from(import.checked).unwrap_or(0),
        counts,
        files: serde_json::from_str(&import.files).unwrap_or_default(),
        created_at: rfc3339(import.created_at),
    })
}

/// Most rows one page of `GET /v1/imports/{id}/rows` holds.
pub const MAX_PAGE: i64 = 500;

/// `GET /v1/imports/{id}/rows`.
pub async fn rows(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    verdict: Option<RowVerdict>,
    after: u64,
    limit: Option<u64>,
) -> AppResult<Vec<ImportRowView>> {
    visible(state, user, id).await?;
    let limit = limit.map_or(100, |l| {
        i64::try_from(l).unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE)
    });
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    stored::rows(&state.db, id, verdict.map(RowVerdict::as_str), after, limit)
        .await?
        .iter()
        .map(row_view)
        .collect()
}

fn row_view(row: &StoredRow) -> AppResult<ImportRowView> {
    let bad = |e: serde_json::Error| AppError::internal("import row", e);
    Ok(ImportRowView {
        row: u64::try_from(row.row_no).unwrap_or(0),
        source: serde_json::from_str(&row.source).map_err(bad)?,
        profile: row
            .profile
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(bad)?,
        verdict: row.verdict.as_deref().and_then(RowVerdict::parse),
        matches: row
            .matches
            .as_deref()
            .map(serde_json::from_str::<Vec<DedupeMatch>>)
            .transpose()
            .map_err(bad)?
            .unwrap_or_default(),
        error: row
            .error
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(bad)?,
        state: RowState::parse(&row.state).unwrap_or(RowState::Pending),
        duplicate_of: row.duplicate_of.and_then(|d| u64::try_from(d).ok()),
        candidate_id: row.candidate_id.clone(),
        upload_id: row.upload_id.clone(),
        last_error: row.last_error.clone(),
    })
}

/// `POST /v1/imports/{id}/upload`: fixes each chosen row's request, then
/// sends in the background. Rows already chosen keep their first request.
pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    req: ImportUpload,
) -> AppResult<()> {
    let import = visible(state, user, id).await?;
    ready_for_choices(&import)?;
    let conn = connections::active(state, &import.team_id, req.connection_id.as_deref()).await?;
    let chosen: Vec<StoredRow> = if req.all_new {
        let mut all = Vec::new();
        let mut after = 0;
        loop {
            let page = stored::rows(&state.db, id, Some("none"), after, MAX_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.row_no;
            all.extend(page.into_iter().filter(|r| r.duplicate_of.is_none()));
        }
        all
    } else {
        let wanted: Vec<i64> = req
            .rows
            .iter()
            .filter_map(|n| i64::try_from(*n).ok())
            .collect();
        let found = stored::rows_numbered(&state.db, id, &wanted).await?;
        if found.len() != wanted.len() {
            return Err(AppError::invalid(
                "rows: a row number is not in this import.",
            ));
        }
        for row in &found {
            match row.verdict.as_deref().and_then(RowVerdict::parse) {
                Some(RowVerdict::None | RowVerdict::Possible) => {}
                Some(RowVerdict::Exact) => {
                    return Err(AppError::invalid(format!(
                        "rows: row {} is already in the ATS; merge it instead.",
                        row.row_no
                    )))
                }
                _ => {
                    return Err(AppError::invalid(format!(
                        "rows: row {} cannot be uploaded (invalid or not checked).",
                        row.row_no
                    )))
                }
            }
        }
        found
    };
    for row in chosen {
        let Some(profile) = row.profile.as_deref() else {
            continue;
        };
        let profile: Profile =
            serde_json::from_str(profile).map_err(|e| AppError::internal("import row", e))?;
        let request = ProfileSubmission {
            connection_id: Some(conn.id.clone()),
            profile,
            job_id: req.job_id.clone().filter(|j| !j.trim().is_empty()),
        };
        let request =
            serde_json::to_string(&request).map_err(|e| AppError::internal("import row", e))?;
        if stored::choose(&state.db, id, row.row_no, "upload", &request).await? {
            stored::skip_duplicates_of(&state.db, id, row.row_no).await?;
        }
    }
    start_sending(state, &import).await
}

/// `POST /v1/imports/{id}/merge`: each row into a record it matched.
pub async fn merge(state: &AppState, user: &AuthUser, id: &str, req: ImportMerge) -> AppResult<()> {
    let import = visible(state, user, id).await?;
    ready_for_choices(&import)?;
    let wanted: Vec<i64> = req
        .rows
        .iter()
        .filter_map(|r| i64::try_from(r.row).ok())
        .collect();
    let found = stored::rows_numbered(&state.db, id, &wanted).await?;
    for choice in &req.rows {
        let row = found
            .iter()
            .find(|r| u64::try_from(r.row_no).ok() == Some(choice.row))
            .ok_or_else(|| AppError::invalid("rows: a row number is not in this import."))?;
        let view = row_view(row)?;
        let matched = view
            .matches
            .iter()
            .find(|m| m.candidate.id == choice.ats_id)
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "rows: row {} did not match the record {}.",
                    choice.row, choice.ats_id
                ))
            })?;
        let Some(profile) = view.profile else {
            continue;
        };
        let request = json!({
            "ats_id": choice.ats_id,
            "submission": ProfileSubmission {
                connection_id: Some(matched.connection_id.clone()),
                profile,
                job_id: req.job_id.clone().filter(|j| !j.trim().is_empty()),
            },
        })
        .to_string();
        stored::choose(&state.db, id, row.row_no, "merge", &request).await?;
    }
    start_sending(state, &import).await
}

fn ready_for_choices(import: &Import) -> AppResult<()> {
    if import.state == ImportState::Checking.as_str()
        || import.state == ImportState::Failed.as_str()
    {
        return Err(AppError::new(
            sourcebar_core::ErrorCode::Conflict,
            "The import is still being checked.",
        ));
    }
    Ok(())
}

async fn start_sending(state: &AppState, import: &Import) -> AppResult<()> {
    stored::set_state(
        &state.db,
        &import.id,
        ImportState::Uploading.as_str(),
        now_ms(),
    )
    .await?;
    spawn_send(state, import);
    Ok(())
}

fn spawn_send(state: &AppState, import: &Import) {
    let Some(guard) = Running::start(format!("send:{}", import.id)) else {
        return;
    };
    let (state, import) = (state.clone(), import.clone());
    tokio::spawn(async move {
        let _guard = guard;
        if let Err(e) = send(&state, &import).await {
            tracing::warn!(error = %e.message, "import upload stopped; it resumes when the import is read");
        }
    });
}

/// The importer, as the upload queue knows callers: every row's key is
/// theirs, whoever clicked, so one row is one key.
async fn importer(state: &AppState, import: &Import) -> AppResult<AuthUser> {
    let (email, name, role) = stored::importer(&state.db, &import.user_id)
        .await?
        .ok_or_else(|| AppError::internal("import", "the importer is gone"))?;
    Ok(AuthUser {
        user_id: import.user_id.clone(),
        team_id: import.team_id.clone(),
        email,
        name,
        role: Role::parse(&role).unwrap_or(Role::Member),
    })
}

/// The idempotency key of a row's upload or merge.
pub fn row_key(import_id: &str, row_no: i64, action: &str) -> String {
    format!("import:{import_id}:row:{row_no}:{action}")
}

/// Sends every chosen row, one after the other, through the upload queue;
/// then, when nothing is left waiting, marks the import done.
pub async fn send(state: &AppState, import: &Import) -> AppResult<()> {
    let user = importer(state, import).await?;
    loop {
        let rows = stored::to_send(&state.db, &import.id).await?;
        let mut sent_any = false;
        for row in &rows {
            if row.state == RowState::Queued.as_str() {
                refresh_queued(state, &user, import, row).await?;
                continue;
            }
            sent_any = true;
            send_row(state, &user, import, row).await?;
        }
        if !sent_any {
            break;
        }
    }
    let left = stored::to_send(&state.db, &import.id).await?;
    if left.is_empty() {
        stored::set_state(&state.db, &import.id, ImportState::Done.as_str(), now_ms()).await?;
    }
    Ok(())
}

/// One row through the sidebar's upload or merge, under the row's key.
async fn send_row(
    state: &AppState,
    user: &AuthUser,
    import: &Import,
    row: &StoredRow,
) -> AppResult<()> {
    let action = row.action.as_deref().unwrap_or("upload");
    let request: Value = serde_json::from_str(row.request.as_deref().unwrap_or("null"))
        .map_err(|e| AppError::internal("import row", e))?;
    let key = row_key(&import.id, row.row_no, action);
    let (submission, ats_id) = if action == "merge" {
        (
            request["submission"].clone(),
            request["ats_id"].as_str().map(String::from),
        )
    } else {
        (request, None)
    };
    let body: ProfileSubmission = serde_json::from_value(submission.clone())
        .map_err(|e| AppError::internal("import row", e))?;
    let outcome = async {
        let conn =
            connections::active(state, &import.team_id, body.connection_id.as_deref()).await?;
        if let Some(ats_id) = &ats_id {
            let fingerprint = idempotency::fingerprint(&format!("merge:{ats_id}"), &submission);
            uploads::merge(state, user, &conn, ats_id, body, &key, &fingerprint).await
        } else {
            let fingerprint = idempotency::fingerprint("upload", &submission);
            uploads::upload(state, user, &conn, body, &key, &fingerprint).await
        }
    }
    .await;
    record(state, import, row.row_no, outcome).await
}

/// Records an answer of the queue on the row.
async fn record(
    state: &AppState,
    import: &Import,
    row_no: i64,
    outcome: AppResult<(u16, Value)>,
) -> AppResult<()> {
    let (row_state, upload_id, candidate_id, error) = match outcome {
        Ok((_, body)) => {
            let work = body["state"].as_str().and_then(WorkState::parse);
            let row_state = match work {
                Some(WorkState::Created) => RowState::Created,
                Some(WorkState::Merged) => RowState::Merged,
                Some(WorkState::Failed) => RowState::Failed,
                // A merge answers its candidate and changes, without a state.
                None if body.get("changes").is_some() => RowState::Merged,
                _ => RowState::Queued,
            };
            (
                row_state,
                body["upload_id"].as_str().map(String::from),
                body["candidate"]["id"].as_str().map(String::from),
                None,
            )
        }
        Err(e) if e.code == sourcebar_core::ErrorCode::Internal => return Err(e),
        Err(e) => (RowState::Failed, None, None, Some(e.message)),
    };
    stored::record_outcome(
        &state.db,
        &import.id,
        row_no,
        row_state.as_str(),
        upload_id.as_deref(),
        candidate_id.as_deref(),
        error.as_deref(),
    )
    .await?;
    Ok(())
}

/// A queued row: how its upload stands now (the delivery worker finishes it).
async fn refresh_queued(
    state: &AppState,
    user: &AuthUser,
    import: &Import,
    row: &StoredRow,
) -> AppResult<()> {
    let Some(upload_id) = &row.upload_id else {
        return Ok(());
    };
    let status = uploads::status(state, &user.team_id, upload_id).await?;
    let (row_state, error) = match status.state {
        WorkState::Created => (RowState::Created, None),
        WorkState::Merged => (RowState::Merged, None),
        WorkState::Failed => (RowState::Failed, status.last_error.clone()),
        WorkState::Queued => return Ok(()),
    };
    stored::record_outcome(
        &state.db,
        &import.id,
        row.row_no,
        row_state.as_str(),
        None,
        status.candidate.as_ref().map(|c| c.id.as_str()),
        error.as_deref(),
    )
    .await?;
    Ok(())
}

/// `GET /v1/imports/{id}/report.csv`: one line per row, what was found and
/// done. Cells that a spreadsheet would run as a formula are quoted out.
pub async fn report_csv(state: &AppState, user: &AuthUser, id: &str) -> AppResult<Vec<u8>> {
    visible(state, user, id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::internal("import report", e);
    out.write_record([
        "row",
        "file",
        "line",
        "first_name",
        "last_name",
        "email",
        "linkedin_url",
        "verdict",
        "reasons",
        "match_id",
        "match_name",
        "duplicate_of",
        "state",
        "candidate_id",
        "error",
    ])
    .map_err(fail)?;
    let mut after = 0;
    loop {
        let page = stored::rows(&state.db, id, None, after, MAX_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.row_no;
        for row in &page {
            let v = row_view(row)?;
            let p = v.profile.clone().unwrap_or_default();
            let top = v.matches.first();
            let reasons: Vec<String> = top
                .map(|m| m.reasons.iter().map(|r| r.detail.clone()).collect())
                .unwrap_or_default();
            let error = v
                .error
                .as_ref()
                .map(RowError::message_en)
                .or(v.last_error.clone())
                .unwrap_or_default();
            let cells = [
                v.row.to_string(),
                v.source.file.clone(),
                v.source.line.to_string(),
                p.first_name.unwrap_or_default(),
                p.last_name.unwrap_or_default(),
                p.emails.first().cloned().unwrap_or_default(),
                p.profile_url.unwrap_or_default(),
                v.verdict.map_or("", RowVerdict::as_str).to_string(),
                reasons.join("; "),
                top.map(|m| m.candidate.id.clone()).unwrap_or_default(),
                top.map(|m| format!("{} {}", m.candidate.first_name, m.candidate.last_name))
                    .unwrap_or_default(),
                v.duplicate_of.map(|d| d.to_string()).unwrap_or_default(),
                v.state.as_str().to_string(),
                v.candidate_id.clone().unwrap_or_default(),
                error,
            ];
            out.write_record(cells.iter().map(|c| no_formula(c)))
                .map_err(fail)?;
        }
    }
    out.into_inner()
        .map_err(|e| AppError::internal("import report", e))
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return first) gets a leading apostrophe.
fn no_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::no_formula;

    #[test]
    fn report_cells_never_run_as_formulas() {
        assert_eq!(no_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(no_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(no_formula("Jane"), "Jane");
    }
}
