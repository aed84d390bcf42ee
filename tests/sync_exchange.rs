//! The desktop core syncing with a real regional server on a real
//! PostgreSQL, through the real keyring: consent gating what is shared,
//! news from the desk reaching the board and the worklist, conflicts,
//! a reinstalled device, and faults — connections cut mid-push and
//! mid-pull, the server crashed and restarted, days offline, a clinic
//! clock hours wrong, two clinics and the desk writing at once. After
//! each, both sides hold the same referrals and events, once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a test fails by panicking; it runs against the real clock; its notes go to the test output"
)]

mod support;

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tsunagu_app::{App, BoardFilter, EventInput, TeamSharingConsentDraft};
use tsunagu_domain::ConsentScope;
use tsunagu_protocol::OrgKind;
use uuid::Uuid;

use support::clinic::{clinic_app, consent, keyring};
use support::region::{CuttingProxy, Durability, Region};
use tsunagu_testkit::fixtures as common;

fn event(status: &str, date: &str) -> EventInput {
    EventInput {
        status: status.into(),
        date: date.into(),
        ..EventInput::default()
    }
}

fn desk_event(referral: &str, details: Value) -> Value {
    json!({
        "op": "event_appended",
        "referral_id": referral,
        "event": {"id": Uuid::now_v7(), "details": details, "voids": null, "note": ""}
    })
}

