//! The conformance suite: every provider's adapter, through the companion,
//! against that provider's sandbox, on SQLite and on PostgreSQL.
//!
//! Each case asks the provider's capabilities (`GET /v1/providers`) and
//! holds it to what they claim: a search it claims must find, a search it
//! does not claim must never be pretended. Adding a provider is one line in
//! `conformance_suite!` at the bottom.

use crate::helpers::*;
use serde_json::{json, Value};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::storage::db::Db;
use sourcebar_sandbox::model::JobStatus;
use sourcebar_sandbox::{start, Fault, FaultKind, Provider, SandboxConfig, SandboxHandle};
use sqlx::Row;
use std::sync::Arc;

/// One provider under test.
#[derive(Clone, Copy)]
pub struct Subject {
    /// Its id, as the companion and the sandbox name it.
    pub provider: &'static str,
    /// Makes the sandbox's key lack one permission Sourcebar needs and
    /// returns that permission's name as the ATS's settings show it; `None`
    /// where the ATS's keys carry no separate permissions.
    pub revoke_one_permission: Option<fn(&SandboxHandle) -> &'static str>,
}

/// The provider's sandbox with `people` generated people and no rate limit
/// worth mentioning (the ATS's 429 comes from a fault where a case wants it).
pub(crate) async fn sandbox_for(subject: Subject, people: usize) -> Arc<SandboxHandle> {
    Arc::new(
        start(SandboxConfig {
            provider: Provider::named(subject.provider)
                .expect("the provider has a sandbox dialect"),
            api_key: ATS_KEY.into(),
            seed_candidates: people,
            rate_limit: 1_000_000,
            ..Default::default()
        })
        .await
        .expect("the sandbox starts"),
    )
}

/// A companion with a team, over a fresh database, before any connection.
pub(crate) async fn app_for(
    backend: Backend,
    sandbox: Arc<SandboxHandle>,
) -> (TestApp, TestDb, MasterKey) {
    let db = TestDb::new(backend).await;
    let master = MasterKey::generate();
    let mut app = spawn_on(&db.url, master.clone(), sandbox, fast_settings()).await;
    app.admin_token = app.create_team("acme").await;
    (app, db, master)
}

/// What a connection to the sandbox sends, as `/_sandbox/info` says it.
async fn connection_body(app: &TestApp, api_key: &str) -> Value {
    let info: Value = app
        .http
        .get(format!("{}/_sandbox/info", app.sandbox.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    json!({
        "provider": info["provider"],
        "name": "Conformance",
        "api_key": api_key,
        "base_url": info["base_url"],
        "settings": info["settings"],
    })
}

/// Connects with the sandbox's key; the connection's id.
pub(crate) async fn connect(app: &TestApp) -> String {
    let body = connection_body(app, ATS_KEY).await;
    let (s, conn) = app
        .call(
            "POST",
            "/v1/connections",
            Some(&app.admin_token),
            Some(body),
        )
        .await;
    assert_eq!(s, 201, "{conn}");
    conn["id"].as_str().unwrap().to_string()
}

/// The provider's entry of `GET /v1/providers`.
async fn capabilities(app: &TestApp, subject: Subject) -> Value {
    let (_, providers) = app
        .call("GET", "/v1/providers", Some(&app.admin_token), None)
        .await;
    let entry = providers
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == subject.provider)
        .cloned()
        .expect("the provider is listed");
    assert!(
        entry["status"] == "available" || entry["status"] == "beta",
        "{entry}"
    );
    entry["capabilities"].clone()
}

fn claims(capabilities: &Value, name: &str) -> bool {
    capabilities[name].as_bool().unwrap_or(false)
}

/// An open, public job of the sandbox, by the id its ATS prints.
fn open_job(sandbox: &SandboxHandle) -> String {
    let model = sandbox.state.model();
    let job = model
        .jobs()
        .iter()
        .find(|j| j.status == JobStatus::Open && !j.confidential && !j.private)
        .expect("the sandbox has an open public job");
    sandbox.state.dialect().job_id(job)
}

fn profile(first: &str, last: &str, email: Option<&str>, url: Option<&str>) -> Value {
    json!({"profile": {
        "first_name": first, "last_name": last,
        "emails": email.map(|e| vec![e]).unwrap_or_default(),
        "profile_url": url,
    }})
}

async fn dedupe(app: &TestApp, body: Value) -> Value {
    let (s, answer) = app
        .call("POST", "/v1/dedupe", Some(&app.admin_token), Some(body))
        .await;
    assert_eq!(s, 200, "{answer}");
    answer
}

fn match_ids(answer: &Value) -> Vec<String> {
    answer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["candidate"]["id"].as_str().unwrap().to_string())
        .collect()
}

