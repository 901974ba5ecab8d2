//! Where the next page is, for ATSs that say it in a `Link` header
//! (RFC 8288: `<https://…?page=2>; rel="next"`), as Greenhouse does.

use reqwest::header::{HeaderMap, LINK};

/// The `rel="next"` target of the answer's `Link` header(s).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let is_next = params.split(';').any(|p| {
                let (name, value) = p.split_once('=').unwrap_or((p, ""));
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn link(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(LINK, HeaderValue::from_str(value).unwrap());
        map
    }

    #[test]
    fn finds_next_among_other_relations() {
        let h = link(
            r#"<https://harvest.greenhouse.io/v1/candidates?page=2&per_page=100>; rel="next", <https://harvest.greenhouse.io/v1/candidates?page=9&per_page=100>; rel="last""#,
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://harvest.greenhouse.io/v1/candidates?page=2&per_page=100")
        );
    }

    #[test]
    fn the_last_page_has_no_next() {
        let h = link(
            r#"<https://x.test/a?page=1>; rel="prev", <https://x.test/a?page=1>; rel="first""#,
        );
        assert_eq!(next_link(&h), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn unquoted_and_multiple_relations_are_read() {
        assert_eq!(
            next_link(&link("<https://x.test/b>; rel=next")).as_deref(),
            Some("https://x.test/b")
        );
        assert_eq!(
            next_link(&link(r#"<https://x.test/c>; title="p"; rel="last next""#)).as_deref(),
            Some("https://x.test/c")
        );
    }
}
