use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_sandbox::FaultKind;
use sqlx::Row;

fn profile(first: &str, last: &str, email: Option<&str>, url: Option<&str>) -> Value {
    json!({"profile": {"first_name": first, "last_name": last, "emails": email.map(|e| vec![e]).unwrap_or_default(), "profile_url": url}})
}

both_backends!(
    sync_then_dedupe_by_email_url_and_misspelled_name,
    |backend| async move {
        let (app, db) = spawn_app(backend, 250).await;
        let admin = app.admin_token.clone();
        app.sandbox.state.seed(serde_json::from_value(json!([
            {"first_name": "William", "last_name": "Van der Berg", "email": "bill.vdb@example.org", "location": "Lyon, France"},
            {"first_name": "Siobhán", "last_name": "O'Brien", "email": "siobhan@example.ie", "profile_url": "https://ie.linkedin.com/in/siobhan-obrien"},
        ])).unwrap());
        let conn = app.connect(&admin).await;
        // Before the first sync completes, the answer says the mirror is incomplete.
        let (_, early) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile("Bill", "van der Berg", None, None)),
            )
            .await;
        assert_eq!(early["mirror_complete"], false);
        app.sync_fully().await;
        let status = app.sync_status(&admin, &conn).await;
        assert_eq!(
            (
                status["done"].as_i64(),
                status["total"].as_i64(),
                status["state"].as_str()
            ),
            (Some(252), Some(252), Some("idle"))
        );

        let asked = app.sandbox.state.stats.lock().unwrap().total;
        let (_, by_email) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile(
                    "Somebody",
                    "Else",
                    Some("Bill.VDB@example.org"),
                    None,
                )),
            )
            .await;
        assert_eq!(by_email["verdict"], "exact");
        assert_eq!(by_email["mirror_complete"], true);
        assert_eq!(by_email["matches"][0]["reasons"][0]["kind"], "email");
        let (_, by_url) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile(
                    "S",
                    "O",
                    None,
                    Some("https://www.linkedin.com/in/Siobhan-OBrien/?trk=x"),
                )),
            )
            .await;
        assert_eq!(by_url["verdict"], "exact");
        assert_eq!(by_url["matches"][0]["candidate"]["first_name"], "Siobhán");
        let (_, by_name) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile("Bill", "Vandr Berg", None, None)),
            )
            .await;
        assert_eq!(by_name["verdict"], "possible", "{by_name}");
        let top = &by_name["matches"][0];
        assert_eq!(top["candidate"]["email"], "bill.vdb@example.org");
        let details: Vec<&str> = top["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["detail"].as_str().unwrap())
            .collect();
        assert!(
            details[0].starts_with("same name, nickname") || details[0].starts_with("similar name"),
            "{details:?}"
        );
        let (_, nobody) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile("Quentin", "Zyxwvut", Some("qz@nowhere.test"), None)),
            )
            .await;
        assert_eq!(nobody["verdict"], "none");
        assert_eq!(
            app.sandbox.state.stats.lock().unwrap().total,
            asked,
            "dedupe from a complete mirror asks the ATS nothing"
        );

        // Removed from the ATS: gone from the mirror after the next full pass.
        let gone = by_email["matches"][0]["candidate"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(app.sandbox.state.remove_person(&gone));
        sqlx::query("UPDATE sync_state SET last_full_at = 1")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        app.sync_fully().await;
        let (_, after) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(profile(
                    "Somebody",
                    "Else",
                    Some("bill.vdb@example.org"),
                    None,
                )),
            )
            .await;
        assert_eq!(after["verdict"], "none", "{after}");
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    a_sync_resumes_after_a_restart_and_writes_nobody_twice,
    |backend| async move {
        let tdb = TestDb::new(backend).await;
        let master = MasterKey::generate();
        let sb = sandbox(450).await;
        let mut app = spawn_on(&tdb.url, master.clone(), sb.clone(), fast_settings()).await;
        let admin = app.create_team("acme").await;
        app.connect(&admin).await;
        // One step lists five pages at most; then the server "crashes".
        sourcebar_companion::app::sync::run_once(&app.state)
            .await
            .unwrap();
        let listed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM mirror")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert!(listed > 0 && listed <= 450);
        let calls_before = sb.state.stats.lock().unwrap().total;
        drop(app);
        let app = spawn_on(&tdb.url, master, sb.clone(), fast_settings()).await;
        // The lease of the crashed server must expire before another takes over.
        sqlx::query("UPDATE sync_state SET lease_until = 0")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        app.sync_fully().await;
        let rows: Vec<(String, i64)> = sqlx::query("SELECT ats_id, detailed FROM mirror")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("ats_id").unwrap(), r.try_get("detailed").unwrap()))
            .collect();
        assert_eq!(rows.len(), 450);
        assert!(rows.iter().all(|(_, d)| *d == 1));
        // Resumed, not restarted: ~5 list pages + 450 details + a few, not twice that.
        let calls = sb.state.stats.lock().unwrap().total - calls_before;
        assert!(calls < 470, "{calls} calls after the restart");
        drop(app);
        tdb.drop_db().await;
    }
);

