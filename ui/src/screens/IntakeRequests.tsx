import { useEffect, useState } from "preact/hooks";
import {
  answerIntake,
  intakeForm,
  intakes,
  sendIntake,
  toApiError,
  withdrawIntake,
  type ApiError,
  type DirectoryListing,
  type IntakeInput,
  type IntakeRequest,
} from "../api";
import { TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { offersForKind } from "../lib/directory";
import { SEX_LABELS, firstErrorMessage, formatDateTime, toFieldErrors } from "../lib/format";
import {
  INTAKE_LABELS,
  intakeAnswerButtons,
  intakeDoctorOnly,
  intakeStateClass,
  intakeStateLine,
  intakeTitle,
  mayAnswerWith,
  mayInviteFrom,
  patientLine,
  splitIntakes,
  toggleNeed,
  withIntake,
  type IntakeAnswerCode,
  type IntakeComposing,
} from "../lib/intake";
import { useAction } from "../lib/useAction";
import { DirectorySearch, type DirectoryContext } from "./DirectorySearch";

const FORM_ID = "intake";

/**
 * 地域の機関をさがす with 「受入相談」 on each result: the form opens above the
 * results for the organisation chosen (from a patient: filled in from the record).
 */
export function DirectoryWithIntake(props: DirectoryContext & { patientId?: string | undefined }) {
  const { patientId, ...context } = props;
  const [asking, setAsking] = useState<DirectoryListing | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  return (
    <>
      {sent !== null && (
        <p class="alert alert-success" role="status" id="intake-sent">
          {sent}
        </p>
      )}
      {asking !== null && (
        <IntakeForm
          key={asking.id}
          listing={asking}
          patientId={patientId}
          onSent={(r) => {
            setAsking(null);
            setSent(`${r.toName}に受入相談を送りました${r.sending ? "（送信待ち）" : ""}。回答は「受入相談」で確認できます。`);
          }}
          onCancel={() => {
            setAsking(null);
          }}
        />
      )}
      <DirectorySearch
        {...context}
        consultationAction={(l) =>
          l.kind === "desk" ? null : (
            <button
              key="intake"
              type="button"
              class="button"
              data-testid="directory-intake"
              onClick={() => {
                setSent(null);
                setAsking(l);
              }}
            >
              受入相談
            </button>
          )
        }
      />
    </>
  );
}

/** The 受入相談 form: who the patient is without naming them, what they need, from when. */
export function IntakeForm({
  listing,
  patientId,
  onSent,
  onCancel,
}: {
  listing: DirectoryListing;
  patientId?: string | undefined;
  onSent: (r: IntakeRequest) => void;
  onCancel: () => void;
}) {
  const [input, setInput] = useState<IntakeInput | null>(null);
  const [hint, setHint] = useState("");
  const { busy, error, setError, run } = useAction();
  const needs = offersForKind(listing.kind);

  useEffect(() => {
    intakeForm(patientId ?? null).then(
      (start) => {
        setInput(start.draft);
        setHint(start.summaryHint);
      },
      (e: unknown) => {
        setError(toApiError(e));
      },
    );
  }, [patientId]);

  const fieldErrors = error === null ? {} : toFieldErrors(error.fields);
  const set = (name: string, value: string) => {
    setInput((i) => (i === null ? i : { ...i, [name]: value }));
  };

  return (
    <section class="page-card intake-form" id="intake-form" aria-labelledby="intake-form-heading">
      <div class="page-header">
        <h2 id="intake-form-heading" class="section-title">
          受入相談
          <span class="page-subtitle">{listing.name}</span>
        </h2>
      </div>
      {input === null ? (
        error === null ? (
          <p class="list-status">読み込み中…</p>
        ) : (
          <FormAlert error={error} formId={FORM_ID} labels={INTAKE_LABELS} />
        )
      ) : (
        <form
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              onSent(await sendIntake(patientId ?? null, listing.id, input));
            });
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={INTAKE_LABELS} />
          <div class="form-grid form-grid-3">
            <TextField
              formId={FORM_ID}
              name="age"
              label="年齢"
              inputMode="numeric"
              value={input.age}
              error={fieldErrors.age}
              onInput={set}
            />
            <fieldset class="field group">
              <legend class="field-label">性別</legend>
              <div class="radio-row">
                {(["male", "female", "other"] as const).map((s) => (
                  <label key={s} class="checkbox">
                    <input
                      type="radio"
                      name="intake-sex"
                      value={s}
                      checked={input.sex === s}
                      onChange={() => {
                        set("sex", s);
                      }}
                    />
                    {SEX_LABELS[s]}
                  </label>
                ))}
              </div>
              {fieldErrors.sex !== undefined && <p class="field-error">{fieldErrors.sex}</p>}
            </fieldset>
            <TextField
              formId={FORM_ID}
              name="municipality"
              label="市区町村"
              value={input.municipality}
              error={fieldErrors.municipality}
              placeholder="例: 練馬区"
              onInput={set}
            />
          </div>
          {needs.length > 0 && (
            <fieldset class="group directory-offers" id="intake-needs">
              <legend>必要なこと</legend>
              <div class="directory-offer-grid">
                {needs.map((o) => (
                  <label key={o.code} class="checkbox">
                    <input
                      type="checkbox"
                      name="needs"
                      value={o.code}
                      checked={input.needs.includes(o.code)}
                      onChange={() => {
                        setInput((i) => (i === null ? i : toggleNeed(i, o.code)));
                      }}
                    />
                    {o.label}
                  </label>
                ))}
              </div>
              {fieldErrors.needs !== undefined && <p class="field-error">{fieldErrors.needs}</p>}
            </fieldset>
          )}
          <TextField
            formId={FORM_ID}
            name="startOn"
            label="開始の希望日"
            value={input.startOn}
            error={fieldErrors.startOn}
            placeholder="例: 2026-12-24（空欄可）"
            onInput={set}
          />
          <TextAreaField
            formId={FORM_ID}
            name="summary"
            label="相談の内容（病状・必要なケアの概要）"
            value={input.summary}
            error={fieldErrors.summary}
            hint={hint}
            rows={4}
            onInput={set}
          />
          <div class="form-actions">
            <button type="button" class="button" disabled={busy} onClick={onCancel}>
              やめる
            </button>
            <button type="submit" class="button button-primary" id="intake-send" disabled={busy}>
              受入相談を送る
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** One request: sent (with 取り下げる, 「チームに招待」) or asked (with the doctor's answer). */
export function IntakeCard({
  request: r,
  onUpdated,
  onInvite,
}: {
  request: IntakeRequest;
  onUpdated: (updated: IntakeRequest) => void;
  onInvite?: ((r: IntakeRequest) => void) | undefined;
}) {
  const [composing, setComposing] = useState<IntakeComposing>(null);
  const [text, setText] = useState("");
  const { busy, error, run } = useAction();
  const textId = `intake-text-${r.id}`;
  const doctorOnly = intakeDoctorOnly(r);
  const answer = (code: IntakeAnswerCode, typed: string) =>
    run(async () => {
      const updated = await answerIntake(r.id, code, typed);
      setComposing(null);
      setText("");
      onUpdated(updated);
    });

  return (
    <article class="discharge-request intake-request" data-testid="intake-request" data-request-id={r.id}>
      <header class="discharge-head">
        <h3 class="discharge-title">{intakeTitle(r)}</h3>
        <span class={intakeStateClass(r.state)} data-testid="intake-state">
          {intakeStateLine(r)}
        </span>
        {r.patientName !== null && <span class="badge">{r.patientName} さん</span>}
      </header>
      <dl class="discharge-facts">
        <div>
          <dt>患者</dt>
          <dd>{patientLine(r)}</dd>
        </div>
        <div>
          <dt>必要なこと</dt>
          <dd>{r.needLabels.length === 0 ? "記載なし" : r.needLabels.join("、")}</dd>
        </div>
        {r.startOn !== "" && (
          <div>
            <dt>開始の希望日</dt>
            <dd>{r.startOn}</dd>
          </div>
        )}
        <div>
          <dt>{r.sentByUs ? "送信者" : "相談元"}</dt>
          <dd>
            {r.sentBy}（{formatDateTime(r.sentAt)}）{!r.sentByUs && r.fromPhone !== "" && ` 電話 ${r.fromPhone}`}
          </dd>
        </div>
      </dl>
      <p class="discharge-note">{r.summary}</p>
      {(r.answeredBy !== "" || r.answerText !== "") && r.state !== "open" && r.state !== "withdrawn" && (
        <p class="discharge-answer" data-testid="intake-answer">
          {r.answerText}
          {r.answeredBy !== "" && `（${r.answeredBy}）`}
          {r.answeredAt !== null && <span class="letter-meta"> {formatDateTime(r.answeredAt)}</span>}
        </p>
      )}
      {r.refusal !== null && (
        <p class="alert alert-error" role="alert" data-testid="intake-refusal">
          地域連携サーバーが受け付けませんでした：{r.refusal}
        </p>
      )}
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {firstErrorMessage(error)}
        </p>
      )}
      {doctorOnly !== null && (
        <p class="field-hint" data-testid="intake-doctor-only">
          {doctorOnly}
        </p>
      )}
      <div class="discharge-actions">
        {intakeAnswerButtons(r, composing) && (
          <>
            <button
              type="button"
              class="button button-primary"
              data-testid="intake-accept"
              disabled={busy}
              onClick={() => void answer("accept", "")}
            >
              受けられる
            </button>
            <button
              type="button"
              class="button"
              data-testid="intake-decline"
              disabled={busy}
              onClick={() => {
                setComposing("decline");
                setText("");
              }}
            >
              受けられない
            </button>
            <button
              type="button"
              class="button"
              data-testid="intake-consult"
              disabled={busy}
              onClick={() => {
                setComposing("consult");
                setText("");
              }}
            >
              相談したい
            </button>
          </>
        )}
        {r.mayWithdraw && (
          <button
            type="button"
            class="button"
            data-testid="intake-withdraw"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                onUpdated(await withdrawIntake(r.id));
              })
            }
          >
            取り下げる
          </button>
        )}
        {onInvite !== undefined && mayInviteFrom(r) && (
          <button
            type="button"
            class="button button-primary"
            data-testid="intake-invite"
            onClick={() => {
              onInvite(r);
            }}
          >
            チームに招待
          </button>
        )}
      </div>
      {composing !== null && r.mayAnswer && r.mayDecide && (
        <form
          class="discharge-compose"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (mayAnswerWith(composing, text)) void answer(composing, text);
          }}
        >
          <label class="field-label" for={textId}>
            {composing === "decline" ? "受けられない理由（必須）" : "相談したいこと（任意）"}
          </label>
          <textarea
            id={textId}
            data-testid="intake-reason"
            rows={3}
            value={text}
            aria-required={composing === "decline"}
            onInput={(e) => {
              setText(e.currentTarget.value);
            }}
          />
          <div class="discharge-actions">
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => {
                setComposing(null);
              }}
            >
              やめる
            </button>
            <button
              type="submit"
              class="button button-primary"
              data-testid="intake-answer-send"
              disabled={busy || !mayAnswerWith(composing, text)}
            >
              送信
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

