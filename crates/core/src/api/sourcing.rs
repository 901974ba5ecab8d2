//! What sourcers send and get back: jobs, upload, merge and an upload's
//! state. (Dedupe's shapes live beside the matching that fills them, in
//! [`crate::matching`].)

use crate::{Candidate, Profile};
use serde::{Deserialize, Serialize};

/// A captured profile sent to a connection, with an optional job: the body
/// of both `POST /v1/candidates` (upload) and
/// `POST /v1/candidates/{ats_id}/merge`, which take the same fields. The
/// OpenAPI document names it `UploadRequest` and, for the merge route,
/// `MergeRequest`, as it always has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = UploadRequest))]
pub struct ProfileSubmission {
    /// The connection to write to; the team's default when absent.
    #[serde(default)]
    pub connection_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub profile: Profile,
    /// A job to add the candidate to (open, non-confidential).
    #[serde(default)]
    pub job_id: Option<String>,
}

/// `POST /v1/candidates` body.
pub type UploadRequest = ProfileSubmission;
/// `POST /v1/candidates/{ats_id}/merge` body.
pub type MergeRequest = ProfileSubmission;

/// An open job (`GET /v1/jobs`), confidential ones never listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    /// The ATS's own word for it (`Open`).
    #[serde(default)]
    pub status: String,
}

/// Where an upload or a merge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkState {
    /// Saved by the companion; delivered when the ATS answers again.
    Queued,
    /// An upload reached the ATS.
    Created,
    /// A merge reached the ATS.
    Merged,
    /// The ATS refused it for good.
    Failed,
}

impl WorkState {
    /// The `snake_case` name used on the wire (and in the companion's store).
    pub const fn as_str(self) -> &'static str {
        match self {
            WorkState::Queued => "queued",
            WorkState::Created => "created",
            WorkState::Merged => "merged",
            WorkState::Failed => "failed",
        }
    }

    /// The state named `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        [
            WorkState::Queued,
            WorkState::Created,
            WorkState::Merged,
            WorkState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// What `POST /v1/candidates` answers: `201` with the created candidate, or
/// `202` with the queued upload's id (the ATS was down, or an earlier call
/// with the same key has not finished).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadAnswer {
    pub state: WorkState,
    /// Follow it with `GET /v1/uploads/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    /// Present once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<Candidate>,
}

/// Which kind of work an upload row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    Upload,
    Merge,
}

/// `GET /v1/uploads/{id}`: an upload's (or a merge's) state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    pub upload_id: String,
    pub kind: WorkKind,
    pub state: WorkState,
    /// The candidate, once created (from the companion's mirror).
    #[serde(default)]
    pub candidate: Option<Candidate>,
    /// Delivery attempts so far.
    #[serde(default)]
    pub attempts: i64,
    #[serde(default)]
    pub last_error: Option<String>,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub updated_at: String,
}

/// A field a merge reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MergedField {
    FirstName,
    LastName,
    ProfileUrl,
    Email,
    /// The note that records what was captured.
    Note,
    /// The job the candidate was added to.
    Job,
}

/// What a merge did to one field: it fills and appends, never overwrites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// Was empty, now set (or: the candidate was added to the job).
    Added,
    /// Written beside what the ATS holds (in a note or a link list).
    Appended,
    /// Left as the ATS holds it.
    Unchanged,
}

/// One change a merge made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub field: MergedField,
    pub action: ChangeAction,
}

impl Change {
    /// `action` done to `field`.
    pub const fn new(field: MergedField, action: ChangeAction) -> Self {
        Change { field, action }
    }
}

/// What `POST /v1/candidates/{ats_id}/merge` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeAnswer {
    /// The record as it stands after the merge.
    pub candidate: Candidate,
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn upload_and_merge_bodies_read_the_fields_the_contract_names() {
        let body: ProfileSubmission = serde_json::from_value(json!({
            "profile": {"first_name": "Jane", "emails": ["jane@example.org"]},
            "job_id": "job_1"
        }))
        .unwrap();
        assert_eq!(body.connection_id, None);
        assert_eq!(body.job_id.as_deref(), Some("job_1"));
        assert_eq!(body.profile.first_name.as_deref(), Some("Jane"));
    }

    #[test]
    fn a_queued_upload_answers_its_id_and_state_only() {
        let queued = UploadAnswer {
            state: WorkState::Queued,
            upload_id: Some("u1".into()),
            candidate: None,
        };
        assert_eq!(
            serde_json::to_value(&queued).unwrap(),
            json!({"state": "queued", "upload_id": "u1"})
        );
    }

    #[test]
    fn a_merge_answer_spells_fields_and_actions_as_the_contract_does() {
        let answer = MergeAnswer {
            candidate: Candidate::default(),
            changes: vec![
                Change::new(MergedField::ProfileUrl, ChangeAction::Appended),
                Change::new(MergedField::Job, ChangeAction::Added),
            ],
            upload_id: None,
        };
        let wire = serde_json::to_value(&answer).unwrap();
        assert_eq!(
            wire["changes"],
            json!([{"field": "profile_url", "action": "appended"}, {"field": "job", "action": "added"}])
        );
        assert!(wire.get("upload_id").is_none());
        assert_eq!(serde_json::from_value::<MergeAnswer>(wire).unwrap(), answer);
    }

    #[test]
    fn work_states_read_back_from_their_stored_names() {
        for s in [
            WorkState::Queued,
            WorkState::Created,
            WorkState::Merged,
            WorkState::Failed,
        ] {
            assert_eq!(WorkState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        }
        assert_eq!(WorkState::parse("delivering"), None);
    }
}
