//! The Workable adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::model::Person;
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("workable").unwrap(),
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
    assert_eq!(info["provider"], "workable");
    (
        info["base_url"].as_str().unwrap().to_string(),
        serde_json::from_value(info["settings"].clone()).unwrap(),
    )
}

async fn adapter_with(
    sb: &SandboxHandle,
    key: &str,
    budget: RateBudget,
    change: impl FnOnce(&mut ConnectionSettings),
) -> Arc<dyn Ats> {
    let (base, mut settings) = info(sb).await;
    change(&mut settings);
    connect_with_budget(
        ProviderId::Workable,
        AccountAddress {
            base_url: Some(&base),
            settings: &settings,
        },
        ApiKey::new(key),
        Arc::new(budget),
    )
    .unwrap()
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, "sandbox-key", roomy(), |_| {}).await
}

/// A budget that never paces: the rate test below uses Workable's own.
fn roomy() -> RateBudget {
    RateBudget::new(10_000, Duration::from_secs(1))
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

fn person(first: &str, last: &str, email: &str) -> Person {
    Person::new(first, last).with_email(email)
}

#[tokio::test]
async fn keys_scopes_subdomains_and_members_are_checked() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    let wrong = adapter_with(&sb, "wrong", roomy(), |_| {}).await;
    assert!(matches!(
        wrong.validate_key().await,
        Err(AtsError::InvalidKey)
    ));
    // Another account, or no account at all: "check the account settings".
    for sub in ["someone-else", "not a subdomain"] {
        let elsewhere = adapter_with(&sb, "sandbox-key", roomy(), |s| {
            s.insert("subdomain".into(), sub.into());
        })
        .await;
        let refused = elsewhere.validate_key().await;
        assert!(
            matches!(refused, Err(AtsError::NotFound)),
            "{sub}: {refused:?}"
        );
    }
    let stranger = adapter_with(&sb, "sandbox-key", roomy(), |s| {
        s.insert("member_email".into(), "nobody@example.org".into());
    })
    .await;
    assert!(matches!(
        stranger.validate_key().await,
        Err(AtsError::NotFound)
    ));
    // A token without a scope is refused, naming it.
    sb.state.revoke_permission("r_jobs");
    let refused = adapter(&sb).await.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission("r_jobs"))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_listing_pages_by_paging_next_resumes_from_a_cursor_then_follows_changes() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 150,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    let cursor = first.next.clone().expect("150 rows make two pages");
    assert!(cursor.0.contains("since_id="), "{cursor:?}");
    // A fresh adapter (another server) resumes from the stored cursor.
    let second = adapter(&sb)
        .await
        .list_page(PageStart::Resume(&cursor), Priority::Background)
        .await
        .unwrap();
    assert_eq!((first.records.len(), second.records.len()), (100, 50));
    assert_eq!(second.next, None);
    let mut ids: Vec<&str> = first
        .records
        .iter()
        .chain(&second.records)
        .map(Listed::id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 150, "every record once");
    assert!(
        first
            .records
            .iter()
            .all(|r| matches!(r, Listed::Partial(_))),
        "lists carry no social profiles"
    );
    // A cursor pointing anywhere else is refused, not fetched.
    let forged = sourcebar_ats::SyncCursor("http://evil.test/candidates?since_id=1".into());
    assert!(matches!(
        ats.list_page(PageStart::Resume(&forged), Priority::Background)
            .await,
        Err(AtsError::Malformed(_))
    ));

    // Changes: only what changed since then.
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let newcomer = sb
        .state
        .add_person(person("Nadia", "Newcomer", "nadia@x.io"));
    let changed = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(i64::try_from(since).unwrap())),
            Priority::Background,
        )
        .await
        .unwrap();
    let changed: Vec<&str> = changed.records.iter().map(Listed::id).collect();
    assert_eq!(changed, vec![newcomer.as_str()]);
}