/** 受入相談: the requests the clinic sent and those it was asked. */
export function IntakeRequests({ onInvite }: { onInvite?: ((r: IntakeRequest) => void) | undefined }) {
  const [list, setList] = useState<IntakeRequest[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    intakes().then(setList, (e: unknown) => {
      setError(toApiError(e));
    });
  }, []);
  const { sent, received } = splitIntakes(list ?? []);
  const update = (updated: IntakeRequest) => {
    setList((l) => withIntake(l ?? [], updated));
  };
  return (
    <section class="page-card" id="intake-requests" aria-labelledby="intake-heading">
      <div class="page-header">
        <h2 id="intake-heading" class="section-title">
          受入相談
        </h2>
      </div>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {list === null && error === null && <p class="list-status">読み込み中…</p>}
      {list !== null && (
        <>
          <h3 class="subsection-title">届いた相談</h3>
          {received.length === 0 ? (
            <p class="list-status" id="intake-received-none">
              届いた受入相談はありません。
            </p>
          ) : (
            <div class="discharge-requests" id="intake-received">
              {received.map((r) => (
                <IntakeCard key={r.id} request={r} onUpdated={update} />
              ))}
            </div>
          )}
          <h3 class="subsection-title">送った相談</h3>
          {sent.length === 0 ? (
            <p class="list-status" id="intake-sent-none">
              送った受入相談はありません。「地域の機関をさがす」の結果から送れます。
            </p>
          ) : (
            <div class="discharge-requests" id="intake-sent-list">
              {sent.map((r) => (
                <IntakeCard key={r.id} request={r} onUpdated={update} onInvite={onInvite} />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}
