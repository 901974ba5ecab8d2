//! Clients that behave like the sidebar: one Idempotency-Key per operation,
//! the same request sent again with the same key on connection errors, 5xx,
//! 429 (after `Retry-After`) and `409 conflict`, and a queued upload
//! followed through `GET /v1/uploads/{id}` (sent again after a restart)
//! until a final answer or the end of the run.

use crate::workload::{MergeOp, Op, UploadOp};
use rand::Rng;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How one operation ended, as the client saw it.
#[derive(Debug, Clone, Default)]
pub struct OpResult {
    /// The companion took it: 201/200, or 202 `queued` for an upload.
    pub acknowledged: bool,
    /// The final answer: `Ok(candidate id, when the answer named one)`,
    /// or `Err(why)` when the companion said it failed for good.
    pub outcome: Option<Result<Option<String>, String>>,
    /// It was queued at least once.
    pub queued: bool,
    /// `409 conflict` answers it got ("still being processed").
    pub conflicts: u32,
    /// Requests it sent (posts and polls).
    pub requests: u32,
}

/// Shared counters, the run's clock, and the stop switch.
pub struct Progress {
    started: Instant,
    pub acknowledged: AtomicUsize,
    pub finished: AtomicUsize,
    pub queued: AtomicUsize,
    pub conflicts: AtomicUsize,
    pub requests: AtomicUsize,
    /// Milliseconds since `started` of the last acknowledgement or final answer.
    last_progress_ms: AtomicU64,
    /// Milliseconds since `started` of the last first acknowledgement.
    pub last_ack_ms: AtomicU64,
    /// Milliseconds since `started` of the last final answer.
    pub last_final_ms: AtomicU64,
    stop: AtomicBool,
}

impl Progress {
    #[must_use]
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress {
            started: Instant::now(),
            acknowledged: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            queued: AtomicUsize::new(0),
            conflicts: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            last_progress_ms: AtomicU64::new(0),
            last_ack_ms: AtomicU64::new(0),
            last_final_ms: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        })
    }

    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Time since an operation was last acknowledged or finished.
    #[must_use]
    pub fn idle(&self) -> Duration {
        Duration::from_millis(self.now_ms() - self.last_progress_ms.load(Ordering::Relaxed))
    }

    fn acked(&self) {
        self.acknowledged.fetch_add(1, Ordering::Relaxed);
        let now = self.now_ms();
        self.last_progress_ms.store(now, Ordering::Relaxed);
        self.last_ack_ms.fetch_max(now, Ordering::Relaxed);
    }

    fn finished(&self) {
        self.finished.fetch_add(1, Ordering::Relaxed);
        let now = self.now_ms();
        self.last_progress_ms.store(now, Ordering::Relaxed);
        self.last_final_ms.fetch_max(now, Ordering::Relaxed);
    }

    /// Tells every client to give up where it stands.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    #[must_use]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// What every client shares.
#[derive(Clone)]
pub struct Ctx {
    pub http: reqwest::Client,
    /// The companion, `http://ADDR` (the same across restarts).
    pub base: String,
    pub token: String,
    pub progress: Arc<Progress>,
    /// At most this many operations are being sent at once (sidebars).
    pub senders: Arc<Semaphore>,
}

/// One answer, or none.
enum Reply {
    Answer {
        status: u16,
        body: Value,
        retry_after: Option<Duration>,
    },
    /// Refused, reset or timed out: the companion is (re)starting.
    Unreachable,
}

impl Reply {
    fn code(&self) -> &str {
        match self {
            Reply::Answer { body, .. } => body
                .pointer("/error/code")
                .and_then(Value::as_str)
                .unwrap_or(""),
            Reply::Unreachable => "",
        }
    }
}

/// Waits before the same request again: 0.2 s doubling to 5 s, jittered,
/// or what `Retry-After` asked for.
struct Backoff(u32);

impl Backoff {
    async fn wait(&mut self, retry_after: Option<Duration>, progress: &Progress) {
        let wait = retry_after.unwrap_or_else(|| {
            let base = (200u64 << self.0.min(5)).min(5_000);
            Duration::from_millis(rand::thread_rng().gen_range(base / 2..=base + base / 2))
        });
        self.0 += 1;
        sleep_unless_stopped(wait, progress).await;
    }
}

