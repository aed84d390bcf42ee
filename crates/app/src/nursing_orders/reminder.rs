//! 要確認's renewal reminders: a station may visit only on an order in
//! force, so the doctor is told 14 days before an order ends, and that it
//! has ended if it was not renewed.
//!
//! The rule: for each patient and station, the regular order that ends
//! last counts, unless a renewal of it has been issued; it raises an item
//! while the domain's `renewal_state` says 更新時期 or 期限切れ. Issuing the
//! next order (「更新」, or a new order to that station ending later)
//! clears it; it is not dismissed. A 特別 order raises none: it runs 14
//! days beside the regular order, for a flare-up, and is not renewed. Nor
//! does any order once the patient's death is recorded (`renewal_reminder`).

use chrono::{Days, NaiveDate};
use tsunagu_domain::format_wareki;
use tsunagu_domain::nursing_order::{RENEWAL_NOTICE_DAYS, RenewalState, renewal_reminder};
use uuid::Uuid;

use crate::App;
use crate::error::AppError;
use crate::worklist::WorklistItem;

/// The worklist's titles (no patient data: a notification shows the
/// title alone).
pub const ORDER_DUE_TITLE: &str = "訪問看護指示書の期限が近づいています";
pub const ORDER_EXPIRED_TITLE: &str = "訪問看護指示書の期限が切れています";

impl App {
    pub(crate) async fn nursing_order_items(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<WorklistItem>, AppError> {
        Ok(self
            .store
            .latest_nursing_orders()
            .await?
            .into_iter()
            .filter_map(|o| {
                let state = renewal_reminder(o.ends_on, o.life, today)?;
                let end = format_wareki(o.ends_on);
                let (title, detail, since) = match state {
                    RenewalState::Current => return None,
                    RenewalState::Due => (
                        ORDER_DUE_TITLE,
                        format!("{end}まで（あと{}日）", (o.ends_on - today).num_days()),
                        o.ends_on
                            .checked_sub_days(Days::new(RENEWAL_NOTICE_DAYS))
                            .unwrap_or(o.ends_on),
                    ),
                    RenewalState::Expired => (
                        ORDER_EXPIRED_TITLE,
                        format!("{end}で終了"),
                        o.ends_on.succ_opt().unwrap_or(o.ends_on),
                    ),
                };
                Some(WorklistItem {
                    key: format!("nursing_order:{}:{}", o.order_id, state.code()),
                    referral_id: Uuid::nil(),
                    patient_id: o.patient_id,
                    patient_name: o.patient_name,
                    // The worklist shows it before the detail.
                    hospital: o.station,
                    title: title.to_string(),
                    detail,
                    since,
                    dismissible: false,
                })
            })
            .collect())
    }
}
