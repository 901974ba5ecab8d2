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

/// The real adapters, each with its provider's capabilities changed by
/// `rules`: the same sandbox under another provider's declared rules.
struct WithRules(fn(Capabilities) -> Capabilities);

impl AtsConnector for WithRules {
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
        (self.0)(sourcebar_ats::capabilities(provider).unwrap_or_default())
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
            Arc::new(WithRules(|c| Capabilities { notes: false, ..c })),
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

both_backends!(
    an_upload_needs_a_job_only_where_the_provider_creates_on_a_job,
    |backend| async move {
        let db = TestDb::new(backend).await;
        let mut app = spawn_with_connector(
            &db.url,
            MasterKey::generate(),
            sandbox(0).await,
            fast_settings(),
            Arc::new(WithRules(|c| Capabilities {
                create_without_job: false,
                ..c
            })),
        )
        .await;
        let admin = app.create_team("acme").await;
        app.connect(&admin).await;
        let person = |job: Option<&str>| {
            json!({"profile": {"first_name": "Jo", "last_name": "Bloggs",
                "emails": ["jo.bloggs@example.org"]}, "job_id": job})
        };
        let asked = app.sandbox.state.stats.lock().unwrap().total;
        let (s, refused) = app.upload(&admin, person(None), "up-1").await;
        assert_eq!(
            (s, refused["error"]["code"].as_str()),
            (422, Some("invalid_request")),
            "{refused}"
        );
        assert!(refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("job"));
        assert_eq!(
            app.sandbox.state.stats.lock().unwrap().total,
            asked,
            "refused before any ATS call"
        );
        let (_, jobs) = app.call("GET", "/v1/jobs", Some(&admin), None).await;
        let job = jobs[0]["id"].as_str().unwrap().to_string();
        let (s, created) = app.upload(&admin, person(Some(&job)), "up-2").await;
        assert_eq!(s, 201, "{created}");
        let id = created["candidate"]["id"].as_str().unwrap();
        assert_eq!(app.sandbox.state.jobs_of(id), vec![job]);
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    a_lost_create_that_the_ats_cannot_look_for_is_never_sent_again_blind,
    |backend| async move {
        let db = TestDb::new(backend).await;
        let mut app = spawn_with_connector(
            &db.url,
            MasterKey::generate(),
            sandbox(0).await,
            fast_settings(),
            Arc::new(WithRules(|c| Capabilities {
                email_search: false,
                name_search: false,
                ..c
            })),
        )
        .await;
        let admin = app.create_team("acme").await;
        app.connect(&admin).await;
        app.sandbox.state.faults.lock().unwrap().push(fault(
            sourcebar_sandbox::FaultKind::DropAfterCommit,
            1.0,
            "/v1/applicants",
        ));
        let body = json!({"profile": {"first_name": "Lou", "last_name": "Lost",
            "emails": ["lou.lost@example.org"]}});
        let (s, queued) = app.upload(&admin, body, "lost-blind").await;
        assert_eq!(s, 202, "{queued}");
        app.sandbox.state.faults.lock().unwrap().clear();
        for _ in 0..5 {
            sourcebar_companion::app::delivery::deliver_queued(&app.state)
                .await
                .unwrap();
        }
        let id = queued["upload_id"].as_str().unwrap();
        let (_, status) = app
            .call("GET", &format!("/v1/uploads/{id}"), Some(&admin), None)
            .await;
        assert_eq!(status["state"], "failed", "{status}");
        assert!(
            status["last_error"]
                .as_str()
                .unwrap_or_default()
                .contains("look for them in the ATS"),
            "{status}"
        );
        let copies = app
            .sandbox
            .state
            .people()
            .iter()
            .filter(|p| p.email() == "lou.lost@example.org")
            .count();
        assert_eq!(copies, 1, "created once, by the first attempt, never again");
        drop(app);
        db.drop_db().await;
    }
);