/// Every (referral, event) this install holds, sorted.
async fn local_events(app: &App) -> Vec<(String, String)> {
    let mut events = Vec::new();
    let mut page = 0;
    loop {
        let board = app
            .referral_board(&BoardFilter {
                scope: "all".into(),
                page,
                ..BoardFilter::default()
            })
            .await
            .unwrap();
        for row in &board.rows {
            let referral = app.referral(&row.referral_id.to_string()).await.unwrap();
            for e in referral.events {
                events.push((row.referral_id.to_string(), e.id.to_string()));
            }
        }
        if (page + 1) * board.page_size >= board.total as u32 {
            break;
        }
        page += 1;
    }
    events.sort();
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn consent_decides_what_is_shared_and_news_from_the_desk_reaches_the_board() {
    let day = || common::today().to_string();
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let desk_org = region.organisation(OrgKind::Desk, "在宅医療相談窓口").await;
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;

    let patient = common::create(app, &common::yamada()).await;
    let patient_id = patient.id.to_string();
    let referral = common::refer(app, &patient_id, "豊島中央病院").await;

    // No consent: nothing about the patient leaves the clinic.
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.pushed, 0);
    assert_eq!(region.count("SELECT count(*) FROM patients").await, 0);
    assert_eq!(region.count("SELECT count(*) FROM referrals").await, 0);
    let state = app.sync_state().await.unwrap().unwrap();
    assert_eq!((state.pending, state.refused), (0, 0));
    assert!(state.last_synced_at.is_some() && state.last_error.is_none());

    // Consent recorded: the patient, the consent and the referral go.
    let err = app
        .save_consent(&patient_id, None, &consent(false, false, ""))
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "scope");
    let given = app
        .save_consent(&patient_id, None, &consent(true, true, ""))
        .await
        .unwrap();
    assert!(given.in_force);
    assert_eq!(app.sync_state().await.unwrap().unwrap().pending, 3);
    let report = app.sync_now().await.unwrap();
    assert_eq!((report.pushed, report.refused), (3, 0));
    assert_eq!(region.count("SELECT count(*) FROM referrals").await, 1);
    assert_eq!(region.count("SELECT count(*) FROM consents").await, 1);
    // Referred before the directory came down: the desk is to assign it.
    let unaddressed =
        format!("SELECT count(*) FROM referrals WHERE id = '{referral}' AND hospital_id IS NULL");
    assert_eq!(region.count(&unaddressed).await, 1);

    // The first sync brought the registered hospitals: a letter to one of
    // them is addressed to its liaison office.
    let destinations = app.letter_destinations().await.unwrap();
    assert_eq!(destinations.registered, vec!["豊島中央病院".to_string()]);
    let second = common::refer(app, &patient_id, "豊島中央病院").await;
    assert_eq!(app.sync_now().await.unwrap().pushed, 1);
    let addressed = format!(
        "SELECT count(*) FROM referral_legs WHERE referral_id = '{second}' AND how = 'addressed'"
    );
    assert_eq!(region.count(&addressed).await, 1);

    // The desk assigns the unaddressed one to another registered
    // hospital: the physician sees where it went.
    let east = region.organisation(OrgKind::Hospital, "豊島東病院").await;
    let mut desk = region.raw_device(&desk_org).await;
    let assigned = desk
        .push(json!({"op": "referral_assigned", "referral_id": referral, "hospital_id": east.id}))
        .await;
    assert_eq!(assigned["outcome"], "applied", "{assigned}");
    app.sync_now().await.unwrap();
    let routed = app.referral(&referral).await.unwrap();
    assert_eq!(routed.routed_to.as_deref(), Some("豊島東病院"));
    assert_eq!(app.referral(&second).await.unwrap().routed_to, None);

    // The desk hears of the admission and tells the clinic.
    let admitted = desk
        .push(desk_event(
            &referral,
            json!({"status": "admitted", "date": day(), "ward": "5階東病棟", "attending": "鈴木"}),
        ))
        .await;
    assert_eq!(admitted["outcome"], "applied", "{admitted}");
    // Meanwhile, offline, the clinic cancels the referral: it no longer
    // fits what the server holds and is refused, visibly.
    app.record_referral_event(
        &referral,
        &EventInput {
            reason: "患者の希望".into(),
            ..event("cancelled", &day())
        },
    )
    .await
    .unwrap();
    let report = app.sync_now().await.unwrap();
    assert_eq!((report.pushed, report.refused, report.news), (1, 1, 1));
    let conflicts = app.sync_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].what, "経過の記録");
    assert_eq!(conflicts[0].patient_name, "山田　太郎");
    assert!(
        conflicts[0].reason.contains("記録できません"),
        "{conflicts:?}"
    );
    let view = app.referral(&referral).await.unwrap();
    assert_eq!(
        view.status,
        tsunagu_app::ReferralStatus::Admitted,
        "the server's history wins"
    );
    let where_now = view.where_now.label_ja();
    assert!(where_now.contains("入院"), "{where_now}");
    assert!(view.events.iter().any(|e| e.source == "地域連携窓口"));
    let cancelled = view
        .events
        .iter()
        .find(|e| e.title == "取消")
        .expect("the refused entry stays, shown as set aside");
    assert!(cancelled.set_aside && !cancelled.voided);

    // Discharged to another home-care doctor: on the board and the worklist.
    let discharged = desk
        .push(desk_event(
            &referral,
            json!({"status": "discharged", "date": day(),
                   "destination": {"kind": "other_home_care_doctor", "doctor": "池袋在宅クリニック 田中"}}),
        ))
        .await;
    assert_eq!(discharged["outcome"], "applied", "{discharged}");
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.news, 1);
    let board = app.referral_board(&BoardFilter::default()).await.unwrap();
    let row = board
        .rows
        .iter()
        .find(|r| r.referral_id.to_string() == referral)
        .unwrap();
    assert_eq!(row.status, tsunagu_app::ReferralStatus::Discharged);
    let worklist = app.worklist().await.unwrap();
    assert!(
        worklist.iter().any(|i| i.title == "自院以外へ退院しました"),
        "{worklist:?}"
    );
    assert!(!app.new_worklist_alerts().await.unwrap().is_empty());

    // Readmitted (the desk hears first) while the clinic, not yet synced,
    // records the patient back home: refused, and it stays refused even
    // when a later discharge would let it fit — both sides agree.
    let readmitted = desk
        .push(desk_event(
            &referral,
            json!({"status": "admitted", "date": day(), "ward": "3階西病棟", "attending": ""}),
        ))
        .await;
    assert_eq!(readmitted["outcome"], "applied", "{readmitted}");
    app.record_referral_event(&referral, &event("returned", &day()))
        .await
        .unwrap();
    assert_eq!(app.sync_now().await.unwrap().refused, 1);
    let discharged_again = desk
        .push(desk_event(
            &referral,
            json!({"status": "discharged", "date": day(),
                   "destination": {"kind": "other_home_care_doctor", "doctor": "池袋在宅クリニック 田中"}}),
        ))
        .await;
    assert_eq!(discharged_again["outcome"], "applied", "{discharged_again}");
    app.sync_now().await.unwrap();
    let view = app.referral(&referral).await.unwrap();
    assert_eq!(view.status, tsunagu_app::ReferralStatus::Discharged);
    let home = view
        .events
        .iter()
        .find(|e| e.title == "逆紹介・帰院")
        .expect("the refused entry stays in the history");
    assert!(home.set_aside);
    let board = app.referral_board(&BoardFilter::default()).await.unwrap();
    let row = board
        .rows
        .iter()
        .find(|r| r.referral_id.to_string() == referral)
        .unwrap();
    assert_eq!(
        row.status,
        tsunagu_app::ReferralStatus::Discharged,
        "the board agrees"
    );

    // A reinstalled device of the same clinic rebuilds from the feed.
    let second = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    second.app.sync_now().await.unwrap();
    let rebuilt = second.app.referral(&referral).await.unwrap();
    assert_eq!(rebuilt.patient_name, "山田　太郎");
    assert_eq!(rebuilt.status, tsunagu_app::ReferralStatus::Discharged);
    let server_events = region.events_of(&sakura).await;
    assert_eq!(local_events(&second.app).await, server_events);
    let hospitals = second.app.store().regional_organisations().await.unwrap();
    let names: Vec<&str> = hospitals.iter().map(|h| h.2.as_str()).collect();
    assert_eq!(names, ["豊島中央病院", "豊島東病院"]);
    // It knows the patient's consent from the feed, so what it records is
    // shared as the first device's would be.
    let known = second.app.consents(&patient_id).await.unwrap();
    assert_eq!(known.len(), 1, "{known:?}");
    second
        .app
        .record_referral_event(&referral, &event("returned", &day()))
        .await
        .unwrap();
    assert_eq!(second.app.sync_state().await.unwrap().unwrap().pending, 1);
    assert_eq!(second.app.sync_now().await.unwrap().refused, 0);
    assert_eq!(
        local_events(&second.app).await,
        region.events_of(&sakura).await
    );
    app.sync_now().await.unwrap();
    assert_eq!(
        app.referral(&referral).await.unwrap().status,
        tsunagu_app::ReferralStatus::Returned,
        "the first device hears what the second recorded"
    );

    // Consent withdrawn: the desk loses the referral, the clinic stops sending.
    app.save_consent(
        &patient_id,
        Some(&given.id.to_string()),
        &consent(true, true, &day()),
    )
    .await
    .unwrap();
    app.sync_now().await.unwrap();
    let refused = desk
        .push(desk_event(
            &referral,
            json!({"status": "closed", "date": day(), "reason": "終診"}),
        ))
        .await;
    assert_eq!(refused["outcome"], "refused", "{refused}");
    let seen = desk.pull_all().await;
    assert!(
        !seen
            .iter()
            .any(|c| c["body"]["referral_id"] == referral.as_str()),
        "the desk's feed no longer shows the referral"
    );
    app.record_referral_event(
        &referral,
        &EventInput {
            reason: "終診".into(),
            ..event("closed", &day())
        },
    )
    .await
    .unwrap();
    assert_eq!(app.sync_state().await.unwrap().unwrap().pending, 0);

    // Who changed and who read the referral, in the server's audit log.
    let audited = |action: &str| {
        format!(
            "SELECT count(*) FROM audit_log WHERE entity_kind = 'referral'
             AND entity_id = '{referral}' AND action = '{action}'"
        )
    };
    assert_eq!(region.count(&audited("append-event")).await, 6);
    // Reads are one row per pulled page, naming the referrals it held.
    let read = format!(
        "SELECT count(*) FROM audit_log WHERE action = 'read' AND '{referral}' = ANY(shown)"
    );
    assert!(region.count(&read).await >= 2);
}

