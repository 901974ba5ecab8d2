//! The BambooHR adapter over real HTTP against the in-process sandbox.

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
        provider: Provider::named("bamboohr").unwrap(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

async fn info(sb: &SandboxHandle) -> (String, ConnectionSettings) {
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "bamboohr");
    (
        info["base_url"].as_str().unwrap().to_string(),
        serde_json::from_value(info["settings"].clone()).unwrap(),
    )
}

async fn adapter_with(
    sb: &SandboxHandle,
    key: &str,
    change: impl FnOnce(&mut ConnectionSettings),
) -> Arc<dyn Ats> {
    let (base, mut settings) = info(sb).await;
    change(&mut settings);
    connect_with_budget(
        ProviderId::Bamboohr,
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
    adapter_with(sb, "sandbox-key", |_| {}).await
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

#[tokio::test]
async fn keys_and_company_domains_are_checked() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    assert!(matches!(
        adapter_with(&sb, "wrong", |_| {})
            .await
            .validate_key()
            .await,
        Err(AtsError::InvalidKey)
    ));
    for domain in ["someone-else", "not a domain"] {
        let elsewhere = adapter_with(&sb, "sandbox-key", |s| {
            s.insert("company_domain".into(), domain.into());
        })
        .await;
        assert!(
            matches!(elsewhere.validate_key().await, Err(AtsError::NotFound)),
            "{domain}"
        );
    }
    // Without Accept: application/json BambooHR answers XML.
    let (base, _) = info(&sb).await;
    let xml = reqwest::Client::new()
        .get(format!(
            "{base}/sourcebar-sandbox/v1/applicant_tracking/jobs"
        ))
        .basic_auth("sandbox-key", Some("x"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
}

#[tokio::test]
async fn a_listing_pages_until_complete_then_brings_new_applications() {
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
        assert!(page.records.iter().all(|r| matches!(r, Listed::Partial(_))));
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

    let since = now_ms();
    let jobs = ats.list_open_jobs().await.unwrap();
    let newcomer = ats
        .create_candidate(&NewCandidate {
            first_name: "Nadia".into(),
            last_name: "Newcomer".into(),
            email: Some("nadia@x.io".into()),
            job_id: Some(jobs[0].id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
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
async fn no_email_search_but_a_name_search_checked_on_our_side() {
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
    let ats = adapter(&sb).await;
    assert!(matches!(
        ats.search_by_email("gwen@x.io", Priority::Interactive)
            .await,
        Err(AtsError::Unsupported(_))
    ));
    let found = ats
        .search_by_name("Gwendolyn Abernathy", 2, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(Listed::id).collect::<Vec<_>>(),
        [gwen.as_str()]
    );
    let c = ats
        .get_candidate(&gwen, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(c.email.as_deref(), Some("gwen@x.io"));
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/gwen-a/")
    );
}

#[tokio::test]
async fn a_create_needs_a_job_and_a_merge_comments_and_applies_again() {
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
    assert!(matches!(
        ats.create_candidate(&NewCandidate {
            first_name: "No".into(),
            last_name: "Job".into(),
            ..Default::default()
        })
        .await,
        Err(AtsError::Unsupported(_))
    ));
    let id = ats
        .create_candidate(&NewCandidate {
            first_name: "Bo".into(),
            last_name: "Li".into(),
            email: Some("bo@x.io".into()),
            profile_url: Some("https://www.linkedin.com/in/bo-li".into()),
            job_id: Some(jobs[0].id.clone()),
            note: Some("Uploaded by Sourcebar".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sb.state.jobs_of(&id), vec![jobs[0].id.clone()]);
    assert_eq!(
        sb.state.person(&id).unwrap().linkedin_url(),
        "https://www.linkedin.com/in/bo-li/"
    );
    ats.add_note(&id, "Merged, Sourcebar ref: r1")
        .await
        .unwrap();
    assert_eq!(ats.note_exists(&id, "ref: r1").await.unwrap(), Some(true));
    assert_eq!(ats.note_exists(&id, "ref: r2").await.unwrap(), Some(false));
    assert!(ats
        .add_link(&id, "https://www.linkedin.com/in/bo-li")
        .await
        .is_err());
    for _ in 0..2 {
        ats.add_to_job(&id, &jobs[1].id).await.unwrap();
    }
    assert_eq!(
        sb.state.jobs_of(&id),
        vec![jobs[0].id.clone(), jobs[1].id.clone()]
    );
}

#[tokio::test]
async fn a_lost_create_is_never_re_posted_and_the_429_is_said() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();
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
            job_id: Some(jobs[0].id.clone()),
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
    sb.state.force_next(FaultKind::RateLimit, 10);
    assert!(matches!(
        ats.validate_key().await,
        Err(AtsError::RateLimited { .. })
    ));
}
