//! The database: the pool and its migrations, and every SQL statement the
//! services run, as small functions named after what they read or write.

pub mod applications;
pub mod audit;
pub mod connect_links;
pub mod connections;
pub mod db;
pub mod idempotency;
pub mod imports;
pub mod jobs;
pub mod mirror;
pub mod people;
pub mod rate;
pub mod sync_state;
pub mod tokens;
pub mod uploads;
