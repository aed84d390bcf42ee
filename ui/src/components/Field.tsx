import type { ComponentChildren } from "preact";

type InputMode = "text" | "numeric" | "tel" | "none" | "decimal" | "email" | "url" | "search";

interface CommonProps {
  /** The form's id prefix, so ids stay unique when two forms share field names. */
  formId: string;
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  onInput: (name: string, value: string) => void;
}

interface TextFieldProps extends CommonProps {
  type?: "text" | "tel" | "password";
  inputMode?: InputMode;
  autoComplete?: string;
  maxLength?: number;
  autoFocus?: boolean;
  placeholder?: string;
  /** Content placed right under the input (before the error), e.g. a live preview. */
  below?: ComponentChildren;
  className?: string;
  /** The input's `data-testid`. */
  testId?: string;
}

export function fieldId(formId: string, name: string): string {
  return `${formId}-${name}`;
}

function describedBy(id: string, hasHint: boolean, hasError: boolean, extra?: string): string | undefined {
  const ids = [hasHint ? `${id}-hint` : null, extra ?? null, hasError ? `${id}-error` : null].filter(
    (x): x is string => x !== null,
  );
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function FieldErrorText({ id, name, message }: { id: string; name: string; message: string | undefined }) {
  if (message === undefined) {
    return null;
  }
  return (
    <p class="field-error" id={`${id}-error`} data-error-for={name}>
      {message}
    </p>
  );
}

function Label({ id, label }: { id: string; label: string }) {
  return (
    <label class="field-label" for={id}>
      {label}
    </label>
  );
}

export function TextField(props: TextFieldProps) {
  const id = fieldId(props.formId, props.name);
  const hasError = props.error !== undefined;
  const hasHint = props.hint !== undefined;
  return (
    <div class={`field ${props.className ?? ""}`}>
      <Label id={id} label={props.label} />
      {hasHint && (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? "off"}
        maxLength={props.maxLength}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        data-testid={props.testId}
        aria-invalid={hasError}
        aria-describedby={describedBy(id, hasHint, hasError, props.below === undefined ? undefined : `${id}-below`)}
        onInput={(e) => {
          props.onInput(props.name, e.currentTarget.value);
        }}
      />
      {props.below !== undefined && <div id={`${id}-below`}>{props.below}</div>}
      <FieldErrorText id={id} name={props.name} message={props.error} />
    </div>
  );
}

interface TextAreaFieldProps extends CommonProps {
  rows?: number;
  className?: string;
  /** The textarea's `data-testid`. */
  testId?: string;
}

export function TextAreaField(props: TextAreaFieldProps) {
  const id = fieldId(props.formId, props.name);
  const hasError = props.error !== undefined;
  const hasHint = props.hint !== undefined;
  return (
    <div class={`field ${props.className ?? ""}`}>
      <Label id={id} label={props.label} />
      {hasHint && (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        value={props.value}
        data-testid={props.testId}
        aria-invalid={hasError}
        aria-describedby={describedBy(id, hasHint, hasError)}
        onInput={(e) => {
          props.onInput(props.name, e.currentTarget.value);
        }}
      />
      <FieldErrorText id={id} name={props.name} message={props.error} />
    </div>
  );
}
