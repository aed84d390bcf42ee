//! The real desktop app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver: first start → clinic profile → add 山田 太郎 → search
//! ﾔﾏﾀﾞ → the row appears → write a referral letter → issue it → save the
//! PDF through the OS save dialog. Runs under `make test` (scripts/test-session.sh
//! provides the display and the Secret Service), which runs the ignored
//! tests; elsewhere `cargo test -- --ignored` without them fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window; its notes go to the test output"
)]

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::json;
use tsunagu_protocol::OrgKind;

mod support;
use support::desktop::*;
use support::region::{Durability, Region};
use support::visitor::{NURSE_PASSWORD, NURSE_SECRET, Visitor, account_of, nurse_of};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_domain::team::Profession;
use tsunagu_server::admin::{NewOrganisation, register_organisation};
use tsunagu_server::users::Role;

/// The whole journey; about 20 s on the CI machine.
const WHOLE_RUN: Duration = Duration::from_secs(240);

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn first_start_clinic_profile_then_add_and_find_a_patient() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let client = open_app(&driver, data.path()).await;
    // A stalled WebDriver call must fail the run, not hang it.
    tokio::time::timeout(WHOLE_RUN, whole_journey(&client, data.path()))
        .await
        .expect("the end-to-end journey took longer than its time limit");
    // The regional server: enroll with the desk's code, record the
    // patient's consent, and send the referral with 今すぐ同期.
    let region = Region::start(Durability::Throwaway).await;
    tokio::time::timeout(WAIT * 6, share_with_the_region(&client, &region))
        .await
        .expect("sharing with the region took longer than its time limit");
    tokio::time::timeout(WAIT * 6, the_home_care_team(&client, &region))
        .await
        .expect("the home-care team took longer than its time limit");
    tokio::time::timeout(WAIT * 8, the_hospital_joins_the_team(&client, &region))
        .await
        .expect("the hospital joining the team took longer than its time limit");
    client.close().await.unwrap();

    // The next morning's start: the worklist (要確認) above the patient list
    // raises the discharge to another doctor. (A new session rather than
    // navigating back: WebKit's WebDriver stalls on that navigation.)
    let client = open_app(&driver, data.path()).await;
    tokio::time::timeout(WAIT * 2, async {
        sign_in(&client).await;
        let item = wait_for_text(
            &client,
            "[data-testid=worklist-item]",
            "自院以外へ退院しました",
        )
        .await;
        assert!(
            item.contains("山田") && item.contains("みなみ在宅クリニック"),
            "{item}"
        );
        // The display's own picture: after the app's (failed, headless)
        // desktop notification, WebKit's WebDriver screenshot never returns.
        screenshot_display(&artifacts().join("e2e-worklist.png"));
    })
    .await
    .expect("the worklist at start-up took longer than its time limit");
    client.close().await.unwrap();
}

async fn whole_journey(client: &Client, data_dir: &Path) {
    let client = client.clone();

    // First start: 新しく始める, then the clinic profile form.
    start_new_clinic(&client).await;
    finish_setup(&client).await;

    // A patient, with one mistake first: an era date that does not exist.
    press(&client, "#new-patient").await;
    fill(&client, "form#patient-form input[name=name]", "山田　太郎").await;
    fill(
        &client,
        "form#patient-form input[name=kana]",
        "やまだ　たろう",
    )
    .await;
    fill(
        &client,
        "form#patient-form input[name=birthDate]",
        "昭和65年1月1日",
    )
    .await;
    click(&client, "form#patient-form input[name=sex][value=male]").await;
    fill(
        &client,
        "form#patient-form input[name=chartNumber]",
        "A-1001",
    )
    .await;
    click(&client, "form#patient-form button[type=submit]").await;
    wait_for_text(
        &client,
        "[data-error-for=birthDate]",
        "昭和は64年1月7日まで",
    )
    .await;

    fill(
        &client,
        "form#patient-form input[name=birthDate]",
        "S25.4.1",
    )
    .await;
    wait_for_text(&client, "#birth-date-preview", "昭和25年4月1日（").await;
    click(&client, "form#patient-form button[type=submit]").await;
    wait_for_count(&client, "tr[data-testid=patient-row]", 1).await;

    // Half-width katakana finds him.
    fill(&client, "#patient-search", "ﾔﾏﾀﾞ").await;
    wait_for_count(&client, "tr[data-testid=patient-row]", 1).await;
    let row = wait_for_text(&client, "tr[data-testid=patient-row]", "山田").await;
    assert!(
        row.contains("やまだ") && row.contains("昭和25年4月1日"),
        "{row}"
    );
    fill(&client, "#patient-search", "ｽｽﾞｷ").await;
    wait_for_count(&client, "tr[data-testid=patient-row]", 0).await;
    fill(&client, "#patient-search", "ﾔﾏﾀﾞ").await;
    wait_for_count(&client, "tr[data-testid=patient-row]", 1).await;

    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-patient-search.png"), png).unwrap();

    write_issue_and_save_a_referral_letter(&client, data_dir).await;
}

