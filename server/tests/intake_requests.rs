//! 受入相談 (issue 18), on a real PostgreSQL: a hospital's liaison asks a
//! visiting nurse station found in the directory; the station answers in
//! one click; a bad request, a decline without a reason, an answer twice,
//! a withdrawal after the answer and an answer by another organisation
//! are refused and change nothing. A clinic's device asks and answers by
//! operations (only its doctor answers) and keeps every request it sent
//! or was asked from its feed. The desk sees each organisation's time to
//! answer. Every step is audited.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod browser;
mod common;
mod portal_visitor;
mod team_region;

use chrono::{Duration, Utc};
use common::*;
use portal_visitor::*;
use serde_json::Value;
use team_region::*;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OpBody, OrgKind, WireAuthor, WireIntakeAnswer, WireNewIntake};
use tsunagu_server::users::Role;
use uuid::Uuid;

fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(9)).date_naive() + Duration::days(offset)).to_string()
}

/// The latest word of each request in the clinic's feed.
async fn requests(clinic: &Clinic, t: &TestServer) -> Vec<Value> {
    let mut latest: Vec<Value> = Vec::new();
    for change in clinic.changes(t).await {
        if change["change"] != "intake_request" {
            continue;
        }
        let request = change["request"].clone();
        latest.retain(|r| r["id"] != request["id"]);
        latest.push(request);
    }
    latest
}

async fn stored(t: &TestServer) -> Vec<(String, String)> {
    sqlx::query_as("SELECT state, answer_text FROM intake_requests ORDER BY sent_at")
        .fetch_all(&t.owner)
        .await
        .unwrap()
}

