//! The worklist the store finds (each situation as an index range, a page
//! of the newest and a count) is the one the domain's rules give, worked
//! out here the slow way over every summary: on generated histories, at
//! several dates, before and after dismissals.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::HashSet;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rand::Rng;
use tsunagu_domain::{
    Overdue, OverdueFacts, OverdueRule, ReferralStatus, WorklistReason, clinic_overdue,
};
use tsunagu_store::{OpenMode, ReferralSummary, Store, StoreKey};
use tsunagu_testkit::referral_data;

/// (key, since, reason) of every item, newest first, by the domain's rules.
fn expected(
    summaries: &[ReferralSummary],
    rule: &OverdueRule,
) -> Vec<(String, NaiveDate, WorklistReason)> {
    let mut items = Vec::new();
    for s in summaries {
        let id = s.referral_id;
        let facts = OverdueFacts {
            status: s.status,
            sent_on: s.sent_on,
            seen_on: s.seen_on,
            expected_discharge: s.expected_discharge,
            replies: u32::try_from(s.replies).unwrap(),
        };
        match clinic_overdue(&facts, rule) {
            Some(Overdue::NoAcknowledgement) => items.push((
                format!("no-ack:{id}"),
                s.sent_on,
                Overdue::NoAcknowledgement,
            )),
            Some(Overdue::DischargeOverdue) => {
                let expected = s.expected_discharge.unwrap();
                items.push((
                    format!("discharge-overdue:{id}:{expected}"),
                    expected,
                    Overdue::DischargeOverdue,
                ))
            }
            Some(Overdue::NoReply) => items.push((
                format!("no-reply:{id}"),
                s.seen_on.unwrap(),
                Overdue::NoReply,
            )),
            None => {}
        }
    }
    let mut items: Vec<(String, NaiveDate, WorklistReason)> = items
        .into_iter()
        .map(|(k, d, o)| (k, d, WorklistReason::Overdue(o)))
        .collect();
    for s in summaries {
        let id = s.referral_id;
        if s.status == ReferralStatus::Discharged && s.discharged_to_this_clinic == Some(false) {
            items.push((
                format!("discharged-elsewhere:{id}:{}", s.last_news),
                s.last_news,
                WorklistReason::DischargedElsewhere,
            ));
        }
        if s.status == ReferralStatus::Deceased {
            items.push((
                format!("deceased:{id}"),
                s.last_news,
                WorklistReason::Deceased,
            ));
        }
    }
    items.sort_by(|a, b| (b.1, &a.0).cmp(&(a.1, &b.0)));
    items
}

#[tokio::test]
async fn the_worklist_is_the_domains_rules_on_every_summary() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("w.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut rng = referral_data::rng(14);
    let patients = referral_data::patients(&store, 60, &mut rng, today).await;
    let referrals: Vec<_> = (0..400)
        .map(|_| {
            let patient = patients[rng.random_range(0..patients.len())];
            let sent = today - Days::new(rng.random_range(0..700));
            let target = 1 + rng.random_range(0..9);
            referral_data::referral(patient, sent, target, today, &mut rng)
        })
        .collect();
    store.import_referrals(&referrals).await.unwrap();
    let all = store
        .referrals_sent_between(NaiveDate::MIN, today)
        .await
        .unwrap();

    let mut dismissed: HashSet<String> = HashSet::new();
    for (days_ago, ack, reply) in [(0, 7, 14), (30, 3, 30), (200, 14, 7), (0, 1, 1)] {
        let rule = OverdueRule {
            today: today - Days::new(days_ago),
            days_to_acknowledgement: ack,
            days_to_reply: reply,
        };
        let mut want = expected(&all, &rule);
        want.retain(|(key, ..)| !dismissed.contains(key));
        assert!(
            want.len() > 50,
            "a test worth its name: {} items",
            want.len()
        );
        let got = store.worklist_attention(rule, None).await.unwrap();
        let got_items: Vec<(String, NaiveDate, WorklistReason)> = got
            .items
            .iter()
            .map(|i| (i.key.clone(), i.since, i.reason))
            .collect();
        assert_eq!(got_items, want, "{rule:?}");
        assert_eq!(got.total, i64::try_from(want.len()).unwrap());
        let page = store.worklist_attention(rule, Some(10)).await.unwrap();
        assert_eq!(page.items, got.items[..10].to_vec());
        assert_eq!(page.total, got.total);

        // Dismiss every fifth item: gone from the page and from the count,
        // now and under every later rule.
        for item in got.items.iter().step_by(5) {
            store
                .dismiss_worklist_item(
                    &item.key,
                    item.summary.referral_id,
                    "確認済み",
                    "test",
                    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
                )
                .await
                .unwrap();
            dismissed.insert(item.key.clone());
        }
        let after = store.worklist_attention(rule, None).await.unwrap();
        want.retain(|(key, ..)| !dismissed.contains(key));
        let after_items: Vec<(String, NaiveDate, WorklistReason)> = after
            .items
            .iter()
            .map(|i| (i.key.clone(), i.since, i.reason))
            .collect();
        assert_eq!(after_items, want, "after dismissals, {rule:?}");
        assert_eq!(after.total, i64::try_from(want.len()).unwrap());
    }
    assert!(dismissed.len() > 50);
    store.close().await;
}
