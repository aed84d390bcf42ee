//! The four "missing patient" cases of the brief, recorded event by event;
//! each ends with the patient page saying where the patient is. Plus the
//! refusals: impossible transitions, bad dates, and corrections.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use tsunagu_app::{BoardFilter, ErrorCode, EventInput, ReplyDraft};
use tsunagu_testkit::fixtures::*;

fn open_board() -> BoardFilter {
    BoardFilter::default()
}

/// The referral is issued on 2026-11-24; the events are recorded later, by
/// an app whose clock reads 2027-03-01.
async fn referred() -> (Later, String, String) {
    let t = new_app().await;
    save_clinic(&t.app).await;
    let patient = t
        .app
        .create_patient(&yamada())
        .await
        .unwrap()
        .id
        .to_string();
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "自院通院中"
    );
    let referral = refer(&t.app, &patient, "豊島中央病院").await;
    let app = app_on(&t.app, ymd(2027, 3, 1));
    (Later { app, _t: t }, patient, referral)
}

struct Later {
    app: tsunagu_app::App,
    _t: TestApp,
}

/// How a case ends: the patient page, the board (closed ones included) and
/// the worklist each say the right thing.
async fn ends_with(t: &Later, patient: &str, where_now: &str, worklist: &[&str]) {
    assert_eq!(t.app.patient_where_now(patient).await.unwrap(), where_now);
    let all = BoardFilter {
        scope: "all".into(),
        ..Default::default()
    };
    let board = t.app.referral_board(&all).await.unwrap().rows;
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].where_now, where_now);
    let titles: Vec<String> = t
        .app
        .worklist()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.title)
        .collect();
    assert_eq!(titles, worklist);
}

