//! What an ATS user does to jobs and applications by hand (open, close,
//! delete a job; move an application along), for `/_sandbox/` tests.

use super::{Application, ApplicationStatus, Id, Job, JobStatus, Model, Stage, Timestamp};

impl Model {
    /// Opens a new job; returns its id.
    pub fn add_job(&mut self, title: &str, status: JobStatus, confidential: bool) -> Id {
        let id = self.next_id();
        self.jobs.push(Job {
            id,
            title: title.to_string(),
            department: String::new(),
            location: "Remote".into(),
            status,
            confidential,
            private: false,
        });
        id
    }

    /// Changes a job's status and title; false if there is no such job.
    pub fn edit_job(&mut self, id: Id, status: Option<JobStatus>, title: Option<&str>) -> bool {
        let Some(job) = self.jobs.iter_mut().find(|j| j.id == id) else {
            return false;
        };
        if let Some(status) = status {
            job.status = status;
        }
        if let Some(title) = title {
            job.title = title.to_string();
        }
        true
    }

    /// Deletes a job and the applications to it; false if there was none.
    pub fn remove_job(&mut self, id: Id) -> bool {
        let before = self.jobs.len();
        self.jobs.retain(|j| j.id != id);
        self.applications.retain(|a| a.job != id);
        self.jobs.len() != before
    }

    /// Puts a person on a job (or finds the application there) and moves it
    /// to `stage` with `status`; returns the application's id.
    pub fn set_application(
        &mut self,
        person: Id,
        job: Id,
        stage: Option<Stage>,
        status: Option<ApplicationStatus>,
    ) -> Id {
        let now = Timestamp::now();
        let id = self.apply(person, job, now.clone());
        if let Some(a) = self.applications.iter_mut().find(|a| a.id == id) {
            if let Some(stage) = stage {
                a.stage = stage;
            }
            if let Some(status) = status {
                a.status = status;
            }
            a.updated_at = now.clone();
        }
        self.touch(person, now);
        id
    }

    /// The application with this id.
    pub fn application(&self, id: Id) -> Option<&Application> {
        self.applications.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Person;
    use super::*;

    #[test]
    fn a_deleted_job_takes_its_applications_with_it() {
        let mut model = Model::new();
        let job = model.add_job("Backend Engineer", JobStatus::Open, false);
        let person = model.add_person(Person::new("Ana", "Pérez"));
        model.apply(person, job, Timestamp::now());
        assert!(model.edit_job(job, Some(JobStatus::Closed), None));
        assert_eq!(model.job(job).unwrap().status, JobStatus::Closed);
        assert!(model.remove_job(job));
        assert!(model.job(job).is_none());
        assert_eq!(model.applications_of(person).count(), 0);
        assert!(!model.remove_job(job));
    }

    #[test]
    fn an_application_moves_to_a_named_stage_and_status() {
        let mut model = Model::new();
        let job = model.jobs()[0].id;
        let person = model.add_person(Person::new("Ana", "Pérez"));
        let id = model.set_application(
            person,
            job,
            Stage::named("phone SCREEN"),
            Some(ApplicationStatus::Rejected),
        );
        let a = model.application(id).unwrap();
        assert_eq!(a.stage.name, "Phone screen");
        assert_eq!(a.status, ApplicationStatus::Rejected);
    }
}