/// From the patient: write a referral letter (left as a draft once), issue
/// it after being told what is missing, then save its PDF through the OS
/// save dialog and read it back with poppler.
async fn write_issue_and_save_a_referral_letter(client: &Client, data_dir: &Path) {
    open_first_patient(client).await;
    // The page settles once its panels have loaded (they shift the layout).
    wait_for_text(client, "#where-now", "自院通院中").await;
    wait_for_text(
        client,
        ".letters .list-empty",
        "発行した文書はまだありません",
    )
    .await;
    click(client, "#new-referral").await;
    fill(client, "#letter-field-toInstitution", "豊島中央病院").await;
    fill(client, "#letter-field-toDepartment", "循環器内科").await;
    fill(
        client,
        "#letter-field-course",
        "本年４月下旬より動悸発作を自覚され、５月８日に当院を受診されました。",
    )
    .await;
    // Closing keeps the draft; it is listed and opens again with the text.
    click(client, "#close-letter").await;
    wait_for_count(client, "[data-testid=letter-draft]", 1).await;
    click(client, "[data-testid=letter-draft] button").await;
    wait_for_value(client, "#letter-field-toInstitution", "豊島中央病院").await;

    // Issuing without 紹介目的 and 傷病名 names both fields.
    click(client, "#issue-letter").await;
    click(client, "#confirm-issue").await;
    wait_for_text(
        client,
        "[data-error-for=purpose]",
        "紹介目的を入力してください",
    )
    .await;
    wait_for_text(
        client,
        "[data-error-for=diagnoses]",
        "傷病名を入力してください",
    )
    .await;

    fill(
        client,
        "#letter-field-purpose",
        "動悸発作の精査をお願い申し上げます。",
    )
    .await;
    fill(client, "#letter-field-diagnoses", "発作性心房細動の疑い").await;

    // Lab results from the lab system's CSV, chosen in the OS dialog: a
    // file with a bad line is refused by its line and adds nothing; the
    // corrected file adds its rows.
    let header = "項目,値,単位,基準値,検査日\nHbA1c,7.2,%,4.6-6.2,2026-05-08\n";
    let bad = data_dir.join("lab-bad.csv");
    std::fs::write(&bad, format!("{header}BNP,abc,pg/mL,0-18.4,2026-05-08\n")).unwrap();
    let answer = answer_file_dialog("検査結果の CSV を選ぶ", bad, true);
    press(client, "#lab-import-csv").await;
    wait_for_text(client, "[data-error-for=labResults]", "3行目").await;
    answer.join().expect("the open dialog was answered");
    wait_for_count(client, "[data-testid=lab-row]", 0).await;
    let good = data_dir.join("lab.csv");
    std::fs::write(
        &good,
        format!("{header}BNP,245.3,pg/mL,0-18.4,2026-05-08\n"),
    )
    .unwrap();
    let answer = answer_file_dialog("検査結果の CSV を選ぶ", good, true);
    press(client, "#lab-import-csv").await;
    wait_for_count(client, "[data-testid=lab-row]", 2).await;
    answer.join().expect("the open dialog was answered");
    client
        .execute(
            "document.querySelector('[data-testid=lab-table]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-letter-lab-results.png"), png).unwrap();

    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-letter-form.png"), png).unwrap();
    click(client, "#issue-letter").await;
    click(client, "#confirm-issue").await;
    wait_for_count(client, "[data-testid=issued-letter]", 1).await;
    let row = wait_for_text(client, "[data-testid=issued-letter]", "紹介済").await;
    assert!(row.contains("豊島中央病院"), "{row}");
    let notice = text_content(client, "#notice").await;
    assert!(notice.contains("追跡コード"), "{notice}");
    wait_for_count(client, "[data-testid=letter-draft]", 0).await;
    wait_for_text(client, "#where-now", "豊島中央病院へ紹介中").await;

    // Save the PDF: the test answers the GTK save dialog as a user would.
    let target = data_dir.join("saved-letter.pdf");
    let answer = answer_save_dialog(target.clone());
    click(client, "[data-testid=issued-letter] button.save-pdf").await;
    wait_for_text(client, "#letters-message", "PDFを保存しました").await;
    answer.join().expect("the save dialog was answered");
    let pdf = std::fs::read(&target).expect("the PDF was saved where the dialog said");
    assert!(pdf.starts_with(b"%PDF"));
    // Kept to look at (rendered with pdftoppm when checking the table).
    std::fs::write(artifacts().join("e2e-letter-with-lab-results.pdf"), &pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&target)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "診療情報提供書",
        "山田　太郎",
        "豊島中央病院",
        "発作性心房細動の疑い",
        "HbA1c",
        "245.3",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the saved PDF"
        );
    }
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-letter-issued.png"), png).unwrap();

    // The discharge letter's form: its own fields, the recent destination offered.
    click(client, "#new-discharge").await;
    wait_for_count(client, "#letter-field-admittedOn", 1).await;
    wait_for_text(client, "[data-testid=destination-chip]", "豊島中央病院").await;
    fill(client, "#letter-field-admittedOn", "R8.5.20").await;
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-discharge-form.png"), png).unwrap();
    click(client, "#close-letter").await;
    wait_for_count(client, "[data-testid=letter-draft]", 1).await;

    follow_the_referral(client, &target).await;
}

