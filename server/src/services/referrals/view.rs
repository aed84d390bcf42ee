//! Referrals as the portal shows them: those the person may see (by
//! `db::views::Viewer`, the same rules as the sync feed), their histories
//! folded by the domain's status machine, and the lists with the ones
//! needing an update first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use tsunagu_domain::{
    EventDetails, ReferralEvent, ReferralState, format_birth_date, format_wareki, replay,
};
use tsunagu_protocol::{WireEventDetails, WireLetterSummary};
use uuid::Uuid;

use crate::db;
use crate::db::views::{SummaryRow, Viewer};
use crate::services::referrals::rules::{attention, in_hospital_care};
use crate::services::sessions::SignedIn;

/// The day in Japan, where the region is.
pub fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(9)).date_naive()
}

/// What the portal shows at the top of a referral.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: Uuid,
    pub tracking_code: String,
    pub patient_name: String,
    pub patient_kana: String,
    pub birth_date: String,
    pub sex: String,
    pub clinic: String,
    pub clinic_phone: String,
    pub clinic_fax: String,
    pub letter: Option<WireLetterSummary>,
    /// Opened by the hospital's 紹介状なし入院: there is no letter.
    pub without_letter: bool,
    pub hospital: Option<String>,
    pub status: String,
    pub status_code: String,
    pub where_now: String,
    pub last_news: String,
    pub attention: Option<String>,
}

/// The referral, if `user` may see it.
pub(crate) async fn visible(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
) -> sqlx::Result<Option<Summary>> {
    match user.viewer() {
        Some(viewer) => visible_as(conn, viewer, referral).await,
        None => Ok(None),
    }
}

/// The referral, if `viewer` may see it.
pub(crate) async fn visible_as(
    conn: &mut PgConnection,
    viewer: Viewer,
    referral: Uuid,
) -> sqlx::Result<Option<Summary>> {
    let row = db::views::visible(conn, viewer, referral).await?;
    let Some(row) = row else { return Ok(None) };
    let history = history(conn, &[row.id]).await?;
    let events: Vec<ReferralEvent> = history.iter().map(|e| e.domain.clone()).collect();
    Ok(Some(summary(row, replay(&events).ok())))
}

/// Every referral `user` may see, folded; open ones only unless `all`.
pub(crate) async fn list(
    conn: &mut PgConnection,
    user: &SignedIn,
    all: bool,
) -> sqlx::Result<Vec<Summary>> {
    let Some(viewer) = user.viewer() else {
        return Ok(Vec::new());
    };
    let rows = db::views::all_visible(conn, viewer).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let histories = domain_histories(conn, &ids).await?;
    let mut summaries: Vec<(Summary, Option<NaiveDate>)> = rows
        .into_iter()
        .map(|row| {
            let state = histories.get(&row.id).and_then(|e| replay(e).ok());
            let last = state.as_ref().map(|s| s.last_news);
            (summary(row, state), last)
        })
        .filter(|(s, _)| all || in_hospital_care(&s.status_code))
        .collect();
    // Those needing an update first, then the longest without news.
    summaries.sort_by_key(|(s, last)| (s.attention.is_none(), *last));
    Ok(summaries.into_iter().map(|(s, _)| s).collect())
}

/// Each referral's events as the status machine reads them.
pub(crate) async fn domain_histories(
    conn: &mut PgConnection,
    referrals: &[Uuid],
) -> sqlx::Result<HashMap<Uuid, Vec<ReferralEvent>>> {
    let mut histories: HashMap<Uuid, Vec<ReferralEvent>> = HashMap::new();
    for event in history(conn, referrals).await? {
        histories
            .entry(event.referral_id)
            .or_default()
            .push(event.domain);
    }
    Ok(histories)
}

fn summary(row: SummaryRow, state: Option<ReferralState>) -> Summary {
    let today = today();
    Summary {
        id: row.id,
        tracking_code: row.tracking_code,
        patient_name: row.name,
        patient_kana: row.kana,
        birth_date: format_birth_date(row.birth_date, today),
        sex: match row.sex.as_str() {
            "male" => "男",
            "female" => "女",
            _ => "",
        }
        .to_string(),
        clinic: row.clinic,
        clinic_phone: row.clinic_phone,
        clinic_fax: row.clinic_fax,
        without_letter: state.as_ref().is_some_and(|s| s.without_letter),
        letter: row
            .letter
            .and_then(|l| serde_json::from_value::<WireLetterSummary>(l).ok()),
        hospital: row.hospital,
        status: state
            .as_ref()
            .map_or("記録を読めません", |s| s.status.label_ja())
            .to_string(),
        status_code: state
            .as_ref()
            .map_or("unknown", |s| s.status.code())
            .to_string(),
        where_now: state
            .as_ref()
            .map(|s| s.where_now.label_ja())
            .unwrap_or_default(),
        last_news: state
            .as_ref()
            .map(|s| format_wareki(s.last_news))
            .unwrap_or_default(),
        attention: state.as_ref().and_then(|s| attention(s, today)),
    }
}

/// One recorded event, for the history on the referral page.
#[derive(Debug, Clone)]
pub struct HistoryEvent {
    pub referral_id: Uuid,
    pub id: Uuid,
    pub domain: ReferralEvent,
    pub details: Option<WireEventDetails>,
    pub note: String,
    pub source: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it: only they may void it.
    pub organisation_id: Uuid,
}

/// The recorded events of `referrals`, each referral's oldest first.
/// Details that cannot be read count as none.
pub(crate) async fn history(
    conn: &mut PgConnection,
    referrals: &[Uuid],
) -> sqlx::Result<Vec<HistoryEvent>> {
    Ok(db::events::of_referrals(conn, referrals)
        .await?
        .into_iter()
        .map(|e| {
            let details: Option<WireEventDetails> =
                e.details.and_then(|d| serde_json::from_value(d).ok());
            HistoryEvent {
                referral_id: e.referral_id,
                id: e.id,
                domain: ReferralEvent {
                    id: e.id.to_string(),
                    details: details.clone().map(EventDetails::from),
                    voids: e.voids.map(|v| v.to_string()),
                },
                details,
                note: e.note,
                source: e.source,
                actor: e.actor,
                recorded_at: e.recorded_at,
                organisation_id: e.organisation_id,
            }
        })
        .collect())
}