/// The mirror's rows of a connection: (ats id, email), detailed ones only.
async fn mirrored(db: &Db, conn: &str) -> Vec<(String, Option<String>)> {
    let rows = sqlx::query(
        "SELECT ats_id, email FROM mirror WHERE connection_id = $1 AND detailed = 1 ORDER BY ats_id",
    )
    .bind(conn)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.iter()
        .map(|r| (r.try_get("ats_id").unwrap(), r.try_get("email").unwrap()))
        .collect()
}

/// The sandbox's people as the mirror should hold them: (ats id, email).
fn expected(sandbox: &SandboxHandle) -> Vec<(String, Option<String>)> {
    let mut people: Vec<_> = sandbox
        .state
        .people()
        .iter()
        .map(|p| {
            let email = p.email();
            (
                sandbox.state.ats_id(p),
                (!email.is_empty()).then(|| email.to_lowercase()),
            )
        })
        .collect();
    people.sort();
    people
}

fn lowercase_emails(rows: Vec<(String, Option<String>)>) -> Vec<(String, Option<String>)> {
    rows.into_iter()
        .map(|(id, e)| (id, e.map(|e| e.to_lowercase())))
        .collect()
}

/// Good key, wrong key, and (where keys carry permissions) a key missing
/// one: refused with a message naming it, and nothing stored.
pub async fn keys_are_checked(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 0).await;
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let admin = app.admin_token.clone();
    let wrong = connection_body(&app, "wrong-key-0000000001").await;
    let (s, refused) = app
        .call("POST", "/v1/connections", Some(&admin), Some(wrong))
        .await;
    assert_eq!(
        (s, refused["error"]["code"].as_str()),
        (422, Some("invalid_key")),
        "{refused}"
    );
    // Another service's address: refused as an address, not as a key or
    // a missing record.
    let mut elsewhere = connection_body(&app, ATS_KEY).await;
    elsewhere["base_url"] = json!(format!("{}/not-the-api", app.sandbox.url()));
    let (s, refused) = app
        .call("POST", "/v1/connections", Some(&admin), Some(elsewhere))
        .await;
    assert_eq!(
        (s, refused["error"]["code"].as_str()),
        (422, Some("invalid_request")),
        "{refused}"
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("base URL"),
        "{refused}"
    );
    // The answer says why and which field to check: the base URL, or the
    // setting that names the account in the API's address.
    assert_eq!(refused["error"]["reason"], "not_this_ats", "{refused}");
    let field = refused["error"]["field"].as_str().unwrap().to_string();
    if field != "base_url" {
        // A wrong account name (Workable's subdomain) at the right base URL
        // is refused the same way, naming that setting.
        let mut wrong_account = connection_body(&app, ATS_KEY).await;
        assert!(wrong_account["settings"].get(&field).is_some(), "{refused}");
        wrong_account["settings"][&field] = json!("not-this-account");
        let (s, refused) = app
            .call("POST", "/v1/connections", Some(&admin), Some(wrong_account))
            .await;
        assert_eq!(
            (
                s,
                refused["error"]["reason"].as_str(),
                refused["error"]["field"].as_str()
            ),
            (422, Some("not_this_ats"), Some(field.as_str())),
            "{refused}"
        );
    }
    connect(&app).await;
    if let Some(revoke) = subject.revoke_one_permission {
        let permission = revoke(&sandbox);
        let body = connection_body(&app, ATS_KEY).await;
        let (s, refused) = app
            .call("POST", "/v1/connections", Some(&admin), Some(body))
            .await;
        assert_eq!(
            (s, refused["error"]["code"].as_str()),
            (422, Some("insufficient_permissions")),
            "{refused}"
        );
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(message.contains(permission), "{message} names {permission}");
        // Named apart too, for the UI to show (as the ATS's settings word it:
        // Teamtailor's "Admin" scope is "Admin scope with Read" there).
        let named = refused["error"]["permission"].as_str().unwrap_or_default();
        assert!(named.contains(permission), "{refused} names {permission}");
    }
    let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the good key is stored: {list}"
    );
    drop(app);
    db.drop_db().await;
}

