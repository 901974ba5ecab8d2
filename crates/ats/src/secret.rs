//! The ATS API key, kept out of logs and debug output.

use std::fmt;

/// An ATS API key. `Debug` and `Display` print `[redacted]`; the only way to
/// read it is [`ApiKey::expose`], called where the outbound request is built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key as typed by an admin (surrounding whitespace removed).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into().trim().to_owned())
    }

    /// The key itself: only for building the request to the ATS or encrypting it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::ApiKey;

    #[test]
    fn never_prints_the_key() {
        let key = ApiKey::new("  sk_live_abc123 ");
        assert_eq!(format!("{key:?} {key}"), "[redacted] [redacted]");
        assert_eq!(key.expose(), "sk_live_abc123");
    }
}
