//! LinkedIn profile URLs: one canonical form whatever the page's variant.

use std::fmt::Write as _;

/// The lowercased public identifier of a LinkedIn profile URL: `jane-doe` for
/// `https://fr.linkedin.com/in/Jane-Doe/overlay/contact-info/?x=1#top`.
///
/// Any subdomain, scheme or none, sub-routes, a locale suffix, query and
/// fragment are ignored; percent-escapes are decoded. `None` when the URL is
/// not a LinkedIn profile.
pub fn linkedin_public_id(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))
        .unwrap_or(url);
    let (host, path) = rest.split_once('/')?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    if host != "linkedin.com" && !host.ends_with(".linkedin.com") {
        return None;
    }
    let path = path.split(['?', '#']).next()?;
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    if segments.next()? != "in" {
        return None;
    }
    let id = percent_decode(segments.next()?)?.trim().to_lowercase();
    let valid = !id.is_empty()
        && id.chars().count() <= 100
        && !id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/?#<>\"'".contains(c));
    valid.then_some(id)
}

/// `https://www.linkedin.com/in/<id>/` for any LinkedIn profile URL.
pub fn canonical_linkedin_url(url: &str) -> Option<String> {
    linkedin_public_id(url)
        .map(|id| format!("https://www.linkedin.com/in/{}/", percent_encode(&id)))
}

/// A LinkedIn profile URL in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProfileUrl {
    id: String,
}

impl ProfileUrl {
    /// Parses any variant of a profile URL.
    pub fn parse(url: &str) -> Option<Self> {
        linkedin_public_id(url).map(|id| ProfileUrl { id })
    }

    /// The lowercased public identifier.
    pub fn public_id(&self) -> &str {
        &self.id
    }

    /// The canonical URL.
    pub fn as_url(&self) -> String {
        format!("https://www.linkedin.com/in/{}/", percent_encode(&self.id))
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes what is not an unreserved URL character (RFC 3986), so ids with
/// accents print as LinkedIn prints them.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_one_canonical_form() {
        let want = Some("https://www.linkedin.com/in/jane-doe/".to_string());
        for url in [
            "https://www.linkedin.com/in/jane-doe/",
            "https://www.linkedin.com/in/jane-doe",
            "http://linkedin.com/in/Jane-Doe",
            "https://fr.linkedin.com/in/jane-doe/fr",
            "https://m.linkedin.com/in/jane-doe/?originalSubdomain=fr",
            "https://www.linkedin.com/in/jane-doe/overlay/contact-info/",
            "https://www.linkedin.com/in/jane-doe/details/experience/?foo=bar#x",
            "www.linkedin.com/in/jane-doe",
            "  https://de.linkedin.com/in/jane-doe?trk=public_profile  ",
            "https://www.linkedin.com:443/in/jane-doe/",
        ] {
            assert_eq!(canonical_linkedin_url(url), want, "{url}");
        }
    }

    #[test]
    fn percent_escapes_are_decoded_and_reencoded() {
        let id = linkedin_public_id("https://www.linkedin.com/in/fran%C3%A7ois-dupont-4b1a/");
        assert_eq!(id.as_deref(), Some("françois-dupont-4b1a"));
        assert_eq!(
            canonical_linkedin_url("https://fr.linkedin.com/in/François-Dupont-4b1a"),
            Some("https://www.linkedin.com/in/fran%C3%A7ois-dupont-4b1a/".into())
        );
    }

    #[test]
    fn other_urls_are_not_profiles() {
        for url in [
            "https://www.linkedin.com/feed/",
            "https://www.linkedin.com/company/acme/",
            "https://www.linkedin.com/in/",
            "https://evil.com/in/jane-doe",
            "https://linkedin.com.evil.com/in/jane-doe",
            "https://www.linkedin.com/in/%ZZ",
            "not a url",
        ] {
            assert_eq!(linkedin_public_id(url), None, "{url}");
        }
    }
}
