//! Documents a hospital sends the family doctor through the portal (issue
//! 19, ADR 0041): its 返書 or its 退院時サマリー, as a PDF against the
//! referral. They reach the clinic's app as the referral's reply, under
//! the same checks as a scanned reply ([`crate::reply::check_attachment`]),
//! but only a PDF is taken: a hospital's letter is a document, never a
//! photograph of one.

use crate::reply::{AttachmentError, AttachmentKind, MAX_ATTACHMENT_BYTES, check_attachment};

/// What the hospital sends. Stored and sent as its [`code`](Self::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HospitalDocumentKind {
    /// 返書: the answer to the referral letter.
    Reply,
    /// 退院時サマリー: what happened in the stay, written at discharge.
    DischargeSummary,
}

impl HospitalDocumentKind {
    pub const ALL: [HospitalDocumentKind; 2] = [Self::Reply, Self::DischargeSummary];

    pub fn code(self) -> &'static str {
        match self {
            HospitalDocumentKind::Reply => "reply",
            HospitalDocumentKind::DischargeSummary => "discharge_summary",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            HospitalDocumentKind::Reply => "返書",
            HospitalDocumentKind::DischargeSummary => "退院時サマリー",
        }
    }

    /// The note the clinic's reply carries, so the physician sees where it
    /// came from (the findings themselves are in the PDF).
    pub fn reply_note(self) -> String {
        format!("病院がポータルから送付（{}）", self.label_ja())
    }

    /// The file name used when the upload came without one.
    pub fn default_file_name(self) -> String {
        format!("{}.pdf", self.label_ja())
    }
}

/// Why an uploaded document is refused, in the words the liaison officer
/// sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HospitalDocumentError {
    #[error("ファイルが大きすぎます（{mb}MB）。20MB以下のPDFにしてください", mb = .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("ファイルが選ばれていないか、空のファイルです。PDFを選んでください")]
    Empty,
    #[error("PDFではないファイルは送れません。返書・退院時サマリーはPDFで送ってください")]
    NotPdf,
}

/// The largest document: the scanned reply's limit.
pub const MAX_DOCUMENT_BYTES: u64 = MAX_ATTACHMENT_BYTES;

/// Checks a document by its size and first bytes with the scanned reply's
/// rule, then narrows it to a PDF.
pub fn check_hospital_document(size: u64, head: &[u8]) -> Result<(), HospitalDocumentError> {
    match check_attachment(size, head) {
        Ok(AttachmentKind::Pdf) => Ok(()),
        Ok(_) | Err(AttachmentError::NotPdfOrImage) => Err(HospitalDocumentError::NotPdf),
        Err(AttachmentError::TooLarge(size)) => Err(HospitalDocumentError::TooLarge(size)),
        Err(AttachmentError::Empty) => Err(HospitalDocumentError::Empty),
    }
}

/// A file name as kept and shown: trimmed, without path parts or control
/// characters, at most 200 characters; the kind's name if nothing is left.
pub fn document_file_name(raw: &str, kind: HospitalDocumentKind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string();
    if name.is_empty() {
        kind.default_file_name()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_by_code_and_carry_their_labels() {
        for kind in HospitalDocumentKind::ALL {
            assert_eq!(HospitalDocumentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(HospitalDocumentKind::from_code("返書"), None);
        assert_eq!(
            HospitalDocumentKind::DischargeSummary.reply_note(),
            "病院がポータルから送付（退院時サマリー）"
        );
    }

    #[test]
    fn only_a_pdf_within_the_limit_is_taken() {
        assert_eq!(check_hospital_document(1000, b"%PDF-1.7\n"), Ok(()));
        assert_eq!(
            check_hospital_document(1000, b"\x89PNG\r\n\x1a\n...."),
            Err(HospitalDocumentError::NotPdf)
        );
        assert_eq!(
            check_hospital_document(1000, b"PK\x03\x04 word"),
            Err(HospitalDocumentError::NotPdf)
        );
        assert_eq!(
            check_hospital_document(MAX_DOCUMENT_BYTES + 1, b"%PDF-"),
            Err(HospitalDocumentError::TooLarge(MAX_DOCUMENT_BYTES + 1))
        );
        assert_eq!(
            check_hospital_document(0, b""),
            Err(HospitalDocumentError::Empty)
        );
    }

    #[test]
    fn file_names_lose_their_folders_and_fall_back_to_the_kind() {
        let kind = HospitalDocumentKind::Reply;
        assert_eq!(
            document_file_name("C:\\scan\\返書_山田.pdf", kind),
            "返書_山田.pdf"
        );
        assert_eq!(document_file_name("  \n ", kind), "返書.pdf");
    }
}
