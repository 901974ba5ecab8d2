//! The Teamtailor adapter over real HTTP against the in-process sandbox.

use sourcebar_ats::teamtailor::{API_VERSION, READ, WRITE};
use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_sandbox::model::Person;
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "tt-key";

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(SandboxConfig {
        provider: Provider::named("teamtailor").unwrap(),
        api_key: KEY.into(),
        ..config
    })
    .await
    .expect("sandbox starts")
}

/// The settings `/_sandbox/info` gives, as a connection would store them.
async fn settings(sb: &SandboxHandle) -> ConnectionSettings {
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "teamtailor");
    assert_eq!(info["base_url"].as_str(), Some(sb.api_url().as_str()));
    serde_json::from_value(info["settings"].clone()).unwrap()
}

async fn adapter_with(sb: &SandboxHandle, key: &str, budget: RateBudget) -> Arc<dyn Ats> {
    let settings = settings(sb).await;
    connect_with_budget(
        ProviderId::Teamtailor,
        AccountAddress {
            base_url: Some(&sb.api_url()),
            settings: &settings,
        },
        ApiKey::new(key),
        Arc::new(budget),
    )
    .unwrap()
}

async fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    adapter_with(sb, KEY, RateBudget::new(1000, Duration::from_secs(1))).await
}

fn fault(kind: FaultKind, probability: f64, path: &str, method: Option<&str>) -> Fault {
    Fault {
        method: method.map(String::from),
        kind,
        probability,
        path_prefix: Some(path.into()),
        latency_ms: None,
    }
}

