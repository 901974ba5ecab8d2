//! Black-box tests of the companion over real HTTP, each against SQLite and
//! PostgreSQL, with the JazzHR sandbox as the ATS.

mod admin;
mod conformance;
mod connect_links;
mod connection_settings;
mod contract;
mod helpers;
mod imports;
mod jobs;
mod people;
mod provider_rules;
mod queue;
mod replicas;
mod secrets;
mod security;
mod sourcing;
mod validation;
