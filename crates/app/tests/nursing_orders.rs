//! 訪問看護指示書 as the clinic writes it (issue 19): a draft pre-filled
//! and saved as typed, issued as a PDF stored immutable, refused by field
//! with nothing kept, only by a doctor's account, addressed to a station
//! of the patient's team (and posted on its timeline), reminded on 要確認
//! 14 days before it ends and cleared by its renewal. Real SQLCipher, the
//! clock moved by making an app on another day.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use sha2::{Digest, Sha256};
use tsunagu_app::{
    AccountInput, App, DiagnosisDraft, ErrorCode, EventInput, NursingOrderDraftView,
    NursingOrderInput, ORDER_DUE_TITLE, ORDER_EXPIRED_TITLE, OrderKind, RenewalState,
    TeamSharingConsentDraft, WorklistItem, pulled_changes,
};
use tsunagu_domain::ConsentScope;
use tsunagu_domain::team::{MemberState, TeamRole};
use tsunagu_protocol::{ChangeBody, TeamChangeBody, WireMember};
use tsunagu_testkit::fixtures::{
    app_on, create, field_keys, message_on, new_app, now, refer, save_clinic, validation_error,
    yamada, ymd,
};
use uuid::Uuid;

const STATION: &str = "みどり訪問看護ステーション";

/// The form as the doctor fills it: a regular order from 1 December for
/// six months, to a station typed by name.
fn filled(draft: &NursingOrderDraftView) -> NursingOrderInput {
    let mut form = draft.form.clone();
    form.station = STATION.into();
    form.issued_on = "2026-12-01".into();
    form.starts_on = "2026-12-01".into();
    form.ends_on = "令和9年5月31日".into();
    form.diagnoses = vec![DiagnosisDraft {
        name: "慢性心不全".into(),
        code: "4289002".into(),
    }];
    form.condition = "NYHA Ⅱ度。利尿薬で体重は安定。".into();
    form.medication = "フロセミド20mg 1錠 朝".into();
    form.care_level = "care_2".into();
    form.devices = vec!["oxygen".into()];
    form.device_details = "酸素 1L/min（安静時）".into();
    form.care_notes = "体重が2日で2kg以上増えたら連絡。".into();
    NursingOrderInput {
        station_member_id: None,
        form,
    }
}

async fn patient_with_clinic(app: &App) -> String {
    save_clinic(app).await;
    create(app, &yamada()).await.id.to_string()
}

/// Starts, fills and issues a regular order; its id.
async fn issue_regular(app: &App, patient: &str) -> String {
    let draft = app
        .start_nursing_order(patient, OrderKind::Regular)
        .await
        .unwrap();
    let id = draft.id.to_string();
    app.save_nursing_order_draft(&id, &filled(&draft))
        .await
        .unwrap();
    let issued = app.issue_nursing_order(&id).await.unwrap();
    issued.order.id.to_string()
}

