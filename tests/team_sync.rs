//! The home-care team end to end (issue 16): the clinic's real app and
//! encrypted store, the real server on a real PostgreSQL, and a visiting
//! nurse in the portal over HTTP. The physician starts the team, invites
//! the station and posts a file; the nurse signs in with the second
//! factor, accepts, reads the post and its file, and reports a visit; it
//! all comes back to the clinic's app with receipts both ways. Then the
//! link is cut at random while posts and files wait: nothing is lost and
//! nothing is doubled.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock"
)]

mod support;

use tsunagu_app::{InviteInput, PostDraft, TeamAttachmentFile, TeamSharingConsentDraft};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::{EntryKind, MemberState, OrganisationKind};
use tsunagu_protocol::OrgKind;
use tsunagu_server::admin::{NewOrganisation, register_organisation};
use tsunagu_testkit::fixtures as common;

use support::clinic::{clinic_app, keyring};
use support::region::{CuttingProxy, Durability, Region};
use support::visitor::{NURSE_PASSWORD, NURSE_SECRET, Visitor, nurse_of};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn team_consent() -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "佐藤　花子".into(),
        by_family: false,
        family_name: String::new(),
        family_relation: String::new(),
        scopes: vec![ConsentScope::Team],
        withdrawn_on: String::new(),
        preregistered_with: Vec::new(),
    }
}

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
async fn the_team_travels_between_the_clinic_and_the_portal_and_survives_a_bad_link() {
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
    let proxy = CuttingProxy::start(region.server_address).await;
    let clinic = clinic_app(&keys, &region, &sakura, &proxy.url(), common::now()).await;
    let app = &clinic.app;

    // The physician: consent naming the team, the team, an invitation
    // from the directory (which came with the first sync), a post with a
    // file.
    let patient = common::create(app, &common::yamada()).await.id.to_string();
    app.save_team_consent(&patient, None, &team_consent())
        .await
        .unwrap();
    app.sync_now().await.unwrap();
    let listed = app.team_directory().await.unwrap();
    let entry = listed
        .iter()
        .find(|o| o.id == station.id)
        .expect("the station in the directory");
    assert_eq!(entry.phone, "03-3981-1234");
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
    let draft = PostDraft {
        kind: "note".into(),
        body: "退院後の初回訪問をお願いします。".into(),
        ..PostDraft::default()
    };
    let file = TeamAttachmentFile {
        name: "診療情報提供書.pdf".into(),
        bytes: PDF.to_vec(),
    };
    app.post_to_team(&team_id, &draft, vec![file])
        .await
        .unwrap();
    app.sync_now().await.unwrap();
    assert_eq!(app.sync_state().await.unwrap().unwrap().pending, 0);

    // The nurse in the portal.
    let login = nurse_of(&region, station.id).await;
    let mut visitor = Visitor::new(&region.url());
    let csrf = visitor.sign_in(&login, NURSE_PASSWORD, NURSE_SECRET).await;
    let list = visitor.get("/portal/teams").await;
    assert!(list.body.contains("山田"), "{}", list.body);
    let member = field(&list.body, "member");
    let accepted = visitor
        .post(
            &format!("/portal/teams/{team_id}/members"),
            &[("member", &member), ("action", "accept"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let page = visitor.get(&format!("/portal/teams/{team_id}")).await;
    assert!(
        page.body.contains("退院後の初回訪問をお願いします。"),
        "{}",
        page.body
    );
    let marker = "/portal/attachments/";
    let at = page.body.find(marker).expect("the file's link") + marker.len();
    let file_id = &page.body[at..at + 36];
    let request = visitor
        .http
        .get(format!("{}{marker}{file_id}", visitor.base));
    let cookie = visitor.cookie_header();
    let bytes = request
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), PDF);
    let posted = visitor
        .post_form_data(
            &format!("/portal/teams/{team_id}/posts"),
            &[
                ("kind", "visit_report"),
                ("body", "初回訪問しました。"),
                ("body_temperature", "36.9"),
                ("spo2", "96"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(posted.status, 303);

    // Back in the clinic: the member joined, the visit report with its
    // vital signs, and the nurse read the physician's post.
    app.sync_now().await.unwrap();
    let view = app.patient_team(&patient).await.unwrap().team.unwrap();
    let station_member = view
        .members
        .iter()
        .find(|m| m.name == "みどり訪問看護ステーション")
        .unwrap();
    assert_eq!(station_member.state, MemberState::Active);
    assert_eq!(station_member.phone, "03-3981-1234");
    let timeline = app.team_timeline(&team_id).await.unwrap();
    let ours = timeline.posts.iter().find(|p| p.mine).unwrap();
    assert_eq!(ours.read_label, "既読 1/1");
    let report = timeline
        .posts
        .iter()
        .find(|p| p.kind == EntryKind::VisitReport)
        .unwrap();
    assert!(report.author.contains("みどり訪問看護ステーション"));
    assert_eq!(report.vitals.unwrap().spo2, Some(96));
    assert!(report.unread);
    let report_id = report.id.to_string();
    app.acknowledge_team_entry(&team_id, &report_id)
        .await
        .unwrap();
    app.sync_now().await.unwrap();
    let page = visitor.get(&format!("/portal/teams/{team_id}")).await;
    assert!(page.body.contains("確認 1&#x2f;1"), "{}", page.body);

    // The patient is referred; the nurse learns first of an admission and
    // reports it on the team page; the clinic's app shows it as the
    // team's news, on the referral and on the timeline.
    let referral = common::refer(app, &patient, "豊島中央病院").await;
    app.sync_now().await.unwrap();
    let page = visitor.get(&format!("/portal/teams/{team_id}")).await;
    assert!(page.body.contains("id=\"kind-admitted\""), "{}", page.body);
    let today = (chrono::Utc::now() + chrono::Duration::hours(9))
        .date_naive()
        .to_string();
    let reported = visitor
        .post(
            &format!("/portal/teams/{team_id}/whereabouts"),
            &[
                ("referral", &referral),
                ("kind", "admitted"),
                ("date", &today),
                ("ward", "救急病棟"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(reported.status, 303, "{}", reported.body);
    app.sync_now().await.unwrap();
    let view = app.referral(&referral).await.unwrap();
    assert_eq!(view.status, tsunagu_domain::ReferralStatus::Admitted);
    let news = view.events.last().unwrap();
    assert_eq!(news.source, "在宅チーム");
    assert!(
        news.actor.contains("みどり訪問看護ステーション"),
        "{}",
        news.actor
    );
    let timeline = app.team_timeline(&team_id).await.unwrap();
    assert!(
        timeline
            .posts
            .iter()
            .any(|p| p.kind == EntryKind::ReferralEvent && p.body.contains("入院")),
        "the admission's line on the clinic's timeline"
    );

    // A bad link: posts with files written offline, then sent while a
    // third of the connections are cut. Nothing lost, nothing doubled.
    proxy.cut(100);
    for n in 0..5 {
        let draft = PostDraft {
            kind: "note".into(),
            body: format!("夜間の連絡 {n}"),
            ..PostDraft::default()
        };
        let file = TeamAttachmentFile {
            name: format!("写真{n}.pdf"),
            bytes: PDF.to_vec(),
        };
        app.post_to_team(&team_id, &draft, vec![file])
            .await
            .unwrap();
    }
    assert!(app.sync_now().await.is_err());
    proxy.cut(35);
    let mut attempts = 0;
    while app.sync_now().await.is_err() || app.sync_state().await.unwrap().unwrap().pending > 0 {
        attempts += 1;
        assert!(attempts < 200, "never synced through the cutting link");
    }
    proxy.cut(0);
    app.sync_now().await.unwrap();
    let posts: i64 = region
        .count("SELECT count(*) FROM team_entries WHERE body LIKE '夜間の連絡 %'")
        .await;
    assert_eq!(posts, 5);
    let files: i64 = region
        .count("SELECT count(*) FROM team_attachments WHERE name LIKE '写真%' AND entry_id IS NOT NULL")
        .await;
    assert_eq!(files, 5);
    let timeline = app.team_timeline(&team_id).await.unwrap();
    let ours: Vec<_> = timeline
        .posts
        .iter()
        .filter(|p| p.body.starts_with("夜間の連絡"))
        .collect();
    assert_eq!(ours.len(), 5, "each post once in the clinic's timeline");
    assert!(
        ours.iter()
            .all(|p| p.attachments.len() == 1 && p.attachments[0].held)
    );
    assert_eq!(app.sync_state().await.unwrap().unwrap().refused, 0);
}
