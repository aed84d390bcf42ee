//! Loop figures (連携の実績): for referrals sent in a period, per hospital
//! referred to and overall — how many the hospital acknowledged, how many
//! replies came back (the closed-loop rate), how fast, how the episodes
//! ended, and how many were lost to follow-up.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::{Outcome, ReferralStatus};
use tsunagu_store::ReferralSummary;

use crate::App;
use crate::error::{AppError, date_field};

/// An episode with no news for this long, and no known outcome, counts as
/// lost to follow-up (as does one closed without a known place).
pub const LOST_AFTER_DAYS: i64 = 90;

/// One row of the table: a hospital, or everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureRow {
    /// Empty for the overall row.
    pub hospital: String,
    pub sent: u32,
    pub acknowledged: u32,
    pub replied: u32,
    /// Percent of `sent`; `None` when nothing was sent.
    pub acknowledged_pct: Option<f64>,
    pub replied_pct: Option<f64>,
    pub median_days_to_acknowledgement: Option<f64>,
    pub median_days_to_reply: Option<f64>,
    /// In the order of [`Outcome::ALL`].
    pub outcomes: [u32; 5],
    pub lost: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoopFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub overall: FigureRow,
    /// Most referred-to first.
    pub by_hospital: Vec<FigureRow>,
    /// Cancelled referrals (取消) in the period, left out of every figure.
    pub cancelled: u32,
}

/// The period as typed; both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct FiguresPeriod {
    pub from: String,
    pub to: String,
}

impl App {
    pub async fn loop_figures(&self, period: &FiguresPeriod) -> Result<LoopFigures, AppError> {
        let (from, to) = parse_period(period)?;
        let referrals = self.store.referrals_sent_between(from, to).await?;
        Ok(compute(from, to, &referrals, self.clock.today()))
    }
}

fn parse_period(period: &FiguresPeriod) -> Result<(NaiveDate, NaiveDate), AppError> {
    let mut errors = Vec::new();
    let from = date_field(&period.from, "from", "集計の開始日", &mut errors);
    let to = date_field(&period.to, "to", "集計の終了日", &mut errors);
    match (from, to) {
        (Some(from), Some(to)) if from <= to => Ok((from, to)),
        (Some(_), Some(_)) => Err(AppError::field(
            "to",
            "終了日が開始日より前になっています。",
        )),
        _ => Err(AppError::validation(errors)),
    }
}

/// The figures for `referrals` (all sent in `from..=to`) as of `today`.
pub(crate) fn compute(
    from: NaiveDate,
    to: NaiveDate,
    referrals: &[ReferralSummary],
    today: NaiveDate,
) -> LoopFigures {
    let counted: Vec<&ReferralSummary> = referrals
        .iter()
        .filter(|r| r.status != ReferralStatus::Cancelled)
        .collect();
    let mut by_hospital: BTreeMap<&str, Vec<&ReferralSummary>> = BTreeMap::new();
    for r in &counted {
        by_hospital.entry(&r.referred_to).or_default().push(r);
    }
    let mut rows: Vec<FigureRow> = by_hospital
        .into_iter()
        .map(|(hospital, rs)| row(hospital, &rs, today))
        .collect();
    rows.sort_by(|a, b| b.sent.cmp(&a.sent).then(a.hospital.cmp(&b.hospital)));
    LoopFigures {
        from,
        to,
        overall: row("", &counted, today),
        by_hospital: rows,
        cancelled: (referrals.len() - counted.len()) as u32,
    }
}

fn row(hospital: &str, referrals: &[&ReferralSummary], today: NaiveDate) -> FigureRow {
    let sent = referrals.len() as u32;
    let days_to = |pick: fn(&ReferralSummary) -> Option<NaiveDate>| -> Vec<i64> {
        referrals
            .iter()
            .filter_map(|r| pick(r).map(|d| (d - r.sent_on).num_days()))
            .collect()
    };
    let to_ack = days_to(|r| r.acknowledged_on);
    let to_reply = days_to(|r| r.first_reply_on);
    let mut outcomes = [0u32; 5];
    for r in referrals {
        let slot = Outcome::ALL
            .iter()
            .position(|o| *o == r.outcome)
            .unwrap_or(4);
        outcomes[slot] += 1;
    }
    let pct = |n: usize| (sent > 0).then(|| n as f64 * 100.0 / f64::from(sent));
    FigureRow {
        hospital: hospital.to_string(),
        sent,
        acknowledged: to_ack.len() as u32,
        replied: to_reply.len() as u32,
        acknowledged_pct: pct(to_ack.len()),
        replied_pct: pct(to_reply.len()),
        median_days_to_acknowledgement: median(to_ack),
        median_days_to_reply: median(to_reply),
        outcomes,
        lost: referrals.iter().filter(|r| is_lost(r, today)).count() as u32,
    }
}

fn is_lost(r: &ReferralSummary, today: NaiveDate) -> bool {
    r.outcome == Outcome::Unknown
        && (r.status == ReferralStatus::Closed
            || (today - r.last_news).num_days() >= LOST_AFTER_DAYS)
}

fn median(mut days: Vec<i64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        days[mid] as f64
    } else {
        (days[mid - 1] + days[mid]) as f64 / 2.0
    })
}

impl LoopFigures {
    /// The table as CSV for Excel: UTF-8 with a byte-order mark (so Excel
    /// on Japanese Windows reads it as UTF-8), the overall row first.
    pub fn to_csv(&self) -> Result<Vec<u8>, AppError> {
        let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        let mut header = vec![
            "紹介先".to_string(),
            "紹介数".into(),
            "受付確認".into(),
            "受付確認率(%)".into(),
            "返書".into(),
            "返書率(%)".into(),
            "受付までの日数(中央値)".into(),
            "返書までの日数(中央値)".into(),
        ];
        header.extend(Outcome::ALL.iter().map(|o| o.label_ja().to_string()));
        header.push("追跡不能".into());
        out.write_record(&header).map_err(csv_failed)?;
        for r in std::iter::once(&self.overall).chain(&self.by_hospital) {
            let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
            let mut record = vec![
                if r.hospital.is_empty() {
                    "全体".to_string()
                } else {
                    r.hospital.clone()
                },
                r.sent.to_string(),
                r.acknowledged.to_string(),
                opt(r.acknowledged_pct),
                r.replied.to_string(),
                opt(r.replied_pct),
                opt(r.median_days_to_acknowledgement),
                opt(r.median_days_to_reply),
            ];
            record.extend(r.outcomes.iter().map(u32::to_string));
            record.push(r.lost.to_string());
            out.write_record(&record).map_err(csv_failed)?;
        }
        out.into_inner().map_err(csv_failed)
    }
}

fn csv_failed<E>(_: E) -> AppError {
    AppError::new(
        crate::error::ErrorCode::Internal,
        "CSVを作成できませんでした。",
    )
}