/// Offline for days with hundreds of changes, then back through a link
/// that cuts connections at random, while the server crashes once and
/// another clinic and the desk write at the same time; the clinic's clock
/// is nine hours fast.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn cut_connections_a_crash_and_days_offline_lose_nothing_and_double_nothing() {
    let keys = keyring();
    let mut region = Region::start(Durability::Durable).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let kaede = region.organisation(OrgKind::Clinic, "かえで診療所").await;
    let desk_org = region.organisation(OrgKind::Desk, "在宅医療相談窓口").await;
    let proxy = CuttingProxy::start(region.server_address).await;
    let fast_clock = Utc::now() + Duration::hours(9);
    let day = || fast_clock.date_naive().to_string();
    let clinic = clinic_app(&keys, &region, &sakura, &proxy.url(), fast_clock).await;
    let other = clinic_app(&keys, &region, &kaede, &region.url(), common::now()).await;
    let app = &clinic.app;

    // Ten patients shared while online.
    let mut referrals = Vec::new();
    for i in 0..10 {
        referrals.push(refer_with_consent(app, i).await);
    }
    app.sync_now().await.unwrap();

    // Offline: every connection cut. Fifty more patients, and news on the
    // first ten, while the desk records on the other half of them.
    proxy.cut(100);
    for i in 10..60 {
        let referral = refer_with_consent(app, i).await;
        app.record_referral_event(&referral, &event("received", &day()))
            .await
            .unwrap();
        referrals.push(referral);
    }
    for referral in &referrals[..5] {
        app.record_referral_event(referral, &event("received", &day()))
            .await
            .unwrap();
        app.record_referral_event(referral, &event("visited", &day()))
            .await
            .unwrap();
    }
    let err = app.sync_now().await.unwrap_err();
    assert_eq!(err.code, tsunagu_app::ErrorCode::Network);
    let state = app.sync_state().await.unwrap().unwrap();
    assert_eq!(state.pending, 50 * 4 + 10);
    assert!(state.last_error.is_some());

    let mut desk = region.raw_device(&desk_org).await;
    for referral in &referrals[5..10] {
        let outcome = desk
            .push(desk_event(
                referral,
                json!({"status": "admitted", "date": day(), "ward": "", "attending": ""}),
            ))
            .await;
        assert_eq!(outcome["outcome"], "applied", "{outcome}");
    }

    // Back online through a bad link: the first eight connections are cut
    // for sure (mid-request or mid-answer), then a third of them. Once, the
    // server and its database crash in the middle of a sync. The other
    // clinic and the desk keep writing.
    proxy.cut_next(8);
    proxy.cut(35);
    let mut attempts = 0;
    let mut failures = 0;
    loop {
        attempts += 1;
        assert!(
            attempts < 300,
            "sync never completed through the cutting link"
        );
        let other_work = async {
            let referral = refer_with_consent(&other.app, attempts).await;
            other.app.sync_now().await.map(|_| referral)
        };
        let crash = async {
            if attempts == 10 {
                let delay = rand::random_range(0..40);
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                region.crash_and_restart().await;
            }
        };
        let (ours, theirs, ()) = tokio::join!(app.sync_now(), other_work, crash);
        failures += u32::from(ours.is_err());
        if let Ok(referral) = theirs {
            let outcome = desk
                .push(desk_event(
                    &referral,
                    json!({"status": "received", "date": day()}),
                ))
                .await;
            assert_eq!(outcome["outcome"], "applied", "{outcome}");
        }
        if attempts > 10 && ours.is_ok() && app.sync_state().await.unwrap().unwrap().pending == 0 {
            break;
        }
    }
    assert!(failures >= 8, "the link cut only {failures} syncs");
    proxy.cut(0);
    app.sync_now().await.unwrap();
    other.app.sync_now().await.unwrap();
    eprintln!("synced after {attempts} attempts through the cutting link, {failures} cut");

    let ours = local_events(app).await;
    assert_eq!(
        ours,
        region.events_of(&sakura).await,
        "same events on both sides"
    );
    let unique: BTreeSet<_> = ours.iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(unique.len(), ours.len(), "no event twice");
    // 60 sent, 50 + 2×5 received/visited, 5 admitted by the desk.
    assert_eq!(ours.len(), 60 + 50 + 10 + 5);
    assert_eq!(app.sync_state().await.unwrap().unwrap().refused, 0);
    assert_eq!(
        local_events(&other.app).await,
        region.events_of(&kaede).await
    );
    assert_eq!(
        region
            .count("SELECT count(*) FROM applied_ops WHERE result->>'outcome' = 'refused'")
            .await,
        0
    );
}

