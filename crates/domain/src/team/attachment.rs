//! Files on the timeline: photos (JPEG, PNG) and PDFs, judged by their
//! content (the reply scan's `check_attachment`, same 20 MB limit) and
//! held to what their name says. TIFF, which the reply scan allows, is
//! refused here: phones and browsers do not show it. A file name is shown
//! to others and used when saving, so it may not carry a path.

use unicode_normalization::UnicodeNormalization;

use crate::field_rules::{Checked, Rejection};
use crate::reply::{AttachmentError, AttachmentKind, check_attachment};

/// The longest file name, in bytes (what most file systems keep).
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// A file that may go on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAttachment {
    /// The name as it will be shown (NFC, trimmed).
    pub name: String,
    pub kind: AttachmentKind,
}

/// A file name to show and save under: no folder separators, no `..`, no
/// control characters, at most [`MAX_FILE_NAME_BYTES`] bytes. NFC, so a
/// name from a Mac (濁点 apart) reads the same as one from Windows.
pub fn check_attachment_name(raw: &str) -> Checked<String> {
    let name: String = raw.trim().nfc().collect();
    if name.is_empty() {
        return Err("ファイル名がありません".into());
    }
    if name.contains(['/', '\\', ':']) {
        return Err("ファイル名にフォルダーの区切り（/ \\ :）は使えません".into());
    }
    if name.contains("..") {
        return Err("ファイル名に「..」は使えません".into());
    }
    if name.chars().any(char::is_control) {
        return Err("ファイル名に使えない文字（制御文字）が含まれています".into());
    }
    if name.len() > MAX_FILE_NAME_BYTES {
        return Err("ファイル名が長すぎます。短い名前に変えてから添付してください".into());
    }
    Ok(name)
}

/// Checks a file's name, size (known before reading) and first bytes.
pub fn check_team_attachment(name: &str, size: u64, head: &[u8]) -> Checked<TeamAttachment> {
    let name = check_attachment_name(name)?;
    let Some(named) = kind_by_extension(&name) else {
        return Err(not_photo_or_pdf());
    };
    let kind = check_attachment(size, head).map_err(|e| match e {
        AttachmentError::NotPdfOrImage => not_photo_or_pdf(),
        too_large_or_empty => Rejection(too_large_or_empty.to_string()),
    })?;
    if kind == AttachmentKind::Tiff {
        return Err(not_photo_or_pdf());
    }
    if kind != named {
        return Err(format!(
            "ファイルの中身（{}）が名前（{}）と合っていません。元のファイルを選び直してください",
            kind_label(kind),
            kind_label(named)
        )
        .into());
    }
    Ok(TeamAttachment { name, kind })
}

fn not_photo_or_pdf() -> Rejection {
    "写真（JPEG・PNG）かPDFのファイルを選んでください".into()
}

fn kind_by_extension(name: &str) -> Option<AttachmentKind> {
    let (_, extension) = name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "pdf" => Some(AttachmentKind::Pdf),
        "jpg" | "jpeg" | "jpe" => Some(AttachmentKind::Jpeg),
        "png" => Some(AttachmentKind::Png),
        _ => None,
    }
}

fn kind_label(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Pdf => "PDF",
        AttachmentKind::Png => "PNG",
        AttachmentKind::Jpeg => "JPEG",
        AttachmentKind::Tiff => "TIFF",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::MAX_ATTACHMENT_BYTES;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0];
    const PDF: &[u8] = b"%PDF-1.7\n";

    #[test]
    fn names_with_paths_or_control_characters_are_refused() {
        assert_eq!(
            check_attachment_name(" 褥瘡の写真.jpg "),
            Ok("褥瘡の写真.jpg".into())
        );
        for bad in [
            "../etc/passwd",
            "photos/a.jpg",
            "C:\\Users\\a.jpg",
            "C:a.jpg",
            "a..jpg",
            "..",
            "a\u{0}.jpg",
            "a\n.jpg",
            "",
            "   ",
        ] {
            assert!(check_attachment_name(bad).is_err(), "{bad:?}");
        }
        assert!(
            check_attachment_name("../a.jpg")
                .unwrap_err()
                .0
                .contains("区切り")
        );
        let long = format!("{}.pdf", "あ".repeat(84)); // 252 + 4 bytes
        assert!(
            check_attachment_name(&long)
                .unwrap_err()
                .0
                .contains("長すぎ")
        );
        let fits = format!("{}.pdf", "あ".repeat(83)); // 249 + 4 bytes
        assert!(check_attachment_name(&fits).is_ok());
    }

    #[test]
    fn decomposed_names_are_composed() {
        // が as か + the combining voiced mark, as a Mac writes it.
        assert_eq!(check_attachment_name("か\u{3099}.pdf"), Ok("が.pdf".into()));
    }

    #[test]
    fn photos_and_pdfs_are_judged_by_content_and_name() {
        assert_eq!(
            check_team_attachment("創部.JPG", 1000, JPEG),
            Ok(TeamAttachment {
                name: "創部.JPG".into(),
                kind: AttachmentKind::Jpeg
            })
        );
        assert_eq!(
            check_team_attachment("指示書.pdf", 1000, PDF).map(|a| a.kind),
            Ok(AttachmentKind::Pdf)
        );
        let renamed = check_team_attachment("写真.jpg", 1000, PDF).unwrap_err();
        assert_eq!(
            renamed.0,
            "ファイルの中身（PDF）が名前（JPEG）と合っていません。元のファイルを選び直してください"
        );
        assert!(check_team_attachment("報告.docx", 1000, b"PK\x03\x04").is_err());
        assert_eq!(
            check_team_attachment("報告.pdf", 1000, b"PK\x03\x04")
                .unwrap_err()
                .0,
            "写真（JPEG・PNG）かPDFのファイルを選んでください"
        );
        assert!(check_team_attachment("scan.tif", 1000, b"II*\0").is_err());
        assert!(check_team_attachment("noextension", 1000, PDF).is_err());
        let huge = check_team_attachment("a.pdf", MAX_ATTACHMENT_BYTES + 1, PDF).unwrap_err();
        assert!(huge.0.contains("大きすぎます"), "{huge}");
        assert!(check_team_attachment("a.pdf", MAX_ATTACHMENT_BYTES, PDF).is_ok());
        assert!(
            check_team_attachment("a.pdf", 0, b"")
                .unwrap_err()
                .0
                .contains("空")
        );
    }
}
