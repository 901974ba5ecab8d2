//! The processes the soak starts: the ATS sandbox once, the companion again
//! after every SIGKILL. Every child is killed when its handle is dropped.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A running server that printed `listening on http://ADDR`.
pub struct Server {
    child: Child,
    /// `http://ADDR`.
    pub url: String,
}

impl Server {
    /// Sends SIGKILL and reaps the process.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// Starts `command` (stderr appended to `log`) and waits for its
/// `listening on` line on stdout.
async fn start_listening(mut command: Command, log: &Path) -> Result<Server, String> {
    let err_log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(err_log))
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let wait = async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.strip_prefix("listening on ") {
                return Some(url.trim().to_string());
            }
        }
        None
    };
    if let Ok(Some(url)) = tokio::time::timeout(Duration::from_mins(1), wait).await {
        // Keep reading so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server { child, url })
    } else {
        let _ = child.start_kill();
        let _ = child.wait().await;
        Err(format!(
            "it never said 'listening on' (see {})",
            log.display()
        ))
    }
}

/// Starts the JazzHR sandbox on a free port, with no rate limit of its own.
pub async fn sandbox(
    bin: &Path,
    dir: &Path,
    api_key: &str,
    seed_file: &Path,
) -> Result<Server, String> {
    let mut command = Command::new(bin);
    command
        .args([
            "--provider",
            "jazzhr",
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            api_key,
        ])
        .arg("--seed-file")
        .arg(seed_file)
        // The soak measures the companion, not JazzHR's 80 calls a minute;
        // the 429 fault still sends the companion down its 429 path.
        .args(["--rate-limit", &u32::MAX.to_string()]);
    start_listening(command, &dir.join("sandbox.log"))
        .await
        .map_err(|e| format!("sandbox: {e}"))
}

/// How to run the companion: binary, environment, and (after the first
/// start) the fixed address every restart binds again.
pub struct Companion {
    bin: PathBuf,
    env: Vec<(String, String)>,
    log: PathBuf,
    listen: Option<String>,
    server: Option<Server>,
}

impl Companion {
    #[must_use]
    pub fn new(bin: PathBuf, env: Vec<(String, String)>, log: PathBuf) -> Companion {
        Companion {
            bin,
            env,
            log,
            listen: None,
            server: None,
        }
    }

    /// Runs a one-shot subcommand (`init`, …): `(success, stdout, stderr)`.
    pub async fn run_once(&self, args: &[&str]) -> Result<(bool, String, String), String> {
        let out = Command::new(&self.bin)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| format!("cannot run the companion: {e}"))?;
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }

    /// `serve`, on a free port the first time and on that same port after.
    pub async fn start(&mut self) -> Result<String, String> {
        let listen = self.listen.clone().unwrap_or_else(|| "127.0.0.1:0".into());
        let mut command = Command::new(&self.bin);
        command
            .args(["serve", "--listen", &listen])
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let server = start_listening(command, &self.log)
            .await
            .map_err(|e| format!("companion: {e}"))?;
        let url = server.url.clone();
        self.listen = Some(url.trim_start_matches("http://").to_string());
        self.server = Some(server);
        Ok(url)
    }

    /// SIGKILL: no graceful shutdown, whatever it was doing.
    pub async fn kill(&mut self) {
        if let Some(mut server) = self.server.take() {
            server.kill().await;
        }
    }
}
