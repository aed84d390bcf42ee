import { describe, expect, it } from "vitest";
import type { Acp } from "../api";
import { acpFieldLabels, acpInput, declinesCpr, withParticipant, withWish, withoutParticipant, wishOf } from "./acp";

const version: Acp = {
  id: "a1",
  heldOn: "2026-06-01",
  heldOnLabel: "令和8年6月1日",
  participants: [
    { role: "patient", name: "", relation: "", label: "本人" },
    { role: "family", name: "山田 花子", relation: "長女", label: "家族（長女 山田 花子）" },
  ],
  values: "家で過ごしたい",
  placeOfCare: "home",
  placeOfCareNote: "",
  placeOfCareLabel: "自宅",
  placeOfDeath: "home",
  placeOfDeathNote: "できれば",
  placeOfDeathLabel: "自宅（できれば）",
  wishes: [
    { treatment: "cpr", treatmentLabel: "心肺蘇生（DNARの有無）", wish: "declines", wishLabel: "希望しない（DNAR）" },
    { treatment: "drip", treatmentLabel: "点滴", wish: "wants", wishLabel: "希望する" },
  ],
  wishesNote: "",
  surrogateName: "山田 花子",
  surrogateRelation: "長女",
  surrogatePhone: "090-1234-5678",
  notes: "前回のメモ",
  recordedBy: "医師 鈴木",
  recordedAt: "2026-06-01T09:00:00+00:00",
};

describe("acpInput", () => {
  it("starts a first record with nothing chosen, the patient and a family row", () => {
    const input = acpInput(null);
    expect(input.wishes).toEqual([]);
    expect(input.placeOfCare).toBe("");
    expect(input.participants.map((p) => p.role)).toEqual(["patient", "family"]);
  });

  it("carries the current wishes over to a review, dated today, without the old notes", () => {
    const input = acpInput(version);
    expect(wishOf(input, "cpr")).toBe("declines");
    expect(input.placeOfDeathNote).toBe("できれば");
    expect(input.surrogatePhone).toBe("090-1234-5678");
    expect(input.notes).toBe("");
    expect(input.heldOn).not.toBe("2026-06-01");
  });
});

describe("form changes", () => {
  it("keeps one answer per treatment", () => {
    const input = withWish(withWish(acpInput(null), "cpr", "wants"), "cpr", "undecided");
    expect(input.wishes).toEqual([{ treatment: "cpr", wish: "undecided" }]);
  });

  it("changes and removes participant rows by index", () => {
    const input = withParticipant(acpInput(null), 1, { name: "山田 花子" });
    expect(input.participants[1]?.name).toBe("山田 花子");
    expect(withoutParticipant(input, 0).participants.map((p) => p.role)).toEqual(["family"]);
  });
});

describe("acpFieldLabels", () => {
  it("names each participant row and each treatment", () => {
    const labels = acpFieldLabels(acpInput(null));
    expect(labels["participants.1"]).toBe("参加した人（2人目）");
    expect(labels["wish.cpr"]).toBe("心肺蘇生（DNARの有無）");
    expect(labels.heldOn).toBe("話し合った日");
  });
});

it("tells a DNAR from other answers", () => {
  expect(declinesCpr(version)).toBe(true);
  expect(declinesCpr({ ...version, wishes: [] })).toBe(false);
});
