//! `tsunagu-server serve` runs the regional server; `tsunagu-server admin …`
//! is the desk administrator's command line. Without `DATABASE_URL` both
//! use a PostgreSQL cluster of their own in `--data-dir`.

#![allow(
    clippy::print_stdout,
    reason = "the admin command line answers on standard output"
)]

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::Utc;
use clap::{Parser, Subcommand};
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPgError, LocalPostgres};
use tsunagu_server::users;
use tsunagu_server::{admin, audit, backup};
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "tsunagu-server", about = "Tsunagu regional server")]
struct Cli {
    /// Where the server's own PostgreSQL cluster lives (unless DATABASE_URL is set).
    #[arg(long, default_value = "server-data", global = true)]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// PEM certificate chain; with --tls-key, serve HTTPS.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// The desk administrator's tasks.
    #[command(subcommand)]
    Admin(Admin),
}

/// A code typed on the command line that is none of the domain's.
#[derive(Debug, thiserror::Error)]
#[error("one of: {choices}")]
struct UnknownCode {
    choices: String,
}

/// One of `all` by its domain code (`-` for `_` is accepted).
fn parse_code<T: Copy>(
    typed: &str,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Result<T, UnknownCode> {
    let typed = typed.replace('-', "_");
    all.iter()
        .copied()
        .find(|t| code(*t) == typed)
        .ok_or_else(|| UnknownCode {
            choices: all.iter().map(|t| code(*t)).collect::<Vec<_>>().join(", "),
        })
}

/// An organisation kind as typed: the domain's code (`clinic`,
/// `visiting_nurse_station`, …).
fn parse_kind(typed: &str) -> Result<OrganisationKind, UnknownCode> {
    parse_code(typed, &OrganisationKind::ALL, OrganisationKind::code)
}

/// A profession as typed: the domain's code (`nurse`, `care_manager`, …).
fn parse_profession(typed: &str) -> Result<Profession, UnknownCode> {
    parse_code(typed, &Profession::ALL, Profession::code)
}

#[derive(Subcommand)]
enum Admin {
    /// Register an organisation: hospital, clinic, visiting_nurse_station,
    /// care_management_office, pharmacy, dental_clinic,
    /// home_rehabilitation, care_service, community_support_center or desk.
    CreateOrg {
        #[arg(long, value_parser = parse_kind)]
        kind: OrganisationKind,
        #[arg(long)]
        name: String,
        /// Its administrator approves every home-care team it joins.
        #[arg(long)]
        requires_approval: bool,
    },
    /// A one-time code (valid 7 days) to enroll one device of an organisation.
    EnrollmentCode {
        #[arg(long)]
        org: Uuid,
    },
    /// Stop a device's credential working.
    RevokeDevice {
        #[arg(long)]
        device: Uuid,
    },
    /// On a fresh server: the desk and its first administrator (prints the
    /// first password once).
    Bootstrap {
        /// e.g. 豊島区在宅医療相談窓口
        #[arg(long)]
        desk_name: String,
        #[arg(long)]
        login: String,
        /// The administrator's name as shown in the portal.
        #[arg(long)]
        name: String,
    },
    /// A consistent dump of the whole database into a folder (a USB disk or
    /// a NAS), keeping the newest generations. Safe while the server runs.
    Backup {
        #[arg(long)]
        to: PathBuf,
        /// How many dumps to keep in the folder (the newest).
        #[arg(long, default_value_t = 30)]
        keep: usize,
    },
    /// Replaces the database with a dump, in one transaction, and gives it
    /// a new epoch (clients then re-read the feed and re-send what it
    /// lacks). Stop the server first.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// A portal account: desk staff or administrator (of the desk), a
    /// liaison officer (of a hospital), or an organisation's administrator
    /// or staff (of any other). Approved at once. Prints the first
    /// password once.
    CreateUser {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// physician, dentist, nurse, pharmacist, care_manager, therapist,
        /// care_worker, liaison or clerk (default: liaison for the desk's
        /// and hospitals' roles, clerk otherwise).
        #[arg(long, value_parser = parse_profession)]
        profession: Option<Profession>,
    },
    /// Check the audit log's hash chain: prints the chain's head, or the
    /// first row that is not as written (exit status 5).
    VerifyAudit,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    Admin,
    Desk,
    Liaison,
    OrgAdmin,
    Staff,
}

/// Why a command failed; each kind exits with its own status.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] LocalPgError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("TLS certificate or key: {0}")]
    Tls(std::io::Error),
    #[error("serving: {0}")]
    Serve(std::io::Error),
    #[error(
        "{0} is not a loopback address: give --tls-cert and --tls-key (plain HTTP is for loopback only)"
    )]
    PlainHttpBeyondLoopback(SocketAddr),
    #[error("{0}")]
    User(#[from] users::UserError),
    #[error("{0}")]
    EnrollmentCode(#[from] admin::CodeError),
    #[error("{0}")]
    Backup(#[from] tsunagu_server::backup::BackupError),
    #[error(
        "the audit log has been tampered with: {0}. Keep the database as it is and report it to the person responsible for security"
    )]
    AuditTampered(String),
    #[error("TSUNAGU_TRUSTED_PROXY is not an IP address: {0:?}")]
    BadTrustedProxy(String),
    #[error(
        "DATABASE_URL is given but TSUNAGU_RUNTIME_DATABASE_URL is not: the server must not run as the database's owner, who can change audit rows. Give the URL of the role tsunagu_app (created by the migrations; set its password first)"
    )]
    RuntimeRoleMissing,
}

