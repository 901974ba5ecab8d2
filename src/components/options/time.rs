//! Dates in the page's language: "3 min ago" / "il y a 3 min" through the
//! browser's `Intl.RelativeTimeFormat`, and the exact time for the hover
//! through `Intl.DateTimeFormat`.

use crate::i18n::Lang;
use js_sys::{Array, Date, Intl, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

fn locales(lang: Lang) -> Array {
    Array::of1(&JsValue::from_str(lang.tag()))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// Milliseconds since the epoch of an RFC 3339 time; `None` if unreadable.
fn millis(rfc3339: &str) -> Option<f64> {
    let t = Date::new(&JsValue::from_str(rfc3339)).get_time();
    (!t.is_nan()).then_some(t)
}

/// How long ago (or how far ahead) `rfc3339` is, in words.
pub fn relative(lang: Lang, rfc3339: &str) -> String {
    let Some(t) = millis(rfc3339) else {
        return rfc3339.to_string();
    };
    let seconds = (t - Date::now()) / 1000.0;
    let (value, unit) = [
        (60.0, 1.0, "second"),
        (3600.0, 60.0, "minute"),
        (86_400.0, 3600.0, "hour"),
        (7.0 * 86_400.0, 86_400.0, "day"),
        (30.0 * 86_400.0, 7.0 * 86_400.0, "week"),
        (365.0 * 86_400.0, 30.0 * 86_400.0, "month"),
    ]
    .iter()
    .find(|(limit, _, _)| seconds.abs() < *limit)
    .map_or((seconds / (365.0 * 86_400.0), "year"), |(_, per, unit)| {
        (seconds / per, *unit)
    });
    // Under a minute reads as "now"; "auto" also gives "yesterday", "last week".
    let value = if unit == "second" { 0.0 } else { value.round() };
    let format = Intl::RelativeTimeFormat::new(
        &locales(lang),
        &options(&[("numeric", "auto"), ("style", "long")]),
    );
    String::from(format.format(value, unit))
}

/// The exact date and time, for a `title`.
pub fn exact(lang: Lang, rfc3339: &str) -> String {
    let Some(t) = millis(rfc3339) else {
        return rfc3339.to_string();
    };
    let date = Date::new(&JsValue::from_f64(t));
    String::from(date.to_locale_string(
        lang.tag(),
        &JsValue::from(options(&[("dateStyle", "long"), ("timeStyle", "short")])),
    ))
}

/// A `<time>` that says how long ago, with the exact time on hover.
#[allow(
    clippy::needless_pass_by_value,
    reason = "Leptos builds a props struct that owns each prop"
)]
#[component]
pub fn When(
    /// The language to speak.
    lang: Lang,
    /// RFC 3339.
    at: String,
) -> impl IntoView {
    view! {
        <time datetime=at.clone() title=exact(lang, &at) data-testid="when">{relative(lang, &at)}</time>
    }
}
