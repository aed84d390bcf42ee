//! Break-glass (緊急閲覧, ADR 0018) through the portal as a browser drives
//! it, on a real PostgreSQL: a referral outside one's scope opened with a
//! stated reason, read-only, with a banner on every page, for a limited
//! time; the desk's list of accesses to acknowledge; the audit rows, the
//! hash chain still whole. And a referral that does not exist looks
//! exactly like one outside one's scope.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test fails by panicking; it says where its screenshots are"
)]

mod browser;
mod common;
mod portal_visitor;

use chrono::NaiveDate;
use common::*;
use portal_visitor::*;
use serde_json::json;
use tsunagu_protocol::{OpBody, OrgKind, PROTOCOL_VERSION};
use tsunagu_server::audit::{ChainReport, verify_chain};
use tsunagu_server::users::Role;
use uuid::Uuid;

const REASON: &str = "救急外来に意識障害で搬送された。かかりつけ医と経過を確認するため";

/// Who the patient's consent covers.
#[derive(Clone, Copy)]
struct Covers {
    desk: bool,
    hospitals: bool,
}

/// A referral of a clinic's patient (with consent covering `covers`),
/// addressed to no registered hospital: (referral, patient, consent).
async fn referral(t: &TestServer, clinic: &str, covers: Covers) -> (Uuid, Uuid, Uuid) {
    let (patient, referral, consent) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let day = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
    let ops = vec![
        OpBody::PatientShared {
            patient_id: patient,
            name: "山田　太郎".into(),
            kana: "やまだ　たろう".into(),
            birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
            sex: "male".into(),
        },
        consent_op(consent, patient, covers, None),
        OpBody::ReferralOpened {
            referral_id: referral,
            patient_id: patient,
            tracking_code: tsunagu_domain::TrackingCode::from_random_bits(
                Uuid::now_v7().as_u128() as u64
            )
            .to_string(),
            destination: None,
            sent: tsunagu_protocol::WireEvent {
                id: Uuid::now_v7(),
                details: Some(tsunagu_protocol::WireEventDetails::Sent {
                    date: day,
                    hospital: "豊島中央病院".into(),
                }),
                voids: None,
                note: String::new(),
            },
            letter: None,
        },
    ];
    push(t, clinic, 1, ops).await;
    (referral, patient, consent)
}

fn consent_op(id: Uuid, patient: Uuid, covers: Covers, withdrawn: Option<NaiveDate>) -> OpBody {
    OpBody::ConsentRecorded {
        consent_id: id,
        patient_id: patient,
        obtained_on: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
        obtained_by: "佐藤　花子".into(),
        desk: covers.desk,
        destination_hospital: covers.hospitals,
        withdrawn_on: withdrawn,
        team: false,
        family: None,
        preregistration: false,
        preregistered_with: Vec::new(),
    }
}

