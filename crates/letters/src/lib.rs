//! Referral letters (診療情報提供書, 別紙様式11) and discharge letters as A4
//! PDFs in Japanese: the form's layout, line breaking with 禁則, the bundled
//! IPAex fonts embedded as subsets, and the tracking code with its QR code.

pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod model;
pub mod page;

pub use fonts::FontKind;
pub use layout::layout;
pub use model::{
    Addressee, DischargeLetter, Header, Letter, LetterError, Patient, ReferralLetter, Sender,
};
pub use page::{Item, Page};
