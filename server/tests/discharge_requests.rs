//! 退院後の在宅医療の相談 (issue 17), on a real PostgreSQL: the liaison of
//! the hospital that has the patient in asks the family doctor first; the
//! clinic's app answers once (引き受ける / 引き受けられない with a reason /
//! 相談したい, which opens a 相談 on the team's timeline); an answer to a
//! request already answered, cancelled or past its day changes nothing;
//! unanswered requests expire, and the hospital, the desk and the figures
//! show them.

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
use tsunagu_protocol::{OpBody, WireAnswer, WireAuthor};
use uuid::Uuid;

fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(9)).date_naive() + Duration::days(offset)).to_string()
}

/// The clinic's latest word of each request.
async fn requests(clinic: &Clinic, t: &TestServer) -> Vec<Value> {
    let mut latest: Vec<Value> = Vec::new();
    for change in clinic.changes(t).await {
        if change["change"] != "discharge_request" {
            continue;
        }
        let request = change["request"].clone();
        latest.retain(|r| r["id"] != request["id"]);
        latest.push(request);
    }
    latest
}

async fn ask(liaison: &Session, t: &TestServer, referral: Uuid, fields: &[(&str, &str)]) -> Page {
    liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/discharge-requests"),
            fields,
        )
        .await
}

fn answer(request: &Value, answer: &str, text: &str) -> OpBody {
    OpBody::DischargeRequestAnswered(WireAnswer {
        request_id: Uuid::parse_str(request["id"].as_str().unwrap()).unwrap(),
        answer: answer.into(),
        text: text.into(),
        by: WireAuthor {
            name: "佐藤 一郎".into(),
            profession: "physician".into(),
        },
    })
}

