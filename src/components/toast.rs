use crate::i18n::{connected_body, error_text, t, Lang, Text};
use crate::problem::Problem;
use leptos::prelude::*;

/// What a toast says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToastMsg {
    /// A problem, translated.
    Error(Problem),
    /// A success: a title and a sentence from the table.
    Success(Text, Text),
    /// An ATS (named by its provider) was connected or relinked.
    Connected(String),
}

/// The current toast.
#[derive(Debug, Clone, Copy)]
pub struct Toaster(pub RwSignal<Option<ToastMsg>>);

impl Toaster {
    /// Shows the toast for a problem.
    pub fn show(&self, problem: Problem) {
        self.0.set(Some(ToastMsg::Error(problem)));
    }

    /// Shows a success toast.
    pub fn success(&self, title: Text, body: Text) {
        self.0.set(Some(ToastMsg::Success(title, body)));
    }

    /// Shows any toast.
    pub fn say(&self, msg: ToastMsg) {
        self.0.set(Some(msg));
    }
}

/// The toast, translated.
#[component]
pub fn Toast(
    /// The language to speak.
    lang: Lang,
) -> impl IntoView {
    let Toaster(current) = expect_context::<Toaster>();
    move || {
        current.get().map(|msg| {
            // Errors interrupt; a success is announced politely.
            let role = match &msg {
                ToastMsg::Error(_) => "alert",
                ToastMsg::Success(..) | ToastMsg::Connected(_) => "status",
            };
            let (kind, code, title, body) = match &msg {
                ToastMsg::Error(problem) => {
                    let (title, body) = error_text(lang, *problem);
                    ("error", problem.code(), title, body.to_string())
                }
                ToastMsg::Success(title, body) => ("success", "ok", t(lang, *title), t(lang, *body).to_string()),
                ToastMsg::Connected(provider) => ("success", "ok", t(lang, Text::ConnectedTitle), connected_body(lang, provider)),
            };
            view! {
                <div class=format!("toast {kind}") role=role data-testid="toast" data-code=code>
                    <span><strong>{title}</strong>" — "{body}</span>
                    <button type="button" class="icon dismiss" aria-label=t(lang, Text::Dismiss) on:click=move |_| current.set(None)>"×"</button>
                </div>
            }
        })
    }
}
