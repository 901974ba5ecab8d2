//! The JazzHR adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::{start, Fault, FaultKind, SandboxConfig, SandboxHandle, SeedCandidate};
use std::sync::Arc;
use std::time::Duration;

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(config).await.expect("sandbox starts")
}

fn adapter(sb: &SandboxHandle, key: &str, budget: RateBudget) -> Arc<dyn Ats> {
    connect_with_budget(
        ProviderId::Jazzhr,
        AccountAddress::api(Some(&sb.api_url())),
        ApiKey::new(key),
        Arc::new(budget),
    )
    .unwrap()
}

fn seed(first: &str, last: &str, email: &str) -> SeedCandidate {
    SeedCandidate {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        ..Default::default()
    }
}

fn fault(kind: FaultKind, probability: f64, path: &str) -> Fault {
    Fault {
        method: None,
        kind,
        probability,
        path_prefix: Some(path.into()),
        latency_ms: None,
    }
}

#[tokio::test]
async fn the_sandbox_says_how_to_reach_it_and_that_is_enough_to_connect() {
    let sb = sandbox(SandboxConfig {
        api_key: "sandbox-key".into(),
        ..SandboxConfig::default()
    })
    .await;
    let info: serde_json::Value = reqwest::get(format!("http://{}/_sandbox/info", sb.addr))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "jazzhr");
    let base = info["base_url"].as_str().unwrap();
    assert_eq!(base, sb.api_url());
    let settings: ConnectionSettings = serde_json::from_value(info["settings"].clone()).unwrap();
    let ats = connect_with_budget(
        ProviderId::Jazzhr,
        AccountAddress {
            base_url: Some(base),
            settings: &settings,
        },
        ApiKey::new("sandbox-key"),
        Arc::new(jazzhr_budget()),
    )
    .unwrap();
    ats.validate_key().await.unwrap();
    // Its records open in the sandbox's own view, because its settings say so.
    let link = ats.record_url("prospect_1").unwrap();
    assert_eq!(
        link,
        format!("http://{}/_sandbox/applicants/prospect_1", sb.addr)
    );
}

#[tokio::test]
async fn a_record_opens_where_the_settings_say_whatever_the_api_root() {
    let sb = sandbox(SandboxConfig::default()).await;
    // Another API root alone (a sandbox, a region) keeps JazzHR's own app.
    let ats = adapter(&sb, "sandbox-key", jazzhr_budget());
    assert_eq!(
        ats.record_url("prospect_1").as_deref(),
        Some("https://app.jazz.co/app/v2/candidate/prospect_1")
    );
    let settings: ConnectionSettings = [(
        "app_url".to_string(),
        "https://jazz.example.eu/c/".to_string(),
    )]
    .into();
    let ats = connect_with_budget(
        ProviderId::Jazzhr,
        AccountAddress {
            base_url: Some(&sb.api_url()),
            settings: &settings,
        },
        ApiKey::new("sandbox-key"),
        Arc::new(jazzhr_budget()),
    )
    .unwrap();
    assert_eq!(
        ats.record_url("prospect 1").as_deref(),
        Some("https://jazz.example.eu/c/prospect%201")
    );
}

#[tokio::test]
async fn validates_keys() {
    let sb = sandbox(SandboxConfig::default()).await;
    assert!(adapter(&sb, "sandbox-key", jazzhr_budget())
        .validate_key()
        .await
        .is_ok());
    let refused = adapter(&sb, "wrong", jazzhr_budget()).validate_key().await;
    assert!(matches!(refused, Err(AtsError::InvalidKey)), "{refused:?}");
}

