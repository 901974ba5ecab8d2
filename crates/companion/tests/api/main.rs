//! Black-box tests of the companion over real HTTP, each against SQLite and
//! PostgreSQL, with the JazzHR sandbox as the ATS.

mod admin;
mod helpers;
mod people;
mod queue;
mod replicas;
mod secrets;
mod security;
mod sourcing;
mod validation;
