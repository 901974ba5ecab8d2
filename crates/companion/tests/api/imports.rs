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
