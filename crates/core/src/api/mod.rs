//! The companion's HTTP contract (`../shared/API.md`), typed once: every
//! request and answer body the sidebar, the options page and the companion
//! exchange, and the error codes. The companion serialises these, the sidebar
//! deserialises the same types, so neither can drift from the other.
//!
//! OpenAPI: with the `openapi` feature (enabled by the companion only) each
//! type also derives `utoipa::ToSchema`. That keeps one definition per shape,
//! doc comments included, instead of a mirror copy in the companion that a
//! test must hold in step; the sidebar's wasm never builds `utoipa`.

pub mod applications;
pub mod audit;
pub mod connections;
pub mod error;
pub mod imports;
pub mod people;
pub mod sourcing;

pub use error::{ApiError, ErrorBody, ErrorCode, ErrorReason};
