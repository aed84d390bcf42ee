//! 地域の機関をさがす in the real desktop app under Xvfb (issue 18): the
//! clinic enrolls with a region whose directory lists a few organisations,
//! the first sync brings them, and the screen finds them from the main
//! navigation (a name in half-width kana, 旧字体 by 新字体) and from a
//! patient's team panel, where the patient's address suggests the area.
//! Then 受入相談 (the second test): with the region out of reach the
//! physician still finds a 24時間・看取り provider serving the patient's
//! area; back online, asks it to take the patient on; the provider accepts
//! on the portal and the answer reaches the open app without 今すぐ同期;
//! the physician invites it to the patient's team from there.
//! Screenshots go to artifacts/. Runs under `make test`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window"
)]

use std::time::{Duration, Instant};

use chrono::Utc;
use fantoccini::Client;
use tsunagu_protocol::OrgKind;

mod support;
use support::desktop::*;
use support::listings::{beds, organisation, profile};
use support::region::{Durability, Gate, Region};
use support::visitor::{NURSE_PASSWORD, NURSE_SECRET, Visitor, nurse_of};

const WHOLE_RUN: Duration = Duration::from_secs(180);

async fn seed(region: &Region) {
    let now = Utc::now();
    let days = chrono::Duration::days;
    let hospital = organisation(
        region,
        "hospital",
        "渡邊記念病院",
        "わたなべきねんびょういん",
    )
    .await;
    profile(
        region,
        hospital,
        "東京都練馬区豊玉北5-1-1",
        &["練馬区", "豊島区"],
        &[
            "home_visits",
            "around_24h",
            "backup_beds",
            "respite_admission",
        ],
        "yes",
        now - days(12),
    )
    .await;
    beds(region, hospital, "community_care", 40, 3).await;
    beds(region, hospital, "palliative", 20, 0).await;
    let station = organisation(
        region,
        "visiting_nurse_station",
        "練馬みどり訪問看護ステーション",
        "ねりまみどりほうもんかんごすてーしょん",
    )
    .await;
    profile(
        region,
        station,
        "東京都練馬区練馬1-17-1",
        &["練馬区"],
        &["around_24h", "special_management", "end_of_life"],
        "ask",
        now - days(130),
    )
    .await;
    let pharmacy = organisation(
        region,
        "pharmacy",
        "さくら調剤薬局 豊玉店",
        "さくらちょうざいやっきょく",
    )
    .await;
    profile(
        region,
        pharmacy,
        "東京都練馬区豊玉北6-3-2",
        &["練馬区", "中野区"],
        &["pharmacy_visits", "sterile_compounding"],
        "yes",
        now - days(3),
    )
    .await;
    let clinic = organisation(
        region,
        "clinic",
        "齋藤内科クリニック",
        "さいとうないかくりにっく",
    )
    .await;
    profile(
        region,
        clinic,
        "東京都豊島区南池袋2-1-1",
        &["豊島区"],
        &["home_visits", "house_calls", "end_of_life"],
        "no",
        now - days(40),
    )
    .await;
    let care = organisation(
        region,
        "care_management_office",
        "ひだまり居宅介護支援事業所",
        "ひだまりきょたく",
    )
    .await;
    profile(
        region,
        care,
        "東京都練馬区桜台1-1-1",
        &["練馬区"],
        &[],
        "yes",
        now - days(5),
    )
    .await;
}