fn event(status: &str, date: &str) -> EventInput {
    EventInput {
        status: status.into(),
        date: date.into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_1_discharged_to_a_new_home_care_doctor() {
    let (t, patient, referral) = referred().await;
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "豊島中央病院へ紹介中"
    );
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                ward: "5階東病棟".into(),
                ..event("admitted", "2026-11-26")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "豊島中央病院 入院中（5階東病棟）"
    );
    let view = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "other_home_care_doctor".into(),
                destination_name: "みなみ在宅クリニック 田中医師".into(),
                ..event("discharged", "令和8年12月10日")
            },
        )
        .await
        .unwrap();
    assert_eq!(view.status.label_ja(), "退院");
    assert_eq!(view.events.len(), 3);
    assert_eq!(
        view.events[2].summary,
        "退院先 在宅（在宅医: みなみ在宅クリニック 田中医師）"
    );
    assert_eq!(view.events[2].source, "この医院");
    ends_with(
        &t,
        &patient,
        "在宅（在宅医: みなみ在宅クリニック 田中医師）",
        &["自院以外へ退院しました", "返書が届いていません"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_2_transferred_to_rehabilitation_then_home_with_another_doctor() {
    let (t, patient, referral) = referred().await;
    for input in [
        event("admitted", "2026-11-25"),
        EventInput {
            hospital: "目白リハビリテーション病院".into(),
            ..event("transferred", "2026-12-05")
        },
    ] {
        t.app
            .record_referral_event(&referral, &input)
            .await
            .unwrap();
    }
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "目白リハビリテーション病院 入院中"
    );
    let view = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "other_home_care_doctor".into(),
                destination_name: "目白在宅診療所".into(),
                ..event("discharged", "2027-01-20")
            },
        )
        .await
        .unwrap();
    assert_eq!(view.hospital, "目白リハビリテーション病院");
    ends_with(
        &t,
        &patient,
        "在宅（在宅医: 目白在宅診療所）",
        &["自院以外へ退院しました", "返書が届いていません"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_3_admitted_then_home_hospice_with_a_visiting_nurse() {
    let (t, patient, referral) = referred().await;
    t.app
        .record_referral_event(&referral, &event("admitted", "2026-11-25"))
        .await
        .unwrap();
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                expected_date: "2026-12-20".into(),
                team: "訪問看護ステーションさくら・ケアマネ 山本".into(),
                ..event("discharge_planned", "2026-12-10")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "豊島中央病院 退院調整中（退院予定 令和8年12月20日）"
    );
    let planned = t.app.referral(&referral).await.unwrap();
    assert!(
        planned.events[2]
            .summary
            .ends_with("在宅チーム 訪問看護ステーションさくら・ケアマネ 山本"),
        "{:?}",
        planned.events[2]
    );
    // A team name longer than the portal and the server accept: refused here.
    let err = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                expected_date: "2026-12-21".into(),
                team: "チ".repeat(201),
                ..event("discharge_planned", "2026-12-11")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "team");
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "other_home_care_doctor".into(),
                destination_name: "在宅ホスピスあおば（訪問看護ステーションさくら）".into(),
                note: "緩和ケア目的で在宅へ".into(),
                ..event("discharged", "2026-12-20")
            },
        )
        .await
        .unwrap();
    ends_with(
        &t,
        &patient,
        "在宅（在宅医: 在宅ホスピスあおば（訪問看護ステーションさくら））",
        &["自院以外へ退院しました", "返書が届いていません"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_4_died_at_home() {
    let (t, patient, referral) = referred().await;
    t.app
        .record_referral_event(&referral, &event("admitted", "2026-11-25"))
        .await
        .unwrap();
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "this_clinic".into(),
                ..event("discharged", "2026-12-01")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "自院通院中"
    );
    let view = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                place: "自宅".into(),
                ..event("deceased", "2027-02-03")
            },
        )
        .await
        .unwrap();
    assert_eq!(view.status.label_ja(), "死亡");
    assert_eq!(t.app.patient_where_now(&patient).await.unwrap(), "死亡");

    // Still on the board (death is not the end of the episode until closed).
    let board = t.app.referral_board(&open_board()).await.unwrap().rows;
    assert_eq!(board.len(), 1);
    assert_eq!(
        (board[0].patient_name.as_str(), board[0].where_now.as_str()),
        ("山田　太郎", "死亡")
    );
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                reason: "在宅で看取り".into(),
                ..event("closed", "2027-02-04")
            },
        )
        .await
        .unwrap();
    assert!(
        t.app
            .referral_board(&open_board())
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    let all = BoardFilter {
        scope: "all".into(),
        ..Default::default()
    };
    assert_eq!(t.app.referral_board(&all).await.unwrap().rows.len(), 1);
    ends_with(&t, &patient, "死亡", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impossible_events_are_refused_with_the_reason_and_nothing_is_stored() {
    let (t, _patient, referral) = referred().await;
    // 退院 straight after 紹介済.
    let err = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "this_clinic".into(),
                ..event("discharged", "2026-12-01")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        err.message,
        "記録できません：「紹介済」のあとに「退院」は記録できません。"
    );
    // Dated before the referral (issued 2026-11-24).
    let err = t
        .app
        .record_referral_event(&referral, &event("admitted", "2026-11-01"))
        .await
        .unwrap_err();
    assert!(err.message.contains("前の記録"), "{}", err.message);
    // A day that has not come yet.
    let err = t
        .app
        .record_referral_event(&referral, &event("admitted", "2027-03-02"))
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "date");
    // Missing fields.
    let err = t
        .app
        .record_referral_event(&referral, &event("discharged", ""))
        .await
        .unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["date", "destination"]);
    let err = t
        .app
        .record_referral_event(&referral, &event("sent", "2026-12-01"))
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "status");
    assert_eq!(t.app.referral(&referral).await.unwrap().events.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_entry_is_voided_and_stays_visible() {
    let (t, patient, referral) = referred().await;
    let view = t
        .app
        .record_referral_event(
            &referral,
            &EventInput {
                place: "病院".into(),
                ..event("deceased", "2026-11-30")
            },
        )
        .await
        .unwrap();
    let wrong = view.events[1].id.to_string();
    let err = t
        .app
        .void_referral_event(&referral, &wrong, " ")
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "reason");
    let view = t
        .app
        .void_referral_event(&referral, &wrong, "別の患者の記録と取り違え")
        .await
        .unwrap();
    assert_eq!(view.status.label_ja(), "紹介済");
    assert_eq!(view.events.len(), 3);
    assert!(view.events[1].voided);
    assert_eq!(view.events[2].title, "記録の取り消し");
    assert_eq!(
        t.app.patient_where_now(&patient).await.unwrap(),
        "豊島中央病院へ紹介中"
    );
    // The start cannot be voided.
    let first = view.events[0].id.to_string();
    let err = t
        .app
        .void_referral_event(&referral, &first, "間違い")
        .await
        .unwrap_err();
    assert!(err.message.contains("取消"), "{}", err.message);
}

