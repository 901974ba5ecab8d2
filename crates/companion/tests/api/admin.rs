//! What the admin page and the match card read: a match's team history, the
//! audit log's sentences and filters, the join page of an invite link, and
//! the provider's rule for an email on create.

use crate::both_backends;
use crate::helpers::*;
use async_trait::async_trait;
use serde_json::{json, Value};
use sourcebar_ats::net::Reach;
use sourcebar_ats::{
    AccountAddress, ApiKey, Ats, AtsError, Job, Listed, NewCandidate, PageStart, Priority,
    ProviderId, RateBudget, SyncPage,
};
use sourcebar_companion::crypto::MasterKey;
use sourcebar_companion::state::{AtsConnector, RealAts};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
use std::sync::{Arc, Mutex};

fn profile(first: &str, last: &str, email: Option<&str>) -> Value {
    json!({"profile": {"first_name": first, "last_name": last,
        "emails": email.map(|e| vec![e]).unwrap_or_default(),
        "profile_url": format!("https://www.linkedin.com/in/{}-{}", first.to_lowercase(), last.to_lowercase())}})
}

async fn merge(app: &TestApp, token: &str, ats_id: &str, body: Value, key: &str) -> (u16, Value) {
    app.call_with(
        "POST",
        &format!("/v1/candidates/{ats_id}/merge"),
        Some(token),
        Some(body),
        Some(key),
    )
    .await
}