async fn journey(client: &Client, region: &Region) {
    start_new_clinic(client).await;
    finish_setup(client).await;
    let clinic = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let code = region.enrollment_code(&clinic).await;
    press(client, "#clinic-settings").await;
    fill(client, "#sync-field-serverUrl", &region.url()).await;
    fill(client, "#sync-field-code", &code).await;
    fill(client, "#sync-field-deviceName", "診察室PC").await;
    press(client, "#enroll").await;
    wait_for_text(client, "#sync-status", "さくら内科クリニック").await;
    wait_for_text(client, "#sync-indicator", "未送信 0件").await;

    // The main navigation: every listing, those taking patients first.
    press(client, "#directory-nav").await;
    // The clinic itself is listed too (it has no profile yet).
    wait_for_count(client, "[data-testid=directory-result]", 6).await;
    let first = text_content(client, "[data-testid=directory-result]").await;
    assert!(first.contains("受入可"), "{first}");
    let stale = wait_for_text(client, ".freshness-stale", "90日以上確認されていません").await;
    assert!(!stale.is_empty());
    screenshot_display(&artifacts().join("e2e-directory.png"));

    // Half-width kana, and 新字体 for a 旧字体 name.
    fill(client, "#directory-name", "ﾜﾀﾅﾍﾞ").await;
    wait_for_count(client, "[data-testid=directory-result]", 1).await;
    let row = wait_for_text(client, "[data-testid=directory-result]", "渡邊記念病院").await;
    assert!(row.contains("地域包括ケア 空き3／40床"), "{row}");
    fill(client, "#directory-name", "斎藤").await;
    wait_for_text(
        client,
        "[data-testid=directory-result]",
        "齋藤内科クリニック",
    )
    .await;
    fill(client, "#directory-name", "ステーション").await;
    choose(client, "#directory-kind", "visiting_nurse_station").await;
    press(client, "input[name=offers][value=end_of_life]").await;
    wait_for_count(client, "[data-testid=directory-result]", 1).await;
    wait_for_text(client, "[data-testid=directory-result]", "練馬みどり").await;

    // From a patient: the address suggests 練馬区.
    press(client, "#back-to-list").await;
    press(client, "#new-patient").await;
    fill(client, "form#patient-form input[name=name]", "山田　太郎").await;
    fill(
        client,
        "form#patient-form input[name=kana]",
        "やまだ　たろう",
    )
    .await;
    fill(client, "form#patient-form input[name=birthDate]", "S25.4.1").await;
    click(client, "form#patient-form input[name=sex][value=male]").await;
    fill(
        client,
        "form#patient-form input[name=address]",
        "東京都練馬区豊玉北6-12-1",
    )
    .await;
    click(client, "form#patient-form button[type=submit]").await;
    wait_for_count(client, "tr[data-testid=patient-row]", 1).await;
    open_first_patient(client).await;
    press(client, "#team-directory").await;
    wait_for_value(client, "#directory-municipality", "練馬区").await;
    wait_for_text(client, "#directory-area-hint", "患者さんの住所から").await;
    wait_for_count(client, "[data-testid=directory-result]", 4).await;
    screenshot_display(&artifacts().join("e2e-directory-patient.png"));
}

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn the_directory_is_searched_from_the_navigation_and_a_patient() {
    let region = Region::start(Durability::Throwaway).await;
    seed(&region).await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let client = open_app(&driver, data.path()).await;
    tokio::time::timeout(WHOLE_RUN, journey(&client, &region))
        .await
        .expect("the directory journey took longer than its time limit");
    client.close().await.unwrap();
}

/// The station's id, as the seed listed it.
async fn station_of(region: &Region) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM organisations WHERE name = '練馬みどり訪問看護ステーション'")
        .fetch_one(&region.owner)
        .await
        .unwrap()
}

