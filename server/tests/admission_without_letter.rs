//! 紹介状なし入院 on a real PostgreSQL (issue 17): a liaison who has just
//! found a pre-registered patient records the admission. It opens an
//! episode held by the hospital, the family doctor's clinic hears of it
//! (a version-7 device; older ones are not sent what they cannot replay)
//! and the patient's team sees it on the timeline. Later statuses follow
//! the usual rules. Refused, with nothing written: a patient not just
//! found, another hospital, bad input, an episode already open here, and
//! a clinic pushing such an event itself.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;
mod team_region;

use chrono::{Duration, Utc};
use common::*;
use portal_visitor::*;
use serde_json::Value;
use team_region::*;
use tsunagu_protocol::{OpBody, WireEvent, WireEventDetails};
use uuid::Uuid;

/// Today in Japan, as the portal's forms take it.
fn today() -> String {
    (Utc::now() + Duration::hours(9)).date_naive().to_string()
}

async fn count(t: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

async fn find_yamada(t: &TestServer, liaison: &Session) -> Page {
    liaison
        .post(
            &t.app,
            "/portal/preregistered",
            &[("name", "やまだたろう"), ("birth_date", "1940-04-01")],
        )
        .await
}

async fn admit(t: &TestServer, liaison: &Session, patient: Uuid, fields: &[(&str, &str)]) -> Page {
    liaison
        .post(
            &t.app,
            &format!("/portal/preregistered/{patient}/admission"),
            fields,
        )
        .await
}

/// The clinic's feed as a device of `version` pulls it.
async fn pulled(t: &TestServer, clinic: &Clinic, version: u16) -> Vec<Value> {
    let (status, body) = t
        .post_json(
            "/v1/pull",
            Some(&clinic.credential),
            serde_json::json!({"version": version, "cursor": 0, "limit": 1000}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_liaison_admits_a_found_patient_and_the_doctor_and_the_team_hear_it() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        ..
    } = region().await;
    // The team's consent now pre-registers the patient with every hospital.
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![], true, false),
            )
            .await,
    );
    let (hospital, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let referrals = || count(&t, "SELECT count(*) FROM referrals");
    let today = today();
    let good = [
        ("date", today.as_str()),
        ("ward", "4階東病棟"),
        ("attending", "高橋"),
        ("note", "救急搬送されました。"),
    ];

    // Not found by this liaison yet: refused, as an id typed by hand is.
    let unfound = admit(&t, &liaison, patient, &good).await;
    assert_eq!(unfound.status, 422, "{}", unfound.body);
    assert!(
        unfound.body.contains("事前登録の検索から"),
        "{}",
        unfound.body
    );
    assert_eq!(referrals().await, 0);

    let found = find_yamada(&t, &liaison).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("紹介状なし入院を記録する"));
    assert!(
        found
            .body
            .contains(&format!("/portal/preregistered/{patient}/admission"))
    );

    // Bad input: the patient and the form are shown again, nothing written.
    for (field, value, says) in [
        ("date", "2099-01-01", "未来"),
        ("date", "昨日", "入院日が正しくありません"),
        ("ward", "　", "病棟を入力"),
    ] {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|&(k, v)| if k == field { (k, value) } else { (k, v) })
            .collect();
        let refused = admit(&t, &liaison, patient, &fields).await;
        assert_eq!(refused.status, 422, "{field}: {}", refused.body);
        assert!(refused.body.contains(says), "{field}: {}", refused.body);
        assert!(refused.body.contains("id=\"pr-found\""), "{}", refused.body);
    }
    let long_note = "あ".repeat(2001);
    let fields = [
        ("date", today.as_str()),
        ("ward", "4階東"),
        ("note", &long_note),
    ];
    let refused = admit(&t, &liaison, patient, &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("2000文字まで"), "{}", refused.body);
    assert_eq!(referrals().await, 0);

    // Recorded: the referral page, held by the hospital, naming the
    // family doctor.
    let admitted = admit(&t, &liaison, patient, &good).await;
    assert_eq!(admitted.status, 303, "{}", admitted.body);
    let location = admitted.location.unwrap();
    let referral = location
        .strip_prefix("/portal/referrals/")
        .and_then(|rest| rest.split('?').next())
        .map(|id| Uuid::parse_str(id).unwrap())
        .unwrap();
    let page = liaison.get(&t.app, &location).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("紹介状なし入院を記録しました"),
        "{}",
        page.body
    );
    assert!(page.body.contains("紹介状なし入院"));
    assert!(page.body.contains("さくら内科クリニック"), "{}", page.body);
    let holder: Option<Uuid> =
        sqlx::query_scalar("SELECT hospital_id FROM referrals WHERE id = $1")
            .bind(referral)
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(holder, Some(hospital));
    let home = liaison.get(&t.app, "/portal/hospital").await;
    assert!(home.body.contains(&referral.to_string()), "{}", home.body);

    // The clinic's version-7 device hears of the episode, whose hospital
    // and first event say it came without a letter.
    let changes = pulled(&t, &clinic, 7).await;
    let of_it: Vec<&Value> = changes
        .iter()
        .filter(|c| c["referral_id"] == referral.to_string())
        .collect();
    let kinds: Vec<&str> = of_it
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["referral_opened", "referral_assigned", "event_appended"]
    );
    assert_eq!(of_it[0]["without_letter"], true);
    assert_eq!(of_it[0]["patient_id"], patient.to_string());
    assert_eq!(of_it[1]["organisation"]["name"], "北病院");
    let event = &of_it[2];
    assert_eq!(
        event["event"]["details"]["status"],
        "admitted_without_letter"
    );
    assert_eq!(event["event"]["details"]["hospital"], "北病院");
    assert_eq!(event["event"]["details"]["ward"], "4階東病棟");
    assert_eq!(event["event"]["note"], "救急搬送されました。");
    assert_eq!(event["source"], "liaison");
    // A version-6 device, which could not replay it, is sent neither.
    let older = pulled(&t, &clinic, 6).await;
    assert!(
        !older
            .iter()
            .any(|c| c["referral_id"] == referral.to_string()
                && c["change"] != "referral_assigned"),
        "{older:?}"
    );
    // The team's timeline says so, without the patient's name.
    let lines: Vec<String> = clinic
        .team_changes(&t)
        .await
        .iter()
        .filter(|c| c["entry"]["kind"] == "referral_event")
        .map(|c| c["entry"]["body"].as_str().unwrap().to_string())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("北病院に入院しました（紹介状なし・4階東病棟）")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("山田")));
    let audited = count(
        &t,
        &format!(
            "SELECT count(*) FROM audit_log WHERE action = 'admitted' AND entity_id = '{referral}'"
        ),
    )
    .await;
    assert_eq!(audited, 1);

    // The same patient again while the episode is open: refused.
    find_yamada(&t, &liaison).await;
    let twice = admit(&t, &liaison, patient, &good).await;
    assert_eq!(twice.status, 422);
    assert!(
        twice.body.contains("紹介患者の一覧にあります"),
        "{}",
        twice.body
    );
    assert_eq!(referrals().await, 1);

    // Later statuses follow the usual rules: discharge planning, then
    // discharge home to the family doctor.
    let planned = liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events"),
            &[
                ("kind", "discharge_planned"),
                ("date", today.as_str()),
                ("expected_date", today.as_str()),
                ("destination", "this_clinic"),
            ],
        )
        .await;
    assert_eq!(planned.status, 303, "{}", planned.body);
    let received = liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events"),
            &[("kind", "received"), ("date", today.as_str())],
        )
        .await;
    assert_eq!(received.status, 422, "{}", received.body);
    assert!(
        received.body.contains("記録できません"),
        "{}",
        received.body
    );

    // A transfer to a registered hospital hands the episode over, and the
    // family doctor goes with it; the first hospital lets go.
    let (south, south_liaison) = liaison_of(&t, "南リハビリ病院", "south.liaison").await;
    let south_id = south.to_string();
    let transferred = liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events"),
            &[
                ("kind", "transferred"),
                ("date", today.as_str()),
                ("hospital_id", south_id.as_str()),
            ],
        )
        .await;
    assert_eq!(transferred.status, 303, "{}", transferred.body);
    let there = south_liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert_eq!(there.status, 200, "{}", there.body);
    assert!(there.body.contains("さくら内科クリニック"));
    assert!(there.body.contains("紹介状なし入院"));
    let left = liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert_ne!(left.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_hospital_and_the_clinic_cannot_open_such_an_episode() {
    let t = server().await;
    let mut clinic = clinic_with_phone(&t).await;
    let (north, north_liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let (_, south_liaison) = liaison_of(&t, "南病院", "south.liaison").await;
    let consent = Uuid::now_v7();
    let patient = clinic
        .patient_with_consent(
            &t,
            ("山田 太郎", "やまだ たろう", "male"),
            |patient| preregistration_op(consent, patient, vec![north], false, false),
        )
        .await;
    let today = today();
    let fields = [("date", today.as_str()), ("ward", "4階東病棟")];

    // The south hospital is not one the patient is pre-registered with:
    // it cannot find the patient, nor admit by the id.
    let not_here = find_yamada(&t, &south_liaison).await;
    assert_eq!(not_here.status, 422);
    let by_id = admit(&t, &south_liaison, patient, &fields).await;
    assert_eq!(by_id.status, 422, "{}", by_id.body);
    // Found by the north liaison, the consent then withdrawn: refused.
    assert_eq!(find_yamada(&t, &north_liaison).await.status, 200);
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![north], false, true),
            )
            .await,
    );
    let withdrawn = admit(&t, &north_liaison, patient, &fields).await;
    assert_eq!(withdrawn.status, 422, "{}", withdrawn.body);
    assert_eq!(count(&t, "SELECT count(*) FROM referrals").await, 0);

    // A clinic's device cannot push such an event on a referral of its own.
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![north], false, false),
            )
            .await,
    );
    let referral = Uuid::now_v7();
    applied(
        &clinic
            .push(
                &t,
                OpBody::ReferralOpened {
                    referral_id: referral,
                    patient_id: patient,
                    tracking_code: tsunagu_domain::TrackingCode::from_random_bits(42).to_string(),
                    destination: None,
                    sent: WireEvent {
                        id: Uuid::now_v7(),
                        details: Some(WireEventDetails::Sent {
                            date: d(3, 1),
                            hospital: "北病院".into(),
                        }),
                        voids: None,
                        note: String::new(),
                    },
                    letter: None,
                },
            )
            .await,
    );
    let forged = clinic
        .push(
            &t,
            OpBody::EventAppended {
                referral_id: referral,
                event: WireEvent {
                    id: Uuid::now_v7(),
                    details: Some(WireEventDetails::AdmittedWithoutLetter {
                        date: d(3, 2),
                        hospital: "北病院".into(),
                        ward: String::new(),
                        attending: String::new(),
                    }),
                    voids: None,
                    note: String::new(),
                },
            },
        )
        .await;
    refused(&forged, "地域連携室");
}

