//! "Ask your ATS admin": a single-use, seven-day, revocable link for one
//! provider, through which whoever holds the ATS key connects it without an
//! account; the key never reaches the team, and each step is audited.

use crate::both_backends;
use crate::helpers::*;
use serde_json::{json, Value};
use sqlx::Row;

/// The link's page, as a browser asks for it.
async fn page(app: &TestApp, url: &str, lang: &str) -> (u16, String) {
    let res = app
        .http
        .get(url)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let csp = res
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    (status, res.text().await.unwrap())
}

/// The form posted as a browser posts it.
async fn post_form(app: &TestApp, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let res = app.http.post(url).form(fields).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn audit_actions(app: &TestApp, admin: &str) -> Vec<String> {
    let (_, entries) = app.call("GET", "/v1/audit", Some(admin), None).await;
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

both_backends!(
    an_ats_admin_connects_through_a_single_use_link_and_the_key_never_reaches_the_team,
    |backend| async move {
        let (app, db) = spawn_app(backend, 5).await;
        let admin = app.admin_token.clone();
        let member = app.invite_member(&admin, "sam@acme.test").await;
        let (s, _) = app
            .call(
                "POST",
                "/v1/connect-links",
                Some(&member),
                Some(json!({"provider": "jazzhr"})),
            )
            .await;
        assert_eq!(s, 403, "members cannot make links");
        let (s, refused) = app
            .call(
                "POST",
                "/v1/connect-links",
                Some(&admin),
                Some(json!({"provider": "jarvi"})),
            )
            .await;
        assert_eq!(s, 422, "no adapter, no link: {refused}");

        let (s, link) = app
            .call(
                "POST",
                "/v1/connect-links",
                Some(&admin),
                Some(json!({"provider": "jazzhr"})),
            )
            .await;
        assert_eq!(s, 201, "{link}");
        assert_eq!(link["state"], "open");
        let url = link["url"].as_str().unwrap().to_string();
        assert!(
            url.starts_with(&format!("http://{}/connect/cl_", app.addr)),
            "{url}"
        );
        let code = url.rsplit('/').next().unwrap().to_string();
        // Only the hash of the code is stored.
        let stored: Vec<String> = sqlx::query("SELECT code_hash FROM connect_links")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("code_hash").unwrap())
            .collect();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains(&code[3..]));

        // The page shows that provider's form only, in the reader's language.
        let (s, html) = page(&app, &url, "fr-FR,fr;q=0.9").await;
        assert_eq!(s, 200);
        assert!(html.contains("<html lang=\"fr\">"), "{html}");
        assert!(
            html.contains("Connecter JazzHR au Sourcebar de acme"),
            "{html}"
        );
        assert!(html.contains("name=\"api_key\" type=\"password\""));
        assert!(html.contains("Settings → Integrations"), "the key's help");
        let (_, html) = page(&app, &url, "en").await;
        assert!(
            html.contains("Connect JazzHR to acme’s Sourcebar"),
            "{html}"
        );

        // A wrong key: refused in words, the link still usable, nothing stored.
        let (s, html) = post_form(
            &app,
            &url,
            &[
                ("api_key", "not-the-key-000000"),
                ("base_url", &app.sandbox.api_url()),
            ],
        )
        .await;
        assert_eq!(s, 422);
        assert!(html.contains("data-code=\"invalid_key\""), "{html}");
        assert!(
            !html.contains("not-the-key-000000"),
            "the key is never echoed"
        );
        let (_, conns) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(conns, json!([]));

        // The right key connects, once.
        let (s, html) = post_form(
            &app,
            &url,
            &[("api_key", ATS_KEY), ("base_url", &app.sandbox.api_url())],
        )
        .await;
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("JazzHR is connected"), "{html}");
        let (_, conns) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        let conns = conns.as_array().unwrap().clone();
        assert_eq!(conns.len(), 1);
        assert_eq!(conns[0]["provider"], "jazzhr");
        let (s, html) = post_form(
            &app,
            &url,
            &[("api_key", ATS_KEY), ("base_url", &app.sandbox.api_url())],
        )
        .await;
        assert_eq!(s, 410, "{html}");
        assert!(html.contains("already used"));
        let (s, _) = page(&app, &url, "en").await;
        assert_eq!(s, 410);

        // The team sees the link used and which connection it made; never the key.
        let (_, links) = app
            .call("GET", "/v1/connect-links", Some(&admin), None)
            .await;
        assert_eq!(links[0]["state"], "used");
        assert_eq!(links[0]["connection_id"], conns[0]["id"]);
        assert!(links[0].get("url").is_none(), "the code is shown once");
        for body in [links.clone(), Value::Array(conns)] {
            assert!(!body.to_string().contains(ATS_KEY));
        }
        let actions = audit_actions(&app, &admin).await;
        for want in ["connect_link.create", "connect_link.use", "connect"] {
            assert!(actions.iter().any(|a| a == want), "{actions:?}");
        }
        let (_, audit) = app.call("GET", "/v1/audit", Some(&admin), None).await;
        assert!(!audit.to_string().contains(ATS_KEY));
        drop(app);
        db.drop_db().await;
    }
);

both_backends!(
    a_revoked_expired_or_unknown_link_opens_nothing,
    |backend| async move {
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        let make = || async {
            let (_, link) = app
                .call(
                    "POST",
                    "/v1/connect-links",
                    Some(&admin),
                    Some(json!({"provider": "jazzhr"})),
                )
                .await;
            (
                link["id"].as_str().unwrap().to_string(),
                link["url"].as_str().unwrap().to_string(),
            )
        };
        let (revoked_id, revoked) = make().await;
        let (s, _) = app
            .call(
                "DELETE",
                &format!("/v1/connect-links/{revoked_id}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(s, 204);
        let (s, html) = page(&app, &revoked, "en").await;
        assert_eq!(s, 410);
        assert!(html.contains("revoked"));
        let (s, _) = post_form(
            &app,
            &revoked,
            &[("api_key", ATS_KEY), ("base_url", &app.sandbox.api_url())],
        )
        .await;
        assert_eq!(s, 410);

        let (expired_id, expired) = make().await;
        sqlx::query("UPDATE connect_links SET expires_at = 0 WHERE id = $1")
            .bind(&expired_id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let (s, html) = page(&app, &expired, "en").await;
        assert_eq!(s, 410);
        assert!(html.contains("expired"));

        let (s, _) = page(&app, &app.url("/connect/cl_not-a-real-code"), "en").await;
        assert_eq!(s, 404);
        let (_, conns) = app.call("GET", "/v1/connections", Some(&admin), None).await;
        assert_eq!(conns, json!([]));
        let (_, links) = app
            .call("GET", "/v1/connect-links", Some(&admin), None)
            .await;
        let states: Vec<&str> = links
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["state"].as_str().unwrap())
            .collect();
        assert!(
            states.contains(&"revoked") && states.contains(&"expired"),
            "{states:?}"
        );
        assert!(audit_actions(&app, &admin)
            .await
            .iter()
            .any(|a| a == "connect_link.revoke"));
        drop(app);
        db.drop_db().await;
    }
);
