//! One soak phase on one database: a fresh sandbox and database, a
//! companion connected to it, faults on, every operation sent while the
//! companion is `SIGKILLed` and restarted on a fixed period, then the verdict.

use crate::client::{self, Ctx, OpResult, Progress};
use crate::database::{Database, Kind};
use crate::faults;
use crate::procs::{self, Companion};
use crate::verify::{self, Tally};
use crate::workload::Plan;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// The ATS key the sandbox accepts (a sandbox's, not a secret).
const ATS_KEY: &str = "soak-jazzhr-key-0001";

/// How to run a phase.
pub struct Settings {
    pub ops: usize,
    pub merges: usize,
    pub kill_every: Duration,
    pub deadline: Duration,
    pub stall: Duration,
    pub clients: usize,
    pub settle: Duration,
    pub fault_scale: f64,
    pub postgres: String,
    pub bin_dir: PathBuf,
    pub work_dir: PathBuf,
}

/// What a phase found.
pub struct Report {
    pub db: Kind,
    pub uploads: usize,
    pub merges: usize,
    pub tally: Tally,
    /// From the last first acknowledgement to the last final answer; `None`
    /// when some operation never got one.
    pub drain: Option<Duration>,
    pub total: Duration,
    pub restarts: u32,
    pub conflicts: usize,
    pub queued: usize,
    pub requests: usize,
    /// Why the phase stopped before every operation was final, if it did.
    pub stopped_early: Option<String>,
}

impl Report {
    /// Duplicates, losses, and operations left without a final answer or
    /// refused all make the soak fail.
    #[must_use]
    pub fn clean(&self) -> bool {
        self.tally.duplicates() == 0
            && self.tally.losses() == 0
            && self.tally.unfinished == 0
            && self.tally.failed == 0
            && self.tally.wrong_id == 0
    }

    /// The one summary line.
    #[must_use]
    pub fn line(&self) -> String {
        let t = &self.tally;
        let drain = self.drain.map_or_else(
            || format!("never ({} unfinished)", t.unfinished),
            |d| format!("{:.1} s", d.as_secs_f64()),
        );
        format!(
            "{:<8} operations {} ({} uploads, {} merges) | duplicates {} (people {}, merge notes {}) | losses {} (acknowledged {}, never answered {}) | time to drain {} | restarts {} | unfinished {}, refused {}, wrong ids {}, queued {}, 409s {}, requests {}, total {:.0} s",
            self.db.name(),
            self.uploads + self.merges,
            self.uploads,
            self.merges,
            t.duplicates(),
            t.duplicate_people,
            t.duplicate_notes,
            t.losses(),
            t.lost_acknowledged,
            t.lost_unanswered,
            drain,
            self.restarts,
            t.unfinished,
            t.failed,
            t.wrong_id,
            self.queued,
            self.conflicts,
            self.requests,
            self.total.as_secs_f64(),
        )
    }
}

/// Runs one phase; every process it starts is gone when it returns.
pub async fn run(settings: &Settings, kind: Kind) -> Result<Report, String> {
    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    );
    let dir = settings.work_dir.join(kind.name());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let plan = Plan::new(settings.ops, settings.merges, &run);
    let seed_file = dir.join("seed.json");
    std::fs::write(&seed_file, plan.seed_file())
        .map_err(|e| format!("cannot write the seeds: {e}"))?;

    let mut sandbox = procs::sandbox(
        &settings.bin_dir.join("sourcebar-sandbox"),
        &dir,
        ATS_KEY,
        &seed_file,
    )
    .await?;
    let database = match Database::create(kind, &dir, &settings.postgres, &run).await {
        Ok(d) => d,
        Err(e) => {
            sandbox.kill().await;
            return Err(e);
        }
    };
    eprintln!(
        "[{}] sandbox {}, database {}, logs in {}",
        kind.name(),
        sandbox.url,
        database.url,
        dir.display()
    );
    let report = drive(settings, kind, &dir, &plan, &sandbox.url, &database.url).await;
    sandbox.kill().await;
    let name = database.postgres_name().map(String::from);
    if let Err(e) = database.drop_it().await {
        eprintln!(
            "[{}] {e}; drop database {} by hand",
            kind.name(),
            name.unwrap_or_default()
        );
    }
    report
}

