//! A PostgreSQL cluster of our own, in a data folder: created with initdb
//! on first use, started on a socket in the folder only (no TCP; the
//! socket is the folder owner's alone), stopped when dropped. `make server` and the tests use it when
//! no `DATABASE_URL` is given. PostgreSQL refuses to run as root, so as
//! root its programs run as the `postgres` user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum LocalPgError {
    #[error(
        "PostgreSQL's programs (initdb, pg_ctl) were not found; install the postgresql package or set TSUNAGU_PG_BIN"
    )]
    NotInstalled,
    #[error("{step} failed: {detail}")]
    Failed { step: &'static str, detail: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A running cluster. Dropping it stops the server (fast shutdown) if this
/// value started it; one already running (another command's) is left be.
#[derive(Debug)]
pub struct LocalPostgres {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    started_here: bool,
}

/// Tuning for a cluster whose data may be lost (tests): no fsync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Durable,
    Throwaway,
}

impl LocalPostgres {
    /// Starts the cluster in `dir` (creating it on first use). The port is
    /// chosen once and kept in `dir/port`.
    pub fn start(dir: &Path, durability: Durability) -> Result<LocalPostgres, LocalPgError> {
        let bin = find_bin()?;
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        hand_to_postgres_user(&dir)?;
        let data = dir.join("pgdata");
        if !data.join("PG_VERSION").exists() {
            run(
                "initdb",
                as_cluster_user(&bin.join("initdb"))
                    .arg("-D")
                    .arg(&data)
                    .args([
                        "-U",
                        "tsunagu",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]),
            )?;
        }
        let port = match std::fs::read_to_string(dir.join("port")) {
            Ok(text) => text.trim().parse().map_err(|_| LocalPgError::Failed {
                step: "read the port",
                detail: "dir/port is not a number".into(),
            })?,
            Err(_) => {
                let port = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
                std::fs::write(dir.join("port"), port.to_string())?;
                port
            }
        };
        let mut cluster = LocalPostgres {
            dir,
            port,
            bin,
            started_here: false,
        };
        if !cluster.running() {
            cluster.started_here = true;
            // No TCP at all: a socket in the data folder that only the
            // folder's owner may use, so trust authentication admits no
            // other local user.
            let mut options = format!(
                "-c listen_addresses='' -c unix_socket_permissions=0700 -p {port} -k {}",
                cluster.dir.display()
            );
            if durability == Durability::Throwaway {
                options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            }
            run(
                "pg_ctl start",
                as_cluster_user(&cluster.bin.join("pg_ctl"))
                    .arg("-D")
                    .arg(&data)
                    .arg("-l")
                    .arg(cluster.dir.join("postgres.log"))
                    .args(["-w", "-t", "60", "-o", &options, "start"]),
            )?;
        }
        Ok(cluster)
    }

    fn running(&self) -> bool {
        as_cluster_user(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("pgdata"))
            .arg("status")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL for `database` as the cluster's superuser, over its socket.
    pub fn url(&self, database: &str) -> String {
        self.url_as("tsunagu", database)
    }

    /// A URL for `database` as `role`, over the socket in the data folder
    /// (trust authentication: only the folder's owner reaches it).
    pub fn url_as(&self, role: &str, database: &str) -> String {
        let dir = self.dir.to_string_lossy();
        let socket_dir =
            percent_encoding::utf8_percent_encode(&dir, percent_encoding::NON_ALPHANUMERIC);
        format!(
            "postgres://{role}@localhost:{}/{database}?host={socket_dir}",
            self.port
        )
    }

    /// Kills the server as a crash would (no checkpoint, connections cut)
    /// and starts it again: what the fault tests do mid-sync.
    pub fn crash_and_restart(&self) -> Result<(), LocalPgError> {
        run(
            "restart PostgreSQL",
            as_cluster_user(&self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.dir.join("pgdata"))
                // The log as at start: otherwise the new server keeps this
                // command's output pipe open and the call never returns.
                .arg("-l")
                .arg(self.dir.join("postgres.log"))
                .args(["-m", "immediate", "-w", "-t", "60", "restart"]),
        )
    }

    /// Stops the server now.
    pub fn stop(&self) {
        let _ = as_cluster_user(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("pgdata"))
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        if self.started_here {
            self.stop();
        }
    }
}

/// Where PostgreSQL's programs are (`TSUNAGU_PG_BIN`, or the newest
/// Debian install).
pub(crate) fn find_bin() -> Result<PathBuf, LocalPgError> {
    if let Some(dir) = std::env::var_os("TSUNAGU_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| LocalPgError::NotInstalled)?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().ok_or(LocalPgError::NotInstalled)
}

#[expect(
    unsafe_code,
    reason = "geteuid has no preconditions and cannot fail; std has no safe call for it"
)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn as_cluster_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// As root, the cluster's folder must belong to the user that runs it.
fn hand_to_postgres_user(dir: &Path) -> Result<(), LocalPgError> {
    if !is_root() {
        return Ok(());
    }
    let id = |flag: &str| -> Result<u32, LocalPgError> {
        let out = Command::new("id").args([flag, "postgres"]).output()?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| LocalPgError::Failed {
                step: "find the postgres user",
                detail: "no such user; install the postgresql package".into(),
            })
    };
    std::os::unix::fs::chown(dir, Some(id("-u")?), Some(id("-g")?))?;
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

fn run(step: &'static str, command: &mut Command) -> Result<(), LocalPgError> {
    let out = command.output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(LocalPgError::Failed {
            step,
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}
