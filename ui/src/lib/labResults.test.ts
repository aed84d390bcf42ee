import { describe, expect, it } from "vitest";
import type { LabRowDraft } from "../api";
import { LAB_COLUMNS, filledCount, labMessages, withCell, withRowAdded, withRowRemoved } from "./labResults";

const hba1c: LabRowDraft = { item: "HbA1c", value: "7.2", unit: "%", referenceRange: "4.6-6.2", takenOn: "2026-05-08" };
const blank: LabRowDraft = { item: "", value: "", unit: "", referenceRange: "", takenOn: "" };

describe("lab result rows", () => {
  it("adds a row that keeps the date of the row above", () => {
    expect(withRowAdded([])).toEqual([blank]);
    expect(withRowAdded([hba1c])).toEqual([hba1c, { ...blank, takenOn: "2026-05-08" }]);
  });

  it("removes the chosen row only", () => {
    const cre = { ...hba1c, item: "Cre" };
    expect(withRowRemoved([hba1c, cre, hba1c], 1)).toEqual([hba1c, hba1c]);
    expect(withRowRemoved([hba1c], 3)).toEqual([hba1c]);
  });

  it("edits one cell without touching the other rows", () => {
    const rows = [hba1c, hba1c];
    const edited = withCell(rows, 1, "value", "6.1");
    expect(edited[1]).toEqual({ ...hba1c, value: "6.1" });
    expect(edited[0]).toBe(hba1c);
    expect(rows[1]?.value).toBe("7.2");
  });

  it("prints the columns in the letter's order", () => {
    expect(LAB_COLUMNS.map((c) => c.label)).toEqual(["検査日", "項目", "値", "単位", "基準値"]);
  });

  it("lists the messages about the table, line by line", () => {
    expect(
      labMessages([
        { field: "labResults", message: "3行目：値「abc」が数値ではありません" },
        { field: "purpose", message: "紹介目的を入力してください。" },
        { field: "labResults", message: "5行目：値がありません" },
      ]),
    ).toEqual(["3行目：値「abc」が数値ではありません", "5行目：値がありません"]);
  });

  it("counts rows that hold something", () => {
    expect(filledCount([hba1c, blank, { ...blank, unit: " " }, { ...blank, item: "K" }])).toBe(2);
  });
});
