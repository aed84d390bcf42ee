//! `tsunagu-server serve` runs the regional server; `tsunagu-server admin …`
//! is the desk administrator's command line. Without `DATABASE_URL` both
//! use a PostgreSQL cluster of their own in `--data-dir`.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::Utc;
use clap::{Parser, Subcommand};
use tsunagu_server::admin;
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
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

#[derive(Subcommand)]
enum Admin {
    /// Register a clinic, hospital or the desk.
    CreateOrg {
        #[arg(long, value_parser = ["clinic", "hospital", "desk"])]
        kind: String,
        #[arg(long)]
        name: String,
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
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(message) = run(cli).await {
        eprintln!("tsunagu-server: {message}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    // Keep the cluster (if ours) alive as long as the command runs.
    // Migrations run as the owner; the server then works as the runtime
    // role, which cannot change audit rows.
    let (owner_url, runtime_url, _cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let runtime = std::env::var("TSUNAGU_RUNTIME_DATABASE_URL").unwrap_or(url.clone());
            (url, runtime, None)
        }
        Err(_) => {
            let cluster = LocalPostgres::start(&cli.data_dir, Durability::Durable)
                .map_err(|e| format!("PostgreSQL: {e}"))?;
            (
                cluster.url("tsunagu"),
                cluster.url_as(RUNTIME_ROLE, "tsunagu"),
                Some(cluster),
            )
        }
    };
    let pool = connect_and_migrate(&owner_url, &runtime_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let actor = format!(
        "admin:{}",
        std::env::var("USER").unwrap_or_else(|_| "cli".into())
    );
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => serve(pool, listen, tls_cert.zip(tls_key)).await,
        Command::Admin(Admin::CreateOrg { kind, name }) => {
            let kind = admin::kind_from_code(&kind).ok_or("unknown kind")?;
            let org = admin::create_organisation(&pool, kind, &name, &actor)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}\t{}\t{}", org.id, admin::kind_code(org.kind), org.name);
            Ok(())
        }
        Command::Admin(Admin::EnrollmentCode { org }) => {
            let code = admin::issue_enrollment_code(&pool, org, &actor, Utc::now())
                .await
                .map_err(|e| e.to_string())?;
            println!("{code}");
            Ok(())
        }
        Command::Admin(Admin::RevokeDevice { device }) => {
            let revoked = admin::revoke_device(&pool, device, &actor)
                .await
                .map_err(|e| e.to_string())?;
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
    }
}

async fn serve(
    pool: sqlx::PgPool,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<(), String> {
    let app = router(ServerState { pool }).into_make_service_with_connect_info::<SocketAddr>();
    // Ctrl-C or SIGTERM: finish what is in flight, then return (and stop
    // our PostgreSQL cluster on the way out).
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        eprintln!("tsunagu-server: stopping");
        stopping.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    match tls {
        Some((cert, key)) => {
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| format!("TLS certificate or key: {e}"))?;
            eprintln!("tsunagu-server: https://{listen}");
            axum_server::bind_rustls(listen, config)
                .handle(handle)
                .serve(app)
                .await
                .map_err(|e| e.to_string())
        }
        None if listen.ip().is_loopback() => {
            eprintln!("tsunagu-server: http://{listen} (loopback only, for development)");
            axum_server::bind(listen)
                .handle(handle)
                .serve(app)
                .await
                .map_err(|e| e.to_string())
        }
        None => Err(format!(
            "{listen} is not a loopback address: give --tls-cert and --tls-key (plain HTTP is for loopback only)"
        )),
    }
}
