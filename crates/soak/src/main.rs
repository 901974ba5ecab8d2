//! `sourcebar-soak`: thousands of uploads and merges, sent as the sidebar
//! sends them, through a companion that is killed with SIGKILL and started
//! again every few seconds, against a JazzHR sandbox that loses answers,
//! rate-limits, fails and stalls. On SQLite, then on PostgreSQL.
//!
//! ```sh
//! ./build.sh soak                                 # 10,000 operations, kill -9 every 30 s
//! ./build.sh soak --ops 500 --kill-every 10       # a short run
//! ```
//! It prints one line per database (operations, duplicates, losses, time to
//! drain, restarts) and exits non-zero when anything was duplicated, lost,
//! refused, or left without a final answer.

mod client;
mod database;
mod faults;
mod phase;
mod procs;
mod verify;
mod workload;

use clap::Parser;
use database::Kind;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    about = "Soak test of the companion: uploads and merges under faults and kill -9 restarts"
)]
struct Args {
    /// Operations per database.
    #[arg(long, default_value_t = 10_000)]
    ops: usize,
    /// Share of the operations that are merges onto seeded candidates (the
    /// rest upload distinct new people).
    #[arg(long, default_value_t = 0.2)]
    merge_share: f64,
    /// Seconds between two SIGKILLs of the companion.
    #[arg(long, default_value_t = 30)]
    kill_every: u64,
    /// Seconds each database's phase may last at most.
    #[arg(long, default_value_t = 1800)]
    deadline: u64,
    /// Stop a phase when no operation was acknowledged or finished for this many seconds.
    #[arg(long, default_value_t = 300)]
    stall: u64,
    /// Clients sending at once (each like one sidebar).
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds the companion keeps running, without faults or kills, before the check.
    #[arg(long, default_value_t = 10)]
    settle: u64,
    /// Multiplies every fault probability (0 switches faults off).
    #[arg(long, default_value_t = 1.0)]
    fault_scale: f64,
    /// Databases to run on, in order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Kind::Sqlite, Kind::Postgres])]
    databases: Vec<Kind>,
    /// A PostgreSQL URL whose user may create databases; a fresh one is made beside it.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres: String,
    /// Where sourcebar-companion and sourcebar-sandbox are (default: beside this binary).
    #[arg(long)]
    bin_dir: Option<PathBuf>,
    /// Where logs, seeds and the SQLite file go.
    #[arg(long, default_value = "target/soak")]
    work_dir: PathBuf,
}

/// Resolves on Ctrl-C or SIGTERM.
async fn interrupted() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        Some(()) = async { match term.as_mut() { Some(t) => t.recv().await, None => std::future::pending().await } } => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let Some(bin_dir) = args.bin_dir.clone().or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(PathBuf::from))
    }) else {
        eprintln!("error: cannot tell where the binaries are; pass --bin-dir");
        return ExitCode::from(2);
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let merges = (args.ops as f64 * args.merge_share.clamp(0.0, 1.0)).round() as usize;
    let settings = phase::Settings {
        ops: args.ops,
        merges,
        kill_every: Duration::from_secs(args.kill_every.max(1)),
        deadline: Duration::from_secs(args.deadline),
        stall: Duration::from_secs(args.stall),
        clients: args.clients,
        settle: Duration::from_secs(args.settle),
        fault_scale: args.fault_scale,
        postgres: args.postgres.clone(),
        bin_dir,
        work_dir: args.work_dir.clone(),
    };
    let mut lines = Vec::new();
    let mut code = 0u8;
    for &db in &args.databases {
        // Ctrl-C or SIGTERM drops the phase, and with it every child process.
        let outcome = tokio::select! {
            r = phase::run(&settings, db) => r,
            () = interrupted() => Err("interrupted".into()),
        };
        match outcome {
            Ok(report) => {
                if let Some(why) = &report.stopped_early {
                    eprintln!("[{}] stopped early: {why}", db.name());
                }
                if !report.clean() {
                    code = code.max(1);
                }
                lines.push(report.line());
            }
            Err(e) => {
                code = 2;
                lines.push(format!("{:<8} did not run: {e}", db.name()));
                if e == "interrupted" {
                    break;
                }
            }
        }
    }
    println!(
        "soak: {} operations per database, kill -9 every {} s",
        args.ops, args.kill_every
    );
    for line in lines {
        println!("{line}");
    }
    ExitCode::from(code)
}
