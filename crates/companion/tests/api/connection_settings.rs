//! A connection's non-secret settings: checked against the provider's
//! fields, stored beside the sealed key, shown back, and handed to the
//! adapter (JazzHR's `app_url`: where "Open in JazzHR" links go).

use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};

async fn connect_with(app: &TestApp, admin: &str, settings: Value) -> (u16, Value) {
    let body = json!({"provider": "jazzhr", "name": "Sandbox", "api_key": ATS_KEY,
        "base_url": app.sandbox.api_url(), "settings": settings});
    app.call("POST", "/v1/connections", Some(admin), Some(body))
        .await
}

async fn uploaded_link(app: &TestApp, admin: &str) -> String {
    let body = json!({"profile": {"first_name": "Jane", "last_name": "Doe",
        "emails": ["jane.doe@example.org"]}});
    let (s, created) = app.upload(admin, body, "up-1").await;
    assert_eq!(s, 201, "{created}");
    created["candidate"]["ats_url"]
        .as_str()
        .unwrap()
        .to_string()
}

both_backends!(
    settings_are_stored_shown_and_decide_where_records_open,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let app_url = format!("http://{}/_sandbox/applicants", app.sandbox.addr);
        let (s, conn) = connect_with(&app, &admin, json!({"app_url": app_url})).await;
        assert_eq!(s, 201, "{conn}");
        assert_eq!(conn["settings"], json!({"app_url": app_url}));
        let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(list[0]["settings"]["app_url"], json!(app_url));
        let link = uploaded_link(&app, &admin).await;
        assert!(link.starts_with(&format!("{app_url}/")), "{link}");
        // The link opens the record in the sandbox's own view.
        let page = reqwest::get(&link).await.unwrap();
        assert_eq!(page.status(), 200);
        db.drop_db().await;
    }
);

both_backends!(
    without_settings_a_sandbox_connection_still_links_to_the_providers_app,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let conn = app.connect(&admin).await;
        let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(
            (list[0]["id"].as_str(), &list[0]["settings"]),
            (Some(conn.as_str()), &json!({}))
        );
        let link = uploaded_link(&app, &admin).await;
        assert!(
            link.starts_with("https://app.jazz.co/app/v2/candidate/"),
            "a non-default API root is not taken for a sandbox: {link}"
        );
        db.drop_db().await;
    }
);

both_backends!(
    settings_outside_the_providers_form_are_refused_naming_the_field,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        for (settings, field) in [
            (json!({"region": "eu"}), "region"),
            (json!({"app_url": "javascript:alert(1)"}), "app_url"),
            (json!({"api_key": ATS_KEY}), "api_key"),
        ] {
            let asked = app.sandbox.state.stats.lock().unwrap().total;
            let (s, e) = connect_with(&app, &admin, settings).await;
            assert_eq!(
                (s, e["error"]["code"].as_str()),
                (422, Some("invalid_request")),
                "{e}"
            );
            let message = e["error"]["message"].as_str().unwrap();
            assert!(message.contains(field), "{message}");
            assert_eq!(
                app.sandbox.state.stats.lock().unwrap().total,
                asked,
                "the ATS was not asked"
            );
        }
        let (s, e) = connect_with(&app, &admin, json!({"app_url": 5})).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_request")),
            "{e}"
        );
        let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(list, json!([]), "nothing was stored");
        db.drop_db().await;
    }
);

both_backends!(
    a_refused_setting_or_base_url_names_its_field,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let (s, refused) = connect_with(&app, &admin, json!({"app_url": "not a url"})).await;
        assert_eq!(
            (
                s,
                refused["error"]["code"].as_str(),
                refused["error"]["field"].as_str()
            ),
            (422, Some("invalid_request"), Some("app_url")),
            "{refused}"
        );
        let body = json!({"provider": "jazzhr", "name": "Sandbox", "api_key": ATS_KEY,
            "base_url": "ftp://example.org/v1"});
        let (s, refused) = app
            .call("POST", "/v1/connections", Some(&admin), Some(body))
            .await;
        assert_eq!(
            (s, refused["error"]["field"].as_str()),
            (422, Some("base_url")),
            "{refused}"
        );
        // Only a wrong address says it is not this ATS.
        assert!(refused["error"].get("reason").is_none(), "{refused}");
        let (_, list) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(list, json!([]));
        drop(app);
        db.drop_db().await;
    }
);