async fn refer_with_consent(app: &App, i: u32) -> String {
    let patient = common::create(
        app,
        &common::patient(
            &format!("患者　{i}"),
            "かんじゃ",
            "S30.1.1",
            &format!("C-{i}-{}", &Uuid::now_v7().simple().to_string()[24..]),
        ),
    )
    .await;
    let id = patient.id.to_string();
    let referral = common::refer(app, &id, "豊島中央病院").await;
    app.save_consent(&id, None, &consent(true, false, ""))
        .await
        .unwrap();
    referral
}

/// A clinic's app over a store file of the test's own (so that the test
/// can copy it, as a backup would, and open the copy later).
async fn app_over(path: &std::path::Path, key: [u8; 32], keys: &tsunagu_app::KeyringKeys) -> App {
    use tsunagu_store::{OpenMode, Store, StoreKey};
    let mode = if path.exists() {
        OpenMode::ExistingOnly
    } else {
        OpenMode::CreateNew
    };
    let store = Store::open_file(path, &StoreKey::from_bytes(key), mode)
        .await
        .unwrap();
    let clock = tsunagu_app::FixedClock {
        now: common::now(),
        today: common::today(),
    };
    App::with_store(store, std::sync::Arc::new(clock), "os:doctor").with_keyring(keys.clone())
}

