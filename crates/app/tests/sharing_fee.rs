//! 在宅医療情報連携加算 (ADR 0039) as the clinic keeps it: the month's
//! record checked by field, signed, kept as versions and shared on the
//! team's timeline; and the monthly report (screen and CSV) saying, per
//! home-care patient, what is met and what is missing. Real SQLCipher, the
//! clock fixed at 2026-11-24; the server's feed simulated as a pull
//! applies it (`pulled_changes`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use chrono::{DateTime, TimeZone, Utc};
use tsunagu_app::{
    AccountInput, App, ErrorCode, SharingFeeDraft, SharingFeeRequirement, TeamSharingConsentDraft,
    pulled_changes, sharing_fee_csv_header,
};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::{EntryKind, MemberState, TeamRole};
use tsunagu_protocol::{ChangeBody, TeamChangeBody, WireEntry, WireMember};
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

use SharingFeeRequirement as R;

/// The server's feed, one page at a time.
struct Feed {
    seq: i64,
}

impl Feed {
    async fn send(&mut self, app: &App, bodies: Vec<ChangeBody>) {
        let mut changes = Vec::new();
        for body in bodies {
            self.seq += 1;
            for change in pulled_changes(body).unwrap() {
                changes.push((self.seq, change));
            }
        }
        app.store()
            .apply_pulled(&changes, self.seq, now())
            .await
            .unwrap();
    }
}

fn consent() -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "鈴木　一郎".into(),
        by_family: false,
        family_name: String::new(),
        family_relation: String::new(),
        scopes: vec![ConsentScope::Desk, ConsentScope::Team],
        withdrawn_on: String::new(),
        preregistered_with: Vec::new(),
    }
}

fn nurse_member(id: Uuid) -> WireMember {
    WireMember {
        id,
        organisation_id: Some(Uuid::now_v7()),
        name: "みどり訪問看護ステーション".into(),
        kind: "visiting_nurse_station".into(),
        role: TeamRole::VisitingNurse.code().into(),
        state: MemberState::Active.code().into(),
        person: "田中".into(),
        phone: "03-2222-3333".into(),
        fax: String::new(),
        relation: String::new(),
        expires_at: None,
        needs_approval: false,
        access_until: None,
        first_contact_for: vec![],
        invited_by: None,
    }
}

fn nurse_post(seq: i64, author: Uuid, at: DateTime<Utc>) -> WireEntry {
    WireEntry {
        id: Uuid::now_v7(),
        seq,
        kind: EntryKind::VisitReport.code().into(),
        body: "本日訪問。食事量やや低下。".into(),
        author_member: Some(author),
        author: "みどり訪問看護ステーション 看護師 田中".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: vec![],
        request_state: None,
        posted_at: at,
    }
}

struct Setup {
    t: TestApp,
    patient: String,
    team: String,
    team_id: Uuid,
    nurse: Uuid,
    feed: Feed,
}

/// 山田 with a team under consent and a visiting nurse on it.
async fn with_team() -> Setup {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    t.app
        .save_team_consent(&patient, None, &consent())
        .await
        .unwrap();
    let team = t.app.start_team(&patient).await.unwrap().team.unwrap();
    let nurse = Uuid::now_v7();
    let mut feed = Feed { seq: 0 };
    feed.send(
        &t.app,
        vec![
            ChangeBody::Team(TeamChangeBody::Started {
                team_id: team.id,
                patient_id: patient.parse().unwrap(),
                started_at: now(),
            }),
            ChangeBody::Team(TeamChangeBody::Member {
                team_id: team.id,
                member: nurse_member(nurse),
            }),
        ],
    )
    .await;
    Setup {
        t,
        patient,
        team: team.id.to_string(),
        team_id: team.id,
        nurse,
        feed,
    }
}

impl Setup {
    async fn nurse_posts(&mut self, at: &[DateTime<Utc>]) {
        let bodies = at
            .iter()
            .map(|at| {
                let seq = self.feed.seq + 1;
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: self.team_id,
                    entry: nurse_post(seq, self.nurse, *at),
                })
            })
            .collect::<Vec<_>>();
        // One page per post, so each gets its own sequence number.
        for body in bodies {
            self.feed.send(&self.t.app, vec![body]).await;
        }
    }
}

