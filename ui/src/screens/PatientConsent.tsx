import { useEffect, useState } from "preact/hooks";
import {
  ApiError,
  openConsentForm,
  patientConsents,
  preregistrationHospitals,
  saveConsent,
  saveConsentForm,
  toApiError,
  type Consent,
  type ConsentInput,
  type RegionalHospital,
} from "../api";
import { TextField, fieldId } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { toFieldErrors } from "../lib/format";
import {
  consentInput,
  consentScopeText,
  consentToSave,
  hospitalOptions,
  preregistrationChoice,
  preregistrationProblem,
  toggleHospital,
  type PreregistrationChoice,
} from "../lib/consents";
import { today } from "../lib/dates";
import { useAction } from "../lib/useAction";

const FORM_ID = "consent-field";

const LABELS = {
  obtainedOn: "同意を得た日",
  obtainedBy: "説明した職員",
  scope: "共有してよい相手",
  familyName: "同意したご家族の名前",
  familyRelation: "ご本人との続柄",
  withdrawnOn: "撤回の日",
  preregisteredWith: "事前登録する病院",
} as const;

type Editing = { kind: "none" } | { kind: "new" } | { kind: "edit"; consent: Consent } | { kind: "withdraw"; consent: Consent };

/**
 * 地域連携の同意: whether the patient's referrals may be shared with the
 * regional desk and the hospital, recorded, changed, withdrawn, and printed as
 * a 同意書. Without a consent in force nothing about the patient leaves the clinic.
 */
/** `onChanged` tells the page a consent was recorded, changed or withdrawn
 * (the team panel reads whether the consent names the team). */
