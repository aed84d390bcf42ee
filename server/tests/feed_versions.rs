//! The feed keeps, beside each change, the first protocol version that can
//! read it, and a pull sends the body as PostgreSQL gives it back. Here:
//! migration 0019 gives the changes fed before it their version by the
//! protocol's own rule (`ChangeBody::since_version`), and the stored text
//! of every kind of change reads back as the change the server wrote.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use tsunagu_protocol::{
    ChangeBody, OrgKind, Organisation, TeamChangeBody, WireDirectoryEntry, WireEntry, WireEvent,
    WireEventDetails, WireFamilyGiver, WireSource, WireVitals,
};
use tsunagu_server::db::{connect, migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_fed_before_0019_are_given_the_version_that_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(dir.path(), Durability::Throwaway).unwrap();
    let admin = connect(&cluster.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE tsunagu")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let owner = connect(&cluster.url("tsunagu")).await.unwrap();

    // A server from before 0019 fed these.
    MIGRATIONS.run_to(18, &owner).await.unwrap();
    let bodies = every_kind_of_change();
    for (seq, body) in (1i64..).zip(&bodies) {
        sqlx::query("INSERT INTO change_log (scope, seq, body) VALUES ('desk', $1, $2)")
            .bind(seq)
            .bind(serde_json::to_value(body).unwrap())
            .execute(&owner)
            .await
            .unwrap();
    }
    // A consent as a version-4 server wrote it: no team scope, no family
    // giver (both default when read).
    let consent = ChangeBody::ConsentRecorded {
        consent_id: Uuid::now_v7(),
        patient_id: Uuid::now_v7(),
        obtained_on: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        obtained_by: "佐藤".into(),
        desk: true,
        destination_hospital: false,
        withdrawn_on: None,
        team: false,
        family: None,
        preregistration: false,
        preregistered_with: Vec::new(),
    };
    let mut old = serde_json::to_value(&consent).unwrap();
    let fields = old.as_object_mut().unwrap();
    fields.remove("team");
    fields.remove("family");
    fields.remove("preregistration");
    fields.remove("preregistered_with");
    sqlx::query("INSERT INTO change_log (scope, seq, body) VALUES ('desk', $1, $2)")
        .bind(bodies.len() as i64 + 1)
        .bind(old)
        .execute(&owner)
        .await
        .unwrap();

    migrate(&cluster.url("tsunagu")).await.unwrap();
    let rows: Vec<(String, i32)> = sqlx::query_as(
        "SELECT body::text, since_version FROM change_log WHERE scope = 'desk' ORDER BY seq",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    let expected: Vec<&ChangeBody> = bodies.iter().chain([&consent]).collect();
    assert_eq!(rows.len(), expected.len());
    for ((text, since), body) in rows.iter().zip(expected) {
        // The text a pull now sends as it is.
        let read: ChangeBody = serde_json::from_str(text).unwrap();
        assert_eq!(&read, body);
        assert_eq!(*since, i32::from(body.since_version()), "{text}");
    }
    let versions: BTreeSet<i32> = rows.iter().map(|r| r.1).collect();
    assert_eq!(versions, BTreeSet::from([1, 3, 5]));
    owner.close().await;
}

/// One change of each kind the feed carried when 0019 was written, and an
/// event of each shape (details, a void, a note alone).
fn every_kind_of_change() -> Vec<ChangeBody> {
    let at = Utc.with_ymd_and_hms(2026, 5, 14, 9, 30, 0).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 5, 14).unwrap();
    let hospital = Organisation {
        id: Uuid::now_v7(),
        name: "豊島中央病院".into(),
        kind: OrgKind::Hospital,
    };
    let event = |details: Option<WireEventDetails>, voids: Option<Uuid>, note: &str, source| {
        ChangeBody::EventAppended {
            referral_id: Uuid::now_v7(),
            event: WireEvent {
                id: Uuid::now_v7(),
                details,
                voids,
                note: note.into(),
            },
            source,
            actor: "豊島中央病院 地域連携室 山本".into(),
            recorded_at: at,
        }
    };
    let team_id = Uuid::now_v7();
    vec![
        ChangeBody::PatientShared {
            patient_id: Uuid::now_v7(),
            name: "山田　花子".into(),
            kana: "ヤマダ　ハナコ".into(),
            birth_date: NaiveDate::from_ymd_opt(1941, 3, 9).unwrap(),
            sex: "female".into(),
        },
        ChangeBody::ReferralOpened {
            referral_id: Uuid::now_v7(),
            patient_id: Uuid::now_v7(),
            tracking_code: "AB12-CD34".into(),
            recorded_at: at,
            without_letter: false,
        },
        event(
            Some(WireEventDetails::Received { date: day }),
            None,
            "「至急」\n\\ \"確認\"\t",
            WireSource::Liaison,
        ),
        event(None, Some(Uuid::now_v7()), "", WireSource::Liaison),
        event(None, None, "ご家族に連絡しました", WireSource::Liaison),
        // A death a visiting nurse recorded (version 5).
        event(
            Some(WireEventDetails::Deceased {
                date: day,
                place: "自宅".into(),
            }),
            None,
            "",
            WireSource::Team,
        ),
        ChangeBody::ReferralAssigned {
            referral_id: Uuid::now_v7(),
            organisation: hospital.clone(),
        },
        ChangeBody::OrganisationListed {
            organisation: hospital,
        },
        ChangeBody::ConsentRecorded {
            consent_id: Uuid::now_v7(),
            patient_id: Uuid::now_v7(),
            obtained_on: day,
            obtained_by: "佐藤".into(),
            desk: true,
            destination_hospital: true,
            withdrawn_on: None,
            team: true,
            family: Some(WireFamilyGiver {
                name: "山田　一郎".into(),
                relation: "長男".into(),
            }),
            preregistration: true,
            preregistered_with: vec![Uuid::now_v7()],
        },
        ChangeBody::DirectoryListed {
            entry: WireDirectoryEntry {
                id: Uuid::now_v7(),
                name: "みどり訪問看護ステーション".into(),
                kind: "visiting_nurse_station".into(),
                phone: "03-3981-1234".into(),
                fax: String::new(),
                stopped: false,
            },
        },
        ChangeBody::Team(TeamChangeBody::Started {
            team_id,
            patient_id: Uuid::now_v7(),
            started_at: at,
        }),
        ChangeBody::Team(TeamChangeBody::Entry {
            team_id,
            entry: WireEntry {
                id: Uuid::now_v7(),
                seq: 1,
                kind: "visit_report".into(),
                body: "訪問しました。".into(),
                author_member: Some(Uuid::now_v7()),
                author: "みどり訪問看護ステーション 看護師 田中".into(),
                reply_to: None,
                strikes: None,
                vitals: Some(WireVitals {
                    body_temperature: Some(36.5),
                    systolic: Some(128),
                    diastolic: Some(74),
                    pulse: Some(72),
                    spo2: Some(97),
                    respiratory_rate: None,
                    weight: Some(48.25),
                }),
                attachments: Vec::new(),
                request_state: None,
                posted_at: at,
            },
        }),
    ]
}
