//! The clinic's settings the physician can change: for now, when silence
//! about a referral becomes a worklist item.

use serde::{Deserialize, Serialize};
use tsunagu_domain::OverdueRule;

use crate::App;
use crate::error::{AppError, FieldMessage};

const WORKLIST_KEY: &str = "worklist";
const MAX_DAYS: u32 = 365;

/// How long before silence becomes a worklist item (and the board's
/// overdue flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct WorklistSettings {
    /// Days after sending with no word from the hospital.
    pub days_to_acknowledgement: u32,
    /// Days after the first visit or admission with no reply letter.
    pub days_to_reply: u32,
}

impl Default for WorklistSettings {
    fn default() -> Self {
        WorklistSettings {
            days_to_acknowledgement: 7,
            days_to_reply: 14,
        }
    }
}

impl App {
    /// The saved thresholds, or the defaults if none were saved (or what was
    /// saved cannot be read).
    pub async fn worklist_settings(&self) -> Result<WorklistSettings, AppError> {
        Ok(self
            .store
            .setting(WORKLIST_KEY)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    pub async fn save_worklist_settings(
        &self,
        settings: WorklistSettings,
    ) -> Result<WorklistSettings, AppError> {
        let mut errors = Vec::new();
        let mut check = |value: u32, field: &str, label: &str| {
            if !(1..=MAX_DAYS).contains(&value) {
                errors.push(FieldMessage {
                    field: field.to_string(),
                    message: format!("{label}は1〜{MAX_DAYS}日で入力してください。"),
                });
            }
        };
        check(
            settings.days_to_acknowledgement,
            "daysToAcknowledgement",
            "受付の連絡を待つ日数",
        );
        check(settings.days_to_reply, "daysToReply", "返書を待つ日数");
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        let json = serde_json::to_string(&settings)
            .map_err(|_| AppError::from(tsunagu_store::StoreError::Corrupt("settings")))?;
        self.store
            .put_setting(WORKLIST_KEY, &json, &self.actor(), self.clock.now())
            .await?;
        Ok(settings)
    }

    pub(crate) fn overdue_rule(&self, settings: WorklistSettings) -> OverdueRule {
        OverdueRule {
            today: self.clock.today(),
            days_to_acknowledgement: settings.days_to_acknowledgement,
            days_to_reply: settings.days_to_reply,
        }
    }
}
