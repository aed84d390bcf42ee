//! The portal's lists of referrals and one referral's page, each read
//! audited (a list shows patients' names: each one listed is a read).

use std::collections::BTreeMap;

use sqlx::{PgConnection, PgPool};
use tsunagu_domain::ReferralStatus;
use uuid::Uuid;

use crate::db;
use crate::db::views::Viewer;
use crate::services::referrals::calls::{Call, calls};
use crate::services::referrals::rules::in_hospital_care;
use crate::services::referrals::view::{self, HistoryEvent, Summary, history};
use crate::services::sessions::SignedIn;
use crate::services::{audit, break_glass};

fn ids(referrals: &[Summary]) -> Vec<String> {
    referrals.iter().map(|r| r.id.to_string()).collect()
}

/// A hospital's open referrals, those needing an update first.
pub(crate) async fn hospital(pool: &PgPool, user: &SignedIn) -> sqlx::Result<Vec<Summary>> {
    let mut conn = pool.acquire().await?;
    let referrals = view::list(&mut conn, user, false).await?;
    audit::record_listed(&mut conn, &user.audit_actor(), &ids(&referrals)).await?;
    Ok(referrals)
}

/// How many referrals the desk sees in one status.
pub(crate) struct StatusCount {
    pub code: String,
    pub label: String,
    pub count: usize,
}

/// The desk's referrals of status `only` (those still with a hospital if
/// none), and the count of every status, in the status machine's order.
pub(crate) async fn desk(
    pool: &PgPool,
    user: &SignedIn,
    only: Option<&str>,
) -> sqlx::Result<(Vec<StatusCount>, Vec<Summary>)> {
    let mut conn = pool.acquire().await?;
    let all = view::list(&mut conn, user, true).await?;
    let mut counts: BTreeMap<usize, StatusCount> = BTreeMap::new();
    for r in &all {
        let order = ReferralStatus::ALL
            .iter()
            .position(|s| s.code() == r.status_code)
            .unwrap_or(usize::MAX);
        counts
            .entry(order)
            .or_insert_with(|| StatusCount {
                code: r.status_code.clone(),
                label: r.status.clone(),
                count: 0,
            })
            .count += 1;
    }
    let shown: Vec<Summary> = all
        .into_iter()
        .filter(|r| match only {
            Some(code) if !code.is_empty() => r.status_code == code,
            _ => in_hospital_care(&r.status_code),
        })
        .collect();
    audit::record_listed(&mut conn, &user.audit_actor(), &ids(&shown)).await?;
    Ok((counts.into_values().collect(), shown))
}

/// A referral as its page shows it.
pub(crate) struct Detail {
    pub summary: Summary,
    pub events: Vec<HistoryEvent>,
    /// The desk's calls (none for a hospital).
    pub calls: Vec<Call>,
    /// Every registered hospital, (id, name) by name.
    pub hospitals: Vec<(Uuid, String)>,
    /// Seen under a break-glass (ADR 0018): read-only.
    pub break_glass: bool,
}

/// The referral if `user` may see it, in their scope or under a live
/// break-glass (the view, or the refusal, audited).
pub(crate) async fn detail(
    pool: &PgPool,
    user: &SignedIn,
    id: Uuid,
) -> sqlx::Result<Option<Detail>> {
    let mut conn = pool.acquire().await?;
    let actor = user.audit_actor();
    let (summary, under_break_glass) = match view::visible(&mut conn, user, id).await? {
        Some(summary) => {
            audit::record(&mut conn, &actor, "view", "referral", &id.to_string()).await?;
            (summary, false)
        }
        None => match under_break_glass(&mut conn, user, id).await? {
            Some(summary) => (summary, true),
            None => {
                let entity = id.to_string();
                audit::record(&mut conn, &actor, "refused-view", "referral", &entity).await?;
                return Ok(None);
            }
        },
    };
    let events = history(&mut conn, &[id]).await?;
    let calls = if user.is_desk() {
        calls(&mut conn, id).await?
    } else {
        Vec::new()
    };
    let hospitals = db::organisations::hospitals(&mut conn).await?;
    Ok(Some(Detail {
        summary,
        events,
        calls,
        hospitals,
        break_glass: under_break_glass,
    }))
}

/// The referral as a live break-glass of `user` shows it, that view
/// audited as one under break-glass.
async fn under_break_glass(
    conn: &mut PgConnection,
    user: &SignedIn,
    id: Uuid,
) -> sqlx::Result<Option<Summary>> {
    let Some(glass) = break_glass::live_for(conn, user, id).await? else {
        return Ok(None);
    };
    let viewer = Viewer::BreakGlass(user.user_id);
    let Some(summary) = view::visible_as(conn, viewer, id).await? else {
        return Ok(None);
    };
    break_glass::record_view(conn, user, id, glass).await?;
    Ok(Some(summary))
}
