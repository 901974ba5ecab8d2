//! A connection's `base_url`, checked before the companion ever calls it.
//!
//! The companion calls `base_url` with the team's key from inside its own
//! network, so an admin (or a stolen admin token) could aim it at internal
//! services: a cloud metadata endpoint, a database's HTTP port, a router. A
//! URL is refused unless it is plain `http(s)://host[:port][/path]` and every
//! address its host stands for is public. The host is read by the `url`
//! crate, which turns every spelling of an address (`0x7f000001`,
//! `2130706433`, `127.1`, `[::ffff:127.0.0.1]`) into the address itself, and
//! names are checked after DNS resolution.
//!
//! `allow_private_base_urls` lifts the address check (not the shape check)
//! for the tests' and the demo's loopback sandboxes. The same rule holds at
//! every call afterwards: the ATS client resolves names through a resolver
//! that drops non-public addresses (`sourcebar_ats::net`), so a name that is
//! re-pointed at a private address after this check is refused too.

use crate::error::{AppError, AppResult};
use sourcebar_ats::net::is_public;
use std::net::IpAddr;
use url::{Host, Url};

/// The checked URL, normalised (no trailing slash), or a 422 saying why not.
///
/// # Errors
/// `invalid_request` for a URL that is not plain http(s), carries
/// credentials, a query or a fragment, or whose host is (or resolves to) an
/// address outside public space while `allow_private` is off.
pub async fn check(raw: &str, allow_private: bool) -> AppResult<String> {
    let url = parse(raw)?;
    if !allow_private {
        for ip in addresses(&url).await? {
            if !is_public(ip) {
                return Err(AppError::invalid(
                    "base_url must point at a public address, not loopback, private, link-local or unspecified space.",
                ));
            }
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The shape checks, without any lookup.
///
/// # Errors
/// `invalid_request` naming what is wrong.
pub fn parse(raw: &str) -> AppResult<Url> {
    let url =
        Url::parse(raw.trim()).map_err(|_| AppError::invalid("base_url is not a valid URL."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::invalid("base_url must be an http(s) URL."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::invalid("base_url must not carry credentials."));
    }
    if url.query().is_some() {
        return Err(AppError::invalid("base_url must not have a query string."));
    }
    if url.fragment().is_some() {
        return Err(AppError::invalid("base_url must not have a fragment."));
    }
    if url.host().is_none() {
        return Err(AppError::invalid("base_url must name a host."));
    }
    Ok(url)
}

/// Every address the URL's host stands for.
async fn addresses(url: &Url) -> AppResult<Vec<IpAddr>> {
    let port = url.port_or_known_default().unwrap_or(443);
    match url.host() {
        Some(Host::Ipv4(ip)) => Ok(vec![IpAddr::V4(ip)]),
        Some(Host::Ipv6(ip)) => Ok(vec![IpAddr::V6(ip)]),
        Some(Host::Domain(name)) => {
            let found: Vec<IpAddr> = tokio::net::lookup_host((name, port))
                .await
                .map_err(|_| AppError::invalid("base_url's host could not be resolved."))?
                .map(|addr| addr.ip())
                .collect();
            if found.is_empty() {
                return Err(AppError::invalid("base_url's host could not be resolved."));
            }
            Ok(found)
        }
        None => Err(AppError::invalid("base_url must name a host.")),
    }
}
