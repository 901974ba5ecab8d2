//! The person read from a profile page.

use serde::{Deserialize, Serialize};

/// A person as captured from a profile page (`Profile` in the API contract).
///
/// Every field is optional: pages differ, and each endpoint says what it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Given name(s), as the sidebar or the user settled them.
    pub first_name: Option<String>,
    /// Family name, particles included ("van der Berg").
    pub last_name: Option<String>,
    /// The name as displayed on the page, badges and credentials removed.
    pub full_name: Option<String>,
    /// The one-line headline under the name.
    pub headline: Option<String>,
    /// Location as displayed ("Lyon, Auvergne-Rhône-Alpes, France").
    pub location: Option<String>,
    /// Current company.
    pub company: Option<String>,
    /// Current job title.
    pub title: Option<String>,
    /// Canonical profile URL (`https://www.linkedin.com/in/<id>/`).
    pub profile_url: Option<String>,
    /// Profile photo URL, when the page shows one.
    pub photo_url: Option<String>,
    /// Emails visible in the contact-info overlay.
    pub emails: Vec<String>,
    /// Phones visible in the contact-info overlay.
    pub phones: Vec<String>,
    /// Where the profile was read ("linkedin").
    pub source: Option<String>,
}
