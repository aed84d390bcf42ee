import { describe, expect, it } from "vitest";
import { fromStartup } from "./startup";

describe("fromStartup", () => {
  it("offers the start choice when the data folder is empty", () => {
    expect(fromStartup({ status: "new", dataDir: "/d" })).toEqual({ kind: "new", dataDir: "/d" });
  });

  it("asks for the clinic's profile before anything else", () => {
    expect(fromStartup({ status: "ready", clinic: null, dataDir: "/d" })).toEqual({ kind: "setup" });
  });

  it("keeps the failure's code so the missing-file screen can offer a restore", () => {
    const state = fromStartup({
      status: "failed",
      error: { code: "store_file_missing", message: "m", fields: [] },
      dataDir: "/d",
    });
    expect(state).toEqual({ kind: "failed", message: "m", code: "store_file_missing", dataDir: "/d" });
  });
});
