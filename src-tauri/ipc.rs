//! The JSON shapes that cross the IPC boundary, and their TypeScript twins
//! in `ui/src/api/bindings.ts` (generated from these by ts-rs; a test fails
//! when that file is stale). Only this module knows these shapes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
    Other,
}

impl From<app::Sex> for Sex {
    fn from(sex: app::Sex) -> Self {
        match sex {
            app::Sex::Male => Sex::Male,
            app::Sex::Female => Sex::Female,
            app::Sex::Other => Sex::Other,
        }
    }
}

impl From<Sex> for app::Sex {
    fn from(sex: Sex) -> Self {
        match sex {
            Sex::Male => app::Sex::Male,
            Sex::Female => app::Sex::Female,
            Sex::Other => app::Sex::Other,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClinicProfile {
    pub name: String,
    /// Empty when the clinic has not entered one.
    pub institution_code: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub doctor_name: String,
}

impl From<app::ClinicProfileView> for ClinicProfile {
    fn from(p: app::ClinicProfileView) -> Self {
        ClinicProfile {
            name: p.name,
            institution_code: p.institution_code.unwrap_or_default(),
            postal_code: p.postal_code,
            address: p.address,
            phone: p.phone,
            fax: p.fax,
            doctor_name: p.doctor_name,
        }
    }
}

impl From<ClinicProfile> for app::ClinicDraft {
    fn from(p: ClinicProfile) -> Self {
        app::ClinicDraft {
            name: p.name,
            institution_code: p.institution_code,
            postal_code: p.postal_code,
            address: p.address,
            phone: p.phone,
            fax: p.fax,
            doctor_name: p.doctor_name,
        }
    }
}

/// What the patient form sends: the fields as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientInput {
    pub name: String,
    pub kana: String,
    pub birth_date: String,
    pub sex: Option<Sex>,
    pub address: String,
    pub phone: String,
    pub key_person_name: String,
    pub key_person_relation: String,
    pub key_person_phone: String,
    pub chart_number: String,
    pub memo: String,
}

impl From<PatientInput> for app::PatientDraft {
    fn from(p: PatientInput) -> Self {
        app::PatientDraft {
            name: p.name,
            kana: p.kana,
            birth_date: p.birth_date,
            sex: p.sex.map(Into::into),
            address: p.address,
            phone: p.phone,
            key_person_name: p.key_person_name,
            key_person_relation: p.key_person_relation,
            key_person_phone: p.key_person_phone,
            chart_number: p.chart_number,
            memo: p.memo,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub id: String,
    pub name: String,
    pub kana: String,
    /// ISO 8601 date, e.g. 1950-04-01.
    pub birth_date: String,
    /// e.g. 昭和25年4月1日
    pub birth_date_wareki: String,
    /// e.g. 昭和25年4月1日（76歳）
    pub birth_date_display: String,
    pub age: u32,
    pub sex: Sex,
    pub address: String,
    pub phone: String,
    pub key_person_name: String,
    pub key_person_relation: String,
    pub key_person_phone: String,
    pub chart_number: Option<String>,
    pub memo: String,
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<app::PatientView> for Patient {
    fn from(v: app::PatientView) -> Self {
        let f = v.fields;
        Patient {
            id: v.id.to_string(),
            name: f.name,
            kana: f.kana,
            birth_date: f.birth_date.format("%Y-%m-%d").to_string(),
            birth_date_wareki: v.birth_date_wareki,
            birth_date_display: v.birth_date_display,
            age: v.age,
            sex: f.sex.into(),
            address: f.address,
            phone: f.phone,
            key_person_name: f.key_person.name,
            key_person_relation: f.key_person.relation,
            key_person_phone: f.key_person.phone,
            chart_number: f.chart_number,
            memo: f.memo,
            deleted: v.deleted,
            created_at: v.created_at.to_rfc3339(),
            updated_at: v.updated_at.to_rfc3339(),
        }
    }
}

/// A row of the patient list: what it shows, without the long fields.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummary {
    pub id: String,
    pub name: String,
    pub kana: String,
    pub birth_date: String,
    pub birth_date_display: String,
    pub sex: Sex,
    pub chart_number: Option<String>,
    pub deleted: bool,
}

impl From<app::PatientView> for PatientSummary {
    fn from(v: app::PatientView) -> Self {
        PatientSummary {
            id: v.id.to_string(),
            name: v.fields.name,
            kana: v.fields.kana,
            birth_date: v.fields.birth_date.format("%Y-%m-%d").to_string(),
            birth_date_display: v.birth_date_display,
            sex: v.fields.sex.into(),
            chart_number: v.fields.chart_number,
            deleted: v.deleted,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub patients: Vec<PatientSummary>,
    /// How many match in all; `patients` holds at most 100 of them.
    pub total: u32,
    /// More than `total` match: counting stopped there (shown as 「1,000件以上」).
    pub total_capped: bool,
}

impl From<app::PatientList> for SearchResult {
    fn from(list: app::PatientList) -> Self {
        SearchResult {
            total: u32::try_from(list.total).unwrap_or(u32::MAX),
            total_capped: list.total_capped,
            patients: list.patients.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BirthDatePreview {
    pub iso: String,
    pub display: String,
}

impl From<app::BirthDatePreview> for BirthDatePreview {
    fn from(p: app::BirthDatePreview) -> Self {
        BirthDatePreview {
            iso: p.date.format("%Y-%m-%d").to_string(),
            display: p.display,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    StoreUnavailable,
    StoreKeyMissing,
    StoreKeyWrong,
    KeyringUnavailable,
    Network,
    Internal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every command's failure: `code` for the UI to switch on, `message` in
/// Japanese to show, and per-field messages for forms.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<app::AppError> for AppError {
    fn from(e: app::AppError) -> Self {
        AppError {
            code: match e.code {
                app::ErrorCode::Validation => ErrorCode::Validation,
                app::ErrorCode::NotFound => ErrorCode::NotFound,
                app::ErrorCode::Conflict => ErrorCode::Conflict,
                app::ErrorCode::StoreUnavailable => ErrorCode::StoreUnavailable,
                app::ErrorCode::StoreKeyMissing => ErrorCode::StoreKeyMissing,
                app::ErrorCode::StoreKeyWrong => ErrorCode::StoreKeyWrong,
                app::ErrorCode::KeyringUnavailable => ErrorCode::KeyringUnavailable,
                app::ErrorCode::Network => ErrorCode::Network,
                app::ErrorCode::Internal => ErrorCode::Internal,
            },
            message: e.message,
            fields: e
                .fields
                .into_iter()
                .map(|f| FieldError {
                    field: f.field,
                    message: f.message,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum StartupState {
    #[serde(rename_all = "camelCase")]
    Ready {
        clinic: Option<ClinicProfile>,
        data_dir: String,
    },
    #[serde(rename_all = "camelCase")]
    Failed { error: AppError, data_dir: String },
}

// ------------------------------------------------------------------ letters

pub use app::LetterDraftContent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    /// 診療情報提供書
    Referral,
    /// 退院時サマリー
    Discharge,
}

impl From<app::LetterKind> for LetterKind {
    fn from(kind: app::LetterKind) -> Self {
        match kind {
            app::LetterKind::Referral => LetterKind::Referral,
            app::LetterKind::Discharge => LetterKind::Discharge,
        }
    }
}

impl From<LetterKind> for app::LetterKind {
    fn from(kind: LetterKind) -> Self {
        match kind {
            LetterKind::Referral => app::LetterKind::Referral,
            LetterKind::Discharge => app::LetterKind::Discharge,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LetterDraft {
    pub id: String,
    pub patient_id: String,
    pub kind: LetterKind,
    pub content: LetterDraftContent,
    /// The issued letter this draft corrects.
    pub supersedes: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<app::LetterDraftView> for LetterDraft {
    fn from(d: app::LetterDraftView) -> Self {
        LetterDraft {
            id: d.id.to_string(),
            patient_id: d.patient_id.to_string(),
            kind: d.kind.into(),
            content: d.content,
            supersedes: d.supersedes.map(|id| id.to_string()),
            updated_at: d.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub institution: String,
    pub department: String,
    pub doctor: String,
}

impl From<app::Destination> for Destination {
    fn from(d: app::Destination) -> Self {
        Destination {
            institution: d.institution,
            department: d.department,
            doctor: d.doctor,
        }
    }
}

impl From<Destination> for app::Destination {
    fn from(d: Destination) -> Self {
        app::Destination {
            institution: d.institution,
            department: d.department,
            doctor: d.doctor,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Destinations {
    pub recent: Vec<Destination>,
    pub favourites: Vec<Destination>,
    /// Hospitals registered on the regional server.
    pub registered: Vec<String>,
}

impl From<app::Destinations> for Destinations {
    fn from(d: app::Destinations) -> Self {
        Destinations {
            recent: d.recent.into_iter().map(Into::into).collect(),
            favourites: d.favourites.into_iter().map(Into::into).collect(),
            registered: d.registered,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IssuedLetter {
    pub id: String,
    pub kind: LetterKind,
    pub version: u32,
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
    pub tracking_code: Option<String>,
    /// The referral's status in Japanese, e.g. 紹介済.
    pub referral_status: Option<String>,
    pub to: Destination,
    pub sha256: String,
    pub pdf_size: u32,
    /// e.g. 令和8年5月12日
    pub issued_on: String,
}

impl From<app::LetterView> for IssuedLetter {
    fn from(l: app::LetterView) -> Self {
        let s = l.summary;
        IssuedLetter {
            id: s.id.to_string(),
            kind: s.kind.into(),
            version: s.version,
            supersedes: s.supersedes.map(|id| id.to_string()),
            superseded_by: s.superseded_by.map(|id| id.to_string()),
            tracking_code: s.tracking_code,
            referral_status: s.referral_status.as_deref().map(status_label),
            to: s.to.into(),
            sha256: s.sha256,
            pdf_size: u32::try_from(s.pdf_size).unwrap_or(u32::MAX),
            issued_on: l.issued_on_wareki,
        }
    }
}

/// The status's label from the domain (an unknown code is shown as it is).
fn status_label(code: &str) -> String {
    app::ReferralStatus::from_code(code)
        .map_or(code, |s| s.label_ja())
        .to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientLetters {
    pub drafts: Vec<LetterDraft>,
    pub letters: Vec<IssuedLetter>,
}

impl From<app::PatientLetters> for PatientLetters {
    fn from(p: app::PatientLetters) -> Self {
        PatientLetters {
            drafts: p.drafts.into_iter().map(Into::into).collect(),
            letters: p.letters.into_iter().map(Into::into).collect(),
        }
    }
}

/// What became of a "save as PDF": the path, or nothing if the user
/// cancelled the dialog.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: Option<String>,
}

// ---------------------------------------------------------------- referrals

pub use app::EventInput;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralEvent {
    pub id: String,
    /// e.g. 入院中, or 記録の取り消し
    pub title: String,
    /// The status code, absent for a voiding entry.
    pub status: Option<String>,
    /// 和暦, the day it happened.
    pub date: Option<String>,
    pub summary: String,
    pub note: String,
    /// Who recorded it: この医院 / 地域連携窓口 / 病院 地域連携室
    pub source: String,
    pub actor: String,
    /// RFC 3339.
    pub recorded_at: String,
    /// Marked as entered in error by a later entry.
    pub voided: bool,
    /// This clinic's entry that no longer fits the hospital's or desk's
    /// record: it does not count (a conflict, shown as such).
    pub set_aside: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    pub id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: String,
    pub status_label: String,
    pub hospital: String,
    pub where_now: String,
    /// 和暦
    pub sent_on: String,
    /// 和暦
    pub last_news: String,
    pub days_since_news: i32,
    pub open: bool,
    /// Oldest first.
    pub events: Vec<ReferralEvent>,
    /// Reply letters (返書), oldest first.
    pub replies: Vec<Reply>,
    /// The registered hospital the region routed it to, when not `hospital`.
    pub routed_to: Option<String>,
}

impl From<app::ReferralView> for Referral {
    fn from(r: app::ReferralView) -> Self {
        Referral {
            id: r.id.to_string(),
            patient_id: r.patient_id.to_string(),
            patient_name: r.patient_name,
            tracking_code: r.tracking_code,
            status: r.status.code().to_string(),
            status_label: r.status.label_ja().to_string(),
            hospital: r.hospital,
            where_now: r.where_now.label_ja(),
            sent_on: app::format_wareki(r.sent_on),
            last_news: app::format_wareki(r.last_news),
            days_since_news: i32::try_from(r.days_since_news).unwrap_or(i32::MAX),
            open: r.open,
            events: r
                .events
                .into_iter()
                .map(|e| ReferralEvent {
                    id: e.id.to_string(),
                    title: e.title,
                    status: e.status.map(|s| s.code().to_string()),
                    date: e.date,
                    summary: e.summary,
                    note: e.note,
                    source: e.source,
                    actor: e.actor,
                    recorded_at: e.recorded_at.to_rfc3339(),
                    voided: e.voided,
                    set_aside: e.set_aside,
                })
                .collect(),
            replies: r.replies.into_iter().map(Into::into).collect(),
            routed_to: r.routed_to,
        }
    }
}

/// A reply letter as recorded; its scan is opened with `open_reply_attachment`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub id: String,
    /// 和暦
    pub received_on: String,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
    pub attachment_name: Option<String>,
    pub attachment_size: Option<i32>,
    pub recorded_by: String,
}

impl From<app::ReplyView> for Reply {
    fn from(r: app::ReplyView) -> Self {
        let f = r.findings;
        Reply {
            id: r.id.to_string(),
            received_on: r.received_on,
            initial_diagnosis: f.initial_diagnosis,
            final_diagnosis: f.final_diagnosis,
            findings: f.findings,
            treatment: f.treatment,
            recommendations: f.recommendations,
            medication_changes: f.medication_changes,
            note: f.note,
            attachment_name: r.attachment_name,
            attachment_size: r.attachment_size.and_then(|n| i32::try_from(n).ok()),
            recorded_by: r.recorded_by,
        }
    }
}

/// The reply form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplyInput {
    pub received_on: String,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
}

impl From<ReplyInput> for app::ReplyDraft {
    fn from(r: ReplyInput) -> Self {
        app::ReplyDraft {
            received_on: r.received_on,
            initial_diagnosis: r.initial_diagnosis,
            final_diagnosis: r.final_diagnosis,
            findings: r.findings,
            treatment: r.treatment,
            recommendations: r.recommendations,
            medication_changes: r.medication_changes,
            note: r.note,
        }
    }
}

/// A file picked in the OS dialog and found acceptable, not yet stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenFile {
    /// Pass back to store it.
    pub token: String,
    pub name: String,
    pub size: i32,
}

pub use app::{BoardFilter, FiguresPeriod, WorklistSettings};

/// One row of the referral board.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoardRow {
    pub referral_id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: String,
    pub status_label: String,
    pub referred_to: String,
    pub hospital: String,
    pub where_now: String,
    /// 和暦
    pub sent_on: String,
    /// 和暦
    pub last_news: String,
    pub days_since_news: i32,
    pub open: bool,
    /// Why it is overdue (受付の連絡なし, 退院予定日超過, 返書未着), if it is.
    pub overdue: Option<String>,
    pub replied: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub rows: Vec<BoardRow>,
    pub total: i32,
    pub page: i32,
    pub page_size: i32,
    pub hospitals: Vec<String>,
}

impl From<app::Board> for Board {
    fn from(b: app::Board) -> Self {
        Board {
            rows: b
                .rows
                .into_iter()
                .map(|r| BoardRow {
                    referral_id: r.referral_id.to_string(),
                    patient_id: r.patient_id.to_string(),
                    patient_name: r.patient_name,
                    tracking_code: r.tracking_code,
                    status: r.status.code().to_string(),
                    status_label: r.status.label_ja().to_string(),
                    referred_to: r.referred_to,
                    hospital: r.hospital,
                    where_now: r.where_now.label_ja(),
                    sent_on: app::format_wareki(r.sent_on),
                    last_news: app::format_wareki(r.last_news),
                    days_since_news: i32::try_from(r.days_since_news).unwrap_or(i32::MAX),
                    open: r.open,
                    overdue: r.overdue,
                    replied: r.replied,
                })
                .collect(),
            total: i32::try_from(b.total).unwrap_or(i32::MAX),
            page: i32::try_from(b.page).unwrap_or(i32::MAX),
            page_size: i32::try_from(b.page_size).unwrap_or(i32::MAX),
            hospitals: b.hospitals,
        }
    }
}

/// One row of the loop figures; percentages and medians are absent when
/// there is nothing to count.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FigureRow {
    /// 全体 for the overall row.
    pub hospital: String,
    pub sent: i32,
    pub acknowledged: i32,
    pub replied: i32,
    pub acknowledged_pct: Option<f64>,
    pub replied_pct: Option<f64>,
    pub median_days_to_acknowledgement: Option<f64>,
    pub median_days_to_reply: Option<f64>,
    /// 自院へ戻った, 他の在宅医, 施設, 死亡, 不明・継続中 (in `outcomeLabels` order).
    pub outcomes: Vec<i32>,
    pub lost: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoopFigures {
    /// 和暦
    pub from: String,
    pub to: String,
    pub overall: FigureRow,
    pub by_hospital: Vec<FigureRow>,
    pub cancelled: i32,
    pub outcome_labels: Vec<String>,
    /// Days without news after which an unknown outcome counts as lost.
    pub lost_after_days: i32,
}

fn figure_row(r: app::FigureRow) -> FigureRow {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    FigureRow {
        hospital: if r.hospital.is_empty() {
            "全体".to_string()
        } else {
            r.hospital
        },
        sent: n(r.sent),
        acknowledged: n(r.acknowledged),
        replied: n(r.replied),
        acknowledged_pct: r.acknowledged_pct,
        replied_pct: r.replied_pct,
        median_days_to_acknowledgement: r.median_days_to_acknowledgement,
        median_days_to_reply: r.median_days_to_reply,
        outcomes: r.outcomes.into_iter().map(n).collect(),
        lost: n(r.lost),
    }
}

impl From<app::LoopFigures> for LoopFigures {
    fn from(f: app::LoopFigures) -> Self {
        LoopFigures {
            from: app::format_wareki(f.from),
            to: app::format_wareki(f.to),
            overall: figure_row(f.overall),
            by_hospital: f.by_hospital.into_iter().map(figure_row).collect(),
            cancelled: i32::try_from(f.cancelled).unwrap_or(i32::MAX),
            outcome_labels: app::Outcome::ALL
                .iter()
                .map(|o| o.label_ja().to_string())
                .collect(),
            lost_after_days: i32::try_from(app::LOST_AFTER_DAYS).unwrap_or(i32::MAX),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientReferrals {
    /// e.g. 豊島中央病院 入院中（5階東病棟）, 自院通院中
    pub where_now: String,
    /// Newest first.
    pub referrals: Vec<Referral>,
}

/// One item of the morning worklist (要確認).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorklistItem {
    /// What the item is about; pass it back to dismiss it.
    pub key: String,
    pub referral_id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub hospital: String,
    pub title: String,
    pub detail: String,
    /// 和暦
    pub since: String,
}

impl From<app::WorklistItem> for WorklistItem {
    fn from(i: app::WorklistItem) -> Self {
        WorklistItem {
            key: i.key,
            referral_id: i.referral_id.to_string(),
            patient_id: i.patient_id.to_string(),
            patient_name: i.patient_name,
            hospital: i.hospital,
            title: i.title,
            detail: i.detail,
            since: app::format_wareki(i.since),
        }
    }
}

// ------------------------------------------------------------------ sync

/// This install's enrollment with the regional server.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server_url: String,
    pub organisation_name: String,
    pub device_id: String,
    /// RFC 3339.
    pub enrolled_at: String,
}

impl From<app::SyncView> for SyncStatus {
    fn from(v: app::SyncView) -> Self {
        SyncStatus {
            server_url: v.server_url,
            organisation_name: v.organisation_name,
            device_id: v.device_id.to_string(),
            enrolled_at: v.enrolled_at.to_rfc3339(),
        }
    }
}

/// The enrollment form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct EnrollInput {
    pub server_url: String,
    pub code: String,
    pub device_name: String,
}

/// 最終同期 and what waits to be sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// RFC 3339; `None` before the first complete exchange.
    pub last_synced_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// Why the last attempt failed, in Japanese.
    pub last_error: Option<String>,
    pub pending: i64,
    pub refused: i64,
    /// Rises when a background exchange brings news: the UI reloads.
    #[ts(type = "number")]
    pub news_arrivals: u64,
}

impl From<app::SyncState> for SyncState {
    fn from(s: app::SyncState) -> Self {
        SyncState {
            last_synced_at: s.last_synced_at.map(|t| t.to_rfc3339()),
            last_attempt_at: s.last_attempt_at.map(|t| t.to_rfc3339()),
            last_error: s.last_error,
            pending: s.pending,
            refused: s.refused,
            news_arrivals: s.news_arrivals,
        }
    }
}

/// A change the server refused.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub what: String,
    pub patient_id: String,
    pub patient_name: String,
    pub reason: String,
    /// RFC 3339.
    pub at: String,
}

impl From<app::SyncConflict> for SyncConflict {
    fn from(c: app::SyncConflict) -> Self {
        SyncConflict {
            what: c.what.to_string(),
            patient_id: c.patient_id.to_string(),
            patient_name: c.patient_name,
            reason: c.reason,
            at: c.at.to_rfc3339(),
        }
    }
}

/// What 今すぐ同期 did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub pushed: u32,
    pub refused: u32,
    pub pulled: u32,
    pub news: u32,
}

impl From<app::SyncReport> for SyncReport {
    fn from(r: app::SyncReport) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        SyncReport {
            pushed: n(r.pushed),
            refused: n(r.refused),
            pulled: n(r.pulled),
            news: n(r.news),
        }
    }
}

/// The patient's consent to share with the region.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: String,
    /// YYYY-MM-DD, for the form.
    pub obtained_on: String,
    /// 和暦, for display.
    pub obtained_on_label: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    pub withdrawn_on: Option<String>,
    pub withdrawn_on_label: Option<String>,
    pub in_force: bool,
}

impl From<app::ConsentView> for Consent {
    fn from(c: app::ConsentView) -> Self {
        Consent {
            id: c.id.to_string(),
            obtained_on: c.obtained_on.to_string(),
            obtained_on_label: c.obtained_on_label,
            obtained_by: c.obtained_by,
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            withdrawn_on: c.withdrawn_on.map(|d| d.to_string()),
            withdrawn_on_label: c.withdrawn_on_label,
            in_force: c.in_force,
        }
    }
}

/// The consent form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsentInput {
    pub obtained_on: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// Empty while the consent stands.
    pub withdrawn_on: String,
}

impl From<ConsentInput> for app::ConsentDraft {
    fn from(i: ConsentInput) -> Self {
        app::ConsentDraft {
            obtained_on: i.obtained_on,
            obtained_by: i.obtained_by,
            share_with_desk: i.share_with_desk,
            share_with_hospital: i.share_with_hospital,
            withdrawn_on: i.withdrawn_on,
        }
    }
}

/// The TypeScript declarations of every IPC type, as `bindings.ts` holds them.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        Sex::decl(&cfg),
        ClinicProfile::decl(&cfg),
        PatientInput::decl(&cfg),
        Patient::decl(&cfg),
        PatientSummary::decl(&cfg),
        SearchResult::decl(&cfg),
        BirthDatePreview::decl(&cfg),
        ErrorCode::decl(&cfg),
        FieldError::decl(&cfg),
        AppError::decl(&cfg),
        StartupState::decl(&cfg),
        LetterKind::decl(&cfg),
        LetterDraftContent::decl(&cfg),
        LetterDraft::decl(&cfg),
        Destination::decl(&cfg),
        Destinations::decl(&cfg),
        IssuedLetter::decl(&cfg),
        PatientLetters::decl(&cfg),
        SavedFile::decl(&cfg),
        EventInput::decl(&cfg),
        ReferralEvent::decl(&cfg),
        Referral::decl(&cfg),
        PatientReferrals::decl(&cfg),
        WorklistItem::decl(&cfg),
        Reply::decl(&cfg),
        ReplyInput::decl(&cfg),
        ChosenFile::decl(&cfg),
        BoardFilter::decl(&cfg),
        BoardRow::decl(&cfg),
        Board::decl(&cfg),
        WorklistSettings::decl(&cfg),
        FiguresPeriod::decl(&cfg),
        FigureRow::decl(&cfg),
        LoopFigures::decl(&cfg),
        SyncStatus::decl(&cfg),
        EnrollInput::decl(&cfg),
        SyncState::decl(&cfg),
        SyncConflict::decl(&cfg),
        SyncReport::decl(&cfg),
        Consent::decl(&cfg),
        ConsentInput::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust IPC types (src-tauri/ipc.rs) by ts-rs.\n\
         // Do not edit by hand: run `make bindings`.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/bindings.ts");

    /// The UI's types must be the ones generated from this module.
    #[test]
    fn ipc_bindings_are_current() {
        let generated = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(BINDINGS, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(BINDINGS).unwrap_or_default();
        assert!(
            current == generated,
            "ui/src/api/bindings.ts is stale: run `make bindings` and commit the result"
        );
    }
}
