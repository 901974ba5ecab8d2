//! The person read from a profile page.

use serde::{Deserialize, Serialize};

/// A person as captured from a profile page (`Profile` in the API contract).
///
/// Every field is optional: pages differ, and each endpoint says what it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Given name(s), as the sidebar or the user settled them.
    pub first_name: Option<String>,
    /// Family name, particles included ("van der Berg").
    pub last_name: Option<String>,
    /// The name as displayed on the page, badges and credentials removed.
    pub full_name: Option<String>,
    /// The one-line headline under the name.
    pub headline: Option<String>,
    /// Location as displayed ("Lyon, Auvergne-Rhône-Alpes, France").
    pub location: Option<String>,
    /// Current company.
    pub company: Option<String>,
    /// Current job title.
    pub title: Option<String>,
    /// Canonical profile URL (`https://www.linkedin.com/in/<id>/`).
    pub profile_url: Option<String>,
    /// Profile photo URL, when the page shows one.
    pub photo_url: Option<String>,
    /// Emails visible in the contact-info overlay.
    pub emails: Vec<String>,
    /// Phones visible in the contact-info overlay.
    pub phones: Vec<String>,
    /// Where the profile was read ("linkedin").
    pub source: Option<String>,
}

impl Profile {
    /// The given and family names this profile stands for, the one rule
    /// every reader of a profile's name uses: both parts when the page or
    /// the user gave them, else the displayed full name split, else
    /// whichever part there is. `None` when it names nobody.
    pub fn name_parts(&self) -> Option<(String, String)> {
        let part = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_string();
        let (first, last) = (part(&self.first_name), part(&self.last_name));
        if !first.is_empty() && !last.is_empty() {
            return Some((first, last));
        }
        if let Some(full) = self.full_name.as_deref().filter(|f| !f.trim().is_empty()) {
            let split = crate::names::split_name(full);
            if !split.first.is_empty() || !split.last.is_empty() {
                return Some((split.first, split.last));
            }
        }
        (!first.is_empty() || !last.is_empty()).then_some((first, last))
    }

    /// The name as one line ("Jane van der Berg"), for a name search.
    pub fn display_name(&self) -> Option<String> {
        let (first, last) = self.name_parts()?;
        Some(format!("{first} {last}").trim().to_string())
    }
}

/// At most this many words in a given or a family name.
pub const MAX_NAME_WORDS: usize = 8;
/// At most this many emails, and this many phones.
pub const MAX_CONTACTS: usize = 10;

/// Longest accepted text per field, in characters.
const MAX_NAME_CHARS: usize = 100;
const MAX_FULL_NAME_CHARS: usize = 200;
const MAX_HEADLINE_CHARS: usize = 500;
const MAX_TEXT_CHARS: usize = 200;
const MAX_URL_CHARS: usize = 2048;
const MAX_EMAIL_CHARS: usize = 254;
const MAX_PHONE_CHARS: usize = 64;
const MAX_SOURCE_CHARS: usize = 64;

/// Why a [`Profile`] was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The field as the contract names it (`full_name`, `emails`).
    pub field: &'static str,
    /// What is wrong, in English.
    pub problem: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "profile.{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for ProfileError {}

impl Profile {
    /// Checks the size of every field, so one request cannot make matching
    /// or storage do unbounded work. Runs in time linear in the input and
    /// stops at the first problem.
    ///
    /// # Errors
    /// The first field that is too long or has too many words or entries.
    pub fn validate(&self) -> Result<(), ProfileError> {
        for (field, value, max) in [
            ("first_name", &self.first_name, MAX_NAME_CHARS),
            ("last_name", &self.last_name, MAX_NAME_CHARS),
            ("full_name", &self.full_name, MAX_FULL_NAME_CHARS),
            ("headline", &self.headline, MAX_HEADLINE_CHARS),
            ("location", &self.location, MAX_TEXT_CHARS),
            ("company", &self.company, MAX_TEXT_CHARS),
            ("title", &self.title, MAX_TEXT_CHARS),
            ("profile_url", &self.profile_url, MAX_URL_CHARS),
            ("photo_url", &self.photo_url, MAX_URL_CHARS),
            ("source", &self.source, MAX_SOURCE_CHARS),
        ] {
            if let Some(value) = value {
                at_most_chars(field, value, max)?;
            }
        }
        for (field, value) in [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
        ] {
            if let Some(value) = value {
                at_most_words(field, value)?;
            }
        }
        if let Some(full) = &self.full_name {
            let split = crate::names::split_name(full);
            at_most_words("full_name", &split.first)?;
            at_most_words("full_name", &split.last)?;
        }
        for (field, list, max) in [
            ("emails", &self.emails, MAX_EMAIL_CHARS),
            ("phones", &self.phones, MAX_PHONE_CHARS),
        ] {
            if list.len() > MAX_CONTACTS {
                return Err(ProfileError {
                    field,
                    problem: format!("at most {MAX_CONTACTS} entries"),
                });
            }
            for value in list {
                at_most_chars(field, value, max)?;
            }
        }
        Ok(())
    }
}

