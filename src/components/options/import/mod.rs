//! The Import screen (`import.html`, built into the settings page's wasm):
//! files or pasted links are checked against the ATS by the companion, then
//! new rows are uploaded, exact ones merged and possible ones decided row by
//! row. The import's id is kept in the location hash, so a reload resumes it.
//! Every cell read from a file is shown as text.

mod words;

use crate::api::{Api, ApiFailure, Job};
use crate::components::{Toast, Toaster};
use crate::i18n::Lang;
use crate::settings::Settings;
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::api::imports::{
    ImportCreated, ImportMerge, ImportRowView, ImportState, ImportUpload, ImportView, PastedImport,
    RowMerge, RowState, RowVerdict,
};
use sourcebar_core::import::RowError;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use words::{i, I};

/// Most rows the table shows (the API's page size).
const PAGE: usize = 500;

/// The Import page: sign-in check, then the importer.
#[component]
pub fn ImportPage() -> impl IntoView {
    let settings = RwSignal::new(None::<Settings>);
    provide_context(Toaster(RwSignal::new(None)));
    spawn_local(async move {
        settings.set(Some(Settings::load().await));
    });
    move || {
        settings.get().map(|s| {
            let lang = s.language();
            let body = match s.api() {
                Some(api) => view! { <Importer api lang /> }.into_any(),
                None => view! {
                    <p data-testid="import-signed-out">{i(lang, I::NotSignedIn)}</p>
                }
                .into_any(),
            };
            view! {
                <main class="options-page admin-page import-page" lang=lang.tag()>
                    <header class="page-head">
                        <h1>{i(lang, I::Title)}</h1>
                        <a href="options.html" data-testid="back-to-settings">{i(lang, I::Back)}</a>
                    </header>
                    <Toast lang />
                    {body}
                </main>
            }
        })
    }
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

fn set_location_hash(id: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(id);
    }
}

/// What went wrong, for the line under the form: the toast says it in
/// words; the companion's own sentence says which file or column.
#[derive(Clone, Copy)]
struct Failures {
    toaster: Toaster,
    detail: RwSignal<Option<String>>,
}

impl Failures {
    fn show(self, e: &ApiFailure) {
        self.toaster.show(e.problem);
        self.detail
            .try_set((!e.message.is_empty()).then(|| e.message.clone()));
    }
}

/// `POST /v1/imports` with the chosen files (multipart).
async fn send_files(api: &Api, files: &[web_sys::File]) -> Result<ImportCreated, ApiFailure> {
    let offline = ApiFailure::offline;
    let form = web_sys::FormData::new().map_err(|_| offline())?;
    for f in files {
        form.append_with_blob_and_filename("file", f, &f.name())
            .map_err(|_| offline())?;
    }
    let mut builder = Request::post(&format!("{}/v1/imports", api.base));
    if let Some(token) = &api.token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = builder.body(form).map_err(|_| offline())?;
    let response = request.send().await.map_err(|_| offline())?;
    crate::api::read_answer(response).await
}

/// `GET /v1/imports/{id}/report.csv`, saved as a file by the browser.
async fn download_report(api: &Api, id: &str) -> Result<(), ApiFailure> {
    let offline = ApiFailure::offline;
    let path = format!(
        "/v1/imports/{}/report.csv",
        js_sys::encode_uri_component(id)
    );
    let mut builder = Request::get(&format!("{}{path}", api.base));
    if let Some(token) = &api.token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let response = builder.send().await.map_err(|_| offline())?;
    if !response.ok() {
        return crate::api::read_answer::<()>(response).await;
    }
    let text = response.text().await.map_err(|_| offline())?;
    let href = format!(
        "data:text/csv;charset=utf-8,{}",
        js_sys::encode_uri_component(&text)
    );
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(offline)?;
    let a = document.create_element("a").map_err(|_| offline())?;
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", &format!("sourcebar-import-{id}.csv"));
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
    Ok(())
}

