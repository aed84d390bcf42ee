//! Attempt limits that hold under simultaneous attempts (issue 15): every
//! password, second-factor code, old password, tracking code and
//! enrollment code is counted before it is tried, so a burst of guesses
//! at once is evaluated no more often than the limit allows. Failed
//! sign-ins make the next attempt wait longer each time, never a
//! lock-out, and the desk's administrator can clear them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;

use std::collections::HashMap;

use common::*;
use portal_visitor::*;
use tsunagu_protocol::OrgKind;
use tsunagu_server::portal::{MAX_LOGIN_FAILURES, MAX_LOOKUP_MISSES};
use tsunagu_server::users::Role;

/// At most `limit` of `n` simultaneous attempts were evaluated (answered
/// `evaluated`); the others were told to wait (429) or that the server was
/// busy (503: not tried, so not counted).
fn at_most_evaluated(answers: &HashMap<u16, usize>, evaluated: &[u16], limit: i64, n: usize) {
    let count = |statuses: &[u16]| -> usize {
        statuses
            .iter()
            .map(|s| answers.get(s).copied().unwrap_or(0))
            .sum()
    };
    let tried = count(evaluated);
    assert!(tried <= limit as usize, "{tried} evaluated: {answers:?}");
    assert_eq!(tried + count(&[429, 503]), n, "{answers:?}");
}

