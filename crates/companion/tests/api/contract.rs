//! Every answer the sidebar and the options page read parses into the core's
//! contract types: the companion and its clients share one definition.

use crate::both_backends;
use crate::helpers::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sourcebar_core::api::connections::{ConnectionView, SyncStatus};
use sourcebar_core::api::people::{Me, Member, OpenInvite};
use sourcebar_core::api::sourcing::{
    ChangeAction, Job, MergeAnswer, MergedField, UploadAnswer, UploadStatus, WorkKind, WorkState,
};
use sourcebar_core::providers::ProviderInfo;
use sourcebar_core::{ErrorBody, ErrorCode};

fn parse<T: DeserializeOwned>(what: &str, value: Value) -> T {
    let text = value.to_string();
    serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("{what} does not parse as the contract type: {e}: {text}"))
}

both_backends!(
    every_answer_of_the_sourcing_path_reads_as_the_contract_types,
    |backend| async move {
        let (app, db) = spawn_app(backend, 5).await;
        let admin = app.admin_token.clone();
        let conn = app.connect(&admin).await;
        app.sync_fully().await;

        let (_, me) = app.call("GET", "/v1/me", Some(&admin), None).await;
        let me: Me = parse("/v1/me", me);
        assert_eq!(me.role, "admin");

        let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        let list: Vec<ConnectionView> = parse("/v1/connections", list);
        assert_eq!(
            (list[0].id.as_str(), list[0].status.as_str()),
            (conn.as_str(), "connected")
        );
        let (_, sync) = app
            .call(
                "GET",
                &format!("/v1/connections/{conn}/sync"),
                Some(&admin),
                None,
            )
            .await;
        assert!(parse::<SyncStatus>("sync", sync).complete);
        let (_, providers) = app.call("GET", "/v1/providers", Some(&admin), None).await;
        let _: Vec<ProviderInfo> = parse("/v1/providers", providers);
        let (_, jobs) = app.call("GET", "/v1/jobs", Some(&admin), None).await;
        let jobs: Vec<Job> = parse("/v1/jobs", jobs);
        assert!(!jobs.is_empty());

        let jane = json!({"profile": {"first_name": "Jane", "last_name": "Doe",
            "emails": ["jane.doe@example.org"],
            "profile_url": "https://www.linkedin.com/in/jane-doe"}});
        let (s, created) = app.upload(&admin, jane.clone(), "up-1").await;
        assert_eq!(s, 201);
        let created: UploadAnswer = parse("upload", created);
        assert_eq!(created.state, WorkState::Created);
        let candidate = created
            .candidate
            .expect("a created upload has its candidate");
        let upload_id = created.upload_id.expect("an upload has an id");
        let (_, status) = app
            .call(
                "GET",
                &format!("/v1/uploads/{upload_id}"),
                Some(&admin),
                None,
            )
            .await;
        let status: UploadStatus = parse("upload status", status);
        assert_eq!(
            (status.kind, status.state),
            (WorkKind::Upload, WorkState::Created)
        );

        let (s, merged) = app
            .call_with(
                "POST",
                &format!("/v1/candidates/{}/merge", candidate.id),
                Some(&admin),
                Some(jane),
                Some("merge-1"),
            )
            .await;
        assert_eq!(s, 200, "{merged}");
        let merged: MergeAnswer = parse("merge", merged);
        assert!(merged
            .changes
            .iter()
            .any(|c| c.field == MergedField::Note && c.action == ChangeAction::Appended));

        let (_, members) = app.call("GET", "/v1/members", Some(&admin), None).await;
        assert_eq!(parse::<Vec<Member>>("members", members).len(), 1);
        let (s, _) = app
            .call(
                "POST",
                "/v1/invites",
                Some(&admin),
                Some(json!({"role": "member"})),
            )
            .await;
        assert_eq!(s, 201);
        let (_, invites) = app.call("GET", "/v1/invites", Some(&admin), None).await;
        assert_eq!(parse::<Vec<OpenInvite>>("invites", invites).len(), 1);
        let (_, audit) = app.call("GET", "/v1/audit", Some(&admin), None).await;
        let audit: Vec<sourcebar_core::api::audit::AuditEntry> = parse("audit", audit);
        assert!(audit.iter().any(
            |e| e.action == "merge" && e.candidate_id.as_deref() == Some(candidate.id.as_str())
        ));

        let (s, refused) = app.call("GET", "/v1/me", Some("not-a-token"), None).await;
        assert_eq!(s, 401);
        assert_eq!(
            parse::<ErrorBody>("error", refused).error.code,
            ErrorCode::Unauthorized
        );
        db.drop_db().await;
    }
);