async fn intake_journey(client: &Client, region: &Region, gate: &Gate) {
    start_new_clinic(client).await;
    finish_setup(client).await;
    let clinic = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let code = region.enrollment_code(&clinic).await;
    press(client, "#clinic-settings").await;
    fill(client, "#sync-field-serverUrl", &gate.url()).await;
    fill(client, "#sync-field-code", &code).await;
    fill(client, "#sync-field-deviceName", "診察室PC").await;
    press(client, "#enroll").await;
    wait_for_text(client, "#sync-status", "さくら内科クリニック").await;
    wait_for_text(client, "#sync-indicator", "未送信 0件").await;

    // The patient, who lives in 練馬区, with a consent that names the team.
    press(client, "#back-to-list").await;
    press(client, "#new-patient").await;
    fill(client, "form#patient-form input[name=name]", "山田　太郎").await;
    fill(
        client,
        "form#patient-form input[name=kana]",
        "やまだ　たろう",
    )
    .await;
    fill(client, "form#patient-form input[name=birthDate]", "S25.4.1").await;
    click(client, "form#patient-form input[name=sex][value=male]").await;
    fill(
        client,
        "form#patient-form input[name=address]",
        "東京都練馬区豊玉北6-12-1",
    )
    .await;
    click(client, "form#patient-form button[type=submit]").await;
    wait_for_count(client, "tr[data-testid=patient-row]", 1).await;
    open_first_patient(client).await;
    press(client, "#consent-new").await;
    fill(client, "#consent-field-obtainedBy", "看護師 佐藤").await;
    press(client, "#consent-share-team").await;
    press(client, "#consent-save").await;
    wait_for_text(client, "#consent-current", "在宅チーム").await;
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-pending", "未送信 0件").await;
    wait_for_text(client, "#team-none", "まだチームはありません").await;
    press(client, "#team-start").await;
    wait_for_count(client, "[data-testid=team-member]", 1).await;

    // Offline: the region is out of reach, the copy still answers.
    gate.close();
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-error", "接続できません").await;
    press(client, "#team-directory").await;
    wait_for_value(client, "#directory-municipality", "練馬区").await;
    choose(client, "#directory-kind", "visiting_nurse_station").await;
    press(client, "input[name=offers][value=around_24h]").await;
    press(client, "input[name=offers][value=end_of_life]").await;
    wait_for_count(client, "[data-testid=directory-result]", 1).await;
    wait_for_text(
        client,
        "[data-testid=directory-result]",
        "練馬みどり訪問看護ステーション",
    )
    .await;
    scroll_to(client, "[data-testid=directory-result]").await;
    screenshot_display(&artifacts().join("e2e-intake-offline-search.png"));

    // Back online: 受入相談, filled in from the patient.
    gate.open();
    press(client, "[data-testid=directory-intake]").await;
    wait_for_value(client, "#intake-age", "76").await;
    wait_for_value(client, "#intake-municipality", "練馬区").await;
    press(client, "#intake-needs input[value=around_24h]").await;
    press(client, "#intake-needs input[value=end_of_life]").await;
    // The summary is required: refused on its field, in Japanese.
    press(client, "#intake-send").await;
    wait_for_text(
        client,
        "[data-error-for=summary]",
        "相談の内容（病状・必要なケアの概要）を入力してください",
    )
    .await;
    wait_for_text(client, "#intake-summary-hint", "氏名・住所など").await;
    fill(
        client,
        "#intake-summary",
        "膵癌末期。ご本人とご家族は自宅での看取りを希望されています。",
    )
    .await;
    screenshot_display(&artifacts().join("e2e-intake-form.png"));
    press(client, "#intake-send").await;
    wait_for_text(
        client,
        "#intake-sent",
        "練馬みどり訪問看護ステーションに受入相談を送りました",
    )
    .await;
    // The request reached the region with no name in it. (今すぐ同期 is
    // pressed again while a sync already under way keeps it disabled.)
    let started = Instant::now();
    let (id, summary): (uuid::Uuid, String) = loop {
        press(client, "#sync-now").await;
        let row = sqlx::query_as("SELECT id, summary FROM intake_requests")
            .fetch_optional(&region.owner)
            .await
            .unwrap();
        if let Some(row) = row {
            break row;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the request never reached the region"
        );
        tokio::time::sleep(Duration::from_millis(1000)).await;
    };
    assert!(!summary.contains("山田"), "{summary}");

    // The list of requests: 回答待ち, with 取り下げる.
    press(client, "#intake-nav").await;
    let card = wait_for_text(client, "#intake-sent-list", "回答待ち").await;
    assert!(card.contains("76歳・男性・練馬区"), "{card}");
    assert!(card.contains("山田　太郎"), "{card}");
    wait_for_count(client, "[data-testid=intake-withdraw]", 1).await;

    // The station accepts on the portal.
    let station = station_of(region).await;
    let login = nurse_of(region, station).await;
    let mut nurse = Visitor::new(&region.url());
    let csrf = nurse.sign_in(&login, NURSE_PASSWORD, NURSE_SECRET).await;
    let accepted = nurse
        .post(
            &format!("/portal/intake/{id}/answer"),
            &[("answer", "accept"), ("reason", ""), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);

    // The answer reaches the open app without 今すぐ同期 (the live stream).
    let started = Instant::now();
    loop {
        let shown = text_content(client, "#intake-sent-list").await;
        if shown.contains("回答：受けられる") {
            assert!(shown.contains("田中 ゆき"), "{shown}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the answer never arrived without 今すぐ同期: {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    wait_for_count(client, "[data-testid=intake-withdraw]", 0).await;
    screenshot_display(&artifacts().join("e2e-intake-answered.png"));

    // From there, the station joins the patient's team.
    press(client, "[data-testid=intake-invite]").await;
    wait_for_value(client, "#team-invite-organisation", &station.to_string()).await;
    choose(client, "#team-invite-role", "visiting_nurse").await;
    press(client, "#team-invite-submit").await;
    wait_for_text(client, "#team-members", "招待中").await;
    scroll_to(client, "#team-members").await;
    screenshot_display(&artifacts().join("e2e-intake-invite.png"));

    // The station asks the clinic in turn: 要確認 says so, live, and the
    // doctor declines with the reason; the portal shows the answer.
    let asked = nurse
        .post(
            "/portal/intake",
            &[
                ("to", &clinic.id.to_string()),
                ("municipality", "練馬区"),
                (
                    "summary",
                    "独居の方の訪問診療をお願いできる先を探しています。",
                ),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    press(client, "#back-to-list").await;
    let started = Instant::now();
    loop {
        let shown = text_content(client, "#worklist").await;
        if shown.contains("受入相談が1件届いています") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the request never reached 要確認 without 今すぐ同期: {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    screenshot_display(&artifacts().join("e2e-intake-worklist.png"));
    press(client, "#worklist-intake-open").await;
    wait_for_text(
        client,
        "#intake-received",
        "練馬みどり訪問看護ステーションからの受入相談",
    )
    .await;
    screenshot_display(&artifacts().join("e2e-intake-received.png"));
    press(client, "[data-testid=intake-decline]").await;
    fill(
        client,
        "[data-testid=intake-reason]",
        "今月は新規の訪問枠がありません",
    )
    .await;
    press(client, "[data-testid=intake-answer-send]").await;
    wait_for_text(client, "#intake-received", "回答：受けられない").await;
    let started = Instant::now();
    loop {
        press(client, "#sync-now").await;
        let page = nurse.get("/portal/intake").await;
        if page.body.contains("今月は新規の訪問枠がありません") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the answer never reached the portal: {}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
}

async fn scroll_to(client: &Client, css: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn a_provider_found_offline_is_asked_and_its_answer_arrives_live() {
    let region = Region::start(Durability::Throwaway).await;
    seed(&region).await;
    let gate = Gate::start(region.server_address).await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let client = open_app(&driver, data.path()).await;
    tokio::time::timeout(
        Duration::from_secs(300),
        intake_journey(&client, &region, &gate),
    )
    .await
    .expect("the 受入相談 journey took longer than its time limit");
    client.close().await.unwrap();
}
