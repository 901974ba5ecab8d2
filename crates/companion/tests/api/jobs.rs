//! The job mirror, for every provider against its sandbox, on SQLite and
//! PostgreSQL: the picker answers from it, a job opened, closed or deleted
//! in the ATS shows up in or leaves the picker after "Sync now" and after
//! the scheduled refresh, and a confidential job is never offered.

use crate::conformance::{connect, sandbox_for, Subject};
use crate::helpers::*;
use serde_json::{json, Value};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::state::Settings;
use sourcebar_sandbox::model::JobStatus;
use sourcebar_sandbox::SandboxHandle;
use std::sync::Arc;
use std::time::Duration;

/// A companion with a team over a fresh database, with `settings`.
async fn app_with(
    backend: Backend,
    sandbox: Arc<SandboxHandle>,
    settings: Settings,
) -> (TestApp, TestDb) {
    let db = TestDb::new(backend).await;
    let mut app = spawn_on(&db.url, MasterKey::generate(), sandbox, settings).await;
    app.admin_token = app.create_team("acme").await;
    (app, db)
}

/// `GET /v1/jobs[?q=]`: the titles offered, sorted, and where they came from.
async fn picker(app: &TestApp, q: Option<&str>) -> (Vec<String>, String) {
    let mut req = app
        .http
        .get(app.url("/v1/jobs"))
        .bearer_auth(&app.admin_token);
    if let Some(q) = q {
        req = req.query(&[("q", q)]);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let source = res
        .headers()
        .get("sourcebar-jobs-source")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let jobs: Vec<Value> = res.json().await.unwrap();
    let mut titles: Vec<String> = jobs
        .iter()
        .map(|j| j["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    (titles, source)
}

/// What the ATS has open for everyone, by title, sorted.
fn open_public(sandbox: &SandboxHandle) -> Vec<String> {
    let model = sandbox.state.model();
    let mut titles: Vec<String> = model
        .jobs()
        .iter()
        .filter(|j| j.status == JobStatus::Open && !j.confidential && !j.private)
        .map(|j| j.title.clone())
        .collect();
    titles.sort();
    titles
}

/// `POST /_sandbox/jobs`; the id the ATS gives the job.
async fn new_job(app: &TestApp, body: Value) -> String {
    let res = app
        .http
        .post(format!("{}/_sandbox/jobs", app.sandbox.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let answer: Value = res.json().await.unwrap();
    answer["id"].as_str().unwrap().to_string()
}

async fn sandbox_call(app: &TestApp, method: &str, path: &str, body: Option<Value>) -> u16 {
    let mut req = app.http.request(
        method.parse().unwrap(),
        format!("{}{path}", app.sandbox.url()),
    );
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap().status().as_u16()
}

/// "Sync now" as the admin, then one sync step.
async fn sync_now(app: &TestApp, conn: &str) {
    let (s, status) = app
        .call(
            "POST",
            &format!("/v1/connections/{conn}/sync"),
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(s, 202, "{status}");
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
}

/// Jobs opened, closed and deleted in the ATS show up in and leave the
/// picker after "Sync now" (the scheduled refresh is hours away), with
/// type-to-filter; confidential ones never show; deactivating keeps them.
pub async fn sync_now_brings_the_picker_in_step(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 0).await;
    let (app, db) = app_with(backend, sandbox.clone(), fast_settings()).await;
    let conn = connect(&app).await;
    // Before any sync, the ATS is asked live, and says so.
    let (live, source) = picker(&app, None).await;
    assert_eq!(source, "live");
    assert_eq!(live, open_public(&sandbox));

    app.sync_fully().await;
    let (mirrored, source) = picker(&app, None).await;
    assert_eq!(source, "mirror");
    assert_eq!(mirrored, open_public(&sandbox));

    let backend_job = new_job(&app, json!({"title": "Backend Engineer"})).await;
    new_job(
        &app,
        json!({"title": "Backend Lead (secret)", "confidential": true}),
    )
    .await;
    // The mirror answers until the next sync: nothing new yet.
    assert!(!picker(&app, None)
        .await
        .0
        .contains(&"Backend Engineer".to_string()));
    sync_now(&app, &conn).await;
    let (offered, _) = picker(&app, None).await;
    assert!(
        offered.contains(&"Backend Engineer".to_string()),
        "{offered:?}"
    );
    assert!(!offered.iter().any(|t| t.contains("secret")), "{offered:?}");
    assert_eq!(offered, open_public(&sandbox));
    // Type-to-filter: any case, accents ignored, confidential still out.
    assert_eq!(
        picker(&app, Some("BACKÉND")).await.0,
        vec!["Backend Engineer".to_string()]
    );
    assert!(picker(&app, Some("zzz")).await.0.is_empty());

    // Closed in the ATS, and another deleted there: both leave.
    assert_eq!(
        sandbox_call(
            &app,
            "PATCH",
            &format!("/_sandbox/jobs/{backend_job}"),
            Some(json!({"status": "closed"}))
        )
        .await,
        204
    );
    let sourcer = {
        let model = sandbox.state.model();
        let job = model
            .jobs()
            .iter()
            .find(|j| j.title == "Talent Sourcer")
            .unwrap();
        sandbox.state.dialect().job_id(job)
    };
    assert_eq!(
        sandbox_call(&app, "DELETE", &format!("/_sandbox/jobs/{sourcer}"), None).await,
        204
    );
    sync_now(&app, &conn).await;
    let (offered, _) = picker(&app, None).await;
    assert!(!offered.contains(&"Backend Engineer".to_string()));
    assert!(!offered.contains(&"Talent Sourcer".to_string()));
    assert_eq!(offered, open_public(&sandbox));

    // The status counts every job the mirror keeps (all states).
    let status = app.sync_status(&app.admin_token, &conn).await;
    let kept = i64::try_from(sandbox.state.model().jobs().len()).unwrap();
    assert_eq!(status["counts"]["jobs"], kept, "{status}");
    assert!(status["next_run_at"].is_string(), "{status}");
    assert!(status["jobs_error"].is_null(), "{status}");
    // Deactivated: sync stops, the jobs are kept.
    let (s, _) = app
        .call(
            "POST",
            &format!("/v1/connections/{conn}/deactivate"),
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let status = app.sync_status(&app.admin_token, &conn).await;
    assert_eq!(status["counts"]["jobs"], kept, "{status}");
    assert!(status["next_run_at"].is_null(), "{status}");
    drop(app);
    db.drop_db().await;
}

/// With a short `job_sync_interval`, the scheduled refresh alone brings a
/// new job in and takes a closed one out.
pub async fn the_scheduled_refresh_brings_the_picker_in_step(subject: Subject, backend: Backend) {
    let sandbox = sandbox_for(subject, 0).await;
    let settings = Settings {
        job_sync_interval: Duration::from_millis(300),
        ..fast_settings()
    };
    let (app, db) = app_with(backend, sandbox.clone(), settings).await;
    connect(&app).await;
    app.sync_fully().await;
    let id = new_job(&app, json!({"title": "Site Reliability Engineer"})).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
    assert!(picker(&app, Some("reliability"))
        .await
        .0
        .contains(&"Site Reliability Engineer".to_string()));
    sandbox_call(
        &app,
        "PATCH",
        &format!("/_sandbox/jobs/{id}"),
        Some(json!({"status": "archived"})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    sourcebar_companion::app::sync::run_once(&app.state)
        .await
        .unwrap();
    assert!(picker(&app, Some("reliability")).await.0.is_empty());
    assert_eq!(picker(&app, None).await.0, open_public(&sandbox));
    drop(app);
    db.drop_db().await;
}

macro_rules! job_cases {
    ($($provider:ident => $subject:expr),+ $(,)?) => {$(
        mod $provider {
            use super::*;
            job_backends!($subject;
                sync_now_brings_the_picker_in_step,
                the_scheduled_refresh_brings_the_picker_in_step,
            );
        }
    )+};
}

macro_rules! job_backends {
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

job_cases! {
    jazzhr => Subject { provider: "jazzhr", revoke_one_permission: None },
    greenhouse => Subject { provider: "greenhouse", revoke_one_permission: None },
    lever => Subject { provider: "lever", revoke_one_permission: None },
    teamtailor => Subject { provider: "teamtailor", revoke_one_permission: None },
    workable => Subject { provider: "workable", revoke_one_permission: None },
}

/// `GET /v1/candidates/{id}/applications` for JazzHR: the ATS's answer when
/// it gives one in time, else the mirror's, marked stale.
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

/// A person's applications (job, stage, status) reach the dedupe match
/// through the sync, and the live read follows the ATS; when the ATS fails,
/// the mirror answers and says it may be stale.
async fn applications_follow_the_ats(backend: Backend) {
    let subject = Subject {
        provider: "jazzhr",
        revoke_one_permission: None,
    };
    let sandbox = sandbox_for(subject, 0).await;
    let (app, db) = app_with(backend, sandbox.clone(), fast_settings()).await;
    let conn = connect(&app).await;
    let person =
        sourcebar_sandbox::Person::new("Inès", "Moreau").with_email("ines.moreau@example.org");
    let id = sandbox.state.add_person(person);
    let (engineer, sales) = {
        let model = sandbox.state.model();
        let job = |title: &str| {
            let j = model.jobs().iter().find(|j| j.title == title).unwrap();
            sandbox.state.dialect().job_id(j)
        };
        (job("Senior Rust Engineer"), job("Talent Sourcer"))
    };
    for body in [
        json!({"candidate_id": id, "job_id": engineer, "stage": "Phone screen"}),
        json!({"candidate_id": id, "job_id": sales, "status": "rejected"}),
    ] {
        let res = app
            .http
            .post(format!("{}/_sandbox/applications", sandbox.url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
    }
    app.sync_fully().await;

    // The dedupe match carries them, from the mirror.
    let (s, answer) = app
        .call(
            "POST",
            "/v1/dedupe",
            Some(&app.admin_token),
            Some(
                json!({"profile": {"first_name": "Inès", "last_name": "Moreau",
                "emails": ["ines.moreau@example.org"]}}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{answer}");
    let applications = answer["matches"][0]["applications"].as_array().unwrap();
    let by_job = |list: &[Value], title: &str| {
        list.iter()
            .find(|a| a["job_title"] == title)
            .cloned()
            .unwrap_or_else(|| panic!("no application to {title}: {list:?}"))
    };
    let screen = by_job(applications, "Senior Rust Engineer");
    assert_eq!(screen["stage"], "Phone screen");
    assert_eq!(screen["status"], "active");
    assert_eq!(by_job(applications, "Talent Sourcer")["status"], "rejected");

    // Moved on in the ATS: the live read sees it at once, dated.
    let res = app
        .http
        .post(format!("{}/_sandbox/applications", sandbox.url()))
        .json(&json!({"candidate_id": id, "job_id": engineer, "stage": "Offer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let (fresh, stale) = applications_of(&app, &conn, &id).await;
    assert_eq!(stale, "false");
    let offer = by_job(&fresh, "Senior Rust Engineer");
    assert_eq!(offer["stage"], "Offer");
    assert!(offer.get("stale").is_none());
    assert!(offer["updated_at"].as_str().is_some_and(|d| d.len() >= 10));

    // The ATS fails: the mirror answers (with what the live read kept), stale.
    sandbox.state.faults.lock().unwrap().push(fault(
        sourcebar_sandbox::FaultKind::Error500,
        1.0,
        "/v1/applicants",
    ));
    let (kept, stale) = applications_of(&app, &conn, &id).await;
    assert_eq!(stale, "true");
    let offer = by_job(&kept, "Senior Rust Engineer");
    assert_eq!(offer["stage"], "Offer");
    assert_eq!(offer["stale"], true);
    drop(app);
    db.drop_db().await;
}

crate::both_backends!(
    applications_follow_the_ats_jazzhr,
    applications_follow_the_ats
);
