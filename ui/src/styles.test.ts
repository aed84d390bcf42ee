import { readFileSync } from "node:fs";
import postcss from "postcss";
import { describe, expect, it } from "vitest";

// A lost brace makes the browser drop every rule after it without a word
// (the lab table's buttons lost their spacing that way after a merge);
// PostCSS reads the sheet strictly and names the line.
describe("styles.css", () => {
  it("parses as CSS, every block closed", () => {
    const css = readFileSync(new URL("./styles.css", import.meta.url), "utf8");
    expect(() => postcss.parse(css)).not.toThrow();
  });
});