impl CliError {
    fn exit_code(&self) -> i32 {
        match self {
            CliError::PlainHttpBeyondLoopback(_)
            | CliError::Tls(_)
            | CliError::User(_)
            | CliError::EnrollmentCode(_)
            | CliError::BadTrustedProxy(_)
            | CliError::RuntimeRoleMissing => 2,
            CliError::Postgres(_) | CliError::Database(_) | CliError::Backup(_) => 3,
            CliError::Serve(_) => 4,
            CliError::AuditTampered(_) => 5,
        }
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(error) = run(cli).await {
        eprintln!("tsunagu-server: {error}");
        std::process::exit(error.exit_code());
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    // Keep the cluster (if ours) alive as long as the command runs.
    // Migrations run as the owner; the server then works as the runtime
    // role, which cannot change audit rows.
    let (owner_url, runtime_url, _cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let runtime = match std::env::var("TSUNAGU_RUNTIME_DATABASE_URL") {
                Ok(runtime) => runtime,
                // The admin commands are the owner's own work; serving is not.
                Err(_) if matches!(cli.command, Command::Serve { .. }) => {
                    return Err(CliError::RuntimeRoleMissing);
                }
                Err(_) => url.clone(),
            };
            (url, runtime, None)
        }
        Err(_) => {
            let cluster = LocalPostgres::start(&cli.data_dir, Durability::Durable)?;
            (
                cluster.url("tsunagu"),
                cluster.url_as(RUNTIME_ROLE, "tsunagu"),
                Some(cluster),
            )
        }
    };
    match &cli.command {
        Command::Admin(Admin::Backup { to, keep }) => {
            let file = backup::backup(&owner_url, to, Utc::now(), *keep)?;
            println!("{}", file.display());
            return Ok(());
        }
        Command::Admin(Admin::Restore { from }) => {
            backup::restore(&owner_url, from).await?;
            println!(
                "restored from {}; clients will re-read the feed",
                from.display()
            );
            return Ok(());
        }
        Command::Serve { .. } | Command::Admin(_) => {}
    }
    let pool = connect_and_migrate(&owner_url, &runtime_url).await?;
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => serve(pool, listen, tls_cert.zip(tls_key)).await,
        Command::Admin(task) => {
            let actor = format!(
                "admin:{}",
                std::env::var("USER").unwrap_or_else(|_| "cli".into())
            );
            run_admin(&pool, &actor, task).await
        }
    }
}

