use super::decision::{
    action_reason, match_name, merge_preview, primary, upload_blocker, AtsInfo, Blocker, Check,
    Outcome, Primary, UploadFields,
};
use super::{FormFields, Toaster};
use crate::api::{random_id, Api, Job, UploadAnswer};
use crate::browser;
use crate::extract::Extracted;
use crate::i18n::{
    confirm_upload_over, delivered_to, job_filter_placeholder, keeps_other_email, merge_into,
    merged_into, open_in, t, upload_to, uploaded_to, Lang, Text,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sourcebar_core::api::sourcing::{ChangeAction, MergedField, WorkState};
use sourcebar_core::email::canonical_email_for_matching;
use sourcebar_core::matching::Verdict;
use sourcebar_core::profile_url::linkedin_public_id;
use sourcebar_core::Profile;
use std::sync::Arc;

/// The one thing to do next, kept in view at the bottom of the panel: the
/// primary action the verdict picks, one line saying why it waits when it
/// does, the secondary ways out, and the outcome in place of the buttons.
#[allow(
    clippy::needless_pass_by_value,
    clippy::too_many_lines,
    clippy::too_many_arguments,
    reason = "Leptos builds a props struct that owns each prop; the view reads top to bottom"
)]
#[component]
pub fn Actions(
    /// The companion.
    api: Api,
    /// The person on screen.
    person: Arc<Extracted>,
    /// The editable fields.
    fields: FormFields,
    /// The ATS check.
    check: RwSignal<Check>,
    /// The selected match.
    selected: RwSignal<Option<String>>,
    /// The user said none of the possible matches is the person.
    none_of_these: RwSignal<bool>,
    /// The user asked to upload over an exact match ("Not the same person?").
    confirming: RwSignal<bool>,
    /// What was done.
    outcome: RwSignal<Option<Outcome>>,
    /// The team's ATS.
    ats: RwSignal<AtsInfo>,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let toaster = expect_context::<Toaster>();
    let jobs = RwSignal::new(Vec::<Job>::new());
    let job = RwSignal::new(String::new());
    let merging = RwSignal::new(false);
    let uploading = RwSignal::new(false);
    // One key per intended upload: a double click or a retry of the same
    // form reuses it; a different form gets another.
    let key_prefix = random_id();
    let ats_name = move || ats.with(|a| a.display(lang));

    {
        // The jobs wait for the check's answer: the verdict comes first, and
        // its request does not share the companion with this one.
        let api = api.clone();
        let asked = StoredValue::new(false);
        Effect::new(move |_| {
            if matches!(check.get(), Check::Pending) || asked.get_value() {
                return;
            }
            asked.set_value(true);
            let api = api.clone();
            spawn_local(async move {
                match api.jobs().await {
                    Ok(list) => {
                        jobs.try_set(list);
                    }
                    Err(e) => toaster.show(e.problem),
                }
            });
        });
    }

    // Type-to-filter: the companion answers from its job mirror at once;
    // an answer to an older query never replaces a newer one.
    let filter_jobs = {
        let api = api.clone();
        let asked = StoredValue::new(0u32);
        move |q: String| {
            let api = api.clone();
            let n = asked.get_value().wrapping_add(1);
            asked.set_value(n);
            spawn_local(async move {
                match api.jobs_matching(q.trim()).await {
                    Ok(list) if asked.try_get_value() == Some(n) => {
                        jobs.try_set(list);
                    }
                    Ok(_) => {}
                    Err(e) => toaster.show(e.problem),
                }
            });
        }
    };

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
    let selected_match = move || {
        let id = selected.get()?;
        check.with(|c| match c {
            Check::Answered(a) => a.matches.iter().find(|m| m.candidate.id == id).cloned(),
            _ => None,
        })
    };
    let the_primary = move || primary(&check.get(), selected.get().is_some(), none_of_these.get());
    let blocker = move || {
        let (first, last, email, job) = (
            fields.first.get(),
            fields.last.get(),
            fields.email.get(),
            job.get(),
        );
        let upload = UploadFields {
            first: &first,
            last: &last,
            email: &email,
            job: &job,
        };
        ats.with(|a| upload_blocker(&upload, a))
    };
    let busy = move || merging.get() || uploading.get();

    let merge = {
        let api = api.clone();
        let form_profile = form_profile.clone();
        move |_| {
            let Some(chosen) = selected_match() else {
                return;
            };
            if merging.get_untracked() || uploading.get_untracked() {
                return;
            }
            merging.set(true);
            let (api, profile, job_id) = (api.clone(), form_profile(), chosen_job());
            let ats_id = chosen.candidate.id.clone();
            let key = format!(
                "merge-{}-{}",
                ats_id,
                fingerprint(&profile, job_id.as_deref())
            );
            spawn_local(async move {
                match api.merge(&ats_id, &profile, job_id.as_deref(), &key).await {
                    Ok(answer) => {
                        let ours = profile.emails.first().cloned();
                        let kept_email = match (answer.candidate.email.clone(), ours) {
                            (Some(theirs), Some(ours))
                                if canonical_email_for_matching(&theirs)
                                    != canonical_email_for_matching(&ours) =>
                            {
                                Some((theirs, ours))
                            }
                            _ => None,
                        };
                        outcome.try_set(Some(Outcome::Merged {
                            name: match_name(&chosen),
                            changes: answer
                                .changes
                                .into_iter()
                                .filter(|c| c.action != ChangeAction::Unchanged)
                                .collect(),
                            kept_email,
                            ats_url: answer.candidate.ats_url.or(chosen.candidate.ats_url),
                        }));
                    }
                    Err(e) => toaster.show(e.problem),
                }
                merging.try_set(false);
            });
        }
    };

    let upload = {
        let api = api.clone();
        move |_| {
            if merging.get_untracked() || uploading.get_untracked() || blocker().is_some() {
                return;
            }
            uploading.set(true);
            let (api, profile, job_id) = (api.clone(), form_profile(), chosen_job());
            let key = format!(
                "upload-{key_prefix}-{}",
                fingerprint(&profile, job_id.as_deref())
            );
            spawn_local(async move {
                match api.upload(&profile, job_id.as_deref(), &key).await {
                    Ok(answer) => match queued_id(&answer) {
                        Some(id) => {
                            outcome.try_set(Some(Outcome::Queued {
                                upload_id: id.clone(),
                            }));
                            // Released at once: the queue delivers it.
                            uploading.try_set(false);
                            follow_queued(api, id, outcome).await;
                        }
                        None => {
                            outcome.try_set(Some(Outcome::Uploaded {
                                ats_url: answer.candidate.and_then(|c| c.ats_url),
                            }));
                        }
                    },
                    Err(e) => toaster.show(e.problem),
                }
                uploading.try_set(false);
            });
        }
    };

    let page_id = StoredValue::new(
        person
            .profile
            .profile_url
            .as_deref()
            .and_then(linkedin_public_id),
    );
    let preview = move || {
        let candidate = selected_match()?.candidate;
        let page_id = page_id.get_value();
        let new_profile_url = page_id.is_some()
            && candidate
                .profile_url
                .as_deref()
                .and_then(linkedin_public_id)
                != page_id;
        let new_email = candidate.email.is_none() && fields.email.with(|e| !e.trim().is_empty());
        let with_job = !job.get().is_empty();
        Some(ats.with(|a| merge_preview(a, new_profile_url, new_email, with_job)))
    };

    let upload_button = {
        let upload = upload.clone();
        move |label: String, class: &'static str| {
            let upload = upload.clone();
            view! {
                <button type="button" data-testid="btn-upload" class=class
                    aria-busy=move || uploading.get().to_string()
                    disabled=move || busy() || blocker().is_some()
                    on:click=upload>
                    {move || if uploading.get() { t(lang, Text::Uploading).to_string() } else { label.clone() }}
                </button>
            }
        }
    };
    let reason_line = move || {
        let why = action_reason(lang, &ats_name(), the_primary(), blocker());
        let needs_email =
            the_primary() == Primary::Upload && blocker() == Some(Blocker::NeedsEmail);
        why.filter(|_| !busy()).map(|why| view! {
            <p class="action-reason" data-testid="action-reason" id="action-reason">
                {why}
                {needs_email.then(|| view! {
                    " "
                    <button type="button" class="link" data-testid="btn-open-contact-info"
                        on:click=|_| open_contact_info()>{t(lang, Text::OpenContactInfo)}</button>
                })}
            </p>
        })
    };

    let buttons = {
        let merge = merge.clone();
        let upload_button = upload_button.clone();
        move || {
            let p = the_primary();
            let verdict = check.with(Check::verdict);
            match p {
                // The failed check offers Retry in the verdict area: here,
                // only the line saying nothing can be sent yet.
                Primary::Retry => view! { {reason_line} }.into_any(),
                Primary::Wait => view! {
                    <div class="primary-row" data-action="wait">
                        <button type="button" data-testid="btn-wait" disabled aria-describedby="action-reason">
                            {move || crate::i18n::verdict_sentence(lang, &ats_name(), &crate::i18n::VerdictWords::Pending)}
                        </button>
                    </div>
                    {reason_line}
                }.into_any(),
                Primary::Merge | Primary::Choose => {
                    let merge = merge.clone();
                    let upload_button = upload_button.clone();
                    let chosen = selected_match();
                    let label = chosen.as_ref().map_or_else(
                        || t(lang, Text::MergeSelected).to_string(),
                        |m| merge_into(lang, &super::decision::match_name(m)),
                    );
                    let link = chosen.and_then(|m| m.candidate.ats_url);
                    view! {
                        <div class="primary-row" data-testid="primary-action" data-action=p.code()>
                            <button type="button" data-testid="btn-merge"
                                aria-busy=move || merging.get().to_string()
                                disabled=move || busy() || p == Primary::Choose
                                on:click=merge>
                                {move || if merging.get() { t(lang, Text::Merging).to_string() } else { label.clone() }}
                            </button>
                            {link.map(|href| view! {
                                <a class="button secondary" data-testid="open-in-ats" href=href target="_blank" rel="noopener noreferrer">{open_in(lang, &ats_name())}</a>
                            })}
                        </div>
                        {reason_line}
                        <div class="secondary-row">
                            {(verdict == Some(Verdict::Exact)).then(|| view! {
                                <button type="button" class="link" data-testid="btn-not-same"
                                    aria-expanded=move || confirming.get().to_string()
                                    on:click=move |_| confirming.update(|c| *c = !*c)>{t(lang, Text::NotSamePerson)}</button>
                            })}
                            {(verdict == Some(Verdict::Possible)).then(|| view! {
                                <button type="button" class="link" data-testid="btn-none-of-these"
                                    on:click=move |_| { selected.set(None); none_of_these.set(true); }>{t(lang, Text::NoneOfThese)}</button>
                            })}
                        </div>
                        {move || (confirming.get() && verdict == Some(Verdict::Exact)).then(|| {
                            let name = check.with(|c| match c {
                                Check::Answered(a) => super::decision::best_match(a).map(super::decision::match_name),
                                _ => None,
                            }).unwrap_or_default();
                            view! {
                                <div class="confirm" data-testid="confirm" role="group" aria-labelledby="confirm-text">
                                    <p id="confirm-text">{confirm_upload_over(lang, &ats_name(), &name)}</p>
                                    <div class="primary-row">
                                        {upload_button(t(lang, Text::UploadAnyway).to_string(), "secondary")}
                                        <button type="button" class="secondary" data-testid="btn-cancel"
                                            on:click=move |_| confirming.set(false)>{t(lang, Text::Cancel)}</button>
                                    </div>
                                </div>
                            }
                        })}
                    }.into_any()
                }
                Primary::Upload => view! {
                    <div class="primary-row" data-testid="primary-action" data-action="upload">
                        {upload_button(upload_to(lang, &ats_name()), "")}
                    </div>
                    {reason_line}
                }.into_any(),
            }
        }
    };

    let outcome_view = move || {
        outcome.get().map(|o| match o {
            Outcome::Uploaded { ats_url } | Outcome::Delivered { ats_url } => {
                let delivered = matches!(outcome.get_untracked(), Some(Outcome::Delivered { .. }));
                let title = if delivered { delivered_to(lang, &ats_name()) } else { uploaded_to(lang, &ats_name()) };
                view! {
                    <div class="outcome done" data-testid="upload-result" data-state="created">
                        <strong>{title}</strong>
                        {ats_url.map(|href| view! { " · " <a href=href target="_blank" rel="noopener noreferrer">{open_in(lang, &ats_name())}</a> })}
                    </div>
                }.into_any()
            }
            Outcome::Queued { .. } => view! {
                <div class="outcome queued" data-testid="upload-result" data-state="queued">
                    <strong>{t(lang, Text::QueuedShort)}</strong>
                </div>
            }.into_any(),
            Outcome::QueueFailed => view! {
                <div class="outcome failed" data-testid="upload-result" data-state="failed">
                    <strong>{t(lang, Text::QueueFailed)}</strong>
                </div>
            }.into_any(),
            Outcome::Merged { name, changes, kept_email, ats_url } => {
                let link_place = ats.with(|a| match a.capabilities {
                    Some(c) if c.link_update => LinkPlace::Record,
                    Some(c) if !c.notes => LinkPlace::Nowhere,
                    _ => LinkPlace::Note,
                });
                view! {
                <div class="outcome done" data-testid="merge-result">
                    <strong>{merged_into(lang, &name)}</strong>
                    {ats_url.map(|href| view! { " · " <a href=href target="_blank" rel="noopener noreferrer">{open_in(lang, &ats_name())}</a> })}
                    {if changes.is_empty() {
                        let words = if link_place == LinkPlace::Nowhere { Text::NothingWritable } else { Text::ChangedNothing };
                        view! { <p>{t(lang, words)}</p> }.into_any()
                    } else {
                        view! { <ul>{changes.into_iter().map(|c| view! { <li data-field=field_code(c.field)>{field_words(lang, c.field, link_place)} " · " {action_words(lang, c.action)}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    {kept_email.map(|(theirs, ours)| view! {
                        <p class="kept-email" data-testid="kept-email">{keeps_other_email(lang, &ats_name(), &theirs, &ours)}</p>
                    })}
                </div>
                }.into_any()
            }
        })
    };
    let finished = move || {
        outcome.with(|o| {
            o.as_ref()
                .is_some_and(|o| !matches!(o, Outcome::QueueFailed))
        })
    };

    view! {
        <section class="actions" data-testid="actions">
            // A stable live region: the outcome is announced, politely.
            <div class="outcome-area" role="status">{outcome_view}</div>
            <Show when=move || !finished()>
                {move || preview().filter(|_| the_primary() == Primary::Merge).map(|lines| view! {
                    <p class="preview" data-testid="merge-preview">
                        {t(lang, Text::MergePreviewTitle)} " "
                        {lines.into_iter().map(|(f, a)| format!("{} {}", t(lang, a), t(lang, f))).collect::<Vec<_>>().join(" · ")}
                    </p>
                })}
                {buttons.clone()}
                <div class="field job">
                    <label for="job">{t(lang, Text::Job)}
                        {move || ats.with(AtsInfo::job_required).then(|| view! { " " <span class="required">{t(lang, Text::Required)}</span> })}
                    </label>
                    <input type="search" id="job-filter" class="job-filter" data-testid="job-filter"
                        placeholder=job_filter_placeholder(lang) aria-label=job_filter_placeholder(lang)
                        on:input={
                            let filter_jobs = filter_jobs.clone();
                            move |ev| filter_jobs(event_target_value(&ev))
                        } />
                    <select id="job" data-testid="job" on:change=move |ev| job.set(event_target_value(&ev)) prop:value=move || job.get()
                        aria-required=move || ats.with(AtsInfo::job_required).to_string()>
                        // Where the ATS creates on a job only, "no job" is not a choice.
                        <option value="" disabled=move || ats.with(AtsInfo::job_required)>{t(lang, Text::NoJob)}</option>
                        {move || jobs.get().into_iter().map(|j| {
                            let label = match &j.location { Some(l) => format!("{} — {l}", j.title), None => j.title.clone() };
                            view! { <option value=j.id>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
        </section>
    }
}

/// The upload id of an upload the companion queued.
fn queued_id(answer: &UploadAnswer) -> Option<String> {
    answer
        .upload_id
        .clone()
        .filter(|_| answer.state == WorkState::Queued)
}

/// Asks the content script to click LinkedIn's own "Contact info" link
/// (only ever on the user's click here).
fn open_contact_info() {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &message,
        &"type".into(),
        &"sourcebar:open-contact-info".into(),
    );
    browser::send_to_extension(&message.into());
}

/// Polls a queued upload until it is delivered or refused (or the panel goes).
async fn follow_queued(api: Api, id: String, outcome: RwSignal<Option<Outcome>>) {
    for _ in 0..300 {
        sleep(2_000).await;
        if outcome.try_get().is_none() {
            return; // the panel is gone
        }
        match api.upload_status(&id).await {
            Ok(answer) if answer.state == WorkState::Created => {
                outcome.try_set(Some(Outcome::Delivered {
                    ats_url: answer.candidate.and_then(|c| c.ats_url),
                }));
                return;
            }
            Ok(answer) if answer.state == WorkState::Failed => {
                outcome.try_set(Some(Outcome::QueueFailed));
                return;
            }
            _ => {}
        }
    }
}

async fn sleep(ms: i32) {
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

/// A merged field's words; the LinkedIn URL says where it went (the
/// record's own link field where the ATS takes it, else the merge's note).
/// Where a merge puts a LinkedIn URL, as the provider's capabilities say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkPlace {
    /// The record's own link field.
    Record,
    /// The merge's note.
    Note,
    /// Neither exists in this ATS.
    Nowhere,
}

fn field_words(lang: Lang, field: MergedField, link_place: LinkPlace) -> &'static str {
    match field {
        MergedField::ProfileUrl => match link_place {
            LinkPlace::Record => t(lang, Text::FieldProfileUrlInRecord),
            LinkPlace::Note => t(lang, Text::FieldProfileUrl),
            LinkPlace::Nowhere => t(lang, Text::FieldProfileUrlNowhere),
        },
        MergedField::Note => t(lang, Text::FieldNote),
        MergedField::Job => t(lang, Text::FieldJob),
        MergedField::Email => t(lang, Text::FieldEmail),
        MergedField::FirstName => t(lang, Text::FirstName),
        MergedField::LastName => t(lang, Text::LastName),
    }
}

fn action_words(lang: Lang, action: ChangeAction) -> &'static str {
    match action {
        ChangeAction::Appended => t(lang, Text::Appended),
        ChangeAction::Added => t(lang, Text::Added),
        ChangeAction::Unchanged => t(lang, Text::Unchanged),
    }
}

/// The field's wire name, for `data-field` (tests read it).
fn field_code(field: MergedField) -> &'static str {
    match field {
        MergedField::FirstName => "first_name",
        MergedField::LastName => "last_name",
        MergedField::ProfileUrl => "profile_url",
        MergedField::Email => "email",
        MergedField::Note => "note",
        MergedField::Job => "job",
    }
}
