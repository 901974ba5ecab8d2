//! The sandbox's fault mix: lost answers, 429, 500, 503, timeouts, latency.

use serde_json::{json, Value};

/// The faults the soak switches on, each as `POST /_sandbox/faults` takes
/// it. The sandbox tries them in this order on every `/v1` call.
#[must_use]
pub fn mix(scale: f64) -> Vec<Value> {
    let p = |base: f64| (base * scale).clamp(0.0, 1.0);
    vec![
        // The create (or note) happens, its answer is lost: a 502, no body.
        json!({"kind": "drop_after_commit", "probability": p(0.03)}),
        json!({"kind": "rate_limit", "probability": p(0.03)}),
        json!({"kind": "error_500", "probability": p(0.01)}),
        json!({"kind": "error_503", "probability": p(0.01)}),
        // Longer than the companion's 20 s ATS timeout: it gives up first.
        json!({"kind": "timeout", "probability": p(0.002), "latency_ms": 21_000}),
        json!({"kind": "latency", "probability": p(0.05), "latency_ms": 300}),
    ]
}

/// Switches the mix on.
pub async fn apply(http: &reqwest::Client, sandbox: &str, scale: f64) -> Result<(), String> {
    clear(http, sandbox).await?;
    for fault in mix(scale) {
        let status = http
            .post(format!("{sandbox}/_sandbox/faults"))
            .json(&fault)
            .send()
            .await
            .map_err(|e| format!("cannot set a fault: {e}"))?
            .status();
        if !status.is_success() {
            return Err(format!(
                "the sandbox refused the fault {fault}: HTTP {status}"
            ));
        }
    }
    Ok(())
}

/// Switches every fault off.
pub async fn clear(http: &reqwest::Client, sandbox: &str) -> Result<(), String> {
    http.delete(format!("{sandbox}/_sandbox/faults"))
        .send()
        .await
        .map_err(|e| format!("cannot clear faults: {e}"))?;
    Ok(())
}