fn reminders(items: Vec<WorklistItem>) -> Vec<WorklistItem> {
    items
        .into_iter()
        .filter(|i| i.title == ORDER_DUE_TITLE || i.title == ORDER_EXPIRED_TITLE)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_issued_as_a_stored_pdf() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let draft = t
        .app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    // Pre-filled: today for six months, the clinic as emergency contact.
    assert_eq!(draft.form.kind, "regular");
    assert_eq!(draft.form.patient_id, patient);
    assert_eq!(
        (draft.form.starts_on.as_str(), draft.form.ends_on.as_str()),
        ("2026-11-24", "2027-05-23")
    );
    assert_eq!(
        draft.form.emergency_contact,
        "さくら内科クリニック 03-1234-5678"
    );
    assert!(draft.form.station.is_empty() && draft.station_member_id.is_none());
    let stations = t.app.nursing_order_stations(&patient).await.unwrap();
    assert!(stations.stations.is_empty() && stations.may_type_name);

    let id = draft.id.to_string();
    let saved = t
        .app
        .save_nursing_order_draft(&id, &filled(&draft))
        .await
        .unwrap();
    assert_eq!(saved.form.ends_on, "令和9年5月31日", "kept as typed");
    let listed = t.app.nursing_orders(&patient).await.unwrap();
    assert_eq!((listed.drafts.len(), listed.orders.len()), (1, 0));

    let issued = t.app.issue_nursing_order(&id).await.unwrap();
    assert!(!issued.shared_on_timeline, "no team: nothing to post");
    let order = issued.order;
    assert_eq!(order.kind, OrderKind::Regular);
    assert_eq!(order.form_number, "別紙様式16");
    assert_eq!(order.station, STATION);
    assert_eq!(
        (order.starts_on, order.ends_on),
        (ymd(2026, 12, 1), ymd(2027, 5, 31))
    );
    assert_eq!(order.period_label, "令和8年12月1日～令和9年5月31日");
    assert_eq!(order.state, RenewalState::Current);
    assert!(order.may_renew);

    let pdf = t
        .app
        .nursing_order_pdf(&order.id.to_string())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(pdf.len() as u64, order.pdf_size);
    assert_eq!(hex::encode(Sha256::digest(&pdf)), order.sha256);
    let listed = t.app.nursing_orders(&patient).await.unwrap();
    assert_eq!((listed.drafts.len(), listed.orders.len()), (0, 1));
    let audit = t
        .app
        .store()
        .audit_trail(&order.id.to_string())
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "issued, then taken out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issued_order_cannot_be_changed() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let draft = t
        .app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    let id = draft.id.to_string();
    t.app
        .save_nursing_order_draft(&id, &filled(&draft))
        .await
        .unwrap();
    let order = t.app.issue_nursing_order(&id).await.unwrap().order;
    // Its draft is gone: saving or issuing it again finds nothing.
    let mut changed = filled(&draft);
    changed.form.ends_on = "2027-04-30".into();
    let save = t.app.save_nursing_order_draft(&id, &changed).await;
    assert_eq!(save.unwrap_err().code, ErrorCode::NotFound);
    let again = t.app.issue_nursing_order(&id).await;
    assert_eq!(again.unwrap_err().code, ErrorCode::NotFound);
    let listed = t.app.nursing_orders(&patient).await.unwrap();
    assert_eq!(listed.orders, [order]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_period_over_six_months_is_refused_by_field_and_nothing_is_stored() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let draft = t
        .app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    let id = draft.id.to_string();
    let mut too_long = filled(&draft);
    too_long.form.ends_on = "2027-06-01".into();
    too_long.form.emergency_contact = String::new();
    t.app
        .save_nursing_order_draft(&id, &too_long)
        .await
        .unwrap();
    let err = validation_error(t.app.issue_nursing_order(&id).await);
    let mut keys = field_keys(&err);
    keys.sort_unstable();
    assert_eq!(keys, ["emergencyContact", "period"]);
    assert_eq!(
        message_on(&err, "period"),
        "訪問看護指示期間は6か月以内です（この開始日なら令和9年5月31日まで）"
    );
    let listed = t.app.nursing_orders(&patient).await.unwrap();
    assert!(listed.orders.is_empty());
    assert_eq!(listed.drafts.len(), 1);
    assert_eq!(listed.drafts[0].form, too_long.form, "the draft as it was");

    // A special order runs 14 days at most.
    let special = t
        .app
        .start_nursing_order(&patient, OrderKind::Special)
        .await
        .unwrap();
    assert_eq!(special.form.ends_on, "2026-12-07");
    let mut form = special.form.clone();
    form.station = STATION.into();
    form.ends_on = "2026-12-08".into();
    form.frequent_visit_reason = "心不全の増悪で連日の観察が必要".into();
    let sid = special.id.to_string();
    t.app
        .save_nursing_order_draft(
            &sid,
            &NursingOrderInput {
                station_member_id: None,
                form,
            },
        )
        .await
        .unwrap();
    let err = validation_error(t.app.issue_nursing_order(&sid).await);
    assert_eq!(field_keys(&err), ["period"]);
    assert!(
        t.app
            .nursing_orders(&patient)
            .await
            .unwrap()
            .orders
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_doctor_issues() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    // Written on the app without accounts (a doctor's hand).
    let draft = t
        .app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    let id = draft.id.to_string();
    t.app
        .save_nursing_order_draft(&id, &filled(&draft))
        .await
        .unwrap();

    let app = t.app.clone().requiring_accounts();
    app.create_first_account(&AccountInput {
        login: "admin".into(),
        display_name: "受付 田中".into(),
        role: "clerk".into(),
        is_admin: true,
        password: "さくら内科の受付です".into(),
    })
    .await
    .unwrap();
    let clerk = app.issue_nursing_order(&id).await.unwrap_err();
    assert_eq!(clerk.code, ErrorCode::Forbidden);
    let start = app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap_err();
    assert_eq!(start.code, ErrorCode::Forbidden);

    app.add_account(&AccountInput {
        login: "nurse".into(),
        display_name: "佐藤 花子".into(),
        role: "nurse".into(),
        is_admin: false,
        password: "看護師の佐藤花子です".into(),
    })
    .await
    .unwrap();
    app.sign_out().await.unwrap();
    app.sign_in("nurse", "看護師の佐藤花子です").await.unwrap();
    let nurse = app.issue_nursing_order(&id).await.unwrap_err();
    assert_eq!(nurse.code, ErrorCode::Forbidden);
    // The nurse reads the orders; none was issued.
    let listed = app.nursing_orders(&patient).await.unwrap();
    assert!(listed.orders.is_empty() && listed.drafts.len() == 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reminder_comes_fourteen_days_ahead_and_a_renewal_clears_it() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let order = issue_regular(&t.app, &patient).await;
    let on = |y, m, d| app_on(&t.app, ymd(y, m, d));

    // Fifteen days before 31 May: nothing; fourteen: due.
    assert!(reminders(on(2027, 5, 16).worklist().await.unwrap()).is_empty());
    let due_day = on(2027, 5, 17);
    let due = reminders(due_day.worklist().await.unwrap());
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].title, ORDER_DUE_TITLE);
    assert_eq!(due[0].detail, "令和9年5月31日まで（あと14日）");
    assert_eq!(due[0].referral_id, Uuid::nil());
    assert!(!due[0].dismissible);
    assert_eq!(due[0].since, ymd(2027, 5, 17));
    assert_eq!(due[0].patient_id.to_string(), patient);
    // The same situation keeps its key from day to day.
    let next_day = reminders(on(2027, 5, 18).worklist().await.unwrap());
    assert_eq!(next_day[0].key, due[0].key);
    let listed = due_day.nursing_orders(&patient).await.unwrap();
    assert_eq!(listed.orders[0].state, RenewalState::Due);

    // Not renewed: expired the day after, another situation.
    let expired = reminders(on(2027, 6, 1).worklist().await.unwrap());
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].title, ORDER_EXPIRED_TITLE);
    assert_eq!(expired[0].detail, "令和9年5月31日で終了");
    assert_ne!(expired[0].key, due[0].key);

    // 「更新」: the next six months, the instructions as they were.
    let renewal = due_day.renew_nursing_order(&order).await.unwrap();
    assert_eq!(renewal.renews.map(|r| r.to_string()), Some(order.clone()));
    assert_eq!(
        (
            renewal.form.starts_on.as_str(),
            renewal.form.ends_on.as_str()
        ),
        ("2027-06-01", "2027-11-30")
    );
    assert!(renewal.form.issued_on.is_empty(), "dated when signed");
    assert_eq!(renewal.form.station, STATION);
    assert_eq!(renewal.form.care_notes, "体重が2日で2kg以上増えたら連絡。");
    assert_eq!(renewal.form.diagnoses[0].code, "4289002");
    // Still due until the renewal is issued.
    assert_eq!(reminders(due_day.worklist().await.unwrap()).len(), 1);

    let renewed = due_day
        .issue_nursing_order(&renewal.id.to_string())
        .await
        .unwrap()
        .order;
    assert_eq!(renewed.issued_on, ymd(2027, 5, 17), "dated today");
    assert!(reminders(due_day.worklist().await.unwrap()).is_empty());
    assert!(reminders(on(2027, 6, 1).worklist().await.unwrap()).is_empty());
    let listed = due_day.nursing_orders(&patient).await.unwrap();
    assert_eq!(listed.orders[0].id, renewed.id, "newest first");
    assert_eq!(listed.orders[1].renewed_by, Some(renewed.id));
    assert!(!listed.orders[1].may_renew);
    let twice = due_day.renew_nursing_order(&order).await.unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    // The renewal is reminded in its turn.
    let later = reminders(on(2027, 11, 16).worklist().await.unwrap());
    assert_eq!(later.len(), 1);
    assert!(later[0].detail.contains("令和9年11月30日"), "{later:?}");
}

