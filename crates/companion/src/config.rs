//! Configuration: flags, then environment, then an optional TOML file.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The TOML file's shape (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub master_key_file: Option<PathBuf>,
    pub sync_interval_secs: Option<u64>,
    pub refresh_interval_secs: Option<u64>,
    /// How often jobs and applications refresh (default 21600, six hours).
    pub job_sync_interval_secs: Option<u64>,
    pub ats_calls_per_minute: Option<usize>,
    pub token_rate_limit: Option<usize>,
    /// Unauthenticated attempts per minute per client address.
    pub unauthenticated_rate_limit: Option<usize>,
    /// Lets `base_url` reach loopback and private space (tests, the demo).
    pub allow_private_base_urls: Option<bool>,
    /// Only these extensions' origins get CORS answers.
    pub allowed_extension_ids: Option<Vec<String>>,
    /// Serve `/metrics` here instead of on the API address.
    pub metrics_listen: Option<SocketAddr>,
}

impl FileConfig {
    /// Reads a TOML file.
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("invalid {}: {e}", path.display()))
    }
}

/// The default database: an embedded SQLite file.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/sourcebar.db";
/// The default master key file (created on first run).
pub const DEFAULT_MASTER_KEY_FILE: &str = "./data/master.key";
