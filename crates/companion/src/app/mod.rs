//! The services: the product's rules (who may do what, what an upload or a
//! merge does, how a connection is kept), between the routes and the
//! database. No SQL here: every statement lives in `storage`.

pub mod applications;
pub mod audit;
pub mod auth;
pub mod connect_links;
pub mod connections;
pub mod dedupe;
pub mod delivery;
pub mod imports;
pub mod jobs;
pub mod lookup;
pub mod merge;
pub mod people;
pub mod sync;
pub mod tokens;
pub mod uploads;
