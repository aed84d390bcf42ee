//! The pinned 医療・介護連携サマリー end to end (issue 19, ADR 0042): the
//! clinic's real app and encrypted store, the real server on a real
//! PostgreSQL, a visiting nurse in the portal over HTTP. The physician
//! saves the summary and records a 人生会議 for a patient whose consent
//! names the team; one sync later the nurse finds both pinned at the top
//! of the team's page, with the emergency sheet the app rendered.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock"
)]

mod support;

use tsunagu_app::{
    AcpDraft, AcpParticipantDraft, CareSummaryDraft, InviteInput, TeamSharingConsentDraft,
    Treatment,
};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::OrgKind;
use tsunagu_server::admin::{NewOrganisation, register_organisation};
use tsunagu_testkit::fixtures as common;

use support::clinic::{clinic_app, keyring};
use support::region::{Durability, Region};
use support::visitor::{NURSE_PASSWORD, NURSE_SECRET, Visitor, nurse_of};

/// The value of the first `name="<field>" value="…"` on the page.
fn field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name}: {body}"))
        + marker.len();
    let end = body[start..].find('"').unwrap();
    body[start..start + end].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn the_clinics_summary_and_wishes_are_pinned_on_the_portals_team_page() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let station = register_organisation(
        &region.pool,
        &NewOrganisation {
            kind: OrganisationKind::VisitingNurseStation,
            name: "みどり訪問看護ステーション",
            requires_approval: false,
            phone: "03-3981-1234",
            fax: "03-3981-1235",
        },
        "admin:test",
    )
    .await
    .unwrap();
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;

    let patient = common::create(app, &common::yamada()).await.id.to_string();
    app.save_team_consent(
        &patient,
        None,
        &TeamSharingConsentDraft {
            obtained_on: "2026-11-20".into(),
            obtained_by: "佐藤　花子".into(),
            scopes: vec![ConsentScope::Team],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.sync_now().await.unwrap();
    let team = app.start_team(&patient).await.unwrap().team.unwrap();
    let team_id = team.id.to_string();
    app.invite_to_team(
        &team_id,
        &InviteInput {
            organisation_id: station.id.to_string(),
            role: "visiting_nurse".into(),
            person: String::new(),
        },
    )
    .await
    .unwrap();
    app.save_care_summary(
        &patient,
        &CareSummaryDraft {
            problems: "慢性心不全\n2型糖尿病".into(),
            medications: "フロセミド錠20mg 朝".into(),
            allergies: "ペニシリン系（発疹）".into(),
            devices: "在宅酸素 1L/分".into(),
            next_visit: "2026-12-14".into(),
            cautions: "体重が2日で2kg増えたら連絡".into(),
            after_hours_phone: "090-1111-2222".into(),
        },
    )
    .await
    .unwrap();
    app.record_acp(
        &patient,
        &AcpDraft {
            held_on: "2026-11-20".into(),
            participants: vec![AcpParticipantDraft {
                role: "patient".into(),
                ..Default::default()
            }],
            place_of_care: "home".into(),
            place_of_death: "home".into(),
            wishes: Treatment::ALL
                .iter()
                .map(|t| {
                    let w = if *t == Treatment::Cpr {
                        "declines"
                    } else {
                        "undecided"
                    };
                    (t.code().to_string(), w.to_string())
                })
                .collect(),
            values: "猫と家で過ごしたい".into(),
            surrogate_name: "山田 花子".into(),
            surrogate_relation: "妻".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.sync_now().await.unwrap();
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM team_pinned_summaries")
        .fetch_one(&region.owner)
        .await
        .unwrap();
    assert_eq!(versions, 2, "the summary, then the wishes");
    let state = app.sync_state().await.unwrap().unwrap();
    assert_eq!(state.pending, 0, "{state:?}");
    let conflicts = app.sync_conflicts().await.unwrap();
    assert!(conflicts.is_empty(), "nothing refused: {conflicts:?}");

    // The nurse in the portal: the summary at the top, the latest version.
    let login = nurse_of(&region, station.id).await;
    let mut visitor = Visitor::new(&region.url());
    let csrf = visitor.sign_in(&login, NURSE_PASSWORD, NURSE_SECRET).await;
    let list = visitor.get("/portal/teams").await;
    let member = field(&list.body, "member");
    let accepted = visitor
        .post(
            &format!("/portal/teams/{team_id}/members"),
            &[("member", &member), ("action", "accept"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let page = visitor.get(&format!("/portal/teams/{team_id}")).await;
    let body = &page.body;
    assert!(body.contains("医療・介護連携サマリー"), "{body}");
    assert!(
        body.contains("（第2版）"),
        "both changes were pinned: {body}"
    );
    assert!(body.contains("id=\"dnar-badge\""), "{body}");
    assert!(body.contains("希望しない（DNAR）"), "{body}");
    assert!(body.contains("慢性心不全、2型糖尿病"), "{body}");
    assert!(body.contains("090-1111-2222"), "{body}");
    assert!(body.contains("山田 花子（妻）"), "{body}");
    assert!(body.contains("さくら内科クリニック 医師"), "{body}");
    // The sheet the app rendered, served to the member.
    let marker = "id=\"emergency-sheet\"";
    assert!(body.contains(marker), "{body}");
    let link = "/portal/attachments/";
    let at = body.find(link).expect("the sheet's link") + link.len();
    let sheet_id = &body[at..at + 36];
    let bytes = visitor
        .http
        .get(format!("{}{link}{sheet_id}", visitor.base))
        .header("cookie", visitor.cookie_header())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    // The 連絡 of the new wishes is on the timeline below it too.
    assert!(body.contains("人生会議の記録を更新しました"), "{body}");
}
