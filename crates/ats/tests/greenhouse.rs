//! The Greenhouse adapter (Harvest v3) over real HTTP against the
//! in-process sandbox speaking Greenhouse.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, Ats, AtsError, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, RateBudget,
};
use sourcebar_core::connection_settings::ConnectionSettings;
use sourcebar_core::providers::ProviderStatus;
use sourcebar_sandbox::dialect::greenhouse::{CLIENT_ID, LIMITED_CLIENT_ID, TOKEN_PATH};
use sourcebar_sandbox::{
    start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle, SeedCandidate,
};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "sandbox-secret";
/// The sandbox's owner, as Greenhouse numbers users.
const USER_ID: &str = "4000000";

fn greenhouse() -> SandboxConfig {
    SandboxConfig {
        provider: Provider::named("greenhouse").unwrap(),
        api_key: SECRET.into(),
        rate_limit: 1_000,
        rate_window: Duration::from_secs(10),
        ..SandboxConfig::default()
    }
}

async fn sandbox(config: SandboxConfig) -> SandboxHandle {
    start(config).await.expect("sandbox starts")
}

fn settings(sb: &SandboxHandle, client_id: &str, user_id: &str) -> ConnectionSettings {
    [
        ("client_id".to_string(), client_id.to_string()),
        ("user_id".to_string(), user_id.to_string()),
        ("token_url".to_string(), format!("{}{TOKEN_PATH}", sb.url())),
    ]
    .into()
}

fn connect(sb: &SandboxHandle, settings: &ConnectionSettings, secret: &str) -> Arc<dyn Ats> {
    connect_with_budget(
        ProviderId::Greenhouse,
        AccountAddress {
            base_url: Some(&sb.api_url()),
            settings,
        },
        ApiKey::new(secret),
        Arc::new(RateBudget::new(1_000, Duration::from_secs(10))),
    )
    .unwrap()
}

fn adapter(sb: &SandboxHandle) -> Arc<dyn Ats> {
    connect(sb, &settings(sb, CLIENT_ID, USER_ID), SECRET)
}

fn seed(first: &str, last: &str, email: &str) -> SeedCandidate {
    SeedCandidate {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        profile_url: Some(format!(
            "https://www.linkedin.com/in/{}",
            email.replace('@', "-")
        )),
        created_at: Some("2020-01-01".into()),
        ..Default::default()
    }
}

fn fault(kind: FaultKind, probability: f64, path: &str) -> Fault {
    Fault {
        kind,
        probability,
        path_prefix: Some(path.into()),
        latency_ms: None,
        method: None,
    }
}

fn calls_to(sb: &SandboxHandle, path: &str) -> u64 {
    sb.state
        .stats
        .lock()
        .unwrap()
        .by_path
        .get(path)
        .copied()
        .unwrap_or(0)
}

fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

#[tokio::test]
async fn the_sandbox_says_how_to_reach_it_and_that_is_enough_to_connect() {
    let sb = sandbox(greenhouse()).await;
    let info: serde_json::Value = reqwest::get(format!("{}/_sandbox/info", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["provider"], "greenhouse");
    assert_eq!(info["base_url"].as_str(), Some(sb.api_url().as_str()));
    let settings: ConnectionSettings = serde_json::from_value(info["settings"].clone()).unwrap();
    let ats = connect(&sb, &settings, SECRET);
    ats.validate_key().await.unwrap();
    assert_eq!(
        ats.record_url("4000123").as_deref(),
        Some("https://app.greenhouse.io/people/4000123")
    );
}

#[tokio::test]
async fn the_registry_offers_greenhouse_with_its_credentials_and_truthful_capabilities() {
    let provider = sourcebar_ats::registry::provider(ProviderId::Greenhouse);
    let info = provider.info();
    // Beta while Harvest v3's public docs leave its write bodies and rate
    // limit unsaid; the reason names exactly those.
    assert_eq!(info.status, ProviderStatus::Beta);
    let reason = info.beta_reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains("bodies") && reason.contains("rate limit"),
        "{reason}"
    );
    let names: Vec<&str> = info.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["client_id", "api_key", "user_id", "token_url"]);
    assert!(info
        .fields
        .iter()
        .all(|f| f.secret == (f.name == "api_key")));
    assert!(info.fields.iter().all(|f| f
        .help
        .as_ref()
        .is_some_and(|h| !h.en.is_empty() && !h.fr.is_empty())));
    assert!(info.fields[0]
        .help
        .as_ref()
        .unwrap()
        .en
        .contains("Dev Center → API Credential Management"));
    let caps = info.capabilities;
    assert!(caps.email_search && !caps.name_search);
    assert!(caps.create_without_job && caps.create_without_email);
    assert!(caps.notes && caps.link_field && caps.link_update);
    let rate = provider.adapter.as_ref().unwrap().rate;
    assert_eq!(rate.per, Duration::from_secs(10), "Harvest counts per 10 s");
    assert!(rate.calls < 50);
}

