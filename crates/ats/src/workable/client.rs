//! Workable's dialect of HTTP: an account token as `Authorization: Bearer`,
//! errors as `{"error": "…"}` told by their status (a 403 is a missing
//! scope, named by the call), and the API root on the account's own host.
//! Everything else (retries, limits, reach) is the shared [`crate::http`].

pub use crate::http::segment;
use crate::http::{Auth, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::{ApiKey, AtsError};
use std::sync::Arc;

/// An HTTP client speaking Workable's dialect at `base`.
pub fn client(
    base: &str,
    key: ApiKey,
    budget: Arc<RateBudget>,
    reach: Reach,
) -> Result<HttpClient, AtsError> {
    HttpClient::new(base, Auth::bearer(), key, budget, reach)
}

/// The account's subdomain as an admin may type it: `acme`,
/// `acme.workable.com` or `https://acme.workable.com/…` all give `acme`.
/// `None` for anything that cannot be a host label.
pub fn subdomain(raw: &str) -> Option<String> {
    let raw = raw.trim().to_ascii_lowercase();
    let host = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .unwrap_or(&raw);
    let host = host.split('/').next().unwrap_or_default();
    let label = host.strip_suffix(".workable.com").unwrap_or(host);
    let valid = !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    valid.then(|| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subdomain_is_read_from_what_an_admin_pastes() {
        for typed in [
            "acme",
            " Acme ",
            "acme.workable.com",
            "https://acme.workable.com/backend",
        ] {
            assert_eq!(subdomain(typed).as_deref(), Some("acme"), "{typed}");
        }
        for bad in [
            "",
            "a b",
            "acme.evil.com",
            "-acme",
            "acme.workable.com.evil.com",
            "ac_me",
        ] {
            assert_eq!(subdomain(bad), None, "{bad}");
        }
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(segment("2727baa2"), "2727baa2");
        assert_eq!(segment("a/b?c"), "a%2Fb%3Fc");
    }
}
