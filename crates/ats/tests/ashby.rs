//! The Ashby adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget, SyncCursor,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::model::{LinkKind, Person};
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("ashby").unwrap(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

/// What `/_sandbox/info` says a connection needs.
async fn info(sb: &SandboxHandle) -> (String, ConnectionSettings) {
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "ashby");
    (
        info["base_url"].as_str().unwrap().to_string(),
        serde_json::from_value(info["settings"].clone()).unwrap(),
    )
}

async fn adapter_with(sb: &SandboxHandle, key: &str) -> Arc<dyn Ats> {
    let (base, settings) = info(sb).await;
    connect_with_budget(
        ProviderId::Ashby,
        AccountAddress {
            base_url: Some(&base),
            settings: &settings,
        },
        ApiKey::new(key),
        Arc::new(RateBudget::new(10_000, Duration::from_secs(1))),
    )
    .unwrap()
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, "sandbox-key").await
}

fn fault(kind: FaultKind, probability: f64, path: Option<&str>) -> Fault {
    Fault {
        method: None,
        kind,
        probability,
        path_prefix: path.map(str::to_string),
        latency_ms: None,
    }
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Walks a listing to its end; the ids it gave.
async fn walk(ats: &dyn Ats, listing: Listing) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = ats
        .list_page(PageStart::Begin(listing), Priority::Background)
        .await
        .unwrap();
    loop {
        assert!(page
            .records
            .iter()
            .all(|r| matches!(r, Listed::Complete(_))));
        ids.extend(page.records.iter().map(|r| r.id().to_string()));
        let Some(next) = page.next else { return ids };
        page = ats
            .list_page(PageStart::Resume(&next), Priority::Background)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_wrong_key_and_a_missing_permission_are_told_apart() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    // Ashby answers both with 403: the body's code tells them apart.
    let refused = adapter_with(&sb, "wrong").await.validate_key().await;
    assert!(matches!(refused, Err(AtsError::InvalidKey)), "{refused:?}");
    sb.state.revoke_permission("jobsRead");
    let refused = adapter(&sb).await.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission("jobsRead"))),
        "{refused:?}"
    );
    sb.state.revoke_permission("candidatesRead");
    let refused = adapter(&sb).await.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission("candidatesRead"))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_listing_pages_by_cursor_then_follows_changes_by_its_sync_token() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 250,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    assert_eq!(first.records.len(), 100);
    let cursor = first.next.clone().expect("250 people make three pages");
    // Another server resumes from the stored cursor.
    let second = adapter(&sb)
        .await
        .list_page(PageStart::Resume(&cursor), Priority::Background)
        .await
        .unwrap();
    assert_eq!(second.records.len(), 100);
    assert!(matches!(
        ats.list_page(
            PageStart::Resume(&SyncCursor("page=2".into())),
            Priority::Background
        )
        .await,
        Err(AtsError::Malformed(_))
    ));
    let mut all = walk(&*ats, Listing::Full).await;
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 250, "every record once");

    // The full walk left a sync token: only what changed since comes next.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let newcomer = sb
        .state
        .add_person(Person::new("Nadia", "Newcomer").with_email("nadia@x.io"));
    let changed = walk(&*ats, Listing::ChangedSince(now_ms())).await;
    assert_eq!(changed, vec![newcomer.clone()]);
    // Too many changes for Ashby's incremental sync: the listing starts
    // again in full, and nothing is missed.
    for i in 0..=sourcebar_sandbox::dialect::ashby::INCREMENTAL_CAP {
        sb.state
            .add_person(Person::new("Many", &format!("Changes{i}")));
    }
    let everything = walk(&*ats, Listing::ChangedSince(now_ms())).await;
    assert_eq!(everything.len(), sb.state.people().len());
}

