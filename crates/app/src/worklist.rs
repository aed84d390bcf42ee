//! The morning worklist (要確認): referrals that need the physician, worked
//! out from the events against today's date. Dismissing an item keeps it
//! dismissed (with its reason); a new situation raises a new item.

use chrono::NaiveDate;
use tsunagu_domain::{DischargeDestination, ReferralStatus, format_wareki};
use uuid::Uuid;

use crate::App;
use crate::error::AppError;
use crate::patients::parse_id;
use crate::referrals::state_of;

/// How long before silence becomes a worklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorklistSettings {
    /// Days after sending with no word from the hospital.
    pub days_to_acknowledgement: i64,
}

impl Default for WorklistSettings {
    fn default() -> Self {
        WorklistSettings {
            days_to_acknowledgement: 7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistItem {
    /// Stable for the situation it is about: the dismissal's key.
    pub key: String,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub hospital: String,
    /// e.g. 自院以外へ退院
    pub title: String,
    pub detail: String,
    /// The day the situation began.
    pub since: NaiveDate,
}

impl App {
    pub async fn worklist(&self) -> Result<Vec<WorklistItem>, AppError> {
        self.worklist_with(WorklistSettings::default()).await
    }

    pub async fn worklist_with(
        &self,
        settings: WorklistSettings,
    ) -> Result<Vec<WorklistItem>, AppError> {
        let today = self.clock.today();
        let names = self.store.patient_names().await?;
        let dismissed = self.store.dismissed_worklist_items().await?;
        let mut items = Vec::new();
        for record in self.store.all_referrals().await? {
            let state = state_of(&record)?;
            let item = |key: String, title: &str, detail: String, since: NaiveDate| WorklistItem {
                key,
                referral_id: record.id,
                patient_id: record.patient_id,
                patient_name: names.get(&record.patient_id).cloned().unwrap_or_default(),
                hospital: state.hospital.clone(),
                title: title.to_string(),
                detail,
                since,
            };
            let waited = (today - state.sent_on).num_days();
            match state.status {
                ReferralStatus::Sent if waited >= settings.days_to_acknowledgement => {
                    items.push(item(
                        format!("no-ack:{}", record.id),
                        "受付の連絡がありません",
                        format!("紹介から{waited}日（{}）", format_wareki(state.sent_on)),
                        state.sent_on,
                    ));
                }
                ReferralStatus::Admitted
                | ReferralStatus::DischargePlanned
                | ReferralStatus::Transferred => {
                    if let Some(expected) = state.expected_discharge.filter(|d| *d < today) {
                        items.push(item(
                            format!("discharge-overdue:{}:{expected}", record.id),
                            "退院予定日を過ぎています",
                            format!("予定 {}、退院の連絡なし", format_wareki(expected)),
                            expected,
                        ));
                    }
                }
                ReferralStatus::Discharged => {
                    if let Some(to) = &state.discharged_to
                        && *to != DischargeDestination::ThisClinic
                    {
                        items.push(item(
                            format!("discharged-elsewhere:{}:{}", record.id, state.last_news),
                            "自院以外へ退院しました",
                            format!("{}（{}）", to.label_ja(), format_wareki(state.last_news)),
                            state.last_news,
                        ));
                    }
                }
                ReferralStatus::Deceased => {
                    items.push(item(
                        format!("deceased:{}", record.id),
                        "死亡の連絡がありました",
                        format_wareki(state.last_news),
                        state.last_news,
                    ));
                }
                _ => {}
            }
        }
        items.retain(|i| !dismissed.contains(&i.key));
        items.sort_by(|a, b| (a.since, &a.key).cmp(&(b.since, &b.key)));
        Ok(items)
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
