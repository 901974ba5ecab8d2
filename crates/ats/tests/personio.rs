//! The Personio adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::model::Person;
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

/// The sandbox's key: the client secret, a space, the Recruiting API key.
const KEY: &str = "client-secret-1 recruiting-key-1";

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("personio").unwrap(),
        api_key: KEY.into(),
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
    assert_eq!(info["provider"], "personio");
    (
        info["base_url"].as_str().unwrap().to_string(),
        serde_json::from_value(info["settings"].clone()).unwrap(),
    )
}

async fn adapter_with(
    sb: &SandboxHandle,
    key: &str,
    change: impl FnOnce(&mut ConnectionSettings),
) -> Result<Arc<dyn Ats>, AtsError> {
    let (base, mut settings) = info(sb).await;
    change(&mut settings);
    connect_with_budget(
        ProviderId::Personio,
        AccountAddress {
            base_url: Some(&base),
            settings: &settings,
        },
        ApiKey::new(key),
        Arc::new(RateBudget::new(10_000, Duration::from_secs(1))),
    )
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, KEY, |_| {}).await.unwrap()
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

fn new(first: &str, last: &str, email: &str, job: Option<&str>) -> NewCandidate {
    NewCandidate {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        job_id: job.map(str::to_string),
        ..Default::default()
    }
}

#[tokio::test]
async fn both_credentials_and_the_company_are_checked() {
    let sb = sandbox(SandboxConfig::default()).await;
    adapter(&sb).await.validate_key().await.unwrap();
    // A wrong client secret, a wrong Recruiting API key, a wrong company
    // id, a wrong client id: each one is a refused key.
    let wrong_secret = adapter_with(&sb, "nope recruiting-key-1", |_| {})
        .await
        .unwrap();
    let wrong_recruiting = adapter_with(&sb, "client-secret-1 nope", |_| {})
        .await
        .unwrap();
    let wrong_company = adapter_with(&sb, KEY, |s| {
        s.insert("company_id".into(), "1".into());
    })
    .await
    .unwrap();
    let wrong_client = adapter_with(&sb, KEY, |s| {
        s.insert("client_id".into(), "someone-else".into());
    })
    .await
    .unwrap();
    for ats in [wrong_secret, wrong_recruiting, wrong_company, wrong_client] {
        assert!(matches!(
            ats.validate_key().await,
            Err(AtsError::InvalidKey)
        ));
    }
    assert!(matches!(
        adapter_with(&sb, "a b c", |_| {}).await.err(),
        Some(AtsError::InvalidKey)
    ));
    // The empty application of the check created nobody.
    assert_eq!(sb.state.people().len(), 0);
    // A credential without the read scope is told by its name.
    sb.state.revoke_permission("personio:recruiting:read");
    let refused = adapter(&sb).await.validate_key().await.unwrap_err();
    assert!(
        refused.to_string().contains("personio:recruiting:read"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_listing_follows_the_cursor_then_brings_only_changes() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 230,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut page = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    loop {
        pages += 1;
        // Complete rows: the mirror needs no detail read.
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
    assert_eq!(pages, 3);
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
        .create_candidate(&new("Nadia", "Newcomer", "nadia@x.io", Some(&jobs[0].id)))
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
    assert_eq!(changed.first(), Some(&newcomer.as_str()), "newest first");
    assert!(changed.len() < 230, "only what changed: {}", changed.len());
}

#[tokio::test]
async fn email_is_searched_and_name_search_is_refused_honestly() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 20,
        ..Default::default()
    })
    .await;
    let id = sb
        .state
        .add_person(Person::new("Gwendolyn", "Abernathy").with_email("gwen@x.io"));
    let ats = adapter(&sb).await;
    let found = ats
        .search_by_email("GWEN@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(Listed::id).collect::<Vec<_>>(),
        [id.as_str()]
    );
    assert!(ats
        .search_by_email("nobody@x.io", Priority::Interactive)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        ats.search_by_name("Gwendolyn Abernathy", 2, Priority::Interactive)
            .await,
        Err(AtsError::Unsupported(_))
    ));
    let c = ats.get_candidate(&id, Priority::Interactive).await.unwrap();
    assert_eq!(c.email.as_deref(), Some("gwen@x.io"));
    assert_eq!(c.profile_url, None, "no LinkedIn field in the API");
}

#[tokio::test]
async fn a_create_needs_a_job_and_carries_its_note_and_link_in_the_message() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    assert!(matches!(
        ats.create_candidate(&new("No", "Job", "nojob@x.io", None))
            .await,
        Err(AtsError::Unsupported(_))
    ));
    let jobs = ats.list_open_jobs().await.unwrap();
    assert!(!jobs.is_empty() && jobs.iter().all(|j| j.status == "OPEN"));
    let id = ats
        .create_candidate(&NewCandidate {
            profile_url: Some("https://www.linkedin.com/in/ana-p".into()),
            note: Some("Head of Data at Nova".into()),
            ..new("Ana", "Pérez", "ana@x.io", Some(&jobs[0].id))
        })
        .await
        .unwrap();
    let notes: Vec<String> = sb.state.notes_of(&id).into_iter().map(|n| n.body).collect();
    assert_eq!(
        notes,
        ["LinkedIn: https://www.linkedin.com/in/ana-p/\nHead of Data at Nova"]
    );
    // No note endpoint: a note on an existing candidate is refused, not faked.
    assert!(matches!(
        ats.add_note(&id, "later").await,
        Err(AtsError::Unsupported(_))
    ));
    assert!(matches!(
        ats.add_link(&id, "https://www.linkedin.com/in/ana-p").await,
        Err(AtsError::Unsupported(_))
    ));
    // Another job: a second application on the same candidate.
    ats.add_to_job(&id, &jobs[1].id).await.unwrap();
    assert_eq!(
        sb.state.jobs_of(&id),
        [jobs[0].id.clone(), jobs[1].id.clone()]
    );
    assert_eq!(sb.state.people().len(), 1);
}

#[tokio::test]
async fn a_lost_create_is_never_re_posted_and_the_429_is_said() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();
    sb.state.faults.lock().unwrap().push(Fault {
        kind: FaultKind::DropAfterCommit,
        probability: 1.0,
        path_prefix: Some("/v1/recruiting".into()),
        latency_ms: None,
        method: Some("POST".into()),
    });
    let err = ats
        .create_candidate(&new("Lost", "Answer", "lost@x.io", Some(&jobs[0].id)))
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
        ats.search_by_email("lost@x.io", Priority::Interactive)
            .await,
        Err(AtsError::RateLimited { .. })
    ));
}
