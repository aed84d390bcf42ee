// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Consent, ConsentInput } from "../api";
import { PatientConsentPanel } from "./PatientConsent";

// The Tauri boundary: commands are answered here, by name.
const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const CHUO = { id: "h1", name: "豊島中央病院" };
const IKEBUKURO = { id: "h2", name: "池袋総合病院" };

function saved(input: ConsentInput): Consent {
  return {
    id: "c1",
    obtainedOn: input.obtainedOn,
    obtainedOnLabel: "令和8年11月20日",
    obtainedBy: input.obtainedBy,
    shareWithDesk: input.shareWithDesk,
    shareWithHospital: input.shareWithHospital,
    shareWithTeam: input.shareWithTeam,
    preregistration: input.preregistration,
    preregisteredWith: [IKEBUKURO, CHUO].filter((h) => input.preregisteredWith.includes(h.id)),
    byFamily: false,
    familyName: "",
    familyRelation: "",
    givenByLabel: "本人",
    withdrawnOn: null,
    withdrawnOnLabel: null,
    inForce: true,
  };
}

/** The consents stored so far, as patient_consents answers. */
let stored: Consent[] = [];

beforeEach(() => {
  stored = [];
  invoke.mockReset();
  invoke.mockImplementation((command: string, args?: { input?: ConsentInput }) => {
    switch (command) {
      case "patient_consents":
        return Promise.resolve(stored);
      case "preregistration_hospitals":
        return Promise.resolve([IKEBUKURO, CHUO]);
      case "save_consent": {
        if (args?.input === undefined) return Promise.reject(new Error("no input"));
        const consent = saved(args.input);
        stored = [consent];
        return Promise.resolve(consent);
      }
      default:
        return Promise.reject(new Error(`unexpected command ${command}`));
    }
  });
});

afterEach(() => {
  cleanup();
});

/** The element with `id`; a test fails at once if it is missing. */
function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} missing`);
  return el;
}

/** Whether the check box or radio button `id` is ticked. */
function isChecked(id: string): boolean {
  const el = byId(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`#${id} is no input`);
  return el.checked;
}

/** The hospitals' check boxes, in the order listed. */
function hospitalBoxes(): HTMLInputElement[] {
  return Array.from(document.querySelectorAll<HTMLInputElement>('input[name="preregisteredWith"]'));
}

/** The `i`th hospital check box. */
function hospitalBox(i: number): HTMLInputElement {
  const box = hospitalBoxes()[i];
  if (box === undefined) throw new Error(`hospital ${String(i)} missing`);
  return box;
}

async function settle() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function startNew() {
  render(<PatientConsentPanel patientId="p1" />);
  await settle();
  fireEvent.click(screen.getByText("同意を記録"));
  await settle();
  fireEvent.input(byId("consent-field-obtainedBy"), {
    target: { value: "看護師 佐藤" },
  });
}

function tick(id: string) {
  fireEvent.click(byId(id));
}

function savedInput(): ConsentInput {
  const call = invoke.mock.calls.find(([command]) => command === "save_consent");
  return (call?.[1] as { input: ConsentInput }).input;
}

describe("事前登録 on the consent form", () => {
  it("offers every participating hospital or a choice of the region's hospitals, and sends the ones ticked", async () => {
    await startNew();
    expect(screen.queryByText("すべての参加病院")).toBeNull();
    tick("consent-preregistration");
    expect(screen.getByText(/病院の地域連携室が氏名・生年月日で患者さんとかかりつけ医を確認できます/)).toBeTruthy();
    expect(isChecked("consent-preregistration-all")).toBe(true);
    tick("consent-preregistration-chosen");
    expect(hospitalBoxes().map((b) => b.parentElement?.textContent)).toEqual(["池袋総合病院", "豊島中央病院"]);
    fireEvent.click(hospitalBox(1));
    fireEvent.click(hospitalBox(0));
    fireEvent.click(byId("consent-save"));
    await settle();
    expect(savedInput()).toMatchObject({ preregistration: true, preregisteredWith: ["h1", "h2"] });
    expect(document.getElementById("consent-current")?.textContent).toContain(
      "事前登録（池袋総合病院、豊島中央病院）",
    );
  });

  it("sends no hospitals for every participating hospital", async () => {
    await startNew();
    tick("consent-preregistration");
    tick("consent-preregistration-chosen");
    fireEvent.click(hospitalBox(0));
    tick("consent-preregistration-all");
    fireEvent.click(byId("consent-save"));
    await settle();
    expect(savedInput()).toMatchObject({ preregistration: true, preregisteredWith: [] });
    expect(document.getElementById("consent-current")?.textContent).toContain("事前登録（地域の参加病院すべて）");
  });

  it("asks for a hospital when 病院を選ぶ has none ticked, and saves nothing", async () => {
    await startNew();
    tick("consent-preregistration");
    tick("consent-preregistration-chosen");
    fireEvent.click(byId("consent-save"));
    await settle();
    expect(invoke.mock.calls.some(([command]) => command === "save_consent")).toBe(false);
    expect(document.querySelector('[data-error-for="preregisteredWith"]')?.textContent).toBe(
      "事前登録する病院を1つ以上選ぶか、「すべての参加病院」を選んでください。",
    );
  });

  it("opens a stored consent on the hospitals it chose", async () => {
    stored = [saved({ ...emptyInput(), preregistration: true, preregisteredWith: ["h1"] })];
    render(<PatientConsentPanel patientId="p1" />);
    await settle();
    fireEvent.click(byId("consent-edit"));
    await settle();
    expect(isChecked("consent-preregistration")).toBe(true);
    expect(isChecked("consent-preregistration-chosen")).toBe(true);
    const ticked = hospitalBoxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    expect(ticked).toEqual(["h1"]);
  });
});

function emptyInput(): ConsentInput {
  return {
    obtainedOn: "2026-11-20",
    obtainedBy: "看護師 佐藤",
    shareWithDesk: true,
    shareWithHospital: false,
    shareWithTeam: false,
    byFamily: false,
    familyName: "",
    familyRelation: "",
    withdrawnOn: "",
    preregistration: false,
    preregisteredWith: [],
  };
}
