//! The reply letter (返書) from the hospital: what it says, as the clinic
//! records it against the referral, and the scan that came with it. A
//! received reply closes the loop.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field_rules::{Checked, Collector, Lines, TextRule, check_text};
use crate::parse_date;

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyDraft {
    pub received_on: String,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
}

/// What the reply says, checked and trimmed. Stored as JSON (serde here is
/// for the store, not the UI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyFindings {
    pub received_on: NaiveDate,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyField {
    ReceivedOn,
    InitialDiagnosis,
    FinalDiagnosis,
    Findings,
    Treatment,
    Recommendations,
    MedicationChanges,
    Note,
    Attachment,
}

impl ReplyField {
    pub fn key(self) -> &'static str {
        match self {
            ReplyField::ReceivedOn => "receivedOn",
            ReplyField::InitialDiagnosis => "initialDiagnosis",
            ReplyField::FinalDiagnosis => "finalDiagnosis",
            ReplyField::Findings => "findings",
            ReplyField::Treatment => "treatment",
            ReplyField::Recommendations => "recommendations",
            ReplyField::MedicationChanges => "medicationChanges",
            ReplyField::Note => "note",
            ReplyField::Attachment => "attachment",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyError {
    pub field: ReplyField,
    /// Japanese, shown under the field.
    pub message: String,
}

const DIAGNOSIS_MAX_CHARS: usize = 500;
const SECTION_MAX_CHARS: usize = 4_000;

/// Checks the form. The reply cannot predate the referral nor be dated in
/// the future; it must say something (a diagnosis or findings) or come with
/// its scan, or there is nothing to record.
pub fn check_reply(
    draft: &ReplyDraft,
    sent_on: NaiveDate,
    today: NaiveDate,
    has_attachment: bool,
) -> Result<ReplyFindings, Vec<ReplyError>> {
    let mut errors = Collector::default();
    let received_on = errors.take(ReplyField::ReceivedOn, received_on(draft, sent_on, today));
    let mut text = |field, raw: &str, label, max_chars| {
        let lines = Lines::Multi;
        let rule = TextRule {
            label,
            required: false,
            max_chars,
            lines,
        };
        errors
            .take(field, check_text(raw, rule))
            .unwrap_or_default()
    };
    let findings = ReplyFindings {
        received_on: received_on.unwrap_or(today),
        initial_diagnosis: text(
            ReplyField::InitialDiagnosis,
            &draft.initial_diagnosis,
            "初診時診断",
            DIAGNOSIS_MAX_CHARS,
        ),
        final_diagnosis: text(
            ReplyField::FinalDiagnosis,
            &draft.final_diagnosis,
            "最終診断",
            DIAGNOSIS_MAX_CHARS,
        ),
        findings: text(
            ReplyField::Findings,
            &draft.findings,
            "所見",
            SECTION_MAX_CHARS,
        ),
        treatment: text(
            ReplyField::Treatment,
            &draft.treatment,
            "治療内容",
            SECTION_MAX_CHARS,
        ),
        recommendations: text(
            ReplyField::Recommendations,
            &draft.recommendations,
            "今後の方針・依頼",
            SECTION_MAX_CHARS,
        ),
        medication_changes: text(
            ReplyField::MedicationChanges,
            &draft.medication_changes,
            "処方の変更",
            SECTION_MAX_CHARS,
        ),
        note: text(ReplyField::Note, &draft.note, "メモ", SECTION_MAX_CHARS),
    };
    let says_something = [
        &findings.initial_diagnosis,
        &findings.final_diagnosis,
        &findings.findings,
        &findings.treatment,
        &findings.recommendations,
        &findings.medication_changes,
    ]
    .iter()
    .any(|t| !t.is_empty());
    if !says_something && !has_attachment {
        errors.take::<()>(
            ReplyField::FinalDiagnosis,
            Err("診断・所見のいずれかを入力するか、返書のスキャンを添付してください".into()),
        );
    }
    let errors = errors.into_vec();
    if errors.is_empty() {
        Ok(findings)
    } else {
        Err(errors
            .into_iter()
            .map(|(field, message)| ReplyError { field, message })
            .collect())
    }
}

fn received_on(draft: &ReplyDraft, sent_on: NaiveDate, today: NaiveDate) -> Checked<NaiveDate> {
    if draft.received_on.trim().is_empty() {
        return Err("受け取った日を入力してください".into());
    }
    let date = parse_date(&draft.received_on)?;
    if date > today {
        return Err("先の日付は記録できません".into());
    }
    if date < sent_on {
        return Err(format!(
            "紹介した日（{}）より前になっています",
            crate::format_wareki(sent_on)
        )
        .into());
    }
    Ok(date)
}

/// The reply's scan: a PDF or an image, at most [`MAX_ATTACHMENT_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
}

pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

impl AttachmentKind {
    /// Judged by the file's first bytes, not its name: a renamed Word file
    /// is still refused.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(b"%PDF-") {
            Some(AttachmentKind::Pdf)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AttachmentKind::Png)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentKind::Jpeg)
        } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
            Some(AttachmentKind::Tiff)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Png => "image/png",
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Tiff => "image/tiff",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<Self> {
        [Self::Pdf, Self::Png, Self::Jpeg, Self::Tiff]
            .into_iter()
            .find(|k| k.media_type() == media_type)
    }

    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Png => "png",
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Tiff => "tif",
        }
    }
}

