import { useEffect, useState } from "preact/hooks";
import {
  chooseReplyAttachment,
  getPatientReferrals,
  patientDischargeRequests,
  openReplyAttachment,
  recordReply,
  recordReferralEvent,
  toApiError,
  voidReferralEvent,
  type EventInput,
  type ChosenFile,
  type DischargeRequest,
  type PatientReferrals,
  type Referral,
  type Reply,
  type ReplyInput,
} from "../api";
import { DischargeRequestCard } from "../components/DischargeRequestCard";
import { FieldErrorText, TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { replaceRequest, splitByReferral } from "../lib/discharge";
import { toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";
import {
  DISCHARGE_DESTINATIONS,
  EMPTY_EVENT,
  RECORDABLE_STATUSES,
  formatFileSize,
  voidableEvents,
} from "../lib/referrals";

const FORM_ID = "event-field";

const LABELS: Partial<Record<keyof EventInput, string>> = {
  status: "状態",
  date: "日付",
  department: "診療科",
  ward: "病棟",
  attending: "主治医",
  hospital: "転院先の医療機関名",
  expectedDate: "退院予定日",
  destination: "退院先",
  destinationName: "退院先の名称",
  place: "場所",
  reason: "理由",
  note: "メモ",
  team: "在宅チーム（予定）",
};

/** Where the patient is now, and each referral's history with a form to record what happened. */
export function PatientReferralsPanel({ patientId, onChanged }: { patientId: string; onChanged: () => void }) {
  const [data, setData] = useState<PatientReferrals | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** 退院後の在宅医療の相談 about the patient, each shown under its referral. */
  const [requests, setRequests] = useState<DischargeRequest[]>([]);

  const reload = () =>
    Promise.all([
      getPatientReferrals(patientId).then(
        (d) => {
          setData(d);
        },
        (e: unknown) => {
          setLoadError(toApiError(e).message);
        },
      ),
      patientDischargeRequests(patientId).then(
        (list) => {
          setRequests(list);
        },
        (e: unknown) => {
          // A role that may not read clinical text (事務) does not see them.
          const failure = toApiError(e);
          setRequests([]);
          if (failure.code !== "forbidden") setLoadError(failure.message);
        },
      ),
    ]);
  const answered = (updated: DischargeRequest) => {
    setRequests((list) => replaceRequest(list, updated));
  };

  useEffect(() => {
    void reload();
  }, [patientId]);

  if (loadError !== null) {
    return (
      <p class="alert alert-error" role="alert">
        {loadError}
      </p>
    );
  }
  if (data === null) {
    return null;
  }
  const { byReferral, others } = splitByReferral(
    requests,
    data.referrals.map((r) => r.id),
  );
  return (
    <section class="page-card referrals" aria-labelledby="referrals-heading">
      <p class="where-now" id="where-now">
        <span class="where-now-label">現在の所在</span>
        <span class="where-now-value">{data.whereNow}</span>
      </p>
      {others.map((r) => (
        <DischargeRequestCard key={r.id} request={r} onAnswered={answered} />
      ))}
      {data.referrals.length > 0 && (
        <>
          <h2 id="referrals-heading" class="section-title">
            紹介の経過
          </h2>
          {data.referrals.map((r) => (
            <ReferralCard
              key={r.id}
              referral={r}
              requests={byReferral.get(r.id) ?? []}
              onAnswered={answered}
              onChanged={() => {
                void reload();
                onChanged();
              }}
            />
          ))}
        </>
      )}
    </section>
  );
}

function ReferralCard({
  referral: r,
  requests,
  onAnswered,
  onChanged,
}: {
  referral: Referral;
  requests: DischargeRequest[];
  onAnswered: (updated: DischargeRequest) => void;
  onChanged: () => void;
}) {
  const [recording, setRecording] = useState(false);
  const [replying, setReplying] = useState(false);
  return (
    <article class="referral" data-testid="referral" data-referral-id={r.id}>
      <header class="referral-head">
        <span class={`status${r.open ? "" : " status-muted"}`} data-testid="referral-status">
          {r.statusLabel}
        </span>
        <span class="referral-hospital">{r.hospital}</span>
        {r.routedTo !== null && (
          <span class="referral-routed" data-testid="referral-routed" title="地域連携サーバーでの担当病院">
            担当：{r.routedTo}
          </span>
        )}
        <span class="letter-meta">
          紹介 {r.sentOn}・最終更新 {r.lastNews}（{r.daysSinceNews}日前）
          <code class="tracking-code">{r.trackingCode}</code>
        </span>
      </header>
      <ol class="history">
        {r.events.map((e) => (
          <li key={e.id} class={e.voided || e.setAside ? "is-voided" : undefined} data-testid="referral-event">
            <span class="history-date">{e.date ?? ""}</span>
            <span class="history-title">{e.title}</span>
            <span class="history-summary">{e.summary}</span>
            <span class="history-source">
              {e.source}
              {e.source !== "この医院" && e.actor !== "" && `（${e.actor}）`}
            </span>
            {e.voided && <span class="status status-muted">取り消し済み</span>}
            {e.setAside && (
              <span class="status status-conflict" data-testid="referral-event-set-aside" title="病院・相談窓口の記録と合わないため反映されていません">
                反映されていません
              </span>
            )}
            {e.note !== "" && (
              <p class="history-note" data-testid="referral-event-note">
                {e.note}
              </p>
            )}
          </li>
        ))}
      </ol>
      {r.replies.map((reply) => (
        <ReplyCard key={reply.id} reply={reply} />
      ))}
      {requests.map((request) => (
        <DischargeRequestCard key={request.id} request={request} onAnswered={onAnswered} />
      ))}
      <div class="referral-actions">
        {r.open && !recording && (
          <button
            type="button"
            class="button record-event"
            onClick={() => {
              setRecording(true);
              setReplying(false);
            }}
          >
            経過を記録
          </button>
        )}
        {!replying && (
          <button
            type="button"
            class="button record-reply"
            onClick={() => {
              setReplying(true);
              setRecording(false);
            }}
          >
            返書を記録
          </button>
        )}
      </div>
      {replying && (
        <ReplyForm
          referral={r}
          onDone={() => {
            setReplying(false);
            onChanged();
          }}
          onCancel={() => {
            setReplying(false);
          }}
        />
      )}
      {recording && (
        <EventForm
          referral={r}
          onDone={() => {
            setRecording(false);
            onChanged();
          }}
          onCancel={() => {
            setRecording(false);
          }}
        />
      )}
    </article>
  );
}

function EventForm({ referral, onDone, onCancel }: { referral: Referral; onDone: () => void; onCancel: () => void }) {
  const [values, setValues] = useState<EventInput>(EMPTY_EVENT);
  const [voiding, setVoiding] = useState<string>("");
  const [voidReason, setVoidReason] = useState("");
  const { busy, error, run: call } = useAction();
  const run = (action: () => Promise<unknown>) =>
    call(async () => {
      await action();
      onDone();
    });
  const errors = toFieldErrors(error?.fields ?? []);
  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  const field = (name: keyof EventInput, label?: string) => ({
    formId: FORM_ID,
    name,
    label: label ?? LABELS[name] ?? name,
    value: values[name],
    error: errors[name],
    onInput,
  });
  const s = values.status;
  const destination = DISCHARGE_DESTINATIONS.find((d) => d.code === values.destination);
  const live = voidableEvents(referral.events);

  return (
    <form
      id="event-form"
      class="form event-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => recordReferralEvent(referral.id, values));
      }}
    >
      <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <div class="field">
            <label class="field-label" for={`${FORM_ID}-status`}>
              状態
            </label>
            <select
              id={`${FORM_ID}-status`}
              value={s}
              aria-invalid={errors.status !== undefined}
              onChange={(e) => {
                onInput("status", e.currentTarget.value);
              }}
            >
              <option value="">選んでください</option>
              {RECORDABLE_STATUSES.map((st) => (
                <option key={st.code} value={st.code}>
                  {st.label}
                </option>
              ))}
            </select>
            <FieldErrorText id={`${FORM_ID}-status`} name="status" message={errors.status} />
          </div>
          <TextField {...field("date")} placeholder="例: R8.12.1" />
          {s === "visited" && <TextField {...field("department")} />}
          {s === "admitted" && <TextField {...field("ward")} />}
          {s === "admitted" && <TextField {...field("attending")} />}
          {s === "discharge_planned" && <TextField {...field("expectedDate")} />}
          {s === "discharge_planned" && (
            <TextField {...field("team")} className="span-2" placeholder="例: 池袋訪問看護ステーション・ケアマネジャー 山本さん" />
          )}
          {s === "transferred" && <TextField {...field("hospital")} className="span-2" />}
          {(s === "discharged" || s === "discharge_planned") && (
            <div class="field">
              <label class="field-label" for={`${FORM_ID}-destination`}>
                {s === "discharged" ? "退院先" : "退院予定先（任意）"}
              </label>
              <select
                id={`${FORM_ID}-destination`}
                value={values.destination}
                aria-invalid={errors.destination !== undefined}
                onChange={(e) => {
                  onInput("destination", e.currentTarget.value);
                }}
              >
                <option value="">選んでください</option>
                {DISCHARGE_DESTINATIONS.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.label}
                  </option>
                ))}
              </select>
              <FieldErrorText id={`${FORM_ID}-destination`} name="destination" message={errors.destination} />
            </div>
          )}
          {destination?.name !== undefined && (s === "discharged" || s === "discharge_planned") && (
            <TextField {...field("destinationName", destination.name)} className="span-2" />
          )}
          {s === "deceased" && <TextField {...field("place")} placeholder="例: 自宅" />}
          {(s === "closed" || s === "cancelled") && <TextField {...field("reason")} className="span-2" />}
          <TextField {...field("note")} className="span-3" placeholder="例: 地域連携室 山本さんより電話" />
        </div>
      </fieldset>
      <div class="form-actions">
        <div class="form-actions-start">
          {live.length > 0 && (
            <span class="void-controls">
              <select
                aria-label="取り消す記録"
                value={voiding}
                onChange={(e) => {
                  setVoiding(e.currentTarget.value);
                }}
              >
                <option value="">誤った記録を取り消す…</option>
                {live.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.date} {e.title}
                  </option>
                ))}
              </select>
              {voiding !== "" && (
                <>
                  <input
                    type="text"
                    aria-label="取り消す理由"
                    placeholder="理由"
                    value={voidReason}
                    onInput={(e) => {
                      setVoidReason(e.currentTarget.value);
                    }}
                  />
                  <button
                    type="button"
                    class="button button-danger-outline"
                    disabled={busy}
                    onClick={() => void run(() => voidReferralEvent(referral.id, voiding, voidReason))}
                  >
                    取り消す
                  </button>
                </>
              )}
            </span>
          )}
        </div>
        <button type="button" class="button" disabled={busy} onClick={onCancel}>
          閉じる
        </button>
        <button type="submit" id="save-event" class="button button-primary" disabled={busy}>
          記録する
        </button>
      </div>
    </form>
  );
}

