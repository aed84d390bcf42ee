//! Reply letters, the board's filters, the worklist's settings and the loop
//! figures, on a small data set whose figures are worked out by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use tsunagu_app::{
    App, AttachmentFile, BoardFilter, ErrorCode, EventInput, FiguresPeriod, ReplyDraft,
    WorklistSettings,
};
use tsunagu_testkit::fixtures::*;

fn event(status: &str, date: &str) -> EventInput {
    EventInput {
        status: status.into(),
        date: date.into(),
        ..Default::default()
    }
}

fn elsewhere(doctor: &str, date: &str) -> EventInput {
    EventInput {
        destination: "other_home_care_doctor".into(),
        destination_name: doctor.into(),
        ..event("discharged", date)
    }
}

fn reply(received_on: &str) -> ReplyDraft {
    ReplyDraft {
        received_on: received_on.into(),
        final_diagnosis: "慢性心不全".into(),
        ..Default::default()
    }
}

async fn record(app: &App, referral: &str, events: &[EventInput]) {
    for e in events {
        app.record_referral_event(referral, e)
            .await
            .unwrap_or_else(|err| panic!("{e:?}: {err:?}"));
    }
}

/// Six referrals (the figures' data set), recorded by an app on 2027-06-30:
/// 豊島中央病院 r1 (acknowledged in 2 days, reply in 15, back to this
/// clinic), r2 (4 days, reply in 28, home with another doctor), r3 (no
/// news since 03-01: lost); 目白病院 r4 (10 days, died), r5 (cancelled) and
/// r6 (sent in December, outside the period).
async fn data_set(t: &TestApp) -> (App, Vec<String>) {
    save_clinic(&t.app).await;
    let later = app_on(&t.app, ymd(2027, 6, 30));
    let mut ids = Vec::new();
    for (i, (sent, hospital)) in [
        ((2027, 1, 5), "豊島中央病院"),
        ((2027, 2, 1), "豊島中央病院"),
        ((2027, 3, 1), "豊島中央病院"),
        ((2027, 1, 10), "目白病院"),
        ((2027, 2, 15), "目白病院"),
        ((2026, 12, 20), "目白病院"),
    ]
    .into_iter()
    .enumerate()
    {
        let patient = create(
            &t.app,
            &patient(&format!("患者　{i}"), "かんじゃ", "S30.1.1", ""),
        )
        .await;
        let on = app_on(&t.app, ymd(sent.0, sent.1, sent.2));
        ids.push(refer(&on, &patient.id.to_string(), hospital).await);
    }
    record(
        &later,
        &ids[0],
        &[
            event("received", "2027-01-07"),
            event("admitted", "2027-01-10"),
            EventInput {
                destination: "this_clinic".into(),
                ..event("discharged", "2027-01-25")
            },
        ],
    )
    .await;
    later
        .record_reply(&ids[0], &reply("2027-01-20"), None)
        .await
        .unwrap();
    record(
        &later,
        &ids[1],
        &[
            event("admitted", "2027-02-05"),
            elsewhere("みなみ在宅クリニック", "2027-02-20"),
        ],
    )
    .await;
    later
        .record_reply(&ids[1], &reply("2027-03-01"), None)
        .await
        .unwrap();
    record(
        &later,
        &ids[3],
        &[
            event("visited", "2027-01-20"),
            EventInput {
                place: "自宅".into(),
                ..event("deceased", "2027-02-10")
            },
        ],
    )
    .await;
    record(
        &later,
        &ids[4],
        &[EventInput {
            reason: "本人の希望で受診せず".into(),
            ..event("cancelled", "2027-02-16")
        }],
    )
    .await;
    (later, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loop_figures_match_the_hand_computed_values() {
    let t = new_app().await;
    let (later, _) = data_set(&t).await;
    let figures = later
        .loop_figures(&FiguresPeriod {
            from: "2027-01-01".into(),
            to: "令和9年3月31日".into(),
        })
        .await
        .unwrap();
    let all = &figures.overall;
    assert_eq!((all.sent, all.acknowledged, all.replied), (4, 3, 2));
    assert_eq!(
        (all.acknowledged_pct, all.replied_pct),
        (Some(75.0), Some(50.0))
    );
    assert_eq!(all.median_days_to_acknowledgement, Some(4.0));
    assert_eq!(all.median_days_to_reply, Some(21.5));
    // 自院, 他の在宅医, 施設, 死亡, 不明.
    assert_eq!(all.outcomes, [1, 1, 0, 1, 1]);
    assert_eq!(all.lost, 1);
    assert_eq!(figures.cancelled, 1);

    let names: Vec<&str> = figures
        .by_hospital
        .iter()
        .map(|r| r.hospital.as_str())
        .collect();
    assert_eq!(names, ["豊島中央病院", "目白病院"]);
    let toshima = &figures.by_hospital[0];
    assert_eq!(
        (toshima.sent, toshima.acknowledged, toshima.replied),
        (3, 2, 2)
    );
    assert_eq!(toshima.median_days_to_acknowledgement, Some(3.0));
    assert_eq!(toshima.outcomes, [1, 1, 0, 0, 1]);
    assert_eq!(toshima.lost, 1);
    let mejiro = &figures.by_hospital[1];
    assert_eq!((mejiro.sent, mejiro.replied_pct), (1, Some(0.0)));
    assert_eq!(mejiro.median_days_to_reply, None);
    assert_eq!(mejiro.outcomes, [0, 0, 0, 1, 0]);

    let csv = String::from_utf8(figures.to_csv().unwrap()).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("\u{feff}紹介先,紹介数,受付確認,")
    );
    assert_eq!(
        lines.next().unwrap(),
        "全体,4,3,75.0,2,50.0,4.0,21.5,1,1,0,1,1,1"
    );
    assert_eq!(
        lines.next().unwrap(),
        "豊島中央病院,3,2,66.7,2,66.7,3.0,21.5,1,1,0,0,1,1"
    );

    let backwards = later
        .loop_figures(&FiguresPeriod {
            from: "2027-03-31".into(),
            to: "2027-01-01".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        message_on(&backwards, "to"),
        "終了日が開始日より前になっています。"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_filters_orders_and_flags_what_is_overdue() {
    let t = new_app().await;
    let (later, ids) = data_set(&t).await;
    let board = |filter: BoardFilter| {
        let later = later.clone();
        async move { later.referral_board(&filter).await.unwrap() }
    };
    // Open: r1 (back home, open until closed), r2, r3, r4 (died, not closed), r6.
    let open = board(BoardFilter::default()).await;
    assert_eq!(open.total, 5);
    // Overdue, and first: r3 and r6, never acknowledged. (r4 has no reply
    // either, but died: the worklist says so instead.)
    let flagged: Vec<(&str, Option<&str>)> = open
        .rows
        .iter()
        .map(|r| (r.tracking_code.as_str(), r.overdue.as_deref()))
        .filter(|(_, o)| o.is_some())
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert!(flagged.iter().all(|(_, o)| *o == Some("受付の連絡なし")));
    assert!(open.rows[0].overdue.is_some() && open.rows[1].overdue.is_some());
    // Three referrals each; then by name.
    assert_eq!(open.hospitals, ["目白病院", "豊島中央病院"]);

    let mejiro = board(BoardFilter {
        hospital: "目白病院".into(),
        scope: "all".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(mejiro.total, 3);
    let cancelled = board(BoardFilter {
        scope: "closed".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(cancelled.rows.len(), 1);
    assert_eq!(cancelled.rows[0].referral_id.to_string(), ids[4]);
    let died = board(BoardFilter {
        status: "deceased".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(died.rows[0].referral_id.to_string(), ids[3]);
    let february = board(BoardFilter {
        scope: "all".into(),
        sent_from: "2027-02-01".into(),
        sent_to: "R9.2.28".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(february.total, 2);
    let overdue = board(BoardFilter {
        overdue_only: true,
        ..Default::default()
    })
    .await;
    assert_eq!(overdue.total, 2);

    // Closed ones are found by the patient's name, its reading, or the code.
    let by_name = board(BoardFilter {
        scope: "all".into(),
        text: "患者　4".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_name.rows[0].referral_id.to_string(), ids[4]);
    let code = by_name.rows[0]
        .tracking_code
        .replace('-', "")
        .to_lowercase();
    let by_code = board(BoardFilter {
        scope: "all".into(),
        text: code,
        ..Default::default()
    })
    .await;
    assert_eq!(by_code.total, 1);
    let by_reading = board(BoardFilter {
        scope: "all".into(),
        text: "カンジャ".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_reading.total, 6);
    let wildcard = board(BoardFilter {
        scope: "all".into(),
        text: "%".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(wildcard.total, 0, "a typed % matches itself only");

    let err = later
        .referral_board(&BoardFilter {
            sent_from: "2027-03-01".into(),
            sent_to: "2027-02-01".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["sentTo"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worklist_thresholds_are_settings_with_defaults() {
    let t = new_app().await;
    save_clinic(&t.app).await;
    let p = create(&t.app, &yamada()).await.id.to_string();
    let referral = refer(&t.app, &p, "豊島中央病院").await;
    assert_eq!(
        t.app.worklist_settings().await.unwrap(),
        WorklistSettings {
            days_to_acknowledgement: 7,
            days_to_reply: 14
        }
    );
    let err = t
        .app
        .save_worklist_settings(WorklistSettings {
            days_to_acknowledgement: 0,
            days_to_reply: 400,
        })
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["daysToAcknowledgement", "daysToReply"]);
    t.app
        .save_worklist_settings(WorklistSettings {
            days_to_acknowledgement: 3,
            days_to_reply: 30,
        })
        .await
        .unwrap();
    let day3 = app_on(&t.app, ymd(2026, 11, 27));
    assert_eq!(day3.worklist().await.unwrap().len(), 1);
    assert!(
        app_on(&t.app, ymd(2026, 11, 26))
            .worklist()
            .await
            .unwrap()
            .is_empty()
    );
    record(&day3, &referral, &[event("visited", "2026-11-26")]).await;
    assert!(
        app_on(&t.app, ymd(2026, 12, 25))
            .worklist()
            .await
            .unwrap()
            .is_empty()
    );
    let day30 = app_on(&t.app, ymd(2026, 12, 26)).worklist().await.unwrap();
    assert_eq!(day30[0].title, "返書が届いていません");

    // Each new item is announced once.
    let on = app_on(&t.app, ymd(2026, 12, 26));
    assert_eq!(on.new_worklist_alerts().await.unwrap().len(), 1);
    assert!(on.new_worklist_alerts().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_with_its_scan_is_kept_and_bad_files_are_refused() {
    let t = new_app().await;
    save_clinic(&t.app).await;
    let p = create(&t.app, &yamada()).await.id.to_string();
    let referral = refer(&t.app, &p, "豊島中央病院").await;
    let later = app_on(&t.app, ymd(2026, 12, 20));
    record(&later, &referral, &[event("visited", "2026-11-30")]).await;

    let word = AttachmentFile {
        name: "返書.docx".into(),
        bytes: b"PK\x03\x04 not a scan".to_vec(),
    };
    let err = later
        .record_reply(&referral, &reply("2026-12-10"), Some(word))
        .await
        .unwrap_err();
    assert_eq!(
        message_on(&err, "attachment"),
        "PDFか画像（PNG・JPEG・TIFF）のファイルを選んでください。"
    );
    let huge = AttachmentFile {
        name: "scan.pdf".into(),
        bytes: [b"%PDF-1.7\n".as_slice(), &vec![b' '; 20 * 1024 * 1024]].concat(),
    };
    let err = later
        .record_reply(&referral, &reply("2026-12-10"), Some(huge))
        .await
        .unwrap_err();
    assert!(message_on(&err, "attachment").contains("20MB"));
    let err = later
        .record_reply(&referral, &reply("2026-11-01"), None)
        .await
        .unwrap_err();
    assert!(message_on(&err, "receivedOn").contains("紹介した日"));
    assert!(later.referral(&referral).await.unwrap().replies.is_empty());

    let scan = [b"%PDF-1.4\n".as_slice(), "返書スキャン".as_bytes()].concat();
    let view = later
        .record_reply(
            &referral,
            &ReplyDraft {
                received_on: "2026-12-10".into(),
                initial_diagnosis: "心不全疑い".into(),
                final_diagnosis: "慢性心不全急性増悪".into(),
                findings: "BNP 850".into(),
                treatment: "利尿薬".into(),
                recommendations: "外来で体重管理".into(),
                medication_changes: "フロセミド20mg追加".into(),
                note: String::new(),
            },
            Some(AttachmentFile {
                name: "toshima-reply.pdf".into(),
                bytes: scan.clone(),
            }),
        )
        .await
        .unwrap();
    let stored = &view.replies[0];
    assert_eq!(stored.received_on, "令和8年12月10日");
    assert_eq!(stored.findings.medication_changes, "フロセミド20mg追加");
    assert_eq!(stored.attachment_name.as_deref(), Some("toshima-reply.pdf"));
    assert_eq!(stored.attachment_size, Some(scan.len() as i64));
    let taken = later
        .reply_attachment(&stored.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        (taken.bytes, taken.media_type.as_str()),
        (scan, "application/pdf")
    );
    let trail = t
        .app
        .store()
        .audit_trail(&stored.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 2, "recorded, then viewed: {trail:?}");

    let missing = later
        .reply_attachment(&uuid::Uuid::nil().to_string())
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}
