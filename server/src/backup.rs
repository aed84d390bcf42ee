//! The server's backups (MHLW: multi-generation backups): `admin backup`
//! writes a consistent dump of the whole database (`pg_dump`'s custom
//! format, one snapshot) into a folder and keeps the newest generations;
//! `admin restore` puts one back in a single transaction (a damaged or
//! truncated file changes nothing) and gives the database a new epoch, so
//! that every client reads the feed again and re-sends what the restored
//! server lacks. Run a restore with the server stopped.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};

use crate::local_pg::find_bin;

/// Dumps are named by the time they were taken, so names sort by age.
const PREFIX: &str = "tsunagu-";
const SUFFIX: &str = ".dump";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "PostgreSQL's programs (pg_dump, pg_restore) were not found; install the postgresql package or set TSUNAGU_PG_BIN"
    )]
    NotInstalled,
    #[error("{step} failed: {detail}")]
    Failed { step: &'static str, detail: String },
    #[error("the backup folder or file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Writes a dump of the database at `owner_url` into `dir` and removes all
/// but the newest `keep` dumps there. The file appears under its name only
/// once complete and on disk.
pub fn backup(
    owner_url: &str,
    dir: &Path,
    now: DateTime<Utc>,
    keep: usize,
) -> Result<PathBuf, BackupError> {
    std::fs::create_dir_all(dir)?;
    let name = format!("{PREFIX}{}{SUFFIX}", now.format("%Y%m%dT%H%M%SZ"));
    let done = dir.join(&name);
    let partial = dir.join(format!(".{name}.partial"));
    run(
        "pg_dump",
        Command::new(tool("pg_dump")?)
            .args(["--format=custom", "--no-password", "--file"])
            .arg(&partial)
            .arg("--dbname")
            .arg(owner_url),
    )?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &done)?;
    if let Ok(folder) = std::fs::File::open(dir) {
        // The rename itself on disk (not possible on every platform).
        let _ = folder.sync_all();
    }
    for old in generations(dir)?.into_iter().rev().skip(keep.max(1)) {
        std::fs::remove_file(old)?;
    }
    Ok(done)
}

/// The dumps in `dir`, oldest first.
pub fn generations(dir: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Replaces the database at `owner_url` with the dump in `file`, in one
/// transaction, then brings its schema up to date and gives it a new
/// epoch. Pools opened before keep statements about the old tables: open
/// new ones.
pub async fn restore(owner_url: &str, file: &Path) -> Result<(), BackupError> {
    run(
        "pg_restore",
        Command::new(tool("pg_restore")?)
            .args([
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                "--dbname",
            ])
            .arg(owner_url)
            .arg(file),
    )?;
    // A dump from before a migration is brought up to this build's schema.
    crate::db::migrate(owner_url).await?;
    let owner = crate::db::connect(owner_url).await?;
    let renewed = crate::db::sync_log::new_epoch(&owner).await;
    owner.close().await;
    renewed?;
    Ok(())
}

fn tool(name: &str) -> Result<PathBuf, BackupError> {
    let bin = find_bin().map_err(|_| BackupError::NotInstalled)?;
    Ok(bin.join(name))
}

fn run(step: &'static str, command: &mut Command) -> Result<(), BackupError> {
    let out = command.output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(BackupError::Failed {
            step,
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}
