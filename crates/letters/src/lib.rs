//! Referral letters (診療情報提供書, 別紙様式11) and discharge letters as A4
//! PDFs in Japanese: the form's layout, line breaking with 禁則, the bundled
//! IPAex fonts embedded as subsets, and the tracking code with its QR code.
//! The patient's consent form (同意書) for the regional network and the
//! 訪問看護指示書 (別紙様式16 and 18) are drawn by the same means, so that
//! they look like the letters, and so is the emergency sheet (救急医療情報)
//! kept at the patient's home.

pub mod consent;
pub mod consent_layout;
mod dehint;
pub mod emergency_sheet;
pub mod emergency_sheet_layout;
mod emergency_sheet_text;
pub mod fonts;
mod justify;
mod lab_table;
pub mod layout;
pub mod linebreak;
pub mod model;
pub mod nursing_order;
pub mod nursing_order_layout;
mod nursing_order_rows;
pub mod page;
mod pdf;
pub mod recovery_sheet;

pub use consent::ConsentForm;
pub use consent_layout::layout_consent;
pub use emergency_sheet::{
    EmergencySheet, SheetClinic, SheetField, SheetPatient, SheetStation, SheetWishes,
};
pub use emergency_sheet_layout::layout_emergency_sheet;
pub use fonts::FontKind;
pub use layout::layout;
pub use model::{
    Addressee, DischargeLetter, Field, Header, Letter, LetterError, Patient, ReferralLetter,
    Sender, UnsupportedText,
};
pub use nursing_order::{NursingOrderForm, OrderPatient};
pub use nursing_order_layout::layout_nursing_order;
pub use page::{Item, Page};
pub use recovery_sheet::RecoverySheet;

/// Checks the letter, lays it out and writes the PDF. Nothing is produced
/// for a letter that fails [`Letter::check`].
pub fn render_pdf(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    letter.check()?;
    let pages = layout(letter);
    let title = match letter {
        Letter::Referral(_) => "診療情報提供書",
        Letter::Discharge(_) => "診療情報提供書（退院時サマリー）",
    };
    Ok(pdf::write_pdf(&pages, &pdf::DocumentInfo { title }))
}

/// Checks the consent form, lays it out and writes the PDF. Nothing is
/// produced for a form that fails [`ConsentForm::check`].
pub fn render_consent_pdf(form: &ConsentForm) -> Result<Vec<u8>, LetterError> {
    form.check()?;
    let pages = layout_consent(form);
    Ok(pdf::write_pdf(
        &pages,
        &pdf::DocumentInfo { title: "同意書" },
    ))
}

/// Checks the recovery sheet, lays it out and writes the PDF.
pub fn render_recovery_sheet_pdf(sheet: &RecoverySheet) -> Result<Vec<u8>, LetterError> {
    sheet.check()?;
    let page = recovery_sheet::layout_recovery_sheet(sheet);
    Ok(pdf::write_pdf(
        &[page],
        &pdf::DocumentInfo {
            title: "復旧シート",
        },
    ))
}

/// Checks the 訪問看護指示書 (or 特別訪問看護指示書), lays it out and writes
/// the PDF. Nothing is produced for a form that fails
/// [`NursingOrderForm::check`].
pub fn render_nursing_order_pdf(form: &NursingOrderForm) -> Result<Vec<u8>, LetterError> {
    form.check()?;
    let pages = layout_nursing_order(form);
    let title = form.order.title_ja();
    Ok(pdf::write_pdf(&pages, &pdf::DocumentInfo { title: &title }))
}

/// Checks the emergency sheet (救急医療情報), lays it out on its one page
/// and writes the PDF. Nothing is produced for a sheet that fails
/// [`EmergencySheet::check`].
pub fn render_emergency_sheet_pdf(sheet: &EmergencySheet) -> Result<Vec<u8>, LetterError> {
    sheet.check()?;
    let page = layout_emergency_sheet(sheet);
    Ok(pdf::write_pdf(
        &[page],
        &pdf::DocumentInfo {
            title: "救急医療情報",
        },
    ))
}
