//! An ATS emulator (JazzHR's v1 API first) for tests, benchmarks and the demo.
//!
//! One neutral data model (`model`) holds people, jobs, applications, notes
//! and users; one dialect per ATS (`dialect`) serves it the way that ATS's
//! API does: for JazzHR, path-segment filters, pages of 100, a lone object
//! instead of a one-element array, business errors as HTTP 200 with
//! `_error`, and a bare 429 past 80 calls a minute per key. Faults can be
//! switched on at run time under `/_sandbox/`. See README.md for every choice
//! made where the public facts are silent.

mod control;
mod control_jobs;
pub mod dialect;
mod faults;
pub mod model;
pub mod oauth;

pub use dialect::{Dialect, NotEmulated, Provider};
use faults::Window;
pub use faults::{Fault, FaultKind};
use model::Model;
pub use model::{today, Note, Person, SeedCandidate};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Which ATS to emulate (JazzHR by default).
    pub provider: Provider,
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The one API key it accepts.
    pub api_key: String,
    /// Generated candidates to start with.
    pub seed_candidates: usize,
    /// Candidates to start with, in the contract's Candidate shape.
    pub seed: Vec<SeedCandidate>,
    /// Seed of the generator, for reproducible data.
    pub rng_seed: u64,
    /// Calls per key per window (JazzHR: about 80 a minute).
    pub rate_limit: u32,
    /// The rate window (a minute; shorter in tests).
    pub rate_window: Duration,
    /// Send `Retry-After` with 429s, whatever the ATS does (JazzHR sends none).
    pub retry_after_secs: Option<u64>,
    /// How long a bearer token lives, for ATSs that trade the key for
    /// tokens (Greenhouse: an hour; tests shorten it to see a refresh).
    pub token_lifetime: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            provider: Provider::default(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: "sandbox-key".into(),
            seed_candidates: 0,
            seed: Vec::new(),
            rng_seed: 42,
            rate_limit: 80,
            rate_window: Duration::from_mins(1),
            retry_after_secs: None,
            token_lifetime: Duration::from_hours(1),
        }
    }
}

/// Request counts, for assertions ("no 429 was ever served").
#[derive(Debug, Default)]
pub struct Stats {
    pub total: u64,
    pub rate_limited: u64,
    /// The most requests of one key that arrived within any one rate
    /// window (sliding), refused ones included.
    pub peak_per_window: u64,
    pub by_path: BTreeMap<String, u64>,
}

/// The running sandbox's state, shared by its handlers.
pub struct SandboxState {
    provider: Provider,
    model: Mutex<Model>,
    /// The one key accepted; `PUT /_sandbox/key` replaces it, as an ATS
    /// admin regenerating the key would.
    api_key: Mutex<String>,
    pub faults: Mutex<Vec<Fault>>,
    pub stats: Mutex<Stats>,
    windows: Mutex<HashMap<String, Window>>,
    /// Permissions (scopes) the key has lost, named as the dialect names
    /// them: an admin narrowing the key in the ATS's settings.
    revoked: Mutex<BTreeSet<String>>,
    rate_limit: u32,
    rate_window: Duration,
    retry_after_secs: Option<u64>,
    /// Bearer tokens minted for the key (`oauth`).
    pub tokens: oauth::Tokens,
    /// Faults the next API calls meet for certain, in order (`force_next`).
    forced: Mutex<std::collections::VecDeque<FaultKind>>,
}

type Shared = Arc<SandboxState>;

