//! Email addresses: validation for forms, normalisation for matching.

/// An email address, trimmed and lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses a plausible address (`local@domain.tld`).
    pub fn parse(s: &str) -> Option<Self> {
        normalize_email(s).map(Email)
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key two addresses of one mailbox share (see [`canonical_email_for_matching`]).
    pub fn matching_key(&self) -> String {
        canonical_email_for_matching(&self.0).unwrap_or_else(|| self.0.clone())
    }
}

/// Whether a form's email field holds a plausible address.
pub fn is_valid_email(s: &str) -> bool {
    normalize_email(s).is_some()
}

/// Trimmed and lowercased, or `None` when it is not a plausible address:
/// one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn normalize_email(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches("mailto:").to_lowercase();
    let (local, domain) = s.split_once('@')?;
    let plausible = !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 253
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
    plausible.then_some(s)
}

/// The form under which two addresses of the same mailbox compare equal:
/// `+tags` dropped from the local part, and for Gmail dots too.
pub fn canonical_email_for_matching(s: &str) -> Option<String> {
    let email = normalize_email(s)?;
    let (local, domain) = email.split_once('@')?;
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let local = if domain == "gmail.com" {
        local.replace('.', "")
    } else {
        local.to_string()
    };
    if local.is_empty() {
        return Some(email);
    }
    Some(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_accept_plausible_addresses_only() {
        assert!(is_valid_email("jane.doe@example.com"));
        assert!(is_valid_email("  Jane.Doe+jobs@Example.co.uk "));
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "ja ne@example.com",
            "a@b@c.com",
            "jane@.com",
            "<a>@x.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn one_mailbox_one_key() {
        let key = canonical_email_for_matching;
        assert_eq!(
            key("J.Doe+ats@GoogleMail.com"),
            Some("jdoe@gmail.com".into())
        );
        assert_eq!(key("jdoe@gmail.com"), key("j.d.o.e@gmail.com"));
        assert_eq!(key("Jane.Doe+x@acme.io"), Some("jane.doe@acme.io".into()));
        assert_ne!(key("jane.doe@acme.io"), key("janedoe@acme.io"));
        assert_eq!(Email::parse("mailto:A@B.fr").unwrap().as_str(), "a@b.fr");
    }
}