#[tokio::test]
async fn validates_credentials_and_tells_a_missing_scope_from_a_bad_secret() {
    let sb = sandbox(greenhouse()).await;
    assert!(adapter(&sb).validate_key().await.is_ok());
    let bad_secret = connect(&sb, &settings(&sb, CLIENT_ID, USER_ID), "wrong");
    let refused = bad_secret.validate_key().await;
    assert!(matches!(refused, Err(AtsError::InvalidKey)), "{refused:?}");
    let unknown_client = connect(&sb, &settings(&sb, "stranger", USER_ID), SECRET);
    assert!(matches!(
        unknown_client.validate_key().await,
        Err(AtsError::InvalidKey)
    ));
    let unknown_user = connect(&sb, &settings(&sb, CLIENT_ID, "4999999"), SECRET);
    assert!(matches!(
        unknown_user.validate_key().await,
        Err(AtsError::InvalidKey)
    ));
    let limited = connect(&sb, &settings(&sb, LIMITED_CLIENT_ID, USER_ID), SECRET);
    let refused = limited.validate_key().await;
    assert!(
        matches!(
            refused,
            Err(AtsError::MissingPermission("harvest:candidates:list"))
        ),
        "{refused:?}"
    );
    // An admin takes a scope away from the credential in use.
    let ats = adapter(&sb);
    ats.list_open_jobs().await.unwrap();
    sb.state.revoke_permission("harvest:jobs:list");
    let refused = ats.list_open_jobs().await;
    assert!(
        matches!(
            refused,
            Err(AtsError::MissingPermission("harvest:jobs:list"))
        ),
        "{refused:?}"
    );
    assert!(ats.validate_key().await.is_ok());
}

#[tokio::test]
async fn a_revoked_or_expiring_token_is_renewed_and_a_rotated_secret_is_an_invalid_key() {
    let sb = sandbox(SandboxConfig {
        token_lifetime: Duration::from_secs(2),
        ..greenhouse()
    })
    .await;
    let ats = adapter(&sb);
    ats.validate_key().await.unwrap();
    assert_eq!(
        (calls_to(&sb, TOKEN_PATH), calls_to(&sb, "/v3/candidates")),
        (1, 1)
    );
    ats.validate_key().await.unwrap();
    assert_eq!(calls_to(&sb, TOKEN_PATH), 1, "a live token is reused");

    // Revoked: one refused call, one new token, the call goes through.
    sb.state.revoke_tokens();
    ats.validate_key().await.unwrap();
    assert_eq!(
        (calls_to(&sb, TOKEN_PATH), calls_to(&sb, "/v3/candidates")),
        (2, 4)
    );

    // Near its end of life, a token is renewed before it is refused.
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    ats.validate_key().await.unwrap();
    assert_eq!(
        (calls_to(&sb, TOKEN_PATH), calls_to(&sb, "/v3/candidates")),
        (3, 5)
    );

    // The admin rotated the secret: the token it minted dies with it, and
    // the old secret mints no other.
    sb.state.replace_key("rotated");
    let refused = ats.validate_key().await;
    assert!(matches!(refused, Err(AtsError::InvalidKey)), "{refused:?}");
    assert_eq!(calls_to(&sb, TOKEN_PATH), 4, "the token was asked for once");
}

