import { useEffect, useState } from "preact/hooks";
import {
  openEmergencySheet,
  patientCareSummary,
  saveCareSummary,
  saveEmergencySheet,
  toApiError,
  type CareSummary,
  type CareSummaryInput,
} from "../api";
import { TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { CARE_SUMMARY_LABELS, careSummaryInput, careSummarySavedText, listText, valueText } from "../lib/careSummary";
import { formatDateTime, toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "summary-field";

/**
 * 医療・介護連携サマリー: what every member of the team must know without digging
 * through posts, kept current as signed versions, and the 救急医療情報 printed from
 * it (with the current 人生会議 wishes) for the patient's home.
 */
export function PatientCareSummaryPanel({ patientId }: { patientId: string }) {
  const [summary, setSummary] = useState<CareSummary | null | undefined>(undefined);
  const [values, setValues] = useState<CareSummaryInput | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    setSummary(undefined);
    patientCareSummary(patientId).then(setSummary, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [patientId]);

  const errors = toFieldErrors(error?.fields ?? []);
  const set = (name: string, value: string) => {
    setValues((v) => (v === null ? v : { ...v, [name]: value }));
  };
  const printSheet = () => run(() => openEmergencySheet(patientId));
  const saveSheet = () =>
    run(async () => {
      const saved = await saveEmergencySheet(patientId);
      if (saved.path !== null) {
        setMessage(`救急医療情報を保存しました（${saved.path}）。`);
      }
    });

  return (
    <section class="page-card care-summary" aria-labelledby="summary-heading" id="summary-panel">
      <div class="page-header">
        <h2 id="summary-heading" class="section-title">
          医療・介護連携サマリー
        </h2>
        {summary !== undefined && values === null && (
          <div class="header-buttons">
            <button type="button" class="button" id="emergency-sheet-print" disabled={busy} onClick={() => void printSheet()}>
              救急医療情報を印刷
            </button>
            <button type="button" class="button" id="emergency-sheet-save" disabled={busy} onClick={() => void saveSheet()}>
              PDFを保存
            </button>
            <button
              type="button"
              class="button"
              id="summary-edit"
              onClick={() => {
                setMessage(null);
                setError(null);
                setValues(careSummaryInput(summary));
              }}
            >
              {summary === null ? "記入する" : "更新する"}
            </button>
          </div>
        )}
      </div>
      {summary === undefined && error === null && <p class="list-status">読み込み中…</p>}
      {values === null && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {message !== null && <p class="alert alert-success">{message}</p>}
      {summary === null && values === null && (
        <p class="list-empty" id="summary-none">
          まだ記入されていません。病名・薬・アレルギー・医療機器を記入すると、救急医療情報にも印刷されます。
        </p>
      )}
      {summary != null && values === null && (
        <div data-testid="care-summary">
          <dl class="acp-facts">
            <dt>{CARE_SUMMARY_LABELS.problems}</dt>
            <dd>{listText(summary.problems)}</dd>
            <dt>{CARE_SUMMARY_LABELS.medications}</dt>
            <dd>{listText(summary.medications)}</dd>
            <dt>{CARE_SUMMARY_LABELS.allergies}</dt>
            <dd>{valueText(summary.allergies)}</dd>
            <dt>{CARE_SUMMARY_LABELS.devices}</dt>
            <dd>{listText(summary.devices)}</dd>
            <dt>{CARE_SUMMARY_LABELS.nextVisit}</dt>
            <dd>{summary.nextVisitLabel ?? "（記録なし）"}</dd>
            <dt>{CARE_SUMMARY_LABELS.cautions}</dt>
            <dd class="acp-text">{valueText(summary.cautions)}</dd>
            <dt>{CARE_SUMMARY_LABELS.afterHoursPhone}</dt>
            <dd>{valueText(summary.afterHoursPhone)}</dd>
          </dl>
          <p class="acp-signature">
            更新：{summary.recordedBy}（{formatDateTime(summary.recordedAt)}）
          </p>
        </div>
      )}
      {values !== null && (
        <form
          id="summary-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const saved = await saveCareSummary(patientId, values);
              setSummary(saved.summary);
              setValues(null);
              setMessage(careSummarySavedText(saved.sharedWithTeam));
            });
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={CARE_SUMMARY_LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <div class="form-grid form-grid-2">
              <TextAreaField formId={FORM_ID} name="problems" label={CARE_SUMMARY_LABELS.problems} rows={4} value={values.problems} error={errors.problems} onInput={set} hint="1行に1つ、重要なものから" />
              <TextAreaField formId={FORM_ID} name="medications" label={CARE_SUMMARY_LABELS.medications} rows={4} value={values.medications} error={errors.medications} onInput={set} hint="1行に1つ（抗凝固薬などを先に）" />
              <TextAreaField formId={FORM_ID} name="devices" label={CARE_SUMMARY_LABELS.devices} rows={3} value={values.devices} error={errors.devices} onInput={set} hint="1行に1つ（在宅酸素、胃ろう など）" />
              <TextAreaField formId={FORM_ID} name="allergies" label={CARE_SUMMARY_LABELS.allergies} rows={3} value={values.allergies} error={errors.allergies} onInput={set} hint="ない場合は「なし」と記入" />
            </div>
            <div class="form-grid form-grid-3">
              <TextField formId={FORM_ID} name="nextVisit" label={CARE_SUMMARY_LABELS.nextVisit} value={values.nextVisit} error={errors.nextVisit} onInput={set} placeholder="例: R8.12.14" />
              <TextField formId={FORM_ID} name="afterHoursPhone" label={CARE_SUMMARY_LABELS.afterHoursPhone} type="tel" value={values.afterHoursPhone} error={errors.afterHoursPhone} onInput={set} />
            </div>
            <TextAreaField formId={FORM_ID} name="cautions" label={CARE_SUMMARY_LABELS.cautions} rows={3} value={values.cautions} error={errors.cautions} onInput={set} />
            <div class="form-actions">
              <button type="submit" class="button button-primary" id="summary-save">
                保存
              </button>
              <button
                type="button"
                class="button"
                id="summary-cancel"
                onClick={() => {
                  setError(null);
                  setValues(null);
                }}
              >
                キャンセル
              </button>
            </div>
          </fieldset>
        </form>
      )}
    </section>
  );
}
