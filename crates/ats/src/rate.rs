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

    /// JazzHR's budget: 75 calls a minute, under its documented 80.
    pub fn jazzhr() -> Self {
        RateBudget::new(75, Duration::from_secs(60))
    }

    /// Waits until a call may be made at `priority`, then counts it.
    pub async fn acquire(&self, priority: Priority) {
        let interactive = priority == Priority::Interactive;
        if interactive {
            self.interactive_waiting.fetch_add(1, Ordering::SeqCst);
        }
        loop {
            match self.try_take(interactive) {
                Ok(()) => break,
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
        if interactive {
            self.interactive_waiting.fetch_sub(1, Ordering::SeqCst);
        }
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
}
