//! Fills a data folder with a demo clinic: 60 patients and 150 referrals
//! with their histories and some replies, to try the board, the worklist
//! and the loop figures (and to take screenshots of them).
//!
//! `cargo run -p tsunagu-app --example demo_data -- <data folder>`, then
//! `TSUNAGU_DATA_DIR=<data folder> make run`. The key goes to the OS
//! keyring, as the app's own. Refuses a folder that already has a store.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods,
    clippy::exit,
    reason = "a benchmark or demo program: it stops at the first failure, reports on stdout and stamps data with the real clock"
)]

use tsunagu_testkit::referral_data;

use std::sync::Arc;

use chrono::{Days, Local, Utc};
use rand::Rng;
use tsunagu_app::{
    AccountInput, App, ClinicDraft, KeyringKeys, ReplyDraft, StoreLocation, SystemClock,
};

/// The demo store's administrator, printed at the end to sign in with.
const DEMO_LOGIN: &str = "demo";
const DEMO_PASSWORD: &str = "demo-password-2026";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: demo_data <data folder>");
        std::process::exit(2);
    };
    let location = StoreLocation::new(&dir);
    if location.exists() {
        eprintln!("{dir} already holds a store; choose an empty folder");
        std::process::exit(1);
    }
    // The demo store's key goes where the app will look for it: the OS
    // keyring. Without one there is nowhere to keep it, so say what is
    // needed instead of failing with a backtrace.
    if let Err(e) = KeyringKeys::check_available() {
        eprintln!(
            "demo_data needs the OS keyring (a Secret Service such as gnome-keyring \
             on Linux) to keep the demo store's key, as the app does: {e}\n\
             Start one in your desktop session, or try it in a throwaway session:\n  \
             dbus-run-session -- scripts/test-session.sh sh -c \
             'cargo run -p tsunagu-app --example demo_data -- {dir} && \
             TSUNAGU_DATA_DIR={dir} make run'"
        );
        std::process::exit(1);
    }
    let app = match App::open(
        &location,
        &KeyringKeys::default(),
        Arc::new(SystemClock),
        "demo",
    )
    .await
    {
        Ok(app) => app,
        Err(e) => {
            eprintln!("could not open the demo store in {dir}: {e}");
            std::process::exit(1);
        }
    };
    // The desktop asks for an account: the demo's administrator (a doctor).
    app.create_first_account(&AccountInput {
        login: DEMO_LOGIN.into(),
        display_name: "佐藤　花子".into(),
        role: "doctor".into(),
        is_admin: true,
        password: DEMO_PASSWORD.into(),
    })
    .await
    .expect("the demo administrator");
    app.save_clinic_profile(&ClinicDraft {
        name: "さくら内科クリニック".into(),
        institution_code: String::new(),
        postal_code: "171-0022".into(),
        address: "東京都豊島区南池袋2-10-5".into(),
        phone: "03-1234-5678".into(),
        fax: String::new(),
        doctor_name: "佐藤　花子".into(),
    })
    .await
    .expect("clinic");
    let today = Local::now().date_naive();
    let mut rng = referral_data::rng(7);
    let store = app.store().clone();
    let patients = referral_data::patients(&store, 60, &mut rng, today).await;
    let mut batch = Vec::new();
    for _ in 0..150 {
        let patient = patients[rng.random_range(0..patients.len())];
        let sent = today - Days::new(rng.random_range(0..400));
        let target = if rng.random_ratio(1, 8) {
            1
        } else {
            rng.random_range(2..8)
        };
        batch.push(referral_data::referral(
            patient, sent, target, today, &mut rng,
        ));
    }
    store.import_referrals(&batch).await.expect("referrals");
    let mut replies = 0;
    for r in &batch {
        let view = app.referral(&r.id.to_string()).await.expect("referral");
        if view.events.len() > 2 && rng.random_ratio(1, 2) {
            let received = view.last_news.min(today);
            app.record_reply(
                &r.id.to_string(),
                &ReplyDraft {
                    received_on: received.to_string(),
                    initial_diagnosis: "心不全疑い".into(),
                    final_diagnosis: "慢性心不全急性増悪".into(),
                    treatment: "利尿薬の静注".into(),
                    recommendations: "外来で体重と浮腫の確認をお願いします".into(),
                    medication_changes: "フロセミド20mg 朝1回を追加".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("reply");
            replies += 1;
        }
    }
    println!(
        "demo data in {dir}: 60 patients, 150 referrals, {replies} replies ({}); \
         sign in as {DEMO_LOGIN} / {DEMO_PASSWORD}",
        Utc::now()
    );
    app.close().await;
}
