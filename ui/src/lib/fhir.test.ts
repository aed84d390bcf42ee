import { describe, expect, it } from "vitest";
import { savedAcpFhirText, savedWithFhirText } from "./fhir";

describe("savedWithFhirText", () => {
  it("names where both files went", () => {
    expect(
      savedWithFhirText({ pdfPath: "/home/a/紹介状.pdf", fhirPath: "/home/a/紹介状.json" }),
    ).toBe("PDFとFHIR（JSON）を保存しました：/home/a/紹介状.pdf と /home/a/紹介状.json");
  });

  it("says nothing when the dialog was cancelled", () => {
    expect(savedWithFhirText({ pdfPath: null, fhirPath: null })).toBeNull();
  });

  it("names the PDF alone if only it was written", () => {
    expect(savedWithFhirText({ pdfPath: "/a.pdf", fhirPath: null })).toBe("PDFを保存しました：/a.pdf");
  });
});

describe("savedAcpFhirText", () => {
  it("names the file, or nothing when cancelled", () => {
    expect(savedAcpFhirText({ path: "/home/a/人生会議.json" })).toBe(
      "人生会議をFHIR（JSON）で保存しました：/home/a/人生会議.json",
    );
    expect(savedAcpFhirText({ path: null })).toBeNull();
  });
});
