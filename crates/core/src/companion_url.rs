//! Which companion addresses the extension may send a token to.
//!
//! The token and every candidate's data travel to this address, so plain
//! `http://` is refused except on this computer's loopback (`localhost`,
//! `127.0.0.0/8`, `[::1]`), where nothing crosses a network. The check is
//! deliberately stricter than a browser's URL parser: any spelling it does not
//! recognise (percent-encoded hosts, numeric IPv4 forms, user names, `\`) is
//! refused rather than guessed at, so it can never let a remote host pass as
//! loopback.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a companion address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanionUrlError {
    /// Empty, or not an `http://`/`https://` address.
    NotHttp,
    /// Plain `http://` to a host other than this computer.
    InsecureRemote,
    /// Spaces, a user name, a query, a fragment, a bad port or host.
    Malformed,
}

impl CompanionUrlError {
    /// A stable code for the user interface's translated message.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            CompanionUrlError::NotHttp => "companion_url_not_http",
            CompanionUrlError::InsecureRemote => "companion_url_insecure",
            CompanionUrlError::Malformed => "companion_url_malformed",
        }
    }
}

/// Checks a companion address as typed or as stored, and tidies it: trimmed,
/// without trailing slashes (API paths are appended to it).
///
/// # Errors
/// [`CompanionUrlError`] says why the address is refused.
pub fn check_companion_url(raw: &str) -> Result<String, CompanionUrlError> {
    let url = raw.trim().trim_end_matches('/');
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(CompanionUrlError::NotHttp);
    };
    let refused = |c: char| c.is_whitespace() || c.is_control() || "\\?#@".contains(c);
    if rest.is_empty() || rest.chars().any(refused) {
        return Err(CompanionUrlError::Malformed);
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host = host_of(authority).ok_or(CompanionUrlError::Malformed)?;
    if !secure && !is_loopback(host) {
        return Err(CompanionUrlError::InsecureRemote);
    }
    Ok(url.to_string())
}

/// The host of `host[:port]` or `[v6][:port]`, when both parts are well formed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        inside.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (&authority[..inside.len() + 2], port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65_535).contains(&p));
        if !valid {
            return None;
        }
    }
    let name_ok = host.starts_with('[')
        || (!host.is_empty()
            && !host.starts_with('.')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.'));
    name_ok.then_some(host)
}

/// `localhost`, `127.0.0.0/8` in dotted form, `[::1]` or `[::ffff:127.x.y.z]`.
fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::{check_companion_url, CompanionUrlError};

    #[test]
    fn https_companions_are_accepted_and_tidied() {
        assert_eq!(
            check_companion_url(" https://sourcebar.example.com/ ").as_deref(),
            Ok("https://sourcebar.example.com")
        );
        assert_eq!(
            check_companion_url("https://acme.example:8443/sourcebar/").as_deref(),
            Ok("https://acme.example:8443/sourcebar")
        );
        assert!(check_companion_url("HTTPS://10.0.0.5").is_ok());
        assert!(check_companion_url("https://[2001:db8::1]:443").is_ok());
    }

    #[test]
    fn plain_http_is_accepted_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8787",
            "http://127.1.2.3",
            "http://localhost:3000/",
            "http://LOCALHOST",
            "http://[::1]:8787",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert!(check_companion_url(ok).is_ok(), "{ok}");
        }
        for remote in [
            "http://sourcebar.example.com",
            "http://10.0.0.5:8787",
            "http://192.168.1.10",
            "http://128.0.0.1",
            "http://[2001:db8::1]",
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
            "http://app.localhost",
            // Numeric spellings a browser would read as 127.0.0.1: refused, never guessed.
            "http://2130706433",
            "http://0x7f000001",
            "http://0177.0.0.1",
        ] {
            assert_eq!(
                check_companion_url(remote),
                Err(CompanionUrlError::InsecureRemote),
                "{remote}"
            );
        }
    }

    #[test]
    fn tricky_spellings_never_pass_as_loopback() {
        for bad in [
            "http://127.0.0.1@evil.example",
            "http://user:pw@127.0.0.1",
            "http://127.0.0.1\\@evil.example",
            "http://127.0.0.1:80@evil.example",
            "http://%31%32%37.0.0.1",
            "http://127.0.0.1:",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:8787?x=1",
            "http://127.0.0.1#frag",
            "http://[::1",
            "http://[::1]x",
            "http://127.0.0.1 .evil.example",
            "http://127.0.0.1\t.evil.example",
            "https://",
            "https:///path",
        ] {
            assert!(check_companion_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_companion_url("http://127.0.0.1@evil.example"),
            Err(CompanionUrlError::Malformed)
        );
    }

    #[test]
    fn other_schemes_are_refused() {
        for bad in [
            "",
            "ftp://x",
            "javascript:alert(1)",
            "127.0.0.1:8787",
            "ws://localhost",
        ] {
            assert_eq!(
                check_companion_url(bad),
                Err(CompanionUrlError::NotHttp),
                "{bad}"
            );
        }
    }
}
