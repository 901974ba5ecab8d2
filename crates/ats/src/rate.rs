//! One rate budget per ATS connection, shared by everything that calls it.
//!
//! A sliding log of the calls made in the last window keeps every window,
//! sliding or fixed, under the ATS's limit. A call holds its place in the
//! log from the moment it is allowed until one window after its answer
//! came back (the [`Permit`] is dropped): the ATS counts a call when it
//! arrives, somewhere between the two, so however late a request reaches
//! the ATS, no window of the ATS's sees more than the limit. Interactive
//! calls (a user waits) may use the whole budget; background sync leaves a
//! reserve, and waits while interactive calls are queued.
//!
//! The log lives in this process by default. When several processes call
//! one ATS connection (replicas behind a load balancer), the budget is given
//! a [`SharedLedger`] ([`RateBudget::sharing`]) that keeps the log where
//! every process sees it (the companion's database), so the processes
//! together stay under the limit. The reserve, the deadlines of
//! [`RateBudget::acquire_by`] and the yielding to users hold across them.

use crate::Priority;
use async_trait::async_trait;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The budget could not serve a call before its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the rate budget cannot serve this call in time")]
pub struct BudgetExhausted;

/// Longest one attempt on a shared ledger may take before it counts as
/// "not now" (the caller tries again, within its deadline).
const LEDGER_ATTEMPT_CAP: Duration = Duration::from_secs(2);

/// A call log kept where several processes see it.
///
/// Both methods are atomic with respect to every other caller of the same
/// ledger, in whatever process.
#[async_trait]
pub trait SharedLedger: Send + Sync {
    /// Counts one call now, when fewer than `cap` calls were counted in the
    /// last `window` and (for a background call) no user is waiting in any
    /// process, and returns its ticket; `Ok(Err(wait))` says how long until
    /// it may succeed. A refused interactive call marks users as waiting for
    /// a moment, so that background work everywhere yields to it.
    async fn try_take(
        &self,
        cap: usize,
        window: Duration,
        interactive: bool,
    ) -> Result<Result<i64, Duration>, String>;

    /// The call of `ticket` got its answer: it is counted as made now.
    async fn finish(&self, ticket: i64) -> Result<(), String>;

    /// The ages of the calls counted in the last `window`, oldest first;
    /// a call still in flight has age zero (it holds its place for at
    /// least a whole window more).
    async fn recent(&self, window: Duration) -> Result<Vec<Duration>, String>;
}

/// One allowed call. Drop it when the ATS's answer is in (or the call was
/// given up): the call then keeps its place in the budget for one more
/// window.
#[must_use = "the call is counted as made when the permit is dropped"]
pub struct Permit<'a> {
    budget: &'a RateBudget,
    ticket: i64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        match &self.budget.shared {
            None => {
                let mut calls = self.budget.calls.lock().expect("rate lock");
                if let Some(call) = calls.iter_mut().find(|c| c.ticket == self.ticket) {
                    call.at = Instant::now();
                    call.done = true;
                }
            }
            Some(ledger) => {
                let (ledger, ticket) = (ledger.clone(), self.ticket);
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        if let Err(e) = ledger.finish(ticket).await {
                            tracing::warn!(error = e.as_str(), "recording a call's end failed");
                        }
                    });
                }
            }
        }
    }
}

/// One call in this process's log.
#[derive(Debug)]
struct Call {
    ticket: i64,
    /// When it was allowed, or once `done`, when its answer came.
    at: Instant,
    done: bool,
}

/// Decrements the interactive waiting count when dropped, so a cancelled
/// `acquire` never leaves background work yielding to nobody.
struct WaitingGuard<'a>(&'a AtomicUsize);

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Calls allowed per window, with a reserve kept for interactive calls.
pub struct RateBudget {
    limit: usize,
    reserve: usize,
    window: Duration,
    /// This process's log.
    calls: Mutex<VecDeque<Call>>,
    tickets: AtomicI64,
    shared: Option<Arc<dyn SharedLedger>>,
    interactive_waiting: AtomicUsize,
}

impl std::fmt::Debug for RateBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateBudget")
            .field("limit", &self.limit)
            .field("reserve", &self.reserve)
            .field("window", &self.window)
            .field("shared", &self.shared.is_some())
            .finish_non_exhaustive()
    }
}

