//! `sourcebar-companion`: the team's server.
//!
//! ```sh
//! sourcebar-companion init --team "Acme" --admin-email admin@acme.io   # prints the admin token last
//! sourcebar-companion serve --listen 127.0.0.1:8787                      # prints "listening on http://ADDR"
//! ```
//! Database: `--database-url` / `DATABASE_URL` (default `sqlite://./data/sourcebar.db`;
//! `postgres://...` for several replicas). Master key: `SOURCEBAR_MASTER_KEY` (base64)
//! or `SOURCEBAR_MASTER_KEY_FILE` (default `./data/master.key`, created on first run).

use clap::{Parser, Subcommand};
use sourcebar_companion::app::auth::Role;
use sourcebar_companion::config::{FileConfig, DEFAULT_DATABASE_URL, DEFAULT_MASTER_KEY_FILE};
use sourcebar_companion::crypto::{reseal_all, MasterKey};
use sourcebar_companion::state::{AppState, RealAts, Settings};
use sourcebar_companion::storage::db::{new_id, now_ms, Db};
use sourcebar_companion::storage::people;
use sourcebar_companion::{telemetry, Application};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(version, about = "Sourcebar's companion server")]
struct Cli {
    /// Database URL (`sqlite://FILE` or `postgres://...`).
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Optional TOML configuration file.
    #[arg(long, env = "SOURCEBAR_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SOURCEBAR_LISTEN")]
        listen: Option<SocketAddr>,
        /// Seconds between fetches of new applicants.
        #[arg(long, env = "SOURCEBAR_SYNC_INTERVAL_SECS")]
        sync_interval_secs: Option<u64>,
    },
    /// Create a team and its first admin; prints the admin token alone on the last line.
    Init {
        #[arg(long)]
        team: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long, default_value = "")]
        admin_name: String,
    },
    /// Create an invite code for the (first) team.
    Invite {
        #[arg(long, default_value = "member")]
        role: String,
        /// Team name (default: the only team).
        #[arg(long)]
        team: Option<String>,
    },
    /// Re-encrypt every stored ATS key with a new master key, in one transaction.
    RotateMasterKey,
    /// Apply database migrations and exit.
    Migrate,
}

struct Context {
    database_url: String,
    key_file: PathBuf,
    file: FileConfig,
}

#[tokio::main]
async fn main() {
    telemetry::init(std::env::var("SOURCEBAR_LOG_FORMAT").is_ok_and(|f| f == "json"));
    if let Err(message) = run(Cli::parse()).await {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let file = match &cli.config {
        Some(path) => FileConfig::read(path)?,
        None => FileConfig::default(),
    };
    let ctx = Context {
        database_url: cli
            .database_url
            .or_else(|| file.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        key_file: std::env::var_os("SOURCEBAR_MASTER_KEY_FILE")
            .map(PathBuf::from)
            .or_else(|| file.master_key_file.clone())
            .unwrap_or_else(|| DEFAULT_MASTER_KEY_FILE.into()),
        file,
    };
    match cli.command.unwrap_or(Command::Serve {
        listen: None,
        sync_interval_secs: None,
    }) {
        Command::Serve {
            listen,
            sync_interval_secs,
        } => serve(&ctx, listen, sync_interval_secs).await,
        Command::Init {
            team,
            admin_email,
            admin_name,
        } => init(&ctx, &team, &admin_email, &admin_name).await,
        Command::Invite { role, team } => invite(&ctx, &role, team.as_deref()).await,
        Command::RotateMasterKey => rotate(&ctx).await,
        Command::Migrate => open(&ctx).await.map(|_| println!("migrations applied")),
    }
}

async fn open(ctx: &Context) -> Result<Db, String> {
    Db::open(&ctx.database_url).await.map_err(|e| e.to_string())
}

fn master_key(ctx: &Context) -> Result<MasterKey, String> {
    let env = std::env::var("SOURCEBAR_MASTER_KEY").ok();
    MasterKey::load(env.as_deref(), &ctx.key_file).map_err(|e| e.to_string())
}

async fn state(ctx: &Context, sync_interval_secs: Option<u64>) -> Result<AppState, String> {
    let db = open(ctx).await?;
    let mut settings = Settings::default();
    if let Some(secs) = sync_interval_secs.or(ctx.file.sync_interval_secs) {
        settings.sync_interval = Duration::from_secs(secs.max(1));
    }
    if let Some(secs) = ctx.file.job_sync_interval_secs {
        settings.job_sync_interval = Duration::from_secs(secs.max(1));
    }
    if let Some(secs) = ctx.file.refresh_interval_secs {
        settings.refresh_interval = Duration::from_secs(secs.max(60));
    }
    if let Some(n) = ctx.file.ats_calls_per_minute {
        settings.ats_calls_per_minute = Some(n.max(1));
    }
    if let Some(n) = ctx.file.token_rate_limit {
        settings.token_rate_limit = n.max(1);
    }
    if let Some(n) = ctx.file.unauthenticated_rate_limit {
        settings.unauthenticated_rate_limit = n.max(1);
    }
    settings.allow_private_base_urls = ctx.file.allow_private_base_urls.unwrap_or(false);
    settings.allowed_extension_ids = ctx.file.allowed_extension_ids.clone().unwrap_or_default();
    settings.metrics_listen = ctx.file.metrics_listen;
    Ok(AppState::new(
        db,
        master_key(ctx)?,
        Arc::new(RealAts),
        settings,
    ))
}

async fn serve(
    ctx: &Context,
    listen: Option<SocketAddr>,
    sync_interval_secs: Option<u64>,
) -> Result<(), String> {
    let addr = listen
        .or(ctx.file.listen)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8787)));
    let app = Application::build(addr, state(ctx, sync_interval_secs).await?)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(metrics) = app.metrics_addr() {
        println!("metrics on http://{metrics}/metrics");
    }
    println!("listening on http://{}", app.addr());
    app.run(shutdown_signal()).await.map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

