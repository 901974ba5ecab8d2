//! "3 days ago", "last week", "il y a 3 jours": a moment said relative to
//! now, in English and French, the way `Intl.RelativeTimeFormat` with
//! `numeric: "auto"` words it, without depending on the browser's data.

use crate::i18n::Lang;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 365 * DAY;

/// The unit a span is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// A span of `seconds` in the past, in words ("just now", "5 minutes ago",
/// "yesterday", "last week", "3 months ago"). A moment in the future (a
/// clock a little ahead) reads as "just now".
pub fn ago(lang: Lang, seconds: i64) -> String {
    let s = seconds.max(0);
    let (n, unit) = if s < 45 {
        return match lang {
            Lang::En => "just now".into(),
            Lang::Fr => "à l’instant".into(),
        };
    } else if s < 45 * MINUTE {
        (((s + MINUTE / 2) / MINUTE).max(1), Unit::Minute)
    } else if s < 22 * HOUR {
        (((s + HOUR / 2) / HOUR).max(1), Unit::Hour)
    } else if s < 6 * DAY + DAY / 2 {
        (((s + DAY / 2) / DAY).max(1), Unit::Day)
    } else if s < 4 * WEEK {
        (((s + WEEK / 2) / WEEK).max(1), Unit::Week)
    } else if s < 11 * MONTH {
        (((s + MONTH / 2) / MONTH).max(1), Unit::Month)
    } else {
        (((s + YEAR / 2) / YEAR).max(1), Unit::Year)
    };
    words(lang, n, unit)
}

fn words(lang: Lang, n: i64, unit: Unit) -> String {
    match (lang, n, unit) {
        (Lang::En, 1, Unit::Day) => "yesterday".into(),
        (Lang::En, 1, Unit::Week) => "last week".into(),
        (Lang::En, 1, Unit::Month) => "last month".into(),
        (Lang::En, 1, Unit::Year) => "last year".into(),
        (Lang::Fr, 1, Unit::Day) => "hier".into(),
        (Lang::Fr, 2, Unit::Day) => "avant-hier".into(),
        (Lang::Fr, 1, Unit::Week) => "la semaine dernière".into(),
        (Lang::Fr, 1, Unit::Month) => "le mois dernier".into(),
        (Lang::Fr, 1, Unit::Year) => "l’année dernière".into(),
        (Lang::En, n, unit) => {
            let word = match unit {
                Unit::Minute => "minute",
                Unit::Hour => "hour",
                Unit::Day => "day",
                Unit::Week => "week",
                Unit::Month => "month",
                Unit::Year => "year",
            };
            let plural = if n == 1 { "" } else { "s" };
            format!("{n} {word}{plural} ago")
        }
        (Lang::Fr, n, unit) => {
            let (one, many) = match unit {
                Unit::Minute => ("minute", "minutes"),
                Unit::Hour => ("heure", "heures"),
                Unit::Day => ("jour", "jours"),
                Unit::Week => ("semaine", "semaines"),
                Unit::Month => ("mois", "mois"),
                Unit::Year => ("an", "ans"),
            };
            format!("il y a {n}\u{a0}{}", if n == 1 { one } else { many })
        }
    }
}

/// How long ago an RFC 3339 moment was, from `now_ms` (ms since the epoch),
/// in words; `None` when the text is no date.
pub fn since(lang: Lang, rfc3339: &str, now_ms: f64) -> Option<String> {
    let at = js_sys::Date::parse(rfc3339);
    if at.is_nan() {
        return None;
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a difference of two dates in seconds fits an i64"
    )]
    let seconds = ((now_ms - at) / 1000.0).round() as i64;
    Some(ago(lang, seconds))
}

/// [`since`] from the browser's clock.
pub fn since_now(lang: Lang, rfc3339: &str) -> Option<String> {
    since(lang, rfc3339, js_sys::Date::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn spans_read_like_a_person_would_say_them_in_english() {
        for (seconds, said) in [
            (-30, "just now"),
            (10, "just now"),
            (60, "1 minute ago"),
            (5 * MINUTE, "5 minutes ago"),
            (HOUR, "1 hour ago"),
            (3 * HOUR, "3 hours ago"),
            (DAY, "yesterday"),
            (3 * DAY, "3 days ago"),
            (8 * DAY, "last week"),
            (16 * DAY, "2 weeks ago"),
            (40 * DAY, "last month"),
            (100 * DAY, "3 months ago"),
            (400 * DAY, "last year"),
            (3 * YEAR, "3 years ago"),
        ] {
            assert_eq!(ago(Lang::En, seconds), said, "{seconds}s");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn spans_read_like_a_person_would_say_them_in_french() {
        for (seconds, said) in [
            (5, "à l’instant"),
            (5 * MINUTE, "il y a 5\u{a0}minutes"),
            (HOUR, "il y a 1\u{a0}heure"),
            (DAY, "hier"),
            (2 * DAY, "avant-hier"),
            (3 * DAY, "il y a 3\u{a0}jours"),
            (9 * DAY, "la semaine dernière"),
            (100 * DAY, "il y a 3\u{a0}mois"),
            (2 * YEAR, "il y a 2\u{a0}ans"),
        ] {
            assert_eq!(ago(Lang::Fr, seconds), said, "{seconds}s");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_date_is_read_from_rfc3339_and_garbage_is_none() {
        let now = js_sys::Date::parse("2026-12-07T12:00:00Z");
        assert_eq!(
            since(Lang::En, "2026-12-04T12:00:00Z", now).as_deref(),
            Some("3 days ago")
        );
        assert_eq!(
            since(Lang::Fr, "2026-11-30T09:00:00+00:00", now).as_deref(),
            Some("la semaine dernière")
        );
        assert_eq!(since(Lang::En, "not a date", now), None);
    }
}
