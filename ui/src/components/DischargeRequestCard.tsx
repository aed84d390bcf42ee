import { useState } from "preact/hooks";
import { answerDischargeRequest, type DischargeRequest } from "../api";
import {
  answerButtons,
  answerDetail,
  doctorOnlyNote,
  mayCompose,
  maySend,
  needsLine,
  requestTitle,
  stateClass,
  stateLine,
  textLabel,
  type AnswerCode,
  type Composing,
} from "../lib/discharge";
import { firstErrorMessage, formatDateTime } from "../lib/format";
import { useAction } from "../lib/useAction";

interface Props {
  request: DischargeRequest;
  /** The worklist names the patient (a link to their page); the patient's own page does not. */
  onOpenPatient?: (patientId: string) => void;
  /** The request as it stands after the answer (送信待ち while it waits in the outbox). */
  onAnswered: (updated: DischargeRequest) => void;
}

/**
 * A hospital's 退院後の在宅医療の相談 and the physician's one-click answer:
 * 引き受ける at once, 引き受けられない with its reason, 相談したい with what to talk about.
 */
export function DischargeRequestCard({ request: r, onOpenPatient, onAnswered }: Props) {
  const [composing, setComposing] = useState<Composing>(null);
  const [text, setText] = useState("");
  const { busy, error, run } = useAction();
  const buttons = answerButtons(r, composing);
  const textId = `discharge-text-${r.id}`;

  const send = (answer: AnswerCode, typed: string) =>
    run(async () => {
      const updated = await answerDischargeRequest(r.id, answer, typed);
      setComposing(null);
      setText("");
      onAnswered(updated);
    });
  const open = (what: Exclude<Composing, null>) => {
    setComposing(what);
    setText("");
  };
  const detail = answerDetail(r);
  const doctorOnly = doctorOnlyNote(r);

  return (
    <article class="discharge-request" data-testid="discharge-request" data-request-id={r.id}>
      <header class="discharge-head">
        <h3 class="discharge-title">{requestTitle(r)}</h3>
        <span class={stateClass(r.state)} data-testid="discharge-state">
          {stateLine(r)}
        </span>
        {onOpenPatient !== undefined && (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              onOpenPatient(r.patientId);
            }}
          >
            {r.patientName}
          </button>
        )}
      </header>
      <dl class="discharge-facts">
        <div>
          <dt>退院予定日</dt>
          <dd>{r.expectedDate}</dd>
        </div>
        <div>
          <dt>必要な医療</dt>
          <dd>{needsLine(r.needLabels)}</dd>
        </div>
        <div>
          <dt>回答期限</dt>
          <dd>{r.replyBy}</dd>
        </div>
        <div>
          <dt>送信者</dt>
          <dd>
            {r.sentBy}（{formatDateTime(r.sentAt)}）
          </dd>
        </div>
      </dl>
      {r.note !== "" && <p class="discharge-note">{r.note}</p>}
      {detail !== null && (
        <p class="discharge-answer" data-testid="discharge-answer">
          {detail}
          {r.answeredAt !== null && <span class="letter-meta"> {formatDateTime(r.answeredAt)}</span>}
        </p>
      )}
      {r.refusal !== null && (
        <p class="alert alert-error" role="alert" data-testid="discharge-refusal">
          回答を地域連携サーバーが受け付けませんでした：{r.refusal}
        </p>
      )}
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {firstErrorMessage(error)}
        </p>
      )}
      {doctorOnly !== null && (
        <p class="field-hint" data-testid="discharge-doctor-only">
          {doctorOnly}
        </p>
      )}
      {(buttons.accept || buttons.decline || buttons.consult) && (
        <div class="discharge-actions">
          {buttons.accept && (
            <button
              type="button"
              class="button button-primary"
              data-testid="discharge-accept"
              disabled={busy}
              onClick={() => void send("accept", "")}
            >
              引き受ける
            </button>
          )}
          {buttons.decline && (
            <button
              type="button"
              class="button"
              data-testid="discharge-decline"
              disabled={busy}
              onClick={() => {
                open("decline");
              }}
            >
              引き受けられない
            </button>
          )}
          {buttons.consult && (
            <button
              type="button"
              class="button"
              data-testid="discharge-consult"
              disabled={busy}
              onClick={() => {
                open("consult");
              }}
            >
              相談したい
            </button>
          )}
        </div>
      )}
      {composing !== null && mayCompose(r) && (
        <form
          class="discharge-compose"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (maySend(composing, text)) void send(composing, text);
          }}
        >
          <label class="field-label" for={textId}>
            {textLabel(composing)}
          </label>
          <textarea
            id={textId}
            data-testid="discharge-reason"
            rows={3}
            value={text}
            aria-required={composing === "decline"}
            onInput={(e) => {
              setText(e.currentTarget.value);
            }}
          />
          {composing === "consult" && (
            <p class="field-hint">送信すると在宅チームのタイムラインに「相談」が立ちます（チームがある場合）。</p>
          )}
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
              data-testid="discharge-send"
              disabled={busy || !maySend(composing, text)}
            >
              送信
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
