//! The loop figures per hospital: how many referrals were acknowledged,
//! how fast, how many have a known outcome, how many are overdue.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::PgPool;
use tsunagu_domain::{Outcome, ReferralStatus, replay};
use uuid::Uuid;

use crate::db;
use crate::services::referrals::rules::attention;
use crate::services::referrals::view::{domain_histories, today};

/// The loop figures of one hospital (or of the referrals no hospital has).
#[derive(Debug, Default, Serialize)]
pub(crate) struct HospitalFigures {
    hospital: String,
    referrals: usize,
    acknowledged: usize,
    acknowledged_percent: String,
    outcome_known: usize,
    outcome_percent: String,
    median_days_to_acknowledge: String,
    overdue: usize,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn median(mut days: Vec<i64>) -> String {
    if days.is_empty() {
        return "—".to_string();
    }
    days.sort_unstable();
    let n = days.len();
    let m = if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    };
    format!("{m:.1}日")
}

/// Per hospital (by name) and for the whole region, over the referrals
/// the desk may see, cancelled ones left out.
pub(crate) async fn figures(
    pool: &PgPool,
) -> sqlx::Result<(Vec<HospitalFigures>, HospitalFigures)> {
    let mut conn = pool.acquire().await?;
    // Referrals the desk may see, by the hospital each is with now.
    let rows = db::views::desk_referrals_by_hospital(&mut conn).await?;
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let histories = domain_histories(&mut conn, &ids).await?;
    let today = today();
    let mut by_hospital: BTreeMap<String, (HospitalFigures, Vec<i64>)> = BTreeMap::new();
    let mut all = (HospitalFigures::default(), Vec::new());
    for (id, hospital) in rows {
        let Some(state) = histories.get(&id).and_then(|e| replay(e).ok()) else {
            continue;
        };
        if state.status == ReferralStatus::Cancelled {
            continue;
        }
        let name = hospital.unwrap_or_else(|| "（病院未割当）".to_string());
        let entry = by_hospital.entry(name.clone()).or_default();
        for (figures, days) in [&mut *entry, &mut all] {
            figures.referrals += 1;
            if let Some(on) = state.acknowledged_on {
                figures.acknowledged += 1;
                days.push((on - state.sent_on).num_days());
            }
            if state.outcome() != Outcome::Unknown {
                figures.outcome_known += 1;
            }
            if attention(&state, today).is_some() {
                figures.overdue += 1;
            }
        }
        entry.0.hospital = name;
    }
    all.0.hospital = "地域全体".to_string();
    let finish = |(mut f, days): (HospitalFigures, Vec<i64>)| {
        f.acknowledged_percent = percent(f.acknowledged, f.referrals);
        f.outcome_percent = percent(f.outcome_known, f.referrals);
        f.median_days_to_acknowledge = median(days);
        f
    };
    let hospitals = by_hospital.into_values().map(finish).collect();
    Ok((hospitals, finish(all)))
}
