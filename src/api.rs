//! The companion's HTTP API (`shared/API.md`), typed, with the error codes
//! the UI translates. Requests can be aborted when the person changes.

use crate::problem::Problem;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sourcebar_core::api::applications::Application;
use sourcebar_core::api::connections::{ConnectionView, SyncStatus};
use sourcebar_core::api::people::{Acceptance, Joined};
use sourcebar_core::api::sourcing::{ProfileSubmission, UploadStatus};
use sourcebar_core::matching::{DedupeRequest, DedupeResponse};
use sourcebar_core::providers::ProviderInfo;
use sourcebar_core::{ApiError, ErrorBody, Profile};
use web_sys::AbortSignal;

pub use sourcebar_core::api::people::Me;
pub use sourcebar_core::api::sourcing::{Change, Job, MergeAnswer, UploadAnswer};

/// Why a call failed, and the server's English sentence for the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    pub problem: Problem,
    pub message: String,
    pub status: u16,
    /// The companion's whole error body, when it sent one: the field at
    /// fault, the reason and the missing permission, where it knows them.
    pub detail: Option<ApiError>,
}

impl ApiFailure {
    /// The companion could not be reached (or the request not even built).
    pub fn offline() -> Self {
        ApiFailure {
            problem: Problem::Offline,
            message: "The companion could not be reached.".into(),
            status: 0,
            detail: None,
        }
    }

    /// Whether the call was aborted on purpose (the person changed).
    pub fn is_aborted(&self) -> bool {
        self.problem == Problem::Aborted
    }
}

