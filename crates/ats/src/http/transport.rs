//! The reqwest client under every adapter: short connect timeout, no
//! redirects, and (for `Reach::PublicOnly`) no private address, however the
//! host name resolves.

use crate::net::{is_public, PublicOnlyResolver, Reach};
use crate::AtsError;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// A client for `base` that connects only where `reach` allows.
pub(super) fn client(base: &str, reach: Reach) -> Result<reqwest::Client, AtsError> {
    check_address_literal(base, reach)?;
    let builder = reqwest::Client::builder();
    let builder = match reach {
        Reach::PublicOnly => builder.dns_resolver(Arc::new(PublicOnlyResolver)),
        Reach::Any => builder,
    };
    builder
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .user_agent(concat!("sourcebar/", env!("CARGO_PKG_VERSION")))
        // A redirect would re-send the request, key and body included, to
        // wherever the answer points: follow none, and call it an error.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AtsError::Unreachable(e.to_string()))
}

/// An address literal never meets the resolver: under `Reach::PublicOnly`,
/// refuse a private one here. `url` has already turned every spelling of an
/// address into its plain form (IPv6 in brackets).
pub(super) fn check_address_literal(address: &str, reach: Reach) -> Result<(), AtsError> {
    if reach == Reach::Any {
        return Ok(());
    }
    let url = reqwest::Url::parse(address)
        .map_err(|_| AtsError::Unreachable("invalid base URL".into()))?;
    let literal = url.host_str().and_then(|h| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .ok()
    });
    if literal.is_some_and(|ip| !is_public(ip)) {
        return Err(AtsError::Unreachable(
            "the ATS address is not a public address".into(),
        ));
    }
    Ok(())
}