/// Recorded for the wrong patient, the admission is cancelled by the
/// liaison with a reason; the episode ends and the office leaves the team.
#[tokio::test(flavor = "multi_thread")]
async fn an_admission_recorded_in_error_is_cancelled_with_a_reason() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        ..
    } = region().await;
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![], true, false),
            )
            .await,
    );
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    assert_eq!(find_yamada(&t, &liaison).await.status, 200);
    let today = today();
    let admitted = admit(
        &t,
        &liaison,
        patient,
        &[("date", today.as_str()), ("ward", "4階東病棟")],
    )
    .await;
    let location = admitted.location.unwrap();
    let page = liaison.get(&t.app, &location).await;
    assert!(page.body.contains("id=\"kind-cancelled\""), "{}", page.body);
    let events = format!("{}/events", location.split('?').next().unwrap());

    let no_reason = liaison
        .post(
            &t.app,
            &events,
            &[("kind", "cancelled"), ("date", today.as_str())],
        )
        .await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert!(
        no_reason.body.contains("取り消す理由を入力"),
        "{}",
        no_reason.body
    );
    let cancelled = liaison
        .post(
            &t.app,
            &events,
            &[
                ("kind", "cancelled"),
                ("date", today.as_str()),
                ("reason", "別の患者さんを記録しました"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    let page = liaison.get(&t.app, &location).await;
    assert!(
        page.body.contains("id=\"current-status\">取消"),
        "{}",
        page.body
    );
    let office: Option<String> = sqlx::query_scalar(
        "SELECT state FROM team_members WHERE organisation_id = $1 ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(north)
    .fetch_optional(&t.owner)
    .await
    .unwrap();
    assert_eq!(office.as_deref(), Some("left"));
}