/// A client for one companion and token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base: String,
    pub token: Option<String>,
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn with_auth(&self, builder: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => builder.header("Authorization", &format!("Bearer {t}")),
            None => builder,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: Result<Request, gloo_net::Error>,
        signal: Option<&AbortSignal>,
    ) -> Result<T, ApiFailure> {
        let request = request.map_err(|_| ApiFailure::offline())?;
        let response = request.send().await.map_err(|_| {
            if signal.is_some_and(web_sys::AbortSignal::aborted) {
                ApiFailure {
                    problem: Problem::Aborted,
                    message: String::new(),
                    status: 0,
                    detail: None,
                }
            } else {
                ApiFailure::offline()
            }
        })?;
        read_answer(response).await
    }

    /// GET `path`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        self.send(self.with_auth(Request::get(&self.url(path))).build(), None)
            .await
    }

    /// A call with a JSON body (`POST`, `PUT`, `DELETE`).
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: &impl Serialize,
        idempotency_key: Option<&str>,
    ) -> Result<T, ApiFailure> {
        let builder = match method {
            "PUT" => Request::put(&self.url(path)),
            "DELETE" => Request::delete(&self.url(path)),
            _ => Request::post(&self.url(path)),
        };
        let builder = match idempotency_key {
            Some(k) => builder.header("Idempotency-Key", k),
            None => builder,
        };
        self.send(self.with_auth(builder).json(body), None).await
    }

    /// `GET /v1/me`.
    pub async fn me(&self) -> Result<Me, ApiFailure> {
        self.get("/v1/me").await
    }

    /// `POST /v1/dedupe`, abortable.
    pub async fn dedupe(
        &self,
        profile: &Profile,
        signal: &AbortSignal,
    ) -> Result<DedupeResponse, ApiFailure> {
        let request = self
            .with_auth(Request::post(&self.url("/v1/dedupe")))
            .abort_signal(Some(signal))
            .json(&DedupeRequest {
                profile: profile.clone(),
            });
        self.send(request, Some(signal)).await
    }

    /// `GET /v1/connections`.
    pub async fn connections(&self) -> Result<Vec<ConnectionView>, ApiFailure> {
        self.get("/v1/connections").await
    }

    /// `GET /v1/connections/{id}/sync`.
    pub async fn sync_status(&self, connection_id: &str) -> Result<SyncStatus, ApiFailure> {
        self.get(&format!(
            "/v1/connections/{}/sync",
            js_sys::encode_uri_component(connection_id)
        ))
        .await
    }

    /// `GET /v1/providers`: each provider's name and declared rules.
    pub async fn providers(&self) -> Result<Vec<ProviderInfo>, ApiFailure> {
        self.get("/v1/providers").await
    }

    /// `GET /v1/jobs`: open, non-confidential jobs.
    pub async fn jobs(&self) -> Result<Vec<Job>, ApiFailure> {
        self.get("/v1/jobs").await
    }

    /// `GET /v1/jobs?q=`: open, non-confidential jobs whose title has `q`.
    pub async fn jobs_matching(&self, q: &str) -> Result<Vec<Job>, ApiFailure> {
        self.get(&format!(
            "/v1/jobs?q={}",
            String::from(js_sys::encode_uri_component(q))
        ))
        .await
    }

    /// `GET /v1/candidates/{id}/applications?connection_id=`: fresh from
    /// the ATS, else the mirror's copy with each marked `stale`.
    pub async fn applications(
        &self,
        connection_id: &str,
        candidate_id: &str,
    ) -> Result<Vec<Application>, ApiFailure> {
        self.get(&format!(
            "/v1/candidates/{}/applications?connection_id={}",
            String::from(js_sys::encode_uri_component(candidate_id)),
            String::from(js_sys::encode_uri_component(connection_id))
        ))
        .await
    }

    /// `POST /v1/candidates` with the upload's idempotency key.
    pub async fn upload(
        &self,
        profile: &Profile,
        job: Option<&str>,
        key: &str,
    ) -> Result<UploadAnswer, ApiFailure> {
        self.call(
            "POST",
            "/v1/candidates",
            &submission(profile, job),
            Some(key),
        )
        .await
    }

    /// `POST /v1/candidates/{id}/merge`.
    pub async fn merge(
        &self,
        ats_id: &str,
        profile: &Profile,
        job: Option<&str>,
        key: &str,
    ) -> Result<MergeAnswer, ApiFailure> {
        let path = format!(
            "/v1/candidates/{}/merge",
            js_sys::encode_uri_component(ats_id)
        );
        self.call("POST", &path, &submission(profile, job), Some(key))
            .await
    }

    /// `GET /v1/uploads/{id}`.
    pub async fn upload_status(&self, id: &str) -> Result<UploadStatus, ApiFailure> {
        self.get(&format!("/v1/uploads/{}", js_sys::encode_uri_component(id)))
            .await
    }

    /// `POST /v1/invites/{code}/accept` (no token needed).
    pub async fn accept_invite(
        &self,
        code: &str,
        email: &str,
        name: &str,
    ) -> Result<Joined, ApiFailure> {
        let path = format!(
            "/v1/invites/{}/accept",
            js_sys::encode_uri_component(code.trim())
        );
        let body = Acceptance {
            email: email.to_string(),
            name: Some(name.to_string()),
        };
        self.call("POST", &path, &body, None).await
    }
}

/// The body of an upload or a merge: the profile on the page, the job chosen.
fn submission(profile: &Profile, job: Option<&str>) -> ProfileSubmission {
    ProfileSubmission {
        connection_id: None,
        profile: profile.clone(),
        job_id: job.map(str::to_string),
    }
}

/// A response read as the contract says: the JSON answer, or the error body.
pub async fn read_answer<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiFailure::offline())?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() {
            "null".to_string()
        } else {
            text
        };
        return serde_json::from_str(&text).map_err(|_| ApiFailure {
            problem: Problem::Api(sourcebar_core::ErrorCode::Internal),
            message: "unreadable answer".into(),
            status,
            detail: None,
        });
    }
    Err(match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => ApiFailure {
            problem: Problem::Api(body.error.code),
            message: body.error.message.clone(),
            status,
            detail: Some(body.error),
        },
        Err(_) => ApiFailure {
            problem: Problem::from_status(status),
            message: String::new(),
            status,
            detail: None,
        },
    })
}

/// A fresh random id (for idempotency keys).
pub fn random_id() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map_or_else(
        || {
            // Math.random() is in [0, 1): the product is a whole, positive
            // number below 1e16, well within u64.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = (js_sys::Math::random() * 1e16) as u64;
            format!("{n:x}")
        },
        |c| c.random_uuid(),
    )
}
