//! Portal accounts from the admin command line: the desk's first
//! administrator, liaison officers of hospitals, and what is refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::server;
use tsunagu_protocol::OrgKind;
use tsunagu_server::admin;
use tsunagu_server::users::{Role, UserError, bootstrap_desk, create_user, verify_password};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_admin_then_liaison_officers_with_argon2id_passwords() {
    let t = server().await;
    let (desk, admin_user) = bootstrap_desk(
        &t.pool,
        "豊島区在宅医療相談窓口",
        "Admin.Sato",
        "佐藤 一郎",
        "admin:test",
    )
    .await
    .unwrap();
    assert_eq!(desk.kind, OrgKind::Desk);
    assert_eq!(admin_user.login, "admin.sato", "logins are lower-cased");
    let (hash, role, must_change): (String, String, bool) =
        sqlx::query_as("SELECT password_hash, role, must_change_password FROM users WHERE id = $1")
            .bind(admin_user.id)
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(verify_password(&admin_user.initial_password, &hash));
    assert!(!hash.contains(&admin_user.initial_password));
    assert_eq!((role.as_str(), must_change), ("admin", true));

    let hospital =
        admin::create_organisation(&t.pool, OrgKind::Hospital, "豊島中央病院", "admin:test")
            .await
            .unwrap();
    let liaison = create_user(
        &t.pool,
        hospital.id,
        "yamamoto",
        "山本 花子",
        Role::Liaison,
        "admin:test",
    )
    .await
    .unwrap();

    // What an administrator may get wrong.
    let refused = [
        create_user(
            &t.pool,
            hospital.id,
            "tanaka",
            "田中",
            Role::Desk,
            "admin:test",
        )
        .await,
        create_user(
            &t.pool,
            desk.id,
            "tanaka",
            "田中",
            Role::Liaison,
            "admin:test",
        )
        .await,
        create_user(
            &t.pool,
            hospital.id,
            "yamamoto",
            "山本 次郎",
            Role::Liaison,
            "admin:test",
        )
        .await,
        create_user(
            &t.pool,
            hospital.id,
            "山本",
            "山本",
            Role::Liaison,
            "admin:test",
        )
        .await,
        create_user(
            &t.pool,
            hospital.id,
            "ok-login",
            " ",
            Role::Liaison,
            "admin:test",
        )
        .await,
        create_user(
            &t.pool,
            uuid::Uuid::now_v7(),
            "tanaka",
            "田中",
            Role::Liaison,
            "admin:test",
        )
        .await,
    ];
    assert!(matches!(refused[0], Err(UserError::RoleDoesNotFit { .. })));
    assert!(matches!(refused[1], Err(UserError::RoleDoesNotFit { .. })));
    assert!(matches!(refused[2], Err(UserError::LoginTaken)));
    assert!(matches!(refused[3], Err(UserError::BadLogin)));
    assert!(matches!(refused[4], Err(UserError::BadName)));
    assert!(matches!(refused[5], Err(UserError::NoOrganisation)));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(count, 2);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE entity_kind = 'user' AND action = 'create'
         AND entity_id IN ($1, $2)",
    )
    .bind(admin_user.id.to_string())
    .bind(liaison.id.to_string())
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}