fn team_consent() -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "鈴木　一郎".into(),
        by_family: true,
        family_name: "山田　花子".into(),
        family_relation: "妻".into(),
        scopes: vec![ConsentScope::Desk, ConsentScope::Team],
        withdrawn_on: String::new(),
        preregistered_with: Vec::new(),
    }
}

fn station_member(id: Uuid, org: Uuid) -> WireMember {
    WireMember {
        id,
        organisation_id: Some(org),
        name: STATION.into(),
        kind: "visiting_nurse_station".into(),
        role: TeamRole::VisitingNurse.code().into(),
        state: MemberState::Active.code().into(),
        person: "田中".into(),
        phone: "03-2222-3333".into(),
        fax: "03-2222-3334".into(),
        relation: String::new(),
        expires_at: None,
        needs_approval: false,
        access_until: None,
        first_contact_for: Vec::new(),
        invited_by: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_team_the_order_goes_to_its_station_and_onto_the_timeline() {
    let t = new_app().await;
    let app = &t.app;
    let patient = patient_with_clinic(app).await;
    app.save_team_consent(&patient, None, &team_consent())
        .await
        .unwrap();
    let team = app.start_team(&patient).await.unwrap().team.unwrap();
    let member = Uuid::now_v7();
    let changes: Vec<_> = [
        ChangeBody::Team(TeamChangeBody::Started {
            team_id: team.id,
            patient_id: patient.parse().unwrap(),
            started_at: now(),
        }),
        ChangeBody::Team(TeamChangeBody::Member {
            team_id: team.id,
            member: station_member(member, Uuid::now_v7()),
        }),
    ]
    .into_iter()
    .enumerate()
    .flat_map(|(i, body)| {
        pulled_changes(body)
            .unwrap()
            .into_iter()
            .map(move |c| (i as i64 + 1, c))
    })
    .collect();
    app.store()
        .apply_pulled(&changes, changes.len() as i64, now())
        .await
        .unwrap();

    let stations = app.nursing_order_stations(&patient).await.unwrap();
    assert_eq!(stations.stations.len(), 1);
    assert_eq!(stations.stations[0].member_id, member);
    assert!(!stations.may_type_name);

    // The one station is addressed from the start.
    let draft = app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    assert_eq!(draft.station_member_id, Some(member));
    assert_eq!(draft.form.station, STATION);

    // A typed name is refused while the team has a station.
    let id = draft.id.to_string();
    let mut typed = filled(&draft);
    typed.form.station = "あおば訪問看護".into();
    app.save_nursing_order_draft(&id, &typed).await.unwrap();
    let err = validation_error(app.issue_nursing_order(&id).await);
    assert_eq!(field_keys(&err), ["station"]);
    assert!(
        app.nursing_orders(&patient)
            .await
            .unwrap()
            .orders
            .is_empty()
    );

    // Chosen from the team: issued to it, and posted with its PDF.
    let chosen = NursingOrderInput {
        station_member_id: Some(member.to_string()),
        ..typed
    };
    let saved = app.save_nursing_order_draft(&id, &chosen).await.unwrap();
    assert_eq!(saved.form.station, STATION, "the member's name");
    let issued = app.issue_nursing_order(&id).await.unwrap();
    assert!(issued.shared_on_timeline);
    assert_eq!(issued.order.station_member_id, Some(member));
    let entries = app.store().team_entries(team.id).await.unwrap();
    let posted = entries.last().unwrap();
    assert!(
        posted.body.starts_with("訪問看護指示書を発行しました"),
        "{}",
        posted.body
    );
    assert_eq!(posted.attachments.len(), 1);
    assert_eq!(posted.attachments[0].media_type, "application/pdf");
    assert_eq!(posted.attachments[0].sha256, issued.order.sha256);
}

/// Starts, fills and issues a 特別 order dated today, to the station.
async fn issue_special(app: &App, patient: &str) -> Result<(), tsunagu_app::AppError> {
    let special = app
        .start_nursing_order(patient, OrderKind::Special)
        .await
        .unwrap();
    let mut form = special.form.clone();
    form.station = STATION.into();
    form.frequent_visit_reason = "心不全の増悪で連日の観察が必要".into();
    let id = special.id.to_string();
    app.save_nursing_order_draft(
        &id,
        &NursingOrderInput {
            station_member_id: None,
            form,
        },
    )
    .await
    .unwrap();
    app.issue_nursing_order(&id).await.map(|_| ())
}

/// 特別訪問看護指示書: once a month, refused on 指示日 with nothing kept;
/// twice when the regular order in force that day lists a 気管カニューレ.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_special_order_is_once_a_month_or_twice_with_a_cannula() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    issue_special(&t.app, &patient).await.unwrap();
    let err = validation_error(issue_special(&t.app, &patient).await);
    assert_eq!(field_keys(&err), ["issuedOn"]);
    let message = message_on(&err, "issuedOn");
    assert!(
        message.starts_with("特別訪問看護指示書は月1回までです")
            && message.contains("令和8年11月24日"),
        "{message}"
    );
    let specials = |orders: &tsunagu_app::PatientNursingOrders| {
        orders
            .orders
            .iter()
            .filter(|o| o.kind == OrderKind::Special)
            .count()
    };
    assert_eq!(specials(&t.app.nursing_orders(&patient).await.unwrap()), 1);

    // A regular order in force today with a 気管カニューレ: twice a month.
    let draft = t
        .app
        .start_nursing_order(&patient, OrderKind::Regular)
        .await
        .unwrap();
    let mut regular = filled(&draft);
    regular.form.issued_on = "2026-11-24".into();
    regular.form.starts_on = "2026-11-24".into();
    regular.form.ends_on = "2027-05-23".into();
    regular.form.devices = vec!["oxygen".into(), "tracheostomy_tube".into()];
    let id = draft.id.to_string();
    t.app.save_nursing_order_draft(&id, &regular).await.unwrap();
    t.app.issue_nursing_order(&id).await.unwrap();
    issue_special(&t.app, &patient).await.unwrap();
    let err = validation_error(issue_special(&t.app, &patient).await);
    assert!(message_on(&err, "issuedOn").starts_with("特別訪問看護指示書は月2回までです"));
    assert_eq!(specials(&t.app.nursing_orders(&patient).await.unwrap()), 2);
}

/// A 死亡 recorded on the patient's referral ends the reminders: an order
/// due or expired says nothing more on 要確認, and 「更新」 is neither
/// offered nor done; 「更新しない」 still records why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reminder_or_renewal_once_the_patient_has_died() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let order = issue_regular(&t.app, &patient).await;
    let due_day = app_on(&t.app, ymd(2027, 5, 20));
    assert_eq!(reminders(due_day.worklist().await.unwrap()).len(), 1);

    let referral = refer(&due_day, &patient, "豊島中央病院").await;
    due_day
        .record_referral_event(
            &referral,
            &EventInput {
                status: "deceased".into(),
                date: "2027-05-20".into(),
                place: "病院".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(reminders(due_day.worklist().await.unwrap()).is_empty());
    let expired_day = app_on(&t.app, ymd(2027, 6, 2));
    assert!(reminders(expired_day.worklist().await.unwrap()).is_empty());

    let listed = expired_day.nursing_orders(&patient).await.unwrap();
    assert!(!listed.orders[0].may_renew && listed.orders[0].may_end);
    let err = expired_day.renew_nursing_order(&order).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    assert!(err.message.contains("死亡"), "{}", err.message);
    let ended = expired_day
        .end_nursing_order(&order, "死亡のため")
        .await
        .unwrap();
    assert!(!ended.may_renew && !ended.may_end);
}

/// 「更新しない」: the expired order's reminder stops once the doctor
/// records why it is not renewed (never without a reason); the order says
/// so, is no longer offered for renewal, and is not decided twice. A 特別
/// order has nothing to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_not_to_be_renewed_stops_its_reminder_with_the_reason() {
    let t = new_app().await;
    let patient = patient_with_clinic(&t.app).await;
    let order = issue_regular(&t.app, &patient).await;
    let later = app_on(&t.app, ymd(2027, 6, 1));
    assert_eq!(reminders(later.worklist().await.unwrap()).len(), 1);

    let err = validation_error(later.end_nursing_order(&order, "  ").await);
    assert_eq!(field_keys(&err), ["reason"]);
    assert_eq!(
        reminders(later.worklist().await.unwrap()).len(),
        1,
        "nothing kept"
    );

    let ended = later
        .end_nursing_order(&order, "入院のため（豊島中央病院）")
        .await
        .unwrap();
    assert!(!ended.may_renew && !ended.may_end);
    let ending = ended.ending.unwrap();
    assert!(
        ending.starts_with("更新しない：入院のため（豊島中央病院）（医師 ")
            && ending.ends_with("令和9年6月1日）"),
        "{ending}"
    );
    assert!(reminders(later.worklist().await.unwrap()).is_empty());
    let err = later
        .end_nursing_order(&order, "入院のため")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    let err = later.renew_nursing_order(&order).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");

    issue_special(&t.app, &patient).await.unwrap();
    let special = t
        .app
        .nursing_orders(&patient)
        .await
        .unwrap()
        .orders
        .into_iter()
        .find(|o| o.kind == OrderKind::Special)
        .unwrap();
    assert!(!special.may_end);
    let err = t
        .app
        .end_nursing_order(&special.id.to_string(), "不要")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation, "{err:?}");
}
