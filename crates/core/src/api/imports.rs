//! Bulk imports (`/v1/imports…`, API.md 1.1): what is sent and answered.

use crate::import::RowError;
use crate::matching::DedupeMatch;
use crate::Profile;
use serde::{Deserialize, Serialize};

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// Rows are being checked against the mirror.
    Checking,
    /// Every row is checked; nothing is being uploaded.
    Ready,
    /// Rows chosen for upload or merge are being sent.
    Uploading,
    /// Every chosen row is sent (or failed).
    Done,
    /// The import could not be checked.
    Failed,
}

impl ImportState {
    /// The stored and wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::Checking => "checking",
            ImportState::Ready => "ready",
            ImportState::Uploading => "uploading",
            ImportState::Done => "done",
            ImportState::Failed => "failed",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<ImportState> {
        [
            ImportState::Checking,
            ImportState::Ready,
            ImportState::Uploading,
            ImportState::Done,
            ImportState::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// What the check found for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowVerdict {
    Exact,
    Possible,
    None,
    /// The row could not be read as a person.
    Invalid,
}

impl RowVerdict {
    /// The stored and wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            RowVerdict::Exact => "exact",
            RowVerdict::Possible => "possible",
            RowVerdict::None => "none",
            RowVerdict::Invalid => "invalid",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<RowVerdict> {
        [
            RowVerdict::Exact,
            RowVerdict::Possible,
            RowVerdict::None,
            RowVerdict::Invalid,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// What was done with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    /// Nothing chosen yet.
    Pending,
    /// Chosen for upload or merge, not sent yet.
    Chosen,
    /// Saved in the upload queue; delivered when the ATS answers.
    Queued,
    Created,
    Merged,
    /// The ATS refused it; it can be chosen again.
    Failed,
    /// The same person as an earlier row of the import, which is sent instead.
    Skipped,
}

impl RowState {
    /// The stored and wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Pending => "pending",
            RowState::Chosen => "chosen",
            RowState::Queued => "queued",
            RowState::Created => "created",
            RowState::Merged => "merged",
            RowState::Failed => "failed",
            RowState::Skipped => "skipped",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<RowState> {
        [
            RowState::Pending,
            RowState::Chosen,
            RowState::Queued,
            RowState::Created,
            RowState::Merged,
            RowState::Failed,
            RowState::Skipped,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// `201` answer of `POST /v1/imports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCreated {
    pub id: String,
    pub state: ImportState,
    /// Rows read (invalid ones included).
    pub rows: u64,
}

/// How many rows of an import are where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub exact: u64,
    pub possible: u64,
    pub none: u64,
    pub invalid: u64,
    pub created: u64,
    pub merged: u64,
    pub failed: u64,
    /// Chosen or in the queue, not delivered yet.
    #[serde(default)]
    pub waiting: u64,
    /// Duplicates of an earlier row of the same import.
    #[serde(default)]
    pub duplicates: u64,
}

/// `GET /v1/imports/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportView {
    pub id: String,
    pub state: ImportState,
    pub rows: u64,
    pub checked: u64,
    pub counts: ImportCounts,
    /// The files' names (or "pasted URLs").
    #[serde(default)]
    pub files: Vec<String>,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub created_at: String,
}

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowSource {
    /// The file's name (or "pasted URLs").
    pub file: String,
    /// Its line in that file (1-based).
    pub line: u64,
    /// The cells as read, keyed by their header (or the pasted entry under "url").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub cells: Vec<(String, String)>,
}

/// One row of `GET /v1/imports/{id}/rows`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowView {
    /// 1-based across the import's files.
    pub row: u64,
    pub source: RowSource,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub profile: Option<Profile>,
    /// `None` until checked.
    pub verdict: Option<RowVerdict>,
    pub matches: Vec<DedupeMatch>,
    pub error: Option<RowError>,
    pub state: RowState,
    /// The earlier row of this import that is the same person.
    #[serde(default)]
    pub duplicate_of: Option<u64>,
    /// The ATS record created or merged into.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// Its entry in the upload queue (`GET /v1/uploads/{id}`).
    #[serde(default)]
    pub upload_id: Option<String>,
    /// Why the last attempt failed.
    #[serde(default)]
    pub last_error: Option<String>,
}

/// `POST /v1/imports` with pasted URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PastedImport {
    pub urls: String,
}

/// `POST /v1/imports/{id}/upload`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportUpload {
    /// These rows (new or possible ones, each an explicit choice)...
    #[serde(default)]
    pub rows: Vec<u64>,
    /// ...or every row checked `none` (duplicates within the file once).
    #[serde(default)]
    pub all_new: bool,
    #[serde(default)]
    pub job_id: Option<String>,
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// One row to merge into a record it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowMerge {
    pub row: u64,
    pub ats_id: String,
}

/// `POST /v1/imports/{id}/merge`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportMerge {
    pub rows: Vec<RowMerge>,
    #[serde(default)]
    pub job_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_verdicts_read_back_from_their_text() {
        for s in ["checking", "ready", "uploading", "done", "failed"] {
            assert_eq!(ImportState::parse(s).unwrap().as_str(), s);
        }
        for s in ["exact", "possible", "none", "invalid"] {
            assert_eq!(RowVerdict::parse(s).unwrap().as_str(), s);
        }
        for s in [
            "pending", "chosen", "queued", "created", "merged", "failed", "skipped",
        ] {
            assert_eq!(RowState::parse(s).unwrap().as_str(), s);
        }
    }
}