#[tokio::test]
async fn search_by_email_and_by_name_and_business_errors_are_typed() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 20,
        ..Default::default()
    })
    .await;
    let id = sb.state.add_person(
        Person::new("Gwendolyn", "Abernathy")
            .with_email("gwen@x.io")
            .with_link("https://fr.linkedin.com/in/Gwen-A", LinkKind::LinkedIn),
    );
    let ats = adapter(&sb).await;
    let by_email = ats
        .search_by_email("GWEN@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        by_email.iter().map(Listed::id).collect::<Vec<_>>(),
        [id.as_str()]
    );
    let by_name = ats
        .search_by_name("Gwendolyn Abernathy", 1, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        by_name.iter().map(Listed::id).collect::<Vec<_>>(),
        [id.as_str()]
    );
    let Listed::Complete(c) = &by_name[0] else {
        panic!("search rows are whole candidates")
    };
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("Gwendolyn", "Abernathy")
    );
    assert_eq!(c.email.as_deref(), Some("gwen@x.io"));
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/gwen-a/")
    );
    assert!(c
        .ats_url
        .as_deref()
        .unwrap()
        .ends_with(&format!("/_sandbox/applicants/{id}")));
    // HTTP 200 with success: false is an error, typed by its code.
    assert!(matches!(
        ats.get_candidate("no-such-id", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
    assert!(matches!(
        ats.add_to_job(&id, "no-such-job").await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn create_with_or_without_a_job_then_note_link_and_job() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();
    let public = sb
        .state
        .model()
        .jobs()
        .iter()
        .filter(|j| {
            j.status == sourcebar_sandbox::model::JobStatus::Open && !j.confidential && !j.private
        })
        .count();
    assert_eq!(jobs.len(), public, "{jobs:?}");

    // No job, no email: Ashby needs only a name.
    let bare = ats
        .create_candidate(&NewCandidate {
            first_name: "Ana".into(),
            last_name: "María Pérez".into(),
            profile_url: Some("https://www.linkedin.com/in/ana-perez".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let ana = sb.state.person(&bare).unwrap();
    assert_eq!(
        (ana.first_name.as_str(), ana.last_name.as_str()),
        ("Ana", "María Pérez")
    );
    assert!(sb.state.jobs_of(&bare).is_empty());
    let on_job = ats
        .create_candidate(&NewCandidate {
            first_name: "Bo".into(),
            last_name: "Li".into(),
            email: Some("bo@x.io".into()),
            job_id: Some(jobs[0].id.clone()),
            note: Some("Uploaded by Sourcebar".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sb.state.jobs_of(&on_job), vec![jobs[0].id.clone()]);
    assert_eq!(sb.state.notes_of(&on_job).len(), 1);

    ats.add_note(&on_job, "Merged by Sourcebar ref-1")
        .await
        .unwrap();
    assert_eq!(ats.note_exists(&on_job, "ref-1").await.unwrap(), Some(true));
    assert_eq!(
        ats.note_exists(&on_job, "ref-2").await.unwrap(),
        Some(false)
    );

    // The link joins the record's own links, once.
    let bo_id = sb.state.person(&on_job).unwrap().id;
    sb.state
        .model()
        .person_mut(bo_id)
        .unwrap()
        .links
        .push(sourcebar_sandbox::model::Link {
            url: "https://github.com/boli".into(),
            kind: LinkKind::Other,
        });
    for _ in 0..2 {
        ats.add_link(&on_job, "https://www.linkedin.com/in/bo-li")
            .await
            .unwrap();
    }
    let bo = sb.state.person(&on_job).unwrap();
    assert_eq!(bo.links.len(), 2, "{:?}", bo.links);
    assert_eq!(bo.linkedin_url(), "https://www.linkedin.com/in/bo-li/");
    // Onto another job; asking again changes nothing.
    for _ in 0..2 {
        ats.add_to_job(&on_job, &jobs[1].id).await.unwrap();
    }
    assert_eq!(
        sb.state.jobs_of(&on_job),
        vec![jobs[0].id.clone(), jobs[1].id.clone()]
    );
}

#[tokio::test]
async fn reads_survive_503_and_429_but_a_lost_create_is_never_re_posted() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 120,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, Some("/candidate.list")));
    assert_eq!(walk(&*ats, Listing::Full).await.len(), 120);
    sb.state.faults.lock().unwrap().clear();

    sb.state.faults.lock().unwrap().push(fault(
        FaultKind::DropAfterCommit,
        1.0,
        Some("/candidate.create"),
    ));
    let err = ats
        .create_candidate(&NewCandidate {
            first_name: "Lost".into(),
            last_name: "Answer".into(),
            email: Some("lost@x.io".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    sb.state.faults.lock().unwrap().clear();
    let copies = sb
        .state
        .people()
        .iter()
        .filter(|p| p.email() == "lost@x.io")
        .count();
    assert_eq!(copies, 1);

    // Ashby's own 429 carries Retry-After; past a user's patience it is said.
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::RateLimit, 1.0, None));
    let refused = ats.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::RateLimited { .. })),
        "{refused:?}"
    );
    sb.state.faults.lock().unwrap().clear();
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Malformed, 1.0, None));
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::Malformed(_))
    ));
}