/// Why a file cannot be attached, in the words the physician sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("ファイルが大きすぎます（{mb}MB）。20MB以下のPDFか画像にしてください", mb = .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("空のファイルは添付できません")]
    Empty,
    #[error("PDFか画像（PNG・JPEG・TIFF）のファイルを選んでください")]
    NotPdfOrImage,
}

/// Checks a file's size (known before reading it) and first bytes.
pub fn check_attachment(size: u64, head: &[u8]) -> Result<AttachmentKind, AttachmentError> {
    if size > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge(size));
    }
    if size == 0 {
        return Err(AttachmentError::Empty);
    }
    AttachmentKind::sniff(head).ok_or(AttachmentError::NotPdfOrImage)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn draft() -> ReplyDraft {
        ReplyDraft {
            received_on: "令和8年6月10日".into(),
            final_diagnosis: "  急性心筋梗塞  ".into(),
            recommendations: "アスピリン継続\nβ遮断薬導入".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_reply_is_dated_and_trimmed() {
        let r = check_reply(&draft(), d(5, 12), d(6, 20), false).unwrap();
        assert_eq!(r.received_on, d(6, 10));
        assert_eq!(r.final_diagnosis, "急性心筋梗塞");
        assert_eq!(r.recommendations, "アスピリン継続\nβ遮断薬導入");
    }

    #[test]
    fn bad_dates_and_empty_replies_are_refused_by_field() {
        let future = check_reply(&draft(), d(5, 12), d(6, 1), false).unwrap_err();
        assert_eq!(future[0].field, ReplyField::ReceivedOn);
        assert!(future[0].message.contains("先の日付"));
        let before = check_reply(&draft(), d(6, 15), d(6, 20), false).unwrap_err();
        assert!(before[0].message.contains("紹介した日"), "{before:?}");
        let nonsense = ReplyDraft {
            received_on: "6月32日".into(),
            ..draft()
        };
        assert_eq!(
            check_reply(&nonsense, d(5, 12), d(6, 20), false).unwrap_err()[0].field,
            ReplyField::ReceivedOn
        );
        let empty = ReplyDraft {
            received_on: "2026-06-10".into(),
            ..Default::default()
        };
        let errors = check_reply(&empty, d(5, 12), d(6, 20), false).unwrap_err();
        assert!(errors[0].message.contains("添付"), "{errors:?}");
        assert!(check_reply(&empty, d(5, 12), d(6, 20), true).is_ok());
        let huge = ReplyDraft {
            findings: "所".repeat(SECTION_MAX_CHARS + 1),
            ..draft()
        };
        let errors = check_reply(&huge, d(5, 12), d(6, 20), false).unwrap_err();
        assert_eq!(errors[0].field, ReplyField::Findings);
    }

    #[test]
    fn attachments_are_judged_by_content_and_size() {
        assert_eq!(
            check_attachment(1000, b"%PDF-1.7\n"),
            Ok(AttachmentKind::Pdf)
        );
        assert_eq!(
            check_attachment(1000, b"\x89PNG\r\n\x1a\n...."),
            Ok(AttachmentKind::Png)
        );
        assert_eq!(
            check_attachment(1000, &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(AttachmentKind::Jpeg)
        );
        assert_eq!(
            check_attachment(1000, b"PK\x03\x04 word"),
            Err(AttachmentError::NotPdfOrImage)
        );
        assert_eq!(
            check_attachment(MAX_ATTACHMENT_BYTES + 1, b"%PDF-"),
            Err(AttachmentError::TooLarge(MAX_ATTACHMENT_BYTES + 1))
        );
        assert!(check_attachment(MAX_ATTACHMENT_BYTES, b"%PDF-").is_ok());
        assert_eq!(check_attachment(0, b""), Err(AttachmentError::Empty));
        for kind in [
            AttachmentKind::Pdf,
            AttachmentKind::Png,
            AttachmentKind::Jpeg,
            AttachmentKind::Tiff,
        ] {
            assert_eq!(
                AttachmentKind::from_media_type(kind.media_type()),
                Some(kind)
            );
        }
    }
}
