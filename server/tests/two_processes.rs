//! Two server processes on one PostgreSQL, as behind an ordinary reverse
//! proxy: all the server's state is in the database, so sync, portal
//! sessions and attempt limits work whichever process a request reaches.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock"
)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use tsunagu_protocol::{OpBody, OrgKind, PROTOCOL_VERSION};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use tsunagu_server::users::Role;
use uuid::Uuid;

/// A `tsunagu-server serve` process, killed when dropped.
struct Process {
    child: Child,
    url: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a server process on its own port, against the shared database;
/// both run the migrations at start (PostgreSQL's advisory lock lets one
/// of them do it).
fn serve(owner_url: &str, runtime_url: &str) -> Process {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_tsunagu-server"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", owner_url)
        .env("TSUNAGU_RUNTIME_DATABASE_URL", runtime_url)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    Process {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

async fn wait_until_up(http: &reqwest::Client, process: &Process) {
    let started = Instant::now();
    loop {
        let up = http.get(format!("{}/health", process.url)).send().await;
        if up.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} never came up",
            process.url
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    credential: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut request = http.post(url).json(body);
    if let Some(credential) = credential {
        request = request.bearer_auth(credential);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A portal visitor: cookies kept by hand, redirects not followed.
struct Visitor {
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Visitor {
    fn new() -> Visitor {
        Visitor {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let response = request
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for set in response.headers().get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string()),
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, base: &str, path: &str) -> Page {
        let request = self.http.get(format!("{base}{path}"));
        self.send(request).await
    }

    async fn post(&mut self, base: &str, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{base}{path}")).form(form);
        self.send(request).await
    }
}

/// A device's live stream (server-sent events), read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(http: &reqwest::Client, base: &str, credential: &str) -> Events {
        let response = http
            .get(format!("{base}/v1/live"))
            .bearer_auth(credential)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's name, waiting at most five seconds.
    async fn next(&mut self) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event:")) {
                    return Some(name.trim().to_string());
                }
                continue;
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .ok()?;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.ok()??));
        }
    }
}

