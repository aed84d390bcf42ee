//! Organisations of every kind (issue 16, ADR 0021) on a real PostgreSQL,
//! through the portal as a browser drives it: the desk registers any kind
//! (and the command line's service does); devices enroll for clinics,
//! hospitals and the desk only, and clinics' feeds list hospitals only;
//! an organisation's administrator creates staff accounts in its own
//! organisation only, each waiting for the desk's administrator; audited,
//! the hash chain whole.

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

use common::*;
use portal_visitor::*;
use serde_json::json;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OrgKind, PROTOCOL_VERSION};
use tsunagu_server::admin::{
    CodeError, NewOrganisation, issue_enrollment_code, register_organisation,
};
use tsunagu_server::audit::{ChainReport, verify_chain};
use tsunagu_server::users::Role;
use uuid::Uuid;

async fn organisation(t: &TestServer, kind: OrganisationKind, name: &str) -> Uuid {
    let new = NewOrganisation {
        kind,
        name,
        requires_approval: false,
        phone: "",
        fax: "",
    };
    register_organisation(&t.pool, &new, "admin:test")
        .await
        .unwrap()
        .id
}

async fn count(t: &TestServer, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.owner).await.unwrap()
}

async fn actions(t: &TestServer, entity: Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq")
        .bind(entity.to_string())
        .fetch_all(&t.owner)
        .await
        .unwrap()
}