/// One of the administrator's tasks, as `actor` in the audit log.
async fn run_admin(pool: &sqlx::PgPool, actor: &str, task: Admin) -> Result<(), CliError> {
    match task {
        // Done before the pool is opened (see `run`).
        Admin::Backup { .. } | Admin::Restore { .. } => Ok(()),
        Admin::CreateOrg {
            kind,
            name,
            requires_approval,
        } => {
            let new = admin::NewOrganisation {
                kind,
                name: &name,
                requires_approval,
                phone: "",
                fax: "",
            };
            let org = admin::register_organisation(pool, &new, actor).await?;
            println!("{}\t{}\t{}", org.id, org.kind.code(), org.name);
            Ok(())
        }
        Admin::EnrollmentCode { org } => {
            let code = admin::issue_enrollment_code(pool, org, actor, Utc::now()).await?;
            println!("{code}");
            Ok(())
        }
        Admin::RevokeDevice { device } => {
            let revoked = admin::revoke_device(pool, device, actor).await?;
            println!(
                "{}",
                if revoked {
                    "revoked"
                } else {
                    "not found or already revoked"
                }
            );
            Ok(())
        }
        Admin::Bootstrap {
            desk_name,
            login,
            name,
        } => {
            let (desk, user) =
                users::bootstrap_desk(pool, &desk_name, &login, &name, actor).await?;
            println!("{}\tdesk\t{}", desk.id, desk.name);
            print_new_user(&user);
            Ok(())
        }
        Admin::CreateUser {
            org,
            login,
            name,
            role,
            profession,
        } => {
            let role = match role {
                RoleArg::Admin => users::Role::Admin,
                RoleArg::Desk => users::Role::Desk,
                RoleArg::Liaison => users::Role::Liaison,
                RoleArg::OrgAdmin => users::Role::OrgAdmin,
                RoleArg::Staff => users::Role::Staff,
            };
            let request = users::AccountRequest {
                organisation: org,
                login: &login,
                display_name: &name,
                role,
                profession: profession.unwrap_or_else(|| users::default_profession(role)),
            };
            let user = users::create_account(pool, &request, actor).await?;
            print_new_user(&user);
            Ok(())
        }
        Admin::VerifyAudit => verify_audit(pool).await,
    }
}

async fn verify_audit(pool: &sqlx::PgPool) -> Result<(), CliError> {
    match audit::verify_chain(pool).await? {
        audit::ChainReport::Intact {
            rows,
            head_seq,
            head_hash,
        } => {
            println!("audit log intact: {rows} rows; head: row {head_seq}, hash {head_hash}");
            Ok(())
        }
        audit::ChainReport::BrokenAt { seq, at } => Err(CliError::AuditTampered(format!(
            "the first broken link is row {seq} (recorded at {})",
            at.to_rfc3339()
        ))),
        audit::ChainReport::Truncated { last, head } => {
            let last = last.map_or("none".to_string(), |l| l.to_string());
            Err(CliError::AuditTampered(format!(
                "rows after row {last} are missing (the chain's head names row {head})"
            )))
        }
    }
}

/// The first password goes to the terminal once and nowhere else.
fn print_new_user(user: &users::NewUser) {
    println!("{}\t{}", user.id, user.login);
    println!(
        "first password (shown once; to be changed at the first sign-in): {}",
        user.initial_password
    );
}

async fn serve(
    pool: sqlx::PgPool,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<(), CliError> {
    let trusted_proxy = match std::env::var("TSUNAGU_TRUSTED_PROXY") {
        Ok(ip) => Some(
            ip.trim()
                .parse()
                .map_err(|_| CliError::BadTrustedProxy(ip))?,
        ),
        Err(_) => None,
    };
    let state = ServerState {
        secure_cookies: tls.is_some(),
        trusted_proxy,
        ..ServerState::new(pool)
    };
    tsunagu_server::housekeeping::spawn(state.pool.clone());
    state.live.start(state.pool.clone());
    let live = state.live.clone();
    let limits = state.limits.clone();
    let app = router(state);
    // Ctrl-C or SIGTERM: finish what is in flight, then return (and stop
    // our PostgreSQL cluster on the way out).
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    // Without a SIGTERM handler (the OS refused one), Ctrl-C still stops it.
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    tokio::spawn(async move {
        let terminated = async {
            match term {
                Ok(mut term) => {
                    term.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminated => {}
        }
        eprintln!("tsunagu-server: stopping");
        live.stop();
        stopping.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    let tls = match tls {
        Some((cert, key)) => Some(
            axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(CliError::Tls)?,
        ),
        None if listen.ip().is_loopback() => None,
        None => return Err(CliError::PlainHttpBeyondLoopback(listen)),
    };
    let listener = std::net::TcpListener::bind(listen).map_err(CliError::Serve)?;
    listener.set_nonblocking(true).map_err(CliError::Serve)?;
    match tls {
        Some(_) => eprintln!("tsunagu-server: https://{listen}"),
        None => eprintln!("tsunagu-server: http://{listen} (loopback only, for development)"),
    }
    tsunagu_server::api::serve(listener, tls, app, &limits, handle)
        .await
        .map_err(CliError::Serve)
}