fn csrf(page: &Page) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.body.find(marker).expect("a form with a token") + marker.len();
    page.body[start..start + 64].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_sessions_and_limits_work_whichever_process_answers() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(dir.path(), Durability::Throwaway).unwrap();
    let owner_url = cluster.url("tsunagu");
    let runtime_url = cluster.url_as(RUNTIME_ROLE, "tsunagu");
    let pool = connect_and_migrate(&owner_url, &runtime_url).await.unwrap();
    let owner = connect(&owner_url).await.unwrap();
    let a = serve(&owner_url, &runtime_url);
    let b = serve(&owner_url, &runtime_url);
    let http = reqwest::Client::new();
    wait_until_up(&http, &a).await;
    wait_until_up(&http, &b).await;

    // Sync: enrolled through A, pushed through A, pulled through B; the
    // same operation again through B is a repeat, another under its
    // number is told so.
    let clinic = tsunagu_server::admin::create_organisation(
        &pool,
        OrgKind::Clinic,
        "さくら内科クリニック",
        "admin:test",
    )
    .await
    .unwrap();
    let code =
        tsunagu_server::admin::issue_enrollment_code(&pool, clinic.id, "admin:test", Utc::now())
            .await
            .unwrap();
    let (status, enrolled) = post(
        &http,
        &format!("{}/v1/enroll", a.url),
        None,
        &json!({"version": PROTOCOL_VERSION, "code": code, "device_name": "PC1"}),
    )
    .await;
    assert_eq!(status, 200, "{enrolled}");
    let credential = format!(
        "{}.{}",
        enrolled["device_id"].as_str().unwrap(),
        enrolled["secret"].as_str().unwrap()
    );
    let patient = OpBody::PatientShared {
        patient_id: Uuid::now_v7(),
        name: "山田　太郎".into(),
        kana: "やまだ　たろう".into(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
        sex: "male".into(),
    };
    // Live news: a stream open on B hears of a push through A (the
    // processes share nothing but PostgreSQL's LISTEN/NOTIFY).
    let mut stream = Events::open(&http, &b.url, &credential).await;
    assert_eq!(stream.next().await.as_deref(), Some("ready"));
    let op_id = Uuid::now_v7();
    let push = |base: &str, op_id: Uuid| {
        let body = json!({"version": PROTOCOL_VERSION, "ops": [
            {"op_seq": 1, "op_id": op_id, "body": patient}]});
        (format!("{base}/v1/push"), body)
    };
    let (url, body) = push(&a.url, op_id);
    let (status, first) = post(&http, &url, Some(&credential), &body).await;
    assert_eq!(
        (status, &first["results"][0]["outcome"]["outcome"]),
        (200, &json!("applied"))
    );
    assert_eq!(stream.next().await.as_deref(), Some("advanced"));
    let (url, body) = push(&b.url, op_id);
    let (_, again) = post(&http, &url, Some(&credential), &body).await;
    assert_eq!(again, first);
    let (url, body) = push(&b.url, Uuid::now_v7());
    let (_, reused) = post(&http, &url, Some(&credential), &body).await;
    assert_eq!(reused["results"][0]["outcome"]["outcome"], "seq_taken");
    let (status, page) = post(
        &http,
        &format!("{}/v1/pull", b.url),
        Some(&credential),
        &json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 100}),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let kinds: Vec<&str> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"]["change"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"patient_shared"), "{kinds:?}");
    let (_, from_a) = post(
        &http,
        &format!("{}/v1/pull", a.url),
        Some(&credential),
        &json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 100}),
    )
    .await;
    assert_eq!(from_a, page, "both processes serve the same feed and epoch");

    // A portal session begun on A is good on B, and signing out on B
    // ends it on A.
    let desk = tsunagu_server::admin::create_organisation(
        &pool,
        OrgKind::Desk,
        "豊島区在宅医療相談窓口",
        "admin:test",
    )
    .await
    .unwrap();
    let user = tsunagu_server::users::create_user(
        &pool,
        desk.id,
        "sato",
        "佐藤 一郎",
        Role::Desk,
        "admin:test",
    )
    .await
    .unwrap();
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let password = "a long enough password";
    sqlx::query(
        "UPDATE users SET password_hash = $2, must_change_password = false, totp_secret = $3
         WHERE id = $1",
    )
    .bind(user.id)
    .bind(tsunagu_server::users::hash_password(password).unwrap())
    .bind(secret)
    .execute(&owner)
    .await
    .unwrap();
    let mut visitor = Visitor::new();
    let page = visitor.get(&a.url, "/portal/login").await;
    let token = csrf(&page);
    let page = visitor
        .post(
            &a.url,
            "/portal/login",
            &[("login", "sato"), ("password", password), ("csrf", &token)],
        )
        .await;
    assert_eq!(
        page.location.as_deref(),
        Some("/portal/second-factor"),
        "{}",
        page.body
    );
    // The second factor is asked for by B.
    let page = visitor.get(&b.url, "/portal/second-factor").await;
    let token = csrf(&page);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let totp = tsunagu_server::portal::current_code(secret, "sato", now).unwrap();
    let page = visitor
        .post(
            &b.url,
            "/portal/second-factor",
            &[("code", &totp), ("csrf", &token)],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/portal"), "{}", page.body);
    let page = visitor.get(&a.url, "/portal/desk").await;
    assert_eq!(page.status, 200, "{:?}", page.location);
    let token = csrf(&page);
    let page = visitor
        .post(&b.url, "/portal/logout", &[("csrf", &token)])
        .await;
    assert!(page.status < 400, "{}", page.status);
    let page = visitor.get(&a.url, "/portal/desk").await;
    assert!(
        page.location
            .as_deref()
            .is_some_and(|l| l.starts_with("/portal/login")),
        "{} {:?}",
        page.status,
        page.location
    );

    // Wrong enrollment codes count in the database: guesses spread over
    // both processes are stopped all the same.
    let limit = tsunagu_server::api::MAX_ENROLL_FAILURES;
    let mut refused_for_guessing = false;
    for attempt in 0..=limit {
        let process = if attempt % 2 == 0 { &a } else { &b };
        let (status, body) = post(
            &http,
            &format!("{}/v1/enroll", process.url),
            None,
            &json!({"version": PROTOCOL_VERSION, "code": "WRONG-CODE-0000", "device_name": "PC"}),
        )
        .await;
        if status == 429 {
            assert_eq!(body["code"], "rate_limited", "{body}");
            refused_for_guessing = true;
            break;
        }
    }
    assert!(
        refused_for_guessing,
        "guesses across processes were never stopped"
    );
    let good =
        tsunagu_server::admin::issue_enrollment_code(&pool, clinic.id, "admin:test", Utc::now())
            .await
            .unwrap();
    for process in [&a, &b] {
        let (status, _) = post(
            &http,
            &format!("{}/v1/enroll", process.url),
            None,
            &json!({"version": PROTOCOL_VERSION, "code": good, "device_name": "PC2"}),
        )
        .await;
        assert_eq!(status, 429, "{}", process.url);
    }
    pool.close().await;
    owner.close().await;
}
