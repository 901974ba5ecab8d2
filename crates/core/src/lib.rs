//! Sourcebar's pure core: the types every part shares (the companion's HTTP
//! contract in `../shared/API.md`), plus normalisation and matching.
//!
//! No I/O lives here, so the same code runs in the companion (natively) and in
//! the sidebar (wasm32), and is tested with plain `cargo test`.

pub mod api;
pub mod candidate;
pub mod companion_url;
pub mod connection_settings;
pub mod email;
pub mod headline;
pub mod import;
pub mod index;
pub mod matching;
pub mod names;
pub mod nicknames;
pub mod profile;
pub mod profile_url;
pub mod providers;
pub mod text;

pub use api::{ApiError, ErrorBody, ErrorCode, ErrorReason};
pub use candidate::Candidate;
pub use profile::{Profile, ProfileError};
