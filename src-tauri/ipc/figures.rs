//! The loop figures (連携の実績).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

pub use app::FiguresPeriod;

/// One row of the loop figures; percentages and medians are absent when
/// there is nothing to count.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FigureRow {
    /// 全体 for the overall row.
    pub hospital: String,
    pub sent: i32,
    pub acknowledged: i32,
    pub replied: i32,
    pub acknowledged_pct: Option<f64>,
    pub replied_pct: Option<f64>,
    pub median_days_to_acknowledgement: Option<f64>,
    pub median_days_to_reply: Option<f64>,
    /// 自院へ戻った, 他の在宅医, 施設, 死亡, 不明・継続中 (in `outcomeLabels` order).
    pub outcomes: Vec<i32>,
    pub lost: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoopFigures {
    /// 和暦
    pub from: String,
    pub to: String,
    pub overall: FigureRow,
    pub by_hospital: Vec<FigureRow>,
    pub cancelled: i32,
    pub outcome_labels: Vec<String>,
    /// Days without news after which an unknown outcome counts as lost.
    pub lost_after_days: i32,
}

fn figure_row(r: app::FigureRow) -> FigureRow {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    FigureRow {
        hospital: if r.hospital.is_empty() {
            "全体".to_string()
        } else {
            r.hospital
        },
        sent: n(r.sent),
        acknowledged: n(r.acknowledged),
        replied: n(r.replied),
        acknowledged_pct: r.acknowledged_pct,
        replied_pct: r.replied_pct,
        median_days_to_acknowledgement: r.median_days_to_acknowledgement,
        median_days_to_reply: r.median_days_to_reply,
        outcomes: r.outcomes.into_iter().map(n).collect(),
        lost: n(r.lost),
    }
}

impl From<app::LoopFigures> for LoopFigures {
    fn from(f: app::LoopFigures) -> Self {
        LoopFigures {
            from: app::format_wareki(f.from),
            to: app::format_wareki(f.to),
            overall: figure_row(f.overall),
            by_hospital: f.by_hospital.into_iter().map(figure_row).collect(),
            cancelled: i32::try_from(f.cancelled).unwrap_or(i32::MAX),
            outcome_labels: app::Outcome::ALL
                .iter()
                .map(|o| o.label_ja().to_string())
                .collect(),
            lost_after_days: i32::try_from(app::LOST_AFTER_DAYS).unwrap_or(i32::MAX),
        }
    }
}
