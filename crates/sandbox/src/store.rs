//! The sandbox's data: applicants, their notes, files and jobs, in memory.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use sourcebar_core::names::fold_name;

/// One JazzHR applicant record (one person may have several).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applicant {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub linkedin_url: String,
    pub location: String,
    pub source: String,
    /// `YYYY-MM-DD`.
    pub apply_date: String,
    /// Ids of the jobs the applicant is attached to.
    pub jobs: Vec<String>,
    /// Order of creation, for a stable "newest first".
    #[serde(skip)]
    pub seq: u64,
}

/// A note (`POST /notes`).
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: String,
    pub applicant_id: String,
    pub user_id: String,
    pub contents: String,
    pub security: String,
}

/// A file (`POST /files`).
#[derive(Debug, Clone, Serialize)]
pub struct File {
    pub id: String,
    pub applicant_id: String,
    pub filename: String,
    pub file_size: usize,
}

/// A job.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: String,
    pub title: String,
    pub department: String,
    pub city: String,
    pub state: String,
    /// "Open", "Closed", "On Hold" or "Drafting".
    pub status: String,
    /// "1" or "0" (the real field name is unconfirmed; see README).
    pub confidential: String,
    pub private: String,
}

/// An applicant-to-job row (`/applicants2jobs`).
#[derive(Debug, Clone, Serialize)]
pub struct ApplicantJob {
    pub id: String,
    pub applicant_id: String,
    pub job_id: String,
    pub rating: String,
    pub workflow_step_id: String,
    pub date: String,
}

/// A seed in the contract's `Candidate` shape.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SeedCandidate {
    pub id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub profile_url: Option<String>,
    pub location: Option<String>,
    pub created_at: Option<String>,
}

/// Everything the sandbox holds.
#[derive(Debug, Default)]
pub struct Store {
    pub applicants: Vec<Applicant>,
    pub notes: Vec<Note>,
    pub files: Vec<File>,
    pub jobs: Vec<Job>,
    pub applicant_jobs: Vec<ApplicantJob>,
    next: u64,
}

impl Store {
    /// A store with the standard jobs and no applicants.
    pub fn new() -> Self {
        let mut store = Store::default();
        let jobs = [
            (
                "Senior Rust Engineer",
                "Engineering",
                "Lyon",
                "Open",
                "0",
                "0",
            ),
            ("Talent Sourcer", "People", "Paris", "Open", "0", "0"),
            ("Product Designer", "Design", "Berlin", "Open", "0", "0"),
            (
                "VP Engineering (confidential)",
                "Engineering",
                "Remote",
                "Open",
                "1",
                "0",
            ),
            (
                "Internal Transfer Pool",
                "People",
                "Remote",
                "Open",
                "0",
                "1",
            ),
            ("Data Analyst", "Data", "Madrid", "Closed", "0", "0"),
            (
                "Office Manager",
                "Operations",
                "London",
                "On Hold",
                "0",
                "0",
            ),
        ];
        for (title, department, city, status, confidential, private) in jobs {
            let id = store.id("job");
            store.jobs.push(Job {
                id,
                title: title.into(),
                department: department.into(),
                city: city.into(),
                state: String::new(),
                status: status.into(),
                confidential: confidential.into(),
                private: private.into(),
            });
        }
        store
    }

    /// A fresh id with JazzHR's prefixes (`prospect_…`, `job_…`).
    pub fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}_{:08}{:04}", self.next, self.next * 7919 % 10_000)
    }

    /// Adds an applicant and returns its id.
    pub fn add_applicant(&mut self, mut applicant: Applicant) -> String {
        if applicant.id.is_empty() {
            applicant.id = self.id("prospect");
        }
        self.next += 1;
        applicant.seq = self.next;
        let id = applicant.id.clone();
        self.applicants.push(applicant);
        id
    }

    /// The applicant with this id.
    pub fn applicant(&self, id: &str) -> Option<&Applicant> {
        self.applicants.iter().find(|a| a.id == id)
    }

    /// Applicants newest first (apply date, then creation order).
    pub fn newest_first(&self) -> Vec<&Applicant> {
        let mut list: Vec<&Applicant> = self.applicants.iter().collect();
        list.sort_by(|a, b| b.apply_date.cmp(&a.apply_date).then(b.seq.cmp(&a.seq)));
        list
    }

    /// Adds seeds in the contract's Candidate shape.
    pub fn seed_from(&mut self, seeds: Vec<SeedCandidate>) {
        for s in seeds {
            let applicant = Applicant {
                id: s.id.unwrap_or_default(),
                first_name: s.first_name,
                last_name: s.last_name,
                email: s.email.unwrap_or_default(),
                phone: s.phone.unwrap_or_default(),
                linkedin_url: s.profile_url.unwrap_or_default(),
                location: s.location.unwrap_or_default(),
                source: "Seed".into(),
                apply_date: s
                    .created_at
                    .map_or_else(|| "2024-01-01".into(), |d| d.chars().take(10).collect()),
                jobs: Vec::new(),
                seq: 0,
            };
            self.add_applicant(applicant);
        }
    }

    /// Adds `n` generated people (deterministic for a given `seed`).
    pub fn seed_generated(&mut self, n: usize, seed: u64) {
        let mut rng = StdRng::seed_from_u64(seed);
        let open_jobs: Vec<(String, String)> = self
            .jobs
            .iter()
            .filter(|j| j.status == "Open")
            .map(|j| (j.id.clone(), j.title.clone()))
            .collect();
        let mut made = 0;
        while made < n {
            let person = crate::people::generate(&mut rng);
            // Some people applied more than once: several records, one person.
            let records = if rng.gen_bool(0.06) { 2 } else { 1 };
            for r in 0..records.min(n - made) {
                let mut a = person.clone();
                a.apply_date = random_date(&mut rng);
                if r == 1 && rng.gen_bool(0.5) {
                    // A near-duplicate: a typo in the re-application.
                    a.last_name = crate::people::typo(&a.last_name, &mut rng);
                }
                if rng.gen_bool(0.4) {
                    let (id, _) = &open_jobs[rng.gen_range(0..open_jobs.len())];
                    a.jobs.push(id.clone());
                }
                self.add_applicant(a);
                made += 1;
            }
        }
    }

    /// Applicants whose name loosely matches `query`: every word of the query
    /// appears in the name (case and accents ignored), like JazzHR's filter.
    pub fn name_matches(applicant: &Applicant, query: &str) -> bool {
        let name = fold_name(&format!("{} {}", applicant.first_name, applicant.last_name));
        let words: Vec<&str> = name.split(' ').collect();
        let query = fold_name(query);
        !query.is_empty()
            && query
                .split(' ')
                .all(|q| words.iter().any(|w| w.starts_with(q)))
    }
}

fn random_date(rng: &mut StdRng) -> String {
    let year = rng.gen_range(2016..=2025);
    let month = rng.gen_range(1..=12);
    let day = rng.gen_range(1..=28);
    format!("{year:04}-{month:02}-{day:02}")
}
