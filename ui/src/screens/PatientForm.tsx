import { useEffect, useRef, useState } from "preact/hooks";
import {
  createPatient,
  deletePatient,
  getPatient,
  previewBirthDate,
  restorePatient,
  toApiError,
  updatePatient,
  type Patient,
  type PatientInput,
  type Sex,
} from "../api";
import { FieldErrorText, TextAreaField, TextField, fieldId } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { SEX_LABELS, formatDateTime, toFieldErrors } from "../lib/format";
import { EMPTY_PATIENT, toPatientInput } from "../lib/patients";
import { useAction } from "../lib/useAction";
import { PatientConsentPanel } from "./PatientConsent";
import { PatientTeamPanel } from "./PatientTeam";
import { PatientAcpPanel } from "./PatientAcp";
import { PatientCareSummaryPanel } from "./PatientCareSummary";
import { PatientSharingFeePanel } from "./PatientSharingFee";
import { PatientLettersPanel } from "./PatientLetters";
import { PatientNursingOrdersPanel } from "./PatientNursingOrders";
import { PatientReferralsPanel } from "./PatientReferrals";

// Prefixed so field ids never meet the page ids (#patient-search, #patient-form).
const FORM_ID = "patient-field";

/** Slower than the list search: a date is worth previewing only once the user pauses. */
const PREVIEW_DEBOUNCE_MS = 250;

const LABELS: Record<keyof PatientInput, string> = {
  name: "氏名",
  kana: "ふりがな",
  birthDate: "生年月日",
  sex: "性別",
  address: "住所",
  phone: "電話",
  keyPersonName: "キーパーソン氏名",
  keyPersonRelation: "キーパーソン続柄",
  keyPersonPhone: "キーパーソン電話",
  chartNumber: "カルテ番号（任意）",
  memo: "メモ",
};

const SEXES: readonly Sex[] = ["male", "female", "other"];

export type PatientFormTarget = { kind: "new" } | { kind: "edit"; id: string };

interface ScreenProps {
  target: PatientFormTarget;
  /** Opens a letter draft of this patient (from the letters panel). */
  onOpenDraft: (draftId: string, patient: Patient) => void;
  /** A letter just issued, pointed out in the letters panel. */
  highlightLetter: string | null;
  /** Rises when a sync brought news: the team's timeline loads again. */
  syncs?: number;
  /** From an accepted 受入相談: the team's invitation opens with this organisation chosen. */
  inviteOrganisation?: string | undefined;
  onSaved: (patient: Patient, action: "created" | "updated") => void;
  onDeleted: (patient: Patient) => void;
  onClose: () => void;
}

type LoadState = { kind: "loading" } | { kind: "loaded"; patient: Patient } | { kind: "error"; message: string };

/** Loads the patient for edit mode, then hands over to the editor. */
export function PatientFormScreen(props: ScreenProps) {
  const { target } = props;
  const editId = target.kind === "edit" ? target.id : null;
  const [load, setLoad] = useState<LoadState>({ kind: "loading" });

  useEffect(() => {
    if (editId === null) {
      return undefined;
    }
    let stale = false;
    setLoad({ kind: "loading" });
    getPatient(editId).then(
      (patient) => {
        if (!stale) setLoad({ kind: "loaded", patient });
      },
      (e: unknown) => {
        if (!stale) setLoad({ kind: "error", message: toApiError(e).message });
      },
    );
    return () => {
      stale = true;
    };
  }, [editId]);

  if (editId === null) {
    return <PatientEditor {...props} patient={null} />;
  }
  if (load.kind === "loading") {
    return <p class="list-status">読み込み中…</p>;
  }
  if (load.kind === "error") {
    return (
      <section class="page">
        <div class="page-card">
          <p class="alert alert-error" role="alert">
            {load.message}
          </p>
          <button type="button" id="cancel-patient" class="button" onClick={props.onClose}>
            一覧に戻る
          </button>
        </div>
      </section>
    );
  }
  return <PatientEditor key={load.patient.id} {...props} patient={load.patient} />;
}

interface EditorProps extends ScreenProps {
  patient: Patient | null;
}

