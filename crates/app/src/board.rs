//! The referral board (紹介患者): a page of referrals with where each
//! patient is now, days since the last news and what is overdue, filtered,
//! ordered and grouped as the physician asks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::ReferralStatus;
use tsunagu_store::{BoardOrder, BoardQuery, BoardScope, ReferralSummary};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage, date_field};

pub const BOARD_PAGE_SIZE: u32 = 100;

/// The board's filters as the UI sends them; empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct BoardFilter {
    /// open (default), closed or all.
    pub scope: String,
    /// A status code.
    pub status: String,
    pub hospital: String,
    pub sent_from: String,
    pub sent_to: String,
    /// Part of a name, its reading, a hospital, or a tracking code.
    pub text: String,
    pub overdue_only: bool,
    /// attention (default), status, hospital or sent.
    pub order: String,
    /// From 0.
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: ReferralStatus,
    pub referred_to: String,
    pub hospital: String,
    pub where_now: String,
    pub sent_on: NaiveDate,
    pub last_news: NaiveDate,
    pub days_since_news: i64,
    pub open: bool,
    /// Why it is overdue, in Japanese, if it is.
    pub overdue: Option<String>,
    pub replied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub rows: Vec<BoardRow>,
    /// Every row the filters match.
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    /// Hospitals referred to, for the filter.
    pub hospitals: Vec<String>,
}

impl App {
    pub async fn referral_board(&self, filter: &BoardFilter) -> Result<Board, AppError> {
        let query = board_query(filter)?;
        let settings = self.worklist_settings().await?;
        let page = self
            .store
            .referral_board(&query, self.overdue_rule(settings))
            .await?;
        let today = self.clock.today();
        Ok(Board {
            rows: page.rows.into_iter().map(|s| board_row(s, today)).collect(),
            total: page.total,
            page: filter.page,
            page_size: BOARD_PAGE_SIZE,
            hospitals: self.store.referred_hospitals().await?,
        })
    }
}

fn board_row(s: ReferralSummary, today: NaiveDate) -> BoardRow {
    BoardRow {
        referral_id: s.referral_id,
        patient_id: s.patient_id,
        patient_name: s.patient_name,
        tracking_code: s.tracking_code,
        status: s.status,
        referred_to: s.referred_to,
        hospital: s.hospital,
        where_now: s.where_now,
        sent_on: s.sent_on,
        last_news: s.last_news,
        days_since_news: (today - s.last_news).num_days(),
        open: s.open,
        overdue: s.overdue.map(|o| o.label_ja().to_string()),
        replied: s.replies > 0,
    }
}

fn board_query(filter: &BoardFilter) -> Result<BoardQuery, AppError> {
    let mut errors: Vec<FieldMessage> = Vec::new();
    let optional_date = |raw: &str, field: &str, label: &str, errors: &mut Vec<FieldMessage>| {
        if raw.trim().is_empty() {
            None
        } else {
            date_field(raw, field, label, errors)
        }
    };
    let sent_from = optional_date(&filter.sent_from, "sentFrom", "紹介日（から）", &mut errors);
    let sent_to = optional_date(&filter.sent_to, "sentTo", "紹介日（まで）", &mut errors);
    if let (Some(from), Some(to)) = (sent_from, sent_to)
        && from > to
    {
        errors.push(FieldMessage {
            field: "sentTo".into(),
            message: "「まで」の日付が「から」より前になっています。".into(),
        });
    }
    let status = match filter.status.trim() {
        "" => None,
        code => Some(
            ReferralStatus::from_code(code)
                .ok_or_else(|| AppError::field("status", "状態の指定が正しくありません。"))?,
        ),
    };
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let text = filter.text.trim();
    if text.chars().count() > 100 {
        return Err(AppError::field(
            "text",
            "検索語は100文字以内で入力してください。",
        ));
    }
    Ok(BoardQuery {
        scope: match filter.scope.as_str() {
            "closed" => BoardScope::Closed,
            "all" => BoardScope::All,
            _ => BoardScope::Open,
        },
        status,
        hospital: Some(filter.hospital.trim().to_string()).filter(|h| !h.is_empty()),
        sent_from,
        sent_to,
        text: text.to_string(),
        overdue_only: filter.overdue_only,
        order: match filter.order.as_str() {
            "status" => BoardOrder::Status,
            "hospital" => BoardOrder::Hospital,
            "sent" => BoardOrder::SentOn,
            _ => BoardOrder::Attention,
        },
        limit: BOARD_PAGE_SIZE,
        offset: filter.page.saturating_mul(BOARD_PAGE_SIZE),
    })
}