/// The clinic's PC dies; its store comes back from a copy taken before its
/// last changes were sent. The restored store numbers its next operation
/// as one the server already applied: once answered "applied" and dropped
/// (the visit recorded after the restore never reached the region), now
/// refused as taken, numbered again and applied. The changes made after
/// the copy come back from the server's feed; nothing is lost or doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring: run `make test`"]
async fn a_store_restored_from_an_older_copy_loses_nothing_it_records_after() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("tsunagu.db");
    let key = [7u8; 32];
    let app = app_over(&live, key, &keys).await;
    common::save_clinic(&app).await;
    let code = region.enrollment_code(&sakura).await;
    app.enroll(&region.url(), &code, "診察室PC").await.unwrap();
    let patient = common::create(&app, &common::yamada()).await.id.to_string();
    let referral = common::refer(&app, &patient, "豊島中央病院").await;
    app.save_consent(&patient, None, &consent(true, true, ""))
        .await
        .unwrap();
    let day = common::today().to_string();
    app.record_referral_event(&referral, &event("received", &day))
        .await
        .unwrap();
    app.sync_now().await.unwrap();

    // The nightly copy; then a visit is recorded and sent.
    app.store().close().await;
    let copy = dir.path().join("copy.db");
    std::fs::copy(&live, &copy).unwrap();
    let app = app_over(&live, key, &keys).await;
    app.record_referral_event(&referral, &event("visited", &day))
        .await
        .unwrap();
    assert_eq!(app.sync_now().await.unwrap().refused, 0);
    app.store().close().await;

    // The copy comes back, and the physician records another visit.
    let restored = app_over(&copy, key, &keys).await;
    restored
        .record_referral_event(&referral, &event("visited", &day))
        .await
        .unwrap();
    let report = restored.sync_now().await.unwrap();
    assert_eq!(report.refused, 0, "{report:?}");
    let state = restored.sync_state().await.unwrap().unwrap();
    assert_eq!((state.pending, state.refused), (0, 0));

    let on_server = region.events_of(&sakura).await;
    assert_eq!(on_server.len(), 4, "sent, received and both visits");
    assert_eq!(local_events(&restored).await, on_server);
    // A second exchange finds nothing more to do.
    let again = restored.sync_now().await.unwrap();
    assert_eq!((again.pushed, again.refused), (0, 0));
    restored.store().close().await;
}

