//! Black-box tests of the companion over real HTTP, each against SQLite and
//! PostgreSQL, with the JazzHR sandbox as the ATS.

mod helpers;
mod people;
mod secrets;
mod sourcing;
