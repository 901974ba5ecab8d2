//! A profile is checked at the API edge: an oversized one is refused with a
//! 422 naming the field, at once, before any matching or ATS call.

use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Sends `profile` to every route that takes one; each must answer 422
/// `invalid_request` naming `field`, quickly.
async fn assert_refused_everywhere(app: &TestApp, token: &str, profile: &Value, field: &str) {
    for (i, path) in ["/v1/dedupe", "/v1/candidates", "/v1/candidates/123/merge"]
        .iter()
        .enumerate()
    {
        let key = format!("oversized-{field}-{i}");
        let started = Instant::now();
        let (status, body) = app
            .call_with(
                "POST",
                path,
                Some(token),
                Some(json!({ "profile": profile })),
                Some(&key),
            )
            .await;
        let took = started.elapsed();
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_request", "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("profile.{field}")),
            "{path}: {message}"
        );
        assert!(took < Duration::from_secs(2), "{path} took {took:?}");
    }
}

both_backends!(
    an_oversized_profile_is_refused_with_422_naming_the_field,
    |backend| async move {
        let (app, db) = spawn_app(backend, 3).await;
        let admin = app.admin_token.clone();
        app.connect(&admin).await;
        app.sync_fully().await;

        // The attack that grew the companion past 10 GB.
        let forty_thousand_words = "word ".repeat(40_000);
        assert_refused_everywhere(
            &app,
            &admin,
            &json!({ "full_name": forty_thousand_words }),
            "full_name",
        )
        .await;
        // 300 × 300 name words took 8 s to score.
        let three_hundred = "ab ".repeat(300);
        assert_refused_everywhere(
            &app,
            &admin,
            &json!({ "first_name": three_hundred, "last_name": three_hundred }),
            "first_name",
        )
        .await;
        assert_refused_everywhere(
            &app,
            &admin,
            &json!({ "first_name": "Ann", "last_name": "a b c d e f g h i" }),
            "last_name",
        )
        .await;
        let emails: Vec<String> = (0..11).map(|i| format!("a{i}@example.org")).collect();
        assert_refused_everywhere(
            &app,
            &admin,
            &json!({ "first_name": "Ann", "last_name": "Lee", "emails": emails }),
            "emails",
        )
        .await;

        // An ordinary profile with eight words in a name part still passes.
        let (status, body) = app
            .call(
                "POST",
                "/v1/dedupe",
                Some(&admin),
                Some(json!({"profile": {"first_name": "a b c d e f g h", "last_name": "Lee"}})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        db.drop_db().await;
    }
);