/// A full sync across many pages, cut off by a crash and resumed by another
/// server where the first stopped, then an incremental sync that brings a
/// newcomer.
pub async fn syncs_across_pages_resumes_after_a_crash_then_follows_changes(
    subject: Subject,
    backend: Backend,
) {
    // Six pages and more at 100 a page: a step (five pages) cannot finish.
    let sandbox = sandbox_for(subject, 640).await;
    let (app, db, master) = app_for(backend, sandbox.clone()).await;
    let conn = connect(&app).await;
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
    let cursor: Option<String> =
        sqlx::query("SELECT cursor FROM sync_state WHERE connection_id = $1")
            .bind(&conn)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .try_get("cursor")
            .unwrap();
    assert!(
        cursor.is_some(),
        "one step stops part-way through the listing"
    );
    let listed_before: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM mirror WHERE connection_id = $1")
            .bind(&conn)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
    assert!(listed_before > 0 && listed_before < 640, "{listed_before}");

    // The server dies; another one on the same database takes over.
    let admin = app.admin_token.clone();
    drop(app);
    let mut app = spawn_on(&db.url, master, sandbox.clone(), fast_settings()).await;
    app.admin_token = admin.clone();
    // Resumed, not restarted: its first step lists records the first
    // server never reached (a restart would list the same ones again).
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
    let listed_after: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM mirror WHERE connection_id = $1")
            .bind(&conn)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
    assert!(
        listed_after > listed_before,
        "{listed_before} then {listed_after}"
    );
    app.sync_fully().await;
    assert_eq!(
        lowercase_emails(mirrored(&app.state.db, &conn).await),
        expected(&sandbox),
        "every record, once, with its email"
    );

    // Incremental: someone new, then a sync on demand.
    let newcomer = sourcebar_sandbox::model::Person::new("Nadia", "Newcomer")
        .with_email("nadia.newcomer@example.org");
    let id = sandbox.state.add_person(newcomer);
    let (s, _) = app
        .call(
            "POST",
            &format!("/v1/connections/{conn}/sync"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, 202);
    app.sync_fully().await;
    let found = dedupe(
        &app,
        profile(
            "Nadia",
            "Newcomer",
            Some("nadia.newcomer@example.org"),
            None,
        ),
    )
    .await;
    assert_eq!(found["mirror_complete"], true);
    assert_eq!(match_ids(&found).first(), Some(&id), "{found}");
    drop(app);
    db.drop_db().await;
}

/// Before the mirror is complete, dedupe asks the ATS live, by email and by
/// name as far as its API can search.
pub async fn a_live_check_finds_people_the_way_the_ats_can_search(
    subject: Subject,
    backend: Backend,
) {
    let sandbox = sandbox_for(subject, 30).await;
    let known = sourcebar_sandbox::model::Person::new("Gwendolyn", "Abernathy")
        .with_email("gwen.abernathy@example.org");
    let id = sandbox.state.add_person(known);
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let caps = capabilities(&app, subject).await;
    connect(&app).await;

    let by_email = dedupe(
        &app,
        profile("G.", "A.", Some("gwen.abernathy@example.org"), None),
    )
    .await;
    assert_eq!(by_email["mirror_complete"], false);
    if claims(&caps, "email_search") {
        assert_eq!(match_ids(&by_email).first(), Some(&id), "{by_email}");
    }
    let by_name = dedupe(&app, profile("Gwendolyn", "Abernathy", None, None)).await;
    if claims(&caps, "name_search") {
        assert_eq!(match_ids(&by_name).first(), Some(&id), "{by_name}");
    }
    if !claims(&caps, "email_search") && !claims(&caps, "name_search") {
        // Nothing to search with: no match is invented.
        assert!(match_ids(&by_email).is_empty() && match_ids(&by_name).is_empty());
    }
    drop(app);
    db.drop_db().await;
}

/// An upload whose create answer is lost is delivered exactly once.
pub async fn a_create_whose_answer_is_lost_happens_exactly_once(
    subject: Subject,
    backend: Backend,
) {
    let sandbox = sandbox_for(subject, 10).await;
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let caps = capabilities(&app, subject).await;
    connect(&app).await;
    let mut body = profile(
        "Lost",
        "Answer",
        Some("lost.answer@example.org"),
        Some("https://www.linkedin.com/in/lost-answer"),
    );
    if !claims(&caps, "create_without_job") {
        // Refused as the rule it is, before the ATS is asked.
        let (s, refused) = app.upload(&app.admin_token, body.clone(), "no-job-1").await;
        assert_eq!(
            (s, refused["error"]["code"].as_str()),
            (422, Some("invalid_request")),
            "{refused}"
        );
        body["job_id"] = json!(open_job(&sandbox));
    }
    sandbox.state.faults.lock().unwrap().push(Fault {
        kind: FaultKind::DropAfterCommit,
        probability: 1.0,
        path_prefix: Some(sandbox.state.dialect().base_path().to_string()),
        latency_ms: None,
        method: Some("POST".into()),
    });
    let (s, queued) = app.upload(&app.admin_token, body.clone(), "lost-1").await;
    assert_eq!(s, 202, "{queued}");
    sandbox.state.faults.lock().unwrap().clear();
    for _ in 0..20 {
        sourcebar_companion::app::delivery::deliver_queued(&app.state)
            .await
            .unwrap();
    }
    let (s, again) = app.upload(&app.admin_token, body, "lost-1").await;
    assert_eq!(s, 201, "the retry replays the delivered upload: {again}");
    let copies = sandbox
        .state
        .people()
        .iter()
        .filter(|p| p.email() == "lost.answer@example.org")
        .count();
    assert_eq!(copies, 1);
    drop(app);
    db.drop_db().await;
}

/// A merge writes what the record lacks where the ATS takes it: the link
/// in its field (else in a note), a note, and the job.
pub async fn a_merge_writes_link_note_and_job_where_the_ats_takes_them(
    subject: Subject,
    backend: Backend,
) {
    let sandbox = sandbox_for(subject, 10).await;
    let person = sourcebar_sandbox::model::Person::new("Mira", "Okafor")
        .with_email("mira.okafor@example.org");
    let id = sandbox.state.add_person(person);
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let caps = capabilities(&app, subject).await;
    connect(&app).await;
    app.sync_fully().await;
    let job = open_job(&sandbox);
    let url = "https://www.linkedin.com/in/mira-okafor";
    let mut body = profile("Mira", "Okafor", Some("mira.okafor@example.org"), Some(url));
    body["profile"]["headline"] = json!("Head of Data at Nova");
    body["job_id"] = json!(job);
    let (s, merged) = app
        .call_with(
            "POST",
            &format!("/v1/candidates/{id}/merge"),
            Some(&app.admin_token),
            Some(body),
            Some("merge-1"),
        )
        .await;
    assert_eq!(s, 200, "{merged}");
    let record = sandbox.state.person(&id).unwrap();
    let notes: Vec<String> = sandbox
        .state
        .notes_of(&id)
        .into_iter()
        .map(|n| n.body)
        .collect();
    if claims(&caps, "link_update") {
        assert!(
            record.linkedin_url().contains("mira-okafor"),
            "the link is in its field"
        );
    } else if claims(&caps, "notes") {
        assert!(
            notes.iter().any(|n| n.contains(url)),
            "the link is in a note: {notes:?}"
        );
    }
    if claims(&caps, "notes") {
        assert!(
            notes.iter().any(|n| n.contains("Head of Data at Nova")),
            "{notes:?}"
        );
    } else {
        // No note endpoint: nothing is written, and the answer says so.
        assert!(
            !notes.iter().any(|n| n.contains("Head of Data at Nova")),
            "{notes:?}"
        );
        assert!(
            !changes_of(&merged).contains(&("note".into(), "appended".into())),
            "{merged}"
        );
    }
    if !claims(&caps, "notes") && !claims(&caps, "link_update") {
        // The link has nowhere to go: not claimed as written.
        assert!(
            changes_of(&merged).contains(&("profile_url".into(), "unchanged".into())),
            "{merged}"
        );
    }
    assert!(
        sandbox.state.jobs_of(&id).contains(&job),
        "added to the job"
    );
    assert_eq!(
        record.email(),
        "mira.okafor@example.org",
        "a merge never overwrites"
    );
    drop(app);
    db.drop_db().await;
}

/// What a provider's capabilities deny, its adapter refuses as
/// unsupported: it never pretends to search, write a note or a link.
pub async fn what_the_api_cannot_do_is_refused_never_faked(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 5).await;
    let id = sandbox.state.add_person(
        sourcebar_sandbox::model::Person::new("Ravi", "Ostrowski")
            .with_email("ravi.ostrowski@example.org"),
    );
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let caps = capabilities(&app, subject).await;
    let body = connection_body(&app, ATS_KEY).await;
    let settings: sourcebar_core::connection_settings::ConnectionSettings =
        serde_json::from_value(body["settings"].clone()).unwrap();
    let provider: sourcebar_ats::ProviderId =
        serde_json::from_value(body["provider"].clone()).unwrap();
    let ats = sourcebar_ats::connect(
        provider,
        sourcebar_ats::AccountAddress {
            base_url: body["base_url"].as_str(),
            settings: &settings,
        },
        sourcebar_ats::ApiKey::new(ATS_KEY),
    )
    .unwrap();
    let unsupported = |r: Result<(), sourcebar_ats::AtsError>| {
        matches!(r, Err(sourcebar_ats::AtsError::Unsupported(_)))
    };
    let interactive = sourcebar_ats::Priority::Interactive;
    if !claims(&caps, "email_search") {
        let r = ats
            .search_by_email("ravi.ostrowski@example.org", interactive)
            .await;
        assert!(unsupported(r.map(|_| ())), "email search");
    }
    if !claims(&caps, "name_search") {
        let r = ats.search_by_name("Ravi Ostrowski", 1, interactive).await;
        assert!(unsupported(r.map(|_| ())), "name search");
    }
    let before = sandbox.state.notes_of(&id).len();
    if !claims(&caps, "notes") {
        assert!(
            unsupported(ats.add_note(&id, "never written").await),
            "notes"
        );
    }
    if !claims(&caps, "link_update") {
        let r = ats
            .add_link(&id, "https://www.linkedin.com/in/ravi-ostrowski")
            .await;
        assert!(unsupported(r), "link update");
        assert!(sandbox.state.person(&id).unwrap().linkedin_url().is_empty());
    }
    assert_eq!(sandbox.state.notes_of(&id).len(), before, "nothing written");
    drop(app);
    db.drop_db().await;
}

