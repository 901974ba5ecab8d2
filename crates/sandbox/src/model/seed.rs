//! People given from outside (a seed file, a test), in the contract's
//! `Candidate` shape.

use super::{LinkKind, Model, Person, Timestamp};
use serde::Deserialize;

/// A seed in the contract's `Candidate` shape.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SeedCandidate {
    pub id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The contract's `profile_url` is the LinkedIn profile.
    pub profile_url: Option<String>,
    pub location: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`; only the day is kept (2024-01-01 if none).
    pub created_at: Option<String>,
}

impl SeedCandidate {
    fn into_person(self) -> Person {
        let day: String = self
            .created_at
            .map_or_else(|| "2024-01-01".into(), |d| d.chars().take(10).collect());
        let mut person = Person::new(&self.first_name, &self.last_name)
            .with_email(self.email.as_deref().unwrap_or_default())
            .with_phone(self.phone.as_deref().unwrap_or_default())
            .with_link(
                self.profile_url.as_deref().unwrap_or_default(),
                LinkKind::LinkedIn,
            )
            .created(Timestamp::at_day(&day));
        person.given_id = self.id.filter(|id| !id.is_empty());
        person.location = self.location.unwrap_or_default();
        person.source = "Seed".into();
        person
    }
}

impl Model {
    /// Adds seeds, in order.
    pub fn seed(&mut self, seeds: Vec<SeedCandidate>) {
        for seed in seeds {
            self.add_person(seed.into_person());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_keeps_its_id_contacts_and_day() {
        let mut model = Model::new();
        model.seed(
            serde_json::from_str(
                r#"[{"id": "prospect_given", "first_name": "Ana", "last_name": "Pérez",
                     "email": "ana@example.org", "profile_url": "https://www.linkedin.com/in/ana",
                     "created_at": "2021-05-06T07:08:09Z"}, {"first_name": "Bo", "last_name": "Li"}]"#,
            )
            .unwrap(),
        );
        let [ana, bo] = model.people() else {
            panic!("two people")
        };
        assert_eq!(ana.given_id.as_deref(), Some("prospect_given"));
        assert_eq!(ana.email(), "ana@example.org");
        assert_eq!(ana.linkedin_url(), "https://www.linkedin.com/in/ana");
        assert_eq!(ana.created_at.day(), "2021-05-06");
        assert_eq!((bo.given_id.as_deref(), bo.email()), (None, ""));
        assert_eq!(bo.created_at.day(), "2024-01-01");
    }
}