fn new_candidate(first: &str, last: &str, email: Option<&str>) -> NewCandidate {
    NewCandidate {
        first_name: first.into(),
        last_name: last.into(),
        email: email.map(String::from),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_api_wants_its_version_header_and_the_adapter_sends_it() {
    let sb = sandbox(SandboxConfig::default()).await;
    let http = reqwest::Client::new();
    let call = |version: Option<&str>| {
        let mut request = http
            .get(format!("{}/candidates", sb.api_url()))
            .header("authorization", format!("Token token={KEY}"));
        if let Some(v) = version {
            request = request.header("x-api-version", v);
        }
        request.send()
    };
    for version in [None, Some("1.0"), Some("20991231")] {
        let refused = call(version).await.unwrap();
        assert_eq!(refused.status(), 406, "{version:?}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert!(body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("InvalidApiVersionError"));
    }
    let accepted = call(Some(API_VERSION)).await.unwrap();
    assert_eq!(accepted.status(), 200);
    assert_eq!(accepted.headers()["x-api-version"], API_VERSION);
    assert!(accepted.headers().contains_key("x-rate-limit-remaining"));
    adapter(&sb).await.validate_key().await.unwrap();
}

#[tokio::test]
async fn keys_are_validated_down_to_the_scope_and_the_notes_user() {
    let sb = sandbox(SandboxConfig::default()).await;
    let budget = || RateBudget::new(1000, Duration::from_secs(1));
    adapter(&sb).await.validate_key().await.unwrap();
    let wrong = adapter_with(&sb, "wrong", budget())
        .await
        .validate_key()
        .await;
    assert!(matches!(wrong, Err(AtsError::InvalidKey)), "{wrong:?}");

    // A user id that names nobody is said before any note fails.
    let mut bad_user = settings(&sb).await;
    bad_user.insert("user_id".into(), "999".into());
    let ats = connect_with_budget(
        ProviderId::Teamtailor,
        AccountAddress {
            base_url: Some(&sb.api_url()),
            settings: &bad_user,
        },
        ApiKey::new(KEY),
        Arc::new(budget()),
    )
    .unwrap();
    let refused = ats.validate_key().await;
    assert!(
        matches!(&refused, Err(AtsError::Ats(w)) if w.contains("user_id")),
        "{refused:?}"
    );

    // Without write, the read check passes and the first write names it.
    sb.state.revoke_permission("write");
    let ats = adapter(&sb).await;
    ats.validate_key().await.unwrap();
    let refused = ats
        .create_candidate(&new_candidate("No", "Write", Some("nw@x.io")))
        .await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission(p)) if p == WRITE),
        "{refused:?}"
    );
    // A key that is not Admin-scoped cannot read candidates: named.
    sb.state.revoke_permission("Admin");
    let refused = ats.validate_key().await;
    assert!(
        matches!(refused, Err(AtsError::MissingPermission(p)) if p == READ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_listing_pages_by_thirty_resumes_from_its_cursor_then_follows_changes() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 70,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    assert_eq!(first.records.len(), 30);
    assert!(
        first
            .records
            .iter()
            .all(|r| matches!(r, Listed::Complete(_))),
        "Teamtailor's list rows carry the email and LinkedIn URL"
    );
    let cursor = first.next.clone().expect("more pages");
    assert_eq!(cursor.0, "candidates?page=2");
    let mut ids: Vec<String> = first.records.iter().map(|r| r.id().to_string()).collect();
    let mut next = Some(cursor);
    while let Some(cursor) = next {
        let page = ats
            .list_page(PageStart::Resume(&cursor), Priority::Background)
            .await
            .unwrap();
        ids.extend(page.records.iter().map(|r| r.id().to_string()));
        next = page.next;
    }
    let mut expected: Vec<String> = sb
        .state
        .people()
        .iter()
        .map(|p| sb.state.ats_id(p))
        .collect();
    expected.sort();
    ids.sort();
    assert_eq!(ids, expected, "every record once");

    // A change: only records changed since (a day's grain) come back.
    let id = sb
        .state
        .add_person(Person::new("Nadia", "Newcomer").with_email("nadia@x.io"));
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let changed = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(i64::try_from(since).unwrap())),
            Priority::Background,
        )
        .await
        .unwrap();
    let changed: Vec<&str> = changed.records.iter().map(Listed::id).collect();
    assert_eq!(changed, vec![id.as_str()]);

    // A cursor this adapter did not write is refused, not fetched.
    let forged = sourcebar_ats::SyncCursor(format!("{}/candidates?page=2", sb.api_url()));
    assert!(matches!(
        ats.list_page(PageStart::Resume(&forged), Priority::Background)
            .await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn email_search_create_note_link_and_job() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let jobs = ats.list_open_jobs().await.unwrap();
    let titles: Vec<&str> = jobs.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Senior Rust Engineer", "Talent Sourcer", "Product Designer"],
        "confidential (unlisted), internal, closed and on-hold jobs are never offered"
    );

    let mut new = new_candidate("Ana", "Pérez", Some("Ana@X.io"));
    new.profile_url = Some("https://www.linkedin.com/in/ana-perez/".into());
    new.job_id = Some(jobs[0].id.clone());
    new.note = Some("Uploaded from LinkedIn with Sourcebar.".into());
    let id = ats.create_candidate(&new).await.unwrap();
    assert_eq!(sb.state.jobs_of(&id), vec![jobs[0].id.clone()]);
    assert_eq!(sb.state.notes_of(&id)[0].body, new.note.clone().unwrap());

    let found = ats
        .search_by_email("ana@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let Listed::Complete(c) = &found[0] else {
        panic!("a complete row")
    };
    assert_eq!(c.id, id);
    assert_eq!(
        c.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/ana-perez/")
    );
    assert!(ats
        .search_by_email("nobody@x.io", Priority::Interactive)
        .await
        .unwrap()
        .is_empty());

    // A taken email without merge is Teamtailor's 422, with its words.
    let again = ats
        .create_candidate(&new_candidate("Ana", "Again", Some("ana@x.io")))
        .await;
    assert!(
        matches!(&again, Err(AtsError::Ats(w)) if w.contains("422") && w.contains("taken")),
        "{again:?}"
    );
    // Sourced, a candidate needs no email.
    let no_email = ats
        .create_candidate(&new_candidate("No", "Email", None))
        .await
        .unwrap();
    assert_eq!(sb.state.person(&no_email).unwrap().email(), "");

    // The link fills an empty field, once; another profile is never replaced.
    let url = "https://www.linkedin.com/in/no-email";
    ats.add_link(&no_email, url).await.unwrap();
    ats.add_link(&no_email, url).await.unwrap();
    assert_eq!(sb.state.person(&no_email).unwrap().linkedin_url(), url);
    ats.add_link(&id, "https://www.linkedin.com/in/someone-else")
        .await
        .unwrap();
    assert!(sb
        .state
        .person(&id)
        .unwrap()
        .linkedin_url()
        .contains("ana-perez"));

    ats.add_note(&no_email, "Merged by Sourcebar")
        .await
        .unwrap();
    assert_eq!(sb.state.notes_of(&no_email).len(), 1);
    assert_eq!(ats.note_exists(&no_email, "Merged").await.unwrap(), None);
    // Adding to a job twice leaves one application.
    ats.add_to_job(&no_email, &jobs[1].id).await.unwrap();
    ats.add_to_job(&no_email, &jobs[1].id).await.unwrap();
    assert_eq!(sb.state.jobs_of(&no_email), vec![jobs[1].id.clone()]);
    assert!(matches!(
        ats.get_candidate("424242", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
    assert!(ats
        .record_url(&id)
        .unwrap()
        .ends_with(&format!("/_sandbox/applicants/{id}")));
}

#[tokio::test]
async fn a_lost_create_answer_is_reported_and_never_re_posted() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    sb.state.faults.lock().unwrap().push(fault(
        FaultKind::DropAfterCommit,
        1.0,
        "/v1/candidates",
        Some("POST"),
    ));
    let err = ats
        .create_candidate(&new_candidate("Lost", "Answer", Some("lost@x.io")))
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
    // The caller finds it by email before trying again.
    let found = ats
        .search_by_email("lost@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn teamtailors_429_is_waited_out_by_its_reset_and_5xx_are_retried() {
    let sb = sandbox(SandboxConfig {
        seed_candidates: 40,
        rate_limit: 3,
        rate_window: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    for _ in 0..8 {
        ats.list_page(PageStart::Begin(Listing::Full), Priority::Background)
            .await
            .expect("waited out");
    }
    assert!(sb.state.stats.lock().unwrap().rate_limited > 0);

    let sb = sandbox(SandboxConfig {
        seed_candidates: 100,
        ..Default::default()
    })
    .await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, "/v1/candidates", None));
    let mut start = PageStart::Begin(Listing::Full);
    let mut cursor;
    let mut listed = 0;
    loop {
        let page = ats
            .list_page(start, Priority::Background)
            .await
            .expect("retried through 503s");
        listed += page.records.len();
        let Some(next) = page.next else { break };
        cursor = next;
        start = PageStart::Resume(&cursor);
    }
    assert_eq!(listed, 100);
}

#[tokio::test]
async fn unreadable_answers_are_malformed() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Malformed, 1.0, "/v1/", None));
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::Malformed(_))
    ));
    assert!(matches!(
        ats.list_page(PageStart::Begin(Listing::Full), Priority::Background)
            .await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn job_applications_come_with_their_job_stage_and_reason() {
    use sourcebar_core::api::applications::ApplicationStatus;
    use sourcebar_sandbox::model::{ApplicationStatus as Status, Stage};
    let sb = sandbox(SandboxConfig::default()).await;
    let ats = adapter(&sb).await;
    let id = sb
        .state
        .add_person(Person::new("Ana", "Diaz").with_email("ana.diaz@example.org"));
    assert!(ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap()
        .is_empty());
    let (engineer, sales, design) = {
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
        let jobs: Vec<_> = model.jobs().iter().take(3).cloned().collect();
        let (engineer, sales) = (job("Senior Rust Engineer"), job("Talent Sourcer"));
        let third = jobs
            .into_iter()
            .find(|j| j.id != engineer.id && j.id != sales.id)
            .unwrap();
        model.set_application(ana, engineer.id, Stage::named("Phone screen"), None);
        model.set_application(ana, sales.id, None, Some(Status::Withdrawn));
        model.set_application(ana, third.id, None, Some(Status::Hired));
        let d = sb.state.dialect();
        (d.job_id(&engineer), d.job_id(&sales), d.job_id(&third))
    };
    let read = ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(read.len(), 3, "{read:?}");
    let on = |job: &str| {
        read.iter()
            .find(|a| a.job_id.as_deref() == Some(job))
            .unwrap()
    };
    assert_eq!(
        (
            on(&engineer).job_title.as_deref(),
            on(&engineer).stage.as_deref(),
            on(&engineer).status
        ),
        (
            Some("Senior Rust Engineer"),
            Some("Phone screen"),
            ApplicationStatus::Active
        )
    );
    assert_eq!(
        (on(&sales).status, on(&sales).stage.as_deref()),
        (ApplicationStatus::Withdrawn, None)
    );
    assert_eq!(on(&design).status, ApplicationStatus::Hired);
    assert!(on(&engineer).updated_at.is_some());
    // A key without the Admin scope cannot read them.
    sb.state.revoke_permission("Admin");
    assert!(ats
        .list_applications(&id, Priority::Interactive)
        .await
        .is_err());
}