/// The verdict's words.
fn verdict_words(lang: Lang, v: Option<RowVerdict>) -> &'static str {
    match v {
        Some(RowVerdict::Exact) => i(lang, I::Exact),
        Some(RowVerdict::Possible) => i(lang, I::Possible),
        Some(RowVerdict::None) => i(lang, I::NewRow),
        Some(RowVerdict::Invalid) => i(lang, I::InvalidRow),
        None => i(lang, I::Checking),
    }
}

fn state_words(lang: Lang, s: RowState) -> &'static str {
    match s {
        RowState::Pending => i(lang, I::StatePending),
        RowState::Chosen => i(lang, I::StateChosen),
        RowState::Queued => i(lang, I::StateQueued),
        RowState::Created => i(lang, I::StateCreated),
        RowState::Merged => i(lang, I::StateMerged),
        RowState::Failed => i(lang, I::StateFailed),
        RowState::Skipped => i(lang, I::StateSkipped),
    }
}

/// Why a row could not be read as a person.
fn row_error_words(lang: Lang, e: &RowError) -> String {
    match e {
        RowError::NoIdentity => i(lang, I::ErrNoIdentity).to_string(),
        RowError::InvalidEmail => i(lang, I::ErrInvalidEmail).to_string(),
        RowError::NotProfileUrl => i(lang, I::ErrNotProfileUrl).to_string(),
        RowError::TooLong { field } => format!("{} ({field})", i(lang, I::ErrTooLong)),
        RowError::Unreadable { detail } => format!("{} ({detail})", i(lang, I::ErrUnreadable)),
    }
}

/// A row's person, as read: the profile's name, else the file's first cells.
fn row_name(r: &ImportRowView) -> String {
    match &r.profile {
        Some(p) => p
            .full_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| {
                format!(
                    "{} {}",
                    p.first_name.as_deref().unwrap_or_default(),
                    p.last_name.as_deref().unwrap_or_default()
                )
                .trim()
                .to_string()
            }),
        None => r
            .source
            .cells
            .iter()
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// Every row with `verdict`, page after page.
async fn all_rows(
    api: &Api,
    id: &str,
    verdict: RowVerdict,
) -> Result<Vec<ImportRowView>, ApiFailure> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page: Vec<ImportRowView> = api
            .get(&format!(
                "/v1/imports/{}/rows?verdict={}&after={after}&limit={PAGE}",
                js_sys::encode_uri_component(id),
                verdict.as_str()
            ))
            .await?;
        let n = page.len();
        after = page.last().map_or(after, |r| r.row);
        out.extend(page);
        if n < PAGE {
            return Ok(out);
        }
    }
}

