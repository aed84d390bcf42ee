#![allow(dead_code, reason = "each test binary uses its own share")]

//! A whole region for end-to-end sync tests: a real PostgreSQL, the real
//! server on a loopback port (which a test may stop and start again), a
//! proxy in front of it that can cut connections at random points, and
//! raw devices for the desk and hospitals (the portal comes later).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::Utc;
use rand::Rng;
use serde_json::Value;
use sqlx::PgPool;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tsunagu_protocol::{OrgKind, Organisation};
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
pub use tsunagu_server::local_pg::Durability;
use tsunagu_server::local_pg::LocalPostgres;

pub struct Region {
    pub pool: PgPool,
    /// The database owner, for checks the server's role may not make.
    pub owner: PgPool,
    pub server_address: SocketAddr,
    server: Option<JoinHandle<()>>,
    pub cluster: LocalPostgres,
    _dir: TempDir,
}

impl Region {
    /// A crash test needs [`Durability::Durable`]: without fsync and
    /// synchronous commit, PostgreSQL loses commits it has acknowledged
    /// when it crashes — the server would have answered "applied" for
    /// operations that are gone (this test suite caught exactly that).
    pub async fn start(durability: Durability) -> Region {
        let dir = tempfile::tempdir().unwrap();
        let cluster = LocalPostgres::start(dir.path(), durability).unwrap();
        let pool = connect_and_migrate(
            &cluster.url("tsunagu"),
            &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
        )
        .await
        .unwrap();
        let owner = connect(&cluster.url("tsunagu")).await.unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server_address = listener.local_addr().unwrap();
        let mut region = Region {
            pool,
            owner,
            server_address,
            server: None,
            cluster,
            _dir: dir,
        };
        region.serve(listener);
        region
    }

    fn serve(&mut self, listener: TcpListener) {
        let state = ServerState::new(self.pool.clone());
        // The live streams' listener lives and dies with the server task.
        let live = state.live.start(self.pool.clone());
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        self.server = Some(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
            live.abort();
        }));
    }

    /// Kills the server process's work in flight (its task, and PostgreSQL
    /// as a crash would) and starts both again on the same address.
    pub async fn crash_and_restart(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
        self.cluster.crash_and_restart().unwrap();
        let listener = TcpListener::bind(self.server_address).await.unwrap();
        self.serve(listener);
    }

    /// `admin backup`: a dump of the region's database in `dir`.
    pub fn backup(&self, dir: &std::path::Path) -> std::path::PathBuf {
        tsunagu_server::backup::backup(&self.cluster.url("tsunagu"), dir, Utc::now(), 30).unwrap()
    }

    /// `admin restore` with the server stopped, then the server started
    /// again on the same address (with new connections, as a restarted
    /// process has).
    pub async fn restore(&mut self, dump: &std::path::Path) {
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
        self.pool.close().await;
        self.owner.close().await;
        tsunagu_server::backup::restore(&self.cluster.url("tsunagu"), dump)
            .await
            .unwrap();
        self.pool = connect(&self.cluster.url_as(RUNTIME_ROLE, "tsunagu"))
            .await
            .unwrap();
        self.owner = connect(&self.cluster.url("tsunagu")).await.unwrap();
        let listener = TcpListener::bind(self.server_address).await.unwrap();
        self.serve(listener);
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.server_address)
    }

    pub async fn organisation(&self, kind: OrgKind, name: &str) -> Organisation {
        tsunagu_server::admin::create_organisation(&self.pool, kind, name, "admin:test")
            .await
            .unwrap()
    }

    pub async fn enrollment_code(&self, organisation: &Organisation) -> String {
        tsunagu_server::admin::issue_enrollment_code(
            &self.pool,
            organisation.id,
            "admin:test",
            Utc::now(),
        )
        .await
        .unwrap()
    }

    /// A device of `organisation` talking to the server directly: its
    /// credential `<id>.<secret>`.
    pub async fn raw_device(&self, organisation: &Organisation) -> RawDevice {
        let code = self.enrollment_code(organisation).await;
        let (status, body) = post(
            &self.url(),
            "/v1/enroll",
            None,
            &serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "code": code, "device_name": "窓口PC"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        RawDevice {
            url: self.url(),
            credential: format!(
                "{}.{}",
                body["device_id"].as_str().unwrap(),
                body["secret"].as_str().unwrap()
            ),
            next_op: 1,
        }
    }

    /// Every (referral, event) the server holds for `clinic`, sorted.
    pub async fn events_of(&self, clinic: &Organisation) -> Vec<(String, String)> {
        sqlx::query_as(
            "SELECT r.id::text, e.id::text FROM referral_events e
             JOIN referrals r ON r.id = e.referral_id WHERE r.clinic_id = $1 ORDER BY 1, 2",
        )
        .bind(clinic.id)
        .fetch_all(&self.owner)
        .await
        .unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.owner)
            .await
            .unwrap()
    }
}