async fn init(
    ctx: &Context,
    team: &str,
    admin_email: &str,
    admin_name: &str,
) -> Result<(), String> {
    let state = state(ctx, None).await?;
    let db = &state.db;
    let email = sourcebar_core::email::normalize_email(admin_email)
        .ok_or("admin email is not a valid address")?;
    // Shown to teammates and written into ATS notes: no control or bidi characters.
    let admin_name = &sourcebar_core::text::clean_line(admin_name);
    let err = |e: sqlx::Error| e.to_string();
    let now = now_ms();
    // Running init again for the same team gives its admin a fresh token.
    let team_id = if let Some(id) = people::team_id_named(db, team).await.map_err(err)? {
        id
    } else {
        let id = new_id();
        people::insert_team(db, &id, team, now).await.map_err(err)?;
        id
    };
    let user_id = if let Some(id) = people::member_id_by_email(db, &team_id, &email)
        .await
        .map_err(err)?
    {
        id
    } else {
        let id = new_id();
        people::insert_admin(db, &id, &team_id, &email, admin_name, now)
            .await
            .map_err(err)?;
        id
    };
    let token = sourcebar_companion::app::people::issue_token(&state, &user_id)
        .await
        .map_err(|e| e.message)?;
    println!("team {team} ({team_id}), admin {email}");
    println!("admin token (shown once; paste it into the extension's settings):");
    println!("{token}");
    Ok(())
}

async fn invite(ctx: &Context, role: &str, team: Option<&str>) -> Result<(), String> {
    let state = state(ctx, None).await?;
    let role = Role::parse(role).ok_or("role must be member or admin")?;
    let err = |e: sqlx::Error| e.to_string();
    let ids = people::team_ids(&state.db, team).await.map_err(err)?;
    let [team_id] = ids.as_slice() else {
        return Err("name the team with --team (none or several exist)".into());
    };
    let (code, _, _) = sourcebar_companion::app::people::issue_invite(&state, team_id, "cli", role)
        .await
        .map_err(|e| e.message)?;
    println!("{code}");
    Ok(())
}

async fn rotate(ctx: &Context) -> Result<(), String> {
    let db = open(ctx).await?;
    let old = master_key(ctx)?;
    let new = MasterKey::generate();
    // The new key is on disk before the database depends on it.
    let next_file = ctx.key_file.with_extension("next");
    new.write_file(&next_file).map_err(|e| e.to_string())?;
    let moved = reseal_all(&db, &old, &new).await?;
    if std::env::var("SOURCEBAR_MASTER_KEY").is_ok_and(|k| !k.is_empty()) {
        println!(
            "re-encrypted {} keys; set SOURCEBAR_MASTER_KEY to the new key stored in {}",
            moved,
            next_file.display()
        );
        return Ok(());
    }
    let old_file = ctx.key_file.with_extension("old");
    std::fs::rename(&ctx.key_file, &old_file).map_err(|e| e.to_string())?;
    std::fs::rename(&next_file, &ctx.key_file).map_err(|e| e.to_string())?;
    println!("re-encrypted {} keys with master key {}; the old key is in {} (delete it once servers restarted)", moved, new.id(), old_file.display());
    Ok(())
}