const REPLY_FORM_ID = "reply-field";

const REPLY_LABELS: Partial<Record<keyof ReplyInput | "attachment", string>> = {
  receivedOn: "受け取った日",
  initialDiagnosis: "初診時診断",
  finalDiagnosis: "最終診断",
  findings: "所見",
  treatment: "治療内容",
  recommendations: "今後の方針・依頼",
  medicationChanges: "処方の変更",
  note: "メモ",
  attachment: "返書のスキャン",
};

const EMPTY_REPLY: ReplyInput = {
  receivedOn: "",
  initialDiagnosis: "",
  finalDiagnosis: "",
  findings: "",
  treatment: "",
  recommendations: "",
  medicationChanges: "",
  note: "",
};

/** A recorded reply letter: what it says, and its scan. */
function ReplyCard({ reply }: { reply: Reply }) {
  const [error, setError] = useState<string | null>(null);
  const sections: [string, string][] = [
    ["初診時診断", reply.initialDiagnosis],
    ["最終診断", reply.finalDiagnosis],
    ["所見", reply.findings],
    ["治療内容", reply.treatment],
    ["今後の方針・依頼", reply.recommendations],
    ["処方の変更", reply.medicationChanges],
    ["メモ", reply.note],
  ];
  return (
    <div class="reply" data-testid="reply">
      <p class="reply-head">
        <span class="status">返書受領</span> {reply.receivedOn}
        {reply.attachmentName !== null && (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setError(null);
              openReplyAttachment(reply.id).catch((e: unknown) => {
                setError(toApiError(e).message);
              });
            }}
          >
            {reply.attachmentName}（{formatFileSize(reply.attachmentSize ?? 0)}）を開く
          </button>
        )}
      </p>
      <dl class="reply-findings">
        {sections
          .filter(([, text]) => text !== "")
          .map(([label, text]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{text}</dd>
            </div>
          ))}
      </dl>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function ReplyForm({ referral, onDone, onCancel }: { referral: Referral; onDone: () => void; onCancel: () => void }) {
  const [values, setValues] = useState<ReplyInput>(EMPTY_REPLY);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  const field = (name: keyof ReplyInput) => ({
    formId: REPLY_FORM_ID,
    name,
    label: REPLY_LABELS[name] ?? name,
    value: values[name],
    error: errors[name],
    onInput,
  });
  return (
    <form
      id="reply-form"
      class="form event-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await recordReply(referral.id, values, file?.token ?? null);
          onDone();
        });
      }}
    >
      <h3 class="form-subtitle">返書（{referral.hospital}から）</h3>
      <FormAlert error={error} formId={REPLY_FORM_ID} labels={REPLY_LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <TextField {...field("receivedOn")} placeholder="例: R8.12.10" />
          <TextField {...field("initialDiagnosis")} />
          <TextField {...field("finalDiagnosis")} />
          <TextAreaField {...field("findings")} className="span-3" rows={3} />
          <TextAreaField {...field("treatment")} className="span-3" rows={2} />
          <TextAreaField {...field("recommendations")} className="span-3" rows={2} />
          <TextAreaField {...field("medicationChanges")} className="span-3" rows={2} />
          <TextField {...field("note")} className="span-3" />
          <div class="field span-3">
            <span class="field-label">返書のスキャン（PDF・画像、20MBまで）</span>
            <span class="attachment-row">
              <button
                type="button"
                id="choose-attachment"
                class="button"
                onClick={() =>
                  void run(async () => {
                    const chosen = await chooseReplyAttachment();
                    if (chosen !== null) setFile(chosen);
                  })
                }
              >
                ファイルを選ぶ…
              </button>
              {file !== null && (
                <>
                  <span id="chosen-attachment">
                    {file.name}（{formatFileSize(file.size)}）
                  </span>
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      setFile(null);
                    }}
                  >
                    添付をやめる
                  </button>
                </>
              )}
            </span>
            <FieldErrorText id={`${REPLY_FORM_ID}-attachment`} name="attachment" message={errors.attachment} />
          </div>
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="button" class="button" disabled={busy} onClick={onCancel}>
          閉じる
        </button>
        <button type="submit" id="save-reply" class="button button-primary" disabled={busy}>
          返書を記録する
        </button>
      </div>
    </form>
  );
}
