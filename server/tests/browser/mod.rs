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
