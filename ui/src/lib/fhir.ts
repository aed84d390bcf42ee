import type { SavedFile, SavedWithFhir } from "../api";

/**
 * What 「PDF＋FHIRを保存」 says once the files are written: where the PDF and
 * its FHIR document (JSON, the same name beside it) went. Null when the user
 * cancelled the dialog: nothing was saved and nothing needs saying.
 */
export function savedWithFhirText(saved: SavedWithFhir): string | null {
  if (saved.pdfPath === null) return null;
  if (saved.fhirPath === null) return `PDFを保存しました：${saved.pdfPath}`;
  return `PDFとFHIR（JSON）を保存しました：${saved.pdfPath} と ${saved.fhirPath}`;
}

/** What 「FHIR（JSON）を保存」 on the 人生会議 says; null when cancelled. */
export function savedAcpFhirText(saved: SavedFile): string | null {
  return saved.path === null ? null : `人生会議をFHIR（JSON）で保存しました：${saved.path}`;
}
