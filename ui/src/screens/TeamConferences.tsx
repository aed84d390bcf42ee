import { useEffect, useState } from "preact/hooks";
import {
  answerConference,
  cancelConference,
  scheduleConference,
  teamConferences,
  toApiError,
  type ConferenceInput,
  type ConferenceInvitable,
  type TeamConference,
  type TeamConferences,
} from "../api";
import { TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import {
  CONFERENCE_FIELD_LABELS,
  answeredCount,
  attendanceButtons,
  conferenceCount,
  conferenceStateClass,
  conferenceStateLine,
  emptyConferenceInput,
  formOpenByDefault,
  inviteeLine,
  sortConferences,
  toggleInvitee,
} from "../lib/conference";
import { formatDateTime, toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

/**
 * 退院時カンファレンス: the team's conferences (when, where, the web-meeting link as
 * text to copy, who is invited and what each answered), the clinic's own answer, and
 * for a physician the form that sets one. `refreshKey` rises when a sync brought news,
 * so a conference the hospital set appears without reopening the patient.
 */
export function TeamConferencesPanel({ teamId, refreshKey }: { teamId: string; refreshKey: number }) {
  const [data, setData] = useState<TeamConferences | null>(null);
  // null: the form is open while nothing is planned (see `formOpenByDefault`).
  const [formChoice, setFormChoice] = useState<boolean | null>(null);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    teamConferences(teamId).then(setData, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [teamId, refreshKey]);

  const act = (action: () => Promise<TeamConferences>) =>
    void run(async () => {
      setData(await action());
    });
  const shown = data === null ? [] : sortConferences(data.conferences, new Date());
  const formOpen = data !== null && data.maySchedule && (formChoice ?? formOpenByDefault(data.conferences));

  return (
    <div class="conferences" id="team-conferences">
      <div class="conferences-head">
        <h3 class="subsection-title">
          退院時カンファレンス
          {data !== null && conferenceCount(data.conferences) > 0 && (
            <span class="badge badge-pending">予定 {conferenceCount(data.conferences)}</span>
          )}
        </h3>
        {data?.maySchedule === true && !formOpen && (
          <button
            type="button"
            class="button"
            data-testid="conference-open-form"
            onClick={() => {
              setFormChoice(true);
            }}
          >
            カンファレンスを設定する
          </button>
        )}
      </div>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {data !== null && shown.length === 0 && !formOpen && (
        <p class="consent-none">予定されているカンファレンスはありません。</p>
      )}
      {shown.map((c) => (
        <ConferenceCard
          key={c.id}
          conference={c}
          busy={busy}
          onAnswer={(code) => {
            act(() => answerConference(c.id, code));
          }}
          onCancel={() => {
            act(() => cancelConference(c.id));
          }}
        />
      ))}
      {formOpen && (
        <ConferenceForm
          teamId={teamId}
          invitable={data.invitable}
          onDone={(updated) => {
            if (updated !== null) setData(updated);
            setFormChoice(false);
          }}
        />
      )}
    </div>
  );
}

function ConferenceCard({
  conference: c,
  busy,
  onAnswer,
  onCancel,
}: {
  conference: TeamConference;
  busy: boolean;
  onAnswer: (code: string) => void;
  onCancel: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const buttons = attendanceButtons(c);
  return (
    <article class="conference" data-testid="conference" data-conference-id={c.id}>
      <header class="conference-head">
        <h4 class="conference-when">{c.when}〜</h4>
        <span class={conferenceStateClass(c)} data-testid="conference-state">
          {conferenceStateLine(c)}
        </span>
      </header>
      <dl class="conference-facts">
        {c.place !== "" && (
          <div>
            <dt>場所</dt>
            <dd data-testid="conference-place-shown">{c.place}</dd>
          </div>
        )}
        {c.link !== "" && (
          <div>
            <dt>Web会議</dt>
            <dd>
              {/* Shown as text to copy into the meeting app or browser: never opened in this window. */}
              <input
                class="conference-web-link"
                type="text"
                readOnly
                value={c.link}
                aria-label="Web会議のリンク（選択してコピーできます）"
                data-testid="conference-web-link"
                onFocus={(e) => {
                  e.currentTarget.select();
                }}
              />
            </dd>
          </div>
        )}
        <div>
          <dt>主催</dt>
          <dd>{c.organiser}</dd>
        </div>
      </dl>
      {c.note !== "" && <p class="conference-note">{c.note}</p>}
      <div class="conference-invitees">
        <span class="letter-meta">{answeredCount(c.invitees)}</span>
        <ul>
          {c.invitees.map((i) => (
            <li key={i.memberId} data-testid="conference-answer" data-member-id={i.memberId} data-attendance={i.attendance}>
              {inviteeLine(i)}
              {i.answeredAt !== null && <span class="letter-meta"> {formatDateTime(i.answeredAt)}</span>}
            </li>
          ))}
        </ul>
      </div>
      {c.hasMinutes && <p class="field-hint">記録はタイムラインにあります。</p>}
      {c.refusal !== null && (
        <p class="alert alert-error" role="alert" data-testid="conference-refusal">
          地域連携サーバーが受け付けませんでした：{c.refusal}
        </p>
      )}
      {buttons.length > 0 && (
        <div class="conference-actions" role="group" aria-label="当院の出欠">
          <span class="conference-actions-label">当院の出欠</span>
          {buttons.map((b) => (
            <button
              key={b.code}
              type="button"
              class={b.pressed ? "button button-primary" : "button"}
              aria-pressed={b.pressed}
              data-testid={b.testId}
              disabled={busy}
              onClick={() => {
                onAnswer(b.code);
              }}
            >
              {b.label}
            </button>
          ))}
        </div>
      )}
      {c.mayCancel && !confirming && (
        <div class="conference-actions">
          <button
            type="button"
            class="button button-ghost button-small button-danger"
            data-testid="conference-cancel"
            disabled={busy}
            onClick={() => {
              setConfirming(true);
            }}
          >
            中止にする
          </button>
        </div>
      )}
      {confirming && (
        <div class="alert alert-warning" role="alertdialog">
          <p>{c.when}のカンファレンスを中止にしますか？チームのタイムラインに中止が知らされます。</p>
          <div class="form-actions">
            <button
              type="button"
              class="button button-danger"
              data-testid="conference-cancel-confirm"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                onCancel();
              }}
            >
              中止にする
            </button>
            <button
              type="button"
              class="button button-ghost"
              onClick={() => {
                setConfirming(false);
              }}
            >
              やめる
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

function ConferenceForm({
  teamId,
  invitable,
  onDone,
}: {
  teamId: string;
  invitable: readonly ConferenceInvitable[];
  onDone: (updated: TeamConferences | null) => void;
}) {
  const [values, setValues] = useState<ConferenceInput>(() => emptyConferenceInput(invitable));
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  return (
    <form
      class="form team-form"
      id="conference-form"
      data-testid="conference-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          onDone(await scheduleConference(teamId, values));
        });
      }}
    >
      <h4 class="subsection-title">カンファレンスを設定する</h4>
      <FormAlert error={error} formId="conference" labels={CONFERENCE_FIELD_LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <TextField
            formId="conference"
            name="date"
            label="日付"
            value={values.date}
            error={errors.date}
            onInput={onInput}
            placeholder="例: R8.12.10"
            testId="conference-date"
          />
          <TextField
            formId="conference"
            name="time"
            label="開始時刻"
            value={values.time}
            error={errors.time}
            onInput={onInput}
            inputMode="numeric"
            placeholder="例: 14:00"
            testId="conference-time"
          />
        </div>
        <TextField
          formId="conference"
          name="place"
          label="場所"
          value={values.place}
          error={errors.place}
          onInput={onInput}
          placeholder="例: 北病院 3階 カンファレンス室"
          testId="conference-place"
        />
        <TextField
          formId="conference"
          name="link"
          label="Web会議のリンク（任意）"
          value={values.link}
          error={errors.link}
          onInput={onInput}
          placeholder="https://"
          hint="Web会議で行う場合は、会議のアドレス（https:// で始まるもの）を貼り付けてください。"
          testId="conference-link"
        />
        <fieldset class="plain-fieldset conference-invitee-choices" id="conference-invitees">
          <legend class="field-label">招待するメンバー</legend>
          {invitable.length === 0 && <p class="field-hint">いまチームに参加しているメンバーがいません。</p>}
          {invitable.map((m) => (
            <label key={m.id} class="checkbox">
              <input
                type="checkbox"
                data-testid="conference-invitee"
                data-member-id={m.id}
                checked={values.inviteeMemberIds.includes(m.id)}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  setValues((v) => ({
                    ...v,
                    inviteeMemberIds: toggleInvitee(invitable, v.inviteeMemberIds, m.id, checked),
                  }));
                }}
              />
              {m.isOwn ? `${m.name}（当院）` : m.name}
            </label>
          ))}
          {errors.invitees !== undefined && <p class="field-error">{errors.invitees}</p>}
        </fieldset>
        <TextAreaField
          formId="conference"
          name="note"
          label="補足（任意）"
          value={values.note}
          error={errors.note}
          onInput={onInput}
          rows={3}
          testId="conference-note"
        />
        <p class="field-hint">設定すると、チームのタイムラインに日時と場所が知らされ、招待したメンバーに出欠をたずねます。</p>
        <div class="form-actions">
          <button type="submit" class="button button-primary" data-testid="conference-submit">
            設定する
          </button>
          <button
            type="button"
            class="button button-ghost"
            onClick={() => {
              onDone(null);
            }}
          >
            やめる
          </button>
        </div>
      </fieldset>
    </form>
  );
}