/// A merge answer's changes: (field, action).
fn changes_of(merged: &Value) -> Vec<(String, String)> {
    merged["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap_or_default().to_string(),
                c["action"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The job picker offers every open public job and nothing else.
pub async fn only_open_public_jobs_are_offered(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 0).await;
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    connect(&app).await;
    let (s, jobs) = app
        .call("GET", "/v1/jobs", Some(&app.admin_token), None)
        .await;
    assert_eq!(s, 200, "{jobs}");
    let mut offered: Vec<String> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect();
    let mut wanted: Vec<String> = {
        let model = sandbox.state.model();
        model
            .jobs()
            .iter()
            .filter(|j| j.status == JobStatus::Open && !j.confidential && !j.private)
            .map(|j| sandbox.state.dialect().job_id(j))
            .collect()
    };
    offered.sort();
    wanted.sort();
    assert!(!wanted.is_empty());
    assert_eq!(offered, wanted);
    drop(app);
    db.drop_db().await;
}

/// 5xx answers are retried, the ATS's own 429 (with its headers) is waited
/// out, and a body that cannot be read stops the sync with that said, until
/// the ATS answers properly again.
pub async fn errors_and_limits_are_survived(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 120).await;
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let conn = connect(&app).await;
    let base = sandbox.state.dialect().base_path().to_string();
    // The ATS's own 429 (its headers, its body) and 503s, now and then.
    for (kind, probability) in [(FaultKind::RateLimit, 0.15), (FaultKind::Error503, 0.15)] {
        sandbox.state.faults.lock().unwrap().push(Fault {
            kind,
            probability,
            path_prefix: Some(base.clone()),
            latency_ms: None,
            method: None,
        });
    }
    // One 429 for certain: a provider whose lists are complete syncs 120
    // people in a few calls, where 15% alone may never meet one.
    sandbox.state.force_next(FaultKind::RateLimit, 1);
    app.sync_fully().await;
    assert_eq!(
        lowercase_emails(mirrored(&app.state.db, &conn).await),
        expected(&sandbox)
    );
    assert!(
        sandbox.state.stats.lock().unwrap().rate_limited > 0,
        "the ATS's own 429 was met"
    );

    // Unreadable answers: the sync says so and keeps nothing wrong.
    let admin = app.admin_token.clone();
    {
        let mut faults = sandbox.state.faults.lock().unwrap();
        faults.clear();
        faults.push(Fault {
            kind: FaultKind::Malformed,
            probability: 1.0,
            path_prefix: Some(base),
            latency_ms: None,
            method: None,
        });
    }
    app.call(
        "POST",
        &format!("/v1/connections/{conn}/sync"),
        Some(&admin),
        None,
    )
    .await;
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
    let status = app.sync_status(&admin, &conn).await;
    assert!(
        status["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("could not be read"),
        "{status}"
    );
    sandbox.state.faults.lock().unwrap().clear();
    app.sync_fully().await;
    let status = app.sync_status(&admin, &conn).await;
    assert!(status["last_error"].is_null(), "{status}");
    drop(app);
    db.drop_db().await;
}

/// Where the connect form asks for OAuth client credentials: tokens that
/// the ATS refuses as soon as they are minted (expired at once) refuse the
/// connection as a key, in words, and store nothing.
pub async fn expired_oauth_tokens_refuse_the_connection(subject: Subject, backend: Backend) {
    let sandbox = Arc::new(
        start(SandboxConfig {
            provider: Provider::named(subject.provider).unwrap(),
            api_key: ATS_KEY.into(),
            rate_limit: 1_000_000,
            token_lifetime: std::time::Duration::ZERO,
            ..Default::default()
        })
        .await
        .expect("the sandbox starts"),
    );
    let (app, db, _) = app_for(backend, sandbox).await;
    let (_, providers) = app
        .call("GET", "/v1/providers", Some(&app.admin_token), None)
        .await;
    let oauth = providers
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == subject.provider)
        .flat_map(|p| p["fields"].as_array().cloned().unwrap_or_default())
        .any(|f| f["name"] == "client_id");
    if oauth {
        let body = connection_body(&app, ATS_KEY).await;
        let (s, refused) = app
            .call(
                "POST",
                "/v1/connections",
                Some(&app.admin_token),
                Some(body),
            )
            .await;
        assert_eq!(
            (s, refused["error"]["code"].as_str()),
            (422, Some("invalid_key")),
            "{refused}"
        );
        let (_, list) = app
            .call("GET", "/v1/connections", Some(&app.admin_token), None)
            .await;
        assert_eq!(list, json!([]), "nothing stored");
    }
    drop(app);
    db.drop_db().await;
}

/// `GET /v1/candidates/{id}/applications`: the list and its stale header.
async fn applications_of(app: &TestApp, conn: &str, id: &str) -> (Vec<Value>, String) {
    let res = app
        .http
        .get(app.url(&format!("/v1/candidates/{id}/applications")))
        .query(&[("connection_id", conn)])
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let stale = res
        .headers()
        .get("sourcebar-stale")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (res.json().await.unwrap(), stale)
}

/// Every record's applications, read live (Workable keeps one record per
/// job); each answer is never stale.
async fn read_all(app: &TestApp, conn: &str, ids: &[String]) -> Vec<Value> {
    let mut all = Vec::new();
    for id in ids {
        let (read, stale) = applications_of(app, conn, id).await;
        assert_eq!(
            stale, "false",
            "never stale: fresh, or nothing newer exists"
        );
        all.extend(read);
    }
    all
}

/// Where the provider claims applications, a person's (job, stage,
/// status) are read live from the ATS, follow it, and then ride on the
/// dedupe match; where it does not, the ATS is not asked and nothing is
/// said to be stale.
pub async fn applications_are_read_where_the_ats_has_them(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 0).await;
    let (app, db, _) = app_for(backend, sandbox.clone()).await;
    let claimed = claims(&capabilities(&app, subject).await, "applications");
    let conn = connect(&app).await;
    let email = "ines.moreau@example.org";
    let id = sandbox
        .state
        .add_person(sourcebar_sandbox::Person::new("Inès", "Moreau").with_email(email));
    let (engineer, sales) = {
        let model = sandbox.state.model();
        let job = |title: &str| {
            let j = model.jobs().iter().find(|j| j.title == title).unwrap();
            sandbox.state.dialect().job_id(j)
        };
        (job("Senior Rust Engineer"), job("Talent Sourcer"))
    };
    let set = |body: Value| {
        let (app, sandbox) = (&app, &sandbox);
        async move {
            let res = app
                .http
                .post(format!("{}/_sandbox/applications", sandbox.url()))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 201);
        }
    };
    set(json!({"candidate_id": id, "job_id": engineer, "stage": "Phone screen"})).await;
    set(json!({"candidate_id": id, "job_id": sales, "status": "rejected"})).await;
    app.sync_fully().await;
    let answer = dedupe(&app, profile("Inès", "Moreau", Some(email), None)).await;
    let matched = match_ids(&answer);
    assert!(matched.contains(&id), "{answer}");
    let calls_before = sandbox.state.stats.lock().unwrap().total;
    let read = read_all(&app, &conn, &matched).await;
    if !claimed {
        assert_eq!(
            sandbox.state.stats.lock().unwrap().total,
            calls_before,
            "the ATS is not asked what it cannot tell"
        );
        assert!(read.iter().all(|a| a.get("stale").is_none()), "{read:?}");
        drop(app);
        db.drop_db().await;
        return;
    }
    let on = |list: &[Value], job: &str| {
        list.iter()
            .find(|a| a["job_id"] == job)
            .cloned()
            .unwrap_or_else(|| panic!("no application to {job}: {list:?}"))
    };
    let screen = on(&read, &engineer);
    assert_eq!(
        (&screen["stage"], &screen["status"]),
        (&json!("Phone screen"), &json!("active"))
    );
    assert_eq!(screen["job_title"], "Senior Rust Engineer");
    assert_eq!(on(&read, &sales)["status"], "rejected");

    // Moved on in the ATS: the live read follows; hired closes it.
    set(json!({"candidate_id": id, "job_id": engineer, "stage": "Offer"})).await;
    assert_eq!(
        on(&read_all(&app, &conn, &matched).await, &engineer)["stage"],
        "Offer"
    );
    set(json!({"candidate_id": id, "job_id": engineer, "status": "hired"})).await;
    assert_eq!(
        on(&read_all(&app, &conn, &matched).await, &engineer)["status"],
        "hired"
    );

    // What was read rides on the dedupe matches, from the mirror.
    let answer = dedupe(&app, profile("Inès", "Moreau", Some(email), None)).await;
    let carried: Vec<Value> = answer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["applications"].as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(on(&carried, &sales)["status"], "rejected", "{answer}");
    assert_eq!(on(&carried, &engineer)["status"], "hired", "{answer}");
    drop(app);
    db.drop_db().await;
}