async fn sleep_unless_stopped(wait: Duration, progress: &Progress) {
    let until = Instant::now() + wait;
    while Instant::now() < until && !progress.stopped() {
        tokio::time::sleep((until - Instant::now()).min(Duration::from_millis(250))).await;
    }
}

impl Ctx {
    async fn send(&self, request: reqwest::RequestBuilder, result: &mut OpResult) -> Reply {
        result.requests += 1;
        self.progress.requests.fetch_add(1, Ordering::Relaxed);
        let Ok(response) = request.bearer_auth(&self.token).send().await else {
            return Reply::Unreachable;
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        // A body cut off by a kill is no answer at all.
        let Ok(text) = response.text().await else {
            return Reply::Unreachable;
        };
        Reply::Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            retry_after,
        }
    }

    fn post(&self, path: &str, key: &str, body: &Value) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", key)
            .json(body)
    }
}

/// How long a client waits before asking again about a key that answered
/// `409 conflict`.
const BUSY_WAIT: Duration = Duration::from_secs(2);

/// Runs one operation until a final answer or the stop switch.
pub async fn run(ctx: Ctx, op: Op) -> OpResult {
    match op {
        Op::Upload(u) => upload(&ctx, &u).await,
        Op::Merge(m) => merge(&ctx, &m).await,
    }
}

/// What to do after one answer to a write.
enum Step {
    /// Final: the candidate id the answer named, if any.
    Done(Option<String>),
    /// 202: follow this upload.
    Queued(Option<String>),
    /// Send the same request again after waiting.
    Again(Option<Duration>),
    /// `409 conflict`: the key's first call is not finished; ask again later.
    Busy,
    /// Refused for good.
    Failed(String),
}

fn classify(reply: &Reply, result: &mut OpResult, progress: &Progress) -> Step {
    match reply {
        Reply::Unreachable => Step::Again(None),
        Reply::Answer {
            status: 200 | 201,
            body,
            ..
        } => Step::Done(candidate_id(body)),
        Reply::Answer {
            status: 202, body, ..
        } => Step::Queued(
            body.get("upload_id")
                .and_then(Value::as_str)
                .map(String::from),
        ),
        Reply::Answer { status: 409, .. } if reply.code() == "conflict" => {
            result.conflicts += 1;
            progress.conflicts.fetch_add(1, Ordering::Relaxed);
            Step::Busy
        }
        Reply::Answer {
            status,
            retry_after,
            ..
        } if *status == 429 || *status >= 500 => Step::Again(*retry_after),
        Reply::Answer { status, body, .. } => Step::Failed(format!(
            "HTTP {status} {}",
            body.pointer("/error/code")
                .and_then(Value::as_str)
                .unwrap_or("")
        )),
    }
}

fn candidate_id(body: &Value) -> Option<String> {
    body.pointer("/candidate/id")
        .and_then(Value::as_str)
        .map(String::from)
}

fn finish(ctx: &Ctx, result: &mut OpResult, outcome: Result<Option<String>, String>) {
    if outcome.is_ok() && !result.acknowledged {
        result.acknowledged = true;
        ctx.progress.acked();
    }
    result.outcome = Some(outcome);
    ctx.progress.finished();
}

async fn upload(ctx: &Ctx, op: &UploadOp) -> OpResult {
    let mut result = OpResult::default();
    let mut backoff = Backoff(0);
    // Sending holds one of the sidebars; a queued upload is followed in the
    // background, as the sidebar does while its user moves on.
    let mut permit = ctx.senders.clone().acquire_owned().await.ok();
    let upload_id = loop {
        if ctx.progress.stopped() {
            return result;
        }
        let reply = ctx
            .send(ctx.post("/v1/candidates", &op.key, &op.body), &mut result)
            .await;
        match classify(&reply, &mut result, &ctx.progress) {
            Step::Done(id) => {
                finish(ctx, &mut result, Ok(id));
                return result;
            }
            Step::Queued(Some(id)) => break id,
            Step::Queued(None) => backoff.wait(None, &ctx.progress).await,
            Step::Again(wait) => backoff.wait(wait, &ctx.progress).await,
            Step::Busy => {
                // The user moves on to the next person; this tab keeps asking.
                drop(permit.take());
                backoff.wait(Some(BUSY_WAIT), &ctx.progress).await;
            }
            Step::Failed(why) => {
                finish(ctx, &mut result, Err(why));
                return result;
            }
        }
    };
    drop(permit);
    result.acknowledged = true;
    result.queued = true;
    ctx.progress.acked();
    ctx.progress.queued.fetch_add(1, Ordering::Relaxed);
    follow(ctx, op, upload_id, result).await
}

