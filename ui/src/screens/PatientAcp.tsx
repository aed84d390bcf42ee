import { useEffect, useState } from "preact/hooks";
import { patientAcp, recordAcp, saveAcpFhir, toApiError, type Acp, type AcpHistory, type AcpInput } from "../api";
import { ACP_PARTICIPANT_ROLES, ACP_PLACES, ACP_TREATMENTS, ACP_WISHES } from "../api/vocabulary";
import { FieldErrorText, TextAreaField, TextField, fieldId } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import {
  acpFieldLabels,
  acpInput,
  blankParticipant,
  declinesCpr,
  needsRelation,
  withParticipant,
  withWish,
  withoutParticipant,
  wishOf,
} from "../lib/acp";
import { savedAcpFhirText } from "../lib/fhir";
import { formatDateTime, toFieldErrors, type FieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "acp-field";

/**
 * 人生会議（ACP）: the patient's wishes about the care to come, recorded after
 * each conversation as a new signed version. The current wishes come first; the
 * earlier versions are one click away, since a wish that changed is part of the
 * story. Doctors and nurses read and record; the server says so for others.
 */
export function PatientAcpPanel({ patientId }: { patientId: string }) {
  const [history, setHistory] = useState<AcpHistory | null>(null);
  const [values, setValues] = useState<AcpInput | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    setHistory(null);
    patientAcp(patientId).then(setHistory, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [patientId]);

  const current = history?.versions[0] ?? null;
  const earlier = history?.versions.slice(1) ?? [];
  const start = () => {
    setMessage(null);
    setError(null);
    setValues(acpInput(current));
  };

  return (
    <section class="page-card acp" aria-labelledby="acp-heading" id="acp-panel">
      <div class="page-header">
        <h2 id="acp-heading" class="section-title">
          人生会議（ACP）
        </h2>
        {history !== null && values === null && (
          <div class="header-buttons">
            <button type="button" id="acp-record" class="button" onClick={start}>
              {current === null ? "話し合いを記録" : "見直しを記録"}
            </button>
            {current !== null && (
              <button
                type="button"
                id="acp-save-fhir"
                class="button"
                disabled={busy}
                title="現在の希望をFHIR（Consent）のJSONファイルとして保存します"
                onClick={() =>
                  void run(async () => {
                    setMessage(savedAcpFhirText(await saveAcpFhir(patientId)));
                  })
                }
              >
                FHIR（JSON）を保存
              </button>
            )}
          </div>
        )}
      </div>
      {history === null && error === null && <p class="list-status">読み込み中…</p>}
      {values === null && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {message !== null && <p class="alert alert-success">{message}</p>}
      {history?.review != null && values === null && (
        <p class="alert alert-warning" id="acp-review">
          {history.review}
        </p>
      )}
      {history !== null && current === null && values === null && (
        <p class="list-empty" id="acp-none">
          人生会議の記録はありません。話し合ったら、本人の希望・参加した人・代理で意思決定する人を記録しておくと、在宅チームと救急時に役立ちます。
        </p>
      )}
      {current !== null && values === null && <AcpVersion acp={current} current />}
      {earlier.length > 0 && values === null && (
        <details class="acp-earlier" id="acp-earlier">
          <summary>以前の記録（{earlier.length}件）</summary>
          {earlier.map((acp) => (
            <details key={acp.id} class="acp-earlier-version">
              <summary>
                {acp.heldOnLabel}の話し合い（記録：{acp.recordedBy}）
              </summary>
              <AcpVersion acp={acp} current={false} />
            </details>
          ))}
        </details>
      )}
      {values !== null && (
        <AcpForm
          values={values}
          onChange={setValues}
          busy={busy}
          errors={toFieldErrors(error?.fields ?? [])}
          alert={<FormAlert error={error} formId={FORM_ID} labels={acpFieldLabels(values)} />}
          onCancel={() => {
            setError(null);
            setValues(null);
          }}
          onSubmit={() =>
            void run(async () => {
              const recorded = await recordAcp(patientId, values);
              setHistory(recorded.history);
              setValues(null);
              setMessage(
                recorded.sharedOnTimeline
                  ? "人生会議の内容を記録し、在宅チームのタイムラインに共有しました。以前の記録もそのまま残ります。"
                  : "人生会議の内容を記録しました。以前の記録もそのまま残ります。",
              );
            })
          }
        />
      )}
    </section>
  );
}

/** One version as the team reads it: the treatments first (what an emergency needs). */
function AcpVersion({ acp, current }: { acp: Acp; current: boolean }) {
  return (
    <div class="acp-version" data-testid={current ? "acp-current" : "acp-version"}>
      <p class="acp-version-title">
        {current ? "現在の希望" : "この時の希望"}（{acp.heldOnLabel}の話し合い）
        {declinesCpr(acp) && <span class="badge badge-dnar">DNAR</span>}
      </p>
      <dl class="acp-wishes">
        {acp.wishes.map((w) => (
          <div key={w.treatment} class={`acp-wish acp-wish-${w.wish}`}>
            <dt>{w.treatmentLabel}</dt>
            <dd>{w.wishLabel}</dd>
          </div>
        ))}
      </dl>
      {acp.wishesNote !== "" && <p class="acp-note">{acp.wishesNote}</p>}
      <dl class="acp-facts">
        <dt>療養の場所</dt>
        <dd>{acp.placeOfCareLabel}</dd>
        <dt>最期を迎える場所</dt>
        <dd>{acp.placeOfDeathLabel}</dd>
        {acp.values !== "" && (
          <>
            <dt>大切にしていること</dt>
            <dd class="acp-text">{acp.values}</dd>
          </>
        )}
        <dt>代理で意思決定する人</dt>
        <dd>
          {acp.surrogateName === ""
            ? "決まっていません"
            : `${acp.surrogateName}（${acp.surrogateRelation}）${acp.surrogatePhone === "" ? "" : ` ${acp.surrogatePhone}`}`}
        </dd>
        <dt>参加した人</dt>
        <dd>{acp.participants.map((p) => p.label).join("、")}</dd>
        {acp.notes !== "" && (
          <>
            <dt>その他の記録</dt>
            <dd class="acp-text">{acp.notes}</dd>
          </>
        )}
      </dl>
      <p class="acp-signature">
        記録：{acp.recordedBy}（{formatDateTime(acp.recordedAt)}）
      </p>
    </div>
  );
}

interface FormProps {
  values: AcpInput;
  onChange: (next: AcpInput) => void;
  busy: boolean;
  errors: FieldErrors;
  alert: preact.ComponentChildren;
  onCancel: () => void;
  onSubmit: () => void;
}

function AcpForm({ values, onChange, busy, errors, alert, onCancel, onSubmit }: FormProps) {
  const set = (name: string, value: string) => {
    onChange({ ...values, [name]: value });
  };
  return (
    <form
      id="acp-form"
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {alert}
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <TextField
            formId={FORM_ID}
            name="heldOn"
            label="話し合った日"
            value={values.heldOn}
            error={errors.heldOn}
            onInput={set}
            placeholder="例: R8.12.1"
          />
        </div>
        <Participants values={values} onChange={onChange} errors={errors} />
        <fieldset class="field group" id={fieldId(FORM_ID, "wishes")}>
          <legend class="field-label">医療・ケアの希望（決まっていなければ「未定」）</legend>
          <table class="acp-wish-table">
            <tbody>
              {ACP_TREATMENTS.map((t) => (
                <tr key={t.code} id={fieldId(FORM_ID, `wish.${t.code}`)} aria-invalid={errors[`wish.${t.code}`] !== undefined}>
                  <th scope="row">{t.label}</th>
                  {ACP_WISHES.map((w) => (
                    <td key={w.code}>
                      <label class="checkbox">
                        <input
                          type="radio"
                          name={`acp-wish-${t.code}`}
                          value={w.code}
                          data-treatment={t.code}
                          checked={wishOf(values, t.code) === w.code}
                          onChange={() => {
                            onChange(withWish(values, t.code, w.code));
                          }}
                        />
                        {w.label}
                      </label>
                    </td>
                  ))}
                  <td>
                    <FieldErrorText id={fieldId(FORM_ID, `wish.${t.code}`)} name={`wish.${t.code}`} message={errors[`wish.${t.code}`]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <TextAreaField formId={FORM_ID} name="wishesNote" label="医療・ケアの希望の補足" rows={2} value={values.wishesNote} error={errors.wishesNote} onInput={set} />
        <div class="form-grid form-grid-2">
          <PlaceChoice name="placeOfCare" label="療養の場所" values={values} errors={errors} onInput={set} />
          <PlaceChoice name="placeOfDeath" label="最期を迎える場所" values={values} errors={errors} onInput={set} />
        </div>
        <TextAreaField
          formId={FORM_ID}
          name="values"
          label="大切にしていること"
          rows={3}
          value={values.values}
          error={errors.values}
          onInput={set}
          hint="本人の言葉で（例：孫の結婚式まで家で過ごしたい）"
        />
        <div class="form-grid form-grid-3">
          <TextField formId={FORM_ID} name="surrogateName" label="代理で意思決定する人" value={values.surrogateName} error={errors.surrogateName} onInput={set} />
          <TextField formId={FORM_ID} name="surrogateRelation" label="続柄" value={values.surrogateRelation} error={errors.surrogateRelation} onInput={set} />
          <TextField formId={FORM_ID} name="surrogatePhone" label="電話番号" type="tel" value={values.surrogatePhone} error={errors.surrogatePhone} onInput={set} />
        </div>
        <TextAreaField formId={FORM_ID} name="notes" label="その他の記録" rows={3} value={values.notes} error={errors.notes} onInput={set} />
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="acp-save">
            記録する
          </button>
          <button type="button" class="button" id="acp-cancel" onClick={onCancel}>
            キャンセル
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function PlaceChoice(props: {
  name: "placeOfCare" | "placeOfDeath";
  label: string;
  values: AcpInput;
  errors: FieldErrors;
  onInput: (name: string, value: string) => void;
}) {
  const { name, label, values, errors, onInput } = props;
  const note = name === "placeOfCare" ? "placeOfCareNote" : "placeOfDeathNote";
  return (
    <fieldset class="field group" id={fieldId(FORM_ID, name)}>
      <legend class="field-label">{label}</legend>
      <div class="radio-row">
        {ACP_PLACES.map((p) => (
          <label key={p.code} class="checkbox">
            <input
              type="radio"
              name={`acp-${name}`}
              value={p.code}
              checked={values[name] === p.code}
              onChange={() => {
                onInput(name, p.code);
              }}
            />
            {p.label}
          </label>
        ))}
      </div>
      <FieldErrorText id={fieldId(FORM_ID, name)} name={name} message={errors[name]} />
      <TextField formId={FORM_ID} name={note} label="補足" value={values[note]} error={errors[note]} onInput={onInput} />
    </fieldset>
  );
}

function Participants({ values, onChange, errors }: { values: AcpInput; onChange: (next: AcpInput) => void; errors: FieldErrors }) {
  return (
    <fieldset class="field group" id={fieldId(FORM_ID, "participants")}>
      <legend class="field-label">参加した人</legend>
      <FieldErrorText id={fieldId(FORM_ID, "participants")} name="participants" message={errors.participants} />
      {values.participants.map((p, i) => {
        const key = `participants.${String(i)}`;
        return (
          <div class="acp-participant" key={i} id={fieldId(FORM_ID, key)}>
            <select
              aria-label={`参加した人（${String(i + 1)}人目）の立場`}
              name={`participant-role-${String(i)}`}
              value={p.role}
              onChange={(e) => {
                onChange(withParticipant(values, i, { role: e.currentTarget.value }));
              }}
            >
              <option value="">立場を選ぶ</option>
              {ACP_PARTICIPANT_ROLES.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </select>
            {p.role !== "patient" && (
              <input
                type="text"
                aria-label={`参加した人（${String(i + 1)}人目）の名前`}
                placeholder="名前"
                name={`participant-name-${String(i)}`}
                value={p.name}
                onInput={(e) => {
                  onChange(withParticipant(values, i, { name: e.currentTarget.value }));
                }}
              />
            )}
            {needsRelation(p.role) && (
              <input
                type="text"
                aria-label={`参加した人（${String(i + 1)}人目）の続柄`}
                placeholder="続柄（例：長女）"
                name={`participant-relation-${String(i)}`}
                value={p.relation}
                onInput={(e) => {
                  onChange(withParticipant(values, i, { relation: e.currentTarget.value }));
                }}
              />
            )}
            <button
              type="button"
              class="button"
              onClick={() => {
                onChange(withoutParticipant(values, i));
              }}
            >
              削除
            </button>
            <FieldErrorText id={fieldId(FORM_ID, key)} name={key} message={errors[key]} />
          </div>
        );
      })}
      <button
        type="button"
        class="button"
        id="acp-add-participant"
        onClick={() => {
          onChange({ ...values, participants: [...values.participants, blankParticipant()] });
        }}
      >
        ＋ 参加した人を追加
      </button>
    </fieldset>
  );
}
