//! `sourcebar-sandbox`: an ATS emulator (one dialect per ATS) for tests and the demo.
//!
//! `sourcebar-sandbox --provider jazzhr --listen 127.0.0.1:9000 --api-key KEY --seed-candidates 3000`
//! prints `listening on http://ADDR` once ready. Workable's account tokens
//! get 10 calls per 10 s: `--provider workable --rate-limit 10 --rate-window-ms 10000`.

use clap::Parser;
use sourcebar_sandbox::{start, Provider, SandboxConfig, SeedCandidate};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Parser)]
#[command(version, about = "An ATS API emulator for Sourcebar's tests and demo")]
struct Args {
    /// Which ATS to emulate (`--list-providers` names them).
    #[arg(long, default_value = "jazzhr")]
    provider: String,
    /// Print the emulated providers, one per line, and exit.
    #[arg(long)]
    list_providers: bool,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:9090")]
    listen: SocketAddr,
    /// The API key the sandbox accepts.
    #[arg(long, required_unless_present = "list_providers")]
    api_key: Option<String>,
    /// Generate this many realistic candidates.
    #[arg(long, default_value_t = 0)]
    seed_candidates: usize,
    /// Load candidates from a JSON array in the contract's Candidate shape.
    #[arg(long)]
    seed_file: Option<std::path::PathBuf>,
    /// Calls per key per window before the ATS's 429 (JazzHR: 80 a minute;
    /// Workable: 10 per 10 s).
    #[arg(long, default_value_t = 80)]
    rate_limit: u32,
    /// Length of the rate window in milliseconds (Workable: 10000).
    #[arg(long, default_value_t = 60_000)]
    rate_window_ms: u64,
    /// How long a bearer token lives, in seconds (Greenhouse).
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// Seed of the candidate generator.
    #[arg(long, default_value_t = 42)]
    rng_seed: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.list_providers {
        for name in Provider::names() {
            println!("{name}");
        }
        return Ok(());
    }
    let provider = Provider::named(&args.provider).map_err(|e| e.to_string())?;
    let seed: Vec<SeedCandidate> = match &args.seed_file {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)?,
        None => Vec::new(),
    };
    let handle = start(SandboxConfig {
        provider,
        listen: args.listen,
        api_key: args.api_key.unwrap_or_default(),
        seed_candidates: args.seed_candidates,
        seed,
        rng_seed: args.rng_seed,
        rate_limit: args.rate_limit,
        rate_window: Duration::from_millis(args.rate_window_ms),
        retry_after_secs: None,
        token_lifetime: Duration::from_secs(args.token_lifetime_secs),
    })
    .await?;
    println!("listening on http://{}", handle.addr);
    tokio::signal::ctrl_c().await?;
    Ok(())
}
