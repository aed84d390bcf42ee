#![allow(dead_code, reason = "each test binary uses its own share")]

//! Headless Chromium through ChromeDriver, spoken to over plain WebDriver
//! HTTP: enough to open portal pages with a session cookie and photograph
//! them into `artifacts/` at the repository's root. Tests using it are
//! `#[ignore]`d: they need Debian's `chromium` and `chromium-driver`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// ChromeDriver with one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    pub async fn start() -> Browser {
        assert!(
            Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
            "no Chromium/ChromeDriver: make test installs chromium and chromium-driver"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        browser.new_session().await;
        browser
    }

    async fn new_session(&mut self) {
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-sync",
                     "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.display())]
        }}}});
        for _ in 0..100 {
            if let Ok(answer) = self.call("POST", "/session", Some(&caps)).await
                && let Some(id) = answer["value"]["sessionId"].as_str()
            {
                self.base = format!("{}/session/{id}", self.base);
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("ChromeDriver did not start a browser");
    }

    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> reqwest::Result<Value> {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "POST" => self.http.post(url).json(body.unwrap_or(&json!({}))),
            "DELETE" => self.http.delete(url),
            _ => self.http.get(url),
        };
        request.send().await?.json().await
    }

    pub async fn open(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({ "url": url })))
            .await
            .unwrap();
    }

    /// Signs the browser in as the portal session `token` (on `origin`).
    pub async fn sign_in_as(&self, origin: &str, token: &str) {
        self.open(&format!("{origin}/portal/login")).await;
        self.call("DELETE", "/cookie", None).await.unwrap();
        let cookie =
            json!({"cookie": {"name": "tsunagu_session", "value": token, "path": "/portal"}});
        let answer = self.call("POST", "/cookie", Some(&cookie)).await.unwrap();
        assert!(answer["value"].is_null(), "{answer}");
    }

    /// The first element `css` selects, by its WebDriver id.
    async fn element(&self, css: &str) -> String {
        let answer = self
            .call(
                "POST",
                "/element",
                Some(&json!({"using": "css selector", "value": css})),
            )
            .await
            .unwrap();
        answer["value"]["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {answer}"))
            .to_string()
    }

    /// Types `text` into the element `css` selects (a file input takes a
    /// path).
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        let answer = self
            .call(
                "POST",
                &format!("/element/{id}/value"),
                Some(&json!({ "text": text })),
            )
            .await
            .unwrap();
        assert!(answer["value"].is_null(), "{css}: {answer}");
    }

    pub async fn click(&self, css: &str) {
        let id = self.element(css).await;
        let answer = self
            .call("POST", &format!("/element/{id}/click"), None)
            .await
            .unwrap();
        assert!(answer["value"].is_null(), "{css}: {answer}");
    }

    /// The page's text as shown.
    pub async fn text(&self) -> String {
        let script = json!({"script": "return document.body.innerText", "args": []});
        let answer = self
            .call("POST", "/execute/sync", Some(&script))
            .await
            .unwrap();
        answer["value"].as_str().unwrap_or_default().to_string()
    }

    /// Opens `url` until it shows `wanted`: a page left behind may reload
    /// itself on live news just as the browser leaves it, which cancels
    /// the navigation.
    pub async fn open_showing(&self, url: &str, wanted: &str) -> String {
        for _ in 0..3 {
            self.open(url).await;
            for _ in 0..30 {
                let text = self.text().await;
                if text.contains(wanted) {
                    return text;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        panic!("{url} never showed {wanted}: {}", self.text().await);
    }

    /// Waits (ten seconds at most) until the page shows `wanted`.
    pub async fn wait_for_text(&self, wanted: &str) -> String {
        for _ in 0..100 {
            let text = self.text().await;
            if text.contains(wanted) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {wanted}: {}", self.text().await);
    }

    /// The page as shown, saved as `artifacts/<name>`.
    pub async fn photograph(&self, name: &str) -> PathBuf {
        let answer = self.call("GET", "/screenshot", None).await.unwrap();
        let png = base64(answer["value"].as_str().expect("a screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let path = artifacts().join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

/// The server on a loopback socket, with its live news listening, as
/// `serve` runs it: its origin.
pub async fn serving(
    t: &crate::common::TestServer,
) -> (String, axum_server::Handle<std::net::SocketAddr>) {
    use tsunagu_server::api::{Limits, ServerState, router};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let handle = axum_server::Handle::new();
    let serving = handle.clone();
    let state = ServerState::new(t.pool.clone());
    let _listening = state.live.start(t.pool.clone());
    tokio::spawn(async move {
        let limits = Limits::default();
        tsunagu_server::api::serve(listener, None, router(state), &limits, serving)
            .await
            .unwrap();
    });
    (origin, handle)
}

/// Standard base64 (WebDriver's screenshots).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}
