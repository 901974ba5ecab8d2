//! Bulk import, the pure part: which column of a file holds what
//! ([`columns`]), one row of cells turned into a [`crate::Profile`] with the
//! sidebar's normalisation ([`rows`]), and pasted LinkedIn URLs ([`urls`]).
//!
//! Reading the files themselves (CSV, Excel, JSON, encodings) needs crates
//! the sidebar's wasm should not carry; that lives in `sourcebar-import`.
//! What is here is shared, so the Import screen's preview and the
//! companion's check read a row the same way.

pub mod columns;
pub mod rows;
pub mod urls;

pub use columns::{identifies_rows, recognise, recognise_all, Field};
pub use rows::{profile_from_cells, same_person_as_earlier, RowError, RowProblem};
pub use urls::{pasted_urls, PastedUrl};