/// Writes the companion's config file; `allow_private` only where this
/// companion knows the setting (a config file with an unknown key is refused).
fn write_config(dir: &Path, allow_private: bool) -> Result<PathBuf, String> {
    let path = dir.join("companion.toml");
    // No per-minute ceilings of the companion's own: the soak's 10,000
    // operations would otherwise take hours, not minutes.
    let mut text = String::from("ats_calls_per_minute = 1000000\ntoken_rate_limit = 1000000\n");
    if allow_private {
        text.push_str("allow_private_base_urls = true\n");
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Creates the team; returns the admin token.
async fn init(companion: &Companion, dir: &Path) -> Result<String, String> {
    let args = [
        "init",
        "--team",
        "Soak",
        "--admin-email",
        "admin@soak.test",
        "--admin-name",
        "Soak Admin",
    ];
    let (mut ok, mut out, mut err) = companion.run_once(&args).await?;
    if !ok && err.contains("allow_private_base_urls") {
        write_config(dir, false)?;
        (ok, out, err) = companion.run_once(&args).await?;
    }
    if !ok {
        return Err(format!("companion init failed: {}", err.trim()));
    }
    out.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(String::from)
        .ok_or_else(|| "companion init printed no token".into())
}

async fn connect(
    http: &reqwest::Client,
    companion: &str,
    token: &str,
    sandbox: &str,
) -> Result<(), String> {
    let body = json!({"provider": "jazzhr", "name": "Soak sandbox", "api_key": ATS_KEY, "base_url": format!("{sandbox}/v1")});
    let answer = http
        .post(format!("{companion}/v1/connections"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("connecting the sandbox: {e}"))?;
    let status = answer.status();
    if status.as_u16() != 201 {
        let text = answer.text().await.unwrap_or_default();
        return Err(format!("connecting the sandbox: HTTP {status}: {text}"));
    }
    Ok(())
}

/// The companion's own errors and panics, counted by message (a few kinds):
/// a stuck operation is easier to explain with them.
fn server_errors(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut counts: Vec<(String, usize)> = Vec::new();
    // A 5xx answer is traced too; the soak expects those (the ATS fails).
    for line in text
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("panicked"))
        .filter(|l| !l.contains("tower_http"))
    {
        // Drop the timestamp: the same error at two times is one kind.
        let message = line
            .split_once(' ')
            .map_or(line, |(_, rest)| rest)
            .trim()
            .to_string();
        match counts.iter_mut().find(|(m, _)| *m == message) {
            Some((_, n)) => *n += 1,
            None => counts.push((message, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .into_iter()
        .take(5)
        .map(|(m, n)| format!("{n} x {m}"))
        .collect()
}

/// Aborts the kill loop (and so kills the companion it holds) when a phase
/// ends early by an error or Ctrl-C.
struct AbortOnDrop<T>(Option<tokio::task::JoinHandle<T>>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if let Some(handle) = &self.0 {
            handle.abort();
        }
    }
}

/// SIGKILLs the companion and starts it again every `every`, until told to
/// stop; hands the companion back (running) with the restart count.
async fn kill_loop(
    mut companion: Companion,
    every: Duration,
    mut stop: watch::Receiver<bool>,
    progress: Arc<Progress>,
) -> (Companion, u32, Option<String>) {
    let mut restarts = 0;
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => return (companion, restarts, None),
        }
        companion.kill().await;
        let mut last = None;
        for _ in 0..5 {
            match companion.start().await {
                Ok(_) => {
                    last = None;
                    break;
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        if let Some(e) = last {
            progress.stop();
            return (companion, restarts, Some(format!("restart failed: {e}")));
        }
        restarts += 1;
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "the driver's loop: kills, restarts and progress, read top to bottom"
)]
async fn drive(
    settings: &Settings,
    kind: Kind,
    dir: &Path,
    plan: &Plan,
    sandbox: &str,
    database_url: &str,
) -> Result<Report, String> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        // Past the companion's own ATS timeouts (20 s a call).
        .timeout(Duration::from_secs(45))
        .build()
        .map_err(|e| e.to_string())?;
    let config = write_config(dir, true)?;
    let env = vec![
        ("DATABASE_URL".to_string(), database_url.to_string()),
        (
            "SOURCEBAR_MASTER_KEY_FILE".to_string(),
            dir.join("master.key").display().to_string(),
        ),
        ("SOURCEBAR_CONFIG".to_string(), config.display().to_string()),
        // Plain logs: the soak reads them back.
        ("NO_COLOR".to_string(), "1".to_string()),
    ];
    let mut companion = Companion::new(
        settings.bin_dir.join("sourcebar-companion"),
        env,
        dir.join("companion.log"),
    );
    let token = init(&companion, dir).await?;
    let base = companion.start().await?;
    connect(&http, &base, &token, sandbox).await?;
    faults::apply(&http, sandbox, settings.fault_scale).await?;

    let progress = Progress::new();
    let ctx = Ctx {
        http: http.clone(),
        base,
        token,
        progress: progress.clone(),
        senders: Arc::new(Semaphore::new(settings.clients.max(1))),
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut killer = AbortOnDrop(Some(tokio::spawn(kill_loop(
        companion,
        settings.kill_every,
        stop_rx,
        progress.clone(),
    ))));

    let mut tasks = JoinSet::new();
    for (i, op) in plan.ops.iter().cloned().enumerate() {
        let ctx = ctx.clone();
        tasks.spawn(async move { (i, client::run(ctx, op).await) });
    }
    let mut results = vec![OpResult::default(); plan.ops.len()];
    let mut stopped_early = None;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    let mut last_print = Duration::ZERO;
    loop {
        tokio::select! {
            joined = tasks.join_next() => match joined {
                Some(Ok((i, result))) => results[i] = result,
                Some(Err(e)) => return Err(format!("a client task failed: {e}")),
                None => break,
            },
            _ = ticker.tick() => {
                let elapsed = progress.elapsed();
                if stopped_early.is_none() {
                    if elapsed > settings.deadline {
                        stopped_early = Some(format!("deadline of {} s reached", settings.deadline.as_secs()));
                    } else if progress.idle() > settings.stall {
                        stopped_early = Some(format!("no operation progressed for {} s", settings.stall.as_secs()));
                    } else if progress.stopped() {
                        stopped_early = Some("the companion could not be restarted".into());
                    }
                    if let Some(why) = &stopped_early {
                        eprintln!("[{}] stopping: {why}", kind.name());
                        progress.stop();
                    }
                }
                if elapsed.saturating_sub(last_print) >= Duration::from_secs(10) {
                    last_print = elapsed;
                    eprintln!(
                        "[{} {:>4} s] acknowledged {}/{} final {} queued {} 409s {} requests {}",
                        kind.name(), elapsed.as_secs(),
                        progress.acknowledged.load(Ordering::Relaxed), plan.ops.len(),
                        progress.finished.load(Ordering::Relaxed),
                        progress.queued.load(Ordering::Relaxed),
                        progress.conflicts.load(Ordering::Relaxed),
                        progress.requests.load(Ordering::Relaxed),
                    );
                }
            }
        }
    }
    let total = progress.elapsed();
    let _ = stop_tx.send(true);
    let (mut companion, restarts, kill_error) = killer
        .0
        .take()
        .ok_or("kill loop gone")?
        .await
        .map_err(|e| format!("kill loop: {e}"))?;
    if let Some(e) = kill_error {
        stopped_early.get_or_insert(e);
    }
    // Late work (a worker delivering twice) shows up while the companion
    // still runs, now without faults or kills.
    faults::clear(&http, sandbox).await?;
    tokio::time::sleep(settings.settle).await;
    companion.kill().await;

    let tally = verify::check(&http, sandbox, plan, &results).await?;
    for example in &tally.examples {
        eprintln!("[{}]   {example}", kind.name());
    }
    for line in server_errors(&dir.join("companion.log")) {
        eprintln!("[{}]   companion log: {line}", kind.name());
    }
    let all_final = results.iter().all(|r| r.outcome.is_some());
    let ms = |a: &std::sync::atomic::AtomicU64| Duration::from_millis(a.load(Ordering::Relaxed));
    let (uploads, merges) = plan.counts();
    Ok(Report {
        db: kind,
        uploads,
        merges,
        tally,
        drain: all_final
            .then(|| ms(&progress.last_final_ms).saturating_sub(ms(&progress.last_ack_ms))),
        total,
        restarts,
        conflicts: progress.conflicts.load(Ordering::Relaxed),
        queued: progress.queued.load(Ordering::Relaxed),
        requests: progress.requests.load(Ordering::Relaxed),
        stopped_early,
    })
}
