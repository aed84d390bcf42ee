//! 退院時カンファレンス from the clinic's desktop, against a real encrypted
//! store with the clock fixed (2026-11-24 09:00 in Japan): the physician
//! sets one, checked by the domain against the team's members as the
//! store holds them, and it waits in the outbox until the feed brings it
//! whole; one a hospital sets arrives with the feed and the clinic answers
//! its invitation until it starts; calling one off; refusals by the server
//! as conflicts; who may do what. The server's feed is simulated with the
//! changes it would send, applied the way a pull applies them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tsunagu_app::{
    AccountInput, App, Attendance, ConferenceInput, ConferenceState, ErrorCode, FixedClock,
    TeamSharingConsentDraft, pulled_changes, pushed_operation,
};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::{MemberState, TeamRole};
use tsunagu_protocol::{
    ChangeBody, OpBody, TeamChangeBody, TeamOp, WireAuthor, WireConference, WireInvitee, WireMember,
};
use tsunagu_store::{AuditAction, OpenMode, Settlement, Store, StoreKey};
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

/// The server's feed, one page at a time.
struct Feed {
    seq: i64,
}

impl Feed {
    async fn send(&mut self, app: &App, bodies: Vec<ChangeBody>) -> tsunagu_store::PullOutcome {
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
            .unwrap()
    }
}

fn consent(team: bool) -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "鈴木　一郎".into(),
        by_family: false,
        family_name: String::new(),
        family_relation: String::new(),
        scopes: if team {
            vec![ConsentScope::Desk, ConsentScope::Team]
        } else {
            vec![ConsentScope::Desk]
        },
        withdrawn_on: String::new(),
        preregistered_with: Vec::new(),
    }
}

fn member(team_id: Uuid, id: Uuid, role: TeamRole, name: &str, person: &str) -> ChangeBody {
    let (kind, relation) = match role {
        TeamRole::FamilyContact => ("", "妻"),
        TeamRole::Hospital => ("hospital", ""),
        TeamRole::PrimaryPhysician => ("clinic", ""),
        _ => ("visiting_nurse_station", ""),
    };
    ChangeBody::Team(TeamChangeBody::Member {
        team_id,
        member: WireMember {
            id,
            organisation_id: (role != TeamRole::FamilyContact).then(Uuid::now_v7),
            name: name.into(),
            kind: kind.into(),
            role: role.code().into(),
            state: MemberState::Active.code().into(),
            person: person.into(),
            phone: String::new(),
            fax: String::new(),
            relation: relation.into(),
            expires_at: None,
            needs_approval: false,
            access_until: None,
            first_contact_for: vec![],
            invited_by: None,
        },
    })
}

fn wire_conference(
    team_id: Uuid,
    id: Uuid,
    organiser: Uuid,
    starts_at: DateTime<Utc>,
    invitees: &[Uuid],
) -> ChangeBody {
    ChangeBody::Team(TeamChangeBody::Conference {
        team_id,
        conference: WireConference {
            id,
            starts_at,
            place: "北病院 3階 カンファレンス室".into(),
            link: "https://meet.example.jp/kita-3f".into(),
            note: String::new(),
            state: "scheduled".into(),
            organiser_member: organiser,
            organiser: "北病院 MSW・連携担当者 山本".into(),
            invitees: invitees
                .iter()
                .map(|m| WireInvitee {
                    member_id: *m,
                    attendance: "pending".into(),
                    answered_by: String::new(),
                    answered_at: None,
                })
                .collect(),
            minutes_entry: None,
            scheduled_at: now(),
        },
    })
}

/// The conference operations waiting in the outbox, as the server will
/// read them.
async fn conference_ops(app: &App) -> Vec<TeamOp> {
    app.store()
        .pending_operations(500)
        .await
        .unwrap()
        .iter()
        .filter_map(|op| match pushed_operation(op).unwrap().body {
            OpBody::Team(
                op @ (TeamOp::ConferenceScheduled { .. }
                | TeamOp::ConferenceAnswered { .. }
                | TeamOp::ConferenceCancelled { .. }),
            ) => Some(op),
            _ => None,
        })
        .collect()
}

struct Setup {
    t: TestApp,
    team: String,
    team_id: Uuid,
    own: Uuid,
    nurse: Uuid,
    hospital: Uuid,
    family: Uuid,
    feed: Feed,
}