#[tokio::test]
async fn a_listing_is_complete_crosses_pages_and_resumes_from_its_cursor() {
    let seeds = (0..150)
        .map(|i| seed("Pat", &format!("Person{i:03}"), &format!("p{i}@x.io")))
        .collect();
    let sb = sandbox(SandboxConfig {
        seed: seeds,
        ..greenhouse()
    })
    .await;
    let ats = adapter(&sb);
    let first = ats
        .list_page(PageStart::Begin(Listing::Full), Priority::Background)
        .await
        .unwrap();
    let cursor = first.next.clone().expect("150 rows are two pages");
    assert!(cursor
        .0
        .starts_with(&format!("{}/candidates?cursor=", sb.api_url())));
    let second = ats
        .list_page(PageStart::Resume(&cursor), Priority::Background)
        .await
        .unwrap();
    assert_eq!((first.records.len(), second.records.len()), (100, 50));
    assert_eq!(second.next, None);
    let mut seen = std::collections::HashSet::new();
    for record in first.records.iter().chain(&second.records) {
        let Listed::Complete(c) = record else {
            panic!("Harvest lists carry emails: {record:?}")
        };
        assert!(c.email.as_deref().is_some_and(|e| e.ends_with("@x.io")));
        assert!(c
            .profile_url
            .as_deref()
            .is_some_and(|u| u.contains("linkedin.com/in/")));
        assert!(seen.insert(c.id.clone()), "no row twice");
    }
    // A cursor the adapter did not write is refused, never fetched.
    let before = sb.state.stats.lock().unwrap().total;
    for bad in [
        format!("{}/users?cursor=abc", sb.api_url()),
        format!("{}&per_page=5", cursor.0),
        "http://elsewhere.test/v3/candidates?cursor=abc".to_string(),
    ] {
        let refused = ats
            .list_page(
                PageStart::Resume(&sourcebar_ats::SyncCursor(bad.clone())),
                Priority::Background,
            )
            .await;
        assert!(matches!(refused, Err(AtsError::Malformed(_))), "{bad}");
    }
    assert_eq!(sb.state.stats.lock().unwrap().total, before);
}

#[tokio::test]
async fn an_incremental_listing_has_what_changed_and_email_lookups_find_people() {
    let sb = sandbox(SandboxConfig {
        seed: vec![
            seed("Ana", "Pérez", "ana@x.io"),
            seed("Bo", "Lind", "bo@x.io"),
        ],
        ..greenhouse()
    })
    .await;
    let ats = adapter(&sb);
    let since = now_ms();
    let nothing = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(since)),
            Priority::Background,
        )
        .await
        .unwrap();
    assert!(nothing.records.is_empty(), "{:?}", nothing.records);

    let found = ats
        .search_by_email("ANA@x.io", Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(matches!(&found[0], Listed::Complete(c) if c.email.as_deref() == Some("ana@x.io")));
    assert!(ats
        .search_by_email("nobody@x.io", Priority::Interactive)
        .await
        .unwrap()
        .is_empty());

    ats.add_note(found[0].id(), "Seen on LinkedIn")
        .await
        .unwrap();
    let changed = ats
        .list_page(
            PageStart::Begin(Listing::ChangedSince(since)),
            Priority::Background,
        )
        .await
        .unwrap();
    let ids: Vec<&str> = changed.records.iter().map(Listed::id).collect();
    assert_eq!(ids, [found[0].id()]);
}

