//! Counters for `/metrics` in Prometheus' text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests_2xx: AtomicU64,
    pub requests_4xx: AtomicU64,
    pub requests_5xx: AtomicU64,
    pub dedupe_requests: AtomicU64,
    pub dedupe_live_fallbacks: AtomicU64,
    pub uploads_created: AtomicU64,
    pub uploads_queued: AtomicU64,
    pub uploads_delivered_later: AtomicU64,
    pub merges: AtomicU64,
    pub sync_candidates_written: AtomicU64,
    pub ats_errors: AtomicU64,
}

impl Metrics {
    /// Adds one to a counter.
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self, mirrored: usize) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, labels: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name}{labels} {value}"
            );
        };
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        counter(
            "sourcebar_http_responses_total",
            "HTTP responses by class.",
            "{class=\"2xx\"}",
            get(&self.requests_2xx),
        );
        counter(
            "sourcebar_http_responses_4xx_total",
            "HTTP 4xx responses.",
            "",
            get(&self.requests_4xx),
        );
        counter(
            "sourcebar_http_responses_5xx_total",
            "HTTP 5xx responses.",
            "",
            get(&self.requests_5xx),
        );
        counter(
            "sourcebar_dedupe_requests_total",
            "Dedupe queries.",
            "",
            get(&self.dedupe_requests),
        );
        counter(
            "sourcebar_dedupe_live_fallbacks_total",
            "Dedupe queries that asked the ATS live.",
            "",
            get(&self.dedupe_live_fallbacks),
        );
        counter(
            "sourcebar_uploads_created_total",
            "Uploads created at once.",
            "",
            get(&self.uploads_created),
        );
        counter(
            "sourcebar_uploads_queued_total",
            "Uploads queued while the ATS was down.",
            "",
            get(&self.uploads_queued),
        );
        counter(
            "sourcebar_uploads_delivered_later_total",
            "Queued uploads delivered.",
            "",
            get(&self.uploads_delivered_later),
        );
        counter("sourcebar_merges_total", "Merges.", "", get(&self.merges));
        counter(
            "sourcebar_sync_candidates_written_total",
            "Candidates written to the mirror.",
            "",
            get(&self.sync_candidates_written),
        );
        counter(
            "sourcebar_ats_errors_total",
            "Failed ATS calls.",
            "",
            get(&self.ats_errors),
        );
        let _ = writeln!(out, "# HELP sourcebar_mirror_candidates Candidates in this server's dedupe indexes.\n# TYPE sourcebar_mirror_candidates gauge\nsourcebar_mirror_candidates {mirrored}");
        out
    }
}
