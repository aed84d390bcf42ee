#![allow(dead_code, reason = "each test binary uses its own share")]

//! A real PostgreSQL per test (initdb in a temp folder, loopback only,
//! stopped when the test ends, even by a panic) and the server's router
//! over it, called in-process.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tempfile::TempDir;
use tower::ServiceExt;
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};

pub struct TestServer {
    /// As the server works: the runtime role.
    pub pool: PgPool,
    /// As the database's owner (migrations), for checks the runtime role may not make.
    pub owner: PgPool,
    /// The owner's URL, for the admin command line.
    pub owner_url: String,
    pub app: Router,
    // Dropped in this order: the pool, then the cluster, then its folder.
    _cluster: LocalPostgres,
    _dir: TempDir,
}

pub async fn server() -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let cluster = LocalPostgres::start(dir.path(), Durability::Throwaway).expect("PostgreSQL");
    let pool = connect_and_migrate(
        &cluster.url("tsunagu"),
        &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
    )
    .await
    .expect("migrated database");
    let owner = connect(&cluster.url("tsunagu")).await.expect("owner pool");
    TestServer {
        // In-process calls have no socket: each comes from 192.0.2.1.
        app: router(ServerState::new(pool.clone()))
            .layer(MockConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000)))),
        pool,
        owner,
        owner_url: cluster.url("tsunagu"),
        _cluster: cluster,
        _dir: dir,
    }
}

impl TestServer {
    /// Sends a request; the status and the body as JSON (Null if empty or not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        credential: Option<&str>,
        body: Vec<u8>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json");
        if let Some(credential) = credential {
            request = request.header("authorization", format!("Bearer {credential}"));
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn post_json(
        &self,
        path: &str,
        credential: Option<&str>,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call("POST", path, credential, serde_json::to_vec(&body).unwrap())
            .await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Close the pools before the cluster stops under them.
        let (pool, owner) = (self.pool.clone(), self.owner.clone());
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                pool.close().await;
                owner.close().await;
            })
        });
    }
}

/// An organisation with one enrolled device: (organisation id, credential).
pub async fn enrolled(
    t: &TestServer,
    kind: tsunagu_protocol::OrgKind,
    name: &str,
) -> (uuid::Uuid, String) {
    let org = tsunagu_server::admin::create_organisation(&t.pool, kind, name, "admin:test")
        .await
        .unwrap();
    let code = tsunagu_server::admin::issue_enrollment_code(
        &t.pool,
        org.id,
        "admin:test",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (status, body) = t
        .post_json(
            "/v1/enroll",
            None,
            serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "code": code, "device_name": "PC1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        org.id,
        format!(
            "{}.{}",
            body["device_id"].as_str().unwrap(),
            body["secret"].as_str().unwrap()
        ),
    )
}
