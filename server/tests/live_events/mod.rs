//! Reading a portal page's live stream (server-sent events) in a test.

/// The server's router with its live hub listening, as `serve` starts it;
/// keep the handle while the test runs.
pub fn live_router(pool: &sqlx::PgPool) -> (axum::Router, tokio::task::JoinHandle<()>) {
    let state = tsunagu_server::api::ServerState::new(pool.clone());
    let listening = state.live.start(pool.clone());
    let app =
        tsunagu_server::api::router(state).layer(axum::extract::connect_info::MockConnectInfo(
            std::net::SocketAddr::from(([192, 0, 2, 1], 40000)),
        ));
    (app, listening)
}

/// Opens `path` as the session `token` and reads its first event,
/// `ready`; the stream and what is buffered of it.
pub async fn follow(app: &axum::Router, token: &str, path: &str) -> (axum::body::Body, String) {
    use tower::ServiceExt;
    let request = axum::http::Request::get(path)
        .header("cookie", format!("tsunagu_session={token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    let mut buffer = String::new();
    assert_eq!(next_event(&mut body, &mut buffer).await.unwrap().0, "ready");
    (body, buffer)
}

/// The next server-sent event's name and data, within five seconds.
pub async fn next_event(
    body: &mut axum::body::Body,
    buffer: &mut String,
) -> Option<(String, String)> {
    use http_body_util::BodyExt;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            };
            if let Some(event) = field("event:") {
                return Some((event, field("data:").unwrap_or_default()));
            }
            continue;
        }
        let left = deadline.checked_duration_since(std::time::Instant::now())?;
        let frame = tokio::time::timeout(left, body.frame()).await.ok()??.ok()?;
        if let Ok(data) = frame.into_data() {
            buffer.push_str(&String::from_utf8_lossy(&data));
        }
    }
}
