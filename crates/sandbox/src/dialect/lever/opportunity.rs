//! Lever's opportunities, derived from the neutral model: one per
//! application, plus one without a posting when the person was added for no
//! job in particular (or has no application at all).

use super::{confidentiality, millis, uuid, Kind, CANDIDATES_URL};
use crate::model::{Application, ApplicationStatus, Id, Model, Person, Stage};
use serde_json::{json, Value};

/// One candidacy of one contact.
#[derive(Debug, Clone, Copy)]
pub struct Opportunity<'m> {
    /// The person's id for their primary opportunity, else its
    /// application's: what it is called by, and its place in creation order.
    pub key: Id,
    pub person: &'m Person,
    pub application: Option<&'m Application>,
}

impl<'m> Opportunity<'m> {
    /// A person's opportunities, oldest first. The first (the person's
    /// *primary* one) carries the person's own id: the one without a
    /// posting when the person was added for no job (or has none), else
    /// the first application's. Later applications carry their own ids.
    pub fn of_person(model: &'m Model, person: &'m Person) -> Vec<Opportunity<'m>> {
        let applications: Vec<&Application> = model.applications_of(person.id).collect();
        let (primary, rest) = match applications.split_first() {
            Some((first, rest)) if !person.without_job => (Some(*first), rest),
            _ => (None, applications.as_slice()),
        };
        let mut out = vec![Opportunity {
            key: person.id,
            person,
            application: primary,
        }];
        out.extend(rest.iter().map(|a| Opportunity {
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

    /// Its id as Lever prints it (a seed's own id for a person's primary
    /// opportunity).
    pub fn id(&self) -> String {
        match &self.person.given_id {
            Some(given) if self.is_primary() => given.clone(),
            _ => uuid(Kind::Opportunity, self.key),
        }
    }

    /// Whether it is the person's first, which carries the person's id.
    pub fn is_primary(&self) -> bool {
        self.key == self.person.id
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

    /// The pipeline stage it is at (the first, without an application).
    fn stage(&self) -> Stage {
        self.application
            .map_or_else(Stage::first, |a| a.stage.clone())
    }

    /// `archived`: `null` while active, else the archive reason that closed
    /// it (Lever closes a candidacy, hired or not, by archiving it).
    fn archived(&self) -> Value {
        let Some(a) = self.application else {
            return Value::Null;
        };
        match ArchiveReason::of(a.status) {
            Some(reason) => json!({"reason": reason.id(), "archivedAt": millis(&a.updated_at)}),
            None => Value::Null,
        }
    }

    /// Its `applications[]`: ids, or with `expand=applications` the
    /// application objects (each names its posting).
    fn applications(&self, expand: bool) -> Value {
        let Some(a) = self.application else {
            return json!([]);
        };
        let id = uuid(Kind::Application, a.id);
        if expand {
            json!([{
                "id": id, "type": "posting", "opportunityId": self.id(),
                "candidateId": self.contact(), "posting": uuid(Kind::Posting, a.job),
                "postingOwner": uuid(Kind::User, Id::OWNER), "postingHiringManager": null,
                "user": null, "createdAt": millis(&a.created_at),
            }])
        } else {
            json!([id])
        }
    }

    /// As `GET /opportunities` shows it.
    pub fn json(&self, model: &Model) -> Value {
        self.json_expanded(model, false)
    }

    /// As `GET /opportunities?expand=applications` shows it (`expand`).
    pub fn json_expanded(&self, model: &Model, expand: bool) -> Value {
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
            "stage": uuid(Kind::Stage, Id(u64::from(self.stage().id))),
            "confidentiality": confidentiality(confidential),
            "location": p.location,
            "phones": p.phones.iter().map(|n| json!({"type": "other", "value": n.number})).collect::<Vec<_>>(),
            "emails": p.emails.iter().map(|e| e.address.clone()).collect::<Vec<_>>(),
            "links": p.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>(),
            "archived": self.archived(),
            "tags": p.tags,
            "sources": if p.source.is_empty() { vec![] } else { vec![p.source.clone()] },
            "origin": "sourced",
            "sourcedBy": owner,
            "owner": owner,
            "followers": [],
            "applications": self.applications(expand),
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

/// Lever's archive reasons (`GET /archive_reasons`): the sandbox's one per
/// way a candidacy closes; `type` says whether it ended in a hire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveReason {
    Hired = 1,
    NotAFit = 2,
    Withdrew = 3,
}

impl ArchiveReason {
    pub const ALL: [ArchiveReason; 3] = [
        ArchiveReason::Hired,
        ArchiveReason::NotAFit,
        ArchiveReason::Withdrew,
    ];

    /// The reason an application with `status` was archived for.
    pub fn of(status: ApplicationStatus) -> Option<Self> {
        match status {
            ApplicationStatus::Active => None,
            ApplicationStatus::Hired => Some(ArchiveReason::Hired),
            ApplicationStatus::Rejected => Some(ArchiveReason::NotAFit),
            ApplicationStatus::Withdrawn => Some(ArchiveReason::Withdrew),
        }
    }

    pub fn id(self) -> String {
        uuid(Kind::ArchiveReason, Id(self as u64))
    }

    pub fn json(self) -> Value {
        let (text, kind) = match self {
            ArchiveReason::Hired => ("Hired", "hired"),
            ArchiveReason::NotAFit => ("Not a fit", "non-hired"),
            ArchiveReason::Withdrew => ("Withdrew", "non-hired"),
        };
        json!({"id": self.id(), "text": text, "status": "active", "type": kind})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect as _;
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

        let of = |id| Opportunity::of_person(&model, model.person(id).unwrap());
        assert_eq!(
            (of(plain).len(), of(on_job).len(), of(both).len()),
            (1, 1, 2)
        );
        // The first carries the person's own id, with or without a posting.
        assert!(of(on_job)[0].is_primary() && of(on_job)[0].application.is_some());
        assert!(of(both)[0].application.is_none() && of(both)[1].application.is_some());
        assert_eq!(
            of(on_job)[0].id(),
            crate::dialect::lever::Lever.person_id(model.person(on_job).unwrap())
        );
        let all = Opportunity::all(&model);
        assert_eq!(all.len(), 4);
        assert!(all.windows(2).all(|w| w[0].key < w[1].key));
        let second = of(both)[1];
        let found = Opportunity::find(&model, &second.id()).unwrap();
        assert_eq!((found.person.id, found.key), (both, second.key));
        assert_eq!(
            found.json(&model)["applications"].as_array().unwrap().len(),
            1
        );
    }
}
