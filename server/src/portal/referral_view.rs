//! Referrals as the portal shows them: who may see which (the same rules
//! as the sync feed), their histories folded by the domain's status
//! machine, and the lists with the ones needing an update first.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use tsunagu_domain::{
    EventDetails, ReferralEvent, ReferralState, ReferralStatus, format_birth_date, format_wareki,
    replay,
};
use tsunagu_protocol::{WireDestination, WireEventDetails, WireLetterSummary};
use uuid::Uuid;

use super::session::SignedIn;
use crate::users::Role;

/// Days without news before an open referral needs an update.
pub const QUIET_DAYS_BEFORE_ACK: i64 = 7;
pub const QUIET_DAYS_IN_CARE: i64 = 14;

/// The day in Japan, where the region is.
pub fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(9)).date_naive()
}

/// The SQL condition (on `r`, a referral) under which `user` may see it:
/// the desk while the patient's consent covers the desk, a hospital while
/// the referral is with it (not after it transferred the patient on) and
/// the consent covers hospitals. `$1` is the user's organisation.
fn visible_sql(user: &SignedIn) -> &'static str {
    match user.role {
        Role::Admin | Role::Desk => {
            "EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
               AND c.withdrawn_on IS NULL AND c.desk) AND $1::uuid IS NOT NULL"
        }
        Role::Liaison => {
            "r.hospital_id = $1
             AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
               AND c.withdrawn_on IS NULL AND c.destination_hospital)"
        }
    }
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
    pub letter: Option<WireLetterSummary>,
    pub hospital: Option<String>,
    pub status: String,
    pub status_code: String,
    pub where_now: String,
    pub last_news: String,
    pub attention: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    tracking_code: String,
    name: String,
    kana: String,
    birth_date: NaiveDate,
    sex: String,
    clinic: String,
    letter: Option<serde_json::Value>,
    hospital: Option<String>,
}

const SUMMARY_COLUMNS: &str = "r.id, r.tracking_code, p.name, p.kana, p.birth_date, p.sex,
    c.name AS clinic, r.letter, h.name AS hospital
    FROM referrals r JOIN patients p ON p.id = r.patient_id
    JOIN organisations c ON c.id = r.clinic_id
    LEFT JOIN organisations h ON h.id = r.hospital_id";

/// The referral, if `user` may see it.
pub async fn visible(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
) -> sqlx::Result<Option<Summary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} WHERE r.id = $2 AND {}",
        visible_sql(user)
    );
    let row: Option<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user.organisation.id)
        .bind(referral)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let history = history(conn, &[row.id]).await?;
    let events: Vec<ReferralEvent> = history.iter().map(|e| e.domain.clone()).collect();
    Ok(Some(summary(row, replay(&events).ok())))
}

/// Every referral `user` may see, folded; open ones only unless `all`.
pub async fn list(
    conn: &mut PgConnection,
    user: &SignedIn,
    all: bool,
) -> sqlx::Result<Vec<Summary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} WHERE {} ORDER BY r.created_at",
        visible_sql(user)
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user.organisation.id)
        .fetch_all(&mut *conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut histories: std::collections::HashMap<Uuid, Vec<ReferralEvent>> = Default::default();
    for event in history(conn, &ids).await? {
        histories
            .entry(event.referral_id)
            .or_default()
            .push(event.domain);
    }
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

/// Still with a hospital: the portal's lists of open referrals.
pub fn in_hospital_care(status_code: &str) -> bool {
    matches!(
        status_code,
        "sent" | "received" | "visited" | "admitted" | "discharge_planned" | "transferred"
    )
}

/// Why an open referral needs an update, if it does.
pub fn attention(state: &ReferralState, today: NaiveDate) -> Option<String> {
    use ReferralStatus as S;
    let quiet = (today - state.last_news).num_days();
    match state.status {
        S::Sent | S::Received if quiet >= QUIET_DAYS_BEFORE_ACK => {
            Some(format!("{quiet}日間、受診・入院の連絡がありません"))
        }
        S::DischargePlanned if state.expected_discharge.is_some_and(|d| d < today) => {
            Some("退院予定日を過ぎています".to_string())
        }
        S::Visited | S::Admitted | S::Transferred | S::DischargePlanned
            if quiet >= QUIET_DAYS_IN_CARE =>
        {
            Some(format!("{quiet}日間、経過の連絡がありません"))
        }
        _ => None,
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

pub async fn history(
    conn: &mut PgConnection,
    referrals: &[Uuid],
) -> sqlx::Result<Vec<HistoryEvent>> {
    type Row = (
        Uuid,
        Uuid,
        Option<serde_json::Value>,
        Option<Uuid>,
        String,
        String,
        String,
        DateTime<Utc>,
        Uuid,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT referral_id, id, details, voids, note, source, actor, recorded_at,
           organisation_id
         FROM referral_events WHERE referral_id = ANY($1) ORDER BY referral_id, seq",
    )
    .bind(referrals)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                referral_id,
                id,
                details,
                voids,
                note,
                source,
                actor,
                recorded_at,
                organisation_id,
            )| {
                let details: Option<WireEventDetails> =
                    details.and_then(|d| serde_json::from_value(d).ok());
                HistoryEvent {
                    referral_id,
                    id,
                    domain: ReferralEvent {
                        id: id.to_string(),
                        details: details.clone().map(EventDetails::from),
                        voids: voids.map(|v| v.to_string()),
                    },
                    details,
                    note,
                    source,
                    actor,
                    recorded_at,
                    organisation_id,
                }
            },
        )
        .collect())
}

