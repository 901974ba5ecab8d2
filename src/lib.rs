//! Sourcebar sidebar (placeholder until the foundation issue lands).
