import { TextField } from "./Field";

interface Props {
  formId: string;
  /** The new secret's field name (`password`, `passphrase`, `newPassword`). */
  name: string;
  label: string;
  value: string;
  confirmation: string;
  errors: Record<string, string | undefined>;
  onValue: (value: string) => void;
  onConfirmation: (value: string) => void;
}

/** A new password or passphrase and the same typed again (`confirmation`), never shown. */
export function NewSecretFields({ formId, name, label, value, confirmation, errors, onValue, onConfirmation }: Props) {
  return (
    <>
      <TextField
        formId={formId}
        name={name}
        label={label}
        type="password"
        autoComplete="new-password"
        value={value}
        error={errors[name]}
        onInput={(_, v) => {
          onValue(v);
        }}
      />
      <TextField
        formId={formId}
        name="confirmation"
        label="確認のためもう一度"
        type="password"
        autoComplete="new-password"
        value={confirmation}
        error={errors.confirmation}
        onInput={(_, v) => {
          onConfirmation(v);
        }}
      />
    </>
  );
}