#[tokio::test]
async fn creates_candidates_and_prospects_notes_links_and_applications() {
    let sb = sandbox(greenhouse()).await;
    let ats = adapter(&sb);
    let jobs = ats.list_open_jobs().await.unwrap();
    let titles: Vec<&str> = jobs.iter().map(|j| j.title.as_str()).collect();
    assert!(titles.contains(&"Senior Rust Engineer"));
    for hidden in [
        "VP Engineering (confidential)",
        "Data Analyst",
        "Office Manager",
    ] {
        assert!(
            !titles.contains(&hidden),
            "{hidden} is not open or is confidential"
        );
    }

    // To a job: a candidate with an application, and its note.
    let new = NewCandidate {
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        email: Some("ana@x.io".into()),
        phone: Some("+33 6 12 34 56 78".into()),
        profile_url: Some("https://www.linkedin.com/in/ana-perez/".into()),
        job_id: Some(jobs[0].id.clone()),
        note: Some("Uploaded by Sourcebar".into()),
        ..Default::default()
    };
    let ana = ats.create_candidate(&new).await.unwrap();
    assert_eq!(sb.state.jobs_of(&ana), [jobs[0].id.clone()]);
    assert_eq!(sb.state.notes_of(&ana)[0].body, "Uploaded by Sourcebar");
    let read = ats
        .get_candidate(&ana, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(
        read.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/ana-perez/")
    );
    assert_eq!(read.phone.as_deref(), Some("+33 6 12 34 56 78"));

    // No job and no email: a prospect.
    let bo = ats
        .create_candidate(&NewCandidate {
            first_name: "Bo".into(),
            last_name: "Lind".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sb.state.jobs_of(&bo).is_empty());
    assert_eq!(sb.state.person(&bo).unwrap().emails.len(), 0);

    // Notes are read back.
    ats.add_note(&bo, "marker-42 merged").await.unwrap();
    assert_eq!(ats.note_exists(&bo, "marker-42").await.unwrap(), Some(true));
    assert_eq!(
        ats.note_exists(&bo, "marker-43").await.unwrap(),
        Some(false)
    );

    // A link is added to the social media addresses, kept with the old
    // one, and adding it again changes nothing.
    for _ in 0..2 {
        ats.add_link(&ana, "https://www.linkedin.com/in/ana-perez-2")
            .await
            .unwrap();
    }
    let links: Vec<String> = sb
        .state
        .person(&ana)
        .unwrap()
        .links
        .iter()
        .map(|l| l.url.clone())
        .collect();
    assert_eq!(
        links,
        [
            "https://www.linkedin.com/in/ana-perez/",
            "https://www.linkedin.com/in/ana-perez-2"
        ]
    );
    ats.add_link(&ana, "linkedin.com/in/ana-perez")
        .await
        .unwrap();
    assert_eq!(
        sb.state.person(&ana).unwrap().links.len(),
        2,
        "same profile"
    );

    ats.add_to_job(&bo, &jobs[1].id).await.unwrap();
    assert_eq!(sb.state.jobs_of(&bo), [jobs[1].id.clone()]);
    let refused = ats.add_to_job(&bo, "4999999").await;
    assert!(
        matches!(&refused, Err(AtsError::Ats(w)) if w.contains("job_id")),
        "{refused:?}"
    );
    assert!(matches!(
        ats.get_candidate("4999999", Priority::Interactive).await,
        Err(AtsError::NotFound)
    ));
}

#[tokio::test]
async fn retries_reads_through_503_and_never_blindly_re_posts() {
    let seeds = (0..250)
        .map(|i| seed("Pat", &format!("P{i}"), &format!("p{i}@x.io")))
        .collect();
    let sb = sandbox(SandboxConfig {
        seed: seeds,
        ..greenhouse()
    })
    .await;
    let ats = adapter(&sb);
    ats.validate_key().await.unwrap();
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Error503, 0.3, "/v3/candidates"));
    let mut start = PageStart::Begin(Listing::Full);
    let mut cursor;
    let mut total = 0;
    loop {
        let page = ats
            .list_page(start, Priority::Background)
            .await
            .expect("retried through 503s");
        total += page.records.len();
        let Some(next) = page.next else { break };
        cursor = next;
        start = PageStart::Resume(&cursor);
    }
    assert_eq!(total, 250);
    sb.state.faults.lock().unwrap().clear();

    // The answer is lost after the write: reported, not re-sent.
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::DropAfterCommit, 1.0, "/v3/candidates"));
    let jobs = ats.list_open_jobs().await.unwrap();
    let new = NewCandidate {
        first_name: "Lost".into(),
        last_name: "Answer".into(),
        email: Some("lost@x.io".into()),
        job_id: Some(jobs[0].id.clone()),
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
}

