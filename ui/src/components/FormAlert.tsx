import { useEffect, useRef } from "preact/hooks";
import type { ApiError } from "../api";
import { fieldId } from "./Field";

interface Props {
  error: ApiError | null;
  formId: string;
  /** Field key → label; fields the form does not show are listed by message only. */
  labels: Partial<Record<string, string>>;
}

/**
 * The summary at the top of a form. It takes focus when a new error arrives so that
 * staff who pressed 保存 at the bottom of a long form notice that nothing was saved.
 */
export function FormAlert({ error, formId, labels }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error !== null) {
      ref.current?.focus();
    }
  }, [error]);

  if (error === null) {
    return null;
  }

  return (
    <div class="alert alert-error" role="alert" tabIndex={-1} ref={ref} data-testid="form-alert">
      <p class="alert-title">{error.message}</p>
      {error.fields.length > 0 && (
        <ul class="alert-list">
          {error.fields.map((f, i) => {
            const label = labels[f.field];
            return (
              <li key={`${f.field}-${String(i)}`}>
                {label === undefined ? (
                  f.message
                ) : (
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      focusField(fieldId(formId, f.field));
                    }}
                  >
                    {label}：{f.message}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Radio groups carry the field id on their fieldset; focus its first control instead. */
function focusField(id: string) {
  const el = document.getElementById(id);
  const target = el?.matches("input, textarea, select") ? el : el?.querySelector<HTMLElement>("input, textarea, select");
  target?.focus();
}
