//! JP FHIR beside the PDF (ADR 0037): where the saved files went.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What became of 「PDF＋FHIRを保存」: the PDF where the user chose and the
/// FHIR document (JSON) beside it, the same name ending in `.json`; both
/// null when the user cancelled the dialog.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedWithFhir {
    pub pdf_path: Option<String>,
    pub fhir_path: Option<String>,
}
