//! Referral letters (診療情報提供書, 別紙様式11) and discharge letters as A4
//! PDFs in Japanese: the form's layout, line breaking with 禁則, the bundled
//! IPAex fonts embedded as subsets, and the tracking code with its QR code.

mod dehint;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod model;
pub mod page;
mod pdf;

pub use fonts::FontKind;
pub use layout::layout;
pub use model::{
    Addressee, DischargeLetter, Field, Header, Letter, LetterError, Patient, ReferralLetter,
    Sender, UnsupportedText,
};
pub use page::{Item, Page};

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
