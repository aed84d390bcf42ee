//! 退院時カンファレンス (issue 17), on a real PostgreSQL: the hospital's
//! liaison (portal) or the physician (the clinic's app) sets one on the
//! timeline; invitees answer 出席・欠席・オンライン until it starts; the
//! day-before reminder is posted once; the minutes are posted after it
//! started, once, and the referral's history says it took place. A time
//! in the past, an invitee off the team, a link that is not http(s), or
//! an organiser who is not the physician or the liaison office: refused.

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
use tsunagu_domain::team::Profession;
use tsunagu_protocol::{TeamOp, WireAuthor};
use tsunagu_server::users::Role;
use uuid::Uuid;

fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(9)).date_naive() + Duration::days(offset)).to_string()
}

fn doctor_author() -> WireAuthor {
    WireAuthor {
        name: "佐藤 一郎".into(),
        profession: "physician".into(),
    }
}

/// The clinic's latest word of each conference.
async fn conferences(clinic: &Clinic, t: &TestServer) -> Vec<Value> {
    let mut latest: Vec<Value> = Vec::new();
    for change in clinic.team_changes(t).await {
        if change["team_change"] != "conference" {
            continue;
        }
        let c = change["conference"].clone();
        latest.retain(|x| x["id"] != c["id"]);
        latest.push(c);
    }
    latest
}

async fn entries(clinic: &Clinic, t: &TestServer) -> Vec<Value> {
    clinic
        .team_changes(t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "entry")
        .map(|c| c["entry"].clone())
        .collect()
}