/// The region's server is restored from last night's dump: the clinic's
/// changes since then and the desk's note are gone from it, and its feed
/// numbers run again from an earlier point. Its new epoch stops the
/// clinic's next push before anything is applied (once, the push was
/// applied on top of the older state, and the pull treated the new feed
/// numbers as already seen); the clinic reads the feed from its start and
/// sends again all it holds, idempotently. Afterwards both sides hold the
/// same events, once, and news keeps arriving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring: run `make test`"]
async fn a_server_restored_from_a_dump_gets_back_what_the_clinic_holds() {
    let keys = keyring();
    let mut region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let desk_org = region.organisation(OrgKind::Desk, "在宅医療相談窓口").await;
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;
    let day = common::today().to_string();
    let patient = common::create(app, &common::yamada()).await.id.to_string();
    let referral = common::refer(app, &patient, "豊島中央病院").await;
    app.save_consent(&patient, None, &consent(true, true, ""))
        .await
        .unwrap();
    app.sync_now().await.unwrap();
    let mut desk = region.raw_device(&desk_org).await;

    let dumps = tempfile::tempdir().unwrap();
    let dump = region.backup(dumps.path());
    // After the dump: the hospital receives the patient (the clinic records
    // it) and the desk writes a note; both are synced.
    app.record_referral_event(&referral, &event("received", &day))
        .await
        .unwrap();
    let note = json!({"op": "event_appended", "referral_id": referral,
        "event": {"id": Uuid::now_v7(), "details": null, "voids": null, "note": "ご家族から連絡あり"}});
    assert_eq!(desk.push(note).await["outcome"], "applied");
    app.sync_now().await.unwrap();
    let before_restore = local_events(app).await;
    assert_eq!(before_restore.len(), 3);

    region.restore(&dump).await;
    assert_eq!(
        region.events_of(&sakura).await.len(),
        1,
        "only 紹介済 is left"
    );

    // The clinic records a visit: it must follow 受付済, which the restored
    // server has only once the clinic has sent it again.
    app.record_referral_event(&referral, &event("visited", &day))
        .await
        .unwrap();
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.refused, 0, "{report:?}");
    let state = app.sync_state().await.unwrap().unwrap();
    assert_eq!((state.pending, state.refused), (0, 0));
    let on_server = region.events_of(&sakura).await;
    // The desk's note was only on the server: it stays with the clinic.
    let mine: Vec<_> = local_events(app).await;
    assert_eq!(mine.len(), 4);
    assert_eq!(on_server.len(), 3, "sent, received, visited");
    assert!(on_server.iter().all(|e| mine.contains(e)));

    // News after the restore still reaches the clinic.
    let mut desk = region.raw_device(&desk_org).await;
    let later = json!({"op": "event_appended", "referral_id": referral,
        "event": {"id": Uuid::now_v7(), "details": null, "voids": null, "note": "訪問看護を手配しました"}});
    assert_eq!(desk.push(later).await["outcome"], "applied");
    let report = app.sync_now().await.unwrap();
    assert_eq!(report.news, 1, "{report:?}");
    assert_eq!(local_events(app).await.len(), 5);
}

