use super::{FormFields, Toaster};
use crate::api::{random_id, Api, Change, Job, UploadAnswer};
use crate::extract::Extracted;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::matching::DedupeResponse;
use sourcebar_core::profile_url::linkedin_public_id;
use sourcebar_core::Profile;
use std::sync::Arc;

/// Merge with the selected profile, or upload as a new candidate.
#[component]
pub fn Actions(
    /// The companion.
    api: Api,
    /// The person on screen.
    person: Arc<Extracted>,
    /// The editable fields.
    fields: FormFields,
    /// What dedupe found.
    dedupe: RwSignal<Option<DedupeResponse>>,
    /// The selected match.
    selected: RwSignal<Option<String>>,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let jobs = RwSignal::new(Vec::<Job>::new());
    let job = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let merged = RwSignal::new(None::<Vec<Change>>);
    let uploaded = RwSignal::new(None::<UploadAnswer>);
    // One key per intended upload: a double click or a retry of the same
    // form reuses it; a different form gets another.
    let key_prefix = random_id();

    {
        let api = api.clone();
        spawn_local(async move {
            match api.jobs().await {
                Ok(list) => {
                    jobs.try_set(list);
                }
                Err(e) => toaster.show(&e.code),
            }
        });
    }

    let form_profile = {
        let base = person.profile.clone();
        move || -> Profile {
            let mut p = base.clone();
            p.first_name = Some(fields.first.get_untracked().trim().to_string());
            p.last_name = Some(fields.last.get_untracked().trim().to_string());
            let email = fields.email.get_untracked().trim().to_string();
            p.emails = if email.is_empty() {
                vec![]
            } else {
                vec![email]
            };
            p
        }
    };
    let chosen_job = move || Some(job.get_untracked()).filter(|j| !j.is_empty());

    let merge = {
        let api = api.clone();
        let form_profile = form_profile.clone();
        move |_| {
            let Some(ats_id) = selected.get_untracked() else {
                return;
            };
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let (api, profile, job_id) = (api.clone(), form_profile(), chosen_job());
            let key = format!(
                "merge-{}-{}",
                ats_id,
                fingerprint(&profile, job_id.as_deref())
            );
            spawn_local(async move {
                match api.merge(&ats_id, &profile, job_id.as_deref(), &key).await {
                    Ok(answer) => {
                        merged.try_set(Some(answer.changes));
                    }
                    Err(e) => toaster.show(&e.code),
                }
                busy.try_set(false);
            });
        }
    };

    let upload = {
        let api = api.clone();
        move |_| {
            if busy.get_untracked() || !fields.is_valid() {
                return;
            }
            busy.set(true);
            let (api, profile, job_id) = (api.clone(), form_profile(), chosen_job());
            let key = format!(
                "upload-{key_prefix}-{}",
                fingerprint(&profile, job_id.as_deref())
            );
            spawn_local(async move {
                match api.upload(&profile, job_id.as_deref(), &key).await {
                    Ok(answer) => {
                        let queued = answer
                            .upload_id
                            .clone()
                            .filter(|_| answer.state == "queued");
                        uploaded.try_set(Some(answer));
                        if let Some(id) = queued {
                            follow_queued(api, id, uploaded).await;
                        }
                    }
                    Err(e) => toaster.show(&e.code),
                }
                busy.try_set(false);
            });
        }
    };

    let preview = move || {
        let id = selected.get()?;
        let answer = dedupe.get()?;
        let candidate = answer
            .matches
            .into_iter()
            .find(|m| m.candidate.id == id)?
            .candidate;
        let page_id = person
            .profile
            .profile_url
            .as_deref()
            .and_then(linkedin_public_id);
        let mut lines = Vec::new();
        if page_id.is_some()
            && candidate
                .profile_url
                .as_deref()
                .and_then(linkedin_public_id)
                != page_id
        {
            lines.push((Text::FieldProfileUrl, Text::WillAppend));
        }
        if candidate.email.is_none() && fields.email.with(|e| !e.trim().is_empty()) {
            lines.push((Text::FieldEmail, Text::WillAppend));
        }
        lines.push((Text::FieldNote, Text::WillAppend));
        if !job.get().is_empty() {
            lines.push((Text::FieldJob, Text::WillAdd));
        }
        Some(lines)
    };

    view! {
        <section class="actions">
            <div class="field">
                <label for="job">{t(lang, Text::Job)}</label>
                <select id="job" data-testid="job" on:change=move |ev| job.set(event_target_value(&ev)) prop:value=move || job.get()>
                    <option value="">{t(lang, Text::NoJob)}</option>
                    {move || jobs.get().into_iter().map(|j| {
                        let label = match &j.location { Some(l) => format!("{} — {l}", j.title), None => j.title.clone() };
                        view! { <option value=j.id>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || preview().filter(|_| merged.get().is_none()).map(|lines| view! {
                <div class="preview" data-testid="merge-preview">
                    <p>{t(lang, Text::MergePreviewTitle)}</p>
                    <ul>{lines.into_iter().map(|(f, a)| view! { <li>{t(lang, a)} " · " {t(lang, f)}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || merged.get().map(|changes| view! {
                <div class="result" data-testid="merge-result" role="status">
                    <p>{t(lang, Text::MergeDoneTitle)}</p>
                    <ul>{changes.into_iter().map(|c| view! { <li data-field=c.field.clone()>{field_words(lang, &c.field)} " · " {action_words(lang, &c.action)}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="buttons">
                <button type="button" data-testid="btn-merge" class="secondary"
                    disabled=move || busy.get() || selected.get().is_none() || merged.get().is_some()
                    on:click=merge>
                    {move || if busy.get() && selected.get().is_some() { t(lang, Text::Merging) } else { t(lang, Text::MergeButton) }}
                </button>
                <button type="button" data-testid="btn-upload"
                    disabled=move || busy.get() || !fields.is_valid() || uploaded.get().is_some_and(|u| u.state == "created")
                    on:click=upload>
                    {move || if busy.get() { t(lang, Text::Uploading) } else { t(lang, Text::UploadButton) }}
                </button>
            </div>
            {move || uploaded.get().map(|u| match (u.state.as_str(), u.candidate) {
                ("created", Some(c)) => view! {
                    <div class="result" data-testid="upload-result" data-state="created" role="status">
                        <p>{t(lang, Text::UploadedTitle)}</p>
                        {c.ats_url.map(|href| view! { <a href=href target="_blank" rel="noopener noreferrer">{t(lang, Text::OpenInAts)}</a> })}
                    </div>
                }.into_any(),
                _ => view! {
                    <div class="result queued" data-testid="upload-result" data-state="queued" role="status">
                        <p><strong>{t(lang, Text::QueuedTitle)}</strong></p>
                        <p>{t(lang, Text::QueuedBody)}</p>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

/// Polls a queued upload until it is delivered (or the panel goes).
async fn follow_queued(api: Api, id: String, uploaded: RwSignal<Option<UploadAnswer>>) {
    for _ in 0..200 {
        gloo_timers_sleep(3_000).await;
        match api.upload_status(&id).await {
            Ok(answer) if answer.state == "created" => {
                uploaded.try_set(Some(answer));
                return;
            }
            Ok(answer) if answer.state == "failed" => {
                uploaded.try_set(Some(answer));
                return;
            }
            _ => {
                if uploaded.try_get().is_none() {
                    return;
                }
            }
        }
    }
}

async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A short stable hash of what is sent, so the same form gives the same key.
fn fingerprint(profile: &Profile, job: Option<&str>) -> String {
    let text = format!(
        "{}|{}",
        serde_json::to_string(profile).unwrap_or_default(),
        job.unwrap_or_default()
    );
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn field_words(lang: Lang, field: &str) -> &'static str {
    match field {
        "profile_url" => t(lang, Text::FieldProfileUrl),
        "note" => t(lang, Text::FieldNote),
        "job" => t(lang, Text::FieldJob),
        "email" => t(lang, Text::FieldEmail),
        "first_name" => t(lang, Text::FirstName),
        "last_name" => t(lang, Text::LastName),
        _ => "",
    }
}

fn action_words(lang: Lang, action: &str) -> &'static str {
    match action {
        "appended" => t(lang, Text::Appended),
        "added" => t(lang, Text::Added),
        _ => t(lang, Text::Unchanged),
    }
}