async fn schedule(who: &Session, t: &TestServer, team: Uuid, fields: &[(&str, &str)]) -> Page {
    who.post(&t.app, &format!("/portal/teams/{team}/conferences"), fields)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_discharge_conference_from_invitation_to_minutes() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        team,
        nurse_station,
        nurse_member,
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
    let (_, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let referral = admitted(&t, &liaison, patient).await;
    let nurse = person(
        &t,
        nurse_station,
        "midori.nurse",
        Role::Staff,
        Profession::Nurse,
    )
    .await;
    let accepted = nurse
        .post(
            &t.app,
            &format!("/portal/teams/{team}/members"),
            &[
                ("member", nurse_member.to_string().as_str()),
                ("action", "accept"),
            ],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let owner: Uuid = sqlx::query_scalar(
        "SELECT id FROM team_members WHERE team_id = $1 AND role = 'primary_physician'",
    )
    .bind(team)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let (owner_id, nurse_id) = (owner.to_string(), nurse_member.to_string());
    // The form as the liaison fills it; `change` replaces or adds a field.
    let form = |change: (&str, &str)| -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = [
            ("date", day(3)),
            ("time", "14:00".into()),
            ("place", "北病院 3階 カンファレンス室".into()),
            ("link", "https://meet.example.jp/abc-defg".into()),
            ("note", "ご家族も同席されます".into()),
            (&*format!("invitee_{owner_id}"), "on".into()),
            (&*format!("invitee_{nurse_id}"), "on".into()),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_string(), v))
        .collect();
        fields.retain(|(n, _)| n != change.0);
        fields.push((change.0.to_string(), change.1.to_string()));
        fields
    };
    let send = async |who: &Session, fields: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        schedule(who, &t, team, &pairs).await
    };

    // Refused: the past, a link that is not http(s), someone off the team,
    // and a member who is not an organiser.
    let yesterday = day(-1);
    for (change, why) in [
        (("date", yesterday.as_str()), "過去の日時"),
        (("link", "javascript:alert(1)"), "https://"),
        (
            ("invitee_00000000-0000-0000-0000-000000000001", "on"),
            "チームに参加しているメンバーだけ",
        ),
    ] {
        let page = send(&liaison, form(change)).await;
        assert_eq!(page.status, 409, "{why}");
        assert!(page.body.contains(why), "{why}: {}", page.body);
        // What was typed comes back.
        assert!(page.body.contains("北病院 3階 カンファレンス室"));
    }
    let by_nurse = send(&nurse, form(("time", "14:00"))).await;
    assert_eq!(by_nurse.status, 409);
    assert!(
        by_nurse.body.contains("設定・記録できるのは"),
        "{}",
        by_nurse.body
    );
    assert!(conferences(&clinic, &t).await.is_empty());

    // The liaison sets it: the timeline says so, the clinic is told.
    let set = send(&liaison, form(("time", "14:00"))).await;
    assert_eq!(set.status, 303, "{}", set.body);
    let told = conferences(&clinic, &t).await;
    assert_eq!(told.len(), 1);
    let conference = told[0].clone();
    let id = conference["id"].as_str().unwrap().to_string();
    assert_eq!(conference["state"], "scheduled");
    assert_eq!(conference["link"], "https://meet.example.jp/abc-defg");
    assert_eq!(conference["invitees"].as_array().unwrap().len(), 2);
    let announced = entries(&clinic, &t).await;
    let line = announced
        .iter()
        .rfind(|e| {
            e["body"]
                .as_str()
                .unwrap()
                .starts_with("【退院時カンファレンス】")
        })
        .expect("on the timeline");
    assert!(
        line["body"]
            .as_str()
            .unwrap()
            .contains("みどり訪問看護ステーション")
    );

    // Answers: the nurse on the portal, the clinic from its app.
    let answered = nurse
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/answer"),
            &[("attendance", "online")],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let conference_id = Uuid::parse_str(&id).unwrap();
    applied(
        &clinic
            .team(
                &t,
                TeamOp::ConferenceAnswered {
                    team_id: team,
                    conference_id,
                    attendance: "attend".into(),
                    by: doctor_author(),
                },
            )
            .await,
    );
    let now = conferences(&clinic, &t).await.remove(0);
    let answers: Vec<(String, String)> = now["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["member_id"].as_str().unwrap().to_string(),
                i["attendance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        answers.contains(&(owner_id.clone(), "attend".into())),
        "{answers:?}"
    );
    assert!(answers.contains(&(nurse_id.clone(), "online".into())));
    // The liaison office was not invited: its answer is refused.
    let uninvited = liaison
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/answer"),
            &[("attendance", "attend")],
        )
        .await;
    assert_eq!(uninvited.status, 409);
    assert!(uninvited.body.contains("招待されていません"));

    // The reminder, the day before, once.
    sqlx::query("UPDATE team_conferences SET starts_at = now() + interval '2 hours'")
        .execute(&t.owner)
        .await
        .unwrap();
    assert_eq!(
        tsunagu_server::housekeeping::remind_conferences(&t.pool)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tsunagu_server::housekeeping::remind_conferences(&t.pool)
            .await
            .unwrap(),
        0
    );
    let reminder = entries(&clinic, &t).await.pop().unwrap();
    assert!(
        reminder["body"]
            .as_str()
            .unwrap()
            .starts_with("【明日の退院時カンファレンス】")
    );
    assert_eq!(reminder["author"], "つなぐ（自動）");

    // Minutes only after it started.
    let early = liaison
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/minutes"),
            &[("body", "方針：自宅退院")],
        )
        .await;
    assert_eq!(early.status, 409);
    assert!(early.body.contains("開始時刻の後"), "{}", early.body);
    sqlx::query("UPDATE team_conferences SET starts_at = now() - interval '1 hour'")
        .execute(&t.owner)
        .await
        .unwrap();
    let late_answer = nurse
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/answer"),
            &[("attendance", "absent")],
        )
        .await;
    assert!(late_answer.body.contains("開始時刻を過ぎた"));
    let recorded = liaison
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/minutes"),
            &[(
                "body",
                "方針：12月20日に自宅退院。訪問診療は週1回、訪問看護は週2回。",
            )],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let held = conferences(&clinic, &t).await.remove(0);
    assert_eq!(held["state"], "held");
    let minutes = entries(&clinic, &t).await;
    let record = minutes
        .iter()
        .find(|e| e["id"] == held["minutes_entry"])
        .expect("the minutes are on the timeline");
    assert!(
        record["body"]
            .as_str()
            .unwrap()
            .starts_with("【退院時カンファレンスの記録】")
    );
    // The referral's history says that it took place.
    let referral_page = liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert!(
        referral_page
            .body
            .contains("退院時カンファレンスを開催しました"),
        "{}",
        referral_page.body
    );
    let twice = liaison
        .post(
            &t.app,
            &format!("/portal/teams/{team}/conferences/{id}/minutes"),
            &[("body", "もう一度")],
        )
        .await;
    assert!(twice.body.contains("既にあります"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_physician_sets_one_from_the_clinics_app() {
    let Region {
        t,
        mut clinic,
        team,
        ..
    } = region().await;
    let owner: Uuid = sqlx::query_scalar(
        "SELECT id FROM team_members WHERE team_id = $1 AND role = 'primary_physician'",
    )
    .bind(team)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let op = |starts_at, link: &str, invitees: Vec<Uuid>| TeamOp::ConferenceScheduled {
        team_id: team,
        conference_id: Uuid::now_v7(),
        starts_at,
        place: String::new(),
        link: link.into(),
        note: String::new(),
        invitees,
        by: doctor_author(),
    };
    let soon = Utc::now() + Duration::days(2);
    refused(
        &clinic
            .team(&t, op(soon, "file:///etc/passwd", vec![owner]))
            .await,
        "https://",
    );
    refused(
        &clinic
            .team(
                &t,
                op(
                    Utc::now() - Duration::hours(1),
                    "https://meet.example.jp/x",
                    vec![owner],
                ),
            )
            .await,
        "過去の日時",
    );
    refused(
        &clinic.team(&t, op(soon, "", vec![owner])).await,
        "場所かWeb会議のリンク",
    );
    applied(
        &clinic
            .team(&t, op(soon, "https://meet.example.jp/x", vec![owner]))
            .await,
    );
    assert_eq!(conferences(&clinic, &t).await.len(), 1);
}