async fn set_name(app: &TestApp, token: &str, name: &str) {
    // The admin made by `create_team` is called "Admin"; members "Member".
    let (_, me) = app.call("GET", "/v1/me", Some(token), None).await;
    sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(me["user"]["id"].as_str().unwrap())
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

both_backends!(
    a_match_carries_who_uploaded_and_merged_it_newest_first,
    |backend| async move {
        let (mut app, db) = spawn_app(backend, 20).await;
        let admin = app.admin_token.clone();
        let conn = app.connect(&admin).await;
        app.sync_fully().await;
        let member = app.invite_member(&admin, "ana@acme.test").await;
        set_name(&app, &member, "").await;
        set_name(&app, &admin, "Sam").await;

        let jane = profile("Jane", "Doe", Some("jane.doe@example.org"));
        let (s, created) = app.upload(&admin, jane.clone(), "up-1").await;
        assert_eq!(s, 201, "{created}");
        let id = created["candidate"]["id"].as_str().unwrap().to_string();
        let (s, merged) = merge(&app, &member, &id, jane.clone(), "merge-1").await;
        assert_eq!(s, 200, "{merged}");

        let (s, answer) = app
            .call("POST", "/v1/dedupe", Some(&admin), Some(jane.clone()))
            .await;
        assert_eq!(s, 200, "{answer}");
        let top = &answer["matches"][0];
        assert_eq!(top["candidate"]["id"], id.as_str());
        let history = top["history"].as_array().unwrap();
        let seen: Vec<(&str, &str)> = history
            .iter()
            .map(|e| (e["action"].as_str().unwrap(), e["by"].as_str().unwrap()))
            .collect();
        // Newest first; a teammate without a name shows as their email.
        assert_eq!(seen, vec![("merged", "ana@acme.test"), ("uploaded", "Sam")]);
        for e in history {
            let at = e["at"].as_str().unwrap();
            assert!(at.ends_with('Z') && at.contains('T'), "RFC 3339, UTC: {at}");
        }

        // At most five events, the newest ones.
        for n in 2..=7 {
            let (s, _) = merge(&app, &member, &id, jane.clone(), &format!("merge-{n}")).await;
            assert_eq!(s, 200);
        }
        let (_, answer) = app
            .call("POST", "/v1/dedupe", Some(&member), Some(jane.clone()))
            .await;
        let history = answer["matches"][0]["history"].as_array().unwrap();
        assert_eq!(history.len(), 5);
        assert!(history.iter().all(|e| e["action"] == "merged"));

        // Another team's dedupe of the same ATS record shows none of it.
        let other = app.create_team("globex").await;
        let body = json!({"provider": "jazzhr", "name": "Sandbox", "api_key": ATS_KEY, "base_url": app.sandbox.api_url()});
        let (s, _) = app
            .call("POST", "/v1/connections", Some(&other), Some(body))
            .await;
        assert_eq!(s, 201);
        app.sync_fully().await;
        let (_, theirs) = app
            .call("POST", "/v1/dedupe", Some(&other), Some(jane))
            .await;
        assert_eq!(theirs["verdict"], "exact", "{theirs}");
        assert_eq!(theirs["matches"][0]["history"], json!([]));
        let _ = conn;
        db.drop_db().await;
    }
);

both_backends!(
    dedupe_answer_matches_its_openapi_schema,
    |backend| async move {
        let (app, db) = spawn_app(backend, 5).await;
        let admin = app.admin_token.clone();
        app.connect(&admin).await;
        app.sync_fully().await;
        let jane = profile("Jane", "Doe", Some("jane.doe@example.org"));
        let (s, _) = app.upload(&admin, jane.clone(), "up-1").await;
        assert_eq!(s, 201);
        let (_, answer) = app
            .call("POST", "/v1/dedupe", Some(&admin), Some(jane))
            .await;
        let (s, doc) = app.call("GET", "/v1/openapi.json", None, None).await;
        assert_eq!(s, 200);
        let schemas = &doc["components"]["schemas"];
        let documented = |name: &str| -> Vec<String> {
            schemas[name]["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{name} is in the OpenAPI document"))
                .keys()
                .cloned()
                .collect()
        };
        let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
        for (name, value) in [
            ("DedupeResponse", &answer),
            ("DedupeMatch", &answer["matches"][0]),
            ("TeamEvent", &answer["matches"][0]["history"][0]),
            ("Candidate", &answer["matches"][0]["candidate"]),
            ("Reason", &answer["matches"][0]["reasons"][0]),
        ] {
            let documented = documented(name);
            for key in keys(value) {
                assert!(documented.contains(&key), "{name}.{key} is documented");
            }
        }
        let dedupe = &doc["paths"]["/v1/dedupe"]["post"]["responses"]["200"];
        assert!(
            dedupe
                .to_string()
                .contains("#/components/schemas/DedupeResponse"),
            "{dedupe}"
        );
        assert!(schemas["AuditEntry"]["properties"]["user_name"].is_object());
        // Upload and merge share one body type; both keep their schema name.
        for (name, path) in [
            ("UploadRequest", "/v1/candidates"),
            ("MergeRequest", "/v1/candidates/{ats_id}/merge"),
        ] {
            let mut fields = documented(name);
            fields.sort();
            assert_eq!(fields, ["connection_id", "job_id", "profile"], "{name}");
            let body = doc["paths"][path]["post"]["requestBody"].to_string();
            assert!(
                body.contains(&format!("#/components/schemas/{name}")),
                "{path}: {body}"
            );
        }
        db.drop_db().await;
    }
);

