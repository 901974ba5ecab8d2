//! Bulk work: batch dedupe and imports, on both backends.

use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};

/// The sandbox's known people for these tests.
fn known_people() -> Value {
    json!([
        {"first_name": "William", "last_name": "Van der Berg", "email": "bill.vdb@example.org"},
        {"first_name": "Siobhán", "last_name": "O'Brien", "email": "siobhan@example.ie", "profile_url": "https://ie.linkedin.com/in/siobhan-obrien"},
    ])
}

/// A synced team whose ATS knows [`known_people`] and `seed` others.
async fn synced_app(backend: Backend, seed: usize) -> (TestApp, TestDb, String) {
    let (app, db) = spawn_app(backend, seed).await;
    app.sandbox
        .state
        .seed(serde_json::from_value(known_people()).unwrap());
    let conn = app.connect(&app.admin_token.clone()).await;
    app.sync_fully().await;
    (app, db, conn)
}

both_backends!(
    batch_dedupe_answers_each_profile_as_dedupe_does_in_order,
    |backend| async move {
        let (app, db, _) = synced_app(backend, 50).await;
        let admin = app.admin_token.clone();
        let member = app.invite_member(&admin, "sam@acme.test").await;
        let profiles = vec![
            json!({"first_name": "X", "last_name": "Y", "emails": ["Bill.VDB@example.org"]}),
            json!({"first_name": "Quentin", "last_name": "Zyxwvut"}),
            json!({"profile_url": "fr.linkedin.com/in/Siobhan-OBrien/"}),
            json!({"first_name": "Bill", "last_name": "Vandr Berg"}),
        ];
        let (s, batch) = app
            .call(
                "POST",
                "/v1/dedupe/batch",
                Some(&member),
                Some(json!({"profiles": profiles})),
            )
            .await;
        assert_eq!(s, 200, "{batch}");
        let results = batch["results"].as_array().unwrap();
        let verdicts: Vec<&str> = results
            .iter()
            .map(|r| r["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(verdicts, ["exact", "none", "exact", "possible"]);
        // The same answers, match for match, as one /v1/dedupe call each.
        for (p, r) in profiles.iter().zip(results) {
            let (_, one) = app
                .call(
                    "POST",
                    "/v1/dedupe",
                    Some(&member),
                    Some(json!({"profile": p})),
                )
                .await;
            assert_eq!(one["verdict"], r["verdict"]);
            assert_eq!(one["matches"], r["matches"]);
        }

        let too_many = vec![json!({"first_name": "A"}); 101];
        let (s, e) = app
            .call(
                "POST",
                "/v1/dedupe/batch",
                Some(&member),
                Some(json!({"profiles": too_many})),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_request"))
        );
        let long = "x".repeat(300);
        let (s, e) = app
            .call(
                "POST",
                "/v1/dedupe/batch",
                Some(&member),
                Some(json!({"profiles": [{"first_name": "A"}, {"company": long}]})),
            )
            .await;
        assert_eq!(s, 422);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("profiles[1]"),
            "{e}"
        );
        let (s, _) = app
            .call(
                "POST",
                "/v1/dedupe/batch",
                None,
                Some(json!({"profiles": []})),
            )
            .await;
        assert_eq!(s, 401);
        drop(app);
        db.drop_db().await;
    }
);

/// `POST /v1/imports` with these files as `file` parts.
async fn import_files(app: &TestApp, token: &str, files: &[(&str, Vec<u8>)]) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    let res = app
        .http
        .post(app.url("/v1/imports"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Polls `GET /v1/imports/{id}` until its state is `want` (at most 60 s).
async fn wait_for(app: &TestApp, token: &str, id: &str, want: &str) -> Value {
    let start = std::time::Instant::now();
    loop {
        let (s, view) = app
            .call("GET", &format!("/v1/imports/{id}"), Some(token), None)
            .await;
        assert_eq!(s, 200, "{view}");
        if view["state"] == want {
            return view;
        }
        assert!(start.elapsed().as_secs() < 60, "never {want}: {view}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn rows_of(app: &TestApp, token: &str, id: &str, query: &str) -> Vec<Value> {
    let (s, rows) = app
        .call(
            "GET",
            &format!("/v1/imports/{id}/rows{query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(s, 200, "{rows}");
    rows.as_array().unwrap().clone()
}

fn applicants_with(app: &TestApp, email: &str) -> Vec<String> {
    let sandbox = &app.sandbox.state;
    sandbox
        .people()
        .iter()
        .filter(|p| p.email() == email)
        .map(|p| sandbox.ats_id(p))
        .collect()
}

/// A French semicolon CSV in Windows-1252 holding: a known person by email,
/// a possible one by name, two new people (one twice), a bad email and an
/// empty line.
fn mixed_csv() -> Vec<u8> {
    let text = "Prénom;Nom;Courriel;Entreprise\r\n\
                Somebody;Else;Bill.VDB@example.org;Acme\r\n\
                Bill;Vandr Berg;;\r\n\
                Zoë;Roy;zoe.roy@example.fr;Café & Co\r\n\
                ;;;\r\n\
                Bob;Martin;pas-un-email;\r\n\
                Zoë;Roy;ZOE.ROY@example.fr;\r\n\
                Anaïs;Petit;anais.petit@example.fr;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}

both_backends!(
    a_csv_and_pasted_urls_get_a_verdict_per_row_with_lines_and_duplicates,
    |backend| async move {
        let (app, db, _) = synced_app(backend, 30).await;
        let admin = app.admin_token.clone();
        let member = app.invite_member(&admin, "sam@acme.test").await;
        let (s, created) = import_files(&app, &member, &[("contacts.csv", mixed_csv())]).await;
        assert_eq!(s, 201, "{created}");
        assert_eq!(created["rows"], 6, "the empty line is no row");
        let id = created["id"].as_str().unwrap();
        let view = wait_for(&app, &member, id, "ready").await;
        assert_eq!(view["checked"], 6);
        assert_eq!(
            view["counts"],
            json!({"exact": 1, "possible": 1, "none": 3, "invalid": 1, "created": 0, "merged": 0, "failed": 0, "waiting": 0, "duplicates": 1})
        );
        let rows = rows_of(&app, &member, id, "").await;
        let summary: Vec<(u64, u64, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r["row"].as_u64().unwrap(),
                    r["source"]["line"].as_u64().unwrap(),
                    r["verdict"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (1, 2, "exact"),
                (2, 3, "possible"),
                (3, 4, "none"),
                (4, 6, "invalid"),
                (5, 7, "none"),
                (6, 8, "none")
            ]
        );
        assert_eq!(rows[0]["matches"][0]["reasons"][0]["kind"], "email");
        assert_eq!(
            rows[2]["profile"]["first_name"], "Zoë",
            "decoded from Windows-1252"
        );
        assert_eq!(rows[2]["profile"]["company"], "Café & Co");
        assert_eq!(rows[3]["error"]["code"], "invalid_email");
        assert_eq!(rows[4]["duplicate_of"], 3);
        // Filter and pages.
        let new = rows_of(&app, &member, id, "?verdict=none").await;
        assert_eq!(
            new.iter()
                .map(|r| r["row"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            [3, 5, 6]
        );
        let page = rows_of(&app, &member, id, "?verdict=none&after=3&limit=1").await;
        assert_eq!(page.len(), 1);
        assert_eq!(page[0]["row"], 5);

        // Pasted URLs: any LinkedIn form; what is not a profile stays, invalid.
        let pasted = "https://fr.linkedin.com/in/Siobhan-OBrien/?trk=x\nwww.linkedin.com/in/new-person-1a2b, https://www.linkedin.com/company/acme";
        let (s, created) = app
            .call(
                "POST",
                "/v1/imports",
                Some(&member),
                Some(json!({"urls": pasted})),
            )
            .await;
        assert_eq!((s, created["rows"].as_u64()), (201, Some(3)), "{created}");
        let id = created["id"].as_str().unwrap();
        wait_for(&app, &member, id, "ready").await;
        let rows = rows_of(&app, &member, id, "").await;
        let verdicts: Vec<&str> = rows
            .iter()
            .map(|r| r["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(verdicts, ["exact", "none", "invalid"]);
        assert_eq!(
            rows[1]["profile"]["profile_url"],
            "https://www.linkedin.com/in/new-person-1a2b/"
        );
        assert_eq!(rows[2]["error"]["code"], "not_profile_url");
        assert_eq!(
            rows[2]["source"]["cells"][0][1],
            "https://www.linkedin.com/company/acme"
        );

        // The audit log has the import's name and counts, never its rows.
        let (_, audit) = app
            .call("GET", "/v1/audit?action=import", Some(&admin), None)
            .await;
        let text = audit.to_string();
        assert!(text.contains("contacts.csv"), "{text}");
        assert!(
            !text.contains("zoe.roy") && !text.contains("Vandr"),
            "{text}"
        );
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    only_the_importer_or_an_admin_sees_an_import,
    |backend| async move {
        let (mut app, db, _) = synced_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let sam = app.invite_member(&admin, "sam@acme.test").await;
        let kim = app.invite_member(&admin, "kim@acme.test").await;
        let (_, created) = app
            .call(
                "POST",
                "/v1/imports",
                Some(&sam),
                Some(json!({"urls": "linkedin.com/in/x-y"})),
            )
            .await;
        let id = created["id"].as_str().unwrap().to_string();
        wait_for(&app, &sam, &id, "ready").await;
        let other_admin = app.create_team("globex").await;
        for path in ["", "/rows", "/report.csv"] {
            let path = format!("/v1/imports/{id}{path}");
            assert_eq!(
                app.call("GET", &path, Some(&sam), None).await.0,
                200,
                "{path}"
            );
            assert_eq!(
                app.call("GET", &path, Some(&admin), None).await.0,
                200,
                "{path}"
            );
            assert_eq!(
                app.call("GET", &path, Some(&kim), None).await.0,
                403,
                "{path}"
            );
            assert_eq!(
                app.call("GET", &path, Some(&other_admin), None).await.0,
                404,
                "{path}"
            );
            assert_eq!(app.call("GET", &path, None, None).await.0, 401, "{path}");
        }
        let (s, _) = app
            .call(
                "POST",
                &format!("/v1/imports/{id}/upload"),
                Some(&kim),
                Some(json!({"all_new": true})),
            )
            .await;
        assert_eq!(s, 403);
        assert_eq!(
            app.call("POST", "/v1/imports", None, Some(json!({"urls": "x"})))
                .await
                .0,
            401
        );
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    bad_files_are_refused_with_a_clear_reason,
    |backend| async move {
        let (app, db, _) = synced_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let cases: [(&str, Vec<u8>, u16, &str); 4] = [
            (
                "photo.png",
                b"\x89PNG\r\n".to_vec(),
                422,
                "cannot be imported",
            ),
            (
                "people.xlsx",
                b"PK\x03\x04broken".to_vec(),
                422,
                "could not be read",
            ),
            (
                "companies.csv",
                b"Company,City\nAcme,Lyon\n".to_vec(),
                422,
                "No column holds a name",
            ),
            (
                "huge.csv",
                vec![b'a'; 50 * 1024 * 1024 + 1],
                413,
                "larger than 50 MB",
            ),
        ];
        for (name, bytes, status, says) in cases {
            let (s, e) = import_files(&app, &admin, &[(name, bytes)]).await;
            assert_eq!(s, status, "{name}: {e}");
            let message = e["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(name) && message.contains(says),
                "{message}"
            );
        }
        // Nothing half-made.
        let (_, audit) = app
            .call("GET", "/v1/audit?action=import", Some(&admin), None)
            .await;
        assert_eq!(audit.as_array().map(Vec::len), Some(0), "{audit}");
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    new_rows_upload_once_into_a_job_however_often_asked_and_an_exact_row_merges,
    |backend| async move {
        let (app, db, conn) = synced_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let member = app.invite_member(&admin, "sam@acme.test").await;
        let (_, jobs) = app
            .call(
                "GET",
                &format!("/v1/jobs?connection_id={conn}"),
                Some(&member),
                None,
            )
            .await;
        let job = jobs[0]["id"].as_str().unwrap().to_string();
        let (_, created) = import_files(&app, &member, &[("contacts.csv", mixed_csv())]).await;
        let id = created["id"].as_str().unwrap().to_string();
        wait_for(&app, &member, &id, "ready").await;

        // A possible row is never in "all new"; an exact row cannot be uploaded.
        let (s, e) = app
            .call(
                "POST",
                &format!("/v1/imports/{id}/upload"),
                Some(&member),
                Some(json!({"rows": [1]})),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        // Asked three times, at once and again: each new row goes once.
        let path = format!("/v1/imports/{id}/upload");
        let body = json!({"all_new": true, "job_id": job});
        let ask = || app.call("POST", &path, Some(&member), Some(body.clone()));
        let (a, b) = tokio::join!(ask(), ask());
        assert_eq!((a.0, b.0), (202, 202), "{a:?} {b:?}");
        let done = wait_for(&app, &member, &id, "done").await;
        assert_eq!(ask().await.0, 202);
        let done_again = wait_for(&app, &member, &id, "done").await;
        assert_eq!(done["counts"]["created"], 2, "{done}");
        assert_eq!(done_again["counts"]["created"], 2, "{done_again}");
        for email in ["zoe.roy@example.fr", "anais.petit@example.fr"] {
            let ids = applicants_with(&app, email);
            assert_eq!(ids.len(), 1, "{email}: {ids:?}");
            assert_eq!(
                app.sandbox.state.jobs_of(&ids[0]),
                vec![job.clone()],
                "{email}"
            );
        }
        let rows = rows_of(&app, &member, &id, "").await;
        assert_eq!(
            rows[4]["state"], "skipped",
            "the same person twice goes once"
        );
        assert_eq!(rows[2]["state"], "created");
        // The possible row, by explicit choice: uploaded as new.
        let (s, _) = app
            .call(
                "POST",
                &format!("/v1/imports/{id}/upload"),
                Some(&member),
                Some(json!({"rows": [2]})),
            )
            .await;
        assert_eq!(s, 202);
        wait_for(&app, &member, &id, "done").await;
        assert_eq!(
            rows_of(&app, &member, &id, "?after=1&limit=1").await[0]["state"],
            "failed",
            "no email: the ATS needs one"
        );

        // The exact row merges into its match, once however often asked.
        let exact = &rows[0];
        let ats_id = exact["matches"][0]["candidate"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        for _ in 0..2 {
            let (s, e) = app
                .call(
                    "POST",
                    &format!("/v1/imports/{id}/merge"),
                    Some(&member),
                    Some(json!({"rows": [{"row": 1, "ats_id": ats_id}]})),
                )
                .await;
            assert_eq!(s, 202, "{e}");
            wait_for(&app, &member, &id, "done").await;
        }
        let merged = rows_of(&app, &member, &id, "?limit=1").await;
        assert_eq!(merged[0]["state"], "merged", "{}", merged[0]);
        assert_eq!(
            app.sandbox.state.notes_of(&ats_id).len(),
            1,
            "one note, one merge"
        );
        // A record the row did not match is refused.
        let (s, _) = app
            .call(
                "POST",
                &format!("/v1/imports/{id}/merge"),
                Some(&member),
                Some(json!({"rows": [{"row": 3, "ats_id": ats_id}]})),
            )
            .await;
        assert_eq!(s, 422);

        // The report: one line per row, what was found and done.
        let res = app
            .http
            .get(app.url(&format!("/v1/imports/{id}/report.csv")))
            .bearer_auth(&member)
            .send()
            .await
            .unwrap();
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let text = res.text().await.unwrap();
        let mut report = csv::Reader::from_reader(text.as_bytes());
        let lines: Vec<csv::StringRecord> = report.records().map(Result::unwrap).collect();
        assert_eq!(lines.len(), 6);
        let headers = report.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let got: Vec<(&str, &str, &str)> = lines
            .iter()
            .map(|l| (&l[col("line")], &l[col("verdict")], &l[col("state")]))
            .collect();
        assert_eq!(
            got,
            [
                ("2", "exact", "merged"),
                ("3", "possible", "failed"),
                ("4", "none", "created"),
                ("6", "invalid", "pending"),
                ("7", "none", "skipped"),
                ("8", "none", "created")
            ]
        );
        assert_eq!(&lines[0][col("match_id")], ats_id.as_str());
        assert_eq!(
            &lines[2][col("candidate_id")],
            applicants_with(&app, "zoe.roy@example.fr")[0].as_str()
        );
        drop(app);
        db.drop_db().await;
    }
);

/// A CSV of `n` new people, `Person{i}` with their own email.
fn new_people_csv(n: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut text = String::from("First name,Last name,Email,Company\n");
    for i in 0..n {
        // Writing to a String cannot fail.
        let _ = writeln!(text, "Person{i},Newcomer,person{i}@import.test,Acme {i}");
    }
    text.into_bytes()
}

both_backends!(
    a_companion_restart_mid_upload_never_creates_a_second_person,
    |backend| async move {
        let tdb = TestDb::new(backend).await;
        let master = sourcebar_companion::crypto::MasterKey::generate();
        let sb = sandbox(0).await;
        // Server one runs on its own runtime, so ending the runtime ends
        // everything it was doing, mid-request, as a crash would.
        let first = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (url, key, sandbox_one) = (tdb.url.clone(), master.clone(), sb.clone());
        let mut one = first
            .spawn(async move { spawn_on(&url, key, sandbox_one, fast_settings()).await })
            .await
            .unwrap();
        let admin = one.create_team("acme").await;
        one.connect(&admin).await;
        one.sync_fully().await;
        let n = 12;
        let (_, created) = import_files(&one, &admin, &[("people.csv", new_people_csv(n))]).await;
        let id = created["id"].as_str().unwrap().to_string();
        wait_for(&one, &admin, &id, "ready").await;
        sb.state
            .faults
            .lock()
            .unwrap()
            .push(sourcebar_sandbox::Fault {
                method: None,
                kind: sourcebar_sandbox::FaultKind::Latency,
                probability: 1.0,
                path_prefix: Some("/v1/applicants".into()),
                latency_ms: Some(150),
            });
        let (s, _) = one
            .call(
                "POST",
                &format!("/v1/imports/{id}/upload"),
                Some(&admin),
                Some(json!({"all_new": true})),
            )
            .await;
        assert_eq!(s, 202);
        let start = std::time::Instant::now();
        loop {
            let (_, view) = one
                .call("GET", &format!("/v1/imports/{id}"), Some(&admin), None)
                .await;
            if view["counts"]["created"].as_u64().unwrap_or(0) >= 3 {
                break;
            }
            assert!(start.elapsed().as_secs() < 60, "{view}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        first.shutdown_background();
        drop(one);

        let two = spawn_on(
            &tdb.url,
            master,
            sb.clone(),
            sourcebar_companion::state::Settings {
                workers: true,
                tick: std::time::Duration::from_millis(100),
                ..fast_settings()
            },
        )
        .await;
        // The dead server's leases run out at once.
        sqlx::query("UPDATE uploads SET lease_until = $1 WHERE state = 'queued'")
            .bind(sourcebar_companion::storage::db::now_ms() - 1)
            .execute(&two.state.db.pool)
            .await
            .unwrap();
        let done = wait_for(&two, &admin, &id, "done").await;
        assert_eq!(done["counts"]["created"], n, "{done}");
        for i in 0..n {
            let email = format!("person{i}@import.test");
            assert_eq!(applicants_with(&two, &email).len(), 1, "{email}");
        }
        drop(two);
        tdb.drop_db().await;
    }
);

both_backends!(ten_thousand_rows_are_all_checked, |backend| async move {
    let (app, db, _) = synced_app(backend, 2_000).await;
    let admin = app.admin_token.clone();
    let n = 10_000;
    let start = std::time::Instant::now();
    let (s, created) = import_files(&app, &admin, &[("big.csv", new_people_csv(n))]).await;
    assert_eq!(s, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let view = wait_for(&app, &admin, id, "ready").await;
    // Timing is shown, never asserted (a busy machine is not a failure).
    eprintln!("checked {n} rows in {:?}", start.elapsed());
    assert_eq!(view["checked"], n);
    assert_eq!(
        view["counts"]["none"].as_u64().unwrap() + view["counts"]["possible"].as_u64().unwrap(),
        n as u64
    );
    drop(app);
    db.drop_db().await;
});

both_backends!(
    an_xlsx_and_a_json_file_import_together_with_their_own_columns,
    |backend| async move {
        let (app, db, _) = synced_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, header) in ["Nom complet", "E-mail", "Poste"].iter().enumerate() {
            sheet
                .write_string(0, u16::try_from(col).unwrap(), *header)
                .unwrap();
        }
        sheet.write_string(1, 0, "Léa Moreau").unwrap();
        sheet.write_string(1, 1, "lea.moreau@example.fr").unwrap();
        sheet.write_string(1, 2, "CTO").unwrap();
        sheet.write_string(2, 0, "Someone").unwrap();
        sheet.write_string(2, 1, "bill.vdb@example.org").unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        let json = serde_json::to_vec(&json!([
            {"first_name": "Ines", "last_name": "Garcia", "emails": ["ines@example.es"]}
        ]))
        .unwrap();
        let (s, created) =
            import_files(&app, &admin, &[("team.xlsx", xlsx), ("more.json", json)]).await;
        assert_eq!((s, created["rows"].as_u64()), (201, Some(3)), "{created}");
        let id = created["id"].as_str().unwrap();
        let view = wait_for(&app, &admin, id, "ready").await;
        assert_eq!(view["files"], json!(["team.xlsx", "more.json"]));
        let rows = rows_of(&app, &admin, id, "").await;
        let got: Vec<(&str, u64, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r["source"]["file"].as_str().unwrap(),
                    r["source"]["line"].as_u64().unwrap(),
                    r["verdict"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("team.xlsx", 2, "none"),
                ("team.xlsx", 3, "exact"),
                ("more.json", 1, "none")
            ]
        );
        assert_eq!(rows[0]["profile"]["first_name"], "Léa");
        assert_eq!(rows[0]["profile"]["last_name"], "Moreau");
        assert_eq!(rows[0]["profile"]["title"], "CTO");
        drop(app);
        db.drop_db().await;
    }
);
