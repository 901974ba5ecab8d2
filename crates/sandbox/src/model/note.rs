//! What is written or attached to a person: notes and files.

use super::{Id, Timestamp};
use serde::Serialize;

/// Who wrote a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// A user of the account.
    User(Id),
    /// An author the account does not know, kept as the client named it
    /// (JazzHR accepts `usr_anonymous`).
    Unknown(String),
}

/// Who may read a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Everyone,
    /// Admins (or the author) only.
    Restricted,
}

/// A note on a person.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: Id,
    pub person: Id,
    pub author: Author,
    pub body: String,
    pub visibility: Visibility,
    pub created_at: Timestamp,
}

/// A file attached to a person (a resume, a cover letter).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: Id,
    pub person: Id,
    pub filename: String,
    /// In bytes.
    pub size: usize,
    pub created_at: Timestamp,
}
