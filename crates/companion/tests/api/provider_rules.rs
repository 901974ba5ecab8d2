//! Generic code follows each provider's declared capabilities, never its
//! name: the same JazzHR sandbox, with the rules another provider declares.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;
use sourcebar_ats::net::Reach;
use sourcebar_ats::{AccountAddress, ApiKey, Ats, AtsError, ProviderId, RateBudget};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::state::{AtsConnector, RealAts};
use sourcebar_core::api::sourcing::{ChangeAction, MergeAnswer, MergedField};
use sourcebar_core::providers::Capabilities;
use std::sync::Arc;

/// The real adapters, each declaring that its ATS takes no notes.
struct WithoutNotes;

impl AtsConnector for WithoutNotes {
    fn connect(
        &self,
        provider: ProviderId,
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Arc<dyn Ats>, AtsError> {
        RealAts.connect(provider, address, key, budget, reach)
    }

    fn capabilities(&self, provider: ProviderId) -> Capabilities {
        Capabilities {
            notes: false,
            ..sourcebar_ats::capabilities(provider).unwrap_or_default()
        }
    }
}

both_backends!(
    a_merge_writes_a_note_only_where_the_provider_takes_notes,
    |backend| async move {
        let db = TestDb::new(backend).await;
        let mut app = spawn_with_connector(
            &db.url,
            MasterKey::generate(),
            sandbox(0).await,
            fast_settings(),
            Arc::new(WithoutNotes),
        )
        .await;
        let admin = app.create_team("acme").await;
        app.connect(&admin).await;
        let (s, created) = app
            .upload(
                &admin,
                json!({"profile": {"first_name": "Jane", "last_name": "Doe",
                    "emails": ["jane.doe@example.org"]}}),
                "up-1",
            )
            .await;
        assert_eq!(s, 201, "{created}");
        let id = created["candidate"]["id"].as_str().unwrap().to_string();
        let notes_before = app.sandbox.state.notes().len();

        let (s, merged) = app
            .call_with(
                "POST",
                &format!("/v1/candidates/{id}/merge"),
                Some(&admin),
                Some(json!({"profile": {"first_name": "Jane", "last_name": "Doe",
                    "profile_url": "https://www.linkedin.com/in/jane-doe",
                    "headline": "CTO at Nova"}})),
                Some("merge-1"),
            )
            .await;
        assert_eq!(s, 200, "{merged}");
        let merged: MergeAnswer = serde_json::from_value(merged).unwrap();
        assert_eq!(
            app.sandbox.state.notes().len(),
            notes_before,
            "no note was written"
        );
        assert!(
            !merged.changes.iter().any(|c| c.field == MergedField::Note),
            "{:?}",
            merged.changes
        );
        let url = merged
            .changes
            .iter()
            .find(|c| c.field == MergedField::ProfileUrl)
            .unwrap();
        assert_eq!(url.action, ChangeAction::Unchanged, "nowhere to append it");
        assert_eq!(merged.candidate.profile_url, None);
        db.drop_db().await;
    }
);
