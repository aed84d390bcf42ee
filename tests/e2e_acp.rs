//! 人生会議 (ACP) in the real desktop window under Xvfb: the physician
//! records a conversation held seven months ago (CPR declined), sees the
//! current wishes with DNAR and the review reminder, is refused a form
//! without a date (nothing kept), then records the review and finds the
//! first conversation one click away under 以前の記録. Runs under
//! `make test` (see e2e_desktop.rs).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window"
)]

use std::path::Path;
use std::time::Duration;

use chrono::{Local, Months};
use fantoccini::Client;

mod support;
use support::desktop::*;

const WHOLE_RUN: Duration = Duration::from_secs(180);

const TREATMENTS: [&str; 6] = [
    "cpr",
    "ventilation",
    "tube_feeding",
    "transfusion",
    "drip",
    "admission",
];

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn wishes_are_recorded_reviewed_and_kept_as_versions() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let client = open_app(&driver, data.path()).await;
    tokio::time::timeout(WHOLE_RUN, journey(&client, data.path()))
        .await
        .expect("the ACP journey took longer than its time limit");
    client.close().await.unwrap();
}

async fn journey(client: &Client, data_dir: &Path) {
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
    wait_for_text(client, "#acp-none", "人生会議の記録はありません").await;

    // The first conversation, seven months ago: due for review at once.
    let seven_months_ago = Local::now()
        .date_naive()
        .checked_sub_months(Months::new(7))
        .unwrap();
    press(client, "#acp-record").await;
    fill(client, "#acp-field-heldOn", &seven_months_ago.to_string()).await;
    fill(
        client,
        "#acp-form input[name=participant-name-1]",
        "山田　花子",
    )
    .await;
    fill(
        client,
        "#acp-form input[name=participant-relation-1]",
        "長女",
    )
    .await;
    for treatment in TREATMENTS {
        let wish = if treatment == "cpr" {
            "declines"
        } else {
            "undecided"
        };
        press(
            client,
            &format!("#acp-form input[name=acp-wish-{treatment}][value={wish}]"),
        )
        .await;
    }
    press(client, "#acp-form input[name=acp-placeOfCare][value=home]").await;
    press(client, "#acp-form input[name=acp-placeOfDeath][value=home]").await;
    fill(client, "#acp-field-values", "孫の結婚式まで家で過ごしたい").await;
    fill(client, "#acp-field-surrogateName", "山田　花子").await;
    fill(client, "#acp-field-surrogateRelation", "長女").await;
    fill(client, "#acp-field-surrogatePhone", "090-1234-5678").await;
    scroll_to(client, "#acp-form").await;
    screenshot_display(&artifacts().join("e2e-acp-form.png"));
    press(client, "#acp-save").await;
    let current = wait_for_text(client, "[data-testid=acp-current]", "希望しない（DNAR）").await;
    assert!(
        current.contains("DNAR")
            && current.contains("家族（長女 山田　花子）")
            && current.contains("記録：医師 佐藤　花子"),
        "{current}"
    );
    wait_for_text(client, "#acp-review", "6か月が過ぎました").await;
    scroll_to(client, "#acp-panel").await;
    screenshot_display(&artifacts().join("e2e-acp-current.png"));

    // A review without a date is refused, and nothing is kept.
    press(client, "#acp-record").await;
    fill(client, "#acp-field-heldOn", "").await;
    press(client, "#acp-save").await;
    wait_for_text(client, "[data-testid=form-alert]", "話し合った日").await;
    press(client, "#acp-cancel").await;
    wait_for_count(client, "#acp-earlier", 0).await;

    // The review today: CPR now undecided; the first stays readable.
    press(client, "#acp-record").await;
    wait_for_value(client, "#acp-field-surrogateName", "山田　花子").await;
    press(
        client,
        "#acp-form input[name=acp-wish-cpr][value=undecided]",
    )
    .await;
    press(client, "#acp-save").await;
    wait_for_text(client, "#acp-earlier summary", "以前の記録（1件）").await;
    let current = text_content(client, "[data-testid=acp-current]").await;
    assert!(
        current.contains("心肺蘇生（DNARの有無）未定") && !current.contains("希望しない（DNAR）"),
        "{current}"
    );
    wait_for_count(client, "#acp-review", 0).await;
    press(client, "#acp-earlier summary").await;
    press(client, ".acp-earlier-version summary").await;
    wait_for_text(client, "[data-testid=acp-version]", "希望しない（DNAR）").await;
    scroll_to(client, "#acp-earlier").await;
    screenshot_display(&artifacts().join("e2e-acp-versions.png"));

    acp_as_fhir(client, data_dir).await;
    emergency_sheet(client, data_dir).await;
    sharing_fee(client, data_dir).await;
}

