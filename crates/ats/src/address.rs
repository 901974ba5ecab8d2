//! Where one ATS account is: the API root a connection calls and the
//! provider's non-secret settings that name the account (subdomain, user
//! id, the web app where its records open, …).

use sourcebar_core::connection_settings::ConnectionSettings;

/// No settings at all.
static NO_SETTINGS: ConnectionSettings = ConnectionSettings::new();

/// One ATS account's address.
#[derive(Debug, Clone, Copy)]
pub struct AccountAddress<'a> {
    /// The API root as the provider's docs write it; `None`: its public API.
    pub base_url: Option<&'a str>,
    /// The connection's settings, checked against the provider's fields.
    pub settings: &'a ConnectionSettings,
}

impl<'a> AccountAddress<'a> {
    /// An account reached at `base_url` with no settings.
    pub fn api(base_url: Option<&'a str>) -> Self {
        AccountAddress {
            base_url,
            settings: &NO_SETTINGS,
        }
    }

    /// The setting `name`, when the connection has one.
    pub fn setting(&self, name: &str) -> Option<&'a str> {
        self.settings
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}