/// 入院中, then 退院 to another home-care doctor: the patient page says
/// where the patient is, and the board lists the referral.
async fn follow_the_referral(client: &Client, a_pdf: &Path) {
    // Events happen between the letter (issued today) and today.
    let today = chrono::Local::now().date_naive().to_string();
    wait_for_text(client, "#where-now", "豊島中央病院へ紹介中").await;
    click(client, "[data-testid=referral] button.record-event").await;
    choose(client, "#event-field-status", "admitted").await;
    fill(client, "#event-field-date", &today).await;
    fill(client, "#event-field-ward", "5階東病棟").await;
    press(client, "#save-event").await;
    wait_for_text(client, "#where-now", "豊島中央病院 入院中（5階東病棟）").await;

    // 退院 with no destination is refused and says why.
    click(client, "[data-testid=referral] button.record-event").await;
    choose(client, "#event-field-status", "discharged").await;
    fill(client, "#event-field-date", &today).await;
    press(client, "#save-event").await;
    wait_for_text(
        client,
        "[data-error-for=destination]",
        "退院先を選んでください",
    )
    .await;
    choose(client, "#event-field-destination", "other_home_care_doctor").await;
    fill(
        client,
        "#event-field-destinationName",
        "みなみ在宅クリニック 田中医師",
    )
    .await;
    press(client, "#save-event").await;
    wait_for_text(
        client,
        "#where-now",
        "在宅（在宅医: みなみ在宅クリニック 田中医師）",
    )
    .await;
    wait_for_count(client, "[data-testid=referral-event]", 3).await;
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-referral-where-now.png"), png).unwrap();

    // The hospital's reply letter, with its scan chosen in the OS dialog
    // (any PDF will do: the letter saved earlier).
    click(client, "[data-testid=referral] button.record-reply").await;
    fill(client, "#reply-field-receivedOn", &today).await;
    fill(client, "#reply-field-finalDiagnosis", "発作性心房細動").await;
    fill(
        client,
        "#reply-field-medicationChanges",
        "エドキサバン60mg開始",
    )
    .await;
    let answer = answer_file_dialog("返書のスキャンを選ぶ", a_pdf.to_path_buf(), true);
    press(client, "#choose-attachment").await;
    wait_for_text(client, "#chosen-attachment", "saved-letter.pdf").await;
    answer.join().expect("the open dialog was answered");
    press(client, "#save-reply").await;
    let reply = wait_for_text(client, "[data-testid=reply]", "発作性心房細動").await;
    assert!(
        reply.contains("saved-letter.pdf") && reply.contains("エドキサバン"),
        "{reply}"
    );
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-reply.png"), png).unwrap();

    press(client, "#referral-board-nav").await;
    let row = wait_for_text(client, "[data-testid=board-row]", "山田").await;
    assert!(
        row.contains("退院") && row.contains("みなみ在宅クリニック"),
        "{row}"
    );

    // 連携の実績: the one referral, to 豊島中央病院.
    press(client, "#figures-nav").await;
    let row = wait_for_text(client, "#figures-table", "豊島中央病院").await;
    assert!(row.contains("全体"), "{row}");
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("e2e-figures.png"), png).unwrap();
}