/// Declares every case for each provider, on each backend.
macro_rules! conformance_suite {
    ($($provider:ident => $subject:expr),+ $(,)?) => {$(
        mod $provider {
            use super::*;
            conformance_cases!($subject;
                keys_are_checked,
                expired_oauth_tokens_refuse_the_connection,
                syncs_across_pages_resumes_after_a_crash_then_follows_changes,
                a_live_check_finds_people_the_way_the_ats_can_search,
                a_create_whose_answer_is_lost_happens_exactly_once,
                a_merge_writes_link_note_and_job_where_the_ats_takes_them,
                only_open_public_jobs_are_offered,
                errors_and_limits_are_survived,
                what_the_api_cannot_do_is_refused_never_faked,
                applications_are_read_where_the_ats_has_them,
            );
        }
    )+};
}

macro_rules! conformance_cases {
    ($subject:expr; $($case:ident),+ $(,)?) => {$(
        mod $case {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::super::$case($subject, Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::super::$case($subject, Backend::Postgres).await
            }
        }
    )+};
}

conformance_suite! {
    // JazzHR keys carry no separate permissions.
    jazzhr => Subject { provider: "jazzhr", revoke_one_permission: None },
    // Lever's keys carry per-endpoint permissions (its scopes).
    lever => Subject {
        provider: "lever",
        revoke_one_permission: Some(|sandbox| {
            sandbox.state.revoke_permission("opportunities:read:admin");
            "opportunities:read:admin"
        }),
    },
    // A Teamtailor key without the Admin scope cannot read candidates.
    teamtailor => Subject { provider: "teamtailor", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("Admin"); "Admin" }) },
    // Workable tokens carry scopes; without r_candidates nothing can be read.
    workable => Subject { provider: "workable", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("r_candidates"); "r_candidates" }) },
    greenhouse => Subject { provider: "greenhouse", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("harvest:candidates:list"); "harvest:candidates:list" }) },
    // Ashby keys carry permissions; without candidatesRead nothing can be read.
    ashby => Subject { provider: "ashby", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("candidatesRead"); "candidatesRead" }) },
    // SmartRecruiters keys carry permissions (spellings UNCONFIRMED; the sandbox's README).
    smartrecruiters => Subject { provider: "smartrecruiters", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("candidates_read"); "candidates_read" }) },
    // A BambooHR key acts with its user's access: no permission of its own to take.
    bamboohr => Subject { provider: "bamboohr", revoke_one_permission: None },
    // A Recruitee token acts with its user's permissions: none of its own to take.
    recruitee => Subject { provider: "recruitee", revoke_one_permission: None },
    // Personio's v2 credentials carry scopes; without the read scope nothing can be read.
    personio => Subject { provider: "personio", revoke_one_permission: Some(|sb| { sb.state.revoke_permission("personio:recruiting:read"); "personio:recruiting:read" }) },
}
