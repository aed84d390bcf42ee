//! The home-care team from the clinic's desktop, against a real encrypted
//! store with the clock fixed: starting it under consent, inviting from
//! the directory, posting (with vital signs and files), the feed's copies
//! coming back, other members' posts, receipts, replies, corrections and
//! closing a 相談. The server's feed is simulated with the pages it would
//! send, applied the way a pull applies them (`pulled_changes`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use chrono::{DateTime, Duration, Utc};
use tsunagu_app::{
    App, EntryState, ErrorCode, FamilyContactDraft, InviteInput, PostDraft, TeamAttachmentFile,
    TeamSharingConsentDraft, VitalsDraft, pulled_changes, pushed_operation,
};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::{EntryKind, MemberState, RequestState, TeamRole};
use tsunagu_protocol::{
    ChangeBody, OpBody, OrgKind, Organisation, TeamChangeBody, TeamOp, WireAttachment,
    WireDirectoryEntry, WireEntry, WireMember, WireReceipt,
};
use tsunagu_store::{OutboxItem, Settlement};
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\n";

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

fn consent(team: bool) -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "鈴木　一郎".into(),
        by_family: true,
        family_name: "山田　花子".into(),
        family_relation: "妻".into(),
        scopes: if team {
            vec![ConsentScope::Desk, ConsentScope::Team]
        } else {
            vec![ConsentScope::Desk]
        },
        withdrawn_on: String::new(),
        preregistered_with: Vec::new(),
    }
}

fn directory(id: Uuid, name: &str, kind: &str, stopped: bool) -> ChangeBody {
    ChangeBody::DirectoryListed {
        entry: WireDirectoryEntry {
            id,
            name: name.into(),
            kind: kind.into(),
            phone: "03-2222-3333".into(),
            fax: "03-2222-3334".into(),
            stopped,
        },
    }
}

/// The team operations waiting in the outbox, decoded as the server will.
async fn team_ops(app: &App) -> Vec<(TeamOp, Vec<Uuid>)> {
    app.store()
        .pending_operations(500)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|op| match op.item {
            OutboxItem::Team { payload, uploads } => {
                Some((serde_json::from_str(&payload).unwrap(), uploads))
            }
            _ => None,
        })
        .collect()
}

struct Setup {
    t: TestApp,
    patient: String,
    team: String,
    team_id: Uuid,
    own: Uuid,
    feed: Feed,
}

async fn with_team() -> Setup {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    t.app
        .save_team_consent(&patient, None, &consent(true))
        .await
        .unwrap();
    let started = t.app.start_team(&patient).await.unwrap();
    let team = started.team.unwrap();
    let own = team.members[0].id;
    Setup {
        team: team.id.to_string(),
        team_id: team.id,
        own,
        patient,
        t,
        feed: Feed { seq: 0 },
    }
}

fn note(kind: EntryKind, body: &str) -> PostDraft {
    PostDraft {
        kind: kind.code().into(),
        body: body.into(),
        ..PostDraft::default()
    }
}

fn wire_member(id: Uuid, org: Uuid, role: TeamRole, state: MemberState) -> WireMember {
    WireMember {
        id,
        organisation_id: Some(org),
        name: "みどり訪問看護ステーション".into(),
        kind: "visiting_nurse_station".into(),
        role: role.code().into(),
        state: state.code().into(),
        person: "田中".into(),
        phone: "03-2222-3333".into(),
        fax: "03-2222-3334".into(),
        relation: String::new(),
        expires_at: None,
        needs_approval: false,
        access_until: None,
        first_contact_for: vec!["night_and_holiday".into()],
        invited_by: None,
    }
}