pub struct RawDevice {
    url: String,
    pub credential: String,
    next_op: i64,
}

impl RawDevice {
    /// Pushes one operation (`body` is an OpBody as JSON); its outcome.
    pub async fn push(&mut self, body: Value) -> Value {
        let op_seq = self.next_op;
        self.next_op += 1;
        let (status, answer) = post(
            &self.url,
            "/v1/push",
            Some(&self.credential),
            &serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "ops": [{"op_seq": op_seq, "body": body}]}),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        answer["results"][0]["outcome"].clone()
    }

    /// Every change of this device's feed from `cursor`.
    pub async fn pull_all(&self) -> Vec<Value> {
        let mut cursor = 0;
        let mut changes = Vec::new();
        loop {
            let (status, page) = post(
                &self.url,
                "/v1/pull",
                Some(&self.credential),
                &serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "cursor": cursor, "limit": 1000}),
            )
            .await;
            assert_eq!(status, 200, "{page}");
            changes.extend(page["changes"].as_array().unwrap().iter().cloned());
            cursor = page["cursor"].as_i64().unwrap();
            if !page["more"].as_bool().unwrap() {
                return changes;
            }
        }
    }
}

pub async fn post(url: &str, path: &str, credential: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}{path}"))
        .json(body);
    if let Some(credential) = credential {
        request = request.bearer_auth(credential);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// A TCP proxy to the server that, while `cut_percent` is above zero,
/// cuts that share of connections after a random number of bytes in
/// either direction — mid-request or mid-answer.
pub struct CuttingProxy {
    pub address: SocketAddr,
    cut_percent: Arc<AtomicU32>,
    cut_next: Arc<AtomicU32>,
    task: JoinHandle<()>,
}

impl CuttingProxy {
    pub async fn start(upstream: SocketAddr) -> CuttingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let cut_percent = Arc::new(AtomicU32::new(0));
        let cut_next = Arc::new(AtomicU32::new(0));
        let (percent, next) = (cut_percent.clone(), cut_next.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let forced = next
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok();
                let percent = if forced {
                    100
                } else {
                    percent.load(Ordering::Relaxed)
                };
                tokio::spawn(relay(client, upstream, percent));
            }
        });
        CuttingProxy {
            address,
            cut_percent,
            cut_next,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn cut(&self, percent: u32) {
        self.cut_percent.store(percent, Ordering::Relaxed);
    }

    /// Cuts each of the next `count` connections, whatever the percentage.
    pub fn cut_next(&self, count: u32) {
        self.cut_next.store(count, Ordering::Relaxed);
    }
}

impl Drop for CuttingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(client: TcpStream, upstream: SocketAddr, cut_percent: u32) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (budget_up, budget_down) = {
        let mut rng = rand::rng();
        let cut = rng.random_range(0..100) < cut_percent;
        if cut {
            // Cut one direction somewhere in its first few kilobytes.
            if rng.random_bool(0.5) {
                (rng.random_range(0..4096), usize::MAX)
            } else {
                (usize::MAX, rng.random_range(0..4096))
            }
        } else {
            (usize::MAX, usize::MAX)
        }
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let up = async move { copy_until(&mut client_read, &mut server_write, budget_up).await };
    let down = async move { copy_until(&mut server_read, &mut client_write, budget_down).await };
    // When either side ends (or is cut), both are dropped: the connection dies.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}

async fn copy_until(
    from: &mut tokio::net::tcp::OwnedReadHalf,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    mut budget: usize,
) {
    let mut buffer = vec![0u8; 8192];
    loop {
        let Ok(read) = from.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            // The other side may still answer: keep the connection half open.
            let _ = to.shutdown().await;
            std::future::pending::<()>().await;
        }
        let take = read.min(budget);
        if to.write_all(&buffer[..take]).await.is_err() || take < read {
            return;
        }
        budget -= take;
    }
}

/// A TCP proxy to the server that can be closed like a cable pulled: while
/// closed, every connection through it is cut (the live stream's too) and
/// new ones are dropped as they arrive; opened again, it relays as before.
pub struct Gate {
    pub address: SocketAddr,
    open: Arc<std::sync::atomic::AtomicBool>,
    relays: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    task: JoinHandle<()>,
}

impl Gate {
    pub async fn start(upstream: SocketAddr) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let relays = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (is_open, held) = (open.clone(), relays.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !is_open.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let relay = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                held.lock().unwrap().push(relay.abort_handle());
            }
        });
        Gate {
            address,
            open,
            relays,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Cuts every connection and refuses new ones.
    pub fn close(&self) {
        self.open.store(false, Ordering::SeqCst);
        for relay in self.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }

    pub fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.close();
        self.task.abort();
    }
}