fn at_most_chars(field: &'static str, value: &str, max: usize) -> Result<(), ProfileError> {
    // `nth` stops after `max + 1` characters, whatever the length.
    if value.chars().nth(max).is_some() {
        return Err(ProfileError {
            field,
            problem: format!("at most {max} characters"),
        });
    }
    Ok(())
}

fn at_most_words(field: &'static str, value: &str) -> Result<(), ProfileError> {
    if value.split_whitespace().nth(MAX_NAME_WORDS).is_some() {
        return Err(ProfileError {
            field,
            problem: format!("at most {MAX_NAME_WORDS} words per name part"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(first: &str, last: &str) -> Profile {
        Profile {
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Profile::default()
        }
    }

    #[test]
    fn an_ordinary_profile_is_valid() {
        let mut p = named("Jean-Claude", "van der Berg");
        p.full_name = Some("Dr. Jean-Claude van der Berg, PhD (he/him)".into());
        p.emails = vec!["jc@example.org".into(); MAX_CONTACTS];
        p.phones = vec!["+33 6 12 34 56 78".into(); MAX_CONTACTS];
        p.headline = Some("Engineer ".repeat(50));
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn one_rule_reads_the_name_of_a_profile() {
        assert_eq!(
            named("Jane", "Doe").name_parts(),
            Some(("Jane".into(), "Doe".into()))
        );
        let full_only = Profile {
            full_name: Some("Jan van der Berg".into()),
            ..Profile::default()
        };
        assert_eq!(
            full_only.name_parts(),
            Some(("Jan".into(), "van der Berg".into()))
        );
        // A missing part: the displayed name knows better.
        let half = Profile {
            first_name: Some("Jan".into()),
            last_name: Some("  ".into()),
            full_name: Some("Jan van der Berg".into()),
            ..Profile::default()
        };
        assert_eq!(half.display_name().as_deref(), Some("Jan van der Berg"));
        assert_eq!(
            named("Cher", "").name_parts(),
            Some(("Cher".into(), String::new()))
        );
        assert_eq!(Profile::default().name_parts(), None);
        assert_eq!(named(" ", " ").display_name(), None);
    }

    #[test]
    fn validation_names_the_field_too_long_or_too_many_words() {
        let full = Profile {
            full_name: Some("word ".repeat(40_000)),
            ..Profile::default()
        };
        assert_eq!(full.validate().unwrap_err().field, "full_name");
        let words = Profile {
            full_name: Some("a b c d e f g h i j".into()),
            ..Profile::default()
        };
        let err = words.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile.full_name: at most 8 words per name part"
        );
        assert_eq!(
            named("a b c d e f g h i", "x")
                .validate()
                .unwrap_err()
                .field,
            "first_name"
        );
        assert_eq!(
            named("x", &"y".repeat(101)).validate().unwrap_err().field,
            "last_name"
        );
        assert_eq!(named("a b c d e f g h", "x").validate(), Ok(()));
    }

    #[test]
    fn validation_caps_emails_and_phones() {
        let mut p = named("Ann", "Lee");
        p.emails = vec!["a@b.c".into(); MAX_CONTACTS + 1];
        assert_eq!(p.validate().unwrap_err().field, "emails");
        p.emails.clear();
        p.phones = vec!["1".into(); MAX_CONTACTS + 1];
        assert_eq!(p.validate().unwrap_err().field, "phones");
        p.phones = vec!["1".repeat(65)];
        assert_eq!(p.validate().unwrap_err().field, "phones");
    }
}
