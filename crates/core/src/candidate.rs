//! A candidate as the ATS (and the companion's mirror) knows it.

use serde::{Deserialize, Serialize};

/// A candidate record in an ATS (`Candidate` in the API contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Candidate {
    /// The ATS's own identifier (JazzHR: `prospect_…`).
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// LinkedIn URL, canonical, when the ATS holds or we attached one.
    pub profile_url: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    /// A link that opens this record in the ATS's web app.
    pub ats_url: Option<String>,
    /// When the ATS says the record was created (RFC 3339 or `YYYY-MM-DD`).
    pub created_at: Option<String>,
}