/// Letters whose purpose runs to tens of thousands of characters (pasted
/// from a chart), forty of them waiting at once: once sent in one request
/// over the server's 4 MiB, refused whole, again at every sync — the outbox
/// stalled and nothing after them was ever sent. Now requests stay within
/// a byte budget; each over-long letter is refused on its own (a conflict
/// the physician sees) and the rest goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring: run `make test`"]
async fn an_outbox_larger_than_a_request_never_stalls() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;
    let patient = common::create(app, &common::yamada()).await.id.to_string();
    for _ in 0..40 {
        let draft = app
            .start_letter(&patient, tsunagu_app::LetterKind::Referral)
            .await
            .unwrap();
        let content = tsunagu_app::LetterDraftContent {
            to_institution: "豊島中央病院".into(),
            purpose: "経過".repeat(18_000),
            diagnoses: "心不全".into(),
            ..Default::default()
        };
        app.save_letter_draft(&draft.id.to_string(), &content)
            .await
            .unwrap();
        app.issue_letter(&draft.id.to_string()).await.unwrap();
    }
    let ordinary = common::refer(app, &patient, "豊島中央病院").await;
    app.save_consent(&patient, None, &consent(true, true, ""))
        .await
        .unwrap();

    let report = app.sync_now().await.unwrap();
    assert_eq!(report.refused, 40, "{report:?}");
    let state = app.sync_state().await.unwrap().unwrap();
    assert_eq!((state.pending, state.refused), (0, 40));
    assert!(state.last_error.is_none(), "{:?}", state.last_error);
    let conflicts = app.sync_conflicts().await.unwrap();
    assert!(conflicts.iter().all(|c| c.what == "紹介"), "{conflicts:?}");
    assert_eq!(
        region
            .count(&format!(
                "SELECT count(*) FROM referrals WHERE id = '{ordinary}'"
            ))
            .await,
        1
    );
    assert_eq!(region.count("SELECT count(*) FROM referrals").await, 1);
}

/// An address that answers with a redirect (a hijacked DNS name, a
/// misconfigured proxy) must not be followed: following it would hand the
/// device's credential, and the clinic's data, to wherever it points. Once
/// the enrollment went through to the redirect's target; now it is refused
/// and the code stays unused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring: run `make test`"]
async fn the_sync_client_follows_no_redirect() {
    use axum::response::Redirect;
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let target = region.url();
    let redirecting = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let to = format!("{target}{}", uri.path());
        async move { Redirect::temporary(&to) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, redirecting).await;
    });

    let dir = tempfile::tempdir().unwrap();
    let app = app_over(&dir.path().join("tsunagu.db"), [9u8; 32], &keys).await;
    common::save_clinic(&app).await;
    let code = region.enrollment_code(&sakura).await;
    let refused = app
        .enroll(&format!("http://{address}"), &code, "診察室PC")
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert!(app.sync_status().await.unwrap().is_none());
    assert_eq!(region.count("SELECT count(*) FROM devices").await, 0);
    // The code was never used: the real address takes it.
    app.enroll(&region.url(), &code, "診察室PC").await.unwrap();
    app.store().close().await;
}

/// News from the desk reaches the clinic's app through the live stream in
/// seconds, with no poll: the stream's event wakes an exchange, which pulls
/// it. (The stream says only that the feed advanced.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn news_from_the_desk_arrives_through_the_live_stream() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let desk_org = region.organisation(OrgKind::Desk, "在宅医療相談窓口").await;
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = clinic.app.clone();
    let referral = refer_with_consent(&app, 1).await;
    app.sync_now().await.unwrap();

    // The app's live stream: each event is counted; the test runs the
    // exchange it would wake.
    let (events, mut heard) = tokio::sync::mpsc::unbounded_channel::<()>();
    let listening = {
        let app = app.clone();
        tokio::spawn(async move {
            let _ = app
                .listen_live(|| {
                    let _ = events.send(());
                })
                .await;
        })
    };
    let within = std::time::Duration::from_secs(5);
    tokio::time::timeout(within, heard.recv())
        .await
        .expect("the stream opens with `ready`")
        .unwrap();

    let mut desk = region.raw_device(&desk_org).await;
    let outcome = desk
        .push(desk_event(
            &referral,
            json!({"status": "admitted", "date": common::today().to_string(),
                   "ward": "5階東病棟", "attending": "鈴木"}),
        ))
        .await;
    assert_eq!(outcome["outcome"], "applied", "{outcome}");
    tokio::time::timeout(within, heard.recv())
        .await
        .expect("the desk's event is announced on the clinic's stream")
        .unwrap();
    assert_eq!(app.sync_now().await.unwrap().news, 1);
    listening.abort();
}