async fn push(t: &TestServer, clinic: &str, first_seq: usize, ops: Vec<OpBody>) {
    let ops: Vec<_> = ops
        .into_iter()
        .enumerate()
        .map(|(i, body)| json!({"op_seq": first_seq + i, "body": serde_json::to_value(body).unwrap()}))
        .collect();
    let (status, body) = t
        .post_json(
            "/v1/push",
            Some(clinic),
            json!({"version": PROTOCOL_VERSION, "ops": ops}),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    for r in body["results"].as_array().unwrap() {
        assert_eq!(r["outcome"]["outcome"], "applied", "{r}");
    }
}

async fn count(t: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

/// The break-glass rows of `user`, newest first.
async fn glasses_of(t: &TestServer, user: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar("SELECT id FROM break_glass WHERE user_id = $1 ORDER BY started_at DESC")
        .bind(user)
        .fetch_all(&t.owner)
        .await
        .unwrap()
}

fn assert_banner(page: &Page, present: bool) {
    assert_eq!(
        page.body.contains("id=\"break-glass-banner\""),
        present,
        "banner {}expected: {}",
        if present { "" } else { "not " },
        page.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_breaks_the_glass_reads_only_until_it_expires_and_the_admin_acknowledges() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let everyone = Covers {
        desk: true,
        hospitals: true,
    };
    let (referral, _, _) = referral(&t, &clinic, everyone).await;
    let liaison = Person::create(&t, OrgKind::Hospital, "ikebukuro", Role::Liaison).await;
    let desk = Person::create(&t, OrgKind::Desk, "madoguchi", Role::Desk).await;
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin).await;
    let app = &t.app;
    let l = liaison.signed_in(app).await;
    let page_path = format!("/portal/referrals/{referral}");
    let glass_path = format!("{page_path}/break-glass");

    // Outside the liaison's scope: refused, with break-glass offered.
    let page = l.get(app, &page_path).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("緊急閲覧（ブレークグラス）"));
    assert!(page.body.contains("監査ログに記録"));
    assert!(!page.body.contains("山田"));
    assert_banner(&page, false);

    // Too short a reason: refused, what was typed comes back, nothing granted.
    let page = l
        .post(app, &glass_path, &[("reason", "  急ぎです  ")])
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("10文字以上"), "{}", page.body);
    assert!(page.body.contains("急ぎです"));
    // Without the session's CSRF token: refused.
    let forged = Session {
        csrf: "forged".into(),
        ..l.clone()
    };
    let page = forged.post(app, &glass_path, &[("reason", REASON)]).await;
    assert_eq!(page.status, 403);
    assert!(glasses_of(&t, liaison.id).await.is_empty());
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE action = 'break-glass-start'"
        )
        .await,
        0
    );

    // With a reason: granted, the page shows the referral, read-only.
    let page = l.post(app, &glass_path, &[("reason", REASON)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(page_path.as_str()));
    let page = l.get(app, &page_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("山田　太郎"));
    assert!(page.body.contains("id=\"break-glass-notice\""));
    assert!(
        !page.body.contains("id=\"event-form\""),
        "no recording form"
    );
    assert!(
        !page.body.contains("id=\"document-form\""),
        "no form to send a document"
    );
    assert_banner(&page, true);
    assert!(page.body.contains("緊急閲覧中: "));
    assert!(page.body.contains("残り30分") || page.body.contains("残り29分"));
    assert!(
        page.body
            .contains(&REASON.chars().take(20).collect::<String>())
    );
    // The banner is on every page.
    for other in ["/portal/hospital", "/portal/password"] {
        let page = l.get(app, other).await;
        assert_eq!(page.status, 200, "{other}");
        assert_banner(&page, true);
    }

    // Recording is refused, and nothing is recorded.
    let events = "SELECT count(*) FROM referral_events";
    let before = count(&t, events).await;
    let page = l
        .post(
            app,
            &format!("{page_path}/events"),
            &[("kind", "note"), ("note", "緊急で受け入れました")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("閲覧のみ"), "{}", page.body);
    assert_eq!(count(&t, events).await, before);
    // So is sending a document (ADR 0041): nothing is kept.
    let boundary = "----tsunagu-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreply\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--{boundary}--\r\n",
        l.csrf
    );
    let cookie = format!("tsunagu_session={}", l.token);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let page = send(
        app,
        "POST",
        &format!("{page_path}/documents"),
        &[("content-type", &content_type), ("cookie", &cookie)],
        body,
    )
    .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("閲覧のみ"), "{}", page.body);
    assert_eq!(
        count(&t, "SELECT count(*) FROM referral_documents").await,
        0
    );

    // Once expired: refused again, and the banner is gone.
    sqlx::query(
        "UPDATE break_glass SET started_at = started_at - interval '31 minutes',
           expires_at = expires_at - interval '31 minutes'",
    )
    .execute(&t.owner)
    .await
    .unwrap();
    let page = l.get(app, &page_path).await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("山田"));
    assert_banner(&page, false);

    // The desk is told; only the administrator acknowledges.
    let glass = glasses_of(&t, liaison.id).await[0];
    let ack_path = format!("/portal/break-glass/{glass}/acknowledge");
    let d = desk.signed_in(app).await;
    let page = d.get(app, "/portal/desk").await;
    assert!(
        page.body.contains("緊急閲覧の確認待ち（1件）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("ikebukuroの所属"));
    assert!(page.body.contains(REASON));
    assert!(page.body.contains(&format!("href=\"{page_path}\"")));
    assert!(!page.body.contains(&ack_path), "the desk has no button");
    // The desk may see this referral anyway: nothing is broken.
    let page = d.post(app, &glass_path, &[("reason", REASON)]).await;
    assert_eq!(page.status, 303);
    assert!(glasses_of(&t, desk.id).await.is_empty());
    for who in [&l, &d] {
        let page = who.post(app, &ack_path, &[]).await;
        assert_eq!(page.status, 403, "{}", page.body);
    }
    let a = admin.signed_in(app).await;
    let page = a.get(app, "/portal/desk").await;
    assert!(page.body.contains(&ack_path));
    let page = a.post(app, &ack_path, &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = a.get(app, "/portal/desk?acknowledged=1").await;
    assert!(!page.body.contains("緊急閲覧の確認待ち"), "{}", page.body);
    assert!(page.body.contains("確認済みにしました"));
    // Acknowledged once only.
    let page = a.post(app, &ack_path, &[]).await;
    assert_eq!(page.status, 404);

    // The audit: the start (reason, address), each view under it, the
    // acknowledgement; the chain still verifies.
    let (address, reason): (Option<String>, String) = sqlx::query_as(
        "SELECT address, detail->>'reason' FROM audit_log
         WHERE action = 'break-glass-start' AND entity_id = $1 AND actor = $2",
    )
    .bind(referral.to_string())
    .bind(format!("user:{}", liaison.id))
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(address.as_deref(), Some("192.0.2.1"));
    assert_eq!(reason, REASON);
    let views = count(
        &t,
        &format!(
            "SELECT count(*) FROM audit_log WHERE action = 'break-glass-view'
             AND detail->>'break_glass' = '{glass}'"
        ),
    )
    .await;
    assert_eq!(views, 1, "one row per page view under break-glass");
    let acknowledged = count(
        &t,
        &format!(
            "SELECT count(*) FROM audit_log WHERE action = 'break-glass-acknowledge'
             AND actor = 'user:{}'",
            admin.id
        ),
    )
    .await;
    assert_eq!(acknowledged, 1);
    assert!(matches!(
        verify_chain(&t.pool).await.unwrap(),
        ChainReport::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_that_does_not_exist_looks_like_one_out_of_scope() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let everyone = Covers {
        desk: true,
        hospitals: true,
    };
    let (real, patient, consent) = referral(&t, &clinic, everyone).await;
    let missing = Uuid::now_v7();
    let liaison = Person::create(&t, OrgKind::Hospital, "ikebukuro", Role::Liaison).await;
    let app = &t.app;
    let l = liaison.signed_in(app).await;
    let same = |a: &Page, b: &Page| {
        assert_eq!(a.status, b.status);
        assert_eq!(
            a.body.replace(&real.to_string(), "ID"),
            b.body.replace(&missing.to_string(), "ID")
        );
    };

    let a = l.get(app, &format!("/portal/referrals/{real}")).await;
    let b = l.get(app, &format!("/portal/referrals/{missing}")).await;
    assert_eq!(a.status, 403);
    same(&a, &b);
    let short = [("reason", "見たい")];
    let a = l
        .post(
            app,
            &format!("/portal/referrals/{real}/break-glass"),
            &short,
        )
        .await;
    let b = l
        .post(
            app,
            &format!("/portal/referrals/{missing}/break-glass"),
            &short,
        )
        .await;
    assert_eq!(a.status, 422);
    same(&a, &b);

    // Withdrawn consent: the server holds no identity, and break-glass
    // does not override that; answered as for a referral that does not exist.
    push(
        &t,
        &clinic,
        4,
        vec![consent_op(
            consent,
            patient,
            everyone,
            Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        )],
    )
    .await;
    let long = [("reason", REASON)];
    let a = l
        .post(app, &format!("/portal/referrals/{real}/break-glass"), &long)
        .await;
    let b = l
        .post(
            app,
            &format!("/portal/referrals/{missing}/break-glass"),
            &long,
        )
        .await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("緊急閲覧できません"), "{}", a.body);
    same(&a, &b);
    assert!(glasses_of(&t, liaison.id).await.is_empty());
    let refused = count(
        &t,
        "SELECT count(*) FROM audit_log WHERE action = 'break-glass-refused'",
    )
    .await;
    assert_eq!(refused, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_early_it_is_refused_again_and_nobody_acknowledges_their_own() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    // Consent for hospitals only: outside the desk's scope.
    let hospitals_only = Covers {
        desk: false,
        hospitals: true,
    };
    let (referral, _, _) = referral(&t, &clinic, hospitals_only).await;
    let first = Person::create(&t, OrgKind::Desk, "kanri1", Role::Admin).await;
    let second = Person::create(&t, OrgKind::Desk, "kanri2", Role::Admin).await;
    let app = &t.app;
    let a = first.signed_in(app).await;
    let page_path = format!("/portal/referrals/{referral}");
    assert_eq!(a.get(app, &page_path).await.status, 403);
    let page = a
        .post(
            app,
            &format!("{page_path}/break-glass"),
            &[("reason", REASON)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = a.get(app, &page_path).await;
    assert_eq!(page.status, 200);
    // The desk's read-only page: no assigning, no call form.
    assert!(!page.body.contains("/assign\""));
    assert!(!page.body.contains("id=\"log-call\""));
    let page = a
        .post(
            app,
            &format!("{page_path}/calls"),
            &[("called", "豊島中央病院"), ("learned", "入院中とのこと")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert_eq!(count(&t, "SELECT count(*) FROM call_logs").await, 0);

    // Ended early from the banner: gone, refused again, audited.
    let glass = glasses_of(&t, first.id).await[0];
    let page = a.get(app, "/portal/desk").await;
    let end_path = format!("/portal/break-glass/{glass}/end");
    assert!(page.body.contains(&end_path));
    let page = a.post(app, &end_path, &[]).await;
    assert_eq!(page.status, 303);
    let page = a.get(app, &page_path).await;
    assert_eq!(page.status, 403);
    assert_banner(&page, false);
    assert_eq!(a.post(app, &end_path, &[]).await.status, 404);
    let ended = "SELECT count(*) FROM audit_log WHERE action = 'break-glass-end'";
    assert_eq!(count(&t, ended).await, 1);

    // Still to acknowledge; not by the one who broke the glass.
    let ack_path = format!("/portal/break-glass/{glass}/acknowledge");
    let page = a.get(app, "/portal/desk").await;
    assert!(page.body.contains("緊急閲覧の確認待ち（1件）"));
    assert!(!page.body.contains(&ack_path));
    let page = a.post(app, &ack_path, &[]).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("ご自身の緊急閲覧は確認できません"));
    let b = second.signed_in(app).await;
    assert_eq!(b.post(app, &ack_path, &[]).await.status, 303);
    let (by, of_actor): (Uuid, String) = sqlx::query_as(
        "SELECT b.acknowledged_by, a.detail->>'of' FROM break_glass b
         JOIN audit_log a ON a.action = 'break-glass-acknowledge'
         WHERE b.id = $1",
    )
    .bind(glass)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(by, second.id);
    assert_eq!(of_actor, format!("user:{}", first.id));

    // The runtime role cannot rewrite or remove one.
    for statement in [
        "UPDATE break_glass SET reason = 'なかったことにする理由です'",
        "DELETE FROM break_glass",
    ] {
        let err = sqlx::query(statement).execute(&t.pool).await.unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{err}");
    }
    assert!(matches!(
        verify_chain(&t.pool).await.unwrap(),
        ChainReport::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn the_offer_the_banner_and_the_desks_list_as_a_browser_shows_them() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let everyone = Covers {
        desk: true,
        hospitals: true,
    };
    let (referral, _, _) = referral(&t, &clinic, everyone).await;
    let liaison = Person::create(&t, OrgKind::Hospital, "ikebukuro", Role::Liaison).await;
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin).await;
    let l = liaison.signed_in(&t.app).await;
    let a = admin.signed_in(&t.app).await;
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    let page = format!("{origin}/portal/referrals/{referral}");

    browser.sign_in_as(&origin, &l.token).await;
    browser.open(&page).await;
    browser.photograph("break-glass-offer.png").await;
    let granted = l
        .post(
            &t.app,
            &format!("/portal/referrals/{referral}/break-glass"),
            &[("reason", REASON)],
        )
        .await;
    assert_eq!(granted.status, 303);
    browser.open(&page).await;
    browser.photograph("break-glass-banner.png").await;
    browser.open(&format!("{origin}/portal/hospital")).await;
    browser.photograph("break-glass-banner-hospital.png").await;

    browser.sign_in_as(&origin, &a.token).await;
    browser.open(&format!("{origin}/portal/desk")).await;
    let shot = browser.photograph("break-glass-pending.png").await;
    println!("screenshots in {}", shot.parent().unwrap().display());
}
