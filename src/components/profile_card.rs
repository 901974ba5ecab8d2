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

    /// Whether an upload may be sent.
    pub fn is_valid(&self) -> bool {
        !self.first.with(|v| v.trim().is_empty())
            && !self.last.with(|v| v.trim().is_empty())
            && self.email.with(|v| is_valid_email(v))
    }
}

/// The person read from the page, with the fields an upload will use.
/// Everything from the page is rendered as text.
#[component]
pub fn ProfileCard(
    /// The person on screen.
    person: Arc<Extracted>,
    /// The editable fields.
    fields: FormFields,
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let p = &person.profile;
    let FormFields { first, last, email } = fields;

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
                Some(t(lang, Text::Required))
            } else if !is_valid_email(v) {
                Some(t(lang, Text::InvalidEmail))
            } else {
                None
            }
        })
    };

    let photo = p.photo_url.clone();
    let headline = p.headline.clone();
    let company = p.company.clone();
    let location = p.location.clone();
    let url = p.profile_url.clone().unwrap_or_default();

    view! {
        <article class="profile" aria-labelledby="profile-name">
            <header class="person">
                {photo.map(|src| view! {
                    <img class="photo" src=src alt="" referrerpolicy="no-referrer"
                        on:error=|ev| hide(&ev) />
                })}
                <div>
                    <h2 id="profile-name" data-testid="profile-name">{person.displayed_name.clone()}</h2>
                    <p class="headline" data-testid="profile-headline">{headline}</p>
                </div>
            </header>
            <dl class="facts">
                <dt>{t(lang, Text::Company)}</dt>
                <dd data-testid="profile-company">{company}</dd>
                <dt>{t(lang, Text::Location)}</dt>
                <dd data-testid="profile-location">{location}</dd>
                <dt>{t(lang, Text::ProfileLink)}</dt>
                <dd><a data-testid="profile-url" href=url.clone() target="_blank" rel="noopener noreferrer">{url.clone()}</a></dd>
            </dl>
            <form class="fields" on:submit=|ev| ev.prevent_default() novalidate>
                <Field id="field-first-name" label=t(lang, Text::FirstName) value=first error=Signal::derive(first_error) kind="text" autocomplete="given-name" />
                <Field id="field-last-name" label=t(lang, Text::LastName) value=last error=Signal::derive(last_error) kind="text" autocomplete="family-name" />
                <Field id="field-email" label=t(lang, Text::Email) value=email error=Signal::derive(email_error) kind="email" autocomplete="email" />
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
                required
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| {
                    touched.set(true);
                    value.set(event_target_value(&ev))
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