/// An event as a line of the history.
#[derive(Debug, Serialize)]
pub struct HistoryLine {
    pub id: Uuid,
    pub date: String,
    pub status: String,
    pub text: String,
    pub note: String,
    pub by: String,
    pub recorded_at: String,
    pub voided: bool,
    /// Recorded by the viewer's organisation, still counting, and not the
    /// 紹介済 that opened the referral: it may be voided.
    pub can_void: bool,
}

/// The history as the referral page shows it: status events, notes on
/// their own (連絡) and voids (記録の取り消し, with their reason).
pub fn history_lines(events: &[HistoryEvent], viewer: Uuid) -> Vec<HistoryLine> {
    let voided: Vec<&str> = events
        .iter()
        .filter_map(|e| e.domain.voids.as_deref())
        .collect();
    events
        .iter()
        .map(|e| {
            let domain = e.details.clone().map(EventDetails::from);
            let is_voided = voided.contains(&e.domain.id.as_str());
            let (date, status, text) = match (&domain, &e.details) {
                (Some(d), Some(w)) => (
                    format_wareki(d.date()),
                    d.status().label_ja().to_string(),
                    describe(w),
                ),
                _ if e.domain.voids.is_some() => {
                    (String::new(), "記録の取り消し".to_string(), String::new())
                }
                _ => (String::new(), "連絡".to_string(), String::new()),
            };
            HistoryLine {
                id: e.id,
                date,
                status,
                text,
                note: e.note.clone(),
                by: match e.source.as_str() {
                    "clinic" => format!("かかりつけ医（{}）", e.actor),
                    _ => e.actor.clone(),
                },
                recorded_at: (e.recorded_at + chrono::Duration::hours(9))
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                voided: is_voided,
                can_void: e.organisation_id == viewer
                    && !is_voided
                    && domain
                        .as_ref()
                        .is_some_and(|d| d.status() != ReferralStatus::Sent),
            }
        })
        .collect()
}

pub fn destination_label(d: &WireDestination) -> String {
    match d {
        WireDestination::ThisClinic => "かかりつけ医のもとへ".to_string(),
        WireDestination::OtherHomeCareDoctor { doctor } => format!("在宅（在宅医：{doctor}）"),
        WireDestination::Facility { name } => format!("施設（{name}）"),
        WireDestination::Other { note } => format!("その他（{note}）"),
    }
}

fn describe(details: &WireEventDetails) -> String {
    use WireEventDetails as W;
    match details {
        W::Sent { hospital, .. } => format!("紹介先：{hospital}"),
        W::Received { .. } | W::Returned { .. } => String::new(),
        W::Visited { department, .. } => format!("診療科：{department}"),
        W::Admitted {
            ward, attending, ..
        } => {
            let mut text = format!("病棟：{ward}");
            if !attending.is_empty() {
                text.push_str(&format!("　主治医：{attending}"));
            }
            text
        }
        W::DischargePlanned {
            expected_date,
            planned_destination,
            team,
            ..
        } => {
            let mut text = format!("退院予定日：{}", format_wareki(*expected_date));
            if let Some(d) = planned_destination {
                text.push_str(&format!("　退院先（予定）：{}", destination_label(d)));
            }
            if !team.is_empty() {
                text.push_str(&format!("　在宅チーム（予定）：{team}"));
            }
            text
        }
        W::Transferred { hospital, .. } => format!("転院先：{hospital}"),
        W::Discharged { destination, .. } => format!("退院先：{}", destination_label(destination)),
        W::Deceased { place, .. } => format!("場所：{place}"),
        W::Closed { reason, .. } | W::Cancelled { reason, .. } => format!("理由：{reason}"),
    }
}

/// The statuses a portal user may record next, as (code, label).
pub fn next_statuses(status_code: &str) -> Vec<(&'static str, &'static str)> {
    let Some(current) = ReferralStatus::from_code(status_code) else {
        return Vec::new();
    };
    use ReferralStatus as S;
    [
        S::Received,
        S::Visited,
        S::Admitted,
        S::DischargePlanned,
        S::Transferred,
        S::Discharged,
        S::Deceased,
    ]
    .into_iter()
    .filter(|s| current.may_become(*s))
    .map(|s| (s.code(), s.label_ja()))
    .collect()
}
