// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type ErrorCode, type NursingOrderDraft, type NursingOrderForm } from "../api";
import { PatientNursingOrdersPanel } from "./PatientNursingOrders";

// The Tauri boundary: commands are answered here, by name.
const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const DOCTORS_ONLY = "文書の作成・発行は医師のアカウントだけができます。";
const DOCTORS_AND_NURSES = "診療内容（文書・返書・記録の本文）は医師・看護師のアカウントだけが見られます。";

const form: NursingOrderForm = {
  kind: "regular",
  patientId: "p1",
  station: "",
  issuedOn: "2026-12-01",
  startsOn: "2026-12-01",
  endsOn: "2027-05-31",
  infusionStartsOn: "",
  infusionEndsOn: "",
  diagnoses: [],
  condition: "",
  medication: "",
  bedriddenLevel: "",
  dementiaLevel: "",
  careLevel: "",
  ulcerDepth: "",
  devices: [],
  deviceOther: "",
  deviceDetails: "",
  careNotes: "",
  rehabMinutesPerDay: "",
  rehabTimesPerWeek: "",
  woundCare: "",
  deviceCare: "",
  otherInstructions: "",
  infusionInstructions: "",
  emergencyContact: "さくら内科 03-1234-5678",
  whenAbsent: "",
  specialNotes: "",
  otherStation: "",
  suctionProvider: "",
  frequentVisitReason: "",
};

const draft: NursingOrderDraft = {
  id: "d1",
  patientId: "p1",
  kind: "regular",
  kindLabel: "訪問看護指示書",
  form,
  stationMemberId: null,
  renews: null,
  updatedAt: "2026-12-01T09:00:00+00:00",
};

function refusal(code: ErrorCode, message: string, fields: { field: string; message: string }[] = []) {
  return Promise.reject(new ApiError(code, message, fields));
}

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  cleanup();
});

async function settle() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe("訪問看護指示書 panel", () => {
  it("shows a nurse the server's refusal when she starts an order", async () => {
    invoke.mockImplementation((command: string) => {
      switch (command) {
        case "patient_nursing_orders":
          return Promise.resolve({ drafts: [], orders: [] });
        case "start_nursing_order":
          return refusal("forbidden", DOCTORS_ONLY);
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(<PatientNursingOrdersPanel patientId="p1" />);
    await settle();
    expect(screen.getByText("発行した訪問看護指示書はありません。")).toBeTruthy();
    fireEvent.click(screen.getByText("指示書を作成"));
    await settle();
    expect(screen.getByRole("alert").textContent).toBe(DOCTORS_ONLY);
  });

  it("shows a clerk why the orders are not listed", async () => {
    invoke.mockImplementation(() => refusal("forbidden", DOCTORS_AND_NURSES));
    render(<PatientNursingOrdersPanel patientId="p1" />);
    await settle();
    expect(screen.getByRole("alert").textContent).toBe(DOCTORS_AND_NURSES);
  });

  it("puts a refused field's message next to the field and in the summary", async () => {
    invoke.mockImplementation((command: string) => {
      switch (command) {
        case "patient_nursing_orders":
          return Promise.resolve({ drafts: [draft], orders: [] });
        case "nursing_order_stations":
          return Promise.resolve({ stations: [], mayTypeName: true });
        case "save_nursing_order_draft":
          return Promise.resolve(draft);
        case "issue_nursing_order":
          return refusal("validation", "入力内容を確認してください。", [
            { field: "period", message: "訪問看護指示期間は6か月以内です" },
          ]);
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(<PatientNursingOrdersPanel patientId="p1" />);
    await settle();
    fireEvent.click(screen.getByText("続きを書く"));
    await settle();
    fireEvent.click(screen.getByText("発行"));
    await settle();
    expect(document.querySelector("[data-error-for=period]")?.textContent).toBe("訪問看護指示期間は6か月以内です");
    expect(screen.getByTestId("form-alert").textContent).toContain("訪問看護指示期間：訪問看護指示期間は6か月以内です");
    const commands = invoke.mock.calls.map((call: unknown[]) => String(call[0]));
    expect(commands).toContain("save_nursing_order_draft");
  });

  it("shows a 特別指示書 only the boxes of 別紙様式18", async () => {
    const special: NursingOrderDraft = { ...draft, kind: "special", kindLabel: "特別訪問看護指示書", form: { ...form, kind: "special" } };
    invoke.mockImplementation((command: string) => {
      switch (command) {
        case "patient_nursing_orders":
          return Promise.resolve({ drafts: [], orders: [] });
        case "start_nursing_order":
          return Promise.resolve(special);
        case "nursing_order_stations":
          return Promise.resolve({
            stations: [{ memberId: "m1", organisationId: null, name: "みどり訪問看護ステーション", person: "", phone: "", fax: "" }],
            mayTypeName: false,
          });
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(<PatientNursingOrdersPanel patientId="p1" />);
    await settle();
    fireEvent.click(screen.getByText("特別指示書を作成"));
    await settle();
    expect(document.getElementById("nursing-order-form-title")?.textContent).toBe("特別訪問看護指示書（別紙様式18）");
    expect(screen.getByLabelText("病状・主訴")).toBeTruthy();
    expect(screen.getByLabelText("一時的に訪問看護が頻回に必要な理由")).toBeTruthy();
    expect(screen.queryByText(/主たる傷病名/)).toBeNull();
    expect(screen.queryByText(/寝たきり度/)).toBeNull();
    // The team's station is chosen, not typed.
    const select = document.getElementById("nursing-order-field-station");
    expect(select?.tagName).toBe("SELECT");
    expect(screen.getByText("みどり訪問看護ステーション")).toBeTruthy();
  });
});
