// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TextAreaField, TextField, fieldId } from "./Field";

afterEach(cleanup);

const noop = () => undefined;

describe("fieldId", () => {
  it("prefixes the field name with the form's id", () => {
    expect(fieldId("patient-field", "birthDate")).toBe("patient-field-birthDate");
  });
});

describe("TextField", () => {
  it("labels an input named like the field, with the form-prefixed id", () => {
    render(<TextField formId="patient-field" name="name" label="氏名" value="山田 花子" onInput={noop} />);
    const input = screen.getByLabelText<HTMLInputElement>("氏名");
    expect(input.id).toBe("patient-field-name");
    expect(input.name).toBe("name");
    expect(input.value).toBe("山田 花子");
    expect(input.type).toBe("text");
    expect(input.getAttribute("autocomplete")).toBe("off");
  });

  it("reports typing with the field's name", () => {
    const onInput = vi.fn();
    render(<TextField formId="f" name="kana" label="ふりがな" value="" onInput={onInput} />);
    fireEvent.input(screen.getByLabelText("ふりがな"), { target: { value: "やまだ" } });
    expect(onInput).toHaveBeenCalledWith("kana", "やまだ");
  });

  it("without an error, is not invalid and describes nothing", () => {
    render(<TextField formId="f" name="phone" label="電話" value="" onInput={noop} />);
    const input = screen.getByLabelText("電話");
    expect(input.getAttribute("aria-invalid")).toBe("false");
    expect(input.hasAttribute("aria-describedby")).toBe(false);
    expect(document.querySelector("[data-error-for]")).toBeNull();
  });

  it("shows its error under the input, for the end-to-end selector and screen readers", () => {
    render(<TextField formId="f" name="phone" label="電話" value="abc" error="電話番号の形式が正しくありません。" onInput={noop} />);
    const input = screen.getByLabelText("電話");
    const error = document.querySelector("[data-error-for=phone]");
    expect(error?.textContent).toBe("電話番号の形式が正しくありません。");
    expect(error?.id).toBe("f-phone-error");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe("f-phone-error");
  });

  it("is described by its hint, what is below it and its error, in that order", () => {
    render(
      <TextField
        formId="f"
        name="birthDate"
        label="生年月日"
        value="S25"
        hint="和暦・西暦のどちらでも"
        below={<p>昭和25年</p>}
        error="日付を確認してください。"
        onInput={noop}
      />,
    );
    const input = screen.getByLabelText("生年月日");
    expect(input.getAttribute("aria-describedby")).toBe("f-birthDate-hint f-birthDate-below f-birthDate-error");
    expect(document.getElementById("f-birthDate-hint")?.textContent).toBe("和暦・西暦のどちらでも");
    expect(document.getElementById("f-birthDate-below")?.textContent).toBe("昭和25年");
  });
});

describe("TextAreaField", () => {
  it("is a labelled textarea of four rows unless told otherwise", () => {
    render(<TextAreaField formId="f" name="memo" label="メモ" value="独居" onInput={noop} />);
    const textarea = screen.getByLabelText<HTMLTextAreaElement>("メモ");
    expect(textarea.tagName).toBe("TEXTAREA");
    expect(textarea.getAttribute("rows")).toBe("4");
    expect(textarea.value).toBe("独居");
  });

  it("reports typing and shows its error like a text field", () => {
    const onInput = vi.fn();
    render(<TextAreaField formId="f" name="plan" label="方針" value="" rows={2} error="入力してください。" onInput={onInput} />);
    const textarea = screen.getByLabelText("方針");
    fireEvent.input(textarea, { target: { value: "訪問診療" } });
    expect(onInput).toHaveBeenCalledWith("plan", "訪問診療");
    expect(textarea.getAttribute("rows")).toBe("2");
    expect(textarea.getAttribute("aria-invalid")).toBe("true");
    expect(document.querySelector("[data-error-for=plan]")?.textContent).toBe("入力してください。");
  });
});