/// Its screenshots are the display's own: every sync here can raise a
/// (failed, headless) desktop notification, after which WebKit's WebDriver
/// screenshot may never return.
async fn share_with_the_region(client: &Client, region: &Region) {
    let clinic = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    region.organisation(OrgKind::Hospital, "池袋総合病院").await;
    let code = region.enrollment_code(&clinic).await;
    press(client, "#clinic-settings").await;
    fill(client, "#sync-field-serverUrl", &region.url()).await;
    fill(client, "#sync-field-code", &code).await;
    fill(client, "#sync-field-deviceName", "診察室PC").await;
    press(client, "#enroll").await;
    wait_for_text(client, "#sync-status", "さくら内科クリニック").await;
    // The header polls the sync state; the first exchange ran at enrollment.
    wait_for_text(client, "#sync-indicator", "未送信 0件").await;

    // Without consent nothing is sent; with it, the patient and the referral go.
    press(client, "#back-to-list").await;
    open_first_patient(client).await;
    wait_for_text(client, "#consent-none", "同意が記録されていません").await;
    press(client, "#consent-new").await;
    fill(client, "#consent-field-obtainedBy", "看護師 佐藤").await;
    press(client, "#consent-save").await;
    let current = wait_for_text(client, "#consent-current", "同意あり").await;
    assert!(current.contains("看護師 佐藤"), "{current}");
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-pending", "未送信 0件").await;
    screenshot_display(&artifacts().join("e2e-consent-sync.png"));
    let started = Instant::now();
    while region.count("SELECT count(*) FROM referrals").await == 0 {
        assert!(
            started.elapsed() < WAIT,
            "the referral never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(region.count("SELECT count(*) FROM consents").await, 1);

    // The hospitals registered on the server came down with the sync and
    // are offered as destinations; choosing one says where the referral goes.
    press(client, "#new-referral").await;
    let chip = wait_for_text(client, "[data-testid=registered-hospital]", "池袋総合病院").await;
    assert_eq!(chip, "池袋総合病院");
    press(client, "[data-testid=registered-hospital]").await;
    wait_for_value(client, "#letter-field-toInstitution", "池袋総合病院").await;
    wait_for_text(
        client,
        "#registered-destination",
        "地域連携室に直接届きます",
    )
    .await;
    screenshot_display(&artifacts().join("e2e-registered-hospitals.png"));
    press(client, "#close-letter").await;

    // The desk sends the family doctor a note on its own; with no 今すぐ同期
    // (the live stream wakes the app's exchange; the poll would take two
    // minutes) the patient page shows it in full, line breaks kept, with
    // who wrote it.
    let desk_org = region
        .organisation(OrgKind::Desk, "豊島区在宅医療相談窓口")
        .await;
    let mut desk = region.raw_device(&desk_org).await;
    let referral: String = sqlx::query_scalar("SELECT id::text FROM referrals")
        .fetch_one(&region.owner)
        .await
        .unwrap();
    let note = "ご家族より連絡がありました。\n訪問看護の導入について相談したいとのことです。";
    let sent = desk
        .push(json!({"op": "event_appended", "referral_id": referral,
            "event": {"id": uuid::Uuid::now_v7(), "details": null, "voids": null, "note": note}}))
        .await;
    assert_eq!(sent["outcome"], "applied", "{sent}");
    let shown = arrives_without_sync_now(client, "訪問看護の導入").await;
    assert!(
        shown.contains("ご家族より連絡がありました。\n"),
        "{shown:?}"
    );
    let page = text_content(client, "body").await;
    assert!(
        page.contains("地域連携窓口（豊島区在宅医療相談窓口 窓口PC）"),
        "who wrote it: {page}"
    );
    screenshot_display(&artifacts().join("e2e-desk-note.png"));

    // The physician records the patient back home while the desk hears
    // of a readmission (before the app sends the record): refused when
    // it goes, shown as 反映されていません, and it stays so after the next
    // discharge. (The desk's news wakes the app's exchange at once now,
    // so the physician records first.)
    let today = chrono::Local::now().date_naive().to_string();
    let desk_event = |details: serde_json::Value| {
        json!({"op": "event_appended", "referral_id": referral,
            "event": {"id": uuid::Uuid::now_v7(), "details": details, "voids": null, "note": ""}})
    };
    click(client, "[data-testid=referral] button.record-event").await;
    choose(client, "#event-field-status", "returned").await;
    fill(client, "#event-field-date", &today).await;
    press(client, "#save-event").await;
    wait_for_text(client, "#where-now", "自院通院中").await;
    let readmitted = desk
        .push(desk_event(
            json!({"status": "admitted", "date": today, "ward": "3階西病棟", "attending": ""}),
        ))
        .await;
    assert_eq!(readmitted["outcome"], "applied", "{readmitted}");
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-refused", "同期できなかった変更 1件").await;
    let discharged = desk
        .push(desk_event(json!({"status": "discharged", "date": today,
            "destination": {"kind": "other_home_care_doctor", "doctor": "みなみ在宅クリニック 田中医師"}})))
        .await;
    assert_eq!(discharged["outcome"], "applied", "{discharged}");
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-pending", "未送信 0件").await;
    press(client, "#back-to-list").await;
    open_first_patient(client).await;
    wait_for_text(
        client,
        "[data-testid=referral-event-set-aside]",
        "反映されていません",
    )
    .await;
    wait_for_text(
        client,
        "#where-now",
        "在宅（在宅医: みなみ在宅クリニック 田中医師）",
    )
    .await;
    screenshot_display(&artifacts().join("e2e-conflict.png"));
}

/// The home-care team (issue 16): the physician names the team in the
/// consent, starts the team, invites the visiting nurse station from the
/// directory, posts with a file; the nurse accepts and reports in the
/// portal, and her report reaches the open app without 今すぐ同期; the
/// physician acknowledges it and the nurse sees 確認 1/1.
async fn the_home_care_team(client: &Client, region: &Region) {
    let station = register_organisation(
        &region.pool,
        &NewOrganisation {
            kind: OrganisationKind::VisitingNurseStation,
            name: "みどり訪問看護ステーション",
            requires_approval: false,
            phone: "03-3981-1234",
            fax: "03-3981-1235",
        },
        "admin:test",
    )
    .await
    .unwrap();
    let login = nurse_of(region, station.id).await;

    // The consent now names the team; the directory arrives with the sync.
    press(client, "#consent-edit").await;
    press(client, "#consent-share-team").await;
    press(client, "#consent-save").await;
    wait_for_text(client, "#consent-current", "在宅チーム").await;
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-pending", "未送信 0件").await;
    // The team panel hears of the new consent and offers the team.
    wait_for_text(client, "#team-none", "まだチームはありません").await;
    press(client, "#team-start").await;
    wait_for_count(client, "[data-testid=team-member]", 1).await;
    press(client, "#team-invite").await;
    choose(client, "#team-invite-organisation", &station.id.to_string()).await;
    // A station may be the team's 訪問看護 or its リハビリ: the role is asked.
    choose(client, "#team-invite-role", "visiting_nurse").await;
    press(client, "#team-invite-submit").await;
    wait_for_text(client, "#team-members", "招待中").await;

    // A post with a file chosen in the OS dialog.
    let folder = tempfile::tempdir().unwrap();
    // An ASCII name: xdotool types it into the GTK dialog, and kana typed
    // that way arrive garbled now and then.
    let pdf = folder.path().join("discharge-prescription.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\ntrailer <<>>\n%%EOF\n").unwrap();
    fill(
        client,
        "#team-post-body",
        "退院後の初回訪問をお願いします。",
    )
    .await;
    let answer = answer_file_dialog("添付するファイルを選ぶ", pdf, true);
    press(client, "#team-attach").await;
    wait_for_text(client, "#team-post-form", "discharge-prescription.pdf").await;
    answer.join().expect("the open dialog was answered");
    press(client, "#team-post-submit").await;
    wait_for_text(client, "#team-timeline", "退院後の初回訪問をお願いします。").await;
    // (The header's count may still read the state from before the post:
    // the server is asked instead.)
    press(client, "#sync-now").await;
    let started = Instant::now();
    while region
        .count("SELECT count(*) FROM team_attachments WHERE entry_id IS NOT NULL")
        .await
        == 0
    {
        assert!(
            started.elapsed() < WAIT,
            "the post and its file never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The nurse in the portal: accepts, reads, reports a visit.
    let mut nurse = Visitor::new(&region.url());
    let csrf = nurse.sign_in(&login, NURSE_PASSWORD, NURSE_SECRET).await;
    let team: String = sqlx::query_scalar("SELECT id::text FROM teams")
        .fetch_one(&region.owner)
        .await
        .unwrap();
    let member: String =
        sqlx::query_scalar("SELECT id::text FROM team_members WHERE organisation_id = $1")
            .bind(station.id)
            .fetch_one(&region.owner)
            .await
            .unwrap();
    let accepted = nurse
        .post(
            &format!("/portal/teams/{team}/members"),
            &[("member", &member), ("action", "accept"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let page = nurse.get(&format!("/portal/teams/{team}")).await;
    assert!(
        page.body.contains("discharge-prescription.pdf"),
        "{}",
        page.body
    );
    let posted = nurse
        .post_form_data(
            &format!("/portal/teams/{team}/posts"),
            &[
                ("kind", "visit_report"),
                ("body", "初回訪問しました。食事は半分ほど。"),
                ("body_temperature", "36.9"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(posted.status, 303);

    // The report reaches the open app by the live stream.
    let started = Instant::now();
    loop {
        press(client, "#back-to-list").await;
        open_first_patient(client).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let timeline = text_content(client, "#team-timeline").await;
        if timeline.contains("初回訪問しました") {
            assert!(timeline.contains("36.9"), "{timeline}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "the nurse's report never arrived without 今すぐ同期: {timeline}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    wait_for_text(client, "#team-members", "参加中").await;
    client
        .execute(
            "document.querySelector('#team-panel').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot_display(&artifacts().join("e2e-team.png"));
    press(client, "[data-testid=entry-acknowledge]").await;
    press(client, "#sync-now").await;
    let started = Instant::now();
    loop {
        let page = nurse.get(&format!("/portal/teams/{team}")).await;
        if page.body.contains("確認 1&#x2f;1") {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "確認しました never reached the nurse: {}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Opens the patient again (the page reads the store as it opens) until
/// the event note `needle` is there, never pressing 今すぐ同期: only the
/// live stream can bring it this fast (the poll waits two minutes).
async fn arrives_without_sync_now(client: &Client, needle: &str) -> String {
    arrives_in(client, "[data-testid=referral-event-note]", needle).await
}

/// Opens the patient again until `css` shows `needle`, never pressing
/// 今すぐ同期.
async fn arrives_in(client: &Client, css: &str, needle: &str) -> String {
    let started = Instant::now();
    loop {
        press(client, "#back-to-list").await;
        open_first_patient(client).await;
        // The page's panels load after it appears.
        tokio::time::sleep(Duration::from_millis(800)).await;
        let shown = text_content(client, css).await;
        if shown.contains(needle) {
            return shown;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "{needle} never arrived in {css} without 今すぐ同期: {shown:?}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The hospital joins the team (issue 17). The physician pre-registers the
/// patient; 北病院's liaison finds him after an ambulance admission and
/// records 紹介状なし入院, which reaches the open app; she invites the ward
/// nurse, whose post arrives too; she asks the family doctor first about
/// the discharge, and the physician answers 引き受ける with one click — the
/// portal shows it — and sets the discharge conference, which the portal
/// shows on the team's page.
async fn the_hospital_joins_the_team(client: &Client, region: &Region) {
    let north = region.organisation(OrgKind::Hospital, "北病院").await;
    press(client, "#consent-edit").await;
    press(client, "#consent-preregistration").await;
    press(client, "#consent-save").await;
    wait_for_text(client, "#consent-current", "事前登録").await;
    press(client, "#sync-now").await;
    wait_for_text(client, "#sync-pending", "未送信 0件").await;

    let liaison_login = account_of(
        region,
        north.id,
        "north.liaison",
        Role::Liaison,
        Profession::Liaison,
    )
    .await;
    let ward_login = account_of(
        region,
        north.id,
        "north.ward",
        Role::Staff,
        Profession::Nurse,
    )
    .await;
    let mut liaison = Visitor::new(&region.url());
    let csrf = liaison
        .sign_in(&liaison_login, NURSE_PASSWORD, NURSE_SECRET)
        .await;
    let patient: String = sqlx::query_scalar("SELECT id::text FROM patients")
        .fetch_one(&region.owner)
        .await
        .unwrap();
    let found = liaison
        .post(
            "/portal/preregistered",
            &[
                ("name", "やまだたろう"),
                ("birth_date", "1950-04-01"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    let today = (chrono::Utc::now() + chrono::Duration::hours(9)).date_naive();
    let admitted = liaison
        .post(
            &format!("/portal/preregistered/{patient}/admission"),
            &[
                ("date", &today.to_string()),
                ("ward", "5階東病棟"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(admitted.status, 303, "{}", admitted.body);
    let referral = admitted.location.unwrap()["/portal/referrals/".len()..]
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // The admission reaches the open app by the live stream.
    arrives_in(client, "#where-now", "入院中").await;
    screenshot_display(&artifacts().join("e2e-unplanned-admission.png"));

    // The ward nurse, invited by the liaison, posts; the app shows it.
    let team: String = sqlx::query_scalar("SELECT id::text FROM teams")
        .fetch_one(&region.owner)
        .await
        .unwrap();
    let ward_user: String = sqlx::query_scalar("SELECT id::text FROM users WHERE login = $1")
        .bind(&ward_login)
        .fetch_one(&region.owner)
        .await
        .unwrap();
    let invited = liaison
        .post(
            &format!("/portal/teams/{team}/ward-staff"),
            &[("user", &ward_user), ("days", "14"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let mut ward = Visitor::new(&region.url());
    let ward_csrf = ward
        .sign_in(&ward_login, NURSE_PASSWORD, NURSE_SECRET)
        .await;
    let posted = ward
        .post_form_data(
            &format!("/portal/teams/{team}/posts"),
            &[
                ("kind", "note"),
                ("body", "病棟より：本日から離床を始めました。"),
                ("csrf", &ward_csrf),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    arrives_in(client, "#team-timeline", "本日から離床を始めました").await;

    // 退院後の在宅医療の相談: asked on the portal, answered in one click.
    let expected = (today + chrono::Duration::days(10)).to_string();
    let reply_by = (today + chrono::Duration::days(2)).to_string();
    let asked = liaison
        .post(
            &format!("/portal/referrals/{referral}/discharge-requests"),
            &[
                ("expected_date", &expected),
                ("reply_by", &reply_by),
                ("need_home_oxygen", "on"),
                ("note", "奥様と二人暮らしです。"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let card = arrives_in(client, "[data-testid=discharge-request]", "北病院").await;
    assert!(card.contains("在宅酸素"), "{card}");
    screenshot_display(&artifacts().join("e2e-discharge-request.png"));
    press(client, "[data-testid=discharge-accept]").await;
    wait_for_text(client, "[data-testid=discharge-state]", "引き受ける").await;
    press(client, "#sync-now").await;
    let started = Instant::now();
    loop {
        let page = liaison.get(&format!("/portal/referrals/{referral}")).await;
        if page.body.contains("かかりつけ医の回答：<strong") && page.body.contains("引き受ける")
        {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "the answer never reached the portal: {}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // The physician sets the discharge conference from the app.
    let day = (today + chrono::Duration::days(3)).to_string();
    fill(client, "[data-testid=conference-date]", &day).await;
    fill(client, "[data-testid=conference-time]", "14:00").await;
    fill(
        client,
        "[data-testid=conference-place]",
        "北病院 3階 カンファレンス室",
    )
    .await;
    fill(
        client,
        "[data-testid=conference-link]",
        "https://meet.example.jp/abc-defg",
    )
    .await;
    press(client, "[data-testid=conference-submit]").await;
    wait_for_text(
        client,
        "[data-testid=conference]",
        "北病院 3階 カンファレンス室",
    )
    .await;
    screenshot_display(&artifacts().join("e2e-conference.png"));
    press(client, "#sync-now").await;
    let started = Instant::now();
    loop {
        let page = liaison.get(&format!("/portal/teams/{team}")).await;
        if page.body.contains("【退院時カンファレンス】") {
            // (minijinja writes "/" as &#x2f; in the page.)
            assert!(page.body.contains("meet.example.jp"), "{}", page.body);
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "the conference never reached the portal: {}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
