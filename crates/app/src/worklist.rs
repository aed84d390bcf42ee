//! The morning worklist (要確認): referrals that need the physician, worked
//! out from the episodes' summaries against today's date. Dismissing an
//! item keeps it dismissed (with its reason); a new situation raises a new
//! item.

use chrono::NaiveDate;
use tsunagu_domain::{Overdue, ReferralStatus, format_wareki};
use tsunagu_store::ReferralSummary;
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
}

impl App {
    pub async fn worklist(&self) -> Result<Vec<WorklistItem>, AppError> {
        let settings = self.worklist_settings().await?;
        self.worklist_with(settings).await
    }

    pub async fn worklist_with(
        &self,
        settings: WorklistSettings,
    ) -> Result<Vec<WorklistItem>, AppError> {
        let today = self.clock.today();
        let dismissed = self.store.dismissed_worklist_items().await?;
        let mut items: Vec<WorklistItem> = self
            .store
            .referrals_needing_attention(self.overdue_rule(settings))
            .await?
            .iter()
            .flat_map(|s| items_for(s, today))
            .filter(|i| !dismissed.contains(&i.key))
            .collect();
        items.extend(
            self.store
                .notes_from_region()
                .await?
                .into_iter()
                .map(note_item),
        );
        // The newest news first: that is what the morning list is for.
        items.sort_by(|a, b| (b.since, &a.key).cmp(&(a.since, &b.key)));
        Ok(items)
    }

    /// Worklist items not announced before, marked announced: what a desktop
    /// notification should tell the physician about.
    pub async fn new_worklist_alerts(&self) -> Result<Vec<WorklistItem>, AppError> {
        let items = self.worklist().await?;
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
    ) -> Result<Vec<WorklistItem>, AppError> {
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
                &self.actor,
                self.clock.now(),
            )
            .await?;
        self.worklist().await
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
    }
}

/// The worklist items one referral raises (it may raise two: discharged
/// elsewhere and still no reply letter).
fn items_for(s: &ReferralSummary, today: NaiveDate) -> Vec<WorklistItem> {
    let item = |key: String, title: &str, detail: String, since: NaiveDate| WorklistItem {
        key,
        referral_id: s.referral_id,
        patient_id: s.patient_id,
        patient_name: s.patient_name.clone(),
        hospital: s.hospital.clone(),
        title: title.to_string(),
        detail,
        since,
    };
    let id = s.referral_id;
    let mut items = Vec::new();
    match s.overdue {
        Some(Overdue::NoAcknowledgement) => items.push(item(
            format!("no-ack:{id}"),
            "受付の連絡がありません",
            format!(
                "紹介から{}日（{}）",
                (today - s.sent_on).num_days(),
                format_wareki(s.sent_on)
            ),
            s.sent_on,
        )),
        Some(Overdue::DischargeOverdue) => {
            if let Some(expected) = s.expected_discharge {
                items.push(item(
                    format!("discharge-overdue:{id}:{expected}"),
                    "退院予定日を過ぎています",
                    format!("予定 {}、退院の連絡なし", format_wareki(expected)),
                    expected,
                ));
            }
        }
        Some(Overdue::NoReply) => {
            if let Some(seen) = s.seen_on {
                items.push(item(
                    format!("no-reply:{id}"),
                    "返書が届いていません",
                    format!(
                        "受診・入院から{}日（{}）",
                        (today - seen).num_days(),
                        format_wareki(seen)
                    ),
                    seen,
                ));
            }
        }
        None => {}
    }
    match s.status {
        ReferralStatus::Discharged if s.discharged_to_this_clinic == Some(false) => {
            items.push(item(
                format!("discharged-elsewhere:{id}:{}", s.last_news),
                "自院以外へ退院しました",
                format!("{}（{}）", s.where_now, format_wareki(s.last_news)),
                s.last_news,
            ));
        }
        ReferralStatus::Deceased => items.push(item(
            format!("deceased:{id}"),
            "死亡の連絡がありました",
            format_wareki(s.last_news),
            s.last_news,
        )),
        _ => {}
    }
    items
}
