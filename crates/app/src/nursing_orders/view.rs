//! What the order screens show: drafts as typed, issued orders with where
//! they stand today (the domain's `renewal_state`), and the stations an
//! order may be addressed to.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::nursing_order::{NursingOrderDraft, OrderKind, RenewalState, renewal_state};
use tsunagu_domain::{PatientLife, format_wareki, japan_day};
use tsunagu_store::{NursingOrderDraftRecord, StoredNursingOrder};
use uuid::Uuid;

/// The form and its addressee, as the order screen saves them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NursingOrderInput {
    /// A station of [`crate::App::nursing_order_stations`] (its member
    /// id), or `None` when the station's name is typed in `form.station`
    /// (allowed only while no station is an active member of the team).
    pub station_member_id: Option<String>,
    /// The form as typed (its `kind` and `patientId` are the draft's own
    /// and are not changed by a save).
    pub form: NursingOrderDraft,
}

/// An order being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderDraftView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: OrderKind,
    /// 「訪問看護指示書」 or 「特別訪問看護指示書」
    pub kind_label: String,
    pub form: NursingOrderDraft,
    pub station_member_id: Option<Uuid>,
    /// The issued order this draft renews.
    pub renews: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl NursingOrderDraftView {
    pub(crate) fn new(record: NursingOrderDraftRecord) -> Self {
        NursingOrderDraftView {
            id: record.id,
            patient_id: record.patient_id,
            kind: record.kind,
            kind_label: record.kind.label_ja().to_string(),
            form: record.draft,
            station_member_id: record.station_member_id,
            renews: record.renews,
            updated_at: record.updated_at,
        }
    }
}

/// An issued order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: OrderKind,
    /// 「訪問看護指示書」 or 「特別訪問看護指示書」
    pub kind_label: String,
    /// 「別紙様式16」 or 「別紙様式18」
    pub form_number: String,
    /// The station as printed (…殿).
    pub station: String,
    /// The team member it was addressed to; `None` for a typed name.
    pub station_member_id: Option<Uuid>,
    /// 指示日
    pub issued_on: NaiveDate,
    pub issued_on_label: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// 「令和8年12月1日～令和9年5月31日」
    pub period_label: String,
    /// Where it stands today.
    pub state: RenewalState,
    /// 有効 / 更新時期 / 期限切れ
    pub state_label: String,
    pub renews: Option<Uuid>,
    /// The order issued as its renewal.
    pub renewed_by: Option<Uuid>,
    /// 「更新」 is offered: no renewal has been issued yet, nor was it
    /// decided not to renew, and the patient's care goes on (no 死亡
    /// recorded).
    pub may_renew: bool,
    /// 「更新しない」 is offered: a regular order neither renewed nor ended.
    pub may_end: bool,
    /// 「更新しない：入院のため（医師 佐藤 花子、令和8年12月7日）」 once decided.
    pub ending: Option<String>,
    pub sha256: String,
    pub pdf_size: u64,
    pub issued_at: DateTime<Utc>,
    /// The account that issued it (`account:<login>`).
    pub issued_by: String,
}

impl NursingOrderView {
    pub(crate) fn new(stored: StoredNursingOrder, life: PatientLife, today: NaiveDate) -> Self {
        let state = renewal_state(stored.ends_on, today);
        NursingOrderView {
            id: stored.id,
            patient_id: stored.patient_id,
            kind: stored.kind,
            kind_label: stored.kind.label_ja().to_string(),
            form_number: stored.kind.form_number_ja().to_string(),
            station: stored.station,
            station_member_id: stored.station_member_id,
            issued_on: stored.issued_on,
            issued_on_label: format_wareki(stored.issued_on),
            starts_on: stored.starts_on,
            ends_on: stored.ends_on,
            period_label: format!(
                "{}～{}",
                format_wareki(stored.starts_on),
                format_wareki(stored.ends_on)
            ),
            state,
            state_label: state.label_ja().to_string(),
            renews: stored.renews,
            renewed_by: stored.renewed_by,
            may_renew: stored.renewed_by.is_none()
                && stored.ending.is_none()
                && life.care_goes_on(),
            may_end: stored.kind == OrderKind::Regular
                && stored.renewed_by.is_none()
                && stored.ending.is_none(),
            ending: stored.ending.as_ref().map(|e| {
                format!(
                    "更新しない：{}（{}、{}）",
                    e.reason,
                    e.decided_by_name,
                    format_wareki(japan_day(e.decided_at))
                )
            }),
            sha256: stored.sha256,
            pdf_size: stored.pdf_size,
            issued_at: stored.issued_at,
            issued_by: stored.issued_by,
        }
    }
}

/// The patient's orders: drafts (most recently edited first) and issued
/// orders (the latest issued first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientNursingOrders {
    pub drafts: Vec<NursingOrderDraftView>,
    pub orders: Vec<NursingOrderView>,
}

/// What issuing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedNursingOrder {
    pub order: NursingOrderView,
    /// The order was posted on the patient's team timeline with its PDF
    /// (addressed to a team member, under the team consent). `false`
    /// also when the post was refused: the order stands issued.
    pub shared_on_timeline: bool,
}

/// A visiting nurse station on the patient's team, active now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderStation {
    /// What [`NursingOrderInput::station_member_id`] takes.
    pub member_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub name: String,
    /// The person in charge, if the invitation named one.
    pub person: String,
    pub phone: String,
    pub fax: String,
}

/// Where an order for this patient may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderStations {
    pub stations: Vec<NursingOrderStation>,
    /// A station may be typed by name: no station is an active member of
    /// the patient's team (no team yet, or the station has not joined).
    pub may_type_name: bool,
}