impl SandboxState {
    /// The ATS this sandbox emulates.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// How the emulated ATS speaks.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.provider.dialect()
    }

    /// The neutral model, locked (hold it briefly: every call waits on it).
    pub fn model(&self) -> MutexGuard<'_, Model> {
        self.model.lock().expect("model lock")
    }

    /// Everyone, in creation order.
    pub fn people(&self) -> Vec<Person> {
        self.model().people().to_vec()
    }

    /// The person the ATS calls `ats_id`.
    pub fn person(&self, ats_id: &str) -> Option<Person> {
        self.dialect().find_person(&self.model(), ats_id).cloned()
    }

    /// A person's id as the ATS prints it.
    pub fn ats_id(&self, person: &Person) -> String {
        self.dialect().person_id(person)
    }

    /// Adds a person as if someone had typed it into the ATS; returns the
    /// id the ATS gives it.
    pub fn add_person(&self, person: Person) -> String {
        let mut model = self.model();
        let id = model.add_person(person);
        let person = model.person(id).expect("just added");
        self.dialect().person_id(person)
    }

    /// Removes the person the ATS calls `ats_id`, as deleting it in the ATS
    /// would (the model logs the deletion); false if there was none.
    pub fn remove_person(&self, ats_id: &str) -> bool {
        let mut model = self.model();
        let Some(id) = self.dialect().find_person(&model, ats_id).map(|p| p.id) else {
            return false;
        };
        model.remove_person(id)
    }

    /// Adds people in the contract's Candidate shape.
    pub fn seed(&self, seeds: Vec<SeedCandidate>) {
        self.model().seed(seeds);
    }

    /// Every note, in creation order.
    pub fn notes(&self) -> Vec<Note> {
        self.model().notes().to_vec()
    }

    /// The notes on the person the ATS calls `ats_id`, in creation order.
    pub fn notes_of(&self, ats_id: &str) -> Vec<Note> {
        let model = self.model();
        let Some(person) = self.dialect().find_person(&model, ats_id) else {
            return Vec::new();
        };
        model.notes_of(person.id).cloned().collect()
    }

    /// The ids (as the ATS prints them) of the jobs the person `ats_id` is
    /// on, in the order they were added.
    pub fn jobs_of(&self, ats_id: &str) -> Vec<String> {
        let model = self.model();
        let dialect = self.dialect();
        let Some(person) = dialect.find_person(&model, ats_id) else {
            return Vec::new();
        };
        model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| dialect.job_id(j))
            .collect()
    }

    /// Whether the key still has this permission.
    pub fn has_permission(&self, name: &str) -> bool {
        !self.lacks(name)
    }

    /// Whether `key` is the key currently accepted.
    pub fn accepts(&self, key: Option<&str>) -> bool {
        key == Some(self.api_key.lock().expect("key lock").as_str())
    }

    /// Takes a permission from the key, as an ATS admin narrowing it would;
    /// the dialect refuses what needed it.
    pub fn revoke_permission(&self, permission: &str) {
        self.revoked
            .lock()
            .expect("revoked lock")
            .insert(permission.to_string());
    }

    /// Gives a revoked permission back to the key.
    pub fn restore_permission(&self, permission: &str) {
        self.revoked
            .lock()
            .expect("revoked lock")
            .remove(permission);
    }

    /// Whether the key has lost `permission`.
    pub fn lacks(&self, permission: &str) -> bool {
        self.revoked
            .lock()
            .expect("revoked lock")
            .contains(permission)
    }

    /// Replaces the accepted key: every holder of the old one is refused.
    pub fn replace_key(&self, key: &str) {
        key.clone_into(&mut self.api_key.lock().expect("key lock"));
    }

    /// The key currently accepted (for a dialect whose token endpoint
    /// answers refusals its own way).
    pub fn current_key(&self) -> String {
        self.api_key.lock().expect("key lock").clone()
    }

    /// The next `times` calls to the API (under the dialect's base path)
    /// meet `kind` for certain, before any fault drawn by probability: a
    /// test that needs to meet a fault does not depend on how many calls
    /// an adapter makes.
    pub fn force_next(&self, kind: FaultKind, times: usize) {
        let mut forced = self.forced.lock().expect("forced lock");
        forced.extend(std::iter::repeat_n(kind, times));
    }

    /// The next forced fault for a call to `path`, if any.
    fn take_forced(&self, path: &str) -> Option<FaultKind> {
        if !path.starts_with(self.dialect().base_path()) {
            return None;
        }
        self.forced.lock().expect("forced lock").pop_front()
    }

    /// Revokes every bearer token: the next call with one is refused.
    pub fn revoke_tokens(&self) {
        self.tokens.revoke_all();
    }
}

/// A started sandbox.
pub struct SandboxHandle {
    pub addr: SocketAddr,
    pub state: Arc<SandboxState>,
    task: tokio::task::JoinHandle<()>,
}

impl SandboxHandle {
    /// Base URL of the emulated API (`http://ADDR/v1` for JazzHR).
    pub fn api_url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.dialect().base_path())
    }

    /// Base URL of the server (`http://ADDR`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The router, for in-process use.
pub fn router(state: Arc<SandboxState>) -> axum::Router {
    let api = state
        .dialect()
        .routes()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::guard,
        ));
    api.merge(control::routes())
        .merge(control_jobs::routes())
        .with_state(state)
}

/// Builds the state from a config (seeding included).
pub fn state(config: &SandboxConfig) -> Arc<SandboxState> {
    let mut model = Model::new();
    model.seed(config.seed.clone());
    model.generate(config.seed_candidates, config.rng_seed);
    Arc::new(SandboxState {
        provider: config.provider,
        model: Mutex::new(model),
        api_key: Mutex::new(config.api_key.clone()),
        faults: Mutex::new(Vec::new()),
        stats: Mutex::new(Stats::default()),
        windows: Mutex::new(HashMap::new()),
        revoked: Mutex::new(BTreeSet::new()),
        rate_limit: config.rate_limit,
        rate_window: config.rate_window,
        retry_after_secs: config.retry_after_secs,
        tokens: oauth::Tokens::new(config.token_lifetime),
        forced: Mutex::new(std::collections::VecDeque::new()),
    })
}

/// Starts a sandbox on a tokio task.
pub async fn start(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    let state = state(&config);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(SandboxHandle { addr, state, task })
}
