//! The morning worklist (要確認): referrals that need the physician, worked
//! out from the episodes' summaries against today's date. Dismissing an
//! item keeps it dismissed (with its reason); a new situation raises a new
//! item.

use chrono::NaiveDate;
use tsunagu_domain::team::RequestState;
use tsunagu_domain::{Overdue, WorklistReason, format_wareki, open_request_needs_attention};
use tsunagu_store::AttentionItem;
use uuid::Uuid;

use crate::App;
use crate::error::AppError;
use crate::patients::parse_id;
use crate::settings::WorklistSettings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistItem {
    /// Stable for the situation it is about: the dismissal's key.
    pub key: String,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub hospital: String,
    /// e.g. 自院以外へ退院しました
    pub title: String,
    pub detail: String,
    /// The day the situation began.
    pub since: NaiveDate,
    /// The physician may take it off the list (a 相談 leaves it when it is
    /// answered or closed, not by dismissal).
    pub dismissible: bool,
}

/// The items the start screen shows at most, newest first; the count
/// says how many there are in all.
pub const WORKLIST_SHOWN: u32 = 100;

/// A page of the worklist: the newest items and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistPage {
    pub items: Vec<WorklistItem>,
    pub total: usize,
}

impl App {
    /// Every worklist item, newest first (for notifications and tests; the
    /// screen reads [`App::worklist_page`]).
    pub async fn worklist(&self) -> Result<Vec<WorklistItem>, AppError> {
        let settings = self.worklist_settings().await?;
        Ok(self.worklist_with(settings, None).await?.items)
    }

    /// The newest [`WORKLIST_SHOWN`] items and the count of all of them.
    pub async fn worklist_page(&self) -> Result<WorklistPage, AppError> {
        let settings = self.worklist_settings().await?;
        self.worklist_with(settings, Some(WORKLIST_SHOWN)).await
    }

    async fn worklist_with(
        &self,
        settings: WorklistSettings,
        limit: Option<u32>,
    ) -> Result<WorklistPage, AppError> {
        let today = self.clock.today();
        let attention = self
            .store
            .worklist_attention(self.overdue_rule(settings), limit)
            .await?;
        let notes = self.store.notes_from_region().await?;
        let requests: Vec<_> = self
            .store
            .open_team_requests()
            .await?
            .into_iter()
            .filter(|r| {
                open_request_needs_attention(RequestState::Open, local_day(r.posted_at), today)
            })
            .collect();
        let reviews = self.acp_review_items(today).await?;
        let orders = self.nursing_order_items(today).await?;
        let total = usize::try_from(attention.total).unwrap_or(usize::MAX)
            + notes.len()
            + requests.len()
            + reviews.len()
            + orders.len();
        let mut items: Vec<WorklistItem> = attention
            .items
            .into_iter()
            .map(|item| attention_item(item, today))
            .chain(notes.into_iter().map(note_item))
            .chain(requests.into_iter().map(|r| request_item(r, today)))
            .chain(reviews)
            .chain(orders)
            .collect();
        // The newest news first: that is what the morning list is for.
        items.sort_by(|a, b| (b.since, &a.key).cmp(&(a.since, &b.key)));
        if let Some(limit) = limit {
            items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        Ok(WorklistPage { items, total })
    }

    /// Worklist items not announced before, marked announced: what a desktop
    /// notification should tell the physician about.
    pub async fn new_worklist_alerts(&self) -> Result<Vec<WorklistItem>, AppError> {
        let mut items = self.worklist().await?;
        // A hospital's 退院後の在宅医療の相談 waits for its answer too.
        items.extend(self.discharge_request_alerts().await?);
        // So does a 受入相談 asked of this clinic.
        items.extend(self.intake_alerts().await?);
        let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
        let fresh = self
            .store
            .first_notifications(&keys, self.clock.now())
            .await?;
        Ok(items
            .into_iter()
            .filter(|i| fresh.contains(&i.key))
            .collect())
    }

    /// Takes an item off the worklist for good, with the reason.
    pub async fn dismiss_worklist_item(
        &self,
        referral_id: &str,
        key: &str,
        reason: &str,
    ) -> Result<WorklistPage, AppError> {
        if reason.trim().is_empty() {
            return Err(AppError::field(
                "reason",
                "確認した内容（理由）を入力してください。",
            ));
        }
        let referral_id = parse_id(referral_id)?;
        if !key.contains(&referral_id.to_string()) {
            return Err(AppError::not_found());
        }
        self.store
            .dismiss_worklist_item(
                key,
                referral_id,
                reason.trim(),
                &self.actor(),
                self.clock.now(),
            )
            .await?;
        self.worklist_page().await
    }
}

fn local_day(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

/// A 相談・依頼 left without an answer: the team's question to the
/// physician, or the physician's own waiting for the team.
fn request_item(r: tsunagu_store::OpenRequest, today: NaiveDate) -> WorklistItem {
    let posted = local_day(r.posted_at);
    WorklistItem {
        key: format!("team_request:{}", r.entry_id),
        referral_id: Uuid::nil(),
        patient_id: r.patient_id,
        patient_name: r.patient_name,
        hospital: r.author,
        title: if r.mine {
            "在宅チームからの回答がありません".to_string()
        } else {
            "在宅チームの相談・依頼に回答していません".to_string()
        },
        detail: format!(
            "{}日前（{}）の相談・依頼",
            (today - posted).num_days(),
            format_wareki(posted)
        ),
        since: posted,
        dismissible: false,
    }
}

/// A note from a hospital or the desk stays on the worklist until the
/// physician has read it and dismissed it.
fn note_item(n: tsunagu_store::RegionNote) -> WorklistItem {
    const SHOWN: usize = 60;
    let mut detail: String = n.note.split_whitespace().collect::<Vec<_>>().join(" ");
    if detail.chars().count() > SHOWN {
        detail = detail.chars().take(SHOWN).collect::<String>() + "…";
    }
    WorklistItem {
        key: format!("note:{}:{}", n.referral_id, n.event_id),
        referral_id: n.referral_id,
        patient_id: n.patient_id,
        patient_name: n.patient_name,
        hospital: n.hospital,
        title: "病院・窓口から連絡があります".to_string(),
        detail: format!("{detail}（{}）", n.actor),
        since: n.at.with_timezone(&chrono::Local).date_naive(),
        dismissible: true,
    }
}

/// The item a situation the store found raises.
fn attention_item(item: AttentionItem, today: NaiveDate) -> WorklistItem {
    let s = item.summary;
    let detail = match item.reason {
        WorklistReason::Overdue(Overdue::NoAcknowledgement) => format!(
            "紹介から{}日（{}）",
            (today - item.since).num_days(),
            format_wareki(item.since)
        ),
        WorklistReason::Overdue(Overdue::DischargeOverdue) => {
            format!("予定 {}、退院の連絡なし", format_wareki(item.since))
        }
        WorklistReason::Overdue(Overdue::NoReply) => format!(
            "受診・入院から{}日（{}）",
            (today - item.since).num_days(),
            format_wareki(item.since)
        ),
        WorklistReason::DischargedElsewhere => {
            format!("{}（{}）", s.where_now, format_wareki(item.since))
        }
        WorklistReason::Deceased => format_wareki(item.since),
    };
    WorklistItem {
        key: item.key,
        referral_id: s.referral_id,
        patient_id: s.patient_id,
        patient_name: s.patient_name,
        hospital: s.hospital,
        title: item.reason.title_ja().to_string(),
        detail,
        since: item.since,
        dismissible: true,
    }
}