/// A patient's team, confirmed by the feed, with a visiting nurse and the
/// hospital's liaison office active and a family contact.
async fn with_team() -> Setup {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id;
    t.app
        .save_team_consent(&patient.to_string(), None, &consent(true))
        .await
        .unwrap();
    let team = t
        .app
        .start_team(&patient.to_string())
        .await
        .unwrap()
        .team
        .unwrap();
    let own = team.members[0].id;
    let (nurse, hospital, family) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut feed = Feed { seq: 0 };
    feed.send(
        &t.app,
        vec![
            ChangeBody::Team(TeamChangeBody::Started {
                team_id: team.id,
                patient_id: patient,
                started_at: now(),
            }),
            member(
                team.id,
                own,
                TeamRole::PrimaryPhysician,
                "つなぐ内科クリニック",
                "",
            ),
            member(
                team.id,
                nurse,
                TeamRole::VisitingNurse,
                "みどり訪問看護ステーション",
                "田中",
            ),
            member(team.id, hospital, TeamRole::Hospital, "北病院", ""),
            member(team.id, family, TeamRole::FamilyContact, "山田　花子", ""),
        ],
    )
    .await;
    Setup {
        team: team.id.to_string(),
        team_id: team.id,
        t,
        own,
        nurse,
        hospital,
        family,
        feed,
    }
}