both_backends!(
    the_audit_log_names_people_and_candidates_and_filters_by_person_and_action,
    |backend| async move {
        let (app, db) = spawn_app(backend, 5).await;
        let admin = app.admin_token.clone();
        set_name(&app, &admin, "Sam").await;
        app.connect(&admin).await;
        app.sync_fully().await;
        let member = app.invite_member(&admin, "ana@acme.test").await;
        set_name(&app, &member, "Ana").await;
        let (_, me) = app.call("GET", "/v1/me", Some(&member), None).await;
        let ana = me["user"]["id"].as_str().unwrap().to_string();

        let jane = profile("Jane", "Doe", Some("jane.doe@example.org"));
        let (s, created) = app.upload(&admin, jane.clone(), "up-1").await;
        assert_eq!(s, 201);
        let id = created["candidate"]["id"].as_str().unwrap().to_string();
        let (s, _) = merge(&app, &member, &id, jane, "merge-1").await;
        assert_eq!(s, 200);
        let (s, _) = app
            .upload(
                &member,
                profile("Paul", "Martin", Some("paul@example.org")),
                "up-2",
            )
            .await;
        assert_eq!(s, 201);

        let (s, all) = app.call("GET", "/v1/audit", Some(&admin), None).await;
        assert_eq!(s, 200);
        let newest = &all[0];
        assert_eq!(
            (
                newest["action"].as_str(),
                newest["user_name"].as_str(),
                newest["candidate_name"].as_str()
            ),
            (Some("upload"), Some("Ana"), Some("Paul Martin"))
        );
        let merged = &all[1];
        assert_eq!(merged["action"], "merge");
        assert_eq!(merged["candidate_name"], "Jane Doe");
        assert!(merged["candidate_url"].as_str().unwrap().contains(&id));

        let (_, anas) = app
            .call(
                "GET",
                &format!("/v1/audit?user_id={ana}"),
                Some(&admin),
                None,
            )
            .await;
        let actions: Vec<&str> = anas
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["upload", "merge", "invite_accepted"]);
        let (_, only_merges) = app
            .call("GET", "/v1/audit?action=merge", Some(&admin), None)
            .await;
        assert_eq!(only_merges.as_array().unwrap().len(), 1);
        assert_eq!(only_merges[0]["user_name"], "Ana");
        let (_, both) = app
            .call(
                "GET",
                &format!("/v1/audit?action=upload&user_id={ana}&limit=5"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(both.as_array().unwrap().len(), 1);
        assert_eq!(both[0]["candidate_name"], "Paul Martin");
        // The connect entry, by the admin, has no candidate.
        let (_, connects) = app
            .call("GET", "/v1/audit?action=connect", Some(&admin), None)
            .await;
        assert_eq!(connects[0]["user_name"], "Sam");
        assert_eq!(connects[0]["candidate_name"], Value::Null);

        let (s, e) = app
            .call("GET", "/v1/audit?action=drop%20table", Some(&admin), None)
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_request"))
        );
        let (s, _) = app
            .call("GET", "/v1/audit?action=merge", Some(&member), None)
            .await;
        assert_eq!(s, 403, "the audit log is for admins");
        db.drop_db().await;
    }
);

#[tokio::test]
async fn the_join_page_is_public_static_and_speaks_english_or_french() {
    let (app, db) = spawn_app(Backend::Sqlite, 0).await;
    let get = |lang: Option<&'static str>| {
        let mut req = app.http.get(app.url("/join"));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        req.send()
    };
    let en = get(None).await.unwrap();
    assert_eq!(en.status().as_u16(), 200, "no token needed");
    let h = en.headers().clone();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "no script is allowed: {csp}");
    let html = en.text().await.unwrap();
    assert!(html.contains("Click the Sourcebar icon"), "{html}");
    assert!(html.contains("<html lang=\"en\">"));
    for external in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "self-contained: {external}");
    }
    let fr = get(Some("fr-FR,fr;q=0.9,en;q=0.5")).await.unwrap();
    assert_eq!(fr.headers()["content-language"], "fr");
    let html = fr.text().await.unwrap();
    assert!(html.contains("Cliquez sur l'icône Sourcebar"), "{html}");
    assert!(html.contains("<html lang=\"fr\">"));
    db.drop_db().await;
}

/// The real adapters, with JazzHR declaring `create_without_email`; creates
/// sent without an email are recorded and answered here (the sandbox, like
/// JazzHR, refuses them).
struct EmailOptional {
    created: Arc<Mutex<Vec<NewCandidate>>>,
}

