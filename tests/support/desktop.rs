//! Driving the real desktop app under Xvfb through tauri-driver and
//! WebKitWebDriver: the driver process, a session on the app, and the
//! waits, clicks and OS-dialog answers the end-to-end tests share.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        let port = free_port();
        let native_port = free_port();
        let child = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .spawn()
            .expect("tauri-driver should start (installed by scripts/setup.sh)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < WAIT,
                "tauri-driver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: tauri-driver then stops its WebKitWebDriver too.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

pub fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn open_app(driver: &Driver, data_dir: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({
            "application": env!("CARGO_BIN_EXE_tsunagu"),
            "args": [format!("--data-dir={}", data_dir.display())],
        }),
    );
    // tauri-driver accepts connections before its WebKitWebDriver is up and
    // then drops the first requests: try again for a few seconds.
    let started = Instant::now();
    loop {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return client,
            Err(
                fantoccini::error::NewSessionError::Lost(_)
                | fantoccini::error::NewSessionError::Failed(_)
                | fantoccini::error::NewSessionError::FailedC(_),
            ) if started.elapsed() < WAIT => {
                eprintln!("e2e: WebDriver not ready yet; retrying");
            }
            Err(e) => panic!("a WebDriver session with the desktop app: {e:?}"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

pub async fn fill(client: &Client, css: &str, text: &str) {
    let field = match client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(field) => field,
        Err(e) => {
            save_failure_screenshot();
            panic!("{css} never appeared: {e:?}");
        }
    };
    // As a person does: select what is there and type over it. Clearing
    // first (WebDriver's clear) leaves the field empty while the app still
    // holds the old value, and a re-render in that moment (a poll, a
    // search answering) puts the old value back before the typing lands
    // after it. Typing over a selection changes the value in one input
    // event. Should the driver move the caret and the typing append, fall
    // back to clearing; type again until the field holds what was typed (a
    // field that reformats its value may never match; the waits that
    // follow judge that).
    for attempt in 0..4 {
        if attempt % 2 == 0 {
            client
                .execute(
                    "const e = document.querySelector(arguments[0]); e.focus(); try { e.select(); } catch (_) {}",
                    vec![json!(css)],
                )
                .await
                .unwrap();
            let keys = if text.is_empty() { "\u{E003}" } else { text };
            field.send_keys(keys).await.unwrap();
        } else {
            field.clear().await.unwrap();
            field.send_keys(text).await.unwrap();
        }
        if field.prop("value").await.ok().flatten().as_deref() == Some(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the first patient of the list by a DOM click: the worklist above
/// the list fills in after the page appears (the backup reminder among
/// others), and a WebDriver click aimed at where the row was can land on
/// what moved there.
pub async fn open_first_patient(client: &Client) {
    press(client, "tr[data-testid=patient-row] button").await;
}

pub async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The element's textContent ("" when absent), read by script: WebKit's
/// WebDriver text command can stall while the page re-renders.
pub async fn text_content(client: &Client, css: &str) -> String {
    let value = client
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            vec![json!(css)],
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_string()
}

/// Waits until the text of `css` contains `needle`; returns the text.
pub async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
    let started = Instant::now();
    loop {
        let text = text_content(client, css).await;
        if text.contains(needle) {
            return text;
        }
        if started.elapsed() > WAIT {
            save_failure_screenshot();
            panic!("{css} never contained {needle:?}; last: {text:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `css` matches exactly `n` elements.
pub async fn wait_for_count(client: &Client, css: &str, n: usize) {
    let started = Instant::now();
    loop {
        let found = client
            .execute(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap_or_default() as usize;
        if found == n {
            return;
        }
        if started.elapsed() > WAIT {
            save_failure_screenshot();
            panic!("expected {n} of {css}, found {found}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The display's picture, not WebDriver's: after a desktop notification
/// WebDriver's screenshot may never return, and then the step's own message
/// would be lost behind the journey's time limit.
pub fn save_failure_screenshot() {
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(artifacts().join("e2e-failure.png"))
        .status();
}

pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
/// The whole X display (the app's window) as PNG, with ImageMagick.
pub fn screenshot_display(path: &Path) {
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .expect("import (imagemagick, installed by scripts/setup.sh)");
    assert!(status.success(), "import failed: {status}");
}

/// Clicks a button by script. After a <select> has been changed, WebKit's
/// WebDriver click on the next button can stall indefinitely; the DOM click
/// runs the same handlers.
pub async fn press(client: &Client, css: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    client
        .execute(
            "document.querySelector(arguments[0]).click();",
            vec![json!(css)],
        )
        .await
        .unwrap();
}

/// Picks an option of a <select>. Clicking it would open WebKitGTK's
/// native popup menu, which WebDriver cannot reach (the session stalls),
/// so the value is set and the change event sent as the browser would.
pub async fn choose(client: &Client, select: &str, value: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(select))
        .await
        .unwrap();
    // The options may still be loading (the directory comes from the app):
    // a value set before its option exists is silently dropped.
    wait_for_count(client, &format!("{select} option[value=\"{value}\"]"), 1).await;
    client
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(select), json!(value)],
        )
        .await
        .unwrap();
}

/// Waits until the input `css` holds `value`.
pub async fn wait_for_value(client: &Client, css: &str, value: &str) {
    let started = Instant::now();
    loop {
        let found = client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.value : '';",
                vec![json!(css)],
            )
            .await
            .unwrap();
        if found.as_str() == Some(value) {
            return;
        }
        if started.elapsed() > WAIT {
            save_failure_screenshot();
            panic!("{css} never held {value:?}; last: {found}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn answer_save_dialog(target: PathBuf) -> std::thread::JoinHandle<()> {
    answer_file_dialog("PDFを保存", target, false)
}

/// In another thread: waits for the GTK file dialog titled `title` on this
/// display, types the absolute path (into the name field, or for an open
/// dialog the location bar) and presses Return (xdotool).
pub fn answer_file_dialog(
    title: &'static str,
    target: PathBuf,
    open: bool,
) -> std::thread::JoinHandle<()> {
    let kind = if open { Dialog::Open } else { Dialog::Save };
    std::thread::spawn(move || type_into_dialog(title, &target, kind))
}

/// As [`answer_file_dialog`] for GTK's folder dialog, which does not take a
/// typed folder name: it goes into the folder (a path ending in `/`), then
/// a second Return chooses the folder it is in.
pub fn answer_folder_dialog(title: &'static str, folder: PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || type_into_dialog(title, &folder, Dialog::Folder))
}

#[derive(Clone, Copy, PartialEq)]
enum Dialog {
    Save,
    Open,
    Folder,
}

fn type_into_dialog(title: &str, target: &Path, kind: Dialog) {
    let xdotool = |args: &[&str]| {
        Command::new("xdotool")
            .args(args)
            .output()
            .expect("xdotool (installed by scripts/setup.sh)")
    };
    let started = Instant::now();
    let window = loop {
        let found = xdotool(&["search", "--onlyvisible", "--name", title]);
        let id = String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .map(str::to_string);
        if let Some(id) = id {
            break id;
        }
        assert!(
            started.elapsed() < WAIT,
            "the {title} dialog never appeared"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    // Focus by X input focus: there is no window manager under Xvfb.
    xdotool(&["windowfocus", "--sync", &window]);
    if kind == Dialog::Folder {
        // Out of 「最近使用したファイル」, where a folder dialog ignores a typed path.
        xdotool(&["key", "--clearmodifiers", "alt+Home"]);
        std::thread::sleep(Duration::from_millis(500));
    }
    if kind != Dialog::Save {
        xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut typed = target.to_str().unwrap().to_string();
    if kind == Dialog::Folder {
        typed.push('/');
    }
    xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
    xdotool(&["type", "--clearmodifiers", "--delay", "10", "--", &typed]);
    // GTK's file-name completion can swallow a Return typed at once.
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&["key", "--clearmodifiers", "Delete", "Return"]);
    if kind == Dialog::Folder {
        std::thread::sleep(Duration::from_millis(700));
        xdotool(&["key", "--clearmodifiers", "Return"]);
    }
}

/// The first start on an empty data folder: 新しく始める, the
/// administrator's account, then the clinic profile form filled in and
/// saved (さくら内科クリニック). Ends on the first start's backup step.
pub async fn start_new_clinic(client: &Client) {
    wait_for_text(client, "#start-screen", "新しく始める").await;
    screenshot_display(&artifacts().join("e2e-start.png"));
    press(client, "#start-new").await;
    // The administrator's account comes first: nothing opens without one.
    fill(
        client,
        "form#first-account-form input[name=displayName]",
        "佐藤　花子",
    )
    .await;
    fill(client, "form#first-account-form input[name=login]", LOGIN).await;
    fill(
        client,
        "form#first-account-form input[name=password]",
        PASSWORD,
    )
    .await;
    fill(
        client,
        "form#first-account-form input[name=confirmation]",
        PASSWORD,
    )
    .await;
    screenshot_display(&artifacts().join("e2e-first-account.png"));
    press(client, "#create-first-account").await;
    fill(
        client,
        "form#clinic-form input[name=name]",
        "さくら内科クリニック",
    )
    .await;
    fill(
        client,
        "form#clinic-form input[name=postalCode]",
        "171-0022",
    )
    .await;
    fill(
        client,
        "form#clinic-form input[name=address]",
        "東京都豊島区南池袋2-10-5",
    )
    .await;
    fill(client, "form#clinic-form input[name=phone]", "03-1234-5678").await;
    fill(
        client,
        "form#clinic-form input[name=doctorName]",
        "佐藤　花子",
    )
    .await;
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(artifacts().join("e2e-clinic-profile.png"), png))
        .ok();
    click(client, "form#clinic-form button[type=submit]").await;
    wait_for_text(client, "#first-backup-setup", "バックアップを設定").await;
}

/// The first start's backup step left for later: the app opens.
pub async fn finish_setup(client: &Client) {
    press(client, "#finish-setup").await;
    wait_for_text(client, "#clinic-name", "さくら内科クリニック").await;
}

/// The administrator the first start makes (a doctor).
pub const LOGIN: &str = "sato";
pub const PASSWORD: &str = "さくら内科の院長です";

/// Signs in as the administrator on the sign-in screen.
pub async fn sign_in(client: &Client) {
    fill(client, "form#sign-in-form input[name=login]", LOGIN).await;
    fill(client, "form#sign-in-form input[name=password]", PASSWORD).await;
    press(client, "#sign-in-submit").await;
}
