//! ACP (人生会議) as the clinic records it: a new version per
//! conversation, signed; the current wishes first; a refused form keeps
//! nothing; a clerk may neither read nor record; and the review reminder
//! on 要確認, six months on or after a discharge. Real SQLCipher, the
//! clock moved by making an app on another day.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use tsunagu_app::{
    ACP_REVIEW_TITLE, AccountInput, AcpDraft, AcpParticipantDraft, ConsentScope, ErrorCode,
    EventInput, TeamSharingConsentDraft, Treatment,
};
use tsunagu_testkit::fixtures::{
    app_on, create, field_keys, new_app, refer, save_clinic, validation_error, yamada, ymd,
};

fn draft(held_on: &str, cpr: &str) -> AcpDraft {
    AcpDraft {
        held_on: held_on.into(),
        participants: vec![
            AcpParticipantDraft {
                role: "patient".into(),
                ..Default::default()
            },
            AcpParticipantDraft {
                role: "family".into(),
                name: "山田 花子".into(),
                relation: "長女".into(),
            },
            AcpParticipantDraft {
                role: "nurse".into(),
                name: "訪問看護 佐藤".into(),
                relation: String::new(),
            },
        ],
        values: "家で孫と過ごしたい".into(),
        place_of_care: "home".into(),
        place_of_death: "home".into(),
        wishes: Treatment::ALL
            .iter()
            .map(|t| {
                let wish = if *t == Treatment::Cpr {
                    cpr
                } else {
                    "undecided"
                };
                (t.code().to_string(), wish.to_string())
            })
            .collect(),
        surrogate_name: "山田 花子".into(),
        surrogate_relation: "長女".into(),
        surrogate_phone: "090-1234-5678".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_conversation_is_a_new_signed_version_the_latest_first() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let empty = t.app.acp_history(&patient).await.unwrap();
    assert!(empty.versions.is_empty() && empty.review.is_none());

    t.app
        .record_acp(&patient, &draft("2026-05-10", "wants"))
        .await
        .unwrap();
    let history = t
        .app
        .record_acp(&patient, &draft("令和8年11月20日", "declines"))
        .await
        .unwrap()
        .history;
    assert_eq!(history.versions.len(), 2);
    let current = &history.versions[0];
    assert_eq!(current.held_on_label, "令和8年11月20日");
    assert_eq!(current.wishes[0].wish_label, "希望しない（DNAR）");
    assert_eq!(current.participants[1].label, "家族（長女 山田 花子）");
    assert_eq!(current.place_of_death_label, "自宅");
    // Signed by the app's physician (no accounts in this app).
    assert!(
        current.recorded_by.starts_with("医師 "),
        "{}",
        current.recorded_by
    );
    assert_eq!(history.versions[1].wishes[0].wish, "wants");
    assert!(history.review.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_a_date_or_participants_keeps_nothing() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let mut bad = draft("", "declines");
    bad.participants.clear();
    bad.wishes.retain(|(t, _)| t != "cpr");
    let err = validation_error(t.app.record_acp(&patient, &bad).await);
    assert_eq!(field_keys(&err), ["heldOn", "participants", "wish.cpr"]);
    assert!(
        t.app
            .acp_history(&patient)
            .await
            .unwrap()
            .versions
            .is_empty()
    );
    // A patient that does not exist is not found.
    let err = t
        .app
        .record_acp(
            &uuid::Uuid::now_v7().to_string(),
            &draft("2026-11-01", "wants"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_neither_reads_nor_records_and_a_nurse_signs_as_nurse() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let app = t.app.clone().requiring_accounts();
    app.create_first_account(&AccountInput {
        login: "admin".into(),
        display_name: "受付 田中".into(),
        role: "clerk".into(),
        is_admin: true,
        password: "さくら内科の受付です".into(),
    })
    .await
    .unwrap();
    let refused = app
        .record_acp(&patient, &draft("2026-11-01", "wants"))
        .await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
    assert_eq!(
        app.acp_history(&patient).await.unwrap_err().code,
        ErrorCode::Forbidden
    );
    app.add_account(&AccountInput {
        login: "nurse".into(),
        display_name: "佐藤 花子".into(),
        role: "nurse".into(),
        is_admin: false,
        password: "看護師の佐藤花子です".into(),
    })
    .await
    .unwrap();
    app.sign_out().await.unwrap();
    app.sign_in("nurse", "看護師の佐藤花子です").await.unwrap();
    let history = app
        .record_acp(&patient, &draft("2026-11-01", "wants"))
        .await
        .unwrap()
        .history;
    assert_eq!(history.versions[0].recorded_by, "看護師 佐藤 花子");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_reminder_comes_six_months_on_and_after_a_discharge() {
    let t = new_app().await;
    save_clinic(&t.app).await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    t.app
        .record_acp(&patient, &draft("2026-06-01", "declines"))
        .await
        .unwrap();
    let reminders = |items: Vec<tsunagu_app::WorklistItem>| -> Vec<(String, String)> {
        items
            .into_iter()
            .filter(|i| i.title == ACP_REVIEW_TITLE)
            .map(|i| (i.key, i.detail))
            .collect()
    };
    // Today (24 November) is within six months of 1 June; 1 December is not.
    assert!(reminders(t.app.worklist().await.unwrap()).is_empty());
    let later = app_on(&t.app, ymd(2026, 12, 1));
    let due = reminders(later.worklist().await.unwrap());
    assert_eq!(due.len(), 1);
    assert!(due[0].1.contains("令和8年6月1日"), "{due:?}");
    assert!(later.acp_history(&patient).await.unwrap().review.is_some());

    // Recorded again: off the list.
    later
        .record_acp(&patient, &draft("2026-12-01", "declines"))
        .await
        .unwrap();
    assert!(reminders(later.worklist().await.unwrap()).is_empty());

    // Admitted and discharged home after that conversation: due again.
    let referral = refer(&later, &patient, "豊島中央病院").await;
    let on = |status: &str, date: &str| EventInput {
        status: status.into(),
        date: date.into(),
        ..Default::default()
    };
    let discharged_day = app_on(&t.app, ymd(2026, 12, 20));
    discharged_day
        .record_referral_event(&referral, &on("admitted", "2026-12-05"))
        .await
        .unwrap();
    discharged_day
        .record_referral_event(
            &referral,
            &EventInput {
                destination: "this_clinic".into(),
                ..on("discharged", "2026-12-18")
            },
        )
        .await
        .unwrap();
    let due = reminders(discharged_day.worklist().await.unwrap());
    assert_eq!(due.len(), 1, "{due:?}");
    assert!(due[0].1.contains("退院"), "{due:?}");

    // A 死亡 recorded: no review is asked, on the list or on the page.
    // Voided as entered in error: asked again.
    let died = discharged_day
        .record_referral_event(
            &referral,
            &EventInput {
                place: "自宅".into(),
                ..on("deceased", "2026-12-19")
            },
        )
        .await
        .unwrap();
    assert!(reminders(discharged_day.worklist().await.unwrap()).is_empty());
    let history = discharged_day.acp_history(&patient).await.unwrap();
    assert_eq!(history.review, None);
    let death = died.events.last().unwrap().id.to_string();
    discharged_day
        .void_referral_event(&referral, &death, "別の患者の記録と取り違え")
        .await
        .unwrap();
    assert_eq!(reminders(discharged_day.worklist().await.unwrap()).len(), 1);
}

/// With a team under consent, the new wishes reach the timeline as a 連絡;
/// without one, the record is kept and nothing is posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_wishes_are_posted_on_the_teams_timeline() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let alone = t
        .app
        .record_acp(&patient, &draft("2026-11-01", "wants"))
        .await
        .unwrap();
    assert!(!alone.shared_on_timeline);

    t.app
        .save_team_consent(
            &patient,
            None,
            &TeamSharingConsentDraft {
                obtained_on: "2026-11-20".into(),
                obtained_by: "鈴木　一郎".into(),
                scopes: vec![ConsentScope::Desk, ConsentScope::Team],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let team = t.app.start_team(&patient).await.unwrap().team.unwrap();
    let recorded = t
        .app
        .record_acp(&patient, &draft("2026-11-20", "declines"))
        .await
        .unwrap();
    assert!(recorded.shared_on_timeline);
    let timeline = t.app.team_timeline(&team.id.to_string()).await.unwrap();
    let bodies: Vec<&str> = timeline.posts.iter().map(|e| e.body.as_str()).collect();
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("人生会議の記録を更新しました")
                && b.contains("希望しない（DNAR）")
                && b.contains("代理意思決定者：山田 花子（長女）")),
        "{bodies:?}"
    );
}