/// 「FHIR（JSON）を保存」: refused with the way out while the clinic has no
/// 医療機関コード (no dialog, nothing written), then saved through the OS
/// dialog once it has one: a FHIR Consent (scope adr) naming the clinic.
async fn acp_as_fhir(client: &Client, data_dir: &Path) {
    press(client, "#acp-save-fhir").await;
    wait_for_text(client, "#acp-panel .alert-error", "医療機関コード").await;

    press(client, "#clinic-settings").await;
    fill(
        client,
        "#clinic-form input[name=institutionCode]",
        "0110113719",
    )
    .await;
    press(client, "#clinic-form button[type=submit]").await;
    wait_for_count(client, "tr[data-testid=patient-row]", 1).await;
    open_first_patient(client).await;

    let target = data_dir.join("acp.json");
    let answer = answer_file_dialog("FHIR（JSON）を保存", target.clone(), false);
    press(client, "#acp-save-fhir").await;
    wait_for_text(
        client,
        "#acp-panel .alert-success",
        "人生会議をFHIR（JSON）で保存しました",
    )
    .await;
    answer.join().expect("the save dialog was answered");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    let text = json.to_string();
    assert_eq!(json["resourceType"], "Consent", "{text}");
    assert!(
        text.contains("\"adr\"") && text.contains("0110113719"),
        "{text}"
    );
}

/// 在宅医療情報連携加算: with the team's consent and a team, the month's
/// record is refused without the policy answered (nothing kept), then
/// kept and shared on the timeline; the month's report shows the patient
/// with what is met and missing, and its CSV is saved for Excel.
async fn sharing_fee(client: &Client, data_dir: &Path) {
    press(client, "#consent-new").await;
    fill(client, "#consent-field-obtainedBy", "医師 佐藤").await;
    press(client, "#consent-share-team").await;
    press(client, "#consent-save").await;
    wait_for_text(client, "#consent-current", "在宅チーム").await;
    // The team panel hears of the new consent and offers the team.
    wait_for_count(client, "#team-start:not([disabled])", 1).await;
    press(client, "#team-start").await;
    wait_for_count(client, "[data-testid=team-member]", 1).await;

    let next_visit = Local::now().date_naive() + chrono::Days::new(14);
    press(client, "#sharing-fee-new").await;
    fill(
        client,
        "#sharing-fee-field-nextVisit",
        &next_visit.to_string(),
    )
    .await;
    press(client, "#sharing-fee-save").await;
    wait_for_text(client, "[data-testid=form-alert]", "治療方針の変更の有無").await;
    press(
        client,
        "#sharing-fee-form input[name=sharing-fee-policy][value=true]",
    )
    .await;
    fill(client, "#sharing-fee-field-changeSummary", "利尿薬を増量").await;
    scroll_to(client, "#sharing-fee-panel").await;
    screenshot_display(&artifacts().join("e2e-sharing-fee-form.png"));
    press(client, "#sharing-fee-save").await;
    wait_for_text(
        client,
        "#sharing-fee-panel .alert-success",
        "在宅チームのタイムラインに共有しました",
    )
    .await;
    let shown = text_content(client, "#sharing-fee-records").await;
    assert!(
        shown.contains("あり：利尿薬を増量") && shown.contains("共有済み"),
        "{shown}"
    );

    // The month's report, typed as this month (it opens on the last).
    let month = Local::now().format("%Y-%m").to_string();
    press(client, "#sharing-fee-nav").await;
    fill(client, "#fee-month-input", &month).await;
    press(client, "#fee-month-show").await;
    let summary = wait_for_text(client, "#fee-summary", "在宅チームのある患者 1人").await;
    assert!(summary.contains("満たしている患者 0人"), "{summary}");
    let row = text_content(client, "#fee-table tbody tr").await;
    assert!(
        row.contains("山田　太郎") && row.contains("他職種による当月の記録"),
        "{row}"
    );
    screenshot_display(&artifacts().join("e2e-sharing-fee-report.png"));

    let target = data_dir.join("fee.csv");
    let answer = answer_file_dialog("CSVを保存", target.clone(), false);
    press(client, "#fee-csv").await;
    wait_for_text(client, ".alert-success", "CSVを保存しました").await;
    answer.join().expect("the save dialog was answered");
    let csv = std::fs::read(&target).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "Excel needs the byte-order mark"
    );
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("山田　太郎") && csv.contains("利尿薬を増量"),
        "{csv}"
    );
}

/// The 連携サマリー filled in, then the 救急医療情報 saved through the OS
/// dialog and read back: the summary, the current wishes, the surrogate.
async fn emergency_sheet(client: &Client, data_dir: &Path) {
    press(client, "#summary-edit").await;
    fill(client, "#summary-field-problems", "慢性心不全").await;
    fill(
        client,
        "#summary-field-medications",
        "アピキサバン錠2.5mg 1日2回",
    )
    .await;
    fill(client, "#summary-field-afterHoursPhone", "090-1111-2222").await;
    press(client, "#summary-save").await;
    let shown = wait_for_text(client, "[data-testid=care-summary]", "慢性心不全").await;
    assert!(shown.contains("（記録なし）"), "{shown}");
    scroll_to(client, "#summary-panel").await;
    screenshot_display(&artifacts().join("e2e-care-summary.png"));

    let target = data_dir.join("emergency-sheet.pdf");
    let answer = answer_save_dialog(target.clone());
    press(client, "#emergency-sheet-save").await;
    wait_for_text(
        client,
        "#summary-panel .alert-success",
        "救急医療情報を保存しました",
    )
    .await;
    answer.join().expect("the save dialog was answered");
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&target)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "救急医療情報",
        "山田　太郎",
        "慢性心不全",
        "アピキサバン錠2.5mg",
        "090-1111-2222",
        "さくら内科クリニック",
        "山田　花子",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the sheet:\n{text}"
        );
    }
    assert!(
        !text.contains("DNAR）"),
        "the review left CPR undecided:\n{text}"
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
