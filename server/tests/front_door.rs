//! What the server does with what arrives before any rule is applied
//! (issue 15): half-sent requests, trickled bodies, too many connections
//! or requests at once, NUL characters, and the headers of a TLS reverse
//! proxy (believed from the configured one only).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use common::*;
use portal_visitor::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tsunagu_server::api::{Limits, ServerState, router};

/// The server on a loopback socket with `limits`; its address.
async fn serving(t: &TestServer, limits: Limits) -> (SocketAddr, axum_server::Handle<SocketAddr>) {
    let state = ServerState {
        limits: limits.clone(),
        ..ServerState::new(t.pool.clone())
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let handle = axum_server::Handle::new();
    let serving = handle.clone();
    tokio::spawn(async move {
        tsunagu_server::api::serve(listener, None, router(state), &limits, serving)
            .await
            .unwrap();
    });
    (address, handle)
}

fn short_limits() -> Limits {
    Limits {
        header_read: Duration::from_secs(1),
        request: Duration::from_secs(3),
        body_pause: Duration::from_secs(1),
        ..Limits::default()
    }
}

/// Everything the server sends until it closes the connection, and how
/// long that took; `None` if it is still open after `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<(String, Duration)> {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut received)).await;
    match read {
        Err(_) => None,
        // A reset is closed too.
        Ok(_) => Some((
            String::from_utf8_lossy(&received).into_owned(),
            started.elapsed(),
        )),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_request_is_closed() {
    let t = server().await;
    let (address, _handle) = serving(&t, short_limits()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /portal/login HTTP/1.1\r\nHost: tsunagu\r\n")
        .await
        .unwrap();
    let closed = until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "a half-sent request head is left open");

    // A connection kept alive after an answer, then idle, is closed too.
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /portal/login HTTP/1.1\r\nHost: tsunagu\r\n\r\n")
        .await
        .unwrap();
    let closed = until_closed(&mut stream, Duration::from_secs(10)).await;
    let (received, _) = closed.expect("an idle kept-alive connection is left open");
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_or_trickles_is_cut_off() {
    let t = server().await;
    let (address, _handle) = serving(&t, short_limits()).await;
    let head = b"POST /portal/login HTTP/1.1\r\nHost: tsunagu\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n";

    // Stops after a few bytes.
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(head).await.unwrap();
    stream.write_all(b"login=sato").await.unwrap();
    let (received, _) = until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("a stopped body is waited for indefinitely");
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
    assert!(received.contains("送信が途中で止まりました"), "{received}");

    // One byte at a time, each well within the pause: the request's own
    // time runs out.
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(head).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if writer.write_all(b"a").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let started = Instant::now();
    let mut received = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(15), reader.read_to_end(&mut received)).await;
    trickle.abort();
    assert!(
        read.is_ok(),
        "a trickled body is taken for as long as it comes"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let received = String::from_utf8_lossy(&received);
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_limit_are_closed_at_once() {
    let t = server().await;
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    let (address, _handle) = serving(&t, limits).await;
    let _first = TcpStream::connect(address).await.unwrap();
    let _second = TcpStream::connect(address).await.unwrap();
    // Give the server the moment to take both.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = TcpStream::connect(address).await.unwrap();
    third
        .write_all(b"GET /portal/login HTTP/1.1\r\nHost: tsunagu\r\n\r\n")
        .await
        .ok();
    let (received, _) = until_closed(&mut third, Duration::from_secs(5))
        .await
        .expect("the third connection is served or kept waiting");
    assert_eq!(received, "", "closed without an answer");
    // Once one closes, a new one is served.
    drop(_first);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fourth = TcpStream::connect(address).await.unwrap();
    fourth
        .write_all(b"GET /portal/login HTTP/1.1\r\nHost: tsunagu\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (received, _) = until_closed(&mut fourth, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_limit_in_flight_are_turned_away_at_once() {
    let t = server().await;
    let limits = Limits {
        max_in_flight: 1,
        ..Limits::default()
    };
    let (address, _handle) = serving(&t, limits).await;
    // One request in flight: its handler waits for the rest of its body.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"POST /portal/login HTTP/1.1\r\nHost: tsunagu\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nlogin=")
        .await
        .unwrap();
    let mut answers = Vec::new();
    for _ in 0..20 {
        let mut other = TcpStream::connect(address).await.unwrap();
        other
            .write_all(b"GET /portal/login HTTP/1.1\r\nHost: tsunagu\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let (received, took) = until_closed(&mut other, Duration::from_secs(5))
            .await
            .unwrap();
        if received.starts_with("HTTP/1.1 503") {
            assert!(received.contains("混み合って"), "{received}");
            assert!(took < Duration::from_secs(2), "turned away at once");
            return;
        }
        answers.push(received.lines().next().unwrap_or_default().to_string());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut first = [0u8; 200];
    let n = tokio::time::timeout(Duration::from_secs(1), slow.read(&mut first)).await;
    panic!(
        "never turned away: {answers:?}; the slow one: {n:?} {}",
        String::from_utf8_lossy(&first)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_are_refused_with_a_coded_answer() {
    let t = server().await;
    let csrf = login_csrf(&t.app).await;
    let page = post_login(&t.app, &csrf, "sa\0to", "password").await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains("NUL"), "{}", page.body);

    let page = send(
        &t.app,
        "GET",
        "/portal/login?expired=%00",
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(page.status, 400);

    // The device API: a coded refusal, and no device enrolled.
    let org = tsunagu_server::admin::create_organisation(
        &t.pool,
        tsunagu_protocol::OrgKind::Clinic,
        "さくら内科",
        "admin:test",
    )
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
            serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "code": code, "device_name": "PC\u{0}1"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "malformed");
    let (status, body) = t
        .post_json(
            "/v1/enroll",
            None,
            serde_json::json!({"version": tsunagu_protocol::PROTOCOL_VERSION, "code": code, "device_name": "PC1"}),
        )
        .await;
    assert_eq!(status, 200, "the code still works: {body}");
}

/// The router as served behind a proxy at 192.0.2.1 (every in-process
/// request comes from there), trusted or not.
fn behind_proxy(t: &TestServer, trusted: bool) -> axum::Router {
    let state = ServerState {
        trusted_proxy: trusted.then(|| [192, 0, 2, 1].into()),
        ..ServerState::new(t.pool.clone())
    };
    router(state).layer(MockConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000))))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_trusted_proxy_says_https_and_who_the_client_is() {
    let t = server().await;
    let https = [("x-forwarded-proto", "https")];

    // The trusted proxy terminated TLS: cookies keep Secure, and HSTS.
    let app = behind_proxy(&t, true);
    let page = send(&app, "GET", "/portal/login", &https, Body::empty()).await;
    assert!(
        page.set_cookies.iter().all(|c| c.contains("Secure")),
        "{:?}",
        page.set_cookies
    );
    assert!(page.headers.contains_key("strict-transport-security"));
    let page = send(&app, "GET", "/portal/login", &[], Body::empty()).await;
    assert!(page.set_cookies.iter().all(|c| !c.contains("Secure")));
    assert!(!page.headers.contains_key("strict-transport-security"));

    // Anyone else saying so is not believed.
    let app = behind_proxy(&t, false);
    let page = send(&app, "GET", "/portal/login", &https, Body::empty()).await;
    assert!(page.set_cookies.iter().all(|c| !c.contains("Secure")));
    assert!(!page.headers.contains_key("strict-transport-security"));

    // The address counted is the one the trusted proxy saw (the last it
    // appended), not what the client claims; others' headers are ignored.
    for (trusted, expected) in [(true, "203.0.113.5"), (false, "192.0.2.1")] {
        let app = behind_proxy(&t, trusted);
        let csrf = login_csrf(&app).await;
        let page = send(
            &app,
            "POST",
            "/portal/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &format!("tsunagu_login={csrf}")),
                ("x-forwarded-for", "10.9.9.9, 203.0.113.5"),
            ],
            form(&[("login", "nobody"), ("password", "x"), ("csrf", &csrf)]),
        )
        .await;
        assert_eq!(page.status, 401);
        let addresses: Vec<String> =
            sqlx::query_scalar("SELECT address FROM login_failures ORDER BY at DESC LIMIT 1")
                .fetch_all(&t.owner)
                .await
                .unwrap();
        assert_eq!(addresses, [expected]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_over_https_cookies_are_secure_and_hsts_is_sent() {
    let t = server().await;
    let state = ServerState {
        secure_cookies: true,
        ..ServerState::new(t.pool.clone())
    };
    let app = router(state).layer(MockConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000))));
    let page = send(&app, "GET", "/portal/login", &[], Body::empty()).await;
    assert!(!page.set_cookies.is_empty());
    assert!(
        page.set_cookies.iter().all(|c| c.contains("Secure")),
        "{:?}",
        page.set_cookies
    );
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=31536000"
    );
}
