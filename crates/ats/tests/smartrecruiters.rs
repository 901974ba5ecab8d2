//! The SmartRecruiters adapter over real HTTP against the in-process sandbox.

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
        provider: Provider::named("smartrecruiters").unwrap(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

async fn base(sb: &SandboxHandle) -> String {
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "smartrecruiters");
    info["base_url"].as_str().unwrap().to_string()
}

async fn adapter_with(sb: &SandboxHandle, key: &str) -> Arc<dyn Ats> {
    let base = base(sb).await;
    connect_with_budget(
        ProviderId::Smartrecruiters,
        AccountAddress {
            base_url: Some(&base),
            settings: &ConnectionSettings::default(),
        },
        ApiKey::new(key),
        Arc::new(RateBudget::new(10_000, Duration::from_secs(1))),
    )
    .unwrap()
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, "sandbox-key").await
}

fn fault(kind: FaultKind, probability: f64, method: Option<&str>) -> Fault {
    Fault {
        method: method.map(str::to_string),
        kind,
        probability,
        path_prefix: None,
        latency_ms: None,
    }
}

#[tokio::test]
async fn keys_and_permissions_are_checked() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    assert!(matches!(
        adapter_with(&sb, "wrong").await.validate_key().await,
        Err(AtsError::InvalidKey)
    ));
    sb.state.revoke_permission("jobs_read");
    let refused = adapter(&sb).await.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission("jobs_read"))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_single_candidate_list_at_a_time_is_held_by_the_client() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 30,
        ..Default::default()
    })
    .await;
    // The sandbox refuses a second GET /candidates in flight...
    let url = format!("{}/candidates", base(&sb).await);
    let http = reqwest::Client::new();
    let raw = futures_join(
        (0..6)
            .map(|_| http.get(&url).header("x-smarttoken", "sandbox-key").send())
            .collect(),
    )
    .await;
    assert!(raw.contains(&429), "concurrent lists are refused: {raw:?}");
    // ...and the adapter never sends one: six searches at once all answer.
    let ats = adapter(&sb).await;
    let searches: Vec<_> = (0..6)
        .map(|i| {
            let ats = ats.clone();
            tokio::spawn(async move {
                ats.search_by_email(&format!("nobody{i}@x.io"), Priority::Interactive)
                    .await
            })
        })
        .collect();
    for s in searches {
        assert!(s.await.unwrap().unwrap().is_empty());
    }
}

/// The statuses of requests sent at once.
async fn futures_join(
    requests: Vec<
        impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
    >,
) -> Vec<u16> {
    let handles: Vec<_> = requests.into_iter().map(tokio::spawn).collect();
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap().unwrap().status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn a_listing_pages_by_offset_and_rows_are_completed_by_the_detail() {
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
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), sb.state.people().len());
}

#[tokio::test]
async fn searches_keep_only_real_matches_and_the_detail_has_the_link() {
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
    // Her email in someone else's title: the keyword search finds both.
    let mut other = Person::new("Other", "Person").with_email("other@x.io");
    other.title = "Recruiter, ex gwen@x.io".into();
    sb.state.add_person(other);
    let ats = adapter(&sb).await;
    let found = ats
        .search_by_email("GWEN@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(Listed::id).collect::<Vec<_>>(),
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
        ats.get_candidate("nope", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn create_in_the_pool_or_on_a_job_then_note_link_and_job() {
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
    let pooled = ats
        .create_candidate(&NewCandidate {
            first_name: "Ana".into(),
            last_name: "Pérez".into(),
            email: Some("ana@x.io".into()),
            profile_url: Some("https://www.linkedin.com/in/ana-perez".into()),
            note: Some("Uploaded by Sourcebar".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sb.state.jobs_of(&pooled).is_empty(), "in the talent pool");
    assert_eq!(sb.state.notes_of(&pooled).len(), 1);
    let on_job = ats
        .create_candidate(&NewCandidate {
            first_name: "Bo".into(),
            last_name: "Li".into(),
            email: Some("bo@x.io".into()),
            job_id: Some(jobs[0].id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sb.state.jobs_of(&on_job), vec![jobs[0].id.clone()]);
    ats.add_note(&on_job, "Merged by Sourcebar").await.unwrap();
    assert!(sb.state.notes_of(&on_job)[0]
        .body
        .contains("Merged by Sourcebar"));
    for _ in 0..2 {
        ats.add_link(&on_job, "https://www.linkedin.com/in/bo-li")
            .await
            .unwrap();
        ats.add_to_job(&on_job, &jobs[1].id).await.unwrap();
    }
    assert_eq!(
        sb.state.person(&on_job).unwrap().linkedin_url(),
        "https://www.linkedin.com/in/bo-li/"
    );
    assert_eq!(
        sb.state.jobs_of(&on_job),
        vec![jobs[0].id.clone(), jobs[1].id.clone()]
    );
    // Without an email SmartRecruiters refuses the create.
    let refused = ats
        .create_candidate(&NewCandidate {
            first_name: "No".into(),
            last_name: "Email".into(),
            ..Default::default()
        })
        .await;
    assert!(matches!(refused, Err(AtsError::Ats(_))), "{refused:?}");
}

#[tokio::test]
async fn reads_survive_503_but_a_lost_create_is_never_re_posted() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 250,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, Some("GET")));
    // Background reads are sent again through 503s.
    let mut page = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .expect("retried through 503s");
    while let Some(next) = page.next {
        page = ats
            .list_page(PageStart::Resume(&next), Priority::Background)
            .await
            .expect("retried through 503s");
    }
    sb.state.faults.lock().unwrap().clear();
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::DropAfterCommit, 1.0, Some("POST")));
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
