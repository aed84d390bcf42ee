//! Reading a portal page's live stream (server-sent events) in a test.

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
