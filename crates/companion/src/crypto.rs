//! ATS keys at rest: AES-256-GCM with a fresh random nonce per encryption,
//! and associated data binding each ciphertext to its team and connection,
//! so a ciphertext copied to another row does not decrypt.
//!
//! Ciphertexts describe themselves (`v1:<key_id>:<nonce>:<ciphertext+tag>`),
//! so the master key can be rotated without guessing which key sealed what.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use sha2::{Digest, Sha256};
use sourcebar_ats::ApiKey;
use std::fmt;
use std::path::{Path, PathBuf};

/// The server's master key (32 bytes). Never printed.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

/// Why a key could not be loaded, sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the master key must be 32 bytes in base64")]
    BadMasterKey,
    #[error("could not read or write the master key file {0}: {1}")]
    KeyFile(PathBuf, std::io::Error),
    #[error("the stored key was sealed with another master key ({0})")]
    WrongMasterKey(String),
    #[error("the stored key is damaged or belongs to another row")]
    Tampered,
}

/// Associated data for one connection's key.
pub fn aad(team_id: &str, connection_id: &str) -> String {
    format!("sourcebar:v1:team:{team_id}:conn:{connection_id}")
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        MasterKey {
            bytes: rand::random(),
        }
    }

    /// From base64 text (a key file's content or the environment variable).
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let raw = B64
            .decode(text.trim())
            .map_err(|_| CryptoError::BadMasterKey)?;
        let bytes: [u8; 32] = raw.try_into().map_err(|_| CryptoError::BadMasterKey)?;
        Ok(MasterKey { bytes })
    }

    /// As base64, for a key file.
    pub fn to_base64(&self) -> String {
        B64.encode(self.bytes)
    }

    /// A short public id of this key (not secret: a hash prefix).
    pub fn id(&self) -> String {
        hex::encode(&Sha256::digest(self.bytes)[..4])
    }

    /// Loads the key: `SOURCEBAR_MASTER_KEY`, else the file (created with
    /// mode 0600 on first run when absent).
    pub fn load(env_key: Option<&str>, file: &Path) -> Result<Self, CryptoError> {
        if let Some(text) = env_key.filter(|t| !t.trim().is_empty()) {
            return MasterKey::from_base64(text);
        }
        match std::fs::read_to_string(file) {
            Ok(text) => MasterKey::from_base64(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = MasterKey::generate();
                key.write_file(file)?;
                Ok(key)
            }
            Err(e) => Err(CryptoError::KeyFile(file.to_path_buf(), e)),
        }
    }

    /// Writes the key file with mode 0600, atomically (temp file, rename).
    pub fn write_file(&self, file: &Path) -> Result<(), CryptoError> {
        let err = |e| CryptoError::KeyFile(file.to_path_buf(), e);
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        let tmp = file.with_extension("tmp");
        {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&tmp).map_err(err)?;
            f.write_all(self.to_base64().as_bytes()).map_err(err)?;
            f.sync_all().map_err(err)?;
        }
        std::fs::rename(&tmp, file).map_err(err)
    }

    /// Seals an API key for one row.
    pub fn seal(&self, key: &ApiKey, aad: &str) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.bytes).expect("32-byte key");
        let nonce_bytes: [u8; 12] = rand::random();
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: key.expose().as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption cannot fail for short inputs");
        format!(
            "v1:{}:{}:{}",
            self.id(),
            B64.encode(nonce_bytes),
            B64.encode(sealed)
        )
    }

    /// Opens a sealed key; fails if it was sealed for another row or altered.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<ApiKey, CryptoError> {
        let mut parts = sealed.split(':');
        let (Some("v1"), Some(kid), Some(nonce), Some(body), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(CryptoError::Tampered);
        };
        if kid != self.id() {
            return Err(CryptoError::WrongMasterKey(kid.to_string()));
        }
        let nonce = B64.decode(nonce).map_err(|_| CryptoError::Tampered)?;
        let body = B64.decode(body).map_err(|_| CryptoError::Tampered)?;
        if nonce.len() != 12 {
            return Err(CryptoError::Tampered);
        }
        let cipher = Aes256Gcm::new_from_slice(&self.bytes).expect("32-byte key");
        let plain = cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(plain)
            .map(ApiKey::new)
            .map_err(|_| CryptoError::Tampered)
    }
}

/// Re-seals every stored ATS key with `new`, in one transaction: either all
/// keys move to the new master key or none does. Returns how many moved.
pub async fn reseal_all(
    db: &crate::storage::db::Db,
    old: &MasterKey,
    new: &MasterKey,
) -> Result<usize, String> {
    use crate::storage::connections::{replace_sealed_key, sealed_keys};
    let err = |e: sqlx::Error| e.to_string();
    let mut tx = db.begin().await.map_err(err)?;
    let rows = sealed_keys(&mut tx).await.map_err(err)?;
    for row in &rows {
        let (id, team_id) = (&row.connection_id, &row.team_id);
        let key = old
            .open(&row.key_ciphertext, &aad(team_id, id))
            .map_err(|e| format!("connection {id}: {e}"))?;
        replace_sealed_key(&mut tx, id, &new.seal(&key, &aad(team_id, id)))
            .await
            .map_err(err)?;
    }
    tx.commit().await.map_err(err)?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_keys_open_only_for_their_row_and_master_key() {
        let master = MasterKey::generate();
        let key = ApiKey::new("jazz-secret-123");
        let sealed = master.seal(&key, &aad("team1", "conn1"));
        assert!(!sealed.contains("jazz-secret-123"));
        assert_eq!(master.open(&sealed, &aad("team1", "conn1")).unwrap(), key);
        // Copied to another row: refused.
        assert!(matches!(
            master.open(&sealed, &aad("team1", "conn2")),
            Err(CryptoError::Tampered)
        ));
        assert!(matches!(
            master.open(&sealed, &aad("team2", "conn1")),
            Err(CryptoError::Tampered)
        ));
        // Two seals of one key differ (fresh nonce).
        assert_ne!(sealed, master.seal(&key, &aad("team1", "conn1")));
        // Any flipped byte is detected.
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(master.open(&tampered, &aad("team1", "conn1")).is_err());
        // Another master key is named, not silently garbled.
        assert!(matches!(
            MasterKey::generate().open(&sealed, &aad("team1", "conn1")),
            Err(CryptoError::WrongMasterKey(_))
        ));
    }

    #[test]
    fn the_key_file_is_created_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("sb-key-{}", crate::storage::db::new_id()));
        let file = dir.join("master.key");
        let first = MasterKey::load(None, &file).unwrap();
        let again = MasterKey::load(None, &file).unwrap();
        assert_eq!(first.id(), again.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(format!("{first:?}").starts_with("MasterKey("));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
