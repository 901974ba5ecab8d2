//! The `syncToken` of each Ashby account's last finished listing, kept in
//! this process.
//!
//! Ashby follows changes by a token its last page gives, not by a date, and
//! the companion keeps a date between listings. The token is kept here,
//! per account (API root and key, the key only as a hash), for as long as
//! the process lives: a listing of changes in another process or after a
//! restart finds none and lists everything again, which costs calls but
//! misses nothing.

use crate::ApiKey;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn tokens() -> &'static Mutex<HashMap<u64, String>> {
    static TOKENS: OnceLock<Mutex<HashMap<u64, String>>> = OnceLock::new();
    TOKENS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// One account's place in the process-wide table.
#[derive(Debug, Clone, Copy)]
pub struct SyncTokens {
    account: u64,
}

impl SyncTokens {
    /// The account reached at `base` with `key`.
    pub fn for_account(base: &str, key: &ApiKey) -> Self {
        SyncTokens {
            account: crate::http::account_tag(base, key),
        }
    }

    /// The token of the last finished listing, if this process has one.
    pub fn get(self) -> Option<String> {
        tokens().lock().ok()?.get(&self.account).cloned()
    }

    /// Keeps the token a finished listing gave.
    pub fn set(self, token: String) {
        if let Ok(mut map) = tokens().lock() {
            map.insert(self.account, token);
        }
    }

    /// Drops a token Ashby no longer takes.
    pub fn forget(self) {
        if let Ok(mut map) = tokens().lock() {
            map.remove(&self.account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_keeps_its_own_token() {
        let a = SyncTokens::for_account("http://a.test", &ApiKey::new("k1"));
        let b = SyncTokens::for_account("http://a.test", &ApiKey::new("k2"));
        a.set("t-a".into());
        assert_eq!(a.get().as_deref(), Some("t-a"));
        assert_eq!(b.get(), None);
        a.forget();
        assert_eq!(a.get(), None);
    }
}