fn input(date: &str, time: &str, invitees: &[Uuid]) -> ConferenceInput {
    ConferenceInput {
        date: date.into(),
        time: time.into(),
        place: "  北病院 3階 カンファレンス室 ".into(),
        link: String::new(),
        note: "ご家族も同席されます".into(),
        invitee_member_ids: invitees.iter().map(Uuid::to_string).collect(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_doctor_sets_a_conference_checked_by_the_domain_and_it_waits_until_the_feed_brings_it() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let listed = app.team_conferences(&s.team).await.unwrap();
    assert!(listed.conferences.is_empty());
    assert!(listed.may_schedule);
    let invitable: Vec<(Uuid, &str, bool)> = listed
        .invitable
        .iter()
        .map(|m| (m.id, m.name.as_str(), m.is_own))
        .collect();
    assert_eq!(
        invitable,
        [
            (s.own, "つなぐ内科クリニック", true),
            (s.nurse, "みどり訪問看護ステーション 田中", false),
            (s.hospital, "北病院", false),
        ],
        "active members, not the family contact"
    );

    // Mistakes by field where the domain says which, else its message;
    // nothing is queued.
    let both = [s.nurse, s.hospital];
    let err = app
        .schedule_conference(&s.team, &input("", "14:00", &both))
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["date"]);
    assert_eq!(
        message_on(&err, "date"),
        "日付と開始時刻を入力してください。"
    );
    let err = app
        .schedule_conference(&s.team, &input("2026-12-10", "2時", &both))
        .await
        .unwrap_err();
    assert_eq!(
        message_on(&err, "time"),
        "開始時刻は 14:00 のように入力してください。"
    );
    let err = app
        .schedule_conference(&s.team, &input("2026-11-24", "08:00", &both))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            ErrorCode::Validation,
            "過去の日時にはカンファレンスを設定できません。"
        )
    );
    let err = app
        .schedule_conference(
            &s.team,
            &ConferenceInput {
                link: "javascript:alert(1)".into(),
                ..input("2026-12-10", "14:00", &both)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["link"]);
    for (invitees, message) in [
        (vec![], "招待するメンバーを選んでください。"),
        (
            vec![s.nurse, s.family],
            "招待できるのは、いまチームに参加しているメンバーだけです。",
        ),
    ] {
        let err = app
            .schedule_conference(&s.team, &input("2026-12-10", "14:00", &invitees))
            .await
            .unwrap_err();
        assert_eq!(err.message, message);
    }
    assert!(conference_ops(app).await.is_empty());

    let set = app
        .schedule_conference(
            &s.team,
            &ConferenceInput {
                link: " https://meet.example.jp/abc ".into(),
                ..input(
                    "2026-12-10",
                    "１４：００",
                    &[s.nurse, s.hospital, s.own, s.nurse],
                )
            },
        )
        .await
        .unwrap();
    assert_eq!(set.conferences.len(), 1);
    let c = &set.conferences[0];
    assert_eq!(c.when, "12月10日(木) 14:00");
    assert_eq!(
        c.starts_at,
        "2026-12-10T05:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(
        (c.place.as_str(), c.link.as_str()),
        ("北病院 3階 カンファレンス室", "https://meet.example.jp/abc")
    );
    assert_eq!(c.state, ConferenceState::Scheduled);
    assert!(c.organised_by_us && c.sending && !c.withheld && c.refusal.is_none());
    assert_eq!(c.organiser, format!("つなぐ内科クリニック 医師 {ACTOR}"));
    let invited: Vec<(Uuid, Attendance)> = c
        .invitees
        .iter()
        .map(|i| (i.member_id, i.attendance))
        .collect();
    assert_eq!(
        invited,
        [
            (s.nurse, Attendance::Pending),
            (s.hospital, Attendance::Pending),
            (s.own, Attendance::Pending),
        ]
    );
    assert_eq!(c.own_attendance, Some(Attendance::Pending));
    assert!(c.may_answer && c.may_cancel);
    assert_eq!(
        conference_ops(app).await,
        [TeamOp::ConferenceScheduled {
            team_id: s.team_id,
            conference_id: c.id,
            starts_at: c.starts_at,
            place: "北病院 3階 カンファレンス室".into(),
            link: "https://meet.example.jp/abc".into(),
            note: "ご家族も同席されます".into(),
            invitees: vec![s.nurse, s.hospital, s.own],
            by: WireAuthor {
                name: ACTOR.into(),
                profession: "physician".into(),
            },
        }]
    );

    // Sent, and the feed brings it whole with the nurse's answer.
    let ops = app.store().pending_operations(500).await.unwrap();
    app.store()
        .settle_operations(
            &ops.iter()
                .map(|o| (o.op_seq, Settlement::Applied))
                .collect::<Vec<_>>(),
            now(),
        )
        .await
        .unwrap();
    let mut echoed = wire_conference(
        s.team_id,
        c.id,
        s.own,
        c.starts_at,
        &[s.nurse, s.hospital, s.own],
    );
    if let ChangeBody::Team(TeamChangeBody::Conference { conference, .. }) = &mut echoed {
        conference.invitees[0].attendance = "online".into();
        conference.invitees[0].answered_by = "みどり訪問看護ステーション 看護師 田中".into();
        conference.invitees[0].answered_at = Some(now());
    }
    let outcome = s.feed.send(app, vec![echoed]).await;
    assert_eq!(outcome.conferences, 1);
    let c = &app.team_conferences(&s.team).await.unwrap().conferences[0];
    assert!(!c.sending);
    assert_eq!(
        (
            c.invitees[0].attendance,
            c.invitees[0].answered_by.as_str(),
            c.invitees[0].name.as_str()
        ),
        (
            Attendance::Online,
            "みどり訪問看護ステーション 看護師 田中",
            "みどり訪問看護ステーション 田中"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hospitals_conference_arrives_with_the_feed_and_the_clinic_answers_until_it_starts() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let starts = now() + Duration::days(2);
    let (ours, theirs) = (Uuid::now_v7(), Uuid::now_v7());
    s.feed
        .send(
            app,
            vec![
                wire_conference(s.team_id, ours, s.hospital, starts, &[s.own, s.nurse]),
                wire_conference(s.team_id, theirs, s.hospital, starts, &[s.nurse]),
            ],
        )
        .await;
    let listed = app.team_conferences(&s.team).await.unwrap();
    let c = listed.conferences.iter().find(|c| c.id == ours).unwrap();
    assert_eq!(c.organiser, "北病院 MSW・連携担当者 山本");
    assert!(!c.organised_by_us && !c.sending);
    assert_eq!(c.own_attendance, Some(Attendance::Pending));
    assert!(c.may_answer);
    let other = listed.conferences.iter().find(|c| c.id == theirs).unwrap();
    assert_eq!(other.own_attendance, None);
    assert!(!other.may_answer);

    for bad in ["maybe", "pending"] {
        let err = app
            .answer_conference(&ours.to_string(), bad)
            .await
            .unwrap_err();
        assert_eq!(field_keys(&err), ["attendance"]);
    }
    let err = app
        .answer_conference(&theirs.to_string(), "attend")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            ErrorCode::Forbidden,
            "このカンファレンスに招待されていません。"
        )
    );

    app.answer_conference(&ours.to_string(), "online")
        .await
        .unwrap();
    let answered = app
        .answer_conference(&ours.to_string(), "attend")
        .await
        .unwrap();
    let c = answered.conferences.iter().find(|c| c.id == ours).unwrap();
    assert_eq!(c.own_attendance, Some(Attendance::Attend));
    assert!(c.sending);
    let own = c.invitees.iter().find(|i| i.is_own).unwrap();
    assert_eq!(
        (own.answered_by.as_str(), own.answered_at),
        (ACTOR, Some(now()))
    );
    let author = WireAuthor {
        name: ACTOR.into(),
        profession: "physician".into(),
    };
    assert_eq!(
        conference_ops(app).await,
        [
            TeamOp::ConferenceAnswered {
                team_id: s.team_id,
                conference_id: ours,
                attendance: "online".into(),
                by: author.clone(),
            },
            TeamOp::ConferenceAnswered {
                team_id: s.team_id,
                conference_id: ours,
                attendance: "attend".into(),
                by: author,
            },
        ]
    );
    let trail = app.store().audit_trail(&s.team).await.unwrap();
    assert!(
        trail
            .iter()
            .filter(|e| e.action == AuditAction::Update)
            .count()
            >= 2
    );

    // Once it has started, the answer stands as it is.
    let later = app_on(app, ymd(2026, 11, 27));
    let c = &later.team_conferences(&s.team).await.unwrap().conferences[0];
    assert!(!c.may_answer);
    let err = later
        .answer_conference(&ours.to_string(), "absent")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            ErrorCode::Conflict,
            "開始時刻を過ぎたため、出欠は変えられません。"
        )
    );

    // The server refuses the last answer: a conflict, and shown on the
    // conference, whose answer is the feed's again.
    let ops = app.store().pending_operations(500).await.unwrap();
    let last = ops.last().unwrap().op_seq;
    let answers: Vec<_> = ops
        .iter()
        .map(|o| {
            if o.op_seq == last {
                (
                    o.op_seq,
                    Settlement::Refused("このカンファレンスは中止になりました".into()),
                )
            } else {
                (o.op_seq, Settlement::Applied)
            }
        })
        .collect();
    app.store()
        .settle_operations(&answers, now())
        .await
        .unwrap();
    let conflicts = app.sync_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (conflicts[0].what, conflicts[0].patient_name.as_str()),
        ("在宅チーム", "山田　太郎")
    );
    let c = app.team_conferences(&s.team).await.unwrap().conferences[0].clone();
    assert_eq!(
        c.refusal.as_deref(),
        Some("このカンファレンスは中止になりました")
    );
    assert_eq!(c.own_attendance, Some(Attendance::Pending));
    assert!(!c.sending);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_doctor_calls_a_conference_off_once() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let id = Uuid::now_v7();
    s.feed
        .send(
            app,
            vec![wire_conference(
                s.team_id,
                id,
                s.hospital,
                now() + Duration::days(2),
                &[s.own],
            )],
        )
        .await;
    let cancelled = app.cancel_conference(&id.to_string()).await.unwrap();
    let c = &cancelled.conferences[0];
    assert_eq!(c.state, ConferenceState::Cancelled);
    assert!(c.sending && !c.may_cancel && !c.may_answer);
    let err = app.cancel_conference(&id.to_string()).await.unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (ErrorCode::Conflict, "このカンファレンスは既に中止です。")
    );
    assert_eq!(
        conference_ops(app).await,
        [TeamOp::ConferenceCancelled {
            team_id: s.team_id,
            conference_id: id,
            by: WireAuthor {
                name: ACTOR.into(),
                profession: "physician".into(),
            },
        }]
    );
    assert_eq!(
        app.cancel_conference(&Uuid::now_v7().to_string())
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn after_withdrawal_nothing_is_set_or_answered_and_what_waited_is_held_back() {
    let s = with_team().await;
    let app = &s.t.app;
    let set = app
        .schedule_conference(&s.team, &input("2026-12-10", "14:00", &[s.own]))
        .await
        .unwrap();
    let id = set.conferences[0].id;
    let patient = app
        .store()
        .team(s.team_id)
        .await
        .unwrap()
        .patient_id
        .to_string();
    let consents = app.consents(&patient).await.unwrap();
    app.save_team_consent(
        &patient,
        Some(&consents[0].id.to_string()),
        &TeamSharingConsentDraft {
            withdrawn_on: "2026-11-24".into(),
            ..consent(true)
        },
    )
    .await
    .unwrap();
    let listed = app.team_conferences(&s.team).await.unwrap();
    assert!(!listed.may_schedule);
    let c = &listed.conferences[0];
    assert!(c.withheld && !c.sending && !c.may_answer && !c.may_cancel);
    let err = app
        .schedule_conference(&s.team, &input("2026-12-10", "14:00", &[s.own]))
        .await
        .unwrap_err();
    assert!(err.message.contains("同意が記録されていない"), "{err:?}");
    let err = app
        .answer_conference(&id.to_string(), "attend")
        .await
        .unwrap_err();
    assert!(err.message.contains("同意が記録されていない"), "{err:?}");
    assert!(conference_ops(app).await.is_empty());
}

#[test]
fn a_state_or_answer_this_build_does_not_know_is_a_garbled_feed() {
    let (team, id, member) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut odd_state = wire_conference(team, id, member, now(), &[member]);
    let mut odd_answer = odd_state.clone();
    if let ChangeBody::Team(TeamChangeBody::Conference { conference, .. }) = &mut odd_state {
        conference.state = "postponed".into();
    }
    if let ChangeBody::Team(TeamChangeBody::Conference { conference, .. }) = &mut odd_answer {
        conference.invitees[0].attendance = "maybe".into();
    }
    for odd in [odd_state, odd_answer] {
        assert!(pulled_changes(odd).is_err());
    }
}

fn account(login: &str, role: &str, name: &str) -> AccountInput {
    AccountInput {
        login: login.into(),
        display_name: name.into(),
        role: role.into(),
        is_admin: false,
        password: "はじめての仮パスワード".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_doctor_sets_or_calls_off_and_any_clinician_answers_for_the_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let clock = Arc::new(FixedClock {
        now: now(),
        today: today(),
    });
    let app = App::with_store(store, clock, "os:tester").requiring_accounts();
    app.create_first_account(&account("sato", "doctor", "佐藤　花子"))
        .await
        .unwrap();
    app.add_account(&account("tanaka", "nurse", "田中　看護師"))
        .await
        .unwrap();
    app.add_account(&account("suzuki", "clerk", "鈴木　事務"))
        .await
        .unwrap();
    let patient = app.create_patient(&yamada()).await.unwrap().id;
    app.save_team_consent(&patient.to_string(), None, &consent(true))
        .await
        .unwrap();
    let team = app
        .start_team(&patient.to_string())
        .await
        .unwrap()
        .team
        .unwrap();
    let own = team.members[0].id;
    let hospital = Uuid::now_v7();
    let id = Uuid::now_v7();
    Feed { seq: 0 }
        .send(
            &app,
            vec![
                member(
                    team.id,
                    own,
                    TeamRole::PrimaryPhysician,
                    "つなぐ内科クリニック",
                    "",
                ),
                member(team.id, hospital, TeamRole::Hospital, "北病院", ""),
                wire_conference(team.id, id, hospital, now() + Duration::days(2), &[own]),
            ],
        )
        .await;
    let team = team.id.to_string();
    let sign_in = |login: &'static str| {
        let app = &app;
        async move {
            app.sign_out().await.unwrap();
            app.sign_in(login, "はじめての仮パスワード").await.unwrap();
        }
    };

    sign_in("tanaka").await;
    let listed = app.team_conferences(&team).await.unwrap();
    assert!(!listed.may_schedule);
    assert!(listed.conferences[0].may_answer && !listed.conferences[0].may_cancel);
    for refused in [
        app.schedule_conference(&team, &input("2026-12-10", "14:00", &[own]))
            .await
            .map(|_| ()),
        app.cancel_conference(&id.to_string()).await.map(|_| ()),
    ] {
        let err = refused.unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert!(err.message.contains("医師のアカウントだけ"), "{err:?}");
    }
    let answered = app
        .answer_conference(&id.to_string(), "absent")
        .await
        .unwrap();
    let own_answer = answered.conferences[0]
        .invitees
        .iter()
        .find(|i| i.is_own)
        .unwrap()
        .clone();
    assert_eq!(
        (own_answer.attendance, own_answer.answered_by.as_str()),
        (Attendance::Absent, "田中　看護師")
    );
    assert_eq!(
        conference_ops(&app).await,
        [TeamOp::ConferenceAnswered {
            team_id: team.parse().unwrap(),
            conference_id: id,
            attendance: "absent".into(),
            by: WireAuthor {
                name: "田中　看護師".into(),
                profession: "nurse".into(),
            },
        }]
    );

    sign_in("suzuki").await;
    for refused in [
        app.team_conferences(&team).await.map(|_| ()),
        app.answer_conference(&id.to_string(), "attend")
            .await
            .map(|_| ()),
    ] {
        assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
    }

    sign_in("sato").await;
    let listed = app.team_conferences(&team).await.unwrap();
    assert!(listed.may_schedule && listed.conferences[0].may_cancel);
    let set = app
        .schedule_conference(&team, &input("2026-12-10", "14:00", &[own, hospital]))
        .await
        .unwrap();
    let mine = set.conferences.iter().find(|c| c.id != id).unwrap();
    assert_eq!(mine.organiser, "つなぐ内科クリニック 医師 佐藤　花子");
    let trail = app.store().audit_trail(&team).await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.actor == "account:sato" && e.action == AuditAction::Create)
    );
    assert_eq!(conference_ops(&app).await.len(), 2);
    app.close().await;
}
