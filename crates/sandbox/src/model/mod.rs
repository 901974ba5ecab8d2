//! The sandbox's neutral data model: people, jobs, applications, notes,
//! attachments and users, with no provider's shape in it. Each dialect
//! (`crate::dialect`) renders it the way its ATS does, ids included.

mod generate;
mod job;
mod job_admin;
mod note;
mod person;
mod seed;
mod time;
mod user;

pub use job::{Application, ApplicationStatus, Job, JobStatus, Stage, PIPELINE};
pub use note::{Attachment, Author, Note, Visibility};
pub use person::{Email, EmailKind, Link, LinkKind, Person, Phone};
pub use seed::SeedCandidate;
pub use time::{today, unix_now, Timestamp};
pub use user::{Role, User};

use serde::Serialize;

/// A record's neutral id: a number, unique across every kind of record and
/// growing in creation order. Dialects print it their own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Id(pub u64);

impl Id {
    /// The account's owner, who exists before any numbered record.
    pub const OWNER: Id = Id(0);
    /// A record not added to the model yet.
    pub const UNSET: Id = Id(u64::MAX);
}

/// A person removed from the ATS, kept so a dialect can report deletions.
#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    pub person: Person,
    pub at: Timestamp,
}

/// Everything the sandbox holds, in memory.
#[derive(Debug)]
pub struct Model {
    people: Vec<Person>,
    jobs: Vec<Job>,
    applications: Vec<Application>,
    notes: Vec<Note>,
    attachments: Vec<Attachment>,
    users: Vec<User>,
    deletions: Vec<Deletion>,
    last_id: u64,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// A model with the owner, the standard jobs, and no people.
    pub fn new() -> Self {
        let mut model = Model {
            people: Vec::new(),
            jobs: Vec::new(),
            applications: Vec::new(),
            notes: Vec::new(),
            attachments: Vec::new(),
            users: vec![User::owner()],
            deletions: Vec::new(),
            last_id: 0,
        };
        // (title, department, location, status, confidential, private)
        let jobs = [
            (
                "Senior Rust Engineer",
                "Engineering",
                "Lyon",
                JobStatus::Open,
                false,
                false,
            ),
            (
                "Talent Sourcer",
                "People",
                "Paris",
                JobStatus::Open,
                false,
                false,
            ),
            (
                "Product Designer",
                "Design",
                "Berlin",
                JobStatus::Open,
                false,
                false,
            ),
            (
                "VP Engineering (confidential)",
                "Engineering",
                "Remote",
                JobStatus::Open,
                true,
                false,
            ),
            (
                "Internal Transfer Pool",
                "People",
                "Remote",
                JobStatus::Open,
                false,
                true,
            ),
            (
                "Data Analyst",
                "Data",
                "Madrid",
                JobStatus::Closed,
                false,
                false,
            ),
            (
                "Office Manager",
                "Operations",
                "London",
                JobStatus::OnHold,
                false,
                false,
            ),
        ];
        for (title, department, location, status, confidential, private) in jobs {
            let id = model.next_id();
            model.jobs.push(Job {
                id,
                title: title.into(),
                department: department.into(),
                location: location.into(),
                status,
                confidential,
                private,
            });
        }
        model
    }

    /// A fresh id.
    pub fn next_id(&mut self) -> Id {
        self.last_id += 1;
        Id(self.last_id)
    }

    /// Adds a person (its `id` is replaced by a fresh one) and returns its id.
    pub fn add_person(&mut self, mut person: Person) -> Id {
        person.id = self.next_id();
        let id = person.id;
        self.people.push(person);
        id
    }

    /// Everyone, in creation order.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The person with this id.
    pub fn person(&self, id: Id) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// The person with this id, to change in place (a dialect that adds a
    /// link or a contact to an existing record).
    pub fn person_mut(&mut self, id: Id) -> Option<&mut Person> {
        self.people.iter_mut().find(|p| p.id == id)
    }

    /// People newest first: the later creation day, then the later record.
    pub fn newest_first(&self) -> Vec<&Person> {
        let mut list: Vec<&Person> = self.people.iter().collect();
        list.sort_by(|a, b| {
            b.created_at
                .day()
                .cmp(a.created_at.day())
                .then(b.id.cmp(&a.id))
        });
        list
    }

    /// Removes a person, logging the deletion; false if there was none.
    pub fn remove_person(&mut self, id: Id) -> bool {
        let Some(at) = self.people.iter().position(|p| p.id == id) else {
            return false;
        };
        let person = self.people.remove(at);
        self.deletions.push(Deletion {
            person,
            at: Timestamp::now(),
        });
        true
    }

    /// The people removed so far, oldest deletion first.
    pub fn deletions(&self) -> &[Deletion] {
        &self.deletions
    }