both_backends!(
    an_upload_while_the_ats_is_down_is_queued_then_delivered_once,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        app.connect(&admin).await;
        let body = json!({"profile": {"first_name": "Queued", "last_name": "Person", "emails": ["queued@example.org"]}});
        app.sandbox.state.faults.lock().unwrap().push(fault(
            FaultKind::Error503,
            1.0,
            "/v1/applicants",
        ));
        let (s, queued) = app.upload(&admin, body.clone(), "q-1").await;
        assert_eq!(
            (s, queued["state"].as_str()),
            (202, Some("queued")),
            "{queued}"
        );
        let id = queued["upload_id"].as_str().unwrap();
        // The companion restarts: the queue is in the database.
        let (s, again) = app.upload(&admin, body.clone(), "q-1").await;
        assert_eq!(
            (s, &again),
            (202, &queued),
            "a retry replays, it does not queue twice"
        );
        app.sandbox.state.faults.lock().unwrap().clear();
        sourcebar_companion::app::uploads::deliver_queued(&app.state)
            .await
            .unwrap();
        let (_, status) = app
            .call("GET", &format!("/v1/uploads/{id}"), Some(&admin), None)
            .await;
        assert_eq!(status["state"], "created", "{status}");
        assert_eq!(
            app.sandbox
                .state
                .people()
                .iter()
                .filter(|p| p.email() == "queued@example.org")
                .count(),
            1
        );
        let (s, replay) = app.upload(&admin, body, "q-1").await;
        assert_eq!((s, replay["state"].as_str()), (201, Some("created")));
        // Missing fields are named.
        let (s, bad) = app
            .upload(
                &admin,
                json!({"profile": {"first_name": "A", "emails": ["a@b.io"]}}),
                "bad",
            )
            .await;
        assert_eq!(
            (s, bad["error"]["code"].as_str()),
            (422, Some("invalid_request"))
        );
        assert!(bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("last_name"));
        let (s, _) = app
            .call(
                "POST",
                "/v1/candidates",
                Some(&admin),
                Some(
                    json!({"profile": {"first_name": "A", "last_name": "B", "emails": ["a@b.io"]}}),
                ),
            )
            .await;
        assert_eq!(s, 422, "no Idempotency-Key");
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(merge_appends_and_overwrites_nothing, |backend| async move {
    let (app, db) = spawn_app(backend, 0).await;
    let admin = app.admin_token.clone();
    app.sandbox.state.seed(serde_json::from_value(json!([
        {"first_name": "Ana", "last_name": "Pérez", "email": "ana@old.example", "phone": "+34 600 000 000"}])).unwrap());
    app.connect(&admin).await;
    app.sync_fully().await;
    let (_, jobs) = app.call("GET", "/v1/jobs", Some(&admin), None).await;
    assert!(jobs
        .as_array()
        .unwrap()
        .iter()
        .all(|j| !j["title"].as_str().unwrap().contains("confidential")));
    let job = jobs[0]["id"].as_str().unwrap();
    let (_, found) = app
        .call(
            "POST",
            "/v1/dedupe",
            Some(&admin),
            Some(profile("Ana", "Perez", None, None)),
        )
        .await;
    let ats_id = found["matches"][0]["candidate"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"profile": {"first_name": "Ana", "last_name": "Pérez", "emails": ["ana@new.example"], "headline": "CTO at Nova", "profile_url": "https://www.linkedin.com/in/ana-perez/"}, "job_id": job});
    let (s, merged) = app
        .call_with(
            "POST",
            &format!("/v1/candidates/{ats_id}/merge"),
            Some(&admin),
            Some(body.clone()),
            Some("m-1"),
        )
        .await;
    assert_eq!(s, 200, "{merged}");
    let changes: Vec<(String, String)> = merged["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().into(),
                c["action"].as_str().unwrap().into(),
            )
        })
        .collect();
    for want in [
        ("email", "unchanged"),
        ("profile_url", "appended"),
        ("note", "appended"),
        ("job", "added"),
    ] {
        assert!(
            changes.contains(&(want.0.into(), want.1.into())),
            "{changes:?}"
        );
    }
    let record = app.sandbox.state.person(&ats_id).unwrap();
    assert_eq!(record.email(), "ana@old.example", "merge never overwrites");
    assert_eq!(app.sandbox.state.jobs_of(&ats_id), vec![job.to_string()]);
    let notes: Vec<String> = app
        .sandbox
        .state
        .notes()
        .into_iter()
        .map(|n| n.body)
        .collect();
    assert!(notes.iter().any(
        |n| n.contains("LinkedIn: https://www.linkedin.com/in/ana-perez/")
            && n.contains("CTO at Nova")
    ));
    // A replay changes nothing more; the attached URL now finds her exactly.
    app.call_with(
        "POST",
        &format!("/v1/candidates/{ats_id}/merge"),
        Some(&admin),
        Some(body),
        Some("m-1"),
    )
    .await;
    assert_eq!(app.sandbox.state.notes().len(), 1);
    let (_, exact) = app
        .call(
            "POST",
            "/v1/dedupe",
            Some(&admin),
            Some(profile(
                "A",
                "P",
                None,
                Some("https://fr.linkedin.com/in/ana-perez"),
            )),
        )
        .await;
    assert_eq!(exact["verdict"], "exact");
    drop(app);
    db.drop_db().await;
});

