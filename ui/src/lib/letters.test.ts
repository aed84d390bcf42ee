import { describe, expect, it } from "vitest";
import type { Destination } from "../api";
import { LETTER_TITLES, joinNonEmpty, sameDestination, saveText, uniqueDestinations, versionBadge } from "./letters";

const dest = (institution: string, department = "", doctor = ""): Destination => ({ institution, department, doctor });

describe("LETTER_TITLES", () => {
  it("names both kinds of letter", () => {
    expect(LETTER_TITLES).toEqual({ referral: "診療情報提供書", discharge: "退院時サマリー" });
  });
});

describe("saveText", () => {
  it("says when the draft was saved, in local time", () => {
    expect(saveText({ kind: "saved", at: "2026-12-01T00:30:00Z" })).toBe("下書き保存済み（2026/12/1 09:30）");
  });

  it("says typing and saving are under way", () => {
    expect(saveText({ kind: "pending" })).toBe("入力中…");
    expect(saveText({ kind: "saving" })).toBe("保存中…");
  });

  it("gives the backend's reason when saving failed", () => {
    expect(saveText({ kind: "failed", message: "保存できませんでした。" })).toBe(
      "下書きを保存できませんでした：保存できませんでした。",
    );
  });
});

describe("sameDestination", () => {
  it("compares institution, department and doctor", () => {
    expect(sameDestination(dest("中央病院", "内科", "山田"), dest("中央病院", "内科", "山田"))).toBe(true);
    expect(sameDestination(dest("中央病院", "内科", "山田"), dest("中央病院", "内科", ""))).toBe(false);
    expect(sameDestination(dest("中央病院", "内科"), dest("中央病院", "外科"))).toBe(false);
    expect(sameDestination(dest("中央病院"), dest("北病院"))).toBe(false);
  });
});

describe("uniqueDestinations", () => {
  it("drops repeats, keeping the first one's place", () => {
    const list = [dest("中央病院", "内科"), dest("北病院"), dest("中央病院", "内科"), dest("中央病院", "外科")];
    expect(uniqueDestinations(list)).toEqual([dest("中央病院", "内科"), dest("北病院"), dest("中央病院", "外科")]);
  });

  it("shows at most eight", () => {
    const list = Array.from({ length: 10 }, (_, i) => dest(`病院${String(i)}`));
    const shown = uniqueDestinations(list);
    expect(shown).toHaveLength(8);
    expect(shown[7]).toEqual(dest("病院7"));
  });

  it("counts the eight after removing repeats", () => {
    const list = [dest("A"), dest("A"), ...Array.from({ length: 8 }, (_, i) => dest(`B${String(i)}`))];
    expect(uniqueDestinations(list).map((d) => d.institution)).toEqual(["A", "B0", "B1", "B2", "B3", "B4", "B5", "B6"]);
  });
});

describe("joinNonEmpty", () => {
  it("joins with a full-width space and skips empty parts", () => {
    expect(joinNonEmpty(["中央病院", "", "山田 太郎"])).toBe("中央病院　山田 太郎");
    expect(joinNonEmpty(["中央病院", "内科"])).toBe("中央病院　内科");
    expect(joinNonEmpty(["", ""])).toBe("");
  });
});

describe("versionBadge", () => {
  it("is 発行済 for a first version and 第N版 for a correction", () => {
    expect(versionBadge(1)).toBe("発行済");
    expect(versionBadge(2)).toBe("第2版");
    expect(versionBadge(12)).toBe("第12版");
  });
});