#[tokio::test]
async fn a_429_says_when_to_come_back_and_is_waited_out() {
    let sb = sandbox(SandboxConfig {
        rate_limit: 4,
        rate_window: Duration::from_secs(2),
        ..greenhouse()
    })
    .await;

    // What the sandbox answers, as Harvest documents it.
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{}{TOKEN_PATH}", sb.url()))
        .basic_auth(CLIENT_ID, Some(SECRET))
        .form(&[("grant_type", "client_credentials"), ("sub", USER_ID)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = token["access_token"].as_str().unwrap().to_string();
    assert_eq!(token["token_type"], "Bearer");
    let mut limited = None;
    for _ in 0..6 {
        let answer = http
            .get(format!("{}/candidates", sb.api_url()))
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap();
        if answer.status() == 429 {
            limited = Some(answer);
            break;
        }
        assert_eq!(answer.headers()["x-ratelimit-limit"], "4");
        assert!(answer.headers().contains_key("x-ratelimit-remaining"));
    }
    let limited = limited.expect("the fifth call in the window is refused");
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let reset: u64 = limited.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(reset >= now && reset <= now + 3, "{reset} vs {now}");
    assert_eq!(limited.headers()["x-ratelimit-remaining"], "0");

    // The adapter waits the Retry-After out and goes on.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let ats = adapter(&sb);
    for _ in 0..6 {
        ats.validate_key().await.expect("429s are waited out");
    }
    assert!(sb.state.stats.lock().unwrap().rate_limited >= 2);
}

#[tokio::test]
async fn malformed_answers_are_typed() {
    let sb = sandbox(greenhouse()).await;
    let ats = adapter(&sb);
    sb.state
        .faults
        .lock()
        .unwrap()
        .push(fault(FaultKind::Malformed, 1.0, "/v3/jobs"));
    assert!(matches!(
        ats.list_open_jobs().await,
        Err(AtsError::Malformed(_))
    ));
}

#[tokio::test]
async fn applications_are_read_by_candidate_with_stage_and_status() {
    use sourcebar_core::api::applications::ApplicationStatus;
    use sourcebar_sandbox::model::{ApplicationStatus as Status, Stage};
    let sb = sandbox(greenhouse()).await;
    let ats = adapter(&sb);
    let id = sb.state.add_person(
        sourcebar_sandbox::Person::new("Ana", "Diaz").with_email("ana.diaz@example.org"),
    );
    let other = sb
        .state
        .add_person(sourcebar_sandbox::Person::new("Bo", "Li"));
    let (engineer, sales, hired) = {
        let mut model = sb.state.model();
        let person = |first: &str| {
            model
                .people()
                .iter()
                .find(|p| p.first_name == first)
                .unwrap()
                .id
        };
        let (ana, bo) = (person("Ana"), person("Bo"));
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
        model.set_application(ana, sales.id, None, Some(Status::Withdrawn));
        model.set_application(bo, engineer.id, None, Some(Status::Hired));
        let d = sb.state.dialect();
        (d.job_id(&engineer), d.job_id(&sales), d.job_id(&engineer))
    };
    let read = ats
        .list_applications(&id, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(read.len(), 2, "only this candidate's: {read:?}");
    let on = |job: &str| {
        read.iter()
            .find(|a| a.job_id.as_deref() == Some(job))
            .unwrap()
    };
    assert_eq!(
        (on(&engineer).stage.as_deref(), on(&engineer).status),
        (Some("Phone screen"), ApplicationStatus::Active)
    );
    assert_eq!(
        on(&engineer).job_title.as_deref(),
        Some("Senior Rust Engineer")
    );
    assert_eq!(
        (on(&sales).status, on(&sales).stage.as_deref()),
        (ApplicationStatus::Withdrawn, None)
    );
    let bo = ats
        .list_applications(&other, Priority::Interactive)
        .await
        .unwrap();
    assert_eq!(bo.len(), 1);
    assert_eq!(
        (bo[0].job_id.as_deref(), bo[0].status),
        (Some(hired.as_str()), ApplicationStatus::Hired)
    );
    // A credential without the scope is told which one it lacks.
    sb.state.revoke_permission("harvest:applications:list");
    let refused = ats.list_applications(&id, Priority::Interactive).await;
    assert!(
        matches!(
            &refused,
            Err(AtsError::InsufficientPermissions(_) | AtsError::MissingPermission(_))
        ),
        "{refused:?}"
    );
}