both_backends!(
    a_thousand_uploads_through_faults_make_one_applicant_each,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        app.connect(&admin).await;
        {
            let mut faults = app.sandbox.state.faults.lock().unwrap();
            faults.push(fault(FaultKind::DropAfterCommit, 0.1, "/v1/applicants"));
            faults.push(fault(FaultKind::Error503, 0.1, "/v1/applicants"));
            faults.push(fault(FaultKind::RateLimit, 0.05, "/v1/applicants"));
        }
        let n = 1000;
        let mut handles = Vec::new();
        let app = std::sync::Arc::new(app);
        for worker in 0..8 {
            let app = app.clone();
            let admin = admin.clone();
            handles.push(tokio::spawn(async move {
                for i in (worker..n).step_by(8) {
                    let body = profile(
                        &format!("Load{i}"),
                        "Tester",
                        Some(&format!("load{i}@example.org")),
                        None,
                    );
                    // Every tenth upload is sent twice, as a client retry would.
                    for _ in 0..if i % 10 == 0 { 2 } else { 1 } {
                        let (s, answer) =
                            app.upload(&admin, body.clone(), &format!("load-{i}")).await;
                        assert!(s == 201 || s == 202, "{s} {answer}");
                    }
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        app.sandbox.state.faults.lock().unwrap().clear();
        for _ in 0..50 {
            sqlx::query("UPDATE uploads SET lease_until = NULL")
                .execute(&app.state.db.pool)
                .await
                .unwrap();
            while sourcebar_companion::app::uploads::deliver_queued(&app.state)
                .await
                .unwrap()
                > 0
            {
                sqlx::query("UPDATE uploads SET lease_until = NULL")
                    .execute(&app.state.db.pool)
                    .await
                    .unwrap();
            }
            let left: i64 =
                sqlx::query("SELECT COUNT(*) AS n FROM uploads WHERE state <> 'created'")
                    .fetch_one(&app.state.db.pool)
                    .await
                    .unwrap()
                    .try_get("n")
                    .unwrap();
            if left == 0 {
                break;
            }
        }
        let states: Vec<String> = sqlx::query_scalar("SELECT state FROM uploads")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(states.len(), n, "one upload per idempotency key");
        assert!(states.iter().all(|s| s == "created"), "none lost");
        let mut per_email = std::collections::HashMap::new();
        for p in app.sandbox.state.people() {
            *per_email.entry(p.email().to_string()).or_insert(0) += 1;
        }
        assert_eq!(per_email.len(), n);
        assert!(
            per_email.values().all(|c| *c == 1),
            "a duplicate applicant was created"
        );
        db.drop_db().await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_one_postgres() {
    let tdb = TestDb::new(Backend::Postgres).await;
    let master = MasterKey::generate();
    let sb = sandbox(120).await;
    let mut one = spawn_on(&tdb.url, master.clone(), sb.clone(), fast_settings()).await;
    let two = spawn_on(&tdb.url, master, sb.clone(), fast_settings()).await;
    let admin = one.create_team("acme").await;
    let conn = one.connect(&admin).await;
    // State lives in the database: what one server issued, the other honours.
    assert_eq!(two.call("GET", "/v1/me", Some(&admin), None).await.0, 200);
    assert_eq!(
        two.call(
            "POST",
            &format!("/v1/connections/{conn}/test"),
            Some(&admin),
            None
        )
        .await
        .0,
        200
    );
    // Both run sync steps; the lease lets one work at a time, nothing is written twice.
    for _ in 0..400 {
        let (a, b) = tokio::join!(
            sourcebar_companion::app::sync::run_once(&one.state),
            sourcebar_companion::app::sync::run_once(&two.state)
        );
        a.unwrap();
        b.unwrap();
        let done: i64 = sqlx::query("SELECT full_done FROM sync_state")
            .fetch_one(&one.state.db.pool)
            .await
            .unwrap()
            .try_get("full_done")
            .unwrap();
        if done == 1 {
            break;
        }
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM mirror")
        .fetch_one(&one.state.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(n, 120);
    let body = profile("Twin", "Upload", Some("twin@example.org"), None);
    let (a, b) = tokio::join!(
        one.upload(&admin, body.clone(), "twin"),
        two.upload(&admin, body.clone(), "twin")
    );
    assert!([a.0, b.0].contains(&201), "{a:?} {b:?}");
    assert_eq!(
        sb.state
            .people()
            .iter()
            .filter(|p| p.email() == "twin@example.org")
            .count(),
        1
    );
    drop((one, two));
    tdb.drop_db().await;
}
