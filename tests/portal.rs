//! The portal end to end: a hospital liaison officer in headless Chromium
//! (Debian's, through ChromeDriver) sets up the second factor with a TOTP
//! code computed here, replaces the first password, opens the referral by
//! the tracking code printed on the letter, records 入院 then 退院 to
//! another home-care doctor — and the physician's desktop core, synced with
//! the same real server on a real PostgreSQL, shows it on its board and
//! worklist. Then the security checks over plain HTTP: CSRF, expired
//! sessions, another hospital's referral, guessing codes, sign-in limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a test fails by panicking; it runs against the real clock; its notes go to the test output"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tsunagu_app::{BoardFilter, ReferralStatus};
use tsunagu_protocol::{OrgKind, Organisation};
use tsunagu_server::users::{Role, create_user};

use support::clinic::{Clinic, clinic_app, consent, keyring};
use support::region::{Durability, Region};
use support::visitor::{Visitor, totp_now};
use tsunagu_testkit::fixtures as common;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// ChromeDriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Driver {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        panic!("no Chromium/ChromeDriver: make test installs chromium and chromium-driver");
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    Driver { child, port }
}

async fn browser(driver: &Driver) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1100",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("ChromeDriver did not start");
}

async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.wait().for_element(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && text.contains(needle)
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(artifacts().join("portal-failure.png"), png);
    }
    panic!("{css} never showed {needle:?}");
}

async fn photograph(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join(name), png).unwrap();
}

struct World {
    region: Region,
    clinic: Clinic,
    hospital: Organisation,
    other_hospital: Organisation,
    desk: Organisation,
    patient_id: String,
    referral: String,
    tracking_code: String,
}