fn wire_entry(id: Uuid, seq: i64, kind: EntryKind, author: Uuid, at: DateTime<Utc>) -> WireEntry {
    WireEntry {
        id,
        seq,
        kind: kind.code().into(),
        body: "<b>本日訪問</b>。発熱あり。".into(),
        author_member: Some(author),
        author: "みどり訪問看護ステーション 看護師 田中".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: vec![],
        request_state: (kind == EntryKind::Request).then(|| "open".into()),
        posted_at: at,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_starts_only_under_a_consent_naming_it() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let none = t.app.start_team(&patient).await.unwrap_err();
    assert!(none.message.contains("同意が記録されていない"), "{none:?}");
    t.app
        .save_team_consent(&patient, None, &consent(false))
        .await
        .unwrap();
    let panel = t.app.patient_team(&patient).await.unwrap();
    assert!(panel.team.is_none() && !panel.consent_names_team);
    assert!(t.app.start_team(&patient).await.is_err());
    assert!(team_ops(&t.app).await.is_empty());

    // A family member's consent naming the team.
    let consents = t.app.consents(&patient).await.unwrap();
    t.app
        .save_team_consent(&patient, Some(&consents[0].id.to_string()), &consent(true))
        .await
        .unwrap();
    let view = &t.app.consents(&patient).await.unwrap()[0];
    assert!(view.share_with_team);
    assert_eq!(view.given_by_label, "家族（妻 山田　花子）");
    let panel = t.app.start_team(&patient).await.unwrap();
    let team = panel.team.unwrap();
    assert_eq!(team.members.len(), 1);
    assert_eq!(team.members[0].role, TeamRole::PrimaryPhysician);
    assert!(team.members[0].is_own && !team.members[0].may_remove);
    let ops = team_ops(&t.app).await;
    assert!(
        matches!(&ops[..], [(TeamOp::Started { team_id, .. }, _)] if *team_id == team.id),
        "{ops:?}"
    );
    // The consent told to the server names the team and the family giver.
    let consent_op = t
        .app
        .store()
        .pending_operations(50)
        .await
        .unwrap()
        .into_iter()
        .find_map(|op| match op.item {
            OutboxItem::Consent { record } => Some(record),
            _ => None,
        })
        .unwrap();
    assert!(consent_op.share_with_team);
    let again = t.app.start_team(&patient).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_follow_the_domain_and_expire_without_a_write() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let station = Uuid::now_v7();
    let pharmacy = Uuid::now_v7();
    let stopped = Uuid::now_v7();
    s.feed
        .send(
            app,
            vec![
                directory(
                    station,
                    "みどり訪問看護ステーション",
                    "visiting_nurse_station",
                    false,
                ),
                directory(pharmacy, "ひかり薬局", "pharmacy", false),
                directory(stopped, "休止中ケアプラン", "care_management_office", true),
            ],
        )
        .await;
    let listed = app.team_directory().await.unwrap();
    assert_eq!(listed.len(), 2, "stopped organisations are not offered");

    let wrong = app
        .invite_to_team(
            &s.team,
            &InviteInput {
                organisation_id: pharmacy.to_string(),
                role: "visiting_nurse".into(),
                person: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        wrong.message,
        "保険薬局を「訪問看護」として招待することはできません"
    );
    let halted = app
        .invite_to_team(
            &s.team,
            &InviteInput {
                organisation_id: stopped.to_string(),
                role: "care_manager".into(),
                person: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(halted.message, "停止中の機関は招待できません");

    let panel = app
        .invite_to_team(
            &s.team,
            &InviteInput {
                organisation_id: station.to_string(),
                role: "visiting_nurse".into(),
                person: " 田中 ".into(),
            },
        )
        .await
        .unwrap();
    let invited = panel.team.unwrap().members[1].clone();
    assert_eq!(invited.state, MemberState::Invited);
    assert_eq!(
        (invited.person.as_str(), invited.phone.as_str()),
        ("田中", "03-2222-3333")
    );
    assert!(invited.may_resend && invited.may_cancel && !invited.may_remove);
    let twice = app
        .invite_to_team(
            &s.team,
            &InviteInput {
                organisation_id: station.to_string(),
                role: "visiting_nurse".into(),
                person: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    // Fifteen days later the invitation reads as expired; it may be resent.
    let later = app_on(app, today() + Duration::days(15));
    let expired = later
        .patient_team(&s.patient)
        .await
        .unwrap()
        .team
        .unwrap()
        .members[1]
        .clone();
    assert_eq!(expired.state, MemberState::Expired);
    assert!(expired.may_resend && !expired.may_cancel);
    let resent = later
        .team_member_action(&s.team, &invited.id.to_string(), "resend")
        .await
        .unwrap();
    assert_eq!(resent.team.unwrap().members[1].state, MemberState::Invited);
    let cancelled = app
        .team_member_action(&s.team, &invited.id.to_string(), "cancel")
        .await
        .unwrap();
    assert_eq!(
        cancelled.team.unwrap().members[1].state,
        MemberState::Cancelled
    );
    let removed = app
        .team_member_action(&s.team, &invited.id.to_string(), "remove")
        .await
        .unwrap_err();
    assert_eq!(removed.message, "この機関はチームに参加していません");

    // A family contact is listed, never the first contact.
    let family = app
        .add_family_contact(
            &s.team,
            &FamilyContactDraft {
                name: "山田 花子".into(),
                relation: "妻".into(),
                phone: "090-1111-2222".into(),
            },
        )
        .await
        .unwrap();
    let contact = family.team.unwrap().members.last().unwrap().clone();
    assert_eq!(contact.role, TeamRole::FamilyContact);
    assert!(!contact.may_be_first_contact && !contact.may_remove);
    let refused = app
        .set_first_contact(&s.team, &contact.id.to_string(), "night_and_holiday")
        .await
        .unwrap_err();
    assert_eq!(
        refused.message,
        "家族の連絡先は、チームの最初の連絡先にはできません"
    );
    let set = app
        .set_first_contact(&s.team, &s.own.to_string(), "medical")
        .await
        .unwrap();
    assert_eq!(set.team.unwrap().members[0].first_contact_for.len(), 1);

    let kinds: Vec<&str> = team_ops(app)
        .await
        .iter()
        .map(|(op, _)| match op {
            TeamOp::Started { .. } => "started",
            TeamOp::Invited { .. } => "invited",
            TeamOp::MemberAction { action, .. } if action == "resend" => "resend",
            TeamOp::MemberAction { .. } => "cancel",
            TeamOp::FamilyContactAdded { .. } => "family",
            TeamOp::FirstContactSet { .. } => "first",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["started", "invited", "resend", "cancel", "family", "first"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_posts_get_clear_messages_and_change_nothing() {
    let s = with_team().await;
    let app = &s.t.app;
    let before = team_ops(app).await.len();
    let empty = validation_error(
        app.post_to_team(&s.team, &note(EntryKind::Note, "  "), vec![])
            .await,
    );
    assert_eq!(field_keys(&empty), ["body"]);
    let long = validation_error(
        app.post_to_team(&s.team, &note(EntryKind::Note, &"あ".repeat(4001)), vec![])
            .await,
    );
    assert_eq!(field_keys(&long), ["body"]);
    let vitals = PostDraft {
        vitals: VitalsDraft {
            systolic: "abc".into(),
            body_temperature: "45".into(),
            ..VitalsDraft::default()
        },
        ..note(EntryKind::VisitReport, "訪問しました")
    };
    let err = validation_error(app.post_to_team(&s.team, &vitals, vec![]).await);
    assert_eq!(field_keys(&err), ["bodyTemperature", "systolic"]);
    let in_a_note = PostDraft {
        vitals: VitalsDraft {
            pulse: "72".into(),
            ..VitalsDraft::default()
        },
        ..note(EntryKind::Note, "連絡です")
    };
    let err = app
        .post_to_team(&s.team, &in_a_note, vec![])
        .await
        .unwrap_err();
    assert_eq!(err.message, "バイタルサインは訪問報告に記録してください");
    for (name, bytes, says) in [
        ("../写真.jpg", JPEG.to_vec(), "区切り"),
        ("写真.jpg", PDF.to_vec(), "合っていません"),
        ("報告.docx", b"PK\x03\x04".to_vec(), "JPEG・PNG"),
        (
            "大きい.pdf",
            {
                let mut big = PDF.to_vec();
                big.resize(20 * 1024 * 1024 + 1, b' ');
                big
            },
            "大きすぎます",
        ),
    ] {
        let err = validation_error(
            app.post_to_team(
                &s.team,
                &note(EntryKind::Note, "写真を送ります"),
                vec![TeamAttachmentFile {
                    name: name.into(),
                    bytes,
                }],
            )
            .await,
        );
        assert!(
            message_on(&err, "attachments").contains(says),
            "{name}: {err:?}"
        );
    }
    let system = app
        .post_to_team(&s.team, &note(EntryKind::ReferralEvent, "入院"), vec![])
        .await;
    assert_eq!(field_keys(&validation_error(system)), ["kind"]);
    assert_eq!(team_ops(app).await.len(), before);
    assert!(app.team_timeline(&s.team).await.unwrap().posts.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_report_with_a_photo_waits_until_the_feed_confirms_it_once() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let report = PostDraft {
        vitals: VitalsDraft {
            body_temperature: "３６．８".into(),
            systolic: "128".into(),
            diastolic: "76".into(),
            spo2: "97".into(),
            ..VitalsDraft::default()
        },
        ..note(EntryKind::VisitReport, "")
    };
    let posted = app
        .post_to_team(
            &s.team,
            &report,
            vec![TeamAttachmentFile {
                name: "創部.jpg".into(),
                bytes: JPEG.to_vec(),
            }],
        )
        .await
        .unwrap();
    let timeline = app.team_timeline(&s.team).await.unwrap();
    let shown = &timeline.posts[0];
    assert_eq!(shown.state, EntryState::Pending, "shown as 未送信");
    assert_eq!(shown.vitals.unwrap().body_temperature, Some(36.8));
    assert!(shown.attachments[0].held);
    let ops = team_ops(app).await;
    let (TeamOp::Posted { entry, by, .. }, uploads) = &ops[1] else {
        panic!("{ops:?}")
    };
    assert_eq!(entry.id, posted.id);
    assert_eq!(entry.attachments, *uploads, "its file goes first");
    assert_eq!(by.profession, "physician");
    let (name, media, bytes) = app
        .team_attachment(&shown.attachments[0].id.to_string())
        .await
        .unwrap();
    assert_eq!((name.as_str(), media.as_str()), ("創部.jpg", "image/jpeg"));
    assert_eq!(bytes, JPEG);

    // The server's copy comes back (twice: a page read again).
    let attachment = WireAttachment {
        id: entry.attachments[0],
        name: "創部.jpg".into(),
        media_type: "image/jpeg".into(),
        size: JPEG.len() as u64,
        sha256: {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(JPEG))
        },
    };
    let confirmed = ChangeBody::Team(TeamChangeBody::Entry {
        team_id: s.team_id,
        entry: WireEntry {
            author_member: Some(s.own),
            author: "つなぐ内科クリニック 医師 os:tester".into(),
            attachments: vec![attachment],
            kind: "visit_report".into(),
            body: String::new(),
            request_state: None,
            vitals: entry.vitals.clone(),
            ..wire_entry(posted.id, 1, EntryKind::VisitReport, s.own, now())
        },
    });
    for _ in 0..2 {
        s.feed
            .send(
                app,
                vec![
                    ChangeBody::Team(TeamChangeBody::Started {
                        team_id: s.team_id,
                        patient_id: s.patient.parse().unwrap(),
                        started_at: now(),
                    }),
                    confirmed.clone(),
                ],
            )
            .await;
    }
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(timeline.posts.len(), 1, "one post, never two");
    assert_eq!(timeline.posts[0].state, EntryState::Confirmed);
    assert!(timeline.posts[0].attachments[0].held);
    assert_eq!(timeline.unread, 0);
    assert!(
        app.patient_team(&s.patient)
            .await
            .unwrap()
            .team
            .unwrap()
            .confirmed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nurses_post_is_unread_until_shown_then_acknowledged_answered_and_closed() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let nurse = Uuid::now_v7();
    let station = Uuid::now_v7();
    let urgent = Uuid::now_v7();
    let request = Uuid::now_v7();
    s.feed
        .send(
            app,
            vec![
                ChangeBody::Team(TeamChangeBody::Started {
                    team_id: s.team_id,
                    patient_id: s.patient.parse().unwrap(),
                    started_at: now(),
                }),
                ChangeBody::Team(TeamChangeBody::Member {
                    team_id: s.team_id,
                    member: wire_member(
                        nurse,
                        station,
                        TeamRole::VisitingNurse,
                        MemberState::Active,
                    ),
                }),
                ChangeBody::Team(TeamChangeBody::History {
                    team_id: s.team_id,
                    what: "joined".into(),
                    member_id: nurse,
                    actor: "みどり訪問看護ステーション 田中".into(),
                    at: now(),
                }),
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: s.team_id,
                    entry: wire_entry(urgent, 1, EntryKind::Urgent, nurse, now()),
                }),
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: s.team_id,
                    entry: wire_entry(request, 2, EntryKind::Request, nurse, now()),
                }),
            ],
        )
        .await;
    let badge = app.team_badge().await.unwrap();
    assert_eq!((badge.unread, badge.open_requests), (2, 1));
    let panel = app.patient_team(&s.patient).await.unwrap().team.unwrap();
    assert_eq!(panel.members[1].state, MemberState::Active);
    assert!(panel.members[1].may_remove);
    assert_eq!(panel.history[0].label, "チームに参加しました");
    assert_eq!(panel.history[0].member_name, "みどり訪問看護ステーション");

    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(timeline.unread, 2);
    assert!(timeline.posts[0].unread && timeline.posts[0].may_acknowledge);
    assert_eq!(
        timeline.posts[0].body, "<b>本日訪問</b>。発熱あり。",
        "kept as typed"
    );
    assert_eq!(timeline.posts[0].read_label, "既読 0/1");
    assert_eq!(app.mark_team_read(&s.team).await.unwrap(), 2);
    assert_eq!(app.mark_team_read(&s.team).await.unwrap(), 0, "once");
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(timeline.unread, 0);
    assert_eq!(timeline.posts[0].read_label, "既読 1/1");
    assert_eq!(app.team_badge().await.unwrap().unread, 0);

    app.acknowledge_team_entry(&s.team, &urgent.to_string())
        .await
        .unwrap();
    app.acknowledge_team_entry(&s.team, &urgent.to_string())
        .await
        .unwrap();
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert!(timeline.posts[0].acknowledged_by_us && !timeline.posts[0].may_acknowledge);
    assert_eq!(timeline.posts[0].acknowledged_label, "確認 1/1");

    // The physician answers the 相談: it is answered; a reply to a reply is refused.
    let reply = app
        .post_to_team(
            &s.team,
            &PostDraft {
                reply_to: Some(request.to_string()),
                ..note(EntryKind::Request, "明日往診します。")
            },
            vec![],
        )
        .await
        .unwrap();
    let timeline = app.team_timeline(&s.team).await.unwrap();
    let asked = &timeline.posts[1];
    assert_eq!(asked.request_state, Some(RequestState::Answered));
    assert_eq!(asked.replies.len(), 1);
    assert_eq!(app.team_badge().await.unwrap().open_requests, 0);
    let nested = app
        .post_to_team(
            &s.team,
            &PostDraft {
                reply_to: Some(reply.id.to_string()),
                ..note(EntryKind::Note, "追記")
            },
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(
        nested.message,
        "返信には返信できません。元の投稿に返信してください"
    );
    // Another member's post cannot be corrected by the clinic.
    let strike_other = app
        .post_to_team(
            &s.team,
            &PostDraft {
                strikes: Some(urgent.to_string()),
                ..note(EntryKind::Urgent, "訂正")
            },
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(
        strike_other.message,
        "訂正できるのは自分の機関の投稿だけです"
    );

    app.close_team_request(&s.team, &request.to_string())
        .await
        .unwrap();
    let closed = app.close_team_request(&s.team, &request.to_string()).await;
    assert_eq!(
        closed.unwrap_err().message,
        "この相談・依頼は終了しています"
    );

    // A correction of the clinic's own post strikes it; both stay.
    let first = app
        .post_to_team(&s.team, &note(EntryKind::Note, "次回は金曜"), vec![])
        .await
        .unwrap();
    app.post_to_team(
        &s.team,
        &PostDraft {
            strikes: Some(first.id.to_string()),
            ..note(EntryKind::Note, "次回は木曜（訂正）")
        },
        vec![],
    )
    .await
    .unwrap();
    let timeline = app.team_timeline(&s.team).await.unwrap();
    let struck = timeline.posts.iter().find(|p| p.id == first.id).unwrap();
    assert!(struck.struck_by.is_some() && !struck.may_correct);
    assert_eq!(timeline.posts.len(), 4);

    let kinds: Vec<&str> = team_ops(app)
        .await
        .iter()
        .map(|(op, _)| match op {
            TeamOp::Started { .. } => "started",
            TeamOp::Read { entry_ids, .. } if entry_ids.len() == 2 => "read",
            TeamOp::Acknowledged { .. } => "ack",
            TeamOp::Posted { .. } => "posted",
            TeamOp::RequestClosed { .. } => "closed",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "started", "read", "ack", "posted", "closed", "posted", "posted"
        ]
    );

    // The server's receipt for the clinic replaces the one written here.
    s.feed
        .send(
            app,
            vec![ChangeBody::Team(TeamChangeBody::Receipt {
                team_id: s.team_id,
                entry_id: urgent,
                receipt: WireReceipt {
                    member_id: s.own,
                    reader: "つなぐ内科クリニック os:tester".into(),
                    read_at: now(),
                    acknowledged_at: Some(now()),
                },
            })],
        )
        .await;
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(timeline.posts[0].receipts.len(), 1);
    assert!(!timeline.posts[0].receipts[0].pending);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_withdrawal_the_clinic_reads_its_record_but_posts_nothing() {
    let s = with_team().await;
    let app = &s.t.app;
    app.post_to_team(&s.team, &note(EntryKind::Note, "連絡します"), vec![])
        .await
        .unwrap();
    let consents = app.consents(&s.patient).await.unwrap();
    app.save_team_consent(
        &s.patient,
        Some(&consents[0].id.to_string()),
        &TeamSharingConsentDraft {
            withdrawn_on: "2026-11-23".into(),
            ..consent(true)
        },
    )
    .await
    .unwrap();
    assert!(team_ops(app).await.is_empty(), "nothing more is shared");
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(timeline.posts[0].state, EntryState::Withheld);
    assert!(!timeline.may_post);
    let err = app
        .post_to_team(&s.team, &note(EntryKind::Note, "もう一度"), vec![])
        .await
        .unwrap_err();
    assert!(err.message.contains("同意が記録されていない"), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_left_unanswered_for_two_days_is_on_the_worklist_until_answered() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let nurse = Uuid::now_v7();
    let old = Uuid::now_v7();
    let fresh = Uuid::now_v7();
    s.feed
        .send(
            app,
            vec![
                ChangeBody::Team(TeamChangeBody::Started {
                    team_id: s.team_id,
                    patient_id: s.patient.parse().unwrap(),
                    started_at: now(),
                }),
                ChangeBody::Team(TeamChangeBody::Member {
                    team_id: s.team_id,
                    member: wire_member(
                        nurse,
                        Uuid::now_v7(),
                        TeamRole::VisitingNurse,
                        MemberState::Active,
                    ),
                }),
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: s.team_id,
                    entry: wire_entry(old, 1, EntryKind::Request, nurse, now() - Duration::days(3)),
                }),
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: s.team_id,
                    entry: wire_entry(
                        fresh,
                        2,
                        EntryKind::Request,
                        nurse,
                        now() - Duration::hours(3),
                    ),
                }),
            ],
        )
        .await;
    let requests: Vec<_> = app
        .worklist()
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.key.starts_with("team_request:"))
        .collect();
    assert_eq!(requests.len(), 1, "only the one waiting two days or more");
    assert_eq!(requests[0].key, format!("team_request:{old}"));
    assert_eq!(
        requests[0].title,
        "在宅チームの相談・依頼に回答していません"
    );
    assert_eq!(requests[0].patient_name, "山田　太郎");
    assert!(!requests[0].dismissible);

    app.post_to_team(
        &s.team,
        &PostDraft {
            reply_to: Some(old.to_string()),
            ..note(EntryKind::Request, "本日伺います。")
        },
        vec![],
    )
    .await
    .unwrap();
    // The server's feed says it is answered.
    s.feed
        .send(
            app,
            vec![ChangeBody::Team(TeamChangeBody::RequestState {
                team_id: s.team_id,
                entry_id: old,
                state: "answered".into(),
            })],
        )
        .await;
    assert!(
        app.worklist()
            .await
            .unwrap()
            .iter()
            .all(|i| !i.key.starts_with("team_request:"))
    );
}

/// The author is the signed-in account: its name, and the profession its
/// role is (医師 → physician, 看護師 → nurse); a clerk's account sees the
/// members but neither reads nor posts on the timeline (the domain's rule
/// for 事務).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_in_account_writes_and_a_clerk_may_not_read_the_timeline() {
    use tsunagu_app::{AccountInput, FixedClock};
    let dir = tempfile::tempdir().unwrap();
    let store = tsunagu_store::Store::open_file(
        &dir.path().join("tsunagu.db"),
        &tsunagu_store::StoreKey::generate(),
        tsunagu_store::OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let app = App::with_store(
        store,
        std::sync::Arc::new(FixedClock {
            now: now(),
            today: today(),
        }),
        "os:tester",
    )
    .requiring_accounts();
    let input = |login: &str, name: &str, role: &str, admin: bool| AccountInput {
        login: login.into(),
        display_name: name.into(),
        role: role.into(),
        is_admin: admin,
        password: "じゅうぶんに長いパスワード".into(),
    };
    app.create_first_account(&input("sato", "佐藤 花子", "doctor", true))
        .await
        .unwrap();
    app.add_account(&input("tanaka", "田中 看護師", "nurse", false))
        .await
        .unwrap();
    app.add_account(&input("suzuki", "鈴木 事務", "clerk", false))
        .await
        .unwrap();
    let patient = create(&app, &yamada()).await.id.to_string();
    app.save_team_consent(&patient, None, &consent(true))
        .await
        .unwrap();
    let team = app
        .start_team(&patient)
        .await
        .unwrap()
        .team
        .unwrap()
        .id
        .to_string();
    app.post_to_team(&team, &note(EntryKind::Note, "チームを作りました"), vec![])
        .await
        .unwrap();

    app.sign_out().await.unwrap();
    app.sign_in("tanaka", "じゅうぶんに長いパスワード")
        .await
        .unwrap();
    let report = PostDraft {
        vitals: VitalsDraft {
            pulse: "72".into(),
            ..VitalsDraft::default()
        },
        ..note(EntryKind::VisitReport, "")
    };
    app.post_to_team(&team, &report, vec![]).await.unwrap();
    let authors: Vec<(String, String)> = team_ops(&app)
        .await
        .into_iter()
        .filter_map(|(op, _)| match op {
            TeamOp::Posted { by, .. } => Some((by.name, by.profession)),
            _ => None,
        })
        .collect();
    assert_eq!(
        authors,
        [
            ("佐藤 花子".to_string(), "physician".to_string()),
            ("田中 看護師".to_string(), "nurse".to_string())
        ]
    );

    app.sign_out().await.unwrap();
    app.sign_in("suzuki", "じゅうぶんに長いパスワード")
        .await
        .unwrap();
    // The clerk sees who is on the team and how to reach them (not
    // clinical), and may change nothing.
    let panel = app.patient_team(&patient).await.unwrap();
    assert!(!panel.may_manage);
    let members = panel.team.unwrap().members;
    assert!(!members.is_empty());
    assert!(
        members
            .iter()
            .all(|m| !m.may_resend && !m.may_cancel && !m.may_remove && !m.may_be_first_contact)
    );
    let refused = app.team_timeline(&team).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let refused = app
        .post_to_team(&team, &note(EntryKind::Note, "事務です"), vec![])
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert_eq!(team_ops(&app).await.len(), 3, "nothing more queued");
    app.store().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_acknowledgement_is_no_refused_post_and_a_start_held_back_goes_again() {
    let mut s = with_team().await;
    let app = &s.t.app;
    let nurse = Uuid::now_v7();
    let news = Uuid::now_v7();
    s.feed
        .send(
            app,
            vec![
                ChangeBody::Team(TeamChangeBody::Member {
                    team_id: s.team_id,
                    member: wire_member(
                        nurse,
                        Uuid::now_v7(),
                        TeamRole::VisitingNurse,
                        MemberState::Active,
                    ),
                }),
                ChangeBody::Team(TeamChangeBody::Entry {
                    team_id: s.team_id,
                    entry: wire_entry(news, 1, EntryKind::Note, nurse, now()),
                }),
            ],
        )
        .await;
    app.acknowledge_team_entry(&s.team, &news.to_string())
        .await
        .unwrap();
    let refusals: Vec<_> = app
        .store()
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .map(|op| {
            (
                op.op_seq,
                tsunagu_store::Settlement::Refused("受け付けられません".into()),
            )
        })
        .collect();
    app.store()
        .settle_operations(&refusals, now())
        .await
        .unwrap();
    let timeline = app.team_timeline(&s.team).await.unwrap();
    assert_eq!(
        timeline.posts[0].state,
        EntryState::Confirmed,
        "the nurse's post stands"
    );

    // A team never sent, consent withdrawn (its start held back) and given
    // again: the start is queued again, once.
    let t2 = with_team().await;
    let consent_id = t2.t.app.consents(&t2.patient).await.unwrap()[0]
        .id
        .to_string();
    let withdrawn = TeamSharingConsentDraft {
        withdrawn_on: "2026-11-23".into(),
        ..consent(true)
    };
    t2.t.app
        .save_team_consent(&t2.patient, Some(&consent_id), &withdrawn)
        .await
        .unwrap();
    assert!(team_ops(&t2.t.app).await.is_empty());
    t2.t.app
        .save_team_consent(&t2.patient, None, &consent(true))
        .await
        .unwrap();
    let ops = team_ops(&t2.t.app).await;
    assert!(
        matches!(&ops[..], [(TeamOp::Started { team_id, .. }, _)] if *team_id == t2.team_id),
        "{ops:?}"
    );
    let consents = t2.t.app.consents(&t2.patient).await.unwrap();
    let current = consents.iter().find(|c| c.in_force).unwrap();
    t2.t.app
        .save_team_consent(&t2.patient, Some(&current.id.to_string()), &consent(true))
        .await
        .unwrap();
    assert_eq!(team_ops(&t2.t.app).await.len(), 1, "not twice");
}

fn hospital(id: Uuid, name: &str) -> ChangeBody {
    ChangeBody::OrganisationListed {
        organisation: Organisation {
            id,
            name: name.into(),
            kind: OrgKind::Hospital,
        },
    }
}

/// 事前登録 (issue 17): the form offers the region's registered hospitals
/// (not stopped ones); a consent naming only 事前登録 with two of them is
/// stored, is a consent in force (the patient goes first), is pushed with
/// the scope and the hospitals, is read back from the feed as another
/// device changed it, and its 同意書 names them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_preregisters_the_patient_with_the_hospitals_chosen() {
    let t = new_app().await;
    let app = &t.app;
    save_clinic(app).await;
    let mut feed = Feed { seq: 0 };
    let chuo = Uuid::now_v7();
    let ikebukuro = Uuid::now_v7();
    let stopped = Uuid::now_v7();
    feed.send(
        app,
        vec![
            hospital(chuo, "豊島中央病院"),
            hospital(ikebukuro, "池袋総合病院"),
            hospital(stopped, "休止中記念病院"),
            directory(stopped, "休止中記念病院", "hospital", true),
        ],
    )
    .await;
    let offered: Vec<(Uuid, String)> = app
        .preregistration_hospitals()
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.id, h.name))
        .collect();
    assert_eq!(
        offered,
        [
            (ikebukuro, "池袋総合病院".to_string()),
            (chuo, "豊島中央病院".to_string())
        ],
        "by name, the stopped one not offered"
    );

    let patient = create(app, &yamada()).await.id.to_string();
    let mut draft = consent(false);
    draft.scopes = vec![ConsentScope::Preregistration];
    // A hospital the region does not list is refused, on its field.
    draft.preregistered_with = vec![chuo.to_string(), Uuid::now_v7().to_string()];
    let err = app
        .save_team_consent(&patient, None, &draft)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(field_keys(&err), ["preregisteredWith"]);
    assert!(app.consents(&patient).await.unwrap().is_empty());

    draft.preregistered_with = vec![chuo.to_string(), ikebukuro.to_string()];
    let view = app.save_team_consent(&patient, None, &draft).await.unwrap();
    assert!(view.preregistration && view.in_force);
    assert!(!view.share_with_desk && !view.share_with_hospital && !view.share_with_team);
    let chosen: Vec<(Uuid, &str)> = view
        .preregistered_with
        .iter()
        .map(|h| (h.id, h.name.as_str()))
        .collect();
    assert_eq!(
        chosen,
        [(chuo, "豊島中央病院"), (ikebukuro, "池袋総合病院")]
    );
    assert_eq!(
        app.consents(&patient).await.unwrap(),
        std::slice::from_ref(&view)
    );

    // Pushed: the patient first (the server must know whom to find), then
    // the consent with its scope and the hospitals, in the order chosen.
    let pending = app.store().pending_operations(50).await.unwrap();
    let ops: Vec<OpBody> = pending
        .iter()
        .map(|op| pushed_operation(op).unwrap().body)
        .collect();
    assert!(
        matches!(
            &ops[..],
            [OpBody::PatientShared { .. }, OpBody::ConsentRecorded { .. }]
        ),
        "{ops:?}"
    );
    let OpBody::ConsentRecorded {
        consent_id,
        desk,
        destination_hospital,
        team,
        preregistration,
        preregistered_with,
        ..
    } = &ops[1]
    else {
        unreachable!()
    };
    assert_eq!(*consent_id, view.id);
    assert!(!desk && !destination_hospital && !team);
    assert!(*preregistration);
    assert_eq!(preregistered_with, &[chuo, ikebukuro]);
    let sent: Vec<(i64, Settlement)> = pending
        .iter()
        .map(|op| (op.op_seq, Settlement::Applied))
        .collect();
    app.store().settle_operations(&sent, now()).await.unwrap();

    // The 同意書 names the hospitals chosen (read back by poppler, which
    // the letters' tests need too).
    let pdf = app.consent_form_pdf(&view.id.to_string()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("consent.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by `make setup`)");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("地域の病院に事前登録する（登録先：豊島中央病院、池袋総合病院）"),
        "{text}"
    );

    // Another device of the clinic changed it: 紹介先の病院 too, and only
    // 池袋総合病院 for 事前登録.
    let changed = |hospitals: Vec<Uuid>| ChangeBody::ConsentRecorded {
        consent_id: view.id,
        patient_id: Uuid::parse_str(&patient).unwrap(),
        obtained_on: ymd(2026, 11, 20),
        obtained_by: "鈴木　一郎".into(),
        desk: false,
        destination_hospital: true,
        withdrawn_on: None,
        team: false,
        family: None,
        preregistration: true,
        preregistered_with: hospitals,
    };
    feed.send(app, vec![changed(vec![ikebukuro])]).await;
    let pulled = &app.consents(&patient).await.unwrap()[0];
    assert!(pulled.preregistration && pulled.share_with_hospital);
    let chosen: Vec<(Uuid, &str)> = pulled
        .preregistered_with
        .iter()
        .map(|h| (h.id, h.name.as_str()))
        .collect();
    assert_eq!(chosen, [(ikebukuro, "池袋総合病院")]);
    // Every participating hospital: none named.
    feed.send(app, vec![changed(Vec::new())]).await;
    let pulled = &app.consents(&patient).await.unwrap()[0];
    assert!(pulled.preregistration && pulled.preregistered_with.is_empty());
    assert!(
        app.store().pending_operations(50).await.unwrap().is_empty(),
        "the feed's consent is not sent back"
    );

    // A hospital this PC has not heard of (named on another PC) is shown
    // as such, and does not stop the consent being withdrawn here.
    let elsewhere = Uuid::now_v7();
    feed.send(app, vec![changed(vec![elsewhere])]).await;
    let pulled = &app.consents(&patient).await.unwrap()[0];
    assert_eq!(
        pulled.preregistered_with[0].name,
        "（この端末に登録のない病院）"
    );
    let withdrawal = TeamSharingConsentDraft {
        scopes: vec![ConsentScope::Hospital, ConsentScope::Preregistration],
        preregistered_with: vec![elsewhere.to_string()],
        withdrawn_on: "2026-11-23".into(),
        ..draft
    };
    let withdrawn = app
        .save_team_consent(&patient, Some(&view.id.to_string()), &withdrawal)
        .await
        .unwrap();
    assert!(!withdrawn.in_force);
    assert_eq!(withdrawn.preregistered_with[0].id, elsewhere);
}