impl RateBudget {
    /// `calls` per `window`; a fifth of it is kept for interactive calls.
    pub fn new(calls: usize, window: Duration) -> Self {
        RateBudget {
            limit: calls.max(1),
            reserve: (calls / 5).max(1).min(calls.saturating_sub(1)),
            window,
            calls: Mutex::new(VecDeque::new()),
            tickets: AtomicI64::new(0),
            shared: None,
            interactive_waiting: AtomicUsize::new(0),
        }
    }

    /// The same budget, counted in `ledger` instead of this process, so
    /// every process sharing the ledger shares the budget.
    #[must_use]
    pub fn sharing(mut self, ledger: Arc<dyn SharedLedger>) -> Self {
        self.shared = Some(ledger);
        self
    }

    /// Calls allowed per window.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Waits until a call may be made at `priority`, then counts it.
    pub async fn acquire(&self, priority: Priority) -> Permit<'_> {
        let _waiting = self.wait_as(priority);
        loop {
            match self.try_take(priority == Priority::Interactive).await {
                Ok(ticket) => {
                    return Permit {
                        budget: self,
                        ticket,
                    }
                }
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Like [`RateBudget::acquire`], but gives up at `deadline`: a caller
    /// that cannot be served in time is told so instead of waiting.
    pub async fn acquire_by(
        &self,
        priority: Priority,
        deadline: Instant,
    ) -> Result<Permit<'_>, BudgetExhausted> {
        let _waiting = self.wait_as(priority);
        loop {
            match self.try_take(priority == Priority::Interactive).await {
                Ok(ticket) => {
                    return Ok(Permit {
                        budget: self,
                        ticket,
                    })
                }
                Err(wait) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(BudgetExhausted);
                    }
                    tokio::time::sleep(wait.min(deadline - now)).await;
                }
            }
        }
    }

    /// How long an interactive call would wait for the budget now.
    pub async fn interactive_wait(&self) -> Duration {
        let Some(ages) = self.recent().await else {
            // The shared log cannot be read: as if the budget were spent.
            return self.window;
        };
        if ages.len() < self.limit {
            return Duration::ZERO;
        }
        // The call that frees a slot for us is the one `limit` places back.
        ages.get(ages.len() - self.limit)
            .map_or(Duration::ZERO, |age| self.window.saturating_sub(*age))
    }

    /// Calls still available now to background work.
    pub async fn available(&self) -> usize {
        let used = self.recent().await.map_or(self.limit, |ages| ages.len());
        self.limit.saturating_sub(self.reserve).saturating_sub(used)
    }

    /// Counts this caller among the interactive ones waiting, until the
    /// guard is dropped, whether the wait ends or the future is cancelled.
    fn wait_as(&self, priority: Priority) -> Option<WaitingGuard<'_>> {
        (priority == Priority::Interactive).then(|| {
            self.interactive_waiting.fetch_add(1, Ordering::SeqCst);
            WaitingGuard(&self.interactive_waiting)
        })
    }

    /// The ages of the calls in the window, oldest first; `None` when the
    /// shared log cannot be read.
    async fn recent(&self) -> Option<Vec<Duration>> {
        match &self.shared {
            None => {
                let now = Instant::now();
                let mut calls = self.calls.lock().expect("rate lock");
                self.expire(&mut calls, now);
                let mut ages: Vec<Duration> = calls
                    .iter()
                    .map(|c| {
                        if c.done {
                            now.duration_since(c.at)
                        } else {
                            Duration::ZERO
                        }
                    })
                    .collect();
                ages.sort_unstable_by(|a, b| b.cmp(a));
                Some(ages)
            }
            Some(ledger) => {
                match tokio::time::timeout(LEDGER_ATTEMPT_CAP, ledger.recent(self.window)).await {
                    Ok(Ok(ages)) => Some(ages),
                    Ok(Err(e)) => {
                        tracing::warn!(error = e.as_str(), "reading the shared rate budget failed");
                        None
                    }
                    Err(_) => None,
                }
            }
        }
    }

    /// The call's ticket, or how long to wait before trying again.
    async fn try_take(&self, interactive: bool) -> Result<i64, Duration> {
        let cap = if interactive {
            self.limit
        } else {
            self.limit - self.reserve
        };
        if !interactive && self.interactive_waiting.load(Ordering::SeqCst) > 0 {
            // A user of this process is waiting: let them go first.
            return Err(Duration::from_millis(50));
        }
        let taken = match &self.shared {
            None => self.try_take_here(cap),
            Some(ledger) => {
                match tokio::time::timeout(
                    LEDGER_ATTEMPT_CAP,
                    ledger.try_take(cap, self.window, interactive),
                )
                .await
                {
                    Ok(Ok(taken)) => taken,
                    Ok(Err(e)) => {
                        // Never call past a budget we cannot read: wait.
                        tracing::warn!(error = e.as_str(), "the shared rate budget failed");
                        Err(Duration::from_millis(250))
                    }
                    Err(_) => Err(Duration::from_millis(250)),
                }
            }
        };
        taken.map_err(|wait| wait.clamp(Duration::from_millis(5), Duration::from_millis(250)))
    }

    /// Counts a call in this process's log when fewer than `cap` are in the
    /// window; otherwise how long until the oldest leaves it.
    fn try_take_here(&self, cap: usize) -> Result<i64, Duration> {
        let now = Instant::now();
        let mut calls = self.calls.lock().expect("rate lock");
        self.expire(&mut calls, now);
        if calls.len() < cap {
            let ticket = self.tickets.fetch_add(1, Ordering::SeqCst);
            calls.push_back(Call {
                ticket,
                at: now,
                done: false,
            });
            return Ok(ticket);
        }
        // In-flight calls never leave by themselves: wait for an ended one.
        let oldest = calls
            .iter()
            .filter(|c| c.done)
            .map(|c| c.at)
            .min()
            .unwrap_or(now);
        Err((oldest + self.window).saturating_duration_since(now))
    }

    /// Forgets the calls that ended a window ago (a call in flight stays).
    fn expire(&self, calls: &mut VecDeque<Call>, now: Instant) {
        calls.retain(|c| !c.done || now.duration_since(c.at) < self.window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn background_leaves_a_reserve_and_interactive_goes_first() {
        let budget = Arc::new(RateBudget::new(10, Duration::from_millis(400)));
        for _ in 0..8 {
            drop(budget.acquire(Priority::Background).await);
        }
        assert_eq!(budget.available().await, 0);
        // Interactive calls still get through at once, from the reserve.
        let start = Instant::now();
        drop(budget.acquire(Priority::Interactive).await);
        drop(budget.acquire(Priority::Interactive).await);
        assert!(start.elapsed() < Duration::from_millis(100));
        // The next background call waits for the window to move on.
        let start = Instant::now();
        drop(budget.acquire(Priority::Background).await);
        assert!(start.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn a_cancelled_interactive_wait_lets_background_work_proceed() {
        let budget = Arc::new(RateBudget::new(5, Duration::from_millis(300)));
        for _ in 0..5 {
            drop(budget.acquire(Priority::Interactive).await);
        }
        // A user gives up while waiting (the request was dropped).
        let waiting = tokio::time::timeout(
            Duration::from_millis(50),
            budget.acquire(Priority::Interactive),
        )
        .await;
        assert!(waiting.is_err(), "the budget was exhausted");
        // Once the window moves on, sync is served again: nobody is waiting.
        let background =
            tokio::time::timeout(Duration::from_secs(2), budget.acquire(Priority::Background))
                .await;
        assert!(background.is_ok(), "background work stalled for good");
    }

    #[tokio::test]
    async fn acquire_by_gives_up_at_its_deadline() {
        let budget = RateBudget::new(3, Duration::from_mins(1));
        for _ in 0..3 {
            drop(budget.acquire(Priority::Interactive).await);
        }
        assert!(budget.interactive_wait().await > Duration::from_secs(50));
        let start = Instant::now();
        let served = budget
            .acquire_by(Priority::Interactive, start + Duration::from_millis(200))
            .await;
        assert!(matches!(served, Err(BudgetExhausted)));
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(190) && waited < Duration::from_secs(1));
        // The one that gave up is no longer counted as waiting.
        assert_eq!(budget.interactive_waiting.load(Ordering::SeqCst), 0);
    }

    /// What a shared ledger holds.
    #[derive(Default)]
    struct Log {
        calls: VecDeque<(i64, Instant)>,
        users_until: Option<Instant>,
        tickets: i64,
    }

    /// A ledger two budgets share, as the database is shared by replicas.
    #[derive(Default)]
    struct MemoryLedger {
        log: Mutex<Log>,
    }

    #[async_trait]
    impl SharedLedger for MemoryLedger {
        async fn try_take(
            &self,
            cap: usize,
            window: Duration,
            interactive: bool,
        ) -> Result<Result<i64, Duration>, String> {
            let now = Instant::now();
            let mut log = self.log.lock().unwrap();
            log.calls.retain(|(_, t)| now - *t < window);
            if !interactive && log.users_until.is_some_and(|t| t > now) {
                return Ok(Err(Duration::from_millis(50)));
            }
            if log.calls.len() < cap {
                log.tickets += 1;
                let ticket = log.tickets;
                log.calls.push_back((ticket, now));
                return Ok(Ok(ticket));
            }
            if interactive {
                log.users_until = Some(now + Duration::from_millis(500));
            }
            let oldest = log.calls.iter().map(|(_, t)| *t).min().unwrap();
            Ok(Err((oldest + window).saturating_duration_since(now)))
        }

        async fn finish(&self, ticket: i64) -> Result<(), String> {
            let mut log = self.log.lock().unwrap();
            if let Some(call) = log.calls.iter_mut().find(|(t, _)| *t == ticket) {
                call.1 = Instant::now();
            }
            Ok(())
        }

        async fn recent(&self, window: Duration) -> Result<Vec<Duration>, String> {
            let now = Instant::now();
            let log = self.log.lock().unwrap();
            Ok(log
                .calls
                .iter()
                .map(|(_, t)| now - *t)
                .filter(|age| *age < window)
                .collect())
        }
    }

    #[tokio::test]
    async fn two_budgets_on_one_ledger_share_the_limit_and_the_reserve() {
        let ledger = Arc::new(MemoryLedger::default());
        let window = Duration::from_millis(500);
        let one = RateBudget::new(10, window).sharing(ledger.clone());
        let two = RateBudget::new(10, window).sharing(ledger.clone());
        // Background work in both leaves the reserve: 8 calls in all.
        for _ in 0..4 {
            drop(one.acquire(Priority::Background).await);
            drop(two.acquire(Priority::Background).await);
        }
        assert_eq!(one.available().await, 0);
        assert_eq!(two.available().await, 0);
        // The reserve serves users of either at once; then the limit holds.
        let start = Instant::now();
        drop(one.acquire(Priority::Interactive).await);
        drop(two.acquire(Priority::Interactive).await);
        assert!(start.elapsed() < Duration::from_millis(100));
        assert!(two.interactive_wait().await > Duration::from_millis(300));
        let late = one
            .acquire_by(
                Priority::Interactive,
                Instant::now() + Duration::from_millis(100),
            )
            .await;
        assert!(matches!(late, Err(BudgetExhausted)));
        // A user waiting in one makes background work in the other yield.
        let user = one.acquire(Priority::Interactive);
        let background = two.acquire(Priority::Background);
        tokio::pin!(user, background);
        let first = tokio::select! {
            _ = &mut user => "user",
            _ = &mut background => "background",
        };
        assert_eq!(first, "user");
        drop(background.await);
        assert!(ledger.log.lock().unwrap().calls.len() <= 10);
    }

    #[tokio::test]
    async fn many_callers_on_two_budgets_never_pass_the_limit_in_any_window() {
        let ledger = Arc::new(MemoryLedger::default());
        let window = Duration::from_millis(200);
        let budgets = [
            Arc::new(RateBudget::new(5, window).sharing(ledger.clone())),
            Arc::new(RateBudget::new(5, window).sharing(ledger.clone())),
        ];
        let times = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..8 {
            let budget = budgets[i % 2].clone();
            let times = times.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..3 {
                    let priority = if i % 3 == 0 {
                        Priority::Interactive
                    } else {
                        Priority::Background
                    };
                    let permit = budget.acquire(priority).await;
                    times.lock().unwrap().push(Instant::now());
                    drop(permit);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let mut times = times.lock().unwrap().clone();
        times.sort();
        assert_eq!(times.len(), 24);
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|u| **u - *t < window).count();
            assert!(in_window <= 5, "{in_window} calls within one window");
        }
    }

    #[tokio::test]
    async fn a_call_holds_its_place_until_a_window_after_its_answer() {
        let budget = RateBudget::new(2, Duration::from_millis(200));
        let slow = budget.acquire(Priority::Interactive).await;
        drop(budget.acquire(Priority::Interactive).await);
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The quick call's window is over; the slow one is still in flight.
        let start = Instant::now();
        let third = budget.acquire(Priority::Interactive).await;
        assert!(start.elapsed() < Duration::from_millis(100));
        let late = budget
            .acquire_by(
                Priority::Interactive,
                Instant::now() + Duration::from_millis(300),
            )
            .await;
        assert!(
            late.is_err(),
            "a call still awaiting its answer gave its place up"
        );
        drop(slow);
        drop(third);
        let start = Instant::now();
        drop(budget.acquire(Priority::Interactive).await);
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(180), "{waited:?}");
    }
}