function PatientEditor({
  patient: initialPatient,
  onSaved,
  onDeleted,
  onClose,
  onOpenDraft,
  highlightLetter,
  syncs,
  inviteOrganisation,
}: EditorProps) {
  // Kept in state because restoring changes `deleted` without leaving the form.
  const [patient, setPatient] = useState<Patient | null>(initialPatient);
  const [values, setValues] = useState<PatientInput>(initialPatient === null ? EMPTY_PATIENT : toPatientInput(initialPatient));
  const { busy, error, run } = useAction();
  const [referralChanges, setReferralChanges] = useState(0);
  const [consentChanges, setConsentChanges] = useState(0);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [restoredNotice, setRestoredNotice] = useState(false);
  const fieldErrors = toFieldErrors(error?.fields ?? []);
  const isDeleted = patient?.deleted ?? false;

  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };


  const save = () =>
    run(async () => {
      if (patient === null) {
        onSaved(await createPatient(values), "created");
      } else {
        onSaved(await updatePatient(patient.id, values), "updated");
      }
    });

  const remove = (id: string) =>
    run(async () => {
      setConfirmingDelete(false);
      onDeleted(await deletePatient(id));
    });

  const restore = (id: string) =>
    run(async () => {
      const restored = await restorePatient(id);
      setPatient(restored);
      setValues(toPatientInput(restored));
      setRestoredNotice(true);
    });

  const text = (name: Exclude<keyof PatientInput, "sex">) => ({
    formId: FORM_ID,
    name,
    label: LABELS[name],
    value: values[name],
    error: fieldErrors[name],
    onInput,
  });

  return (
    <section class="page" aria-labelledby="patient-heading">
      {patient !== null && (
        <PatientReferralsPanel
          patientId={patient.id}
          onChanged={() => {
            setReferralChanges((n) => n + 1);
          }}
        />
      )}
      {patient !== null && !isDeleted && (
        <PatientConsentPanel
          patientId={patient.id}
          onChanged={() => {
            setConsentChanges((n) => n + 1);
          }}
        />
      )}
      {patient !== null && !isDeleted && (
        <PatientTeamPanel
          patientId={patient.id}
          refreshKey={(syncs ?? 0) + consentChanges}
          patient={{ name: patient.name, address: patient.address }}
          initialInvite={inviteOrganisation}
        />
      )}
      {patient !== null && !isDeleted && <PatientCareSummaryPanel patientId={patient.id} />}
      {patient !== null && !isDeleted && <PatientAcpPanel patientId={patient.id} />}
      {patient !== null && !isDeleted && <PatientSharingFeePanel patientId={patient.id} />}
      {patient !== null && !isDeleted && <PatientNursingOrdersPanel patientId={patient.id} />}
      {patient !== null && !isDeleted && (
        <PatientLettersPanel
          patientId={patient.id}
          referralChanges={referralChanges}
          highlight={highlightLetter}
          onOpenDraft={(draftId) => {
            onOpenDraft(draftId, patient);
          }}
        />
      )}
      <div class="page-card">
        <div class="page-header">
          <h1 id="patient-heading" class="page-title">
            {patient === null ? "新規患者の登録" : `${patient.name} さん`}
          </h1>
          {patient !== null && (
            <p class="page-meta">
              <span>登録 {formatDateTime(patient.createdAt)}</span>
              <span>更新 {formatDateTime(patient.updatedAt)}</span>
            </p>
          )}
        </div>
        {isDeleted && (
          <p class="alert alert-warning" id="deleted-banner">
            この患者は削除済みです。編集するには「復元」してください。
          </p>
        )}
        {restoredNotice && !isDeleted && (
          <p class="alert alert-success" role="status">
            患者を復元しました。
          </p>
        )}
        <form
          id="patient-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!isDeleted) void save();
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={isDeleted || busy}>
            <div class="form-grid">
              <TextField {...text("name")} autoFocus={patient === null} />
              <TextField {...text("kana")} />
              <BirthDateField value={values.birthDate} error={fieldErrors.birthDate} onInput={onInput} />
              <SexField
                value={values.sex}
                error={fieldErrors.sex}
                onChange={(sex) => {
                  setValues((v) => ({ ...v, sex }));
                }}
              />
              <TextField {...text("address")} className="span-2" />
              <TextField {...text("phone")} type="tel" inputMode="tel" />
              <TextField {...text("chartNumber")} />
            </div>
            <fieldset class="group">
              <legend>キーパーソン</legend>
              <div class="form-grid form-grid-3">
                <TextField {...text("keyPersonName")} label="氏名" />
                <TextField {...text("keyPersonRelation")} label="続柄" placeholder="例: 長女" />
                <TextField {...text("keyPersonPhone")} label="電話" type="tel" inputMode="tel" />
              </div>
            </fieldset>
            <TextAreaField {...text("memo")} rows={4} />
          </fieldset>

          {confirmingDelete && patient !== null && (
            <DeleteConfirm
              patient={patient}
              busy={busy}
              onConfirm={() => void remove(patient.id)}
              onCancel={() => {
                setConfirmingDelete(false);
              }}
            />
          )}

          <div class="form-actions">
            <div class="form-actions-start">
              {patient !== null && !isDeleted && !confirmingDelete && (
                <button
                  type="button"
                  id="delete-patient"
                  class="button button-danger-outline"
                  disabled={busy}
                  onClick={() => {
                    setConfirmingDelete(true);
                  }}
                >
                  削除
                </button>
              )}
              {patient !== null && isDeleted && (
                <button
                  type="button"
                  id="restore-patient"
                  class="button"
                  disabled={busy}
                  onClick={() => void restore(patient.id)}
                >
                  復元
                </button>
              )}
            </div>
            <button type="button" id="cancel-patient" class="button" onClick={onClose} disabled={busy}>
              {isDeleted ? "一覧に戻る" : "キャンセル"}
            </button>
            {!isDeleted && (
              <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? "保存中…" : "保存"}
              </button>
            )}
          </div>
        </form>
      </div>
    </section>
  );
}