#[tokio::test]
async fn email_search_and_the_detail_with_its_linkedin_url() {
    let sb = sandbox(SandboxConfig::default()).await;
    let id = sb
        .state
        .add_person(person("Gwen", "Abernathy", "gwen@x.io").with_link(
            "https://fr.linkedin.com/in/Gwen-A",
            sourcebar_sandbox::model::LinkKind::LinkedIn,
        ));
    let ats = adapter(&sb).await;
    let found = ats
        .search_by_email("GWEN@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(Listed::id).collect::<Vec<_>>(),
        [id.as_str()]
    );
    let c = ats.get_candidate(&id, Priority::Interactive).await.unwrap();
    assert_eq!(c.email.as_deref(), Some("gwen@x.io"));
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/gwen-a/")
    );
    assert!(c
        .ats_url
        .unwrap()
        .ends_with(&format!("/_sandbox/applicants/{id}")));
    assert!(matches!(
        ats.get_candidate("ffffffff", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
    assert!(
        ats.search_by_name("Gwen", 1, Priority::Interactive)
            .await
            .is_err(),
        "Workable has no name search"
    );
}

#[tokio::test]
async fn create_in_the_pool_or_on_a_job_then_note_link_and_job() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();
    let model_jobs = sb.state.model().jobs().to_vec();
    let public = model_jobs
        .iter()
        .filter(|j| {
            j.status == sourcebar_sandbox::model::JobStatus::Open && !j.confidential && !j.private
        })
        .count();
    assert_eq!(
        jobs.len(),
        public,
        "published and not confidential: {jobs:?}"
    );
    assert!(jobs.iter().all(|j| !j.title.contains("confidential")));

    let pooled = ats
        .create_candidate(&NewCandidate {
            first_name: "Ana".into(),
            last_name: "Pérez".into(),
            email: Some("ana@x.io".into()),
            profile_url: Some("https://www.linkedin.com/in/ana-perez".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sb.state.jobs_of(&pooled).is_empty(), "in the talent pool");
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
    let c = ats
        .get_candidate(&pooled, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/ana-perez/")
    );

    // A note, read back through the activities.
    ats.add_note(&on_job, "Merged by Sourcebar ref-1")
        .await
        .unwrap();
    assert_eq!(ats.note_exists(&on_job, "ref-1").await.unwrap(), Some(true));
    assert_eq!(
        ats.note_exists(&on_job, "ref-2").await.unwrap(),
        Some(false)
    );
    // A link in the record's own field, once, keeping what was there.
    let bo_id = sb.state.person(&on_job).unwrap().id;
    sb.state
        .model()
        .person_mut(bo_id)
        .unwrap()
        .links
        .push(sourcebar_sandbox::model::Link {
            url: "https://github.com/boli".into(),
            kind: sourcebar_sandbox::model::LinkKind::Other,
        });
    for _ in 0..2 {
        ats.add_link(&on_job, "https://www.linkedin.com/in/bo-li")
            .await
            .unwrap();
    }
    let bo = sb.state.person(&on_job).unwrap();
    assert_eq!(bo.links.len(), 2, "{:?}", bo.links);
    assert_eq!(bo.linkedin_url(), "https://www.linkedin.com/in/bo-li/");
    // Onto another job: a copy; asking again changes nothing.
    for _ in 0..2 {
        ats.add_to_job(&on_job, &jobs[1].id).await.unwrap();
    }
    assert_eq!(
        sb.state.jobs_of(&on_job),
        vec![jobs[0].id.clone(), jobs[1].id.clone()]
    );
    let records = ats
        .search_by_email("bo@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(records.len(), 2, "Workable keeps one record per job");
    assert!(matches!(
        ats.add_to_job(&on_job, "NOPE").await,
        Err(AtsError::NotFound)
    ));
    // Without an email Workable's create is refused (422).
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
async fn reads_survive_503_and_429_but_a_lost_create_is_never_re_posted() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 120,
        retry_after_secs: None,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, Some("GET")));
    let mut start = PageStart::Begin(Listing::Full);
    let mut cursor;
    loop {
        let page = ats
            .list_page(start, Priority::Background)
            .await
            .expect("retried through 503s");
        let Some(next) = page.next else { break };
        cursor = next;
        start = PageStart::Resume(&cursor);
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
    let copies = sb
        .state
        .people()
        .iter()
        .filter(|p| p.email() == "lost@x.io")
        .count();
    assert_eq!(copies, 1);

    // Workable's own 429: X-Rate-Limit-Reset (a timestamp) is waited out.
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

#[tokio::test]
async fn every_answer_says_the_window_and_the_registry_rate_never_meets_a_429() {
    // Workable's own limit: 10 calls per 10 s, with a shorter window here.
    let sb = sandbox(SandboxConfig {
        rate_limit: 10,
        rate_window: Duration::from_secs(1),
        seed_candidates: 5,
        ..Default::default()
    })
    .await;
    let (base, _) = info(&sb).await;
    let answer = reqwest::Client::new()
        .get(format!("{base}/sourcebar-sandbox/spi/v3/jobs"))
        .bearer_auth("sandbox-key")
        .send()
        .await
        .unwrap();
    let header = |n: &str| {
        answer
            .headers()
            .get(n)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(header("x-rate-limit-limit"), "10");
    assert_eq!(header("x-rate-limit-remaining"), "9");
    let reset: u64 = header("x-rate-limit-reset").parse().unwrap();
    assert!(reset > 1_700_000_000, "a Unix timestamp: {reset}");

    // The registry's 9 per window, over the sandbox's 10 per window.
    let rate = sourcebar_ats::registry::provider(ProviderId::Workable)
        .adapter
        .as_ref()
        .unwrap()
        .rate;
    let ats = adapter_with(
        &sb,
        "sandbox-key",
        RateBudget::new(rate.calls, Duration::from_secs(1)),
        |_| {},
    )
    .await;
    for _ in 0..25 {
        ats.list_page(PageStart::Begin(Listing::Full), Priority::Background)
            .await
            .unwrap();
    }
    assert_eq!(sb.state.stats.lock().unwrap().rate_limited, 0);
}

#[tokio::test]
async fn each_record_is_its_jobs_application_at_its_stage() {
    use sourcebar_core::api::applications::ApplicationStatus;
    use sourcebar_sandbox::model::{ApplicationStatus as Status, Stage};
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let id = sb
        .state
        .add_person(person("Ana", "Diaz", "ana.diaz@example.org"));
    // In the talent pool: no job, no application.
    assert!(ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap()
        .is_empty());
    let (engineer, sales) = {
        let mut model = sb.state.model();
        let ana = model
            .people()
            .iter()
            .find(|p| p.first_name == "Ana")
            .unwrap()
            .id;
        let job = |title: &str| {
            model
                .jobs()
                .iter()
                .find(|j| j.title == title)
                .unwrap()
                .clone()
        };
        let (engineer, sales) = (job("Senior Rust Engineer"), job("Talent Sourcer"));
        model.set_application(ana, engineer.id, Stage::named("Phone screen"), None);
        model.set_application(ana, sales.id, None, Some(Status::Rejected));
        (engineer, sales)
    };
    let (engineer, sales) = (
        sb.state.dialect().job_id(&engineer),
        sb.state.dialect().job_id(&sales),
    );
    let read = ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(read.len(), 1, "one record, one job: {read:?}");
    assert_eq!(
        (
            read[0].job_id.as_deref(),
            read[0].stage.as_deref(),
            read[0].status
        ),
        (
            Some(engineer.as_str()),
            Some("Phone screen"),
            ApplicationStatus::Active
        )
    );
    assert_eq!(read[0].job_title.as_deref(), Some("Senior Rust Engineer"));
    // The copy on the other job is its own record with its own application,
    // and a sync's detail read carries it.
    let rows = ats
        .search_by_email("ana.diaz@example.org", Priority::Interactive)
        .await
        .unwrap();
    let copy = rows
        .iter()
        .map(|r| match r {
            Listed::Complete(c) => c.id.clone(),
            Listed::Partial(s) => s.id.clone(),
        })
        .find(|r| r != &id)
        .expect("a record on the second job");
    let (_, carried) = ats
        .get_candidate_with_applications(&copy, Priority::Background)
        .await
        .unwrap();
    let carried = carried.expect("the detail carries the application");
    assert_eq!(
        (
            carried[0].job_id.as_deref(),
            carried[0].status,
            carried[0].stage.as_deref()
        ),
        (Some(sales.as_str()), ApplicationStatus::Rejected, None)
    );
}
