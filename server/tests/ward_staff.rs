//! Ward staff on the timeline (issue 17), on a real PostgreSQL: the
//! hospital's liaison invites named people of her hospital while the
//! patient is in; they read and post like any member; their access gets
//! its end from the discharge (the days the liaison chose) and then ends
//! — checked with the clock moved past it — and the liaison can end it
//! earlier. Only the office's liaison invites, only her own hospital's
//! clinical staff, for 1 to 90 days.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;
mod team_region;

use chrono::{DateTime, Duration, Utc};
use common::*;
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::team::Profession;
use tsunagu_protocol::{OpBody, WireEvent, WireEventDetails};
use tsunagu_server::users::Role;
use uuid::Uuid;

async fn user_id(t: &TestServer, login: &str) -> String {
    let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    id.to_string()
}

async fn access_until(t: &TestServer, login: &str) -> Option<DateTime<Utc>> {
    sqlx::query_scalar(
        "SELECT m.access_until FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE u.login = $1 ORDER BY m.id DESC LIMIT 1",
    )
    .bind(login)
    .fetch_one(&t.owner)
    .await
    .unwrap()
}

async fn invite(liaison: &Session, t: &TestServer, team: Uuid, user: &str, days: &str) -> Page {
    liaison
        .post(
            &t.app,
            &format!("/portal/teams/{team}/ward-staff"),
            &[("user", user), ("days", days)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn ward_staff_read_and_post_until_their_days_after_the_stay_run_out() {
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
    let nurse = person(&t, north, "north.nurse", Role::Staff, Profession::Nurse).await;
    let doctor = person(
        &t,
        north,
        "north.doctor",
        Role::Staff,
        Profession::Physician,
    )
    .await;
    let clerk_id = {
        person(&t, north, "north.clerk", Role::Staff, Profession::Clerk).await;
        user_id(&t, "north.clerk").await
    };
    let page = format!("/portal/teams/{team}");

    // The liaison is offered her hospital's clinical staff, by title.
    let offered = yamamoto.get(&t.app, &page).await;
    assert!(
        offered.body.contains("id=\"ward-invite\""),
        "{}",
        offered.body
    );
    assert!(offered.body.contains("病棟看護師 田中 ゆき"));
    assert!(offered.body.contains("病院主治医 田中 ゆき"));
    assert!(!offered.body.contains(&clerk_id), "no 事務 offered");

    // Before she invites her, the nurse does not see the team.
    assert!(
        !nurse
            .get(&t.app, "/portal/teams")
            .await
            .body
            .contains(&page)
    );

    let nurse_id = user_id(&t, "north.nurse").await;
    let invited = invite(&yamamoto, &t, team, &nurse_id, "７").await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let member = clinic
        .team_changes(&t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "member")
        .map(|c| c["member"].clone())
        .rfind(|m| m["person"] == "病棟看護師 田中 ゆき")
        .expect("the clinic is told of the ward nurse");
    assert_eq!(member["state"], "active");
    assert_eq!(member["role"], "hospital");
    assert!(
        member["access_until"].is_null(),
        "open while the patient is in"
    );

    // She reads and posts like any member; her list shows the team.
    let listed = nurse.get(&t.app, "/portal/teams").await;
    assert!(listed.body.contains(&page), "{}", listed.body);
    assert!(listed.body.contains("病棟の職員として招待"));
    let read = nurse.get(&t.app, &page).await;
    assert_eq!(read.status, 200);
    assert!(!read.body.contains("id=\"closed\""), "{}", read.body);
    assert!(
        read.body
            .contains("退院・転院の7日後まで閲覧・投稿できます")
    );
    let posted = portal_post(
        &t,
        &nurse,
        team,
        &[("kind", "note"), ("body", "食事は全粥に上がりました。")],
        None,
    )
    .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let entry = clinic
        .team_changes(&t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "entry")
        .map(|c| c["entry"].clone())
        .rfind(|e| e["body"] == "食事は全粥に上がりました。")
        .expect("the post reaches the clinic");
    assert!(
        entry["author"].as_str().unwrap().contains("北病院"),
        "{entry}"
    );
    // A ward member does not invite organisations.
    assert!(!read.body.contains("id=\"invite\""), "{}", read.body);
    assert!(!read.body.contains("id=\"ward-invite\""));

    // Wrong invitations change nothing.
    let twice = invite(&yamamoto, &t, team, &nurse_id, "14").await;
    assert_eq!(twice.status, 409);
    assert!(twice.body.contains("既に参加しています"), "{}", twice.body);
    let clerk = invite(&yamamoto, &t, team, &clerk_id, "14").await;
    assert_eq!(clerk.status, 409);
    assert!(
        clerk
            .body
            .contains("事務の方は病棟の職員として招待できません")
    );
    let doctor_id = user_id(&t, "north.doctor").await;
    for days in ["0", "91", "二週間"] {
        let wrong = invite(&yamamoto, &t, team, &doctor_id, days).await;
        assert_eq!(wrong.status, 409, "{days}");
        assert!(wrong.body.contains("1日から90日まで"), "{}", wrong.body);
    }
    let by_nurse = invite(&nurse, &t, team, &doctor_id, "14").await;
    assert_eq!(by_nurse.status, 409);
    assert!(by_nurse.body.contains("地域連携室の方だけです"));
    let (_, south) = liaison_of(&t, "南病院", "south.liaison").await;
    let not_on_team = invite(&south, &t, team, &doctor_id, "14").await;
    assert_eq!(not_on_team.status, 404, "no place on the team, no page");
    let south_id = user_id(&t, "south.liaison").await;
    let elsewhere = invite(&yamamoto, &t, team, &south_id, "14").await;
    assert!(
        elsewhere.body.contains("自分の病院の職員だけ"),
        "{}",
        elsewhere.body
    );
    let members: i64 =
        sqlx::query_scalar("SELECT count(*) FROM team_members WHERE user_id IS NOT NULL")
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(members, 1);

    // The liaison invites the ward's doctor too, then ends his access
    // early; he sees why.
    assert_eq!(
        invite(&yamamoto, &t, team, &doctor_id, "14").await.status,
        303
    );
    assert_eq!(doctor.get(&t.app, &page).await.status, 200);
    let doctor_member: Uuid = sqlx::query_scalar(
        "SELECT m.id FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE u.login = 'north.doctor'",
    )
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let shown = yamamoto.get(&t.app, &page).await;
    assert!(shown.body.contains("閲覧・投稿を今すぐ終了する"));
    let ended = yamamoto
        .post(
            &t.app,
            &format!("/portal/teams/{team}/members"),
            &[
                ("member", doctor_member.to_string().as_str()),
                ("action", "remove"),
            ],
        )
        .await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let out = doctor.get(&t.app, &page).await;
    assert!(out.body.contains("id=\"closed\""), "{}", out.body);
    assert!(!out.body.contains("食事は全粥に上がりました。"));
    assert!(
        !doctor
            .get(&t.app, "/portal/teams")
            .await
            .body
            .contains(&page)
    );

    // The discharge gives the nurse's access its end: 7 days on.
    let today = today();
    let discharged = yamamoto
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
    let until = access_until(&t, "north.nurse").await.expect("an end");
    let days = until - Utc::now();
    assert!(
        days > Duration::days(7) - Duration::minutes(5) && days <= Duration::days(7),
        "{days}"
    );
    let still = nurse.get(&t.app, &page).await;
    assert!(!still.body.contains("id=\"closed\""), "{}", still.body);
    assert!(still.body.contains("まで閲覧・投稿できます"));
    let told = clinic
        .team_changes(&t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "member")
        .map(|c| c["member"].clone())
        .rfind(|m| m["person"] == "病棟看護師 田中 ゆき")
        .unwrap();
    assert!(told["access_until"].is_string(), "{told}");

    // The clock moved past it: the team is closed to her, and gone from
    // her list.
    sqlx::query(
        "UPDATE team_members SET access_until = now() - interval '1 minute'
         WHERE user_id = (SELECT id FROM users WHERE login = 'north.nurse')",
    )
    .execute(&t.owner)
    .await
    .unwrap();
    let closed = nurse.get(&t.app, &page).await;
    assert!(closed.body.contains("id=\"closed\""), "{}", closed.body);
    assert!(closed.body.contains("見られる期間が終わっています"));
    assert!(!closed.body.contains("食事は全粥に上がりました。"));
    let late = portal_post(&t, &nurse, team, &[("kind", "note"), ("body", "x")], None).await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert!(
        !nurse
            .get(&t.app, "/portal/teams")
            .await
            .body
            .contains(&page)
    );
    // The physician's page shows that her time is over.
    let liaison_view = yamamoto.get(&t.app, &page).await;
    assert!(
        liaison_view.body.contains("閲覧・投稿の期間が終わりました")
            || liaison_view.body.contains("id=\"closed\""),
        "{}",
        liaison_view.body
    );
}

/// The patient back in before the days ran out: the access is open again
/// until the new stay ends.
#[tokio::test(flavor = "multi_thread")]
async fn a_readmission_before_the_end_keeps_the_ward_staff() {
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
    person(&t, north, "north.nurse", Role::Staff, Profession::Nurse).await;
    let nurse_id = user_id(&t, "north.nurse").await;
    assert_eq!(
        invite(&yamamoto, &t, team, &nurse_id, "14").await.status,
        303
    );
    let today = today();
    let discharged = yamamoto
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
    assert!(access_until(&t, "north.nurse").await.is_some());
    // The family doctor refers the patient back to the same hospital.
    applied(
        &clinic
            .push(
                &t,
                OpBody::ReferralOpened {
                    referral_id: Uuid::now_v7(),
                    patient_id: patient,
                    tracking_code: tsunagu_domain::TrackingCode::from_random_bits(7).to_string(),
                    destination: Some(north),
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
    assert_eq!(access_until(&t, "north.nurse").await, None);
}
