import { useState } from "preact/hooks";
import { ApiError, saveClinicProfile, toApiError, type ClinicProfile } from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { toFieldErrors } from "../lib/format";

// Not "clinic": the header already uses #clinic-name.
const FORM_ID = "clinic-field";

const EMPTY: ClinicProfile = {
  name: "",
  institutionCode: "",
  postalCode: "",
  address: "",
  phone: "",
  fax: "",
  doctorName: "",
};

const LABELS: Record<keyof ClinicProfile, string> = {
  name: "医療機関名",
  institutionCode: "医療機関コード（任意・10桁）",
  postalCode: "郵便番号",
  address: "住所",
  phone: "電話",
  fax: "FAX（任意）",
  doctorName: "医師名",
};

interface Props {
  mode: "setup" | "edit";
  initial: ClinicProfile | null;
  onSaved: (profile: ClinicProfile) => void;
  onCancel?: () => void;
}

export function ClinicForm({ mode, initial, onSaved, onCancel }: Props) {
  const [values, setValues] = useState<ClinicProfile>(initial ?? EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const fieldErrors = toFieldErrors(error?.fields ?? []);

  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };

  const submit = async () => {
    setSaving(true);
    try {
      const saved = await saveClinicProfile(values);
      onSaved(saved);
    } catch (e) {
      setError(toApiError(e));
      setSaving(false);
    }
  };

  const field = (name: keyof ClinicProfile) => ({
    formId: FORM_ID,
    name,
    label: LABELS[name],
    value: values[name],
    error: fieldErrors[name],
    onInput,
  });

  return (
    <section class={mode === "setup" ? "setup-page" : "page"} aria-labelledby="clinic-heading">
      <div class="page-card">
        <h1 id="clinic-heading" class="page-title">
          {mode === "setup" ? "医療機関の情報を登録してください" : "医療機関情報"}
        </h1>
        <p class="page-lead">
          紹介状などの文書の差出人として使います。
          {mode === "setup" && "あとから「医療機関情報」で変更できます。"}
        </p>
        <form
          id="clinic-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <div class="form-grid">
            <TextField {...field("name")} autoFocus className="span-2" />
            <TextField {...field("institutionCode")} inputMode="numeric" />
            <TextField {...field("postalCode")} inputMode="numeric" hint="例: 123-4567" />
            <TextField {...field("address")} className="span-2" />
            <TextField {...field("phone")} type="tel" inputMode="tel" />
            <TextField {...field("fax")} type="tel" inputMode="tel" />
            <TextField {...field("doctorName")} />
          </div>
          <div class="form-actions">
            {onCancel !== undefined && (
              <button type="button" class="button" onClick={onCancel} disabled={saving}>
                キャンセル
              </button>
            )}
            <button type="submit" class="button button-primary" disabled={saving}>
              {saving ? "保存中…" : "保存"}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