/// Polls a queued upload like the sidebar; after the companion went away (a
/// restart) or a long silence, sends the upload again with its key.
async fn follow(ctx: &Ctx, op: &UploadOp, mut upload_id: String, mut result: OpResult) -> OpResult {
    const POLL: Duration = Duration::from_secs(2);
    const RESEND_AFTER: Duration = Duration::from_mins(1);
    let mut resend = false;
    let mut unchanged_since = Instant::now();
    let mut backoff = Backoff(0);
    loop {
        if ctx.progress.stopped() {
            return result;
        }
        if resend {
            let reply = ctx
                .send(ctx.post("/v1/candidates", &op.key, &op.body), &mut result)
                .await;
            match classify(&reply, &mut result, &ctx.progress) {
                Step::Done(id) => {
                    finish(ctx, &mut result, Ok(id));
                    return result;
                }
                Step::Queued(id) => {
                    if let Some(id) = id {
                        upload_id = id;
                    }
                    resend = false;
                    unchanged_since = Instant::now();
                }
                Step::Again(wait) => backoff.wait(wait, &ctx.progress).await,
                Step::Busy => backoff.wait(Some(BUSY_WAIT), &ctx.progress).await,
                Step::Failed(why) => {
                    finish(ctx, &mut result, Err(why));
                    return result;
                }
            }
            continue;
        }
        sleep_unless_stopped(POLL, &ctx.progress).await;
        let request = ctx.http.get(format!("{}/v1/uploads/{upload_id}", ctx.base));
        match ctx.send(request, &mut result).await {
            Reply::Answer {
                status: 200, body, ..
            } => match body.get("state").and_then(Value::as_str).unwrap_or("") {
                "created" => {
                    finish(ctx, &mut result, Ok(candidate_id(&body)));
                    return result;
                }
                "failed" => {
                    let why = body.get("last_error").and_then(Value::as_str).unwrap_or("");
                    finish(ctx, &mut result, Err(format!("upload failed: {why}")));
                    return result;
                }
                _ if unchanged_since.elapsed() > RESEND_AFTER => resend = true,
                _ => {}
            },
            // Gone away (restarted) or forgot it: send it again with its key.
            Reply::Unreachable | Reply::Answer { status: 404, .. } => resend = true,
            Reply::Answer { retry_after, .. } => backoff.wait(retry_after, &ctx.progress).await,
        }
    }
}

async fn merge(ctx: &Ctx, op: &MergeOp) -> OpResult {
    let mut result = OpResult::default();
    let mut backoff = Backoff(0);
    let mut permit = ctx.senders.clone().acquire_owned().await.ok();
    let path = format!("/v1/candidates/{}/merge", op.target);
    loop {
        if ctx.progress.stopped() {
            return result;
        }
        let reply = ctx
            .send(ctx.post(&path, &op.key, &op.body), &mut result)
            .await;
        match classify(&reply, &mut result, &ctx.progress) {
            Step::Done(id) => {
                finish(ctx, &mut result, Ok(id));
                return result;
            }
            // A merge not finished yet: ask again with the same key.
            Step::Queued(_) => {
                if !result.acknowledged {
                    result.acknowledged = true;
                    ctx.progress.acked();
                }
                backoff
                    .wait(Some(Duration::from_secs(2)), &ctx.progress)
                    .await;
            }
            Step::Again(wait) => backoff.wait(wait, &ctx.progress).await,
            Step::Busy => {
                drop(permit.take());
                backoff.wait(Some(BUSY_WAIT), &ctx.progress).await;
            }
            Step::Failed(why) => {
                finish(ctx, &mut result, Err(why));
                return result;
            }
        }
    }
}
