//! JP FHIR beside the PDF (ADR 0037): an issued letter saved as its PDF
//! and, beside it, its JP-CLINS document (JSON, the PDF inside), in one
//! action; the current 人生会議 saved as a FHIR Consent.
//!
//! One dialog for both files: the user picks where the PDF goes, as for
//! 「PDFを保存」, and the JSON goes beside it under the same name, so the
//! two stay together in the folder (and in whatever the clinic sends
//! them with) without a second choice to get wrong.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{SaveKind, ask_save_path, file_error, save_to, suggested_name};
use crate::desktop::Desktop;
use crate::ipc::{AppError, IssuedLetter, SavedFile, SavedWithFhir};

const PDF_WITH_FHIR: SaveKind = SaveKind {
    title: "PDF＋FHIRを保存",
    filter: "PDF",
    extension: "pdf",
};

const FHIR_JSON: SaveKind = SaveKind {
    title: "FHIR（JSON）を保存",
    filter: "FHIR JSON",
    extension: "json",
};

/// Asks once where the PDF goes and writes the FHIR document beside it.
/// What would refuse the document (no 医療機関コード) is said before the
/// dialog opens; nothing is written then.
pub async fn save_letter_with_fhir(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<SavedWithFhir, AppError> {
    let core = desktop.app().await?;
    core.check_letter_fhir(&letter_id).await?;
    let letter: IssuedLetter = core.letter(&letter_id).await?.into();
    let Some(chosen) = ask_save_path(&app, window, &suggested_name(&letter), PDF_WITH_FHIR).await?
    else {
        return Ok(SavedWithFhir {
            pdf_path: None,
            fhir_path: None,
        });
    };
    let (pdf_path, fhir_path) = beside(&chosen);
    let fhir = core.letter_fhir(&letter_id).await?;
    let pdf = core.letter_pdf(&letter_id).await?;
    let saved_pdf = save_to(&pdf_path, &pdf)?;
    let saved_fhir = save_to(&fhir_path, fhir.json.as_bytes()).map_err(|_| {
        file_error(
            "PDFは保存しましたが、FHIR（JSON）のファイルを保存できませんでした。\
             保存先に書き込めるか（読み取り専用・容量不足でないか）確認し、もう一度保存してください。",
        )
    })?;
    Ok(SavedWithFhir {
        pdf_path: saved_pdf.path,
        fhir_path: saved_fhir.path,
    })
}

/// The current 人生会議 as a FHIR Consent (JSON), where the user picks.
pub async fn save_acp_fhir(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<SavedFile, AppError> {
    let core = desktop.app().await?;
    core.check_acp_fhir(&patient_id).await?;
    let Some(path) = ask_save_path(&app, window, "人生会議.json", FHIR_JSON).await? else {
        return Ok(SavedFile { path: None });
    };
    let document = core.acp_fhir(&patient_id).await?;
    save_to(&path, document.json.as_bytes())
}

/// The PDF's path (`.pdf` added when the user typed another ending) and
/// the JSON's beside it: the same name, ending in `.json`.
fn beside(chosen: &Path) -> (PathBuf, PathBuf) {
    let is_pdf = chosen
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let pdf = if is_pdf {
        chosen.to_path_buf()
    } else {
        let mut name = chosen.as_os_str().to_owned();
        name.push(".pdf");
        PathBuf::from(name)
    };
    let json = pdf.with_extension("json");
    (pdf, json)
}

#[cfg(test)]
mod tests {
    use super::beside;
    use std::path::{Path, PathBuf};

    #[test]
    fn the_json_goes_beside_the_pdf_never_over_it() {
        let cases = [
            ("/s/紹介状.pdf", "/s/紹介状.pdf", "/s/紹介状.json"),
            ("/s/紹介状.PDF", "/s/紹介状.PDF", "/s/紹介状.json"),
            (
                "/s/紹介状.json",
                "/s/紹介状.json.pdf",
                "/s/紹介状.json.json",
            ),
            ("/s/a.b", "/s/a.b.pdf", "/s/a.b.json"),
        ];
        for (chosen, pdf, json) in cases {
            assert_eq!(
                beside(Path::new(chosen)),
                (PathBuf::from(pdf), PathBuf::from(json)),
                "{chosen}"
            );
        }
    }
}
