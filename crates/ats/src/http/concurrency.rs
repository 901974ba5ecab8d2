//! How many calls an ATS takes from one key at once, where it caps that
//! besides its rate (SmartRecruiters: 8 in all, and a single
//! `GET /candidates` at a time). Each call waits for a slot before it is
//! sent and frees it when its answer is in.
//!
//! The slots are kept per account (API root and key) for the whole process,
//! like the ATS counts them: every adapter built for the same connection
//! shares them. Replicas of the companion each keep their own; a call the
//! ATS refuses for concurrency answers 429 and is sent again.

use crate::ApiKey;
use reqwest::Method;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A number that names one account (API root and key) in this process,
/// the key only as a hash: for state an ATS keeps per key.
pub fn account_tag(base: &str, key: &ApiKey) -> u64 {
    let mut hasher = DefaultHasher::new();
    base.trim_end_matches('/').hash(&mut hasher);
    key.expose().hash(&mut hasher);
    hasher.finish()
}

/// One endpoint's own cap: calls with this method to exactly this path
/// (under the API root, no query).
#[derive(Debug, Clone, Copy)]
pub struct EndpointCap {
    pub method: &'static str,
    pub path: &'static str,
    pub at_once: usize,
}

/// What an ATS caps: calls in flight in all, and per endpoint.
#[derive(Debug, Clone, Copy)]
pub struct ConcurrencyLimit {
    pub in_all: usize,
    pub endpoints: &'static [EndpointCap],
}

/// One account's slots.
#[derive(Debug)]
pub struct Slots {
    all: Arc<Semaphore>,
    endpoints: Vec<(EndpointCap, Arc<Semaphore>)>,
}

/// The slots a call holds while it is in flight.
#[derive(Debug)]
pub struct Held {
    _all: OwnedSemaphorePermit,
    _endpoint: Option<OwnedSemaphorePermit>,
}

impl Slots {
    /// The slots of the account `tag`, made at `limit` the first time.
    pub fn for_account(tag: u64, limit: ConcurrencyLimit) -> Arc<Slots> {
        static ACCOUNTS: OnceLock<Mutex<HashMap<u64, Arc<Slots>>>> = OnceLock::new();
        let mut accounts = ACCOUNTS
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        accounts
            .entry(tag)
            .or_insert_with(|| {
                Arc::new(Slots {
                    all: Arc::new(Semaphore::new(limit.in_all.max(1))),
                    endpoints: limit
                        .endpoints
                        .iter()
                        .map(|cap| (*cap, Arc::new(Semaphore::new(cap.at_once.max(1)))))
                        .collect(),
                })
            })
            .clone()
    }

    /// Waits for a slot for `method path` (the endpoint's first, then one
    /// of all, so a call waiting on its endpoint holds nothing else).
    pub async fn take(&self, method: &Method, path: &str) -> Held {
        let path = path
            .trim_start_matches('/')
            .split('?')
            .next()
            .unwrap_or_default();
        let endpoint = match self
            .endpoints
            .iter()
            .find(|(cap, _)| cap.method == method.as_str() && cap.path == path)
        {
            Some((_, slots)) => slots.clone().acquire_owned().await.ok(),
            None => None,
        };
        Held {
            _all: self
                .all
                .clone()
                .acquire_owned()
                .await
                .expect("the semaphore is never closed"),
            _endpoint: endpoint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const LIMIT: ConcurrencyLimit = ConcurrencyLimit {
        in_all: 3,
        endpoints: &[EndpointCap {
            method: "GET",
            path: "candidates",
            at_once: 1,
        }],
    };

    #[tokio::test]
    async fn one_endpoint_call_at_a_time_and_others_up_to_the_total() {
        let slots = Slots::for_account(1, LIMIT);
        let first = slots.take(&Method::GET, "candidates?q=x").await;
        // A second list waits for the first; another endpoint does not.
        let second = tokio::time::timeout(
            Duration::from_millis(50),
            slots.take(&Method::GET, "/candidates"),
        )
        .await;
        assert!(second.is_err(), "only one GET /candidates at once");
        let detail = slots.take(&Method::GET, "candidates/abc").await;
        let post = slots.take(&Method::POST, "candidates").await;
        let fourth =
            tokio::time::timeout(Duration::from_millis(50), slots.take(&Method::GET, "jobs")).await;
        assert!(fourth.is_err(), "three in all");
        drop((first, detail, post));
        let _again = slots.take(&Method::GET, "candidates").await;
    }

    #[test]
    fn the_same_account_shares_its_slots_and_another_has_its_own() {
        let key = ApiKey::new("k");
        let a = account_tag("https://x.test/", &key);
        assert_eq!(a, account_tag("https://x.test", &key));
        assert_ne!(a, account_tag("https://x.test", &ApiKey::new("other")));
        assert!(Arc::ptr_eq(
            &Slots::for_account(a, LIMIT),
            &Slots::for_account(a, LIMIT)
        ));
    }
}
