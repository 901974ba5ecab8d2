//! Bearer tokens, invite codes and connect-link codes: 256 random bits, stored only as SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new bearer token (`sb_` + 43 base64url characters).
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("sb_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new invite code (`inv_` + 22 base64url characters, 128 bits).
pub fn new_invite_code() -> String {
    let bytes: [u8; 16] = rand::random();
    format!("inv_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new connect-link code (`cl_` + 22 base64url characters, 128 bits).
pub fn new_connect_code() -> String {
    let bytes: [u8; 16] = rand::random();
    format!("cl_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a token or code.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes without leaking where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 3 + 43);
        assert_eq!(hash(&a).len(), 64);
        assert!(same_hash(&hash(&a), &hash(&a)));
        assert!(!same_hash(&hash(&a), &hash(&b)));
        assert!(!hash(&a).contains(&a[3..]));
    }
}