fn draft() -> SharingFeeDraft {
    SharingFeeDraft {
        month: "2026-11".into(),
        next_visit: "R8.12.8".into(),
        policy_changed: Some(false),
        change_summary: String::new(),
        care_points: "夜間の呼吸苦は訪問看護に連絡".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_month_is_recorded_shared_and_reported_with_nothing_missing() {
    let mut s = with_team().await;
    s.nurse_posts(&[now(), now()]).await;
    let app = &s.t.app;
    assert_eq!(app.mark_team_read(&s.team).await.unwrap(), 2);

    let view = app.record_sharing_fee(&s.patient, &draft()).await.unwrap();
    assert!(view.shared && view.counts);
    assert_eq!(view.month_label, "令和8年11月");
    assert_eq!(view.next_visit_label, "令和8年12月8日");
    assert!(
        view.recorded_by.starts_with("医師 "),
        "{}",
        view.recorded_by
    );

    // The record is on the timeline as a 連絡.
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert!(
        timeline.posts.iter().any(|p| p
            .body
            .starts_with("【在宅医療情報連携加算の記録】令和8年11月")
            && p.body.contains("治療方針の変更：なし")),
        "{timeline:?}"
    );

    let report = app.sharing_fee_report("2026-11").await.unwrap();
    assert_eq!(report.month_label, "令和8年11月");
    assert_eq!(report.rows.len(), 1);
    let row = &report.rows[0];
    assert_eq!((row.others_posts, row.others_read), (2, 2));
    assert_eq!(row.met, R::ALL, "{row:?}");
    assert!(row.missing.is_empty() && row.complete);
    assert_eq!(report.complete, 1);
    assert_eq!(row.record.as_ref().unwrap().id, view.id);

    // A second version replaces it for the month; both stay readable.
    let again = SharingFeeDraft {
        policy_changed: Some(true),
        change_summary: "利尿薬を増量".into(),
        ..draft()
    };
    let second = app.record_sharing_fee(&s.patient, &again).await.unwrap();
    let versions = app.sharing_fee_records(&s.patient).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].id, second.id);
    assert!(versions[0].counts && !versions[1].counts);
    let report = app.sharing_fee_report("2026-11").await.unwrap();
    assert_eq!(report.rows[0].record.as_ref().unwrap().id, second.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_without_the_record_or_with_unread_posts_misses_them() {
    let mut s = with_team().await;
    // Posted 23:00 JST on 31 October: October's, not November's.
    let october = Utc.with_ymd_and_hms(2026, 10, 31, 14, 0, 0).unwrap();
    // Posted 01:00 JST on 1 November: November's.
    let november = Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap();
    s.nurse_posts(&[october, november, now()]).await;
    let app = &s.t.app;
    // A patient without a team is no home-care patient for the report.
    create(
        app,
        &patient("佐藤　一郎", "さとう　いちろう", "S30.1.1", "A-2002"),
    )
    .await;

    let report = app.sharing_fee_report("2026-11").await.unwrap();
    assert_eq!(report.rows.len(), 1);
    let row = &report.rows[0];
    assert_eq!((row.others_posts, row.others_read), (2, 0));
    assert!(row.record.is_none());
    assert_eq!(
        row.missing,
        [R::MonthRecord, R::RecordShared, R::OthersRead],
        "{row:?}"
    );
    assert_eq!(row.met, [R::Consent, R::OthersRecorded]);

    // Read, then a new post arrives unread: still missing the reading.
    app.mark_team_read(&s.team).await.unwrap();
    app.record_sharing_fee(&s.patient, &draft()).await.unwrap();
    s.nurse_posts(&[now()]).await;
    let app = &s.t.app;
    let row = &app.sharing_fee_report("2026-11").await.unwrap().rows[0];
    assert_eq!((row.others_posts, row.others_read), (3, 2));
    assert_eq!(row.missing, [R::OthersRead]);
    assert!(!row.complete);

    // The team started in November: no home-care patient in October.
    assert!(
        app.sharing_fee_report("2026-10")
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_is_checked_by_field_and_a_future_month_is_refused() {
    let s = with_team().await;
    let app = &s.t.app;
    let changed = SharingFeeDraft {
        policy_changed: Some(true),
        ..draft()
    };
    let err = validation_error(app.record_sharing_fee(&s.patient, &changed).await);
    assert_eq!(field_keys(&err), ["changeSummary"]);
    assert!(message_on(&err, "changeSummary").contains("変更の概要"));

    let future = SharingFeeDraft {
        month: "2026-12".into(),
        ..draft()
    };
    let err = validation_error(app.record_sharing_fee(&s.patient, &future).await);
    assert_eq!(field_keys(&err), ["month"]);
    let past_visit = SharingFeeDraft {
        next_visit: "2026-11-20".into(),
        ..draft()
    };
    let err = validation_error(app.record_sharing_fee(&s.patient, &past_visit).await);
    assert_eq!(field_keys(&err), ["nextVisit"]);
    assert!(
        app.sharing_fee_records(&s.patient)
            .await
            .unwrap()
            .is_empty()
    );

    let err = validation_error(app.sharing_fee_report("2026-12").await);
    assert_eq!(field_keys(&err), ["month"]);
    let err = validation_error(app.sharing_fee_report("十一月").await);
    assert_eq!(field_keys(&err), ["month"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_team_the_record_is_kept_unshared() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let view = t.app.record_sharing_fee(&patient, &draft()).await.unwrap();
    assert!(!view.shared);
    assert!(
        t.app
            .sharing_fee_report("2026-11")
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_is_for_excel_with_a_japanese_header_and_a_row_per_patient() {
    let mut s = with_team().await;
    s.nurse_posts(&[now()]).await;
    let app = &s.t.app;
    app.mark_team_read(&s.team).await.unwrap();
    app.record_sharing_fee(&s.patient, &draft()).await.unwrap();

    let csv = app.sharing_fee_report_csv("2026-11").await.unwrap();
    let body = csv.strip_prefix('\u{feff}').expect("a byte-order mark");
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(
        lines.len(),
        3,
        "header, one row, and the final CRLF: {csv:?}"
    );
    assert_eq!(lines[0], sharing_fee_csv_header().join(","));
    assert!(lines[0].starts_with("対象月,カルテ番号,氏名,ふりがな,判定,次回の訪問診療の予定日"));
    assert!(lines[0].ends_with("不足している要件"));
    assert!(
        lines[1].starts_with("2026-11,A-1001,山田　太郎,やまだ　たろう,充足,2026-12-08,なし,,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",1,1,0,○,○,○,○,○,"), "{}", lines[1]);
    assert_eq!(lines[2], "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_doctor_records_and_a_clerk_does_not_read() {
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
    let refused = app.sharing_fee_report("2026-11").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
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
    let refused = app
        .record_sharing_fee(&patient, &draft())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(app.sharing_fee_records(&patient).await.unwrap().is_empty());
    assert!(app.sharing_fee_report("2026-11").await.is_ok());
}

/// The consent counts for the months it stood in: withdrawn on the 22nd,
/// it still covers November's sharing before that day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_withdrawn_in_the_month_still_covers_that_month() {
    let s = with_team().await;
    let app = &s.t.app;
    let consents = app.consents(&s.patient).await.unwrap();
    let id = consents[0].id.to_string();
    let withdrawn = TeamSharingConsentDraft {
        withdrawn_on: "2026-11-22".into(),
        ..consent()
    };
    app.save_team_consent(&s.patient, Some(&id), &withdrawn)
        .await
        .unwrap();
    let report = app.sharing_fee_report("2026-11").await.unwrap();
    let row = &report.rows[0];
    assert!(row.met.contains(&R::Consent), "{row:?}");
}