async fn audited(t: &TestServer, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

/// The one request on the organisation's page: its id.
fn only_id(body: &str, section: &str) -> Uuid {
    let start = body.find(&format!("id=\"{section}-")).unwrap() + section.len() + 5;
    Uuid::parse_str(&body[start..start + 36]).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_liaison_asks_a_station_which_answers_in_one_click() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let (hospital, liaison) = liaison_of(&t, "北病院", "kita.liaison").await;
    let nurse = person(&t, station, "midori.nurse", Role::Staff, Profession::Nurse).await;
    let pharmacy = organisation(&t, OrganisationKind::Pharmacy, "あおば薬局", false).await;
    let pharmacist = person(&t, pharmacy, "aoba", Role::Staff, Profession::Pharmacist).await;

    // The form, from the directory's result.
    let form = liaison
        .get(&t.app, &format!("/portal/intake/new?to={station}"))
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("みどり訪問看護ステーション"));
    assert!(
        form.body
            .contains("患者さんを特定できることは書かないでください")
    );
    // Nobody asks itself or the desk.
    let own = liaison
        .get(&t.app, &format!("/portal/intake/new?to={hospital}"))
        .await;
    assert_eq!(own.status, 404);

    // Refused on its fields; nothing kept.
    let start_on = day(7);
    let bad = liaison
        .post(
            &t.app,
            "/portal/intake",
            &[
                ("to", &station.to_string()),
                ("age", "200"),
                ("start_on", &day(-1)),
                ("summary", " "),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("年齢は0〜120の数字で入力してください"));
    assert!(bad.body.contains("開始の希望日が過ぎています"));
    assert!(
        bad.body
            .contains("相談の内容（病状・必要なケアの概要）を入力してください")
    );
    assert!(stored(&t).await.is_empty());

    let sent = liaison
        .post(
            &t.app,
            "/portal/intake",
            &[
                ("to", &station.to_string()),
                ("age", "８２"),
                ("sex", "female"),
                ("municipality", "豊島区"),
                ("need_end_of_life", "on"),
                ("need_around_24h", "on"),
                ("start_on", &start_on),
                ("summary", "膵臓がん末期。退院後、自宅での看取りを希望。"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let asked = nurse.get(&t.app, "/portal/intake").await;
    assert!(asked.body.contains("北病院") && asked.body.contains("82歳"));
    assert!(asked.body.contains("看取り") && asked.body.contains("回答待ち"));
    let id = only_id(&asked.body, "received");
    let path = format!("/portal/intake/{id}/answer");
    let answer = async |answer: &str, reason: &str| {
        nurse
            .post(&t.app, &path, &[("answer", answer), ("reason", reason)])
            .await
    };

    // Another organisation cannot answer it.
    let other = pharmacist
        .post(
            &t.app,
            &format!("/portal/intake/{id}/answer"),
            &[("answer", "accept")],
        )
        .await;
    assert_eq!(other.status, 403);
    // A decline needs its reason.
    let no_reason = answer("decline", " ").await;
    assert_eq!(no_reason.status, 422);
    assert!(
        no_reason
            .body
            .contains("受けられない理由を入力してください")
    );
    assert_eq!(stored(&t).await, [("open".into(), String::new())]);

    let consult = answer("consult", "吸引の頻度を伺いたいです").await;
    assert_eq!(consult.status, 303, "{}", consult.body);
    assert_eq!(
        stored(&t).await,
        [("consult".into(), "吸引の頻度を伺いたいです".into())]
    );
    // The liaison sees the answer and who gave it.
    let mine = liaison.get(&t.app, "/portal/intake").await;
    let sent_part = &mine.body[mine.body.find("intake-sent").unwrap()..];
    assert!(sent_part.contains("相談したい") && sent_part.contains("吸引の頻度を伺いたいです"));
    assert!(sent_part.contains("みどり訪問看護ステーション 田中 ゆき"));

    // Answered once; not withdrawn after.
    let twice = answer("accept", "").await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("すでに「相談したい」です"));
    let withdrawn = liaison
        .post(&t.app, &format!("/portal/intake/{id}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status, 422);
    assert_eq!(stored(&t).await[0].0, "consult");
    assert_eq!(audited(&t, "intake-send").await, 1);
    assert_eq!(audited(&t, "intake-answer").await, 1);
    assert!(audited(&t, "intake-list").await >= 2);

    // The desk sees how the station answers.
    let desk = Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await;
    let figures = desk.get(&t.app, "/portal/desk/figures").await;
    let part = &figures.body[figures.body.find("intake-figures").unwrap()..];
    assert!(part.contains("みどり訪問看護ステーション"), "{part}");
    assert!(part.contains("時間"));
}

fn nurse_author() -> WireAuthor {
    WireAuthor {
        name: "山田 和子".into(),
        profession: "nurse".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clinic_asks_and_answers_from_its_app() {
    let t = server().await;
    let mut clinic = clinic_with_phone(&t).await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let nurse = person(&t, station, "midori.nurse", Role::Staff, Profession::Nurse).await;

    // The clinic asks; a refused request changes nothing.
    let new = |summary: &str| WireNewIntake {
        id: Uuid::now_v7(),
        to_org: station,
        age: "79".into(),
        sex: "male".into(),
        municipality: "豊島区".into(),
        needs: vec!["special_management".into()],
        start_on: String::new(),
        summary: summary.into(),
        by: doctor(),
    };
    refused(
        &clinic.push(&t, OpBody::IntakeSent(new(""))).await,
        "相談の内容",
    );
    let request = new("在宅酸素を導入予定。週2回の訪問を希望。");
    applied(&clinic.push(&t, OpBody::IntakeSent(request.clone())).await);
    let kept = requests(&clinic, &t).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["state"], "open");
    assert_eq!(kept[0]["to_name"], "みどり訪問看護ステーション");
    assert_eq!(kept[0]["sent_by"], "さくら内科クリニック 医師 佐藤 花子");

    // The station accepts on the portal; the clinic's feed has it.
    let id = only_id(&nurse.get(&t.app, "/portal/intake").await.body, "received");
    assert_eq!(id, request.id);
    let accepted = nurse
        .post(
            &t.app,
            &format!("/portal/intake/{id}/answer"),
            &[("answer", "accept")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let kept = requests(&clinic, &t).await;
    assert_eq!(kept[0]["state"], "accepted");
    assert_eq!(
        kept[0]["answered_by"],
        "みどり訪問看護ステーション 田中 ゆき"
    );

    // The station asks the clinic; only the clinic's doctor answers.
    let clinic_id: Uuid = kept[0]["from_org"].as_str().unwrap().parse().unwrap();
    let asked = nurse
        .post(
            &t.app,
            "/portal/intake",
            &[
                ("to", &clinic_id.to_string()),
                ("municipality", "豊島区"),
                ("summary", "訪問診療をお願いできる先を探しています。"),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let theirs = requests(&clinic, &t).await;
    let question = theirs
        .iter()
        .find(|r| r["from_name"] == "みどり訪問看護ステーション")
        .unwrap();
    let question_id: Uuid = question["id"].as_str().unwrap().parse().unwrap();
    let answer = |by: WireAuthor, answer: &str, text: &str| {
        OpBody::IntakeAnswered(WireIntakeAnswer {
            request_id: question_id,
            answer: answer.into(),
            text: text.into(),
            by,
        })
    };
    refused(
        &clinic.push(&t, answer(nurse_author(), "accept", "")).await,
        "医師のアカウント",
    );
    refused(
        &clinic.push(&t, answer(doctor(), "decline", "")).await,
        "理由",
    );
    applied(
        &clinic
            .push(&t, answer(doctor(), "decline", "訪問枠が埋まっています"))
            .await,
    );
    refused(
        &clinic.push(&t, answer(doctor(), "accept", "")).await,
        "すでに",
    );
    // Withdrawing what the clinic did not send: refused.
    refused(
        &clinic
            .push(
                &t,
                OpBody::IntakeWithdrawn {
                    request_id: question_id,
                },
            )
            .await,
        "見つかりません",
    );
    let page = nurse.get(&t.app, "/portal/intake").await;
    assert!(page.body.contains("訪問枠が埋まっています"));
    assert!(page.body.contains("さくら内科クリニック 医師 佐藤 花子"));
}

/// In a real browser: the liaison finds a 24時間・看取り station taking
/// patients in the patient's area, sends it a 受入相談, and sees its
/// answer arrive on her open page without reloading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn the_liaison_finds_a_station_and_sees_its_answer_live() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let other = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "あさひ訪問看護ステーション",
        false,
    )
    .await;
    for (org, login, accepting) in [
        (station, "midori.admin", "yes"),
        (other, "asahi.admin", "no"),
    ] {
        let admin = person(&t, org, login, Role::OrgAdmin, Profession::Nurse).await;
        let saved = admin
            .post(
                &t.app,
                &format!("/portal/organisations/{org}/profile"),
                &[
                    ("address", "東京都豊島区南池袋1-2-3"),
                    ("phone", "03-3981-2222"),
                    ("municipalities", "豊島区"),
                    ("offer_around_24h", "on"),
                    ("offer_end_of_life", "on"),
                    ("accepting", accepting),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
    }
    let (_, liaison) = liaison_of(&t, "北病院", "kita.liaison").await;
    let nurse = person(&t, station, "midori.nurse", Role::Staff, Profession::Nurse).await;
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &liaison.token).await;
    browser.open(&format!("{origin}/portal/hospital")).await;
    browser.click("#nav-directory").await;
    browser.wait_for_text("地域の機関をさがす").await;
    browser.fill("#ds-municipality", "豊島区").await;
    browser.click("#ds-offer-around_24h").await;
    browser.click("#ds-offer-end_of_life").await;
    browser.click("#ds-search").await;
    let found = browser.wait_for_text("2件").await;
    // Those taking patients come first.
    assert!(
        found.find("みどり訪問看護ステーション").unwrap()
            < found.find("あさひ訪問看護ステーション").unwrap(),
        "{found}"
    );
    browser.photograph("directory-search.png").await;
    browser.click(&format!("#ask-{station}")).await;
    browser
        .wait_for_text("受入相談：みどり訪問看護ステーション")
        .await;
    browser.fill("#in-age", "82").await;
    browser.fill("#in-municipality", "豊島区").await;
    browser.click("#in-need-end_of_life").await;
    browser
        .fill(
            "#in-summary",
            "膵臓がん末期。退院後、自宅での看取りを希望。",
        )
        .await;
    browser.photograph("intake-form.png").await;
    browser.click("#in-send").await;
    browser.wait_for_text("受入相談を送りました").await;

    // The station answers; her open page shows it by itself.
    let id = only_id(&nurse.get(&t.app, "/portal/intake").await.body, "received");
    let answered = nurse
        .post(
            &t.app,
            &format!("/portal/intake/{id}/answer"),
            &[("answer", "accept"), ("reason", "来週から伺えます")],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let text = browser.wait_for_text("来週から伺えます").await;
    assert!(text.contains("受けられる"), "{text}");
    browser.photograph("intake-answered.png").await;
}