#[tokio::test]
async fn lone_objects_paths_and_pages() {
    let mut seeds: Vec<SeedCandidate> = (0..150)
        .map(|i| seed("Pat", &format!("Person{i:03}"), &format!("p{i}@x.io")))
        .collect();
    seeds.push(seed("José", "García Márquez", "jose@x.io"));
    let sb = sandbox(SandboxConfig {
        seed: seeds,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb, "sandbox-key", jazzhr_budget());

    // One match answers a lone object; the adapter still returns a list.
    let found = ats
        .search_by_name("José García Márquez", 1, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].names().1, "García Márquez");
    // Loose: "Pat" returns every Pat (first page of 100).
    assert_eq!(
        ats.search_by_name("Pat", 1, Priority::Interactive)
            .await
            .unwrap()
            .len(),
        100
    );
    // Names with slashes or odd characters are escaped, not split into paths.
    assert!(ats
        .search_by_name("a/b c?d", 1, Priority::Interactive)
        .await
        .unwrap()
        .is_empty());

    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    let cursor = first.next.clone().expect("a full page has a next one");
    let second = ats
        .list_page(PageStart::Resume(&cursor), Priority::Background)
        .await
        .unwrap();
    assert_eq!((first.records.len(), second.records.len()), (100, 51));
    assert_eq!(second.next, None, "a short page is the last");
    assert!(
        first
            .records
            .iter()
            .all(|r| matches!(r, Listed::Partial(_))),
        "JazzHR lists carry no email"
    );

    let detail = ats
        .get_candidate(found[0].id(), Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(detail.email.as_deref(), Some("jose@x.io"));
    assert_eq!(
        detail.location, None,
        "JazzHR's placeholder location is no location"
    );
    assert!(matches!(
        ats.get_candidate("prospect_nope", Priority::Interactive)
            .await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn create_note_job_and_business_errors() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb, "sandbox-key", jazzhr_budget());
    let jobs = ats.list_open_jobs().await.unwrap();
    assert!(!jobs.is_empty());
    assert!(jobs
        .iter()
        .all(|j| !j.title.contains("confidential") && !j.title.contains("Internal")));

    let new = NewCandidate {
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        email: Some("ana@x.io".into()),
        profile_url: Some("https://www.linkedin.com/in/ana-perez/".into()),
        job_id: Some(jobs[0].id.clone()),
        ..Default::default()
    };
    let id = ats.create_candidate(&new).await.unwrap();
    assert!(id.starts_with("prospect_"));
    let c = ats.get_candidate(&id, Priority::Interactive).await.unwrap();
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/ana-perez/")
    );
    ats.add_note(&id, "Merged by Sourcebar").await.unwrap();
    ats.add_to_job(&id, &jobs[1].id).await.unwrap();
    let jobs_of_ana = sb.state.jobs_of(&id);
    assert_eq!(jobs_of_ana, vec![jobs[0].id.clone(), jobs[1].id.clone()]);

    // JazzHR's HTTP-200 errors become typed errors.
    let missing = NewCandidate {
        first_name: "No".into(),
        last_name: "Email".into(),
        ..Default::default()
    };
    assert!(
        matches!(ats.create_candidate(&missing).await, Err(AtsError::Ats(m)) if m.contains("required"))
    );
    assert!(matches!(
        ats.add_to_job(&id, "job_nope").await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn retries_reads_through_503_and_429_but_never_blindly_re_posts() {
    let sb = sandbox(SandboxConfig {
        retry_after_secs: Some(1),
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb, "sandbox-key", jazzhr_budget());
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, "/v1/applicants"));
    let mut start = PageStart::Begin(Listing::Full);
    let mut cursor;
    for _ in 1..=4 {
        let page = ats
            .list_page(start, Priority::Background)
            .await
            .expect("retried through 503s");
        let Some(next) = page.next else { break };
        cursor = next;
        start = PageStart::Resume(&cursor);
    }
    sb.state.faults.lock().unwrap().clear();

    // A lost answer after commit: the adapter reports it, it does not re-send.
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::DropAfterCommit, 1.0, "/v1/applicants"));
    let new = NewCandidate {
        first_name: "Lost".into(),
        last_name: "Answer".into(),
        email: Some("lost@x.io".into()),
        ..Default::default()
    };
    let err = ats.create_candidate(&new).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    sb.state.faults.lock().unwrap().clear();
    let created = sb
        .state
        .people()
        .iter()
        .filter(|p| p.email() == "lost@x.io")
        .count();
    assert_eq!(created, 1);

    // A 429 with Retry-After is honoured, then the call goes through.
    sb.state.faults.lock().unwrap().push(Fault {
        method: None,
        kind: FaultKind::RateLimit,
        probability: 1.0,
        path_prefix: Some("/v1/users".into()),
        latency_ms: None,
    });
    let started = std::time::Instant::now();
    let refused = ats.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::RateLimited { .. })),
        "{refused:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "waited the Retry-After each time"
    );
}

#[tokio::test]
async fn timeouts_and_malformed_answers_are_typed() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb, "sandbox-key", jazzhr_budget());
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Malformed, 1.0, "/v1/jobs"));
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn a_well_behaved_run_never_meets_a_429() {
    // The sandbox allows 20 calls per second; the budget spends 15 per second.
    let sb = sandbox(SandboxConfig {
        rate_limit: 20,
        rate_window: Duration::from_secs(1),
        seed_candidates: 50,
        ..Default::default()
    })
    .await;
    let ats = adapter(
        &sb,
        "sandbox-key",
        RateBudget::new(15, Duration::from_secs(1)),
    );
    let ids: Vec<String> = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap()
        .records
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    let started = std::time::Instant::now();
    for id in ids.iter().take(40) {
        ats.get_candidate(id, Priority::Background).await.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the budget throttled"
    );
    assert_eq!(sb.state.stats.lock().unwrap().rate_limited, 0);
}

/// JazzHR's own budget, as the provider registry sets it.
fn jazzhr_budget() -> RateBudget {
    sourcebar_ats::registry::provider(ProviderId::Jazzhr).budget()
}
