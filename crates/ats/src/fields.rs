//! Reading text out of an ATS's JSON: the one place that decides what a
//! blank or a numeric field reads as, for every adapter.

use serde_json::Value;

/// `field`'s text, trimmed; a number reads as its digits (ids and codes that
/// some ATSs send either way); blank or absent is `None`.
pub(crate) fn text_or_number(value: &Value, field: &str) -> Option<String> {
    match value.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `field`'s text, trimmed, where the ATS documents a string; blank,
/// absent or another type is `None`.
pub(crate) fn string(value: &Value, field: &str) -> Option<String> {
    string_in(value.get(field))
}

/// The string at a JSON `pointer` (`/a/b`), trimmed; as [`string`].
pub(crate) fn string_at(value: &Value, pointer: &str) -> Option<String> {
    string_in(value.pointer(pointer))
}

fn string_in(found: Option<&Value>) -> Option<String> {
    found
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blanks_are_none_numbers_only_where_asked() {
        let v = json!({"a": "  x ", "b": "  ", "n": 42, "o": {"p": " y"}});
        assert_eq!(text_or_number(&v, "a").as_deref(), Some("x"));
        assert_eq!(text_or_number(&v, "n").as_deref(), Some("42"));
        assert_eq!(text_or_number(&v, "b"), None);
        assert_eq!(string(&v, "n"), None);
        assert_eq!(string(&v, "a").as_deref(), Some("x"));
        assert_eq!(string_at(&v, "/o/p").as_deref(), Some("y"));
        assert_eq!(string_at(&v, "/o/q"), None);
    }
}