impl AtsConnector for EmailOptional {
    fn connect(
        &self,
        provider: ProviderId,
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Arc<dyn Ats>, AtsError> {
        Ok(Arc::new(Recording {
            inner: RealAts.connect(provider, address, key, budget, reach)?,
            created: self.created.clone(),
        }))
    }

    fn capabilities(&self, provider: ProviderId) -> Capabilities {
        Capabilities {
            create_without_email: true,
            ..sourcebar_ats::capabilities(provider).unwrap_or_default()
        }
    }
}

struct Recording {
    inner: Arc<dyn Ats>,
    created: Arc<Mutex<Vec<NewCandidate>>>,
}

#[async_trait]
impl Ats for Recording {
    fn provider(&self) -> ProviderId {
        self.inner.provider()
    }
    fn record_url(&self, id: &str) -> Option<String> {
        self.inner.record_url(id)
    }
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.inner.validate_key().await
    }
    async fn list_page(&self, start: PageStart<'_>, p: Priority) -> Result<SyncPage, AtsError> {
        self.inner.list_page(start, p).await
    }
    async fn get_candidate(&self, id: &str, p: Priority) -> Result<Candidate, AtsError> {
        self.inner.get_candidate(id, p).await
    }
    async fn search_by_name(
        &self,
        name: &str,
        pages: u32,
        p: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        self.inner.search_by_name(name, pages, p).await
    }
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        if new.email.is_some() {
            return self.inner.create_candidate(new).await;
        }
        let mut created = self.created.lock().unwrap();
        created.push(new.clone());
        Ok(format!("scripted_{}", created.len()))
    }
    async fn add_note(&self, id: &str, text: &str) -> Result<(), AtsError> {
        self.inner.add_note(id, text).await
    }
    async fn note_exists(&self, id: &str, marker: &str) -> Result<Option<bool>, AtsError> {
        self.inner.note_exists(id, marker).await
    }
    async fn add_to_job(&self, id: &str, job: &str) -> Result<(), AtsError> {
        self.inner.add_to_job(id, job).await
    }
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        self.inner.list_open_jobs().await
    }
}

both_backends!(
    an_email_is_required_on_create_only_where_the_provider_says_so,
    |backend| async move {
        // JazzHR as it is: an email is required, before any ATS call.
        let (app, db) = spawn_app(backend, 0).await;
        let admin = app.admin_token.clone();
        app.connect(&admin).await;
        let (_, providers) = app.call("GET", "/v1/providers", Some(&admin), None).await;
        let jazzhr = providers
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "jazzhr")
            .unwrap();
        assert_eq!(jazzhr["capabilities"]["create_without_email"], false);
        let asked = app.sandbox.state.stats.lock().unwrap().total;
        let (s, e) = app
            .upload(&admin, profile("No", "Email", None), "k-1")
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_request"))
        );
        assert!(
            e["error"]["message"].as_str().unwrap().contains("email"),
            "{e}"
        );
        assert_eq!(
            app.sandbox.state.stats.lock().unwrap().total,
            asked,
            "the ATS was not asked"
        );
        db.drop_db().await;

        // A provider that declares `create_without_email`: the upload goes through.
        let created = Arc::new(Mutex::new(Vec::new()));
        let tdb = TestDb::new(backend).await;
        let mut app = spawn_with_connector(
            &tdb.url,
            MasterKey::generate(),
            sandbox(0).await,
            fast_settings(),
            Arc::new(EmailOptional {
                created: created.clone(),
            }),
        )
        .await;
        let admin = app.create_team("acme").await;
        app.connect(&admin).await;
        let (_, providers) = app.call("GET", "/v1/providers", Some(&admin), None).await;
        assert_eq!(providers[0]["capabilities"]["create_without_email"], true);
        let (s, answer) = app
            .upload(&admin, profile("No", "Email", None), "k-1")
            .await;
        assert_eq!(s, 201, "{answer}");
        assert_eq!(answer["candidate"]["email"], Value::Null);
        let sent = created.lock().unwrap().clone();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            (sent[0].first_name.as_str(), sent[0].email.as_deref()),
            ("No", None)
        );
        // A malformed email is still refused.
        let (s, _) = app
            .upload(&admin, profile("Bad", "Email", Some("not-an-email")), "k-2")
            .await;
        assert_eq!(s, 422);
        tdb.drop_db().await;
    }
);