#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
fn Importer(api: Api, lang: Lang) -> impl IntoView {
    let failures = Failures {
        toaster: expect_context::<Toaster>(),
        detail: RwSignal::new(None),
    };
    let id = RwSignal::new(Some(location_hash()).filter(|h| !h.is_empty()));
    let status = RwSignal::new(None::<ImportView>);
    let rows = RwSignal::new(Vec::<ImportRowView>::new());
    let filter = RwSignal::new(None::<RowVerdict>);
    let jobs = RwSignal::new(Vec::<Job>::new());
    let job = RwSignal::new(String::new());
    // A possible row's choice: "new", or the ATS id to merge into.
    let choices = RwSignal::new(HashMap::<u64, String>::new());
    let files = RwSignal::new_local(Vec::<web_sys::File>::new());
    let urls = RwSignal::new(String::new());
    let sending = RwSignal::new(false);

    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        id.try_set(Some(location_hash()).filter(|h| !h.is_empty()));
    });
    on_cleanup(move || listener.remove());
    {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(list) = api.jobs().await {
                jobs.try_set(list);
            }
        });
    }

    // Reads the import and the rows shown.
    let refresh = {
        let api = api.clone();
        move || {
            let Some(current) = id.get_untracked() else {
                return;
            };
            let verdict = filter.get_untracked();
            let api = api.clone();
            spawn_local(async move {
                let path = js_sys::encode_uri_component(&current);
                match api.get::<ImportView>(&format!("/v1/imports/{path}")).await {
                    Ok(v) => {
                        status.try_set(Some(v));
                    }
                    Err(e) => {
                        failures.show(&e);
                        return;
                    }
                }
                let query = verdict.map_or(String::new(), |v| format!("&verdict={}", v.as_str()));
                match api
                    .get::<Vec<ImportRowView>>(&format!(
                        "/v1/imports/{path}/rows?limit={PAGE}{query}"
                    ))
                    .await
                {
                    Ok(list) => {
                        rows.try_set(list);
                    }
                    Err(e) => failures.show(&e),
                }
            });
        }
    };
    // On a new import or filter: read at once.
    {
        let refresh = refresh.clone();
        Effect::new(move |_| {
            id.track();
            filter.track();
            status.set(None);
            refresh();
        });
    }
    // While checking or sending: read again every second.
    {
        let refresh = refresh.clone();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let busy = status.with_untracked(|s| {
                    s.as_ref().is_some_and(|s| {
                        matches!(s.state, ImportState::Checking | ImportState::Uploading)
                            || s.counts.waiting > 0
                    })
                });
                if busy {
                    refresh();
                }
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }

    let start = {
        let api = api.clone();
        move |_| {
            let chosen = files.get_untracked();
            let pasted = urls.get_untracked();
            if chosen.is_empty() && pasted.trim().is_empty() {
                failures
                    .detail
                    .set(Some(i(lang, I::NothingChosen).to_string()));
                return;
            }
            failures.detail.set(None);
            sending.set(true);
            let api = api.clone();
            spawn_local(async move {
                let answer = if chosen.is_empty() {
                    api.call::<ImportCreated>(
                        "POST",
                        "/v1/imports",
                        &PastedImport { urls: pasted },
                        None,
                    )
                    .await
                } else {
                    send_files(&api, &chosen).await
                };
                sending.try_set(false);
                match answer {
                    Ok(created) => {
                        set_location_hash(&created.id);
                        id.try_set(Some(created.id));
                    }
                    Err(e) => failures.show(&e),
                }
            });
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            let picked: Vec<web_sys::File> =
                (0..list.length()).filter_map(|n| list.get(n)).collect();
            files.set(picked);
        }
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            let dropped: Vec<web_sys::File> =
                (0..list.length()).filter_map(|n| list.get(n)).collect();
            files.set(dropped);
        }
    };
    let job_id = move || Some(job.get_untracked()).filter(|j| !j.is_empty());

    let upload_all_new = {
        let api = api.clone();
        let refresh = refresh.clone();
        move |_| {
            let Some(current) = id.get_untracked() else {
                return;
            };
            let (api, refresh) = (api.clone(), refresh.clone());
            let body = ImportUpload {
                all_new: true,
                job_id: job_id(),
                ..ImportUpload::default()
            };
            spawn_local(async move {
                let path = format!(
                    "/v1/imports/{}/upload",
                    js_sys::encode_uri_component(&current)
                );
                match api
                    .call::<serde_json::Value>("POST", &path, &body, None)
                    .await
                {
                    Ok(_) => refresh(),
                    Err(e) => failures.show(&e),
                }
            });
        }
    };
    let merge_exact = {
        let api = api.clone();
        let refresh = refresh.clone();
        move |_| {
            let Some(current) = id.get_untracked() else {
                return;
            };
            let (api, refresh) = (api.clone(), refresh.clone());
            let job_id = job_id();
            spawn_local(async move {
                let exact = match all_rows(&api, &current, RowVerdict::Exact).await {
                    Ok(list) => list,
                    Err(e) => return failures.show(&e),
                };
                let merges: Vec<RowMerge> = exact
                    .iter()
                    .filter(|r| matches!(r.state, RowState::Pending | RowState::Failed))
                    .filter_map(|r| {
                        r.matches.first().map(|m| RowMerge {
                            row: r.row,
                            ats_id: m.candidate.id.clone(),
                        })
                    })
                    .collect();
                if merges.is_empty() {
                    return refresh();
                }
                let path = format!(
                    "/v1/imports/{}/merge",
                    js_sys::encode_uri_component(&current)
                );
                let body = ImportMerge {
                    rows: merges,
                    job_id,
                };
                match api
                    .call::<serde_json::Value>("POST", &path, &body, None)
                    .await
                {
                    Ok(_) => refresh(),
                    Err(e) => failures.show(&e),
                }
            });
        }
    };
    let apply_choices = {
        let api = api.clone();
        let refresh = refresh.clone();
        move |_| {
            let Some(current) = id.get_untracked() else {
                return;
            };
            let (api, refresh) = (api.clone(), refresh.clone());
            let chosen = choices.get_untracked();
            let job_id = job_id();
            spawn_local(async move {
                let mut new_rows: Vec<u64> = Vec::new();
                let mut merges = Vec::new();
                for (row, choice) in chosen {
                    match choice.as_str() {
                        "" => {}
                        "new" => new_rows.push(row),
                        ats_id => merges.push(RowMerge {
                            row,
                            ats_id: ats_id.to_string(),
                        }),
                    }
                }
                new_rows.sort_unstable();
                merges.sort_by_key(|m| m.row);
                let path = js_sys::encode_uri_component(&current);
                if !new_rows.is_empty() {
                    let body = ImportUpload {
                        rows: new_rows,
                        job_id: job_id.clone(),
                        ..ImportUpload::default()
                    };
                    if let Err(e) = api
                        .call::<serde_json::Value>(
                            "POST",
                            &format!("/v1/imports/{path}/upload"),
                            &body,
                            None,
                        )
                        .await
                    {
                        return failures.show(&e);
                    }
                }
                if !merges.is_empty() {
                    let body = ImportMerge {
                        rows: merges,
                        job_id,
                    };
                    if let Err(e) = api
                        .call::<serde_json::Value>(
                            "POST",
                            &format!("/v1/imports/{path}/merge"),
                            &body,
                            None,
                        )
                        .await
                    {
                        return failures.show(&e);
                    }
                }
                choices.try_set(HashMap::new());
                refresh();
            });
        }
    };
    let report = {
        let api = api.clone();
        move |_| {
            let Some(current) = id.get_untracked() else {
                return;
            };
            let api = api.clone();
            spawn_local(async move {
                if let Err(e) = download_report(&api, &current).await {
                    failures.show(&e);
                }
            });
        }
    };
    let new_import = move |_| {
        set_location_hash("");
        id.set(None);
        files.set(Vec::new());
        urls.set(String::new());
        rows.set(Vec::new());
    };

    let form = move || {
        view! {
            <section class="card" data-testid="import-start" aria-labelledby="import-start-title">
                <h2 id="import-start-title">{i(lang, I::Title)}</h2>
                <p>{i(lang, I::Intro)}</p>
                <div class="field drop-zone" data-testid="drop-zone"
                    on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=drop>
                    <label for="import-files">{i(lang, I::ChooseFiles)}</label>
                    <input id="import-files" type="file" multiple accept=".csv,.xlsx,.xls,.json"
                        data-testid="import-files" on:change=pick />
                    <span class="hint">{i(lang, I::DropHere)}</span>
                    <ul class="chosen-files">
                        {move || files.with(|list| list.iter().map(|f| view! { <li>{f.name()}</li> }).collect_view())}
                    </ul>
                </div>
                <div class="field">
                    <label for="import-urls">{i(lang, I::PasteUrls)}</label>
                    <textarea id="import-urls" rows="4" data-testid="import-urls"
                        prop:value=move || urls.get()
                        on:input=move |ev| urls.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" data-testid="btn-check" on:click=start.clone()
                    disabled=move || sending.get()>
                    {move || if sending.get() { i(lang, I::Checking) } else { i(lang, I::Check) }}
                </button>
            </section>
        }
    };

    let counts_bar = move |v: &ImportView| {
        let c = v.counts.clone();
        let filters: Vec<(Option<RowVerdict>, I, u64)> = vec![
            (None, I::All, v.rows),
            (Some(RowVerdict::Exact), I::Exact, c.exact),
            (Some(RowVerdict::Possible), I::Possible, c.possible),
            (Some(RowVerdict::None), I::New, c.none),
            (Some(RowVerdict::Invalid), I::Invalid, c.invalid),
        ];
        view! {
            <nav class="sections verdict-filter" aria-label=i(lang, I::Filter)>
                {filters.into_iter().map(|(verdict, word, n)| {
                    let key = verdict.map_or("all", RowVerdict::as_str);
                    view! {
                        <button type="button" class="link" data-testid=format!("filter-{key}") data-count=n.to_string()
                            aria-pressed=move || if filter.get() == verdict { "true" } else { "false" }
                            on:click=move |_| filter.set(verdict)>
                            {i(lang, word)} " (" {n} ")"
                        </button>
                    }
                }).collect_view()}
            </nav>
        }
    };

    let progress = move |v: &ImportView| {
        let c = &v.counts;
        let sent = c.created + c.merged + c.failed;
        let total = sent + c.waiting;
        (total > 0).then(|| {
            view! {
                <div class="import-progress" data-testid="import-progress"
                    data-created=c.created.to_string() data-merged=c.merged.to_string()
                    data-failed=c.failed.to_string() data-waiting=c.waiting.to_string()>
                    <label for="import-progress-bar">{i(lang, I::Progress)} " " {sent} " " {i(lang, I::Of)} " " {total}</label>
                    <progress id="import-progress-bar" max=total.to_string() value=sent.to_string()></progress>
                    <p>
                        {c.created} " " {i(lang, I::Created)} " · " {c.merged} " " {i(lang, I::Merged)} " · "
                        {c.failed} " " {i(lang, I::Failed)} " · " {c.waiting} " " {i(lang, I::Waiting)}
                    </p>
                </div>
            }
        })
    };

    let row_choice = move |r: &ImportRowView| {
        let row = r.row;
        let open = matches!(r.state, RowState::Pending | RowState::Failed);
        if r.verdict != Some(RowVerdict::Possible) || !open {
            return view! { <span>{state_words(lang, r.state)}</span> }.into_any();
        }
        let options = r
            .matches
            .iter()
            .map(|m| {
                let name = format!(
                    "{} {} {}",
                    i(lang, I::MergeInto),
                    m.candidate.first_name,
                    m.candidate.last_name
                );
                view! { <option value=m.candidate.id.clone()>{name}</option> }
            })
            .collect_view();
        view! {
            <select data-testid="row-choice" aria-label=format!("{} {row}", i(lang, I::Action))
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    choices.update(|c| { c.insert(row, value); });
                }>
                <option value="">{i(lang, I::Decide)}</option>
                <option value="new">{i(lang, I::UploadAsNew)}</option>
                {options}
            </select>
        }
        .into_any()
    };

    let table = move || {
        let list = rows.get();
        let capped = list.len() >= PAGE;
        view! {
            <table class="import-rows" data-testid="import-rows">
                <thead><tr>
                    <th scope="col">{i(lang, I::Row)}</th>
                    <th scope="col">{i(lang, I::Source)}</th>
                    <th scope="col">{i(lang, I::Name)}</th>
                    <th scope="col">{i(lang, I::Email)}</th>
                    <th scope="col">{i(lang, I::Verdict)}</th>
                    <th scope="col">{i(lang, I::Match)}</th>
                    <th scope="col">{i(lang, I::Action)}</th>
                </tr></thead>
                <tbody>
                    {list.iter().map(|r| {
                        let verdict = r.verdict.map_or("pending", RowVerdict::as_str);
                        let email = r.profile.as_ref().and_then(|p| p.emails.first().cloned()).unwrap_or_default();
                        let matched = r.matches.first().map(|m| format!("{} {}", m.candidate.first_name, m.candidate.last_name)).unwrap_or_default();
                        let problem = r.error.as_ref().map(|e| row_error_words(lang, e));
                        view! {
                            <tr data-testid="import-row" data-row=r.row.to_string() data-verdict=verdict data-state=r.state.as_str()>
                                <td>{r.row}</td>
                                <td>{r.source.file.clone()} ":" {r.source.line}</td>
                                <td>{row_name(r)}</td>
                                <td>{email}</td>
                                <td>{verdict_words(lang, r.verdict)} {problem.map(|p| view! { <small class="hint">" " {p}</small> })}</td>
                                <td>{matched}</td>
                                <td>{row_choice(r)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {capped.then(|| view! { <p class="hint">{i(lang, I::FirstRowsOnly)}</p> })}
        }
    };

    let actions = move |v: &ImportView| {
        let ready = !matches!(v.state, ImportState::Checking | ImportState::Failed);
        let c = v.counts.clone();
        let (upload_all_new, merge_exact, apply_choices, report) = (
            upload_all_new.clone(),
            merge_exact.clone(),
            apply_choices.clone(),
            report.clone(),
        );
        view! {
            <div class="import-actions">
                <div class="field inline">
                    <label for="import-job">{i(lang, I::JobLabel)}</label>
                    <select id="import-job" data-testid="import-job" on:change=move |ev| job.set(event_target_value(&ev))>
                        <option value="">{i(lang, I::NoJob)}</option>
                        {move || jobs.get().into_iter().map(|j| view! { <option value=j.id.clone()>{j.title.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" data-testid="btn-upload-all-new" disabled=!ready || c.none == 0 on:click=upload_all_new>
                    {i(lang, I::UploadAllNew)} " (" {c.none} ")"
                </button>
                <button type="button" class="secondary" data-testid="btn-merge-exact" disabled=!ready || c.exact == 0 on:click=merge_exact>
                    {i(lang, I::MergeExact)} " (" {c.exact} ")"
                </button>
                <button type="button" class="secondary" data-testid="btn-apply-choices"
                    disabled=move || !ready || choices.with(|c| c.values().all(String::is_empty)) on:click=apply_choices>
                    {i(lang, I::ApplyChoices)}
                </button>
                <button type="button" class="secondary" data-testid="btn-report" on:click=report>
                    {i(lang, I::DownloadReport)}
                </button>
                <button type="button" class="link" data-testid="btn-new-import" on:click=new_import>
                    {i(lang, I::NewImport)}
                </button>
            </div>
        }
    };

    view! {
        {move || failures.detail.get().map(|d| view! { <p class="error" role="alert" data-testid="import-error">{d}</p> })}
        {move || match id.get() {
            None => form().into_any(),
            Some(current) => {
                let actions = actions.clone();
                view! {
                <section class="card" data-testid="import" data-import=current aria-labelledby="import-title">
                    {move || status.get().map(|v| {
                        let actions = actions.clone();
                        let files = v.files.join(", ");
                        view! {
                            <h2 id="import-title">{files}</h2>
                            <p data-testid="import-state" data-state=v.state.as_str()>
                                {match v.state {
                                    ImportState::Checking => format!("{} {} {} {}", i(lang, I::Checking), v.checked, i(lang, I::Of), v.rows),
                                    ImportState::Failed => i(lang, I::ImportFailed).to_string(),
                                    _ => format!("{} {}", v.rows, i(lang, I::Rows)),
                                }}
                            </p>
                            {counts_bar(&v)}
                            {actions(&v)}
                            {progress(&v)}
                        }
                    })}
                    {table}
                </section>
            }.into_any()
            }
        }}
    }
}
