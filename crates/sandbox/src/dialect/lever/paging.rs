//! Lever's list envelope `{"data": [...], "hasNext": bool, "next": "…"}`,
//! paged by `limit` (1–100) and an opaque `offset` token taken from `next`.
//! Here a token names the last row served (keyset paging), so rows added
//! during a walk never shift it; clients must not read anything into it.

use base64::Engine as _;
use serde_json::{json, Value};

/// Rows per page when the client gives no `limit`, and the most it may ask.
pub const MAX_LIMIT: usize = 100;

/// A page request, read from the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    pub limit: usize,
    /// Serve rows whose position is above this one.
    pub after: Option<u64>,
}

impl PageQuery {
    /// From `limit` and `offset`; `Err` carries Lever's message.
    pub fn parse(limit: Option<&str>, offset: Option<&str>) -> Result<Self, &'static str> {
        let limit = match limit {
            None => MAX_LIMIT,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => return Err("limit must be an integer between 1 and 100"),
            },
        };
        let after = match offset.filter(|o| !o.is_empty()) {
            None => None,
            Some(token) => Some(read_token(token).ok_or("Invalid offset token")?),
        };
        Ok(PageQuery { limit, after })
    }

    /// One page of `rows` (each with its position, ascending) as Lever's envelope.
    pub fn envelope(&self, rows: impl IntoIterator<Item = (u64, Value)>) -> Value {
        let mut rest = rows
            .into_iter()
            .filter(|(pos, _)| self.after.is_none_or(|a| *pos > a));
        let page: Vec<(u64, Value)> = rest.by_ref().take(self.limit).collect();
        let has_next = rest.next().is_some();
        let data: Vec<&Value> = page.iter().map(|(_, v)| v).collect();
        match page.last() {
            Some((last, _)) if has_next => {
                json!({"data": data, "hasNext": true, "next": write_token(*last)})
            }
            _ => json!({"data": data, "hasNext": false}),
        }
    }
}

fn write_token(position: u64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("sb1:{position}"))
}

fn read_token(token: &str) -> Option<u64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("sb1:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_opaque_tokens_to_the_end() {
        let rows = || (1..=5u64).map(|i| (i * 10, json!(i)));
        let first = PageQuery::parse(Some("2"), None).unwrap().envelope(rows());
        assert_eq!(first["data"], json!([1, 2]));
        assert_eq!(first["hasNext"], true);
        let token = first["next"].as_str().unwrap();
        assert!(token.parse::<u64>().is_err(), "not a plain number");
        let second = PageQuery::parse(Some("2"), Some(token))
            .unwrap()
            .envelope(rows());
        assert_eq!(second["data"], json!([3, 4]));
        let third = PageQuery::parse(Some("2"), second["next"].as_str())
            .unwrap()
            .envelope(rows());
        assert_eq!(third["data"], json!([5]));
        assert_eq!(third["hasNext"], false);
        assert!(third.get("next").is_none());
    }

    #[test]
    fn bad_limits_and_foreign_tokens_are_refused() {
        assert!(PageQuery::parse(Some("0"), None).is_err());
        assert!(PageQuery::parse(Some("101"), None).is_err());
        assert!(PageQuery::parse(Some("x"), None).is_err());
        assert!(PageQuery::parse(None, Some("2")).is_err());
        assert_eq!(PageQuery::parse(None, None).unwrap().limit, 100);
    }
}