type Preview =
  | { kind: "none" }
  | { kind: "ok"; display: string }
  | { kind: "error"; message: string };

function BirthDateField({
  value,
  error,
  onInput,
}: {
  value: string;
  error: string | undefined;
  onInput: (name: string, value: string) => void;
}) {
  const [preview, setPreview] = useState<Preview>({ kind: "none" });
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const input = value.trim();
    if (input === "") {
      setPreview({ kind: "none" });
      setPending(false);
      return undefined;
    }
    // As in the list search: cleanup marks the run stale so late answers are dropped.
    let stale = false;
    setPending(true);
    const timer = setTimeout(() => {
      previewBirthDate(input).then(
        (p) => {
          if (!stale) {
            setPreview({ kind: "ok", display: p.display });
            setPending(false);
          }
        },
        (e: unknown) => {
          if (!stale) {
            setPreview({ kind: "error", message: toApiError(e).message });
            setPending(false);
          }
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [value]);

  const previewClass = [
    "birth-preview",
    preview.kind === "error" ? "birth-preview-error" : "",
    pending ? "is-pending" : "",
  ].join(" ");

  return (
    <TextField
      formId={FORM_ID}
      name="birthDate"
      label={LABELS.birthDate}
      value={value}
      error={error}
      hint="和暦・西暦のどちらでも（例: 昭和25年4月1日、1950-04-01）"
      onInput={onInput}
      below={
        <p id="birth-date-preview" class={previewClass} aria-live="polite">
          {preview.kind === "ok" && preview.display}
          {preview.kind === "error" && preview.message}
        </p>
      }
    />
  );
}

function SexField({
  value,
  error,
  onChange,
}: {
  value: Sex | null;
  error: string | undefined;
  onChange: (sex: Sex) => void;
}) {
  const id = fieldId(FORM_ID, "sex");
  return (
    <fieldset id={id} class="field radio-field" aria-describedby={error === undefined ? undefined : `${id}-error`}>
      <legend class="field-label">{LABELS.sex}</legend>
      <div class="radio-row">
        {SEXES.map((sex) => (
          <label key={sex} class="radio">
            <input
              type="radio"
              name="sex"
              value={sex}
              checked={value === sex}
              aria-invalid={error !== undefined}
              onChange={() => {
                onChange(sex);
              }}
            />
            {SEX_LABELS[sex]}
          </label>
        ))}
      </div>
      <FieldErrorText id={id} name="sex" message={error} />
    </fieldset>
  );
}

function DeleteConfirm({
  patient,
  busy,
  onConfirm,
  onCancel,
}: {
  patient: Patient;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Focus the safe choice, so a second Enter does not delete by accident.
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  return (
    <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete-title" aria-describedby="confirm-delete-text">
      <p id="confirm-delete-title" class="confirm-title">
        {patient.name} さんを削除しますか？
      </p>
      <p id="confirm-delete-text">
        一覧には表示されなくなります。「削除済みも表示」から開いて、いつでも復元できます。
      </p>
      <div class="confirm-actions">
        <button type="button" class="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          削除しない
        </button>
        <button type="button" id="confirm-delete" class="button button-danger" onClick={onConfirm} disabled={busy}>
          削除する
        </button>
      </div>
    </div>
  );
}