export function PatientConsentPanel({ patientId, onChanged }: { patientId: string; onChanged?: () => void }) {
  const [consents, setConsents] = useState<Consent[] | null>(null);
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [values, setValues] = useState<ConsentInput>(consentInput(null));
  const [choice, setChoice] = useState<PreregistrationChoice>("all");
  /** The region's hospitals to choose from for 事前登録 (null until loaded). */
  const [hospitals, setHospitals] = useState<RegionalHospital[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  const reload = () =>
    patientConsents(patientId).then(setConsents, (e: unknown) => {
      setError(toApiError(e));
    });
  useEffect(() => {
    void reload();
  }, [patientId]);

  const current = consents?.find((c) => c.inForce) ?? null;
  const past = consents?.filter((c) => c !== current) ?? [];
  const errors = toFieldErrors(error?.fields ?? []);
  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  const start = (next: Editing) => {
    setMessage(null);
    setError(null);
    setEditing(next);
    const base = next.kind === "edit" || next.kind === "withdraw" ? next.consent : null;
    const input = consentInput(base);
    setValues(next.kind === "withdraw" ? { ...input, withdrawnOn: today() } : input);
    setChoice(preregistrationChoice(input));
    if (next.kind !== "withdraw") {
      preregistrationHospitals().then(setHospitals, (e: unknown) => {
        setError(toApiError(e));
      });
    }
  };
  const editedConsent = editing.kind === "edit" ? editing.consent : null;
  const options = hospitalOptions(hospitals ?? [], editedConsent?.preregisteredWith ?? []);
  const print = (consentId: string) => run(() => openConsentForm(consentId));
  const save = (consentId: string) =>
    run(async () => {
      const saved = await saveConsentForm(consentId);
      if (saved.path !== null) {
        setMessage(`同意書を保存しました（${saved.path}）。`);
      }
    });

  return (
    <section class="page-card consent" aria-labelledby="consent-heading" id="consent-panel">
      <div class="page-header">
        <h2 id="consent-heading" class="section-title">
          地域連携の同意
        </h2>
        {editing.kind === "none" && current === null && (
          <div class="header-buttons">
            <button
            type="button"
            id="consent-new"
            class="button"
            onClick={() => {
              start({ kind: "new" });
            }}
          >
              同意を記録
            </button>
          </div>
        )}
      </div>
      {consents === null && error === null && <p class="list-status">読み込み中…</p>}
      {consents !== null && current === null && editing.kind === "none" && (
        <p class="consent-none" id="consent-none">
          同意が記録されていません。この患者の紹介は地域連携サーバーに送られません（この医院の中だけで管理されます）。
        </p>
      )}
      {current !== null && editing.kind === "none" && (
        <div class="consent-current" id="consent-current">
          <p>
            <span class="badge badge-consent">同意あり</span> {current.obtainedOnLabel}に{current.obtainedBy}が説明し、同意を得ました。共有先：
            {consentScopeText(current)}。同意した人：{current.givenByLabel}
          </p>
          <div class="form-actions">
            <button type="button" class="button" id="consent-print" disabled={busy} onClick={() => void print(current.id)}>
              同意書を開いて印刷
            </button>
            <button type="button" class="button button-ghost" disabled={busy} onClick={() => void save(current.id)}>
              PDFを保存
            </button>
            <button
              type="button"
              class="button button-ghost"
              id="consent-edit"
              onClick={() => {
                start({ kind: "edit", consent: current });
              }}
            >
              内容を訂正
            </button>
            <button
              type="button"
              class="button button-ghost button-danger"
              id="consent-withdraw"
              onClick={() => {
                start({ kind: "withdraw", consent: current });
              }}
            >
              同意の撤回を記録
            </button>
          </div>
        </div>
      )}
      {message !== null && <p class="alert alert-success">{message}</p>}
      {editing.kind === "none" && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {editing.kind !== "none" && (
        <form
          id="consent-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const consentId = editing.kind === "new" ? null : editing.consent.id;
            void run(async () => {
              const problem = preregistrationProblem(values, choice);
              if (problem !== null) {
                throw new ApiError("validation", "入力内容を確認してください。", [problem]);
              }
              await saveConsent(patientId, consentId, consentToSave(values, choice));
              setEditing({ kind: "none" });
              setMessage(
                editing.kind === "withdraw"
                  ? "同意の撤回を記録しました。これ以降、この患者の情報は共有されません。"
                  : "同意を記録しました。次の同期で地域連携サーバーに送られます。",
              );
              await reload();
              onChanged?.();
            });
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            {editing.kind === "withdraw" ? (
              <div class="form-grid form-grid-3">
                <TextField
                  formId={FORM_ID}
                  name="withdrawnOn"
                  label={LABELS.withdrawnOn}
                  value={values.withdrawnOn}
                  error={errors.withdrawnOn}
                  onInput={onInput}
                  hint="患者・家族から撤回の申し出があった日"
                />
              </div>
            ) : (
              <>
                <div class="form-grid form-grid-3">
                  <TextField
                    formId={FORM_ID}
                    name="obtainedOn"
                    label={LABELS.obtainedOn}
                    value={values.obtainedOn}
                    error={errors.obtainedOn}
                    onInput={onInput}
                    placeholder="例: R8.11.20"
                  />
                  <TextField
                    formId={FORM_ID}
                    name="obtainedBy"
                    label={LABELS.obtainedBy}
                    value={values.obtainedBy}
                    error={errors.obtainedBy}
                    onInput={onInput}
                    placeholder="例: 看護師 佐藤"
                  />
                </div>
                <div
                  class="field"
                  role="group"
                  aria-labelledby={`${fieldId(FORM_ID, "scope")}-label`}
                  aria-invalid={errors.scope !== undefined}
                >
                  <span class="field-label" id={`${fieldId(FORM_ID, "scope")}-label`}>
                    {LABELS.scope}
                  </span>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      id={fieldId(FORM_ID, "scope")}
                      name="shareWithDesk"
                      checked={values.shareWithDesk}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setValues((v) => ({ ...v, shareWithDesk: checked }));
                      }}
                    />
                    地域の在宅医療相談窓口
                  </label>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="shareWithHospital"
                      checked={values.shareWithHospital}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setValues((v) => ({ ...v, shareWithHospital: checked }));
                      }}
                    />
                    紹介先の病院
                  </label>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="shareWithTeam"
                      id="consent-share-team"
                      checked={values.shareWithTeam}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setValues((v) => ({ ...v, shareWithTeam: checked }));
                      }}
                    />
                    在宅チーム（訪問看護・ケアマネジャー・薬局など、チームに招待した機関）
                  </label>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="preregistration"
                      id="consent-preregistration"
                      aria-describedby="consent-preregistration-hint"
                      checked={values.preregistration}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setValues((v) => ({ ...v, preregistration: checked }));
                      }}
                    />
                    事前登録（地域の病院）
                  </label>
                  <p class="field-hint consent-choice-hint" id="consent-preregistration-hint">
                    救急搬送などで紹介状なしに入院したとき、病院の地域連携室が氏名・生年月日で患者さんとかかりつけ医を確認できます
                  </p>
                  {values.preregistration && (
                    <PreregistrationHospitals
                      values={values}
                      choice={choice}
                      options={options}
                      loaded={hospitals !== null}
                      error={errors.preregisteredWith}
                      onChoice={setChoice}
                      onToggle={(id, on) => {
                        setValues((v) => ({ ...v, preregisteredWith: toggleHospital(v.preregisteredWith, id, on) }));
                      }}
                    />
                  )}
                  {errors.scope !== undefined && (
                    <p class="field-error" data-error-for="scope">
                      {errors.scope}
                    </p>
                  )}
                </div>
                <div class="field" role="radiogroup" aria-labelledby="consent-giver-label">
                  <span class="field-label" id="consent-giver-label">
                    同意した人
                  </span>
                  <label class="checkbox">
                    <input
                      type="radio"
                      name="byFamily"
                      id="consent-by-patient"
                      checked={!values.byFamily}
                      onChange={() => {
                        setValues((v) => ({ ...v, byFamily: false }));
                      }}
                    />
                    本人
                  </label>
                  <label class="checkbox">
                    <input
                      type="radio"
                      name="byFamily"
                      id="consent-by-family"
                      checked={values.byFamily}
                      onChange={() => {
                        setValues((v) => ({ ...v, byFamily: true }));
                      }}
                    />
                    家族
                  </label>
                </div>
                {values.byFamily && (
                  <div class="form-grid form-grid-3">
                    <TextField
                      formId={FORM_ID}
                      name="familyName"
                      label={LABELS.familyName}
                      value={values.familyName}
                      error={errors.familyName}
                      onInput={onInput}
                      placeholder="例: 山田 花子"
                    />
                    <TextField
                      formId={FORM_ID}
                      name="familyRelation"
                      label={LABELS.familyRelation}
                      value={values.familyRelation}
                      error={errors.familyRelation}
                      onInput={onInput}
                      placeholder="例: 妻、長女"
                    />
                  </div>
                )}
              </>
            )}
          </fieldset>
          <div class="form-actions">
            <button type="submit" id="consent-save" class="button button-primary" disabled={busy}>
              {editing.kind === "withdraw" ? "撤回を記録" : "記録する"}
            </button>
            <button
              type="button"
              class="button button-ghost"
              onClick={() => {
                setEditing({ kind: "none" });
                setError(null);
              }}
            >
              やめる
            </button>
          </div>
        </form>
      )}
      {past.length > 0 && (
        <details class="consent-history">
          <summary>以前の同意（{past.length}件）</summary>
          <ul>
            {past.map((c) => (
              <li key={c.id}>
                {c.obtainedOnLabel} 同意（{consentScopeText(c)}、{c.givenByLabel}）
                {c.withdrawnOnLabel !== null && ` → ${c.withdrawnOnLabel} 撤回`}
                <button type="button" class="button button-ghost button-small" disabled={busy} onClick={() => void print(c.id)}>
                  同意書
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/**
 * Under 事前登録: every participating hospital, or those ticked from the region's
 * registered hospitals.
 */
function PreregistrationHospitals(props: {
  values: ConsentInput;
  choice: PreregistrationChoice;
  options: RegionalHospital[];
  loaded: boolean;
  error: string | undefined;
  onChoice: (choice: PreregistrationChoice) => void;
  onToggle: (id: string, on: boolean) => void;
}) {
  const { values, choice, options, loaded, error } = props;
  const id = fieldId(FORM_ID, "preregisteredWith");
  return (
    <div
      class="consent-preregistration"
      role="group"
      id={id}
      aria-label={LABELS.preregisteredWith}
      aria-invalid={error !== undefined}
    >
      <label class="radio">
        <input
          type="radio"
          name="preregistrationChoice"
          id="consent-preregistration-all"
          checked={choice === "all"}
          onChange={() => {
            props.onChoice("all");
          }}
        />
        すべての参加病院
      </label>
      <label class="radio">
        <input
          type="radio"
          name="preregistrationChoice"
          id="consent-preregistration-chosen"
          checked={choice === "chosen"}
          onChange={() => {
            props.onChoice("chosen");
          }}
        />
        病院を選ぶ
      </label>
      {choice === "chosen" && (
        <div class="consent-hospitals" role="group" aria-label="事前登録する病院を選ぶ">
          {!loaded && <p class="list-status">読み込み中…</p>}
          {loaded && options.length === 0 && (
            <p class="field-hint">選べる病院がありません。地域連携サーバーと同期すると、地域の病院が表示されます。</p>
          )}
          {options.map((h) => (
            <label class="checkbox" key={h.id}>
              <input
                type="checkbox"
                name="preregisteredWith"
                value={h.id}
                checked={values.preregisteredWith.includes(h.id)}
                onChange={(e) => {
                  props.onToggle(h.id, e.currentTarget.checked);
                }}
              />
              {h.name}
            </label>
          ))}
        </div>
      )}
      {error !== undefined && (
        <p class="field-error" id={`${id}-error`} data-error-for="preregisteredWith">
          {error}
        </p>
      )}
    </div>
  );
}