// ---------------------------------------------------------------------------
// The morning worklist
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worklist_raises_silence_overdue_discharges_discharges_elsewhere_and_deaths() {
    let (t, _patient, referral) = referred().await;
    let sent_day = ymd(2026, 11, 24);
    // Six days after sending: nothing yet; seven: no acknowledgement.
    assert!(
        app_on(&t.app, sent_day + chrono::Days::new(6))
            .worklist()
            .await
            .unwrap()
            .is_empty()
    );
    let day7 = app_on(&t.app, sent_day + chrono::Days::new(7))
        .worklist()
        .await
        .unwrap();
    assert_eq!(day7.len(), 1);
    assert_eq!(day7[0].title, "受付の連絡がありません");
    assert_eq!(day7[0].detail, "紹介から7日（令和8年11月24日）");
    assert_eq!(day7[0].patient_name, "山田　太郎");

    // Admitted, discharge expected 2027-01-10: raised from 01-11 on.
    t.app
        .record_referral_event(&referral, &event("admitted", "2026-12-01"))
        .await
        .unwrap();
    // Admitted on 12-01 and no reply letter 14 days later.
    assert!(
        app_on(&t.app, ymd(2026, 12, 14))
            .worklist()
            .await
            .unwrap()
            .is_empty()
    );
    let no_reply = app_on(&t.app, ymd(2026, 12, 15)).worklist().await.unwrap();
    assert_eq!(no_reply.len(), 1);
    assert_eq!(no_reply[0].title, "返書が届いていません");
    assert_eq!(no_reply[0].detail, "受診・入院から14日（令和8年12月1日）");
    t.app
        .record_reply(
            &referral,
            &ReplyDraft {
                received_on: "2026-12-10".into(),
                initial_diagnosis: "慢性心不全急性増悪".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert!(
        app_on(&t.app, ymd(2026, 12, 15))
            .worklist()
            .await
            .unwrap()
            .is_empty(),
        "a reply closes the loop"
    );
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                expected_date: "2027-01-10".into(),
                ..event("discharge_planned", "2026-12-20")
            },
        )
        .await
        .unwrap();
    assert!(
        app_on(&t.app, ymd(2027, 1, 10))
            .worklist()
            .await
            .unwrap()
            .is_empty()
    );
    let overdue = app_on(&t.app, ymd(2027, 1, 11)).worklist().await.unwrap();
    assert_eq!(overdue[0].title, "退院予定日を過ぎています");

    // Discharged to another doctor: raised at once, until dismissed with a reason.
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "other_home_care_doctor".into(),
                destination_name: "みなみ在宅クリニック".into(),
                ..event("discharged", "2027-01-15")
            },
        )
        .await
        .unwrap();
    let items = t.app.worklist().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].title, "自院以外へ退院しました");
    assert!(items[0].detail.contains("みなみ在宅クリニック"));
    let err = t
        .app
        .dismiss_worklist_item(&referral, &items[0].key, "")
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "reason");
    let after = t
        .app
        .dismiss_worklist_item(&referral, &items[0].key, "在宅医と電話で確認、情報提供済み")
        .await
        .unwrap();
    assert!(after.items.is_empty());
    assert_eq!(after.total, 0);

    // A death is a new situation: raised again.
    t.app
        .record_referral_event(
            &referral,
            &EventInput {
                place: "自宅".into(),
                ..event("deceased", "2027-02-20")
            },
        )
        .await
        .unwrap();
    let items = t.app.worklist().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].title, "死亡の連絡がありました");
}
