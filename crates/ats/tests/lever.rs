//! The Lever adapter over real HTTP against the in-process sandbox
//! speaking Lever's dialect.

use serde_json::Value;
use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget, SyncCursor,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::{
    start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle, SeedCandidate,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("lever").unwrap(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

/// What `/_sandbox/info` gives: the API root and the connection's settings.
async fn info(sb: &SandboxHandle) -> (String, ConnectionSettings) {
    let info: Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "lever");
    let settings = serde_json::from_value(info["settings"].clone()).unwrap();
    (info["base_url"].as_str().unwrap().to_string(), settings)
}

async fn adapter_with(sb: &SandboxHandle, key: &str, budget: RateBudget) -> Arc<dyn Ats> {
    let (base, settings) = info(sb).await;
    connect_with_budget(
        ProviderId::Lever,
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
    adapter_with(sb, "sandbox-key", lever_budget()).await
}

/// Lever's own budget, as the provider registry sets it.
fn lever_budget() -> RateBudget {
    sourcebar_ats::registry::provider(ProviderId::Lever).budget()
}

fn seed(first: &str, last: &str, email: &str) -> SeedCandidate {
    SeedCandidate {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        profile_url: Some(format!(
            "https://www.linkedin.com/in/{}",
            last.to_lowercase()
        )),
        ..Default::default()
    }
}

fn fault(kind: FaultKind, path: &str) -> Fault {
    Fault {
        kind,
        probability: 1.0,
        path_prefix: Some(path.into()),
        latency_ms: None,
        method: None,
    }
}

fn people_with_email(sb: &SandboxHandle, email: &str) -> usize {
    sb.state
        .people()
        .iter()
        .filter(|p| p.emails.iter().any(|e| e.address == email))
        .count()
}

#[tokio::test]
async fn the_sandbox_info_is_enough_to_connect_and_records_open_in_lever() {
    let sb = sandbox(SandboxConfig::default()).await;
    let (_, settings) = info(&sb).await;
    assert!(settings.get("user_id").is_some_and(|u| !u.is_empty()));
    let ats = adapter(&sb).await;
    ats.validate_key().await.unwrap();
    assert_eq!(
        ats.record_url("250d8f03-738a").as_deref(),
        Some("https://hire.lever.co/candidates/250d8f03-738a")
    );
    // Without the user writes are made as, no connection.
    let refused = connect_with_budget(
        ProviderId::Lever,
        AccountAddress::api(Some(&sb.api_url())),
        ApiKey::new("sandbox-key"),
        Arc::new(lever_budget()),
    );
    assert!(refused.is_err());
}

#[tokio::test]
async fn validates_the_key_its_permissions_and_the_user() {
    let sb = sandbox(SandboxConfig::default()).await;
    let wrong = adapter_with(&sb, "wrong", lever_budget()).await;
    assert!(matches!(
        wrong.validate_key().await,
        Err(AtsError::InvalidKey)
    ));
    // A user id that names nobody is caught at validation.
    let settings: ConnectionSettings = [("user_id".to_string(), "no-such-user".to_string())].into();
    let nobody = connect_with_budget(
        ProviderId::Lever,
        AccountAddress {
            base_url: Some(&sb.api_url()),
            settings: &settings,
        },
        ApiKey::new("sandbox-key"),
        Arc::new(lever_budget()),
    )
    .unwrap();
    assert!(matches!(nobody.validate_key().await, Err(AtsError::Ats(_))));
    // Lever's admin takes one permission from the key: refused, and named.
    let ats = adapter(&sb).await;
    sb.state.revoke_permission("postings:read:admin");
    assert!(ats.validate_key().await.is_ok());
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::MissingPermission("postings:read:admin"))
    ));
    sb.state.revoke_permission("opportunities:read:admin");
    let refused = ats.validate_key().await;
    assert!(
        matches!(
            refused,
            Err(AtsError::MissingPermission("opportunities:read:admin"))
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_listing_pages_by_offset_tokens_with_complete_records() {
    let seeds: Vec<SeedCandidate> = (0..150)
        .map(|i| seed("Pat", &format!("Person{i:03}"), &format!("p{i}@x.io")))
        .collect();
    let sb = sandbox(SandboxConfig {
        seed: seeds,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    let cursor = first.next.clone().expect("a second page");
    assert!(cursor.0.starts_with("lever:opportunities::"), "{cursor:?}");
    let second = ats
        .list_page(PageStart::Resume(&cursor), Priority::Background)
        .await
        .unwrap();
    assert_eq!((first.records.len(), second.records.len()), (100, 50));
    assert_eq!(second.next, None);
    let Listed::Complete(c) = &first.records[0] else {
        panic!("Lever lists carry emails and links")
    };
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("Pat", "Person000")
    );
    assert_eq!(c.email.as_deref(), Some("p0@x.io"));
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/person000/")
    );
    let mut ids: Vec<&str> = first
        .records
        .iter()
        .chain(&second.records)
        .map(Listed::id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 150, "no record twice, none missed");
    // A cursor it did not write is refused, never fetched.
    let foreign = SyncCursor("https://evil.test/opportunities".into());
    assert!(matches!(
        ats.list_page(PageStart::Resume(&foreign), Priority::Background)
            .await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn an_incremental_walk_finds_changes_and_then_deletions() {
    let sb = sandbox(SandboxConfig {
        seed: vec![
            seed("Ana", "Old", "ana@x.io"),
            seed("Bo", "Changed", "bo@x.io"),
            seed("Cy", "Gone", "cy@x.io"),
        ],
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let full = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    let id_of = |last: &str| {
        full.records
            .iter()
            .find(|r| r.names().1 == last)
            .unwrap()
            .id()
            .to_string()
    };
    let (changed, gone) = (id_of("Changed"), id_of("Gone"));
    let since = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    ats.add_note(&changed, "Seen on LinkedIn").await.unwrap();
    assert!(sb.state.remove_person(&gone));

    let mut records = Vec::new();
    let mut removed = Vec::new();
    let mut page = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(since)),
            Priority::Background,
        )
        .await
        .unwrap();
    loop {
        records.extend(page.records.iter().map(|r| r.id().to_string()));
        removed.extend(page.removed.clone());
        let Some(next) = page.next else { break };
        page = ats
            .list_page(PageStart::Resume(&next), Priority::Background)
            .await
            .unwrap();
    }
    assert_eq!(records, vec![changed]);
    assert_eq!(removed, vec![gone]);
}

#[tokio::test]
async fn searches_by_email_across_a_persons_opportunities() {
    let sb = sandbox(SandboxConfig {
        seed: vec![
            seed("Ana", "Pérez", "Ana@X.io"),
            seed("Bo", "Li", "bo@x.io"),
        ],
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let found = ats
        .search_by_email("ana@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].names(), ("Ana", "Pérez"));
    // A second candidacy of the same person is a second opportunity.
    let job = ats.list_open_jobs().await.unwrap()[0].id.clone();
    ats.add_to_job(found[0].id(), &job).await.unwrap();
    let both = ats
        .search_by_email("ana@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    assert!(ats
        .search_by_email("nobody@x.io", Priority::Interactive)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        ats.search_by_name("Ana", 1, Priority::Interactive).await,
        Err(AtsError::Unsupported(_))
    ));
}

#[tokio::test]
async fn creates_writes_notes_adds_links_and_jobs() {
    let sb = sandbox(SandboxConfig {
        seed: vec![seed("Existing", "Person", "existing@x.io")],
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();

    let new = NewCandidate {
        first_name: "José".into(),
        last_name: "García Márquez".into(),
        email: Some("jose@x.io".into()),
        profile_url: Some("https://www.linkedin.com/in/jose-garcia/".into()),
        job_id: Some(jobs[0].id.clone()),
        note: Some("Uploaded by Sourcebar [sb:1]".into()),
        ..Default::default()
    };
    let id = ats.create_candidate(&new).await.unwrap();
    let c = ats.get_candidate(&id, Priority::Interactive).await.unwrap();
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("José", "García Márquez")
    );
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/jose-garcia/")
    );
    assert_eq!(sb.state.jobs_of(&id), vec![jobs[0].id.clone()]);
    // The note went in as its own call, and can be read back.
    assert_eq!(ats.note_exists(&id, "[sb:1]").await.unwrap(), Some(true));
    assert_eq!(ats.note_exists(&id, "[sb:2]").await.unwrap(), Some(false));

    // Neither a job nor an email is needed.
    let bare = NewCandidate {
        first_name: "No".into(),
        last_name: "Email".into(),
        ..Default::default()
    };
    let bare_id = ats.create_candidate(&bare).await.unwrap();
    assert!(sb.state.jobs_of(&bare_id).is_empty());

    // Lever files a known email under the existing contact.
    let existing = ats
        .search_by_email("existing@x.io", Priority::Interactive)
        .await
        .unwrap()[0]
        .id()
        .to_string();
    let again = NewCandidate {
        first_name: "Existing".into(),
        last_name: "Person".into(),
        email: Some("existing@x.io".into()),
        job_id: Some(jobs[1].id.clone()),
        ..Default::default()
    };
    let deduped = ats.create_candidate(&again).await.unwrap();
    assert_ne!(deduped, existing, "a new opportunity");
    assert_eq!(
        people_with_email(&sb, "existing@x.io"),
        1,
        "on the same contact"
    );

    // A link is added once, however often it is asked for.
    let url = "https://www.linkedin.com/in/existing-person/";
    ats.add_link(&existing, url).await.unwrap();
    ats.add_link(&existing, url).await.unwrap();
    let person = sb.state.person(&existing).unwrap();
    assert_eq!(person.links.iter().filter(|l| l.url == url).count(), 1);

    // Adding to a job keeps the candidacy without a job and adds one.
    ats.add_to_job(&bare_id, &jobs[2].id).await.unwrap();
    assert_eq!(sb.state.jobs_of(&bare_id), vec![jobs[2].id.clone()]);
    assert!(ats
        .get_candidate(&bare_id, Priority::Interactive)
        .await
        .is_ok());
    ats.add_note(&bare_id, "Merged by Sourcebar").await.unwrap();
    assert_eq!(sb.state.notes_of(&bare_id).len(), 1);
    assert!(matches!(
        ats.add_to_job(&bare_id, "no-such-posting").await,
        Err(AtsError::Ats(_))
    ));
    assert!(matches!(
        ats.get_candidate("no-such-opportunity", Priority::Interactive)
            .await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn only_published_non_confidential_postings_are_offered() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let titles: Vec<String> = ats
        .list_open_jobs()
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.title)
        .collect();
    assert_eq!(
        titles,
        ["Senior Rust Engineer", "Talent Sourcer", "Product Designer"]
    );
}

#[tokio::test]
async fn writes_need_an_existing_perform_as_user_and_errors_have_levers_shape() {
    let sb = sandbox(SandboxConfig::default()).await;
    let (base, settings) = info(&sb).await;
    let http = reqwest::Client::new();
    let post = |query: &str| {
        http.post(format!("{base}/opportunities{query}"))
            .basic_auth("sandbox-key", Some(""))
            .json(&serde_json::json!({"name": "Ana Pérez"}))
            .send()
    };
    for query in ["", "?perform_as=nobody"] {
        let answer = post(query).await.unwrap();
        assert_eq!(answer.status(), 400, "{query}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["code"], "BadRequestError");
        assert!(body["message"].as_str().unwrap().contains("perform_as"));
    }
    let user = settings.get("user_id").unwrap();
    let answer = post(&format!("?perform_as={user}")).await.unwrap();
    assert_eq!(answer.status(), 201);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["deduped"], false);
    assert!(body["data"]["contact"].is_string());
}

#[tokio::test]
async fn a_lost_create_answer_is_reported_not_re_posted() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::DropAfterCommit, "/v1/opportunities"));
    let new = NewCandidate {
        first_name: "Lost".into(),
        last_name: "Answer".into(),
        email: Some("lost@x.io".into()),
        ..Default::default()
    };
    let err = ats.create_candidate(&new).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    sb.state.faults.lock().unwrap().clear();
    assert_eq!(people_with_email(&sb, "lost@x.io"), 1);
    // Looking first finds it.
    assert_eq!(
        ats.search_by_email("lost@x.io", Priority::Interactive)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn reads_are_retried_through_503s_and_malformed_bodies_are_typed() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 120,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    sb.state.faults.lock().unwrap().push(Fault {
        probability: 0.3,
        ..fault(FaultKind::Error503, "/v1/opportunities")
    });
    let mut start = PageStart::Begin(Listing::Full);
    let mut cursor;
    let mut seen = 0;
    loop {
        let page = ats
            .list_page(start, Priority::Background)
            .await
            .expect("retried through 503s");
        seen += page.records.len();
        let Some(next) = page.next else { break };
        cursor = next;
        start = PageStart::Resume(&cursor);
    }
    assert!(seen >= 120, "{seen}");
    sb.state.faults.lock().unwrap().clear();
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Malformed, "/v1/postings"));
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn a_429_is_waited_out_as_its_retry_after_says() {
    // Three calls a second (bursts of six) in the sandbox; a budget that
    // does not hold back.
    let sb = sandbox(SandboxConfig {
        rate_limit: 3,
        rate_window: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let ats = adapter_with(
        &sb,
        "sandbox-key",
        RateBudget::new(100, Duration::from_secs(1)),
    )
    .await;
    let started = Instant::now();
    // A bucket of six, refilled at three a second: twelve calls meet a 429.
    for _ in 0..12 {
        ats.list_open_jobs().await.expect("waited, then served");
    }
    assert!(sb.state.stats.lock().unwrap().rate_limited >= 1);
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn levers_own_budget_never_meets_its_bucket() {
    // Lever's bucket: 10 a second, bursts of 20.
    let sb = sandbox(SandboxConfig {
        rate_limit: 10,
        rate_window: Duration::from_secs(1),
        seed_candidates: 30,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let ids: Vec<String> = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap()
        .records
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    let started = Instant::now();
    for id in ids.iter().take(25) {
        ats.get_candidate(id, Priority::Background).await.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the budget throttled"
    );
    assert_eq!(sb.state.stats.lock().unwrap().rate_limited, 0);
}

#[tokio::test]
async fn the_bucket_lets_a_burst_through_then_answers_levers_429() {
    let sb = sandbox(SandboxConfig {
        rate_limit: 10,
        rate_window: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    let get = || {
        http.get(format!("{}/postings", sb.api_url()))
            .basic_auth("sandbox-key", Some(""))
            .send()
    };
    for _ in 0..20 {
        assert_eq!(get().await.unwrap().status(), 200);
    }
    let refused = get().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "TooManyRequestsError");
    // A tenth of a second later, one call's worth has come back.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(get().await.unwrap().status(), 200);
}

/// Puts the person called `first` on two of the sandbox's jobs (one at
/// "Phone screen", one rejected), as a Lever user would; the jobs'
/// posting ids.
fn two_applications(sb: &SandboxHandle, first: &str) -> (String, String) {
    use sourcebar_sandbox::model::{ApplicationStatus, Stage};
    let mut model = sb.state.model();
    let person = model
        .people()
        .iter()
        .find(|p| p.first_name == first)
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
    model.set_application(person, engineer.id, Stage::named("Phone screen"), None);
    model.set_application(person, sales.id, None, Some(ApplicationStatus::Rejected));
    let dialect = sb.state.dialect();
    (dialect.job_id(&engineer), dialect.job_id(&sales))
}

#[tokio::test]
async fn applications_are_the_contacts_opportunities_on_postings() {
    use sourcebar_core::api::applications::ApplicationStatus;
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let id = sb.state.add_person(
        sourcebar_sandbox::Person::new("Ana", "Diaz").with_email("ana.diaz@example.org"),
    );
    assert!(ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap()
        .is_empty());
    let (engineer, sales) = two_applications(&sb, "Ana");
    // Read from either opportunity of the contact, the same two.
    let read = ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(read.len(), 2, "{read:?}");
    let on = |job: &str| {
        read.iter()
            .find(|a| a.job_id.as_deref() == Some(job))
            .unwrap()
    };
    assert_eq!(on(&engineer).stage.as_deref(), Some("Phone screen"));
    assert_eq!(on(&engineer).status, ApplicationStatus::Active);
    assert_eq!(
        (on(&sales).status, on(&sales).stage.as_deref()),
        (ApplicationStatus::Rejected, None)
    );
    assert!(on(&sales)
        .updated_at
        .as_deref()
        .is_some_and(|d| d.ends_with('Z')));
    let other = &on(&sales).id;
    let again = ats
        .list_applications(other, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(again.len(), 2);
    // Hired is an archive reason of type "hired".
    {
        use sourcebar_sandbox::model::ApplicationStatus as Status;
        let mut model = sb.state.model();
        let a = model.applications()[0].clone();
        model.set_application(a.person, a.job, None, Some(Status::Hired));
    }
    let read = ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap();
    assert!(
        read.iter().any(|a| a.status == ApplicationStatus::Hired),
        "{read:?}"
    );
    // Without the stages permission the read says so.
    sb.state.revoke_permission("stages:read:admin");
    assert!(matches!(
        ats.list_applications(&id, Priority::Interactive).await,
        Err(AtsError::InsufficientPermissions(_) | AtsError::MissingPermission(_))
    ));
}
