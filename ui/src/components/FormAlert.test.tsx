// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { FormAlert } from "./FormAlert";

afterEach(cleanup);

const LABELS = { name: "氏名", sex: "性別" };

const VALIDATION = new ApiError("validation", "入力内容を確認してください。", [
  { field: "name", message: "氏名を入力してください。" },
  { field: "sex", message: "性別を選んでください。" },
  { field: "clinic", message: "医療機関情報が登録されていません。" },
]);

describe("FormAlert", () => {
  it("shows nothing without an error", () => {
    const { container } = render(<FormAlert error={null} formId="f" labels={LABELS} />);
    expect(container.innerHTML).toBe("");
  });

  it("shows the message alone when no field is named", () => {
    render(<FormAlert error={new ApiError("conflict", "他の端末で変更されました。")} formId="f" labels={LABELS} />);
    expect(screen.getByRole("alert").textContent).toBe("他の端末で変更されました。");
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("lists each field problem, as a button to the field when the form shows that field", () => {
    render(<FormAlert error={VALIDATION} formId="f" labels={LABELS} />);
    const items = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual(["氏名：氏名を入力してください。", "性別：性別を選んでください。", "医療機関情報が登録されていません。"]);
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual([
      "氏名：氏名を入力してください。",
      "性別：性別を選んでください。",
    ]);
  });

  it("takes focus when an error arrives, so staff notice nothing was saved", () => {
    const { rerender } = render(<FormAlert error={null} formId="f" labels={LABELS} />);
    rerender(<FormAlert error={VALIDATION} formId="f" labels={LABELS} />);
    expect(document.activeElement).toBe(screen.getByRole("alert"));
  });

  it("moves focus to the field when its problem is clicked", () => {
    render(
      <div>
        <input id="f-name" name="name" />
        <FormAlert error={VALIDATION} formId="f" labels={LABELS} />
      </div>,
    );
    fireEvent.click(screen.getByRole("button", { name: "氏名：氏名を入力してください。" }));
    expect(document.activeElement).toBe(document.getElementById("f-name"));
  });

  it("focuses a radio group's first control, since the id is on its fieldset", () => {
    render(
      <div>
        <fieldset id="f-sex">
          <input type="radio" name="sex" value="male" />
          <input type="radio" name="sex" value="female" />
        </fieldset>
        <FormAlert error={VALIDATION} formId="f" labels={LABELS} />
      </div>,
    );
    fireEvent.click(screen.getByRole("button", { name: "性別：性別を選んでください。" }));
    expect(document.activeElement).toBe(document.querySelector("input[value=male]"));
  });
});
