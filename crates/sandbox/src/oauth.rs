//! Bearer tokens for ATSs that trade their key for one (OAuth2 client
//! credentials, as Greenhouse's Harvest v3 does): who holds each token,
//! which scopes it carries and when it stops working. Provider-free: a
//! dialect mints tokens here and reads them back in `Dialect::caller_key`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The secret the token was minted with: rotating the key revokes it.
    pub secret: String,
    pub client_id: String,
    /// The user the token acts as (OAuth's `sub`).
    pub subject: String,
    pub scopes: Vec<&'static str>,
}

struct Issued {
    grant: Grant,
    expires: Instant,
}

/// Every token minted by this sandbox.
pub struct Tokens {
    lifetime: Duration,
    issued: Mutex<HashMap<String, Issued>>,
}

impl Tokens {
    /// Tokens that live `lifetime` each.
    pub fn new(lifetime: Duration) -> Self {
        Tokens {
            lifetime,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// How long a new token lives.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Mints a token for `grant`.
    pub fn issue(&self, grant: Grant) -> String {
        let token = format!("sbx.{:032x}", rand::random::<u128>());
        let mut issued = self.issued.lock().expect("tokens lock");
        let now = Instant::now();
        // Expired tokens are forgotten as new ones are minted.
        issued.retain(|_, t| t.expires > now);
        issued.insert(
            token.clone(),
            Issued {
                grant,
                expires: now + self.lifetime,
            },
        );
        token
    }

    /// What a token that has not expired stands for.
    pub fn grant(&self, token: &str) -> Option<Grant> {
        let issued = self.issued.lock().expect("tokens lock");
        issued
            .get(token)
            .filter(|t| t.expires > Instant::now())
            .map(|t| t.grant.clone())
    }

    /// Revokes every token (an admin revoking access, or a token store lost).
    pub fn revoke_all(&self) {
        self.issued.lock().expect("tokens lock").clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            secret: "s".into(),
            client_id: "c".into(),
            subject: "1".into(),
            scopes: vec!["a"],
        }
    }

    #[test]
    fn a_token_works_until_it_expires_or_is_revoked() {
        let tokens = Tokens::new(Duration::from_millis(50));
        let token = tokens.issue(grant());
        assert_eq!(tokens.grant(&token), Some(grant()));
        assert_eq!(tokens.grant("sbx.other"), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(tokens.grant(&token), None);
        let token = tokens.issue(grant());
        tokens.revoke_all();
        assert_eq!(tokens.grant(&token), None);
    }
}