/// Runs `n` requests at once; how many answered each status.
async fn at_once<F, Fut>(n: usize, request: F) -> HashMap<u16, usize>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = u16> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        set.spawn(request(i));
    }
    let mut counts = HashMap::new();
    while let Some(status) = set.join_next().await {
        *counts.entry(status.unwrap()).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_wrong_passwords_are_evaluated_at_most_the_allowed_number() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let csrf = login_csrf(&t.app).await;
    let answers = at_once(40, |_| {
        let (app, csrf) = (t.app.clone(), csrf.clone());
        let login = person.login.clone();
        async move {
            post_login(&app, &csrf, &login, "not the password")
                .await
                .status
        }
    })
    .await;
    at_most_evaluated(&answers, &[401], MAX_LOGIN_FAILURES, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_second_factor_guesses_are_evaluated_at_most_the_allowed_number() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    // Ten browsers past the password, then ten guesses from each at once.
    let mut sessions = Vec::new();
    for _ in 0..10 {
        sessions.push(person.past_password(&t.app).await);
    }
    let wrong = person.wrong_code();
    let answers = at_once(100, |i| {
        let (app, session) = (t.app.clone(), sessions[i % 10].clone());
        let wrong = wrong.clone();
        async move {
            session
                .post(&app, "/portal/second-factor", &[("code", &wrong)])
                .await
                .status
        }
    })
    .await;
    at_most_evaluated(&answers, &[401], MAX_LOGIN_FAILURES, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_second_factor_attempt_at_a_time_per_session() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let session = person.past_password(&t.app).await;
    // A check in flight (as if another request were checking a code now).
    sqlx::query("UPDATE portal_sessions SET factor_attempt_since = now()")
        .execute(&t.owner)
        .await
        .unwrap();
    let page = session
        .post(&t.app, "/portal/second-factor", &[("code", &person.code())])
        .await;
    assert_eq!(page.status, 429);
    assert!(
        page.body.contains("確認コードを確かめています"),
        "{}",
        page.body
    );
    // Once it is over, the right code signs in.
    sqlx::query("UPDATE portal_sessions SET factor_attempt_since = NULL")
        .execute(&t.owner)
        .await
        .unwrap();
    let page = session
        .post(&t.app, "/portal/second-factor", &[("code", &person.code())])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_tracking_code_guesses_are_evaluated_at_most_the_allowed_number() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let session = person.signed_in(&t.app).await;
    let answers = at_once(30, |i| {
        let (app, session) = (t.app.clone(), session.clone());
        async move {
            let code = format!("ZZZ-ZZZ-Z{:02}", i % 100).replace('0', "A");
            session
                .post(&app, "/portal/lookup", &[("code", &code)])
                .await
                .status
        }
    })
    .await;
    at_most_evaluated(&answers, &[404], MAX_LOOKUP_MISSES, 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_enrollment_codes_are_evaluated_at_most_the_allowed_number() {
    let t = server().await;
    let answers = at_once(30, |i| {
        let app = t.app.clone();
        async move {
            let body = serde_json::json!({
                "version": tsunagu_protocol::PROTOCOL_VERSION,
                "code": format!("AAAA-BBBB-CCCC-{i:04}"),
                "device_name": "PC1",
            });
            send(&app, "POST", "/v1/enroll", &[], body.to_string())
                .await
                .status
        }
    })
    .await;
    at_most_evaluated(
        &answers,
        &[400, 401, 403, 404],
        tsunagu_server::api::MAX_ENROLL_FAILURES,
        30,
    );
}

/// Moves every counted sign-in failure `seconds` into the past.
async fn age_failures(t: &TestServer, seconds: i32) {
    sqlx::query("UPDATE login_failures SET at = at - make_interval(secs => $1)")
        .bind(seconds as f64)
        .execute(&t.owner)
        .await
        .unwrap();
}

/// Told to wait `seconds`, less the moments the test itself took.
fn waits_about(page: &Page, seconds: u64) {
    let told = page.retry_after.expect("a Retry-After");
    assert!(
        (seconds.saturating_sub(10)..=seconds).contains(&told),
        "told {told} s, expected about {seconds}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_make_the_next_wait_longer_each_time_but_never_lock_out() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let csrf = login_csrf(&t.app).await;
    for _ in 0..MAX_LOGIN_FAILURES {
        let page = post_login(&t.app, &csrf, &person.login, "wrong").await;
        assert_eq!(page.status, 401);
    }
    // Even the right password waits, and is told how long.
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    assert_eq!(page.status, 429);
    waits_about(&page, 30);
    assert!(page.body.contains("秒ほど"), "{}", page.body);
    // Once waited, one more try; a wrong one doubles the wait.
    age_failures(&t, 31).await;
    let page = post_login(&t.app, &csrf, &person.login, "wrong").await;
    assert_eq!(page.status, 401);
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    assert_eq!(page.status, 429);
    waits_about(&page, 60);
    // However many failures, the wait stops growing at the cap; then the
    // right password gets in.
    sqlx::query("INSERT INTO login_failures (login, address) SELECT $1, '198.51.100.7' FROM generate_series(1, 50)")
        .bind(&person.login)
        .execute(&t.owner)
        .await
        .unwrap();
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    waits_about(&page, tsunagu_server::portal::MAX_WAIT_SECONDS as u64);
    age_failures(&t, tsunagu_server::portal::MAX_WAIT_SECONDS as i32 + 1).await;
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    assert_eq!(page.status, 303, "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_administrator_clears_a_login_s_failures() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let admin = Person::create(&t, OrgKind::Desk, "admin.ito", Role::Admin).await;
    let admin_session = admin.signed_in(&t.app).await;
    let csrf = login_csrf(&t.app).await;
    for _ in 0..MAX_LOGIN_FAILURES {
        post_login(&t.app, &csrf, &person.login, "wrong").await;
    }
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    assert_eq!(page.status, 429);
    // The administrator sees the login waiting, and clears it.
    let page = admin_session.get(&t.app, "/portal/admin/users").await;
    assert!(page.body.contains("サインイン待機中"), "{}", page.body);
    let page = admin_session
        .post(
            &t.app,
            &format!("/portal/admin/users/{}/reset", person.id),
            &[("action", "unlock")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = post_login(&t.app, &csrf, &person.login, &person.password).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'unlock-sign-in' AND entity_id = $1",
    )
    .bind(person.id.to_string())
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // A liaison officer may not.
    let session = person.signed_in(&t.app).await;
    let page = session
        .post(
            &t.app,
            &format!("/portal/admin/users/{}/reset", admin.id),
            &[("action", "unlock")],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_password_counts_wrong_old_passwords() {
    let t = server().await;
    let person = Person::create(&t, OrgKind::Hospital, "liaison.a", Role::Liaison).await;
    let session = person.signed_in(&t.app).await;
    let change = |current: &'static str| {
        let (app, session) = (t.app.clone(), session.clone());
        async move {
            session
                .post(
                    &app,
                    "/portal/password",
                    &[
                        ("current", current),
                        ("new", "a brand new password"),
                        ("confirm", "a brand new password"),
                    ],
                )
                .await
        }
    };
    let answers = at_once(20, |_| {
        let change = change("not my password");
        async move { change.await.status }
    })
    .await;
    at_most_evaluated(&answers, &[422], MAX_LOGIN_FAILURES, 20);
    // Those the busy server did not try did not count: the limit is
    // reached within the failures left, and then the old password waits.
    let mut statuses = Vec::new();
    for _ in 0..=MAX_LOGIN_FAILURES {
        let status = change("not my password").await.status;
        statuses.push(status);
        if status == 429 {
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}
