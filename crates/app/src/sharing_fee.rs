//! 在宅医療情報連携加算 (ADR 0039): the physician's record for a patient
//! and a month, signed, kept as versions and shared on the team's
//! timeline as a 連絡; and the clinic's monthly report (screen and CSV) of
//! which home-care patients have what the 加算 requires that Tsunagu can
//! see, asked of the domain's one rule (`month_status`).

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::sharing_fee::{
    Month, SharingFeeDraft, SharingFeeFacts, SharingFeeRecord, SharingFeeRequirement,
    check_sharing_fee, consent_covers_month, month_status,
};
use tsunagu_domain::team::EntryKind;
use tsunagu_domain::{Capability, format_wareki};
use tsunagu_store::{SharingFeeMonthFacts, StoredSharingFee, TeamPost, TeamWrite};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};
use crate::patients::parse_id;
use crate::team::{PostDraft, PreparedPost};

/// The title line of the timeline post (no patient data).
pub const TIMELINE_TITLE: &str = "【在宅医療情報連携加算の記録】";

/// One version of a month's record as the patient page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingFeeRecordView {
    pub id: Uuid,
    /// `2026-12`
    pub month: String,
    /// 令和8年12月
    pub month_label: String,
    pub next_visit: NaiveDate,
    /// 和暦
    pub next_visit_label: String,
    pub policy_changed: bool,
    /// Empty when the policy did not change.
    pub change_summary: String,
    pub care_points: String,
    /// Posted on the team's timeline when recorded.
    pub shared: bool,
    /// The latest version of its month: the one that counts.
    pub counts: bool,
    /// 「医師 佐藤 花子」
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl SharingFeeRecordView {
    fn new(stored: StoredSharingFee, counts: bool) -> Self {
        let r = stored.record;
        SharingFeeRecordView {
            id: stored.id,
            month: r.month.code(),
            month_label: r.month.label_ja(),
            next_visit: r.next_visit,
            next_visit_label: format_wareki(r.next_visit),
            policy_changed: r.policy_changed,
            change_summary: r.change_summary,
            care_points: r.care_points,
            shared: stored.timeline_entry_id.is_some(),
            counts,
            recorded_by: stored.recorded_by_name,
            recorded_at: stored.recorded_at,
        }
    }
}

/// A home-care patient's month in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingFeeReportRow {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_kana: String,
    pub chart_number: Option<String>,
    /// The month's counting record, if any.
    pub record: Option<SharingFeeRecordView>,
    /// Posts by other members of the team in the month.
    pub others_posts: u32,
    /// Of those, read by the clinic.
    pub others_read: u32,
    /// Of those, acknowledged (確認) by the clinic.
    pub others_acknowledged: u32,
    /// In `SharingFeeRequirement::ALL` order (label: `label_ja()`).
    pub met: Vec<SharingFeeRequirement>,
    pub missing: Vec<SharingFeeRequirement>,
    /// Nothing missing of what Tsunagu can see.
    pub complete: bool,
}

/// The clinic's report for a month: every home-care patient (a patient
/// with a team started by the month's end), by kana.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingFeeReport {
    /// `2026-12`
    pub month: String,
    /// 令和8年12月
    pub month_label: String,
    pub rows: Vec<SharingFeeReportRow>,
    /// Rows with nothing missing.
    pub complete: usize,
}

fn report_row(facts: SharingFeeMonthFacts, month: Month, today: NaiveDate) -> SharingFeeReportRow {
    let status = month_status(&SharingFeeFacts {
        team_consent: consent_covers_month(&facts.team_consents, month, today),
        has_record: facts.record.is_some(),
        record_shared: facts.record_shared,
        others_posts: facts.others_posts,
        others_read: facts.others_read,
    });
    SharingFeeReportRow {
        patient_id: facts.patient_id,
        patient_name: facts.patient_name,
        patient_kana: facts.patient_kana,
        chart_number: facts.chart_number,
        record: facts.record.map(|r| SharingFeeRecordView::new(r, true)),
        others_posts: facts.others_posts,
        others_read: facts.others_read,
        others_acknowledged: facts.others_acknowledged,
        complete: status.complete(),
        met: status.met,
        missing: status.missing,
    }
}

/// The post that shares the record with the team.
fn timeline_body(record: &SharingFeeRecord) -> String {
    let mut body = format!(
        "{TIMELINE_TITLE}{}\n次回の訪問診療の予定日：{}\n治療方針の変更：{}",
        record.month.label_ja(),
        format_wareki(record.next_visit),
        if record.policy_changed {
            "あり"
        } else {
            "なし"
        },
    );
    if record.policy_changed {
        body.push_str(&format!("\n変更の概要：{}", record.change_summary));
    }
    if !record.care_points.is_empty() {
        body.push_str(&format!(
            "\n医療・ケアを行う際の留意点：{}",
            record.care_points
        ));
    }
    body
}

