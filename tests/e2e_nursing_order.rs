//! 訪問看護指示書 in the real desktop window under Xvfb: the physician
//! writes an order to a station typed by name (the patient has no team
//! yet), is refused a period over six months by field (nothing issued),
//! fixes it to a period ending in ten days and issues it, sees it listed
//! as 期限が近い and on the start screen's worklist, then presses 更新 and
//! finds the renewal's period starting the day after the old one ends.
//! Runs under `make test` (see e2e_desktop.rs).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window"
)]

use std::time::Duration;

use chrono::{Days, Local, Months};
use fantoccini::Client;

mod support;
use support::desktop::*;

const WHOLE_RUN: Duration = Duration::from_secs(240);

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn an_order_is_refused_by_field_issued_reminded_and_renewed() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let client = open_app(&driver, data.path()).await;
    tokio::time::timeout(WHOLE_RUN, journey(&client))
        .await
        .expect("the nursing order journey took longer than its time limit");
    client.close().await.unwrap();
}

async fn journey(client: &Client) {
    start_new_clinic(client).await;
    finish_setup(client).await;
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
    click(client, "form#patient-form button[type=submit]").await;
    wait_for_count(client, "tr[data-testid=patient-row]", 1).await;
    open_first_patient(client).await;
    wait_for_text(
        client,
        "#nursing-orders-none",
        "発行した訪問看護指示書はありません",
    )
    .await;

    // A period ending within 14 days of today, and well within six months
    // of its start.
    let today = Local::now().date_naive();
    let start = today
        .checked_sub_months(Months::new(5))
        .and_then(|d| d.checked_sub_days(Days::new(10)))
        .unwrap();
    let end = today.checked_add_days(Days::new(10)).unwrap();
    let too_late = start.checked_add_months(Months::new(7)).unwrap();

    press(client, "#nursing-order-new").await;
    wait_for_text(
        client,
        "#nursing-order-form-title",
        "訪問看護指示書（別紙様式16）",
    )
    .await;
    // Pre-filled from the clinic's profile.
    wait_for_value(
        client,
        "#nursing-order-field-emergencyContact",
        "さくら内科クリニック 03-1234-5678",
    )
    .await;
    fill(
        client,
        "#nursing-order-field-station",
        "みどり訪問看護ステーション",
    )
    .await;
    fill(client, "#nursing-order-field-issuedOn", &start.to_string()).await;
    fill(client, "#nursing-order-field-startsOn", &start.to_string()).await;
    fill(client, "#nursing-order-field-endsOn", &too_late.to_string()).await;
    fill(client, "#nursing-order-field-diagnosis-0", "慢性心不全").await;
    fill(client, "#nursing-order-field-diagnosis-code-0", "4289002").await;
    fill(
        client,
        "#nursing-order-field-condition",
        "心不全で在宅療養中。息切れが続く。",
    )
    .await;
    press(
        client,
        "#nursing-order-form input[name=order-bedriddenLevel][value=a2]",
    )
    .await;
    press(
        client,
        "#nursing-order-form input[name=order-careLevel][value=care_2]",
    )
    .await;
    press(
        client,
        "#nursing-order-form input[name=order-device][value=oxygen]",
    )
    .await;
    fill(
        client,
        "#nursing-order-field-deviceDetails",
        "酸素 1L/分 鼻カニューラ",
    )
    .await;
    fill(
        client,
        "#nursing-order-field-careNotes",
        "塩分制限と体重測定の指導",
    )
    .await;
    fill(client, "#nursing-order-field-whenAbsent", "当院へ電話").await;

    // Over six months: refused by field, nothing issued.
    press(client, "#nursing-order-issue").await;
    let alert = wait_for_text(client, "[data-testid=form-alert]", "訪問看護指示期間").await;
    assert!(alert.contains("6か月以内"), "{alert}");
    wait_for_text(client, "[data-error-for=period]", "6か月以内").await;
    scroll_to(client, "#nursing-order-form").await;
    screenshot_display(&artifacts().join("e2e-nursing-order-refused.png"));

    // Fixed: ends in ten days.
    fill(client, "#nursing-order-field-endsOn", &end.to_string()).await;
    press(client, "#nursing-order-issue").await;
    wait_for_text(client, "#nursing-order-message", "発行しました").await;
    wait_for_count(client, "[data-testid=nursing-order]", 1).await;
    let row = text_content(client, "[data-testid=nursing-order]").await;
    assert!(
        row.contains("期限が近い")
            && row.contains("みどり訪問看護ステーション")
            && row.contains("様式16"),
        "{row}"
    );
    wait_for_count(client, "[data-testid=nursing-order-draft]", 0).await;
    scroll_to(client, "#nursing-orders-panel").await;
    screenshot_display(&artifacts().join("e2e-nursing-order-issued.png"));

    // The start screen's worklist (要確認) says it is time to renew.
    press(client, "#back-to-list").await;
    let item = wait_for_text(
        client,
        "[data-testid=worklist-item]",
        "訪問看護指示書の期限が近づいています",
    )
    .await;
    assert!(item.contains("山田"), "{item}");
    // The display catches up with the page a moment after the DOM.
    tokio::time::sleep(Duration::from_millis(800)).await;
    screenshot_display(&artifacts().join("e2e-nursing-order-worklist.png"));

    // 更新: the renewal starts the day after the old order ends.
    open_first_patient(client).await;
    wait_for_count(client, "[data-testid=nursing-order]", 1).await;
    press(client, "[data-testid=nursing-order] .renew-order").await;
    wait_for_text(client, "#nursing-order-form-title", "（更新）").await;
    let next_start = end.checked_add_days(Days::new(1)).unwrap();
    wait_for_value(
        client,
        "#nursing-order-field-startsOn",
        &next_start.to_string(),
    )
    .await;
    wait_for_value(client, "#nursing-order-field-diagnosis-0", "慢性心不全").await;
    scroll_to(client, "#nursing-order-form").await;
    screenshot_display(&artifacts().join("e2e-nursing-order-renewal.png"));

    // 「更新しない」 instead: the patient is admitted. Refused without a
    // reason, then recorded; the reminder leaves 要確認.
    press(client, "#nursing-order-close").await;
    press(client, "[data-testid=nursing-order] .end-order").await;
    press(client, ".order-ending-save").await;
    wait_for_text(
        client,
        ".order-ending-error",
        "更新しない理由を入力してください",
    )
    .await;
    fill(client, ".order-ending-reason", "入院のため").await;
    press(client, ".order-ending-save").await;
    let ending = wait_for_text(
        client,
        "[data-testid=nursing-order-ending]",
        "更新しない：入院のため",
    )
    .await;
    assert!(ending.contains("医師"), "{ending}");
    wait_for_count(client, "[data-testid=nursing-order] .renew-order", 0).await;
    scroll_to(client, "#nursing-orders-panel").await;
    screenshot_display(&artifacts().join("e2e-nursing-order-ended.png"));
    press(client, "#back-to-list").await;
    wait_for_count(client, "[data-testid=patient-row]", 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let worklist = text_content(client, "body").await;
    assert!(
        !worklist.contains("訪問看護指示書の期限"),
        "the reminder stays: {worklist}"
    );
}

/// Brings `css` to the top of the window for the screenshot.
async fn scroll_to(client: &Client, css: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}
