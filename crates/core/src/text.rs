//! Short free-text fields typed by people (a connection's name, a provider's
//! name, a member's name): invisible characters removed and a length cap,
//! before they are stored, shown to teammates or sent to an ATS.
//!
//! Control characters (C0, DEL, C1) can break log lines and exports, and the
//! bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
//! marks (U+200E, U+200F) can make a name read differently from what it is
//! ("Trojan Source" spoofing). Self-contained: no other module depends on it.

/// Whether `c` is dropped from a text field.
#[must_use]
pub fn is_stripped(c: char) -> bool {
    c.is_control() // C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `input` without control and bidi-formatting characters, its runs of
/// whitespace folded to one space, trimmed. Tabs and line breaks become a
/// space rather than gluing two words together.
#[must_use]
pub fn clean_line(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_stripped(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// A text field that failed its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// Nothing is left once cleaned (and the field is required).
    Empty,
    /// More than the cap, counted in characters after cleaning.
    TooLong { max: usize },
}

/// Cleans `input` and checks it has 1 to `max` characters.
///
/// # Errors
/// [`TextError::Empty`] when nothing visible is left, [`TextError::TooLong`]
/// past `max` characters.
pub fn bounded_line(input: &str, max: usize) -> Result<String, TextError> {
    let cleaned = clean_line(input);
    if cleaned.is_empty() {
        Err(TextError::Empty)
    } else if cleaned.chars().count() > max {
        Err(TextError::TooLong { max })
    } else {
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bidi_overrides_isolates_and_marks() {
        let spoof = "Acme\u{202E}gpj.exe\u{202C} \u{2066}x\u{2069}\u{200E}\u{200F}";
        assert_eq!(clean_line(spoof), "Acmegpj.exe x");
        for c in ['\u{202A}', '\u{202B}', '\u{202D}', '\u{2067}', '\u{2068}'] {
            assert_eq!(clean_line(&format!("a{c}b")), "ab", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn strips_c0_del_and_c1_controls() {
        // NEL (U+0085) is a line break: it folds to a space like the others.
        assert_eq!(
            clean_line("a\u{0}b\u{1b}[31mc\u{7f}d\u{85}e\u{9f}f\u{80}"),
            "ab[31mcd ef"
        );
    }

    #[test]
    fn folds_whitespace_and_line_breaks() {
        assert_eq!(clean_line("  Jane \t\r\n  Doe  "), "Jane Doe");
        assert_eq!(clean_line("\n\n"), "");
    }

    #[test]
    fn keeps_letters_of_every_script() {
        assert_eq!(clean_line("Zoë Ünal — 山田 \u{200F}"), "Zoë Ünal — 山田");
        assert_eq!(clean_line("مرحبا"), "مرحبا");
    }

    #[test]
    fn bounded_line_caps_after_cleaning() {
        assert_eq!(bounded_line(" ok ", 2), Ok("ok".to_string()));
        assert_eq!(bounded_line("\u{202E}\u{200F} ", 10), Err(TextError::Empty));
        assert_eq!(bounded_line("abc", 2), Err(TextError::TooLong { max: 2 }));
        // Counted in characters, not bytes.
        assert_eq!(bounded_line("éééé", 4), Ok("éééé".to_string()));
        // Stripped characters do not count toward the cap.
        assert_eq!(
            bounded_line("a\u{202E}\u{202E}\u{202E}b", 2),
            Ok("ab".to_string())
        );
    }
}