/// A region whose pre-registered patient 北病院 has admitted; the referral.
async fn admitted_patient() -> (Region, Uuid, Uuid, Session) {
    let mut region = region().await;
    applied(
        &region
            .clinic
            .push(
                &region.t,
                preregistration_op(region.consent, region.patient, vec![], true, false),
            )
            .await,
    );
    let (north, liaison) = liaison_of(&region.t, "北病院", "north.liaison").await;
    let referral = admitted(&region.t, &liaison, region.patient).await;
    (region, north, referral, liaison)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_family_doctor_is_asked_first_and_answers_once() {
    let (Region { t, mut clinic, .. }, _, referral, liaison) = admitted_patient().await;
    let page = format!("/portal/referrals/{referral}");
    let shown = liaison.get(&t.app, &page).await;
    assert!(
        shown
            .body
            .contains("かかりつけ医に退院後の在宅医療を相談する"),
        "{}",
        shown.body
    );

    let (expected, reply_by) = (day(10), day(2));
    let sent = ask(
        &liaison,
        &t,
        referral,
        &[
            ("expected_date", expected.as_str()),
            ("reply_by", reply_by.as_str()),
            ("need_home_oxygen", "on"),
            ("need_end_of_life", "on"),
            ("note", "奥様と二人暮らしです。"),
        ],
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);

    // The clinic's app is told, whole.
    let told = requests(&clinic, &t).await;
    assert_eq!(told.len(), 1);
    let request = &told[0];
    assert_eq!(request["state"], "open");
    assert_eq!(request["hospital"], "北病院");
    assert_eq!(request["reply_by"], reply_by);
    assert_eq!(request["expected_date"], expected);
    assert_eq!(
        request["needs"],
        serde_json::json!(["home_oxygen", "end_of_life"])
    );
    assert_eq!(request["note"], "奥様と二人暮らしです。");

    // One waits for its answer at a time.
    let again = ask(
        &liaison,
        &t,
        referral,
        &[
            ("expected_date", expected.as_str()),
            ("reply_by", reply_by.as_str()),
        ],
    )
    .await;
    assert_eq!(again.status, 422);
    assert!(
        again.body.contains("回答待ちの相談があります"),
        "{}",
        again.body
    );

    // While it waits, the page follows the referral live; not after.
    let waiting = liaison.get(&t.app, &page).await;
    assert!(
        waiting
            .body
            .contains(&format!("data-live=\"/portal/live?referral={referral}\"")),
        "{}",
        waiting.body
    );
    assert!(waiting.body.contains("live.js"));

    // The doctor accepts with one answer; the page shows it.
    applied(&clinic.push(&t, answer(request, "accept", "")).await);
    let answered = liaison.get(&t.app, &page).await;
    assert!(answered.body.contains("引き受ける"), "{}", answered.body);
    assert!(
        answered
            .body
            .contains("さくら内科クリニック 医師 佐藤 一郎")
    );
    assert_eq!(requests(&clinic, &t).await[0]["state"], "accepted");

    // A second answer changes nothing.
    let twice = clinic
        .push(&t, answer(request, "decline", "枠がありません"))
        .await;
    refused(&twice, "既に回答があります");
    assert_eq!(requests(&clinic, &t).await[0]["state"], "accepted");

    // Every step is audited against the referral.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'discharge-request-%'
         ORDER BY seq",
    )
    .bind(referral.to_string())
    .fetch_all(&t.owner)
    .await
    .unwrap();
    assert_eq!(
        actions,
        ["discharge-request-sent", "discharge-request-answered"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_and_late_or_wrong_answers_change_nothing() {
    let (Region { t, mut clinic, .. }, _, referral, liaison) = admitted_patient().await;
    for (expected, reply_by, why) in [
        (day(-1), day(0), "退院予定日が過ぎています"),
        (day(5), day(6), "回答期限は退院予定日までに"),
        (day(5), day(-1), "回答期限が過ぎています"),
        (String::new(), day(1), "退院予定日を入力"),
        (day(400), day(1), "180日以内"),
    ] {
        let page = ask(
            &liaison,
            &t,
            referral,
            &[
                ("expected_date", expected.as_str()),
                ("reply_by", reply_by.as_str()),
                ("need_home_oxygen", "on"),
                ("note", "残る入力"),
            ],
        )
        .await;
        assert_eq!(page.status, 422, "{why}");
        assert!(page.body.contains(why), "{why}: {}", page.body);
        // What was typed comes back.
        assert!(page.body.contains("残る入力"));
    }
    let unknown = ask(
        &liaison,
        &t,
        referral,
        &[
            ("expected_date", &day(5)),
            ("reply_by", &day(1)),
            ("need_teleport", "on"),
        ],
    )
    .await;
    assert!(unknown.body.contains("必要な医療の値が正しくありません"));
    assert!(requests(&clinic, &t).await.is_empty());

    // Another hospital cannot ask about this patient.
    let (_, south) = liaison_of(&t, "南病院", "south.liaison").await;
    let elsewhere = ask(
        &south,
        &t,
        referral,
        &[("expected_date", &day(5)), ("reply_by", &day(1))],
    )
    .await;
    assert_ne!(elsewhere.status, 303);
    assert!(requests(&clinic, &t).await.is_empty());

    // Cancelled: the doctor's answer is refused with the reason.
    assert_eq!(
        ask(
            &liaison,
            &t,
            referral,
            &[("expected_date", &day(5)), ("reply_by", &day(1))]
        )
        .await
        .status,
        303
    );
    let request = requests(&clinic, &t).await.remove(0);
    let cancelled = liaison
        .post(
            &t.app,
            &format!(
                "/portal/referrals/{referral}/discharge-requests/{}/cancel",
                request["id"].as_str().unwrap()
            ),
            &[],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    refused(
        &clinic.push(&t, answer(&request, "accept", "")).await,
        "取り消しました",
    );
    assert_eq!(requests(&clinic, &t).await[0]["state"], "cancelled");

    // A decline needs its reason; an unknown answer is refused.
    assert_eq!(
        ask(
            &liaison,
            &t,
            referral,
            &[("expected_date", &day(5)), ("reply_by", &day(1))]
        )
        .await
        .status,
        303
    );
    let request = requests(&clinic, &t).await.pop().unwrap();
    refused(
        &clinic.push(&t, answer(&request, "decline", " ")).await,
        "理由を入力",
    );
    refused(
        &clinic.push(&t, answer(&request, "maybe", "")).await,
        "回答の値",
    );

    // Past its day: expired, and the doctor is told so.
    sqlx::query("UPDATE discharge_requests SET reply_by = reply_by - 2 WHERE id = $1")
        .bind(Uuid::parse_str(request["id"].as_str().unwrap()).unwrap())
        .execute(&t.owner)
        .await
        .unwrap();
    refused(
        &clinic.push(&t, answer(&request, "accept", "")).await,
        "回答期限を過ぎました",
    );
    assert_eq!(
        tsunagu_server::housekeeping::expire_discharge_requests(&t.pool)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        requests(&clinic, &t).await.pop().unwrap()["state"],
        "expired"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unanswered_requests_are_shown_to_the_hospital_the_desk_and_the_figures() {
    let (
        Region {
            t,
            mut clinic,
            patient,
            consent,
            ..
        },
        _,
        referral,
        liaison,
    ) = admitted_patient().await;
    // The desk sees what the patient's consent shares with it.
    let mut with_desk = preregistration_op(consent, patient, vec![], true, false);
    if let OpBody::ConsentRecorded { desk, .. } = &mut with_desk {
        *desk = true;
    }
    applied(&clinic.push(&t, with_desk).await);
    assert_eq!(
        ask(
            &liaison,
            &t,
            referral,
            &[("expected_date", &day(5)), ("reply_by", &day(1))]
        )
        .await
        .status,
        303
    );
    let request = requests(&clinic, &t).await.remove(0);
    let home = liaison.get(&t.app, "/portal/hospital").await;
    assert!(!home.body.contains("unanswered-requests"), "not yet");
    sqlx::query("UPDATE discharge_requests SET reply_by = reply_by - 2")
        .execute(&t.owner)
        .await
        .unwrap();
    let home = liaison.get(&t.app, "/portal/hospital").await;
    assert!(
        home.body.contains("id=\"unanswered-requests\""),
        "{}",
        home.body
    );
    let code: String = sqlx::query_scalar("SELECT tracking_code FROM referrals WHERE id = $1")
        .bind(referral)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert!(home.body.contains(&code));
    let desk = Person::create(
        &t,
        tsunagu_protocol::OrgKind::Desk,
        "desk.suzuki",
        tsunagu_server::users::Role::Desk,
    )
    .await
    .signed_in(&t.app)
    .await;
    let dashboard = desk.get(&t.app, "/portal/desk").await;
    assert!(
        dashboard.body.contains("回答期限を過ぎた退院後の相談"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains(&code));

    let _ = request;
    let figures = desk.get(&t.app, "/portal/desk/figures").await;
    assert_eq!(figures.status, 200, "{}", figures.body);
    let section = &figures.body[figures.body.find("answer-figures").unwrap()..];
    assert!(section.contains("さくら内科クリニック"), "{section}");
    assert!(section.contains("北病院"));
    // 相談 1, 回答あり 0, 引き受け 0, —, 未回答 1
    assert!(
        section.contains("<td>1</td><td>0</td><td>0</td><td>—</td><td>1</td>"),
        "{section}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wanting_to_talk_opens_a_consult_on_the_timeline() {
    let (Region { t, mut clinic, .. }, _, referral, liaison) = admitted_patient().await;
    assert_eq!(
        ask(
            &liaison,
            &t,
            referral,
            &[("expected_date", &day(7)), ("reply_by", &day(2))]
        )
        .await
        .status,
        303
    );
    let request = requests(&clinic, &t).await.remove(0);
    applied(
        &clinic
            .push(&t, answer(&request, "consult", "酸素の業者を決めたい"))
            .await,
    );
    let entry = clinic
        .team_changes(&t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "entry")
        .map(|c| c["entry"].clone())
        .rfind(|e| e["kind"] == "request")
        .expect("a 相談 on the timeline");
    let body = entry["body"].as_str().unwrap();
    assert!(
        body.starts_with("【退院後の在宅医療の相談】北病院から"),
        "{body}"
    );
    assert!(body.ends_with("酸素の業者を決めたい"));
    assert!(entry["author"].as_str().unwrap().contains("佐藤 一郎"));
    let page = liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert!(page.body.contains("相談したい"));
    assert!(page.body.contains("酸素の業者を決めたい"));
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_patient_in_hospital_is_asked_about() {
    let (Region { t, clinic, .. }, _, referral, liaison) = admitted_patient().await;
    let discharged = liaison
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/events"),
            &[
                ("kind", "discharged"),
                ("date", day(0).as_str()),
                ("destination", "this_clinic"),
            ],
        )
        .await;
    assert_eq!(discharged.status, 303, "{}", discharged.body);
    let page = liaison
        .get(&t.app, &format!("/portal/referrals/{referral}"))
        .await;
    assert!(!page.body.contains("discharge-request-form"));
    let late = ask(
        &liaison,
        &t,
        referral,
        &[("expected_date", &day(5)), ("reply_by", &day(1))],
    )
    .await;
    assert_eq!(late.status, 422);
    assert!(
        late.body.contains("入院中の患者さんについてだけ"),
        "{}",
        late.body
    );
    assert!(requests(&clinic, &t).await.is_empty());
}
