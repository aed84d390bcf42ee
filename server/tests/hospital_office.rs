//! The hospital's liaison office on the patient's team (issue 17), on a
//! real PostgreSQL: it joins when its hospital admits the patient, as an
//! office (any liaison officer acts for it, so a hand-over between
//! officers loses nothing; who acted is recorded), the ward's other staff
//! do not see the team through it, and it leaves when the patient leaves
//! its care — a transfer hands the place on to the next hospital, a
//! discharge ends it. No team consent, no membership.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;
mod team_region;

use common::*;
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::team::Profession;
use tsunagu_protocol::TeamOp;
use tsunagu_server::users::Role;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread")]
async fn the_office_is_on_the_team_while_the_patient_is_in_its_care() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        team,
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
    let (north, yamamoto) = liaison_of(&t, "北病院", "north.yamamoto").await;
    let referral = admitted(&t, &yamamoto, patient).await;

    // The referral page leads the liaison to the team.
    let referral_page = yamamoto
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert!(
        referral_page
            .body
            .contains(&format!("href=\"/portal/teams/{team}\"")),
        "{}",
        referral_page.body
    );

    // The office joined, as the clinic is told.
    let office = office_of(&clinic, &t, north).await.unwrap();
    assert_eq!(office["role"], "hospital");
    assert_eq!(office["state"], "active");
    assert_eq!(office["person"], "地域連携室");

    // Any liaison officer of the hospital acts for the office: one posts,
    // the next reads it, and the post names who wrote it.
    let page = format!("/portal/teams/{team}");
    let home = yamamoto.get(&t.app, "/portal/hospital").await;
    assert!(
        home.body.contains("href=\"/portal/teams\""),
        "{}",
        home.body
    );
    let posted = portal_post(
        &t,
        &yamamoto,
        team,
        &[("kind", "note"), ("body", "4階東病棟に入院されています。")],
        None,
    )
    .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let sato = Person::of(&t, north, "north.sato", Role::Liaison, Profession::Liaison)
        .await
        .signed_in(&t.app)
        .await;
    let read = sato.get(&t.app, &page).await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert!(read.body.contains("4階東病棟に入院されています。"));
    assert!(read.body.contains("北病院"), "{}", read.body);

    // The ward's nurse does not see the team through the office.
    let nurse = Person::of(&t, north, "north.nurse", Role::Staff, Profession::Nurse)
        .await
        .signed_in(&t.app)
        .await;
    let closed = nurse.get(&t.app, &page).await;
    assert!(closed.body.contains("id=\"closed\""), "{}", closed.body);
    assert!(closed.body.contains("地域連携室"), "{}", closed.body);
    assert!(!closed.body.contains("4階東病棟に入院されています。"));
    let refused = portal_post(&t, &nurse, team, &[("kind", "note"), ("body", "x")], None).await;
    assert_eq!(refused.status, 409, "{}", refused.body);

    // A transfer hands the place to the next hospital's office.
    let (south, south_liaison) = liaison_of(&t, "南リハビリ病院", "south.liaison").await;
    let today = today();
    let south_id = south.to_string();
    let transferred = yamamoto
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
    assert_eq!(
        office_of(&clinic, &t, north).await.unwrap()["state"],
        "left"
    );
    assert_eq!(
        office_of(&clinic, &t, south).await.unwrap()["state"],
        "active"
    );
    let gone = sato.get(&t.app, &page).await;
    assert!(gone.body.contains("id=\"closed\""), "{}", gone.body);
    assert_eq!(south_liaison.get(&t.app, &page).await.status, 200);

    // A discharge home ends the second hospital's place too.
    let discharged = south_liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events"),
            &[
                ("kind", "discharged"),
                ("date", today.as_str()),
                ("destination", "this_clinic"),
            ],
        )
        .await;
    assert_eq!(discharged.status, 303, "{}", discharged.body);
    assert_eq!(
        office_of(&clinic, &t, south).await.unwrap()["state"],
        "left"
    );
    // The discharge was recorded in error: voided, the office is back.
    let discharge: Uuid = sqlx::query_scalar(
        "SELECT id FROM referral_events WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(referral)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let voided = south_liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events/{discharge}/void"),
            &[("reason", "別の患者さんの退院を記録しました")],
        )
        .await;
    assert_eq!(voided.status, 303, "{}", voided.body);
    assert_eq!(
        office_of(&clinic, &t, south).await.unwrap()["state"],
        "active"
    );
    assert_eq!(south_liaison.get(&t.app, &page).await.status, 200);
    let office_changes: Vec<String> = sqlx::query_scalar(
        "SELECT h.change FROM team_history h JOIN team_members m ON m.id = h.member_id
         WHERE h.team_id = $1 AND m.role = 'hospital' ORDER BY h.seq",
    )
    .bind(team)
    .fetch_all(&t.owner)
    .await
    .unwrap();
    assert_eq!(
        office_changes,
        ["joined", "left", "joined", "left", "joined"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_consent_to_team_sharing_the_office_does_not_join() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        ..
    } = region().await;
    // Pre-registered, but the team may no longer share.
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![], false, false),
            )
            .await,
    );
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let referral = admitted(&t, &liaison, patient).await;
    assert!(office_of(&clinic, &t, north).await.is_none());
    let page = liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert!(!page.body.contains("id=\"open-team\""), "{}", page.body);
}

/// A team the physician starts while the patient is in hospital has the
/// hospital's office on it from the start.
#[tokio::test(flavor = "multi_thread")]
async fn a_team_started_during_a_stay_has_the_office_on_it() {
    let t = server().await;
    let mut clinic = clinic_with_phone(&t).await;
    let patient = clinic
        .patient_with_consent(
            &t,
            ("山田 太郎", "やまだ たろう", "male"),
            |patient| preregistration_op(Uuid::now_v7(), patient, vec![], true, false),
        )
        .await;
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    admitted(&t, &liaison, patient).await;
    assert!(office_of(&clinic, &t, north).await.is_none(), "no team yet");
    applied(
        &clinic
            .team(
                &t,
                TeamOp::Started {
                    team_id: Uuid::now_v7(),
                    patient_id: patient,
                    owner_member_id: Uuid::now_v7(),
                },
            )
            .await,
    );
    let office = office_of(&clinic, &t, north).await.unwrap();
    assert_eq!(office["state"], "active");
    assert_eq!(office["role"], "hospital");
}
