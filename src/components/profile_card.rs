use super::decision::AtsInfo;
use crate::extract::Extracted;
use crate::i18n::{t, Lang, Text};
use leptos::prelude::*;
use sourcebar_core::email::is_valid_email;
use std::sync::Arc;

/// The fields an upload uses: they start from the page, the user's edits win.
#[derive(Debug, Clone, Copy)]
pub struct FormFields {
    pub first: RwSignal<String>,
    pub last: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl FormFields {
    /// Fields pre-filled from the page.
    pub fn from_page(person: &Extracted) -> Self {
        let p = &person.profile;
        FormFields {
            first: RwSignal::new(p.first_name.clone().unwrap_or_default()),
            last: RwSignal::new(p.last_name.clone().unwrap_or_default()),
            email: RwSignal::new(p.emails.first().cloned().unwrap_or_default()),
        }
    }
}

/// The person read from the page as a compact read-only summary, with an
/// edit control. Only a missing required field shows as an input (the email
/// only where an upload is the way on); empty rows are hidden. Everything from the page is rendered as text.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn ProfileCard(
    /// The person on screen.
    person: Arc<Extracted>,
    /// The editable fields.
    fields: FormFields,
    /// The language to speak.
    lang: Lang,
    /// The team's ATS (whether it requires an email).
    #[prop(optional, into)]
    ats: Option<Signal<AtsInfo>>,
    /// Whether an upload is the way on (the verdict's action); a missing
    /// required email is asked for only then. Unset: always.
    #[prop(optional, into)]
    upload_next: Option<Signal<bool>>,
) -> impl IntoView {
    let p = &person.profile;
    let FormFields { first, last, email } = fields;
    let editing = RwSignal::new(false);
    let email_required = move || ats.is_none_or(|a| a.with(AtsInfo::email_required));

    // Which inputs show is decided by what the page gave, not by what is
    // being typed: an input never vanishes under the user's fingers.
    let first_missing = first.with_untracked(|v| v.trim().is_empty());
    let last_missing = last.with_untracked(|v| v.trim().is_empty());
    let email_missing = email.with_untracked(|v| v.trim().is_empty());
    let show_first = move || editing.get() || first_missing;
    let show_last = move || editing.get() || last_missing;
    let upload_next = move || upload_next.is_none_or(|u| u.get());
    let show_email = move || editing.get() || (email_missing && email_required() && upload_next());

    let first_error = move || {
        first
            .with(|v| v.trim().is_empty())
            .then(|| t(lang, Text::Required))
    };
    let last_error = move || {
        last.with(|v| v.trim().is_empty())
            .then(|| t(lang, Text::Required))
    };
    let email_error = move || {
        email.with(|v| {
            if v.trim().is_empty() {
                email_required().then(|| t(lang, Text::Required))
            } else if !is_valid_email(v) {
                Some(t(lang, Text::InvalidEmail))
            } else {
                None
            }
        })
    };

    let photo = p.photo_url.clone();
    let headline = p.headline.clone().filter(|h| !h.trim().is_empty());
    let company = p.company.clone().filter(|c| !c.trim().is_empty());
    let location = p.location.clone().filter(|l| !l.trim().is_empty());
    let url = p.profile_url.clone().filter(|u| !u.trim().is_empty());
    let email_row = move || Some(email.get()).filter(|e| !e.trim().is_empty() && !show_email());

    view! {
        <article class="profile" aria-labelledby="profile-name">
            <header class="person">
                {photo.map(|src| view! {
                    <img class="photo" src=src alt="" referrerpolicy="no-referrer"
                        on:error=|ev| hide(&ev) />
                })}
                <div class="who">
                    <h2 id="profile-name" data-testid="profile-name">{person.displayed_name.clone()}</h2>
                    {headline.map(|h| view! { <p class="headline" data-testid="profile-headline">{h}</p> })}
                </div>
                <button type="button" class="link edit" data-testid="btn-edit"
                    aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || if editing.get() { t(lang, Text::DoneEditing) } else { t(lang, Text::Edit) }}
                </button>
            </header>
            <dl class="facts">
                {company.map(|c| view! { <dt>{t(lang, Text::Company)}</dt><dd data-testid="profile-company">{c}</dd> })}
                {location.map(|l| view! { <dt>{t(lang, Text::Location)}</dt><dd data-testid="profile-location">{l}</dd> })}
                {move || email_row().map(|e| view! { <dt>{t(lang, Text::Email)}</dt><dd data-testid="profile-email">{e}</dd> })}
                {url.map(|u| view! {
                    <dt>{t(lang, Text::ProfileLink)}</dt>
                    <dd><a data-testid="profile-url" href=u.clone() target="_blank" rel="noopener noreferrer">{u.clone()}</a></dd>
                })}
            </dl>
            <form class="fields" on:submit=|ev| ev.prevent_default() novalidate>
                <Show when=show_first>
                    <Field id="field-first-name" label=t(lang, Text::FirstName) value=first error=Signal::derive(first_error) kind="text" autocomplete="given-name" />
                </Show>
                <Show when=show_last>
                    <Field id="field-last-name" label=t(lang, Text::LastName) value=last error=Signal::derive(last_error) kind="text" autocomplete="family-name" />
                </Show>
                <Show when=show_email>
                    <Field id="field-email" label=t(lang, Text::Email) value=email error=Signal::derive(email_error) kind="email" autocomplete="email" />
                </Show>
            </form>
        </article>
    }
}

/// A labelled input with its inline error.
#[component]
fn Field(
    /// The element id, also its `data-testid`.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The message under the field, if any.
    error: Signal<Option<&'static str>>,
    /// The input type.
    kind: &'static str,
    /// The autocomplete hint.
    autocomplete: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    // Say what is wrong once the user has worked on the field, not on arrival.
    let touched = RwSignal::new(false);
    let shown = move || error.get().filter(|_| touched.get());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                data-testid=id
                type=kind
                autocomplete=autocomplete
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| {
                    touched.set(true);
                    value.set(event_target_value(&ev));
                }
                on:blur=move |_| touched.set(true)
            />
            <span class="error" id=error_id aria-live="polite">{shown}</span>
        </div>
    }
}

/// Hides an image that failed to load rather than showing a broken icon.
fn hide(ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    if let Some(img) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = img.style().set_property("display", "none");
    }
}
