//! The team and its timeline in the encrypted store: writes queue their
//! operation in the same transaction, a post waits for its files, the
//! feed's copy of a post written here replaces it (never a second one),
//! and withdrawing consent holds back what waits; 退院時カンファレンス set
//! and answered here stand beside the feed's copy until it speaks after
//! they are sent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::{Duration, NaiveDate};
use tsunagu_domain::team::conference::{Attendance, ConferenceState};
use tsunagu_domain::team::{
    EntryKind, FirstContactTopic, MemberState, OrganisationKind, RequestState, TeamRole, Vitals,
};
use tsunagu_domain::{ConsentGiver, ConsentScope, TeamSharingConsent};
use tsunagu_store::{
    AnswerSending, AttachmentMeta, AttendanceGivenHere, ConferenceRecord, DirectoryEntry,
    EntryRecord, EntryState, InviteeRecord, MemberRecord, NewAttachment, OpenMode, OutboxItem,
    PulledChange, Settlement, Store, StoreError, StoreKey, SyncDevice, TeamOperation, TeamPulled,
    TeamRecord, TeamWrite,
};
use uuid::Uuid;

struct Fixture {
    store: Store,
    _dir: tempfile::TempDir,
    patient: Uuid,
    team: Uuid,
    owner: Uuid,
    consent: Uuid,
}

fn consent(scopes: Vec<ConsentScope>, withdrawn: bool) -> TeamSharingConsent {
    TeamSharingConsent {
        obtained_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        obtained_by: "鈴木　一郎".into(),
        given_by: ConsentGiver::Family {
            name: "山田　花子".into(),
            relation: "妻".into(),
        },
        scopes,
        withdrawn_on: withdrawn.then(|| NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
        preregistered_with: Vec::new(),
    }
}

fn op(record: Uuid, what: &str) -> TeamOperation {
    TeamOperation {
        record_id: record,
        payload: format!("{{\"what\":\"{what}\"}}"),
    }
}

fn write(operation: Option<&TeamOperation>) -> TeamWrite<'_> {
    TeamWrite {
        operation,
        actor: "account:suzuki",
        now: common::now(),
    }
}

fn owner_member(team: Uuid, id: Uuid) -> MemberRecord {
    MemberRecord {
        id,
        team_id: team,
        organisation_id: Some(Uuid::now_v7()),
        name: "つなぐ内科クリニック".into(),
        kind: Some(OrganisationKind::Clinic),
        role: TeamRole::PrimaryPhysician,
        state: MemberState::Active,
        person: String::new(),
        phone: "03-1234-5678".into(),
        fax: String::new(),
        relation: String::new(),
        expires_at: None,
        needs_approval: false,
        access_until: None,
        first_contact_for: vec![],
        invited_by: None,
    }
}

fn nurse_member(team: Uuid, id: Uuid, state: MemberState) -> MemberRecord {
    MemberRecord {
        id,
        team_id: team,
        organisation_id: Some(Uuid::now_v7()),
        name: "みどり訪問看護ステーション".into(),
        kind: Some(OrganisationKind::VisitingNurseStation),
        role: TeamRole::VisitingNurse,
        state,
        person: "田中".into(),
        phone: "03-2222-3333".into(),
        fax: "03-2222-3334".into(),
        relation: String::new(),
        expires_at: Some(common::now() + Duration::days(14)),
        needs_approval: false,
        access_until: None,
        first_contact_for: vec![],
        invited_by: None,
    }
}

