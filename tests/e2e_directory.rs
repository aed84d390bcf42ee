//! 地域の機関をさがす in the real desktop app under Xvfb (issue 18): the
//! clinic enrolls with a region whose directory lists a few organisations,
//! the first sync brings them, and the screen finds them from the main
//! navigation (a name in half-width kana, 旧字体 by 新字体) and from a
//! patient's team panel, where the patient's address suggests the area.
//! Screenshots go to artifacts/. Runs under `make test`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window"
)]

use std::time::Duration;

use chrono::Utc;
use fantoccini::Client;
use tsunagu_protocol::OrgKind;

mod support;
use support::desktop::*;
use support::listings::{beds, organisation, profile};
use support::region::{Durability, Region};

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