impl App {
    /// Records the month's 在宅医療情報連携加算 items for the patient as a
    /// new signed version (a doctor's: `IssueLetters`), and posts them on
    /// the patient's timeline as a 連絡 when the team exists and the
    /// consent naming it stands. The form's mistakes come back by field
    /// and nothing is kept. A post that cannot be made leaves the record
    /// kept, unshared (the report says so).
    pub async fn record_sharing_fee(
        &self,
        patient_id: &str,
        draft: &SharingFeeDraft,
    ) -> Result<SharingFeeRecordView, AppError> {
        self.require(Capability::IssueLetters)?;
        let id = parse_id(patient_id)?;
        self.store.patient(id).await?;
        let record = check_sharing_fee(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage::new(field.key(), message))
                    .collect(),
            )
        })?;
        let author = self.team_author()?;
        let signature = format!("{} {}", author.profession.label_ja(), author.name);
        let post = self.sharing_fee_post(id, &record).await;
        let actor = self.actor();
        let team_post = post.as_ref().map(|p| TeamPost {
            entry: &p.entry,
            attachments: &p.attachments,
            answered: p.answered,
            write: TeamWrite {
                operation: p.operation.as_ref(),
                actor: &actor,
                now: p.entry.posted_at,
            },
        });
        let stored = self
            .store
            .save_sharing_fee(
                id,
                &record,
                team_post.as_ref(),
                &actor,
                &signature,
                self.clock.now(),
            )
            .await?;
        Ok(SharingFeeRecordView::new(stored, true))
    }

    /// The post that shares the record, checked but not written (it is
    /// written with the record, in one transaction): `None` when there is
    /// no team, no consent naming it, or the team's rules refuse the post
    /// — the record is then kept unshared, and the report says so.
    async fn sharing_fee_post(
        &self,
        patient_id: Uuid,
        record: &SharingFeeRecord,
    ) -> Option<PreparedPost> {
        let team = self.store.team_for_patient(patient_id).await.ok()??;
        if !matches!(self.team_may_share(patient_id).await, Ok(true)) {
            return None;
        }
        let draft = PostDraft {
            kind: EntryKind::Note.code().to_string(),
            body: timeline_body(record),
            ..PostDraft::default()
        };
        self.prepare_team_post(&team.id.to_string(), &draft, Vec::new())
            .await
            .ok()
    }

    /// Every version of the patient's records: newest month first, the
    /// counting version of each month first within it.
    pub async fn sharing_fee_records(
        &self,
        patient_id: &str,
    ) -> Result<Vec<SharingFeeRecordView>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(patient_id)?;
        self.store.patient(id).await?;
        let mut last_month = None;
        Ok(self
            .store
            .sharing_fee_records(id)
            .await?
            .into_iter()
            .map(|stored| {
                let counts = last_month != Some(stored.record.month);
                last_month = Some(stored.record.month);
                SharingFeeRecordView::new(stored, counts)
            })
            .collect())
    }

    /// The month's report (`YYYY-MM`, not in the future): every home-care
    /// patient with what is met and what is missing.
    pub async fn sharing_fee_report(&self, month: &str) -> Result<SharingFeeReport, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let month = Month::parse(month)
            .ok_or_else(|| AppError::field("month", "対象月は「2026-12」の形で入力してください"))?;
        if month > Month::of(self.clock.today()) {
            return Err(AppError::field("month", "先の月の集計はできません"));
        }
        let rows: Vec<SharingFeeReportRow> = self
            .store
            .sharing_fee_month(month)
            .await?
            .into_iter()
            .map(|facts| report_row(facts, month, self.clock.today()))
            .collect();
        Ok(SharingFeeReport {
            month: month.code(),
            month_label: month.label_ja(),
            complete: rows.iter().filter(|r| r.complete).count(),
            rows,
        })
    }

    /// The month's report as CSV for Excel: UTF-8 with a byte-order mark,
    /// CRLF, a Japanese header; one row per patient, a column per
    /// requirement (○ met, × missing).
    pub async fn sharing_fee_report_csv(&self, month: &str) -> Result<String, AppError> {
        let report = self.sharing_fee_report(month).await?;
        report_csv(&report)
    }
}

/// The CSV's header.
pub fn sharing_fee_csv_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "対象月",
        "カルテ番号",
        "氏名",
        "ふりがな",
        "判定",
        "次回の訪問診療の予定日",
        "治療方針の変更",
        "変更の概要",
        "医療・ケアを行う際の留意点",
        "記録者",
        "他職種の記録数",
        "既読数",
        "確認数",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    header.extend(
        SharingFeeRequirement::ALL
            .iter()
            .map(|r| r.label_ja().to_string()),
    );
    header.push("不足している要件".into());
    header
}

fn report_csv(report: &SharingFeeReport) -> Result<String, AppError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(sharing_fee_csv_header())
        .map_err(csv_failed)?;
    for row in &report.rows {
        let r = row.record.as_ref();
        let mut record = vec![
            report.month.clone(),
            row.chart_number.clone().unwrap_or_default(),
            row.patient_name.clone(),
            row.patient_kana.clone(),
            if row.complete {
                "充足"
            } else {
                "不足あり"
            }
            .to_string(),
            r.map(|r| r.next_visit.to_string()).unwrap_or_default(),
            r.map(|r| if r.policy_changed { "あり" } else { "なし" })
                .unwrap_or_default()
                .to_string(),
            r.map(|r| r.change_summary.clone()).unwrap_or_default(),
            r.map(|r| r.care_points.clone()).unwrap_or_default(),
            r.map(|r| r.recorded_by.clone()).unwrap_or_default(),
            row.others_posts.to_string(),
            row.others_read.to_string(),
            row.others_acknowledged.to_string(),
        ];
        record.extend(
            SharingFeeRequirement::ALL
                .iter()
                .map(|req| if row.met.contains(req) { "○" } else { "×" }.to_string()),
        );
        record.push(
            row.missing
                .iter()
                .map(|r| r.label_ja())
                .collect::<Vec<_>>()
                .join("、"),
        );
        out.write_record(&record).map_err(csv_failed)?;
    }
    let bytes = out.into_inner().map_err(csv_failed)?;
    let text = String::from_utf8(bytes).map_err(csv_failed)?;
    Ok(format!("\u{feff}{text}"))
}

fn csv_failed<E>(_: E) -> AppError {
    AppError::new(ErrorCode::Internal, "CSVを作成できませんでした。")
}