/// 事前登録 (issue 17) through the real server: a consent naming only
/// 事前登録, with two of the region's hospitals, sends the patient and the
/// consent; the server keeps the scope, the hospitals and the patient's
/// look-up keys; the feed's copy leaves the clinic's record as it was; a
/// change to every participating hospital goes too, and a withdrawal
/// clears the patient's identity on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_preregistration_reaches_the_server_with_the_hospitals_chosen() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let sakura = region
        .organisation(OrgKind::Clinic, "さくら内科クリニック")
        .await;
    let chuo = region.organisation(OrgKind::Hospital, "豊島中央病院").await;
    let ikebukuro = region.organisation(OrgKind::Hospital, "池袋総合病院").await;
    let clinic = clinic_app(&keys, &region, &sakura, &region.url(), common::now()).await;
    let app = &clinic.app;
    // The first sync brings the registered hospitals to choose from.
    app.sync_now().await.unwrap();
    let offered: Vec<Uuid> = app
        .preregistration_hospitals()
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(offered, [ikebukuro.id, chuo.id]);

    let patient = common::create(app, &common::yamada()).await;
    let patient_id = patient.id.to_string();
    let mut draft = TeamSharingConsentDraft {
        obtained_on: "2026-11-02".into(),
        obtained_by: "看護師 佐藤".into(),
        by_family: false,
        family_name: String::new(),
        family_relation: String::new(),
        scopes: vec![ConsentScope::Preregistration],
        withdrawn_on: String::new(),
        preregistered_with: vec![chuo.id.to_string(), ikebukuro.id.to_string()],
    };
    let given = app
        .save_team_consent(&patient_id, None, &draft)
        .await
        .unwrap();
    let report = app.sync_now().await.unwrap();
    assert_eq!((report.pushed, report.refused), (2, 0));
    let held = format!(
        "SELECT count(*) FROM consents WHERE id = '{}' AND preregistration
           AND NOT desk AND NOT destination_hospital AND NOT team
           AND preregistered_with = ARRAY['{}', '{}']::uuid[]",
        given.id, chuo.id, ikebukuro.id
    );
    assert_eq!(region.count(&held).await, 1);
    let identity = format!(
        "SELECT count(*) FROM patients WHERE id = '{patient_id}'
           AND name = '山田　太郎' AND name_key IS NOT NULL AND kana_key IS NOT NULL"
    );
    assert_eq!(region.count(&identity).await, 1);
    // The feed's copy (pulled by the same sync or the next) changes nothing.
    app.sync_now().await.unwrap();
    let back = &app.consents(&patient_id).await.unwrap()[0];
    let chosen: Vec<Uuid> = back.preregistered_with.iter().map(|h| h.id).collect();
    assert_eq!(chosen, [chuo.id, ikebukuro.id]);
    assert!(back.preregistration && back.in_force);

    // Every participating hospital: none named.
    draft.preregistered_with.clear();
    let id = given.id.to_string();
    app.save_team_consent(&patient_id, Some(&id), &draft)
        .await
        .unwrap();
    assert_eq!(app.sync_now().await.unwrap().refused, 0);
    let all = format!(
        "SELECT count(*) FROM consents WHERE id = '{id}' AND preregistration
           AND preregistered_with = '{{}}'"
    );
    assert_eq!(region.count(&all).await, 1);

    // Withdrawn: the server forgets who the patient is.
    draft.withdrawn_on = "2026-11-20".into();
    app.save_team_consent(&patient_id, Some(&id), &draft)
        .await
        .unwrap();
    assert_eq!(app.sync_now().await.unwrap().refused, 0);
    let forgotten = format!(
        "SELECT count(*) FROM patients WHERE id = '{patient_id}'
           AND name IS NULL AND name_key IS NULL"
    );
    assert_eq!(region.count(&forgotten).await, 1);
}
