//! What `GET /v1/providers` says of each ATS: how far its support is, what
//! its connect form asks for, and what its public API can and cannot do.
//! The sidebar and the options page read these rules instead of assuming
//! JazzHR's (an email required on create, a note on merge, …).

use serde::{Deserialize, Serialize};

/// How far Sourcebar's support for a provider is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderStatus {
    /// An adapter exists and passes the conformance suite.
    Available,
    /// An adapter exists; something its API cannot do is explained in `beta_reason`.
    Beta,
    /// No adapter yet: teams can ask for one.
    Requested,
}

/// What a provider's public API lets Sourcebar do. Every flag is a fact about
/// the real API, never a wish: a `false` is shown to the user in words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[allow(
    clippy::struct_excessive_bools,
    reason = "the contract's capabilities object: independent yes/no facts"
)]
pub struct Capabilities {
    /// Candidates can be looked up by email live.
    pub email_search: bool,
    /// Candidates can be looked up by name live.
    pub name_search: bool,
    /// A candidate can be created without a job.
    pub create_without_job: bool,
    /// A candidate can be created without an email address.
    pub create_without_email: bool,
    /// Notes can be written on a candidate.
    pub notes: bool,
    /// The candidate has a field for the LinkedIn URL (else it goes in a note).
    pub link_field: bool,
    /// A link can be added to an existing candidate's field (else a merge
    /// writes it in a note).
    #[serde(default)]
    pub link_update: bool,
    /// Applications (candidate × job) can be read.
    pub applications: bool,
    /// Jobs have stages a candidate can be put into.
    pub stages: bool,
}

/// One text in each language the UI speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Words {
    pub en: String,
    pub fr: String,
}

/// One field of a provider's connect form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderField {
    /// `api_key` for the one secret, else the key inside `settings`.
    pub name: String,
    /// English label.
    pub label: String,
    /// The label in French.
    #[serde(default)]
    pub label_fr: String,
    /// Where to find the value in that ATS, in each language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Words>,
    pub secret: bool,
    pub required: bool,
    /// What its value is; plain text unless said.
    #[serde(default)]
    pub kind: FieldKind,
}

/// What a connect-form field holds, so a form shows the right input and a
/// value is checked before it is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    /// An `http://` or `https://` address (a link shown to users).
    Url,
}

impl FieldKind {
    /// Whether `value` is one of these.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            FieldKind::Text => true,
            FieldKind::Url => {
                let lower = value.to_ascii_lowercase();
                (lower.starts_with("https://") || lower.starts_with("http://"))
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            }
        }
    }
}

/// One entry of `GET /v1/providers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderInfo {
    pub id: String,
    pub name: String,
    pub status: ProviderStatus,
    /// Why a `beta` provider is beta, in English (the UI words it per language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta_reason: Option<String>,
    #[serde(default)]
    pub fields: Vec<ProviderField>,
    #[serde(default)]
    pub capabilities: Capabilities,
}
