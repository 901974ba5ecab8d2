//! The companion's database for one soak phase: a fresh SQLite file, or a
//! fresh PostgreSQL database created before and dropped after.

use sqlx::{Connection, Executor, PgConnection};
use std::path::Path;

/// Which database the companion runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }
}

/// A database made for one phase.
pub struct Database {
    /// What the companion's `DATABASE_URL` gets.
    pub url: String,
    /// PostgreSQL: the server to drop it on, and its name.
    postgres: Option<(String, String)>,
}

impl Database {
    /// Makes a fresh database. `admin_url` is a PostgreSQL URL whose user
    /// may create databases (its own database is only used to connect).
    pub async fn create(
        kind: Kind,
        dir: &Path,
        admin_url: &str,
        run: &str,
    ) -> Result<Database, String> {
        match kind {
            Kind::Sqlite => {
                let file = dir.join("sourcebar.db");
                Ok(Database {
                    url: format!("sqlite://{}", file.display()),
                    postgres: None,
                })
            }
            Kind::Postgres => {
                let name = format!("sourcebar_soak_{run}");
                let (server, _) = admin_url
                    .rsplit_once('/')
                    .filter(|(s, _)| s.contains("://"))
                    .ok_or_else(|| format!("--postgres must end in /DATABASE: {admin_url}"))?;
                let mut conn = PgConnection::connect(admin_url)
                    .await
                    .map_err(|e| format!("cannot reach PostgreSQL at {admin_url}: {e}"))?;
                conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                    .await
                    .map_err(|e| format!("cannot drop an old {name}: {e}"))?;
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .map_err(|e| format!("cannot create {name}: {e}"))?;
                let _ = conn.close().await;
                Ok(Database {
                    url: format!("{server}/{name}"),
                    postgres: Some((admin_url.to_string(), name)),
                })
            }
        }
    }

    /// Drops a PostgreSQL database (its companion must be gone).
    pub async fn drop_it(self) -> Result<(), String> {
        let Some((admin_url, name)) = self.postgres else {
            return Ok(());
        };
        let mut conn = PgConnection::connect(&admin_url)
            .await
            .map_err(|e| format!("cannot reach PostgreSQL: {e}"))?;
        conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .map_err(|e| format!("cannot drop {name}: {e}"))?;
        let _ = conn.close().await;
        Ok(())
    }

    /// The PostgreSQL database's name, to tell a user what was left behind.
    #[must_use]
    pub fn postgres_name(&self) -> Option<&str> {
        self.postgres.as_ref().map(|(_, n)| n.as_str())
    }
}