    /// Every job.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// The job with this id.
    pub fn job(&self, id: Id) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// Puts a person on a job at the first stage; an existing application
    /// is kept as it is. Returns the application's id.
    pub fn apply(&mut self, person: Id, job: Id, at: Timestamp) -> Id {
        if let Some(a) = self
            .applications
            .iter()
            .find(|a| a.person == person && a.job == job)
        {
            return a.id;
        }
        let id = self.next_id();
        self.applications.push(Application {
            id,
            person,
            job,
            stage: Stage::first(),
            status: ApplicationStatus::Active,
            created_at: at.clone(),
            updated_at: at.clone(),
        });
        self.touch(person, at);
        id
    }

    /// Every application, in creation order.
    pub fn applications(&self) -> &[Application] {
        &self.applications
    }

    /// A person's applications, in creation order.
    pub fn applications_of(&self, person: Id) -> impl Iterator<Item = &Application> {
        self.applications.iter().filter(move |a| a.person == person)
    }

    /// Writes a note on a person; returns its id.
    pub fn add_note(
        &mut self,
        person: Id,
        author: Author,
        body: String,
        visibility: Visibility,
    ) -> Id {
        let id = self.next_id();
        let now = Timestamp::now();
        self.notes.push(Note {
            id,
            person,
            author,
            body,
            visibility,
            created_at: now.clone(),
        });
        self.touch(person, now);
        id
    }

    /// Every note, in creation order.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// A person's notes, in creation order.
    pub fn notes_of(&self, person: Id) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(move |n| n.person == person)
    }

    /// Attaches a file to a person; returns its id.
    pub fn attach(&mut self, person: Id, filename: String, size: usize) -> Id {
        let id = self.next_id();
        let now = Timestamp::now();
        self.attachments.push(Attachment {
            id,
            person,
            filename,
            size,
            created_at: now.clone(),
        });
        self.touch(person, now);
        id
    }

    /// A person's files, in creation order.
    pub fn attachments_of(&self, person: Id) -> impl Iterator<Item = &Attachment> {
        self.attachments.iter().filter(move |f| f.person == person)
    }

    /// The account's users, the owner first.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user with this id.
    pub fn user(&self, id: Id) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    fn touch(&mut self, person: Id, at: Timestamp) {
        if let Some(p) = self.people.iter_mut().find(|p| p.id == person) {
            p.updated_at = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_across_kinds_and_grow() {
        let mut model = Model::new();
        let person = model.add_person(Person::new("Ana", "Pérez"));
        let job = model.jobs()[0].id;
        let application = model.apply(person, job, Timestamp::now());
        let note = model.add_note(
            person,
            Author::User(Id::OWNER),
            "hi".into(),
            Visibility::Everyone,
        );
        assert!(job < person && person < application && application < note);
        assert_ne!(Id::OWNER, job);
    }

    #[test]
    fn one_application_per_person_and_job() {
        let mut model = Model::new();
        let person = model.add_person(Person::new("Ana", "Pérez"));
        let job = model.jobs()[1].id;
        let first = model.apply(person, job, Timestamp::now());
        assert_eq!(model.apply(person, job, Timestamp::now()), first);
        assert_eq!(model.applications_of(person).count(), 1);
    }

    #[test]
    fn newest_first_is_by_day_then_by_creation() {
        let mut model = Model::new();
        let old =
            model.add_person(Person::new("A", "Old").created(Timestamp::at_day("2020-01-01")));
        let new =
            model.add_person(Person::new("B", "New").created(Timestamp::at_day("2024-01-01")));
        let newer =
            model.add_person(Person::new("C", "Newer").created(Timestamp::at_day("2024-01-01")));
        let order: Vec<Id> = model.newest_first().iter().map(|p| p.id).collect();
        assert_eq!(order, vec![newer, new, old]);
    }

    #[test]
    fn a_removal_is_logged() {
        let mut model = Model::new();
        let id = model.add_person(Person::new("Gone", "Soon"));
        assert!(model.remove_person(id));
        assert!(!model.remove_person(id));
        assert!(model.person(id).is_none());
        assert_eq!(model.deletions().len(), 1);
        assert_eq!(model.deletions()[0].person.last_name, "Soon");
    }

    #[test]
    fn a_note_changes_its_person() {
        let mut model = Model::new();
        let id = model.add_person(Person::new("A", "B").created(Timestamp::at_day("2020-01-01")));
        model.add_note(
            id,
            Author::Unknown("x".into()),
            "n".into(),
            Visibility::Restricted,
        );
        let person = model.person(id).unwrap();
        assert!(person.updated_at > person.created_at);
        assert_eq!(model.notes_of(id).count(), 1);
    }
}