fn entry(team: Uuid, author: Option<Uuid>, kind: EntryKind, state: EntryState) -> EntryRecord {
    EntryRecord {
        id: Uuid::now_v7(),
        team_id: team,
        seq: None,
        kind,
        body: "本日訪問しました。".into(),
        author_member: author,
        author: "鈴木　一郎".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        request_state: (kind == EntryKind::Request).then_some(RequestState::Open),
        posted_at: common::now(),
        state,
        attachments: vec![],
    }
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("t.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    store
        .save_sync_device(
            &SyncDevice {
                server_url: "http://127.0.0.1:1".into(),
                device_id: Uuid::now_v7(),
                organisation_id: Uuid::now_v7(),
                organisation_name: "つなぐ内科クリニック".into(),
                enrolled_at: common::now(),
            },
            "test",
        )
        .await
        .unwrap();
    let patient = Uuid::now_v7();
    store
        .insert_patient(patient, &common::yamada(), "t", common::now())
        .await
        .unwrap();
    let consent_id = Uuid::now_v7();
    store
        .save_consent(
            consent_id,
            patient,
            &consent(vec![ConsentScope::Team], false),
            "t",
            common::now(),
        )
        .await
        .unwrap();
    let team = Uuid::now_v7();
    let owner = Uuid::now_v7();
    let started = op(team, "started");
    store
        .start_team(
            &TeamRecord {
                id: team,
                patient_id: patient,
                started_at: common::now(),
                confirmed: false,
            },
            &owner_member(team, owner),
            &write(Some(&started)),
        )
        .await
        .unwrap();
    Fixture {
        store,
        _dir: dir,
        patient,
        team,
        owner,
        consent: consent_id,
    }
}

async fn team_payloads(store: &Store) -> Vec<String> {
    store
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|op| match op.item {
            OutboxItem::Team { payload, .. } => Some(payload),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_consent_names_the_team_and_who_gave_it() {
    let f = fixture().await;
    let record = f.store.consent(f.consent).await.unwrap();
    assert!(record.share_with_team);
    assert_eq!(
        record.given_by,
        ConsentGiver::Family {
            name: "山田　花子".into(),
            relation: "妻".into()
        }
    );
    assert_eq!(
        record.team_sharing(),
        consent(vec![ConsentScope::Team], false)
    );
    assert!(f.store.team_consent_in_force(f.patient).await.unwrap());
    // A team-only consent is a consent in force: the patient is shared first.
    let kinds: Vec<_> = f
        .store
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .map(|op| match op.item {
            OutboxItem::Patient { .. } => "patient",
            OutboxItem::Consent { .. } => "consent",
            OutboxItem::Team { .. } => "team",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["patient", "consent", "team"]);
    f.store.close().await;
}

#[tokio::test]
async fn a_second_team_for_the_patient_is_refused_and_nothing_is_queued() {
    let f = fixture().await;
    let other = Uuid::now_v7();
    let result = f
        .store
        .start_team(
            &TeamRecord {
                id: other,
                patient_id: f.patient,
                started_at: common::now(),
                confirmed: false,
            },
            &owner_member(other, Uuid::now_v7()),
            &write(Some(&op(other, "started again"))),
        )
        .await;
    assert!(matches!(result, Err(StoreError::TeamExists)), "{result:?}");
    assert_eq!(team_payloads(&f.store).await, [r#"{"what":"started"}"#]);
    f.store.close().await;
}

#[tokio::test]
async fn a_post_waits_for_its_files_and_the_feed_copy_replaces_it() {
    let f = fixture().await;
    let mut post = entry(
        f.team,
        Some(f.owner),
        EntryKind::VisitReport,
        EntryState::Pending,
    );
    post.vitals = Some(Vitals {
        body_temperature: Some(36.8),
        systolic: Some(128),
        diastolic: Some(76),
        ..Vitals::default()
    });
    let file = NewAttachment {
        id: Uuid::now_v7(),
        name: "創部.jpg".into(),
        media_type: "image/jpeg".into(),
        sha256: "ab".repeat(32),
        bytes: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
    };
    f.store
        .post_team_entry(
            &post,
            std::slice::from_ref(&file),
            None,
            &write(Some(&op(post.id, "posted"))),
        )
        .await
        .unwrap();
    let pending = f.store.pending_operations(100).await.unwrap();
    let uploads = pending
        .iter()
        .find_map(|op| match &op.item {
            OutboxItem::Team { payload, uploads } if payload.contains("posted") => {
                Some(uploads.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(uploads, [file.id], "the file goes before the post");
    let (name, bytes) = f.store.team_attachment_bytes(file.id).await.unwrap();
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("創部.jpg", file.bytes.as_slice())
    );
    f.store.mark_attachment_uploaded(file.id).await.unwrap();
    let uploads_after: Vec<Vec<Uuid>> = f
        .store
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|op| match op.item {
            OutboxItem::Team { uploads, .. } => Some(uploads),
            _ => None,
        })
        .collect();
    assert!(uploads_after.iter().all(Vec::is_empty));

    let shown = f.store.team_entries(f.team).await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].state, EntryState::Pending);
    assert_eq!(shown[0].vitals, post.vitals);
    assert!(shown[0].attachments[0].held);

    // The server's copy of the post, as the feed brings it (twice).
    let confirmed = EntryRecord {
        seq: Some(1),
        author: "つなぐ内科クリニック 鈴木　一郎".into(),
        state: EntryState::Confirmed,
        attachments: vec![AttachmentMeta {
            id: file.id,
            name: "創部.jpg".into(),
            media_type: "image/jpeg".into(),
            size: file.bytes.len() as i64,
            sha256: file.sha256.clone(),
            held: false,
            uploaded: true,
        }],
        ..post.clone()
    };
    let page = vec![
        (
            1,
            PulledChange::Team(TeamPulled::Started {
                team_id: f.team,
                patient_id: f.patient,
                started_at: common::now(),
            }),
        ),
        (2, PulledChange::Team(TeamPulled::Entry(confirmed.clone()))),
    ];
    let outcome = f.store.apply_pulled(&page, 2, common::now()).await.unwrap();
    assert_eq!(outcome.team_entries, 0, "the clinic's own post is no news");
    f.store.apply_pulled(&page, 2, common::now()).await.unwrap();
    let shown = f.store.team_entries(f.team).await.unwrap();
    assert_eq!(shown.len(), 1, "one entry, never two");
    assert_eq!(shown[0].state, EntryState::Confirmed);
    assert_eq!(shown[0].seq, Some(1));
    assert_eq!(shown[0].author, "つなぐ内科クリニック 鈴木　一郎");
    assert!(shown[0].attachments[0].held, "the bytes written here stay");
    assert!(
        f.store
            .team_for_patient(f.patient)
            .await
            .unwrap()
            .unwrap()
            .confirmed
    );
    assert!(
        f.store
            .missing_team_attachments(10)
            .await
            .unwrap()
            .is_empty()
    );
    f.store.close().await;
}

#[tokio::test]
async fn entries_from_others_count_as_unread_until_read_here_and_the_server_receipt_replaces_ours()
{
    let f = fixture().await;
    let nurse = Uuid::now_v7();
    let mut report = entry(
        f.team,
        Some(nurse),
        EntryKind::Urgent,
        EntryState::Confirmed,
    );
    report.seq = Some(1);
    report.attachments = vec![AttachmentMeta {
        id: Uuid::now_v7(),
        name: "写真.png".into(),
        media_type: "image/png".into(),
        size: 4,
        sha256: "cd".repeat(32),
        held: false,
        uploaded: true,
    }];
    let mut request = entry(
        f.team,
        Some(nurse),
        EntryKind::Request,
        EntryState::Confirmed,
    );
    request.seq = Some(2);
    let page = vec![
        (
            1,
            PulledChange::Team(TeamPulled::Member(nurse_member(
                f.team,
                nurse,
                MemberState::Active,
            ))),
        ),
        (2, PulledChange::Team(TeamPulled::Entry(report.clone()))),
        (3, PulledChange::Team(TeamPulled::Entry(request.clone()))),
        (
            4,
            PulledChange::Team(TeamPulled::Directory(DirectoryEntry {
                id: Uuid::now_v7(),
                name: "ひかり薬局".into(),
                kind: OrganisationKind::Pharmacy,
                phone: "03-0000-0000".into(),
                fax: String::new(),
                stopped: false,
            })),
        ),
    ];
    let outcome = f.store.apply_pulled(&page, 4, common::now()).await.unwrap();
    assert_eq!((outcome.team_entries, outcome.urgent), (2, 1));
    let counts = f.store.team_counts().await.unwrap();
    assert_eq!((counts.unread, counts.open_requests), (2, 1));
    assert_eq!(f.store.team_directory().await.unwrap().len(), 1);
    let missing = f.store.missing_team_attachments(10).await.unwrap();
    assert_eq!(missing.len(), 1);

    f.store
        .record_team_receipts(
            f.team,
            f.owner,
            "鈴木　一郎",
            &[report.id],
            true,
            &write(Some(&op(f.team, "ack"))),
        )
        .await
        .unwrap();
    assert_eq!(f.store.team_counts().await.unwrap().unread, 1);
    let receipts = f.store.team_receipts(f.team).await.unwrap();
    assert_eq!(receipts.len(), 1);
    assert!(receipts[0].pending && receipts[0].acknowledged_at.is_some());

    let echoed = vec![(
        5,
        PulledChange::Team(TeamPulled::Receipt {
            entry_id: report.id,
            member_id: f.owner,
            reader: "つなぐ内科クリニック 鈴木　一郎".into(),
            read_at: common::now(),
            acknowledged_at: Some(common::now()),
        }),
    )];
    f.store
        .apply_pulled(&echoed, 5, common::now())
        .await
        .unwrap();
    let receipts = f.store.team_receipts(f.team).await.unwrap();
    assert_eq!(receipts.len(), 1, "the server's receipt stands for ours");
    assert!(!receipts[0].pending);

    // The physician's reply answers the 相談; closing it ends it.
    let mut reply = entry(
        f.team,
        Some(f.owner),
        EntryKind::Request,
        EntryState::Pending,
    );
    reply.reply_to = Some(request.id);
    reply.request_state = None;
    f.store
        .post_team_entry(
            &reply,
            &[],
            Some((request.id, RequestState::Answered)),
            &write(Some(&op(reply.id, "reply"))),
        )
        .await
        .unwrap();
    assert_eq!(f.store.team_counts().await.unwrap().open_requests, 0);
    f.store
        .close_team_request(f.team, request.id, &write(Some(&op(f.team, "close"))))
        .await
        .unwrap();
    let shown = f.store.team_entries(f.team).await.unwrap();
    let closed = shown.iter().find(|e| e.id == request.id).unwrap();
    assert_eq!(closed.request_state, Some(RequestState::Closed));
    f.store.close().await;
}

/// A first sync brings teams with their members and entries in long runs,
/// written a table at a time: the result is the feed's, change by change
/// (the last word on a member stands, a team of a patient not held is
/// skipped with all it brings, a receipt finds its entry).
#[tokio::test]
async fn a_run_of_teams_members_and_entries_reads_as_the_feed_said_it() {
    let f = fixture().await;
    let other_patient = Uuid::now_v7();
    let other = tsunagu_domain::PatientFields {
        chart_number: Some("A-1002".into()),
        ..common::yamada()
    };
    f.store
        .insert_patient(other_patient, &other, "t", common::now())
        .await
        .unwrap();
    let (new_team, new_owner, new_nurse) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (stray_team, nurse) = (Uuid::now_v7(), Uuid::now_v7());
    let mut visit = entry(
        new_team,
        Some(new_nurse),
        EntryKind::VisitReport,
        EntryState::Confirmed,
    );
    visit.seq = Some(1);
    let mut note = entry(f.team, Some(nurse), EntryKind::Note, EntryState::Confirmed);
    note.seq = Some(1);
    let stray = entry(stray_team, None, EntryKind::Note, EntryState::Confirmed);
    let started = |team_id, patient_id| {
        PulledChange::Team(TeamPulled::Started {
            team_id,
            patient_id,
            started_at: common::now(),
        })
    };
    let member = |m: MemberRecord| PulledChange::Team(TeamPulled::Member(m));
    let changes = vec![
        started(f.team, f.patient),
        member(nurse_member(f.team, nurse, MemberState::Invited)),
        started(new_team, other_patient),
        member(owner_member(new_team, new_owner)),
        PulledChange::Team(TeamPulled::Entry(visit.clone())),
        started(stray_team, Uuid::now_v7()),
        member(nurse_member(
            stray_team,
            Uuid::now_v7(),
            MemberState::Active,
        )),
        PulledChange::Team(TeamPulled::Entry(stray)),
        member(nurse_member(f.team, nurse, MemberState::Active)),
        PulledChange::Team(TeamPulled::Entry(note.clone())),
        PulledChange::Team(TeamPulled::Receipt {
            entry_id: note.id,
            member_id: f.owner,
            reader: "つなぐ内科クリニック 鈴木　一郎".into(),
            read_at: common::now(),
            acknowledged_at: None,
        }),
        member(nurse_member(new_team, new_nurse, MemberState::Active)),
    ];
    let page: Vec<(i64, PulledChange)> = (1..).zip(changes).collect();
    let first = f
        .store
        .apply_pulled(&page, 12, common::now())
        .await
        .unwrap();
    assert_eq!((first.team_entries, first.skipped), (2, 3));
    let again = f
        .store
        .apply_pulled(&page, 12, common::now())
        .await
        .unwrap();
    assert_eq!((again.team_entries, again.skipped), (0, 3));

    let held = f.store.team_for_patient(f.patient).await.unwrap().unwrap();
    assert!(held.confirmed, "the team started here is the feed's now");
    let new = f
        .store
        .team_for_patient(other_patient)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((new.id, new.confirmed), (new_team, true));
    let states = |members: Vec<MemberRecord>| -> Vec<(Uuid, MemberState)> {
        members.into_iter().map(|m| (m.id, m.state)).collect()
    };
    assert_eq!(
        states(f.store.team_members(f.team).await.unwrap()),
        [(f.owner, MemberState::Active), (nurse, MemberState::Active)]
    );
    assert_eq!(
        states(f.store.team_members(new_team).await.unwrap()),
        [
            (new_owner, MemberState::Active),
            (new_nurse, MemberState::Active)
        ]
    );
    let ids = |entries: Vec<EntryRecord>| -> Vec<Uuid> { entries.iter().map(|e| e.id).collect() };
    assert_eq!(ids(f.store.team_entries(f.team).await.unwrap()), [note.id]);
    assert_eq!(
        ids(f.store.team_entries(new_team).await.unwrap()),
        [visit.id]
    );
    assert!(matches!(
        f.store.team(stray_team).await,
        Err(StoreError::NotFound)
    ));
    let receipts = f.store.team_receipts(f.team).await.unwrap();
    assert_eq!(
        receipts
            .iter()
            .map(|r| (r.entry_id, r.pending))
            .collect::<Vec<_>>(),
        [(note.id, false)]
    );
    f.store.close().await;
}

#[tokio::test]
async fn first_contacts_move_and_members_keep_every_field() {
    let f = fixture().await;
    let nurse = Uuid::now_v7();
    let member = nurse_member(f.team, nurse, MemberState::Invited);
    f.store
        .save_team_member(&member, &write(Some(&op(nurse, "invited"))))
        .await
        .unwrap();
    let active = MemberRecord {
        state: MemberState::Active,
        ..member.clone()
    };
    f.store
        .apply_pulled(
            &[(1, PulledChange::Team(TeamPulled::Member(active.clone())))],
            1,
            common::now(),
        )
        .await
        .unwrap();
    f.store
        .set_first_contact(f.team, f.owner, FirstContactTopic::Medical, &write(None))
        .await
        .unwrap();
    f.store
        .set_first_contact(
            f.team,
            nurse,
            FirstContactTopic::NightAndHoliday,
            &write(None),
        )
        .await
        .unwrap();
    f.store
        .set_first_contact(f.team, nurse, FirstContactTopic::Medical, &write(None))
        .await
        .unwrap();
    let members = f.store.team_members(f.team).await.unwrap();
    assert_eq!(members[0].role, TeamRole::PrimaryPhysician);
    assert!(members[0].first_contact_for.is_empty());
    assert_eq!(
        members[1],
        MemberRecord {
            first_contact_for: vec![
                FirstContactTopic::NightAndHoliday,
                FirstContactTopic::Medical
            ],
            ..active
        }
    );
    f.store.close().await;
}

#[tokio::test]
async fn withdrawing_consent_holds_back_what_waits_and_a_refused_post_is_marked() {
    let f = fixture().await;
    let first = entry(f.team, Some(f.owner), EntryKind::Note, EntryState::Pending);
    f.store
        .post_team_entry(&first, &[], None, &write(Some(&op(first.id, "first"))))
        .await
        .unwrap();
    // The server refuses the post.
    let ops = f.store.pending_operations(100).await.unwrap();
    let answers: Vec<_> = ops
        .iter()
        .map(|op| match &op.item {
            OutboxItem::Team { payload, .. } if payload.contains("first") => {
                (op.op_seq, Settlement::Refused("投稿できません".into()))
            }
            _ => (op.op_seq, Settlement::Applied),
        })
        .collect();
    f.store
        .settle_operations(&answers, common::now())
        .await
        .unwrap();
    let second = entry(f.team, Some(f.owner), EntryKind::Note, EntryState::Pending);
    f.store
        .post_team_entry(&second, &[], None, &write(Some(&op(second.id, "second"))))
        .await
        .unwrap();
    assert_eq!(team_payloads(&f.store).await, [r#"{"what":"second"}"#]);
    f.store
        .save_consent(
            f.consent,
            f.patient,
            &consent(vec![ConsentScope::Team], true),
            "t",
            common::now(),
        )
        .await
        .unwrap();
    assert!(team_payloads(&f.store).await.is_empty());
    assert!(!f.store.team_consent_in_force(f.patient).await.unwrap());
    let states: Vec<_> = f
        .store
        .team_entries(f.team)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.state)
        .collect();
    assert_eq!(states, [EntryState::Refused, EntryState::Withheld]);
    f.store.close().await;
}

#[tokio::test]
async fn a_reply_by_another_member_to_the_clinics_request_is_counted_once() {
    let f = fixture().await;
    let nurse = Uuid::now_v7();
    let mut asked = entry(
        f.team,
        Some(f.owner),
        EntryKind::Request,
        EntryState::Confirmed,
    );
    asked.seq = Some(1);
    let mut answer = entry(
        f.team,
        Some(nurse),
        EntryKind::Request,
        EntryState::Confirmed,
    );
    answer.seq = Some(2);
    answer.reply_to = Some(asked.id);
    answer.request_state = None;
    let page = vec![
        (1, PulledChange::Team(TeamPulled::Entry(asked.clone()))),
        (2, PulledChange::Team(TeamPulled::Entry(answer.clone()))),
        (
            3,
            PulledChange::Team(TeamPulled::RequestState {
                entry_id: asked.id,
                state: RequestState::Answered,
            }),
        ),
    ];
    let first = f.store.apply_pulled(&page, 3, common::now()).await.unwrap();
    assert_eq!((first.team_entries, first.replies_to_ours), (1, 1));
    let again = f.store.apply_pulled(&page, 3, common::now()).await.unwrap();
    assert_eq!(
        (again.team_entries, again.replies_to_ours),
        (0, 0),
        "no news twice"
    );
    // A change about a team this install does not hold is counted, not applied.
    let stray = entry(
        Uuid::now_v7(),
        Some(nurse),
        EntryKind::Note,
        EntryState::Confirmed,
    );
    let skipped = f
        .store
        .apply_pulled(
            &[(4, PulledChange::Team(TeamPulled::Entry(stray)))],
            4,
            common::now(),
        )
        .await
        .unwrap();
    assert_eq!(skipped.skipped, 1);
    assert_eq!(f.store.team_counts().await.unwrap().open_requests, 0);
    f.store.close().await;
}

fn conference(team: Uuid, organiser: Uuid, invitees: &[Uuid]) -> ConferenceRecord {
    ConferenceRecord {
        id: Uuid::now_v7(),
        team_id: team,
        starts_at: common::now() + Duration::days(3),
        place: "北病院 3階 カンファレンス室".into(),
        link: "https://meet.example.jp/abc".into(),
        note: "ご家族も同席されます".into(),
        state: ConferenceState::Scheduled,
        organiser_member: organiser,
        organiser: "つなぐ内科クリニック 医師 鈴木　一郎".into(),
        invitees: invitees
            .iter()
            .map(|id| InviteeRecord {
                member_id: *id,
                attendance: Attendance::Pending,
                answered_by: String::new(),
                answered_at: None,
            })
            .collect(),
        minutes_entry: None,
        scheduled_at: common::now(),
    }
}

async fn feed(store: &Store, seq: i64, changes: Vec<TeamPulled>) -> tsunagu_store::PullOutcome {
    let changes: Vec<_> = changes
        .into_iter()
        .map(|c| (seq, PulledChange::Team(c)))
        .collect();
    store
        .apply_pulled(&changes, seq, common::now())
        .await
        .unwrap()
}

/// Settles every waiting operation as `answer` says for its payload.
async fn settle(store: &Store, answer: impl Fn(&str) -> Settlement) {
    let answers: Vec<_> = store
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .map(|op| match &op.item {
            OutboxItem::Team { payload, .. } => (op.op_seq, answer(payload)),
            _ => (op.op_seq, Settlement::Applied),
        })
        .collect();
    store
        .settle_operations(&answers, common::now())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_conference_set_here_waits_until_the_feed_brings_it_whole() {
    let f = fixture().await;
    let nurse = Uuid::now_v7();
    f.store
        .save_team_member(
            &nurse_member(f.team, nurse, MemberState::Active),
            &write(None),
        )
        .await
        .unwrap();
    let set = conference(f.team, f.owner, &[nurse, f.owner]);
    let audited = f
        .store
        .audit_trail(&f.team.to_string())
        .await
        .unwrap()
        .len();
    f.store
        .schedule_conference(&set, &write(Some(&op(set.id, "scheduled"))))
        .await
        .unwrap();
    assert_eq!(
        team_payloads(&f.store).await.last().unwrap(),
        r#"{"what":"scheduled"}"#
    );
    let held = f.store.team_conferences(f.team).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].conference, set);
    assert!(!held[0].confirmed);
    assert_eq!(held[0].scheduling, Some(AnswerSending::Waiting));
    assert_eq!(held[0].answer_here, None);
    let trail = f.store.audit_trail(&f.team.to_string()).await.unwrap();
    assert_eq!(trail.len(), audited + 1);

    // Sent, then the feed's copy: confirmed, the nurse's answer with it.
    settle(&f.store, |_| Settlement::Applied).await;
    let mut echoed = set.clone();
    echoed.organiser = "つなぐ内科クリニック 医師 鈴木".into();
    echoed.invitees[0].attendance = Attendance::Online;
    echoed.invitees[0].answered_by = "みどり訪問看護ステーション 看護師 田中".into();
    echoed.invitees[0].answered_at = Some(common::now());
    let outcome = feed(&f.store, 1, vec![TeamPulled::Conference(echoed.clone())]).await;
    assert_eq!((outcome.conferences, outcome.skipped), (1, 0));
    let held = f.store.team_conference(set.id).await.unwrap();
    assert_eq!(held.conference, echoed);
    assert!(held.confirmed);
    assert_eq!(held.scheduling, Some(AnswerSending::Applied));

    // One the hospital set, for a team this install does not hold, is
    // skipped; another team's conference under the same id is refused.
    let stray = conference(Uuid::now_v7(), nurse, &[nurse]);
    let outcome = feed(&f.store, 2, vec![TeamPulled::Conference(stray)]).await;
    assert_eq!((outcome.conferences, outcome.skipped), (0, 1));
    let other_patient = Uuid::now_v7();
    f.store
        .insert_patient(
            other_patient,
            &tsunagu_domain::PatientFields {
                chart_number: Some("A-1002".into()),
                ..common::yamada()
            },
            "t",
            common::now(),
        )
        .await
        .unwrap();
    let other_team = Uuid::now_v7();
    let moved = ConferenceRecord {
        team_id: other_team,
        ..echoed.clone()
    };
    let changes = vec![
        (
            3,
            PulledChange::Team(TeamPulled::Started {
                team_id: other_team,
                patient_id: other_patient,
                started_at: common::now(),
            }),
        ),
        (3, PulledChange::Team(TeamPulled::Conference(moved))),
    ];
    assert!(matches!(
        f.store.apply_pulled(&changes, 3, common::now()).await,
        Err(StoreError::Corrupt(_))
    ));
    assert_eq!(
        f.store.team_conference(set.id).await.unwrap().conference,
        echoed
    );
    f.store.close().await;
}

#[tokio::test]
async fn the_clinics_answer_and_calling_off_stand_until_the_feed_speaks_after_they_are_sent() {
    let f = fixture().await;
    let hospital_member = Uuid::now_v7();
    let set = conference(f.team, hospital_member, &[f.owner]);
    feed(&f.store, 1, vec![TeamPulled::Conference(set.clone())]).await;
    let held = f.store.team_conference(set.id).await.unwrap();
    assert!(held.confirmed && held.scheduling.is_none());

    let answer = AttendanceGivenHere {
        attendance: Attendance::Attend,
        by: "鈴木　一郎".into(),
        at: common::now(),
    };
    let first = Uuid::now_v7();
    f.store
        .answer_conference(set.id, &answer, &write(Some(&op(first, "attend"))))
        .await
        .unwrap();
    let held = f.store.team_conference(set.id).await.unwrap();
    assert_eq!(held.standing_answer(), Some(&answer));
    assert_eq!(held.answer_sending, Some(AnswerSending::Waiting));

    // The feed's copy while the answer still waits leaves it standing.
    feed(&f.store, 2, vec![TeamPulled::Conference(set.clone())]).await;
    let held = f.store.team_conference(set.id).await.unwrap();
    assert_eq!(held.standing_answer(), Some(&answer));

    // Refused: it no longer stands, and the reason is kept.
    settle(&f.store, |_| {
        Settlement::Refused("開始時刻を過ぎたため".into())
    })
    .await;
    let held = f.store.team_conference(set.id).await.unwrap();
    assert_eq!(held.standing_answer(), None);
    assert_eq!(
        held.answer_sending,
        Some(AnswerSending::Refused("開始時刻を過ぎたため".into()))
    );

    // Another answer, sent; the feed's next copy carries it and the one
    // given here goes.
    let online = AttendanceGivenHere {
        attendance: Attendance::Online,
        ..answer.clone()
    };
    f.store
        .answer_conference(set.id, &online, &write(Some(&op(Uuid::now_v7(), "online"))))
        .await
        .unwrap();
    assert_eq!(
        f.store
            .team_conference(set.id)
            .await
            .unwrap()
            .answer_sending,
        Some(AnswerSending::Waiting)
    );
    settle(&f.store, |_| Settlement::Applied).await;
    let mut echoed = set.clone();
    echoed.invitees[0].attendance = Attendance::Online;
    echoed.invitees[0].answered_by = "つなぐ内科クリニック 医師 鈴木　一郎".into();
    feed(&f.store, 3, vec![TeamPulled::Conference(echoed.clone())]).await;
    let held = f.store.team_conference(set.id).await.unwrap();
    assert_eq!(held.answer_here, None);
    assert_eq!(held.conference.invitees, echoed.invitees);

    // Called off here: once; a second is refused and queues nothing.
    f.store
        .cancel_conference(set.id, &write(Some(&op(Uuid::now_v7(), "cancel"))))
        .await
        .unwrap();
    let again = f
        .store
        .cancel_conference(set.id, &write(Some(&op(Uuid::now_v7(), "again"))))
        .await;
    assert!(
        matches!(again, Err(StoreError::RequestChanged)),
        "{again:?}"
    );
    let held = f.store.team_conference(set.id).await.unwrap();
    assert!(held.cancel_stands());
    assert_eq!(held.cancel_sending, Some(AnswerSending::Waiting));
    assert_eq!(
        team_payloads(&f.store)
            .await
            .iter()
            .filter(|p| p.contains("again"))
            .count(),
        0
    );
    settle(&f.store, |_| Settlement::Applied).await;
    let cancelled = ConferenceRecord {
        state: ConferenceState::Cancelled,
        ..echoed
    };
    feed(&f.store, 4, vec![TeamPulled::Conference(cancelled.clone())]).await;
    let held = f.store.team_conference(set.id).await.unwrap();
    assert!(held.cancelled_here.is_none());
    assert_eq!(held.conference.state, ConferenceState::Cancelled);
    assert!(matches!(
        f.store
            .answer_conference(Uuid::now_v7(), &answer, &write(None))
            .await,
        Err(StoreError::NotFound)
    ));
    f.store.close().await;
}

#[tokio::test]
async fn withdrawing_consent_holds_back_a_conference_set_here() {
    let f = fixture().await;
    let set = conference(f.team, f.owner, &[f.owner]);
    f.store
        .schedule_conference(&set, &write(Some(&op(set.id, "scheduled"))))
        .await
        .unwrap();
    f.store
        .save_consent(
            f.consent,
            f.patient,
            &consent(vec![ConsentScope::Team], true),
            "t",
            common::now(),
        )
        .await
        .unwrap();
    let held = f.store.team_conference(set.id).await.unwrap();
    assert!(!held.confirmed && held.scheduling.is_none(), "withheld");
    assert!(team_payloads(&f.store).await.is_empty());
    f.store.close().await;
}

/// The 在宅医療情報連携加算's record and the post that shares it are one
/// write: a record the table refuses (here a summary of an unchanged
/// policy, which its CHECK forbids) leaves no post and no queued
/// operation behind; an accepted one names its post.
#[tokio::test]
async fn a_sharing_fee_record_and_its_post_are_kept_together_or_not_at_all() {
    use tsunagu_domain::sharing_fee::{Month, SharingFeeRecord};
    use tsunagu_store::TeamPost;

    let f = fixture().await;
    let record = |policy_changed: bool, summary: &str| SharingFeeRecord {
        month: Month::new(2026, 12).unwrap(),
        next_visit: NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
        policy_changed,
        change_summary: summary.into(),
        care_points: String::new(),
    };
    let before = f.store.pending_operations(100).await.unwrap().len();

    let refused = entry(f.team, Some(f.owner), EntryKind::Note, EntryState::Pending);
    let operation = op(refused.id, "shared");
    let post = TeamPost {
        entry: &refused,
        attachments: &[],
        answered: None,
        write: write(Some(&operation)),
    };
    let error = f
        .store
        .save_sharing_fee(
            f.patient,
            &record(false, "書かれてはならない概要"),
            Some(&post),
            "account:suzuki",
            "医師 鈴木 一郎",
            common::now(),
        )
        .await;
    assert!(error.is_err(), "the table must refuse the record");
    let shown = f.store.team_entries(f.team).await.unwrap();
    assert!(
        shown.iter().all(|e| e.id != refused.id),
        "a post without its record"
    );
    assert_eq!(f.store.pending_operations(100).await.unwrap().len(), before);
    assert!(
        f.store
            .sharing_fee_records(f.patient)
            .await
            .unwrap()
            .is_empty()
    );

    let kept = entry(f.team, Some(f.owner), EntryKind::Note, EntryState::Pending);
    let operation = op(kept.id, "shared");
    let post = TeamPost {
        entry: &kept,
        attachments: &[],
        answered: None,
        write: write(Some(&operation)),
    };
    let stored = f
        .store
        .save_sharing_fee(
            f.patient,
            &record(true, "利尿薬を増量"),
            Some(&post),
            "account:suzuki",
            "医師 鈴木 一郎",
            common::now(),
        )
        .await
        .unwrap();
    assert_eq!(stored.timeline_entry_id, Some(kept.id));
    let shown = f.store.team_entries(f.team).await.unwrap();
    assert!(shown.iter().any(|e| e.id == kept.id));
    assert_eq!(
        f.store.pending_operations(100).await.unwrap().len(),
        before + 1
    );
}
