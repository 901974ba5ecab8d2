//! A connection's non-secret settings, and the check that they fit the
//! provider's connect form (`GET /v1/providers` `fields`).

use crate::providers::ProviderField;
use std::collections::BTreeMap;
use std::fmt;

/// A connection's non-secret settings (`subdomain`, `user_id`, …), by the
/// name of the provider's field; the one secret is never among them.
pub type ConnectionSettings = BTreeMap<String, String>;

/// Why a connection's settings do not fit its provider's connect form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    /// The provider asks for no such setting.
    Unknown(String),
    /// A field the provider requires is missing or blank.
    Missing(String),
    /// A secret field sent among the settings, where it would be stored unsealed.
    Secret(String),
    /// A value its field's kind does not accept.
    Invalid(String),
}

impl SettingsError {
    /// The setting at fault (its name inside `settings`).
    pub fn field(&self) -> &str {
        match self {
            SettingsError::Unknown(name)
            | SettingsError::Missing(name)
            | SettingsError::Secret(name)
            | SettingsError::Invalid(name) => name,
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Unknown(name) => {
                write!(f, "settings.{name} is not a setting of this provider.")
            }
            SettingsError::Missing(name) => write!(f, "settings.{name} is required."),
            SettingsError::Secret(name) => {
                write!(f, "settings.{name} is a secret: send it as api_key.")
            }
            SettingsError::Invalid(name) => {
                write!(f, "settings.{name} is not a valid http(s) address.")
            }
        }
    }
}

/// Checks `settings` against a provider's connect form: every key is one of
/// its non-secret fields with a value of the field's kind, and every
/// required non-secret field has a value.
/// Blank values are dropped, so an empty optional field is simply absent.
pub fn checked_settings(
    fields: &[ProviderField],
    settings: &ConnectionSettings,
) -> Result<ConnectionSettings, SettingsError> {
    for name in settings.keys() {
        match fields.iter().find(|f| &f.name == name) {
            None => return Err(SettingsError::Unknown(name.clone())),
            Some(f) if f.secret => return Err(SettingsError::Secret(name.clone())),
            Some(_) => {}
        }
    }
    let kept: ConnectionSettings = settings
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    for f in fields.iter().filter(|f| !f.secret) {
        match kept.get(&f.name) {
            None if f.required => return Err(SettingsError::Missing(f.name.clone())),
            Some(value) if !f.kind.accepts(value) => {
                return Err(SettingsError::Invalid(f.name.clone()))
            }
            _ => {}
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::FieldKind;

    fn field(name: &str, secret: bool, required: bool) -> ProviderField {
        ProviderField {
            name: name.into(),
            label: name.into(),
            label_fr: name.into(),
            help: None,
            secret,
            required,
            kind: FieldKind::Text,
        }
    }

    fn settings(pairs: &[(&str, &str)]) -> ConnectionSettings {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn settings_keep_the_provider_fields_and_drop_blank_optional_ones() {
        let form = [
            field("api_key", true, true),
            field("subdomain", false, true),
            field("user_id", false, false),
        ];
        let kept = checked_settings(
            &form,
            &settings(&[("subdomain", " acme "), ("user_id", "")]),
        );
        assert_eq!(kept, Ok(settings(&[("subdomain", "acme")])));
    }

    #[test]
    fn a_missing_required_or_unknown_setting_is_named() {
        let form = [
            field("api_key", true, true),
            field("subdomain", false, true),
        ];
        let missing = checked_settings(&form, &settings(&[("subdomain", "  ")])).unwrap_err();
        assert_eq!(missing, SettingsError::Missing("subdomain".into()));
        assert_eq!(missing.field(), "subdomain");
        assert!(missing.to_string().contains("subdomain"));
        let unknown = checked_settings(&form, &settings(&[("subdomain", "a"), ("region", "eu")]))
            .unwrap_err();
        assert_eq!(unknown, SettingsError::Unknown("region".into()));
        assert!(unknown.to_string().contains("region"));
    }

    #[test]
    fn an_address_setting_must_be_a_web_address() {
        let form = [ProviderField {
            kind: FieldKind::Url,
            ..field("app_url", false, false)
        }];
        for bad in ["javascript:alert(1)", "app.example.com", "https://a b"] {
            assert_eq!(
                checked_settings(&form, &settings(&[("app_url", bad)])),
                Err(SettingsError::Invalid("app_url".into())),
                "{bad}"
            );
        }
        assert!(checked_settings(
            &form,
            &settings(&[("app_url", "https://app.example.com/c")])
        )
        .is_ok());
    }

    #[test]
    fn a_secret_is_never_accepted_as_a_plain_setting() {
        let form = [field("api_key", true, true)];
        assert_eq!(
            checked_settings(&form, &settings(&[("api_key", "k")])),
            Err(SettingsError::Secret("api_key".into()))
        );
    }
}
