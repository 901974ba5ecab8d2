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

/// The values once each, sorted.
pub(crate) fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = values.collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// `$from, $from+1, …`: `n` numbered placeholders for an `IN (…)` list.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