/// A region with a clinic that referred 山田 太郎 (with consent) to a
/// registered hospital, synced.
async fn world(keys: &tsunagu_app::KeyringKeys) -> World {
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let hospital = region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let other_hospital = region.organisation(OrgKind::Hospital, "池袋記念病院").await;
    let desk = region.organisation(OrgKind::Desk, "在宅医療相談窓口").await;
    let clinic = clinic_app(keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;
    // The first sync brings the registered hospitals down.
    app.sync_now().await.unwrap();
    let patient = common::create(app, &common::yamada()).await;
    let patient_id = patient.id.to_string();
    app.save_consent(&patient_id, None, &consent(true, true, ""))
        .await
        .unwrap();
    let referral = common::refer(app, &patient_id, "豊島中央病院").await;
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.refused, 0);
    let tracking_code = app.referral(&referral).await.unwrap().tracking_code;
    World {
        region,
        clinic,
        hospital,
        other_hospital,
        desk,
        patient_id,
        referral,
        tracking_code,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring and Chromium/ChromeDriver: run `make test`"]
async fn a_liaison_records_admission_and_discharge_and_the_physician_sees_it() {
    let keys = keyring();
    let driver = chromedriver();
    let w = world(&keys).await;
    let liaison = create_user(
        &w.region.pool,
        w.hospital.id,
        "tanaka",
        "田中 一郎",
        Role::Liaison,
        "admin:test",
    )
    .await
    .unwrap();
    let client = browser(&driver).await;
    let portal = w.region.url();

    // First sign-in: the first password, then the second factor set up.
    client.goto(&format!("{portal}/portal")).await.unwrap();
    fill(&client, "#login", "tanaka").await;
    fill(&client, "#password", &liaison.initial_password).await;
    photograph(&client, "portal-login.png").await;
    click(&client, "#sign-in").await;
    let secret = text_of(&client, "#totp-secret").await;
    assert!(
        client.find(Locator::Css(".qr svg")).await.is_ok(),
        "a QR code to scan"
    );
    photograph(&client, "portal-second-factor-setup.png").await;
    fill(&client, "#code", "000000").await;
    click(&client, "#confirm").await;
    wait_for_text(&client, ".error", "確認コードが正しくありません").await;
    fill(&client, "#code", &totp_now(&secret, "tanaka")).await;
    click(&client, "#confirm").await;
    let codes = text_of(&client, "#recovery-codes").await;
    assert_eq!(codes.lines().count(), 10, "{codes}");
    click(&client, "#continue").await;
    // The first password must go before anything else.
    wait_for_text(&client, "main", "最初のパスワード").await;
    fill(&client, "#current", &liaison.initial_password).await;
    fill(&client, "#new", "hospital-liaison-2026").await;
    fill(&client, "#confirm", "hospital-liaison-2026").await;
    click(&client, "#change").await;
    wait_for_text(&client, "main", "パスワードを変更しました").await;
    wait_for_text(&client, "main", "山田").await;
    photograph(&client, "portal-hospital.png").await;

    // A mistyped code: 見つかりません, with a hint.
    fill(&client, "#tracking-code", "ABC-DEF-GHJ").await;
    click(&client, "#open-referral").await;
    wait_for_text(&client, ".error", "見つかりません").await;
    wait_for_text(&client, ".hint", "紹介状の右上").await;

    // The code from the letter, typed in lower case without hyphens.
    let typed = w.tracking_code.replace('-', "").to_lowercase();
    fill(&client, "#tracking-code", &typed).await;
    click(&client, "#open-referral").await;
    wait_for_text(&client, "#patient-name", "山田").await;
    let doctor = text_of(&client, "#family-doctor").await;
    assert!(doctor.contains("佐藤　花子"), "{doctor}");
    assert!(doctor.contains("03-1234-5678"), "{doctor}");
    assert!(text_of(&client, "main").await.contains("精査加療"));
    photograph(&client, "portal-referral.png").await;

    // 入院, then (refused: no date) and 退院 to another home-care doctor.
    click(&client, "#kind-admitted").await;
    fill(&client, "#ward", "5階東病棟").await;
    fill(&client, "#attending", "鈴木").await;
    photograph(&client, "portal-event-form.png").await;
    click(&client, "#record").await;
    wait_for_text(&client, "#current-status", "入院中").await;
    wait_for_text(&client, "#history", "5階東病棟").await;
    click(&client, "#kind-discharged").await;
    client
        .find(Locator::Css("#destination"))
        .await
        .unwrap()
        .select_by_value("other_doctor")
        .await
        .unwrap();
    click(&client, "#record").await;
    wait_for_text(&client, "#form-error", "在宅医の名前").await;
    fill(&client, "#destination-name", "池袋在宅クリニック 田中医師").await;
    fill(&client, "#note", "訪問看護は池袋ステーションが担当します。").await;
    click(&client, "#record").await;
    wait_for_text(&client, "#current-status", "退院").await;
    wait_for_text(&client, "#history", "池袋在宅クリニック 田中医師").await;
    // A word for the family doctor on its own: the status stays 退院.
    click(&client, "#kind-note").await;
    fill(&client, "#note", "退院時サマリーは来週郵送します。").await;
    click(&client, "#record").await;
    wait_for_text(&client, "#history", "退院時サマリーは来週郵送します").await;
    wait_for_text(&client, "#current-status", "退院").await;
    photograph(&client, "portal-referral-discharged.png").await;
    client.close().await.unwrap();

    // The physician's app, at its next sync.
    let app = &w.clinic.app;
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.news, 3, "{report:?}");
    let board = app.referral_board(&BoardFilter::default()).await.unwrap();
    let row = board
        .rows
        .iter()
        .find(|r| r.referral_id.to_string() == w.referral)
        .expect("the referral is on the board");
    assert_eq!(row.status, ReferralStatus::Discharged);
    let view = app.referral(&w.referral).await.unwrap();
    let where_now = view.where_now.label_ja();
    assert!(
        where_now.contains("池袋在宅クリニック 田中医師"),
        "{where_now}"
    );
    let worklist = app.worklist().await.unwrap();
    let item = worklist
        .iter()
        .find(|i| i.title == "自院以外へ退院しました")
        .expect("the worklist raises the discharge elsewhere");
    assert!(
        format!("{item:?}").contains("池袋在宅クリニック 田中医師"),
        "{item:?}"
    );
    // Seen and changed by the liaison, in the audit log.
    let by_liaison = format!(
        "SELECT count(*) FROM audit_log WHERE actor = 'user:{}' AND entity_id = '{}'
         AND action IN ('view', 'append-event')",
        liaison.id, w.referral
    );
    assert!(w.region.count(&by_liaison).await >= 3);
    let _ = (&w.patient_id, &w.other_hospital);
}

/// An account with its password and second factor already set, as after
/// its first sign-in.
async fn person(region: &Region, organisation: &Organisation, login: &str, role: Role) -> String {
    let user = create_user(
        &region.pool,
        organisation.id,
        login,
        "試験 利用者",
        role,
        "admin:test",
    )
    .await
    .unwrap();
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let hash = tsunagu_server::users::hash_password("a long enough password").unwrap();
    sqlx::query(
        "UPDATE users SET password_hash = $2, must_change_password = false, totp_secret = $3
         WHERE id = $1",
    )
    .bind(user.id)
    .bind(hash)
    .bind(secret)
    .execute(&region.owner)
    .await
    .unwrap();
    secret.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn the_portal_refuses_forged_forms_expired_sessions_strangers_and_guessing() {
    let keys = keyring();
    let w = world(&keys).await;
    let region = &w.region;
    let secret = person(region, &w.hospital, "liaison.a", Role::Liaison).await;
    let stranger_secret = person(region, &w.other_hospital, "liaison.b", Role::Liaison).await;
    let referral_page = format!("/portal/referrals/{}", w.referral);

    // Signed in with a TOTP code computed here.
    let mut liaison = Visitor::new(&region.url());
    let csrf = liaison
        .sign_in("liaison.a", "a long enough password", &secret)
        .await;
    let page = liaison.get("/portal/lookup").await;
    assert_eq!(page.status, 405, "lookups are posted, never in the URL");
    let page = liaison
        .post(
            "/portal/lookup",
            &[("code", w.tracking_code.as_str()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some(referral_page.as_str()));
    let page = liaison.get(&referral_page).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("山田"));
    assert!(!page.body.contains("<script"), "no script at all");

    // The headers that keep the page to itself.
    let response = reqwest::get(format!("{}/portal/login", region.url()))
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    // A form without its CSRF token, or with another one: refused, nothing written.
    let events = "SELECT count(*) FROM referral_events";
    let before = region.count(events).await;
    let today = common::today().to_string();
    let admitted = [
        ("kind", "admitted"),
        ("date", today.as_str()),
        ("ward", "3階西病棟"),
    ];
    let page = liaison
        .post(&format!("{referral_page}/events"), &admitted)
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("フォームの有効期限が切れました"));
    let other_token = "0".repeat(64);
    let mut forged = admitted.to_vec();
    forged.push(("csrf", &other_token));
    let page = liaison
        .post(&format!("{referral_page}/events"), &forged)
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(region.count(events).await, before);

    // An event the status machine refuses: a clear message on the form.
    let returned = [
        ("kind", "deceased"),
        ("date", "2020-01-01"),
        ("csrf", csrf.as_str()),
    ];
    let page = liaison
        .post(&format!("{referral_page}/events"), &returned)
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("前の記録"), "{}", page.body);
    let page = liaison
        .post(
            &format!("{referral_page}/events"),
            &[
                ("kind", "admitted"),
                ("date", "2099-01-01"),
                ("ward", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("未来の日付"));
    assert_eq!(region.count(events).await, before);

    // Another hospital's liaison: refused, and the refusal audited.
    let mut stranger = Visitor::new(&region.url());
    let stranger_csrf = stranger
        .sign_in("liaison.b", "a long enough password", &stranger_secret)
        .await;
    let page = stranger.get(&referral_page).await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("山田"));
    let page = stranger
        .post(
            &format!("{referral_page}/events"),
            &[
                ("kind", "received"),
                ("date", today.as_str()),
                ("csrf", &stranger_csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    let page = stranger
        .post(
            "/portal/lookup",
            &[("code", w.tracking_code.as_str()), ("csrf", &stranger_csrf)],
        )
        .await;
    // Held by another hospital: answered as a code that does not exist
    // (and counted as a miss), so a guesser learns nothing.
    assert_eq!(page.status, 404, "addressed to another hospital");
    assert!(page.body.contains("この追跡コードの紹介はありません"));
    assert_eq!(region.count(events).await, before);
    let refusals = format!(
        "SELECT count(*) FROM audit_log WHERE entity_id = '{}'
         AND action IN ('refused-view', 'refused-append', 'refused-claim')",
        w.referral
    );
    assert_eq!(region.count(&refusals).await, 3);

    // Guessing codes: misses are counted (the one above too), then
    // lookups are refused a while.
    for i in 1..tsunagu_server::portal::MAX_LOOKUP_MISSES {
        let guess = format!("ZZZ-ZZZ-ZZ{}", i % 10);
        let page = stranger
            .post(
                "/portal/lookup",
                &[("code", &guess), ("csrf", &stranger_csrf)],
            )
            .await;
        assert_eq!(page.status, 404);
        assert!(page.body.contains("見つかりません"));
    }
    let page = stranger
        .post(
            "/portal/lookup",
            &[("code", w.tracking_code.as_str()), ("csrf", &stranger_csrf)],
        )
        .await;
    assert_eq!(page.status, 429);

    // An idle session expires: back to sign-in.
    sqlx::query("UPDATE portal_sessions SET last_seen_at = now() - make_interval(mins => $1 + 1)")
        .bind(tsunagu_server::portal::IDLE_MINUTES)
        .execute(&region.owner)
        .await
        .unwrap();
    let page = liaison.get(&referral_page).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/portal/login?expired=1"));
    let page = liaison
        .post(&format!("{referral_page}/events"), &admitted)
        .await;
    assert_eq!(page.status, 303);

    // Wrong passwords: refused alike for a stranger login, then rate-limited.
    let mut guesser = Visitor::new(&region.url());
    for _ in 0..tsunagu_server::portal::MAX_LOGIN_FAILURES {
        let page = guesser.get("/portal/login").await;
        let csrf = Visitor::csrf(&page);
        let page = guesser
            .post(
                "/portal/login",
                &[
                    ("login", "liaison.a"),
                    ("password", "wrong"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(page.status, 401);
        assert!(page.body.contains("ログインIDまたはパスワードが違います"));
    }
    let page = guesser.get("/portal/login").await;
    let csrf = Visitor::csrf(&page);
    let page = guesser
        .post(
            "/portal/login",
            &[
                ("login", "liaison.a"),
                ("password", "a long enough password"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 429, "even the right password, for a while");
}

/// The desk and the administrator at work, a transfer that hands the
/// referral on (the hospital the patient left loses it), a note on its own
/// and an entry voided — and the physician's app after its next sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn the_desk_and_the_administrator_work_and_a_transfer_hands_the_referral_on() {
    let keys = keyring();
    let w = world(&keys).await;
    let region = &w.region;
    let a_secret = person(region, &w.hospital, "liaison.a", Role::Liaison).await;
    let b_secret = person(region, &w.other_hospital, "liaison.b", Role::Liaison).await;
    let desk_secret = person(region, &w.desk, "desk.sato", Role::Desk).await;
    let admin_secret = person(region, &w.desk, "admin.ito", Role::Admin).await;
    let referral_page = format!("/portal/referrals/{}", w.referral);
    let today = common::today().to_string();

    // The desk: the region's referrals, a call logged, the figures.
    let mut desk = Visitor::new(&region.url());
    let desk_csrf = desk
        .sign_in("desk.sato", "a long enough password", &desk_secret)
        .await;
    let page = desk.get("/portal/desk").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("山田"), "{}", page.body);
    let page = desk
        .post(
            &format!("{referral_page}/calls"),
            &[("called", ""), ("learned", "x"), ("csrf", &desk_csrf)],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body
            .contains("電話の相手と、分かったことを入力してください")
    );
    assert!(page.body.contains(">x</textarea>"), "what was typed stays");
    let page = desk
        .post(
            &format!("{referral_page}/calls"),
            &[
                ("called", "豊島中央病院 連携室 田中さん"),
                ("learned", "来週入院の予定"),
                ("csrf", &desk_csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = desk.get(&referral_page).await;
    assert!(page.body.contains("来週入院の予定"));
    let page = desk.get("/portal/desk/figures").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("豊島中央病院"), "{}", page.body);
    // A malformed id in the address: the portal's own page, in Japanese.
    let page = desk
        .post(
            "/portal/referrals/not-an-id/calls",
            &[("called", "x"), ("learned", "y"), ("csrf", &desk_csrf)],
        )
        .await;
    assert_eq!(page.status, 404);
    assert!(
        page.body.contains("ページが見つかりません"),
        "{}",
        page.body
    );

    // Hospital A admits the patient, then records 退院調整 by mistake and
    // voids it, then transfers the patient to hospital B (registered).
    let mut a = Visitor::new(&region.url());
    let a_csrf = a
        .sign_in("liaison.a", "a long enough password", &a_secret)
        .await;
    for page in ["/portal/desk", "/portal/admin", "/portal/admin/audit"] {
        assert_eq!(a.get(page).await.status, 403, "{page} is not a liaison's");
    }
    let post_event = |fields: &[(&'static str, String)]| {
        let mut form: Vec<(&str, String)> = fields.to_vec();
        form.push(("csrf", a_csrf.clone()));
        form
    };
    let record = async |visitor: &mut Visitor, form: Vec<(&str, String)>| {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        visitor
            .post(&format!("{referral_page}/events"), &form)
            .await
    };
    let page = record(
        &mut a,
        post_event(&[
            ("kind", "admitted".into()),
            ("date", today.clone()),
            ("ward", "5階東病棟".into()),
        ]),
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = record(
        &mut a,
        post_event(&[
            ("kind", "discharge_planned".into()),
            ("date", today.clone()),
            ("expected_date", "2099-12-31".into()),
            ("team", "池袋訪問看護ステーション・ケアマネ 山本".into()),
        ]),
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = a.get(&referral_page).await;
    assert!(
        page.body
            .contains("在宅チーム（予定）：池袋訪問看護ステーション・ケアマネ 山本"),
        "{}",
        page.body
    );
    let mistaken: String = sqlx::query_scalar(
        "SELECT id::text FROM referral_events WHERE referral_id = $1::uuid
         AND details ->> 'status' = 'discharge_planned'",
    )
    .bind(&w.referral)
    .fetch_one(&region.owner)
    .await
    .unwrap();
    let void_path = format!("{referral_page}/events/{mistaken}/void");
    let page = a
        .post(&void_path, &[("reason", ""), ("csrf", &a_csrf)])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("取り消す理由を入力してください"));
    let page = a
        .post(
            &void_path,
            &[("reason", "退院予定日の誤り"), ("csrf", &a_csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = a.get(&referral_page).await;
    assert!(page.body.contains("入院中"), "voided: back to 入院中");
    assert!(page.body.contains("退院予定日の誤り"));
    // The desk may not void what the hospital recorded.
    let admitted: String = sqlx::query_scalar(
        "SELECT id::text FROM referral_events WHERE referral_id = $1::uuid
         AND details ->> 'status' = 'admitted'",
    )
    .bind(&w.referral)
    .fetch_one(&region.owner)
    .await
    .unwrap();
    let page = desk
        .post(
            &format!("{referral_page}/events/{admitted}/void"),
            &[("reason", "誤り"), ("csrf", &desk_csrf)],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("他の機関が記録した内容は取り消せません"));

    let page = record(
        &mut a,
        post_event(&[
            ("kind", "transferred".into()),
            ("date", today.clone()),
            ("hospital_id", w.other_hospital.id.to_string()),
        ]),
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    // A let the patient go: the referral is no longer A's to see or record.
    assert_eq!(a.get(&referral_page).await.status, 403);
    let page = a.get("/portal/hospital").await;
    assert!(!page.body.contains("山田"), "{}", page.body);

    // B sees it, with who the family doctor is, and sends a note alone.
    let mut b = Visitor::new(&region.url());
    let b_csrf = b
        .sign_in("liaison.b", "a long enough password", &b_secret)
        .await;
    let page = b.get("/portal/hospital").await;
    assert!(page.body.contains("山田"), "{}", page.body);
    let page = b.get(&referral_page).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("佐藤　花子"),
        "the family doctor travels on"
    );
    let note = "リハビリ目的で転院されました。\n退院前カンファレンスの日程をご相談させてください。";
    let page = b
        .post(
            &format!("{referral_page}/events"),
            &[("kind", "note"), ("note", ""), ("csrf", &b_csrf)],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body
            .contains("かかりつけ医への連絡事項を入力してください")
    );
    let page = b
        .post(
            &format!("{referral_page}/events"),
            &[("kind", "note"), ("note", note), ("csrf", &b_csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = b.get(&referral_page).await;
    assert!(page.body.contains("退院前カンファレンス"));
    assert!(page.body.contains("転院"), "the status stays 転院");

    // The administrator's audit log: filtered by a patient's name, posted
    // (never in a URL), and the reading itself audited.
    let mut admin = Visitor::new(&region.url());
    let admin_csrf = admin
        .sign_in("admin.ito", "a long enough password", &admin_secret)
        .await;
    let page = admin.get("/portal/admin/audit").await;
    assert_eq!(page.status, 200);
    let page = admin
        .post("/portal/admin/audit", &[("patient", "山田")])
        .await;
    assert_eq!(page.status, 403, "a filter without its token is refused");
    let page = admin
        .post(
            "/portal/admin/audit",
            &[("patient", "山田"), ("csrf", &admin_csrf)],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("閲覧"), "{}", page.body);
    assert!(page.body.contains("liaison.b"), "{}", page.body);
    assert!(!page.body.contains("該当する記録はありません"));
    assert!(
        region
            .count("SELECT count(*) FROM audit_log WHERE action = 'view-audit-log'")
            .await
            >= 2
    );
    // Roles and stopped accounts: desk.sato becomes an administrator (her
    // sessions end, so the role applies at her next sign-in); liaison.a is
    // stopped (signed out at once) and allowed again.
    let id_of = async |login: &str| -> String {
        sqlx::query_scalar("SELECT id::text FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&region.owner)
            .await
            .unwrap()
    };
    let sato = id_of("desk.sato").await;
    let page = admin
        .post(
            &format!("/portal/admin/users/{sato}/reset"),
            &[("action", "make-admin"), ("csrf", &admin_csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(desk.get("/portal/desk").await.status, 303, "signed out");
    let role = format!("SELECT count(*) FROM users WHERE id = '{sato}' AND role = 'admin'");
    assert_eq!(region.count(&role).await, 1);
    let tanaka = id_of("liaison.a").await;
    for action in ["disable", "enable"] {
        let page = admin
            .post(
                &format!("/portal/admin/users/{tanaka}/reset"),
                &[("action", action), ("csrf", &admin_csrf)],
            )
            .await;
        assert_eq!(page.status, 303, "{action}: {}", page.body);
        if action == "disable" {
            assert_eq!(a.get("/portal/hospital").await.status, 303, "signed out");
        }
    }
    let usable =
        format!("SELECT count(*) FROM users WHERE id = '{tanaka}' AND disabled_at IS NULL");
    assert_eq!(region.count(&usable).await, 1);
    let page = admin.get("/portal/admin/users").await;
    assert!(page.body.contains("職員にする"), "{}", page.body);

    // The physician's app at its next sync: where the patient is, the note.
    let app = &w.clinic.app;
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.refused, 0, "{report:?}");
    let view = app.referral(&w.referral).await.unwrap();
    let where_now = view.where_now.label_ja();
    assert!(where_now.contains("池袋記念病院"), "{where_now}");
    let titles: Vec<&str> = view.events.iter().map(|e| e.title.as_str()).collect();
    assert!(
        titles.contains(&"連絡") && titles.contains(&"記録の取り消し"),
        "{titles:?}"
    );
    let arrived = view
        .events
        .iter()
        .find(|e| e.title == "連絡")
        .expect("the note");
    assert_eq!(arrived.note, note);
    let planned = view
        .events
        .iter()
        .find(|e| e.title == "退院調整中")
        .expect("the voided plan stays in the history");
    assert!(
        planned.voided
            && planned
                .summary
                .contains("在宅チーム 池袋訪問看護ステーション")
    );
    assert!(arrived.actor.contains("池袋記念病院"), "{}", arrived.actor);
    // The note waits on the worklist until the physician has read it.
    let worklist = app.worklist().await.unwrap();
    let waiting = worklist
        .iter()
        .find(|i| i.title == "病院・窓口から連絡があります")
        .expect("the note is on the worklist");
    assert!(
        waiting
            .detail
            .contains("リハビリ目的で転院されました。 退院前")
            && waiting.detail.contains("池袋記念病院"),
        "{waiting:?}"
    );
    app.dismiss_worklist_item(&w.referral, &waiting.key, "読みました")
        .await
        .unwrap();
    assert!(
        !app.worklist()
            .await
            .unwrap()
            .iter()
            .any(|i| i.title == "病院・窓口から連絡があります")
    );
}

/// Issue 19: the hospital's liaison officer, in headless Chromium, sends a
/// 退院時サマリー (a PDF) on the referral page; the clinic's app, at its
/// next sync, has it as the referral's reply, and the physician opens the
/// same bytes (audited) — once, however often it syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring and Chromium/ChromeDriver: run `make test`"]
async fn a_hospital_sends_a_discharge_summary_that_the_physician_opens() {
    const SUMMARY: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let keys = keyring();
    let driver = chromedriver();
    let w = world(&keys).await;
    let secret = person(&w.region, &w.hospital, "liaison.docs", Role::Liaison).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("退院時サマリー_山田太郎.pdf");
    std::fs::write(&file, SUMMARY).unwrap();

    let client = browser(&driver).await;
    client
        .goto(&format!("{}/portal", w.region.url()))
        .await
        .unwrap();
    fill(&client, "#login", "liaison.docs").await;
    fill(&client, "#password", "a long enough password").await;
    click(&client, "#sign-in").await;
    fill(&client, "#code", &totp_now(&secret, "liaison.docs")).await;
    click(&client, "#verify").await;
    wait_for_text(&client, "main", "山田").await;
    fill(&client, "#tracking-code", &w.tracking_code).await;
    click(&client, "#open-referral").await;
    wait_for_text(&client, "#patient-name", "山田").await;
    wait_for_text(&client, "#documents", "まだ送った書類はありません").await;

    // A photo renamed .pdf is refused, in Japanese, and nothing is listed.
    let photo = folder.path().join("写真.pdf");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\n0000").unwrap();
    click(&client, "#document-kind-discharge_summary").await;
    let chosen = client.find(Locator::Css("#document-file")).await.unwrap();
    chosen.send_keys(photo.to_str().unwrap()).await.unwrap();
    click(&client, "#document-send").await;
    wait_for_text(&client, "#form-error", "PDFではないファイルは送れません").await;
    wait_for_text(&client, "#documents", "まだ送った書類はありません").await;

    click(&client, "#document-kind-discharge_summary").await;
    let chosen = client.find(Locator::Css("#document-file")).await.unwrap();
    chosen.send_keys(file.to_str().unwrap()).await.unwrap();
    click(&client, "#document-send").await;
    wait_for_text(&client, "#document-list", "退院時サマリー_山田太郎.pdf").await;
    wait_for_text(&client, "main", "書類を送りました").await;
    photograph(&client, "portal-referral-documents.png").await;
    client.close().await.unwrap();

    // The physician's app, at its next sync: the referral's reply.
    let app = &w.clinic.app;
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.fetched, 1, "{report:?}");
    let view = app.referral(&w.referral).await.unwrap();
    assert_eq!(view.replies.len(), 1, "{:?}", view.replies);
    let reply = &view.replies[0];
    assert_eq!(
        reply.findings.note,
        "病院がポータルから送付（退院時サマリー）"
    );
    assert_eq!(
        reply.attachment_name.as_deref(),
        Some("退院時サマリー_山田太郎.pdf")
    );
    assert!(reply.recorded_by.starts_with("豊島中央病院"), "{reply:?}");
    let opened = app.reply_attachment(&reply.id.to_string()).await.unwrap();
    assert_eq!(opened.bytes, SUMMARY);
    assert_eq!(opened.media_type, "application/pdf");
    // The hash the server took on upload, as the app checked it.
    let kept: String = sqlx::query_scalar("SELECT sha256 FROM referral_documents")
        .fetch_one(&w.region.owner)
        .await
        .unwrap();
    assert_eq!(opened.sha256, kept);
    // The board shows the loop closed, as for a scanned reply.
    let board = app.referral_board(&BoardFilter::default()).await.unwrap();
    let row = board
        .rows
        .iter()
        .find(|r| r.referral_id.to_string() == w.referral)
        .unwrap();
    assert!(row.replied);

    // Synced again: nothing twice.
    app.sync_now().await.unwrap();
    assert_eq!(app.referral(&w.referral).await.unwrap().replies.len(), 1);
    // Uploaded and fetched, each in the server's audit log.
    let uploads = "SELECT count(*) FROM audit_log WHERE action = 'upload-document'";
    assert_eq!(w.region.count(uploads).await, 1);
    let fetched = "SELECT count(*) FROM audit_log WHERE action = 'view-document'
                   AND actor LIKE 'device:%'";
    assert_eq!(w.region.count(fetched).await, 1);
}

/// Issue 19: a referral letter corrected in the app after the hospital
/// has it reaches the portal as its new version (「訂正版（第N版）」), each
/// version kept on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_corrected_letter_reaches_the_hospital_as_its_latest_version() {
    let keys = keyring();
    let w = world(&keys).await;
    let app = &w.clinic.app;
    let secret = person(&w.region, &w.hospital, "liaison.c", Role::Liaison).await;
    let mut liaison = Visitor::new(&w.region.url());
    liaison
        .sign_in("liaison.c", "a long enough password", &secret)
        .await;
    let page = format!("/portal/referrals/{}", w.referral);
    let first = liaison.get(&page).await;
    assert!(first.body.contains("精査加療"), "{}", first.body);
    assert!(!first.body.contains("訂正版"));

    for (version, purpose) in [
        (2, "精査加療と心エコーをお願いします"),
        (3, "至急の精査をお願いします"),
    ] {
        let letters = app.patient_letters(&w.patient_id).await.unwrap().letters;
        let current = letters
            .iter()
            .find(|l| l.summary.superseded_by.is_none())
            .unwrap();
        let draft = app
            .correct_letter(&current.summary.id.to_string())
            .await
            .unwrap();
        let mut content = draft.content.clone();
        content.purpose = purpose.into();
        app.save_letter_draft(&draft.id.to_string(), &content)
            .await
            .unwrap();
        app.issue_letter(&draft.id.to_string()).await.unwrap();
        let report = app.sync_now().await.unwrap();
        assert_eq!((report.pushed, report.refused), (1, 0), "{report:?}");
        let shown = liaison.get(&page).await;
        assert!(
            shown.body.contains(&format!("訂正版（第{version}版）")),
            "{}",
            shown.body
        );
        assert!(shown.body.contains(purpose), "{}", shown.body);
    }
    let kept = "SELECT count(*) FROM referral_letter_versions";
    assert_eq!(w.region.count(kept).await, 2);
    // Nothing waits: a sync sends nothing more.
    assert_eq!(app.sync_now().await.unwrap().pushed, 0);
}

/// A document whose bytes do not match the hash the feed named (a broken
/// proxy, a damaged copy) is not recorded, and is fetched again at the
/// next sync; a 返書 then arrives as the referral's reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_document_that_does_not_match_its_hash_is_fetched_again() {
    const LETTER: &[u8] =
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let keys = keyring();
    let w = world(&keys).await;
    let app = &w.clinic.app;
    let secret = person(&w.region, &w.hospital, "liaison.r", Role::Liaison).await;
    let mut liaison = Visitor::new(&w.region.url());
    let csrf = liaison
        .sign_in("liaison.r", "a long enough password", &secret)
        .await;
    let boundary = "----tsunagu-e2e";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf.as_str()), ("kind", "reply")] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"返書.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(LETTER);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = liaison
        .http
        .post(format!(
            "{}/portal/referrals/{}/documents",
            w.region.url(),
            w.referral
        ))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    let sent = liaison.send(request).await;
    assert_eq!(sent.status, 303, "{}", sent.body);

    // The server's copy damaged (as its owner may; the runtime role may
    // not): still a PDF of the same size, one letter changed.
    let damaged = String::from_utf8(LETTER.to_vec())
        .unwrap()
        .replace("Catalog", "Catalag");
    assert_eq!(damaged.len(), LETTER.len());
    let damaged = damaged.into_bytes();
    sqlx::query("UPDATE referral_documents SET bytes = $1")
        .bind(&damaged)
        .execute(&w.region.owner)
        .await
        .unwrap();
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.fetched, 0, "{report:?}");
    assert!(app.referral(&w.referral).await.unwrap().replies.is_empty());

    sqlx::query("UPDATE referral_documents SET bytes = $1")
        .bind(LETTER)
        .execute(&w.region.owner)
        .await
        .unwrap();
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.fetched, 1, "{report:?}");
    let replies = app.referral(&w.referral).await.unwrap().replies;
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].findings.note, "病院がポータルから送付（返書）");
    let opened = app
        .reply_attachment(&replies[0].id.to_string())
        .await
        .unwrap();
    assert_eq!(opened.bytes, LETTER);
}
