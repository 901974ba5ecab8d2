//! A person, as every ATS has one: names, typed contacts and links, where
//! they are and work, and when the record was made and last changed.

use super::{Id, Timestamp};
use serde::Serialize;
use sourcebar_core::names::fold_name;

/// What an email address is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    Personal,
    Work,
    Other,
}

/// One email address of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email {
    pub address: String,
    pub kind: EmailKind,
}

/// One phone number of a person (kept as typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    pub number: String,
}

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    LinkedIn,
    Other,
}

/// One URL of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub url: String,
    pub kind: LinkKind,
}

/// A person (a JazzHR applicant, a Greenhouse candidate, a Lever contact).
/// One human may have several records; each is a `Person` here.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Given by the model when the person is added.
    pub id: Id,
    /// An id the person came with (a seed file's), which every dialect
    /// shows instead of its own rendering of `id`.
    pub given_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub links: Vec<Link>,
    /// Free text ("Lyon, France"); empty when unknown.
    pub location: String,
    pub company: String,
    pub title: String,
    /// Where the record came from ("Seed", a job board, ...).
    pub source: String,
    pub tags: Vec<String>,
    /// When the person applied or was added (JazzHR's `apply_date` is its day).
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Also considered for no job in particular, besides any applications
    /// (a Lever opportunity without a posting): set by a dialect whose ATS
    /// keeps such a candidacy apart from the person's applications.
    pub without_job: bool,
}

impl Person {
    /// A person with only a name, created now; the model gives the id.
    pub fn new(first_name: &str, last_name: &str) -> Self {
        let now = Timestamp::now();
        Person {
            id: Id::UNSET,
            given_id: None,
            first_name: first_name.into(),
            last_name: last_name.into(),
            emails: Vec::new(),
            phones: Vec::new(),
            links: Vec::new(),
            location: String::new(),
            company: String::new(),
            title: String::new(),
            source: String::new(),
            tags: Vec::new(),
            created_at: now.clone(),
            updated_at: now,
            without_job: false,
        }
    }

    /// Adds a personal email address (an empty one is not an address).
    #[must_use]
    pub fn with_email(mut self, address: &str) -> Self {
        if !address.is_empty() {
            self.emails.push(Email {
                address: address.into(),
                kind: EmailKind::Personal,
            });
        }
        self
    }

    /// Adds a phone number (none if empty).
    #[must_use]
    pub fn with_phone(mut self, number: &str) -> Self {
        if !number.is_empty() {
            self.phones.push(Phone {
                number: number.into(),
            });
        }
        self
    }

    /// Adds a link of this kind (none if empty).
    #[must_use]
    pub fn with_link(mut self, url: &str, kind: LinkKind) -> Self {
        if !url.is_empty() {
            self.links.push(Link {
                url: url.into(),
                kind,
            });
        }
        self
    }

    /// Sets when the person was created (and last changed).
    #[must_use]
    pub fn created(mut self, at: Timestamp) -> Self {
        self.created_at = at.clone();
        self.updated_at = at;
        self
    }

    /// The first email address, or `""`.
    pub fn email(&self) -> &str {
        self.emails.first().map_or("", |e| e.address.as_str())
    }

    /// The first phone number, or `""`.
    pub fn phone(&self) -> &str {
        self.phones.first().map_or("", |p| p.number.as_str())
    }

    /// The first LinkedIn URL, or `""`.
    pub fn linkedin_url(&self) -> &str {
        self.links
            .iter()
            .find(|l| l.kind == LinkKind::LinkedIn)
            .map_or("", |l| l.url.as_str())
    }

    /// A loose name match: every word of the query starts a word of the
    /// name, case and accents ignored ("Patricia" finds every Patricia).
    pub fn name_matches(&self, query: &str) -> bool {
        let name = fold_name(&format!("{} {}", self.first_name, self.last_name));
        let words: Vec<&str> = name.split(' ').collect();
        let query = fold_name(query);
        !query.is_empty()
            && query
                .split(' ')
                .all(|q| words.iter().any(|w| w.starts_with(q)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_match_is_loose_on_case_accents_and_word_starts() {
        let p = Person::new("Élodie", "van der Berg");
        assert!(p.name_matches("elodie"));
        assert!(p.name_matches("Elo Berg"));
        assert!(!p.name_matches("Elodie Smith"));
        assert!(!p.name_matches(""));
    }

    #[test]
    fn empty_contacts_are_not_kept_and_the_first_of_each_is_read() {
        let p = Person::new("A", "B")
            .with_email("")
            .with_email("a@b.example")
            .with_link("https://example.org/a", LinkKind::Other)
            .with_link("https://www.linkedin.com/in/a", LinkKind::LinkedIn)
            .with_phone("");
        assert_eq!(p.emails.len(), 1);
        assert_eq!(p.email(), "a@b.example");
        assert_eq!(p.linkedin_url(), "https://www.linkedin.com/in/a");
        assert_eq!(p.phone(), "");
    }
}
