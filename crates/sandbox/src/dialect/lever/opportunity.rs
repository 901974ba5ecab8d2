//! Lever's opportunities, derived from the neutral model: one per
//! application, plus one without a posting when the person was added for no
//! job in particular (or has no application at all).

use super::{confidentiality, millis, uuid, Kind, CANDIDATES_URL};
use crate::model::{Application, Id, Model, Person};
use serde_json::{json, Value};

/// One candidacy of one contact.
#[derive(Debug, Clone, Copy)]
pub struct Opportunity<'m> {
    /// The neutral record it stands for (the person, or the application),
    /// which also orders opportunities by creation.
    pub key: Id,
    pub person: &'m Person,
    pub application: Option<&'m Application>,
}

impl<'m> Opportunity<'m> {
    /// A person's opportunities, oldest first.
    pub fn of_person(model: &'m Model, person: &'m Person) -> Vec<Opportunity<'m>> {
        let applications: Vec<&Application> = model.applications_of(person.id).collect();
        let mut out = Vec::new();
        if person.without_job || applications.is_empty() {
            out.push(Opportunity {
                key: person.id,
                person,
                application: None,
            });
        }
        out.extend(applications.into_iter().map(|a| Opportunity {
            key: a.id,
            person,
            application: Some(a),
        }));
        out
    }

    /// Every opportunity of every person, oldest first.
    pub fn all(model: &'m Model) -> Vec<Opportunity<'m>> {
        let mut out: Vec<Opportunity> = model
            .people()
            .iter()
            .flat_map(|p| Opportunity::of_person(model, p))
            .collect();
        out.sort_by_key(|o| o.key);
        out
    }

    /// The opportunity Lever calls `id`.
    pub fn find(model: &'m Model, id: &str) -> Option<Opportunity<'m>> {
        model
            .people()
            .iter()
            .flat_map(|p| Opportunity::of_person(model, p))
            .find(|o| o.id() == id)
    }

    /// Its id as Lever prints it (a seed's own id for a person's
    /// opportunity without a posting).
    pub fn id(&self) -> String {
        match (self.application, &self.person.given_id) {
            (None, Some(given)) => given.clone(),
            _ => uuid(Kind::Opportunity, self.key),
        }
    }

    /// The contact (person) it belongs to.
    pub fn contact(&self) -> String {
        uuid(Kind::Contact, self.person.id)
    }

    /// When it was last changed (its person's or its application's change).
    pub fn updated_ms(&self) -> i64 {
        let person = millis(&self.person.updated_at);
        self.application
            .map_or(person, |a| person.max(millis(&a.updated_at)))
    }

    /// As `GET /opportunities` shows it.
    pub fn json(&self, model: &Model) -> Value {
        let p = self.person;
        let id = self.id();
        let confidential = self
            .application
            .and_then(|a| model.job(a.job))
            .is_some_and(|j| j.confidential);
        let created = self
            .application
            .map_or_else(|| millis(&p.created_at), |a| millis(&a.created_at));
        let owner = uuid(Kind::User, Id::OWNER);
        json!({
            "id": id,
            "name": format!("{} {}", p.first_name, p.last_name).trim(),
            "contact": self.contact(),
            "headline": p.title,
            "stage": "lead-new",
            "confidentiality": confidentiality(confidential),
            "location": p.location,
            "phones": p.phones.iter().map(|n| json!({"type": "other", "value": n.number})).collect::<Vec<_>>(),
            "emails": p.emails.iter().map(|e| e.address.clone()).collect::<Vec<_>>(),
            "links": p.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>(),
            "archived": null,
            "tags": p.tags,
            "sources": if p.source.is_empty() { vec![] } else { vec![p.source.clone()] },
            "origin": "sourced",
            "sourcedBy": owner,
            "owner": owner,
            "followers": [],
            "applications": self.application.map(|a| vec![uuid(Kind::Application, a.id)]).unwrap_or_default(),
            "stageChanges": [],
            "createdAt": created,
            "updatedAt": self.updated_ms(),
            "lastInteractionAt": self.updated_ms(),
            "lastAdvancedAt": created,
            "snoozedUntil": null,
            "urls": {"list": CANDIDATES_URL, "show": format!("{CANDIDATES_URL}/{id}")},
            "isAnonymized": false,
            "dataProtection": null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    #[test]
    fn a_person_has_one_opportunity_per_posting_and_one_without_when_added_so() {
        let mut model = Model::new();
        let job = model.jobs()[0].id;
        let plain = model.add_person(Person::new("Ana", "Pérez"));
        let on_job = model.add_person(Person::new("Bo", "Li"));
        model.apply(on_job, job, Timestamp::now());
        let both = model.add_person(Person::new("Cy", "Ng"));
        model.person_mut(both).unwrap().without_job = true;
        model.apply(both, job, Timestamp::now());

        let count = |id| Opportunity::of_person(&model, model.person(id).unwrap()).len();
        assert_eq!((count(plain), count(on_job), count(both)), (1, 1, 2));
        let all = Opportunity::all(&model);
        assert_eq!(all.len(), 4);
        assert!(all.windows(2).all(|w| w[0].key < w[1].key));
        let with_posting = all.iter().find(|o| o.application.is_some()).unwrap();
        let found = Opportunity::find(&model, &with_posting.id()).unwrap();
        assert_eq!(found.person.id, on_job);
        assert_eq!(
            found.json(&model)["applications"].as_array().unwrap().len(),
            1
        );
    }
}
