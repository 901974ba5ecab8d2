//! The Recruitee adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::model::{LinkKind, Person};
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("recruitee").unwrap(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

async fn adapter_with(
    sb: &SandboxHandle,
    key: &str,
    change: impl FnOnce(&mut ConnectionSettings),
) -> Arc<dyn Ats> {
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "recruitee");
    let mut settings: ConnectionSettings =
        serde_json::from_value(info["settings"].clone()).unwrap();
    change(&mut settings);
    connect_with_budget(
        ProviderId::Recruitee,
        AccountAddress {
            base_url: Some(info["base_url"].as_str().unwrap()),
            settings: &settings,
        },
        ApiKey::new(key),
        Arc::new(RateBudget::new(10_000, Duration::from_secs(1))),
    )
    .unwrap()
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, "sandbox-key", |_| {}).await
}

#[tokio::test]
async fn keys_and_company_ids_are_checked() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    assert!(matches!(
        adapter_with(&sb, "wrong", |_| {})
            .await
            .validate_key()
            .await,
        Err(AtsError::InvalidKey)
    ));
    for company in ["12345", "acme"] {
        let elsewhere = adapter_with(&sb, "sandbox-key", |s| {
            s.insert("company_id".into(), company.into());
        })
        .await;
        assert!(
            matches!(elsewhere.validate_key().await, Err(AtsError::NotFound)),
            "{company}"
        );
    }
}

#[tokio::test]
async fn a_listing_pages_newest_first_then_brings_new_candidates() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 230,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let mut ids = Vec::new();
    let mut page = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    loop {
        assert!(page
            .records
            .iter()
            .all(|r| matches!(r, Listed::Complete(_))));
        ids.extend(page.records.iter().map(|r| r.id().to_string()));
        let Some(next) = page.next else { break };
        page = ats
            .list_page(PageStart::Resume(&next), Priority::Background)
            .await
            .unwrap();
    }
    let mut people: Vec<String> = sb
        .state
        .people()
        .iter()
        .map(|p| sb.state.ats_id(p))
        .collect();
    ids.sort();
    people.sort();
    assert_eq!(ids, people);
    let since = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let newcomer = sb
        .state
        .add_person(Person::new("Nadia", "Newcomer").with_email("nadia@x.io"));
    let changed = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(since)),
            Priority::Background,
        )
        .await
        .unwrap();
    let changed: Vec<&str> = changed.records.iter().map(Listed::id).collect();
    assert_eq!(changed, vec![newcomer.as_str()]);
}

#[tokio::test]
async fn email_and_name_searches_keep_only_real_matches() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 20,
        ..Default::default()
    })
    .await;
    let gwen = sb.state.add_person(
        Person::new("Gwendolyn", "Abernathy")
            .with_email("gwen@x.io")
            .with_link("https://fr.linkedin.com/in/Gwen-A", LinkKind::LinkedIn),
    );
    // An address that contains hers is not hers.
    sb.state
        .add_person(Person::new("Other", "Person").with_email("agwen@x.io"));
    let ats = adapter(&sb).await;
    let by_email = ats
        .search_by_email("GWEN@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        by_email.iter().map(Listed::id).collect::<Vec<_>>(),
        [gwen.as_str()]
    );
    let by_name = ats
        .search_by_name("Gwendolyn Abernathy", 2, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        by_name.iter().map(Listed::id).collect::<Vec<_>>(),
        [gwen.as_str()]
    );
    let c = ats
        .get_candidate(&gwen, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/gwen-a/")
    );
    assert!(matches!(
        ats.get_candidate("1", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn create_with_or_without_an_offer_then_note_link_and_job() {
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
    let bare = ats
        .create_candidate(&NewCandidate {
            first_name: "Ana".into(),
            last_name: "Pérez".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sb.state.jobs_of(&bare).is_empty());
    let id = ats
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
    assert_eq!(sb.state.jobs_of(&id), vec![jobs[0].id.clone()]);
    ats.add_note(&id, "Sourcebar ref: r1").await.unwrap();
    assert_eq!(ats.note_exists(&id, "ref: r1").await.unwrap(), Some(true));
    assert_eq!(ats.note_exists(&id, "ref: r2").await.unwrap(), Some(false));
    for _ in 0..2 {
        ats.add_link(&id, "https://www.linkedin.com/in/bo-li")
            .await
            .unwrap();
        ats.add_to_job(&id, &jobs[1].id).await.unwrap();
    }
    assert_eq!(
        sb.state.person(&id).unwrap().linkedin_url(),
        "https://www.linkedin.com/in/bo-li/"
    );
    assert_eq!(
        sb.state.jobs_of(&id),
        vec![jobs[0].id.clone(), jobs[1].id.clone()]
    );
}

#[tokio::test]
async fn a_lost_create_is_never_re_posted() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    sb.state.faults.lock().unwrap().push(Fault {
        kind: FaultKind::DropAfterCommit,
        probability: 1.0,
        path_prefix: None,
        latency_ms: None,
        method: Some("POST".into()),
    });
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
    assert_eq!(
        sb.state
            .people()
            .iter()
            .filter(|p| p.email() == "lost@x.io")
            .count(),
        1
    );
}
