//! One rate budget per ATS connection, shared by everything that calls it.
//!
//! A sliding one-minute log keeps every fixed minute under the ATS's limit.
//! Interactive calls (a user waits) may use the whole budget; background sync
//! leaves a reserve, and waits while interactive calls are queued.

use crate::Priority;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The budget could not serve a call before its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the rate budget cannot serve this call in time")]
pub struct BudgetExhausted;

/// Decrements the interactive waiting count when dropped, so a cancelled
/// `acquire` never leaves background work yielding to nobody.
struct WaitingGuard<'a>(&'a AtomicUsize);

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Calls allowed per window, with a reserve kept for interactive calls.
#[derive(Debug)]
pub struct RateBudget {
    limit: usize,
    reserve: usize,
    window: Duration,
    calls: Mutex<VecDeque<Instant>>,
    interactive_waiting: AtomicUsize,
}

impl RateBudget {
    /// `calls` per `window`; a fifth of it is kept for interactive calls.
    pub fn new(calls: usize, window: Duration) -> Self {
        RateBudget {
            limit: calls.max(1),
            reserve: (calls / 5).max(1).min(calls.saturating_sub(1)),
            window,
            calls: Mutex::new(VecDeque::new()),
            interactive_waiting: AtomicUsize::new(0),
        }
    }

    /// Waits until a call may be made at `priority`, then counts it.
    pub async fn acquire(&self, priority: Priority) {
        let _waiting = self.wait_as(priority);
        loop {
            match self.try_take(priority == Priority::Interactive) {
                Ok(()) => return,
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
    ) -> Result<(), BudgetExhausted> {
        let _waiting = self.wait_as(priority);
        loop {
            match self.try_take(priority == Priority::Interactive) {
                Ok(()) => return Ok(()),
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
    pub fn interactive_wait(&self) -> Duration {
        let now = Instant::now();
        let mut calls = self.calls.lock().expect("rate lock");
        self.expire(&mut calls, now);
        if calls.len() < self.limit {
            return Duration::ZERO;
        }
        // The call that frees a slot for us is the one `limit` places back.
        let index = calls.len() - self.limit;
        calls.get(index).map_or(Duration::ZERO, |t| {
            (*t + self.window).saturating_duration_since(now)
        })
    }

    /// Counts this caller among the interactive ones waiting, until the
    /// guard is dropped, whether the wait ends or the future is cancelled.
    fn wait_as(&self, priority: Priority) -> Option<WaitingGuard<'_>> {
        (priority == Priority::Interactive).then(|| {
            self.interactive_waiting.fetch_add(1, Ordering::SeqCst);
            WaitingGuard(&self.interactive_waiting)
        })
    }

    /// Calls still available now to background work.
    pub fn available(&self) -> usize {
        let mut calls = self.calls.lock().expect("rate lock");
        self.expire(&mut calls, Instant::now());
        self.limit
            .saturating_sub(self.reserve)
            .saturating_sub(calls.len())
    }

    fn try_take(&self, interactive: bool) -> Result<(), Duration> {
        let now = Instant::now();
        let mut calls = self.calls.lock().expect("rate lock");
        self.expire(&mut calls, now);
        let cap = if interactive {
            self.limit
        } else {
            self.limit - self.reserve
        };
        let yield_to_users = !interactive && self.interactive_waiting.load(Ordering::SeqCst) > 0;
        if calls.len() < cap && !yield_to_users {
            calls.push_back(now);
            return Ok(());
        }
        let oldest = calls.front().copied().unwrap_or(now);
        let wait = (oldest + self.window).saturating_duration_since(now);
        Err(wait.clamp(Duration::from_millis(5), Duration::from_millis(250)))
    }

    fn expire(&self, calls: &mut VecDeque<Instant>, now: Instant) {
        while calls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            calls.pop_front();
        }
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
            budget.acquire(Priority::Background).await;
        }
        assert_eq!(budget.available(), 0);
        // Interactive calls still get through at once, from the reserve.
        let start = Instant::now();
        budget.acquire(Priority::Interactive).await;
        budget.acquire(Priority::Interactive).await;
        assert!(start.elapsed() < Duration::from_millis(100));
        // The next background call waits for the window to move on.
        let start = Instant::now();
        budget.acquire(Priority::Background).await;
        assert!(start.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn a_cancelled_interactive_wait_lets_background_work_proceed() {
        let budget = Arc::new(RateBudget::new(5, Duration::from_millis(300)));
        for _ in 0..5 {
            budget.acquire(Priority::Interactive).await;
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
            budget.acquire(Priority::Interactive).await;
        }
        assert!(budget.interactive_wait() > Duration::from_secs(50));
        let start = Instant::now();
        let served = budget
            .acquire_by(Priority::Interactive, start + Duration::from_millis(200))
            .await;
        assert_eq!(served, Err(BudgetExhausted));
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(190) && waited < Duration::from_secs(1));
        // The one that gave up is no longer counted as waiting.
        assert_eq!(budget.interactive_waiting.load(Ordering::SeqCst), 0);
    }
}