/// The text between `<code … id="{id}" …>` and `</code>`.
fn code_text(page: &Page, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = page.body.find(&marker).expect("the code on the page");
    let start = at + page.body[at..].find('>').unwrap() + 1;
    let end = start + page.body[start..].find('<').unwrap();
    page.body[start..end].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_registers_every_kind_in_the_portal_and_from_the_command_line() {
    let t = server().await;
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin).await;
    let a = admin.signed_in(&t.app).await;
    let form = a.get(&t.app, "/portal/admin").await;
    assert_eq!(form.status, 200);
    for kind in OrganisationKind::ALL {
        let offered = form.body.contains(&format!("value=\"{}\"", kind.code()));
        assert_eq!(offered, kind != OrganisationKind::Desk, "{kind:?}");
        if kind == OrganisationKind::Desk {
            continue;
        }
        assert!(form.body.contains(kind.label_ja()), "{kind:?}");
        let name = format!("ポータル{}", kind.label_ja());
        let page = a
            .post(
                &t.app,
                "/portal/admin",
                &[
                    ("kind", kind.code()),
                    ("name", &name),
                    ("requires_approval", "on"),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{kind:?}: {}", page.body);
    }
    // The desk is made once, by `admin bootstrap`; nonsense is refused.
    for kind in ["desk", "shrine", ""] {
        let page = a
            .post(&t.app, "/portal/admin", &[("kind", kind), ("name", "x")])
            .await;
        assert_eq!(page.status, 422, "{kind}");
    }
    // The command line's service registers all ten.
    for kind in OrganisationKind::ALL {
        let name = format!("CLI{}", kind.label_ja());
        organisation(&t, kind, &name).await;
    }
    for kind in OrganisationKind::ALL {
        let stored: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM organisations WHERE kind = $1 AND name LIKE '%' || $2",
        )
        .bind(kind.code())
        .bind(kind.label_ja())
        .fetch_one(&t.owner)
        .await
        .unwrap();
        let expected = if kind == OrganisationKind::Desk { 1 } else { 2 };
        assert_eq!(stored, expected, "{kind:?}");
    }
    let approving = count(
        &t,
        "SELECT count(*) FROM organisations WHERE requires_approval",
    )
    .await;
    assert_eq!(approving, 9);
    let list = a.get(&t.app, "/portal/admin").await;
    assert!(list.body.contains("ポータル訪問看護ステーション"));
    assert!(list.body.contains("チーム参加は機関の管理者が承認"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_enroll_for_clinics_hospitals_and_the_desk_and_clinics_list_only_hospitals() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let station = organisation(&t, OrganisationKind::VisitingNurseStation, "みどり訪問看護").await;
    match issue_enrollment_code(&t.pool, station, "admin:test", chrono::Utc::now()).await {
        Err(CodeError::NoDevices(OrganisationKind::VisitingNurseStation)) => {}
        other => panic!("{other:?}"),
    }
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin).await;
    let a = admin.signed_in(&t.app).await;
    let organisations = a.get(&t.app, "/portal/admin").await;
    let page = a
        .post(
            &t.app,
            "/portal/admin/codes",
            &[("organisation_id", &station.to_string())],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body
            .contains("訪問看護ステーションには端末の登録コードを発行できません"),
        "{}",
        page.body
    );
    assert_eq!(count(&t, "SELECT count(*) FROM enrollment_codes").await, 1);
    // The list offers codes for the clinic only (the station shows none).
    assert_eq!(
        organisations.body.matches("端末の登録コードを発行").count(),
        1
    );

    for kind in OrganisationKind::ALL {
        if !matches!(kind, OrganisationKind::Desk | OrganisationKind::Clinic) {
            organisation(&t, kind, &format!("新しい{}", kind.label_ja())).await;
        }
    }
    let (status, feed) = t
        .post_json(
            "/v1/pull",
            Some(&clinic),
            json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 100}),
        )
        .await;
    assert_eq!(status, 200, "{feed}");
    let listed: Vec<(String, String)> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["body"]["change"] == "organisation_listed")
        .map(|c| {
            let o = &c["body"]["organisation"];
            (
                o["kind"].as_str().unwrap().to_string(),
                o["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![("hospital".to_string(), "新しい病院".to_string())]
    );
    // Older desktops (v2) read the same feed.
    let (status, old) = t
        .post_json(
            "/v1/pull",
            Some(&clinic),
            json!({"version": 2, "cursor": 0, "limit": 100}),
        )
        .await;
    assert_eq!(status, 200, "{old}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nurse_made_by_her_stations_administrator_waits_for_the_desk_then_signs_in() {
    let t = server().await;
    let station = organisation(&t, OrganisationKind::VisitingNurseStation, "みどり訪問看護").await;
    let boss = Person::of(
        &t,
        station,
        "midori-kanri",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let b = boss.signed_in(&t.app).await;
    let home = b.get(&t.app, "/portal").await;
    assert_eq!(home.location.as_deref(), Some("/portal/teams"));
    let staff_path = format!("/portal/organisations/{station}/staff");
    let staff = b.get(&t.app, &staff_path).await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    assert!(staff.body.contains("理学療法士・作業療法士・言語聴覚士"));
    let created = b
        .post(
            &t.app,
            &staff_path,
            &[
                ("profession", "nurse"),
                ("display_name", "訪問 看子"),
                ("login", "kango"),
            ],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let password = code_text(&created, "shown-once");
    let nurse: Uuid = sqlx::query_scalar(
        "SELECT id FROM users WHERE login = 'kango' AND approval = 'pending'
           AND role = 'staff' AND profession = 'nurse' AND organisation_id = $1",
    )
    .bind(station)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let staff = b.get(&t.app, &staff_path).await;
    assert!(staff.body.contains("訪問 看子") && staff.body.contains("承認待ち"));

    // Pending: the right password is told to wait; no session starts.
    let csrf = login_csrf(&t.app).await;
    let refused = post_login(&t.app, &csrf, "kango", &password).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("相談窓口の承認待ちです"));
    assert!(refused.cookie("tsunagu_session").is_none());
    let wrong = post_login(&t.app, &csrf, "kango", "not the password").await;
    assert_eq!(
        wrong.status, 401,
        "a wrong password says nothing of the approval"
    );

    // The desk's staff may not approve; its administrator does.
    let desk = Person::create(&t, OrgKind::Desk, "madoguchi", Role::Desk).await;
    let d = desk.signed_in(&t.app).await;
    let approval = format!("/portal/admin/users/{nurse}/approval");
    let page = d.post(&t.app, &approval, &[("decision", "approve")]).await;
    assert_eq!(page.status, 403);
    let admin = Person::of(
        &t,
        desk_of(&t).await,
        "kanri",
        Role::Admin,
        Profession::Nurse,
    )
    .await;
    let a = admin.signed_in(&t.app).await;
    let accounts = a.get(&t.app, "/portal/admin/users").await;
    assert!(
        accounts.body.contains("承認待ちのアカウント（1件）"),
        "{}",
        accounts.body
    );
    let page = a.post(&t.app, &approval, &[("decision", "approve")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let again = a.post(&t.app, &approval, &[("decision", "reject")]).await;
    assert_eq!(again.status, 422, "decided once");

    // The first sign-in: the second factor set up, the password changed.
    let csrf = login_csrf(&t.app).await;
    let signed = post_login(&t.app, &csrf, "kango", &password).await;
    assert_eq!(
        signed.location.as_deref(),
        Some("/portal/second-factor/setup")
    );
    let session = Session {
        token: signed.cookie("tsunagu_session").unwrap(),
        csrf: String::new(),
    };
    let setup = session.get(&t.app, "/portal/second-factor/setup").await;
    let secret: String = code_text(&setup, "totp-secret")
        .split_whitespace()
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = tsunagu_server::portal::current_code(&secret, "kango", now).unwrap();
    let session = Session {
        csrf: setup.csrf(),
        ..session
    };
    let done = session
        .post(&t.app, "/portal/second-factor/setup", &[("code", &code)])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let session = Session {
        token: done.cookie("tsunagu_session").unwrap(),
        csrf: String::new(),
    };
    let first = session.get(&t.app, "/portal").await;
    assert_eq!(first.location.as_deref(), Some("/portal/password"));
    let form = session.get(&t.app, "/portal/password").await;
    let session = Session {
        csrf: form.csrf(),
        ..session
    };
    let new = "a long new password of her own";
    let changed = session
        .post(
            &t.app,
            "/portal/password",
            &[("current", &password), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let home = session.get(&t.app, "/portal").await;
    assert_eq!(home.location.as_deref(), Some("/portal/teams"));
    let teams = session.get(&t.app, "/portal/teams").await;
    assert_eq!(teams.status, 200);
    assert!(
        teams
            .body
            .contains("参加している在宅チームはまだありません")
    );
    assert!(teams.body.contains("みどり訪問看護"));
    // Nothing of patients, and not the staff page (she is no administrator).
    for path in [
        "/portal/hospital",
        "/portal/desk",
        "/portal/admin/users",
        &staff_path,
    ] {
        let page = session.get(&t.app, path).await;
        assert_eq!(page.status, 403, "{path}");
    }

    assert_eq!(
        actions(&t, nurse).await[..3],
        ["create-staff", "approve", "sign-in-password"]
    );
    let by: String = sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE action = 'create-staff' AND entity_id = $1",
    )
    .bind(nurse.to_string())
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(by, format!("user:{}", boss.id));
    assert!(matches!(
        verify_chain(&t.pool).await.unwrap(),
        ChainReport::Intact { .. }
    ));
}

async fn desk_of(t: &TestServer) -> Uuid {
    sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'desk' LIMIT 1")
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisations_administrator_reaches_no_other_organisation_and_no_referral() {
    let t = server().await;
    let a_org = organisation(&t, OrganisationKind::Pharmacy, "ひかり薬局").await;
    let b_org = organisation(&t, OrganisationKind::CareManagementOffice, "あおぞら居宅").await;
    let a_boss = Person::of(&t, a_org, "hikari-kanri", Role::OrgAdmin, Profession::Nurse).await;
    let _b_boss = Person::of(&t, b_org, "aozora-kanri", Role::OrgAdmin, Profession::Nurse).await;
    let a = a_boss.signed_in(&t.app).await;
    let users_before = count(&t, "SELECT count(*) FROM users").await;
    let audit_before = count(&t, "SELECT coalesce(max(seq), 0) FROM audit_log").await;

    let b_staff = format!("/portal/organisations/{b_org}/staff");
    let listed = a.get(&t.app, &b_staff).await;
    assert_eq!(listed.status, 403);
    assert!(!listed.body.contains("aozora-kanri"));
    let created = a
        .post(
            &t.app,
            &b_staff,
            &[
                ("profession", "care_manager"),
                ("display_name", "侵入 太郎"),
                ("login", "intruder"),
            ],
        )
        .await;
    assert_eq!(created.status, 403);
    // Nor the desk's pages, nor a referral's.
    let gone = Uuid::now_v7();
    for path in [
        "/portal/admin".to_string(),
        "/portal/admin/users".to_string(),
        "/portal/desk".to_string(),
        "/portal/hospital".to_string(),
        format!("/portal/referrals/{gone}"),
    ] {
        assert_eq!(a.get(&t.app, &path).await.status, 403, "{path}");
    }
    let lookup = a
        .post(&t.app, "/portal/lookup", &[("code", "7KQ-M4T-Z9X")])
        .await;
    assert_eq!(lookup.status, 403);
    let approve = a
        .post(
            &t.app,
            &format!("/portal/admin/users/{}/approval", a_boss.id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approve.status, 403);
    // Without the form's token, not even its own organisation.
    let own = format!("/portal/organisations/{a_org}/staff");
    let forged = send(
        &t.app,
        "POST",
        &own,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &format!("tsunagu_session={}", a.token)),
        ],
        form(&[
            ("profession", "clerk"),
            ("display_name", "偽 物"),
            ("login", "forged"),
        ]),
    )
    .await;
    assert_eq!(forged.status, 403);
    assert_eq!(count(&t, "SELECT count(*) FROM users").await, users_before);
    // Only the sign-ins' and nothing else's rows were written.
    let written: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE seq > $1 ORDER BY seq")
            .bind(audit_before)
            .fetch_all(&t.owner)
            .await
            .unwrap();
    assert!(
        written.iter().all(|a| a != "create-staff" && a != "create"),
        "{written:?}"
    );

    // Its own organisation: yes, pending.
    let page = a
        .post(
            &t.app,
            &own,
            &[
                ("profession", "pharmacist"),
                ("display_name", "薬 剤子"),
                ("login", "yakuzai"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let listed = a.get(&t.app, &own).await;
    assert!(listed.body.contains("yakuzai") && !listed.body.contains("aozora-kanri"));
    assert_eq!(
        count(&t, "SELECT count(*) FROM users WHERE approval = 'pending'").await,
        1
    );
}

/// The registration form's kinds, an organisation administrator's 職員
/// page and the desk's 承認待ち list, as Chromium shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn the_kinds_the_staff_page_and_the_pending_list_as_a_browser_shows_them() {
    let t = server().await;
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin).await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
    )
    .await;
    organisation(&t, OrganisationKind::Hospital, "豊島中央病院").await;
    let boss = Person::of(
        &t,
        station,
        "midori-kanri",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let b = boss.signed_in(&t.app).await;
    let staff_path = format!("/portal/organisations/{station}/staff");
    for (profession, name, login) in [
        ("nurse", "訪問 看子", "kango"),
        ("therapist", "理学 療法", "rigaku"),
        ("clerk", "事務 花子", "jimu"),
    ] {
        let page = b
            .post(
                &t.app,
                &staff_path,
                &[
                    ("profession", profession),
                    ("display_name", name),
                    ("login", login),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
    }
    let a = admin.signed_in(&t.app).await;
    let rigaku: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE login = 'rigaku'")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    let approved = a
        .post(
            &t.app,
            &format!("/portal/admin/users/{rigaku}/approval"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303);
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &a.token).await;
    browser.open(&format!("{origin}/portal/admin")).await;
    browser.photograph("organisations-register.png").await;
    browser.open(&format!("{origin}/portal/admin/users")).await;
    browser.photograph("accounts-pending.png").await;
    browser.sign_in_as(&origin, &b.token).await;
    browser.open(&format!("{origin}{staff_path}")).await;
    let shot = browser.photograph("organisation-staff.png").await;
    println!("screenshots in {}", shot.parent().unwrap().display());
}
