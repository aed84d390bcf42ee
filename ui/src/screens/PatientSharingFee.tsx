import { useEffect, useState } from "preact/hooks";
import { patientSharingFee, recordSharingFee, toApiError, type SharingFeeInput, type SharingFeeRecord } from "../api";
import { FieldErrorText, fieldId, TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { formatDateTime, toFieldErrors } from "../lib/format";
import { japanMonth, policyText, SHARING_FEE_LABELS, sharingFeeInput, splitRecords } from "../lib/sharingFee";
import { useAction } from "../lib/useAction";

const FORM_ID = "sharing-fee-field";

/**
 * 在宅医療情報連携加算: the physician's record for the month (next visit, whether the
 * treatment policy changed and how, the points to watch in care), shared with the
 * team on its timeline, one signed version at a time.
 */
export function PatientSharingFeePanel({ patientId }: { patientId: string }) {
  const [records, setRecords] = useState<SharingFeeRecord[] | undefined>(undefined);
  const [values, setValues] = useState<SharingFeeInput | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    setRecords(undefined);
    patientSharingFee(patientId).then(setRecords, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [patientId]);

  const errors = toFieldErrors(error?.fields ?? []);
  const set = (name: string, value: string) => {
    setValues((v) => (v === null ? v : { ...v, [name]: value }));
  };
  const { counting, earlier } = splitRecords(records ?? []);

  return (
    <section class="page-card sharing-fee" aria-labelledby="sharing-fee-heading" id="sharing-fee-panel">
      <div class="page-header">
        <h2 id="sharing-fee-heading" class="section-title">
          在宅医療情報連携加算の記録
        </h2>
        {records !== undefined && values === null && (
          <div class="header-buttons">
            <button
              type="button"
              class="button"
              id="sharing-fee-new"
              onClick={() => {
                setMessage(null);
                setError(null);
                setValues(sharingFeeInput(records, japanMonth(new Date())));
              }}
            >
              今月の記録
            </button>
          </div>
        )}
      </div>
      {records === undefined && error === null && <p class="list-status">読み込み中…</p>}
      {values === null && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {message !== null && <p class="alert alert-success">{message}</p>}
      {records?.length === 0 && values === null && (
        <p class="list-empty" id="sharing-fee-none">
          まだ記録がありません。毎月、次回の訪問診療の予定日と治療方針の変更の有無を記録すると、在宅チームに共有されます。
        </p>
      )}
      {values === null && counting.length > 0 && (
        <table class="team-table" id="sharing-fee-records">
          <thead>
            <tr>
              <th scope="col">{SHARING_FEE_LABELS.month}</th>
              <th scope="col">{SHARING_FEE_LABELS.nextVisit}</th>
              <th scope="col">{SHARING_FEE_LABELS.policyChanged}</th>
              <th scope="col">{SHARING_FEE_LABELS.carePoints}</th>
              <th scope="col">共有</th>
              <th scope="col">記録</th>
            </tr>
          </thead>
          <tbody>
            {counting.map((r) => (
              <tr key={r.id} data-month={r.month}>
                <td>{r.monthLabel}</td>
                <td>{r.nextVisitLabel}</td>
                <td class="acp-text">{policyText(r)}</td>
                <td class="acp-text">{r.carePoints === "" ? "—" : r.carePoints}</td>
                <td>{r.shared ? "共有済み" : <span class="fee-missing">未共有</span>}</td>
                <td>
                  {r.recordedBy}
                  <br />
                  <small>{formatDateTime(r.recordedAt)}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {values === null && earlier.length > 0 && (
        <details class="acp-earlier" id="sharing-fee-earlier">
          <summary>以前の版（{earlier.length}件）</summary>
          <ul class="fee-earlier-list">
            {earlier.map((r) => (
              <li key={r.id}>
                {r.monthLabel}：次回 {r.nextVisitLabel}、方針の変更 {policyText(r)}（{r.recordedBy}、{formatDateTime(r.recordedAt)}）
              </li>
            ))}
          </ul>
        </details>
      )}
      {values !== null && (
        <form
          id="sharing-fee-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const saved = await recordSharingFee(patientId, values);
              setRecords(await patientSharingFee(patientId));
              setValues(null);
              setMessage(
                saved.shared
                  ? `${saved.monthLabel}の記録を保存し、在宅チームのタイムラインに共有しました。`
                  : `${saved.monthLabel}の記録を保存しました（在宅チームがないか、チームへの共有の同意がないため、共有していません）。`,
              );
            });
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={SHARING_FEE_LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <div class="form-grid form-grid-3">
              <TextField formId={FORM_ID} name="month" label={SHARING_FEE_LABELS.month} value={values.month} error={errors.month} onInput={set} placeholder="例: 2026-12" />
              <TextField formId={FORM_ID} name="nextVisit" label={SHARING_FEE_LABELS.nextVisit} value={values.nextVisit} error={errors.nextVisit} onInput={set} placeholder="例: R8.12.21" />
            </div>
            <fieldset class="field group" id={fieldId(FORM_ID, "policyChanged")}>
              <legend class="field-label">{SHARING_FEE_LABELS.policyChanged}</legend>
              <div class="radio-row">
                {[
                  { value: false, label: "なし" },
                  { value: true, label: "あり" },
                ].map((o) => (
                  <label key={o.label} class="checkbox">
                    <input
                      type="radio"
                      name="sharing-fee-policy"
                      value={String(o.value)}
                      checked={values.policyChanged === o.value}
                      onChange={() => {
                        setValues({ ...values, policyChanged: o.value });
                      }}
                    />
                    {o.label}
                  </label>
                ))}
              </div>
              <FieldErrorText id={fieldId(FORM_ID, "policyChanged")} name="policyChanged" message={errors.policyChanged} />
            </fieldset>
            {values.policyChanged === true && (
              <TextAreaField formId={FORM_ID} name="changeSummary" label={SHARING_FEE_LABELS.changeSummary} rows={2} value={values.changeSummary} error={errors.changeSummary} onInput={set} />
            )}
            <TextAreaField
              formId={FORM_ID}
              name="carePoints"
              label={SHARING_FEE_LABELS.carePoints}
              rows={3}
              value={values.carePoints}
              error={errors.carePoints}
              onInput={set}
              hint="チームに伝える必要があるときに記入（任意）"
            />
            <div class="form-actions">
              <button type="submit" class="button button-primary" id="sharing-fee-save">
                記録して共有
              </button>
              <button
                type="button"
                class="button"
                id="sharing-fee-cancel"
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
