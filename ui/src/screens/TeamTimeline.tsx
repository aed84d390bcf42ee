import { useEffect, useRef, useState } from "preact/hooks";
import {
  acknowledgeTeamEntry,
  chooseTeamAttachment,
  closeTeamRequest,
  markTeamRead,
  openTeamAttachment,
  postToTeam,
  saveTeamAttachment,
  teamTimeline,
  toApiError,
  type ChosenFile,
  type PostInput,
  type TeamEntry,
  type TeamTimeline as Timeline,
} from "../api";
import { TextAreaField, TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { formatDateTime, toFieldErrors } from "../lib/format";
import { formatFileSize } from "../lib/referrals";
import {
  ENTRY_KINDS,
  VITALS_FIELDS,
  emptyPost,
  entryStateLabel,
  kindClass,
  pendingCount,
  postToSend,
  receiptLines,
  vitalsRows,
} from "../lib/team";
import { useAction } from "../lib/useAction";

type Composing = { kind: "new" } | { kind: "reply"; to: TeamEntry } | { kind: "correct"; of: TeamEntry };

/**
 * The timeline, oldest at the top and newest at the bottom, with the form
 * below it: a physician reads a patient's course in time order (as in a
 * chart or a contact notebook), replies sit under the post they answer,
 * and the newest post is next to where the answer is written. The list
 * scrolls to the bottom when it opens.
 */
/** The team's タイムライン: its posts with replies, and the post form. */
export function TeamTimelinePanel({ teamId, refreshKey }: { teamId: string; refreshKey: number }) {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [composing, setComposing] = useState<Composing>({ kind: "new" });
  const { busy, error, setError, run } = useAction();
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    teamTimeline(teamId).then(
      (t) => {
        setTimeline(t);
        // Read receipts are automatic: what was just shown counts as read. The
        // markers stay on screen until the next load, so the eye finds them.
        if (t.unread > 0) void markTeamRead(teamId).catch(() => undefined);
      },
      (e: unknown) => {
        setError(toApiError(e));
      },
    );
  }, [teamId, refreshKey]);
  useEffect(() => {
    if (list.current !== null) list.current.scrollTop = list.current.scrollHeight;
  }, [timeline?.posts.length]);

  const entryAction = (action: () => Promise<Timeline>) => void run(async () => { setTimeline(await action()); });

  return (
    <div class="timeline" id="team-timeline">
      <h3 class="subsection-title">
        タイムライン
        {timeline !== null && timeline.unread > 0 && (
          <span class="badge badge-unread" id="timeline-unread">
            未読 {timeline.unread}
          </span>
        )}
        {timeline !== null && pendingCount(timeline.posts) > 0 && (
          <span class="badge badge-pending">未送信 {pendingCount(timeline.posts)}</span>
        )}
      </h3>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {timeline !== null && timeline.posts.length === 0 && <p class="consent-none">まだ投稿はありません。</p>}
      {timeline !== null && (
        <ol class="timeline-list" ref={list}>
          {timeline.posts.map((p) => (
            <li key={p.id}>
              <EntryCard
                entry={p}
                busy={busy}
                onAcknowledge={() => { entryAction(() => acknowledgeTeamEntry(teamId, p.id)); }}
                onClose={() => { entryAction(() => closeTeamRequest(teamId, p.id)); }}
                onReply={() => { setComposing({ kind: "reply", to: p }); }}
                onCorrect={() => { setComposing({ kind: "correct", of: p }); }}
                onError={setError}
              />
              {p.replies.length > 0 && (
                <ol class="timeline-replies">
                  {p.replies.map((r) => (
                    <li key={r.id}>
                      <EntryCard
                        entry={r}
                        busy={busy}
                        onAcknowledge={() => { entryAction(() => acknowledgeTeamEntry(teamId, r.id)); }}
                        onClose={() => undefined}
                        onReply={() => undefined}
                        onCorrect={() => { setComposing({ kind: "correct", of: r }); }}
                        onError={setError}
                      />
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ol>
      )}
      {timeline?.mayPost === true && (
        <PostForm
          key={composing.kind === "new" ? "new" : composing.kind === "reply" ? `r-${composing.to.id}` : `c-${composing.of.id}`}
          teamId={teamId}
          composing={composing}
          onPosted={(t) => {
            setTimeline(t);
            setComposing({ kind: "new" });
          }}
          onCancel={() => { setComposing({ kind: "new" }); }}
        />
      )}
    </div>
  );
}

function EntryCard(props: {
  entry: TeamEntry;
  busy: boolean;
  onAcknowledge: () => void;
  onClose: () => void;
  onReply: () => void;
  onCorrect: () => void;
  onError: (e: ReturnType<typeof toApiError>) => void;
}) {
  const e = props.entry;
  const state = entryStateLabel(e.state);
  const rows = vitalsRows(e.vitals);
  const open = (id: string) => openTeamAttachment(id).catch((err: unknown) => { props.onError(toApiError(err)); });
  const save = (id: string) => saveTeamAttachment(id).catch((err: unknown) => { props.onError(toApiError(err)); });
  return (
    <article
      class={`entry${e.unread ? " is-unread" : ""}${e.struckBy !== null ? " is-struck" : ""}${e.state !== "confirmed" ? " is-pending" : ""}`}
      data-testid="team-entry"
      data-entry-id={e.id}
    >
      <header class="entry-head">
        <span class={kindClass(e.kind)}>{e.kindLabel}</span>
        {e.unread && <span class="badge badge-unread">未読</span>}
        <span class="entry-author">{e.author}</span>
        <span class="letter-meta">{formatDateTime(e.postedAt)}</span>
        {state !== null && (
          <span class={e.state === "pending" ? "status status-pending" : "status status-conflict"} data-testid="entry-state">
            {state}
          </span>
        )}
        {e.requestStateLabel !== null && <span class="status">{e.requestStateLabel}</span>}
        {e.strikes !== null && <span class="status">訂正</span>}
        {e.struckBy !== null && <span class="status status-muted">訂正されました</span>}
      </header>
      {/* Plain text: Preact escapes it, so markup typed in is shown as typed. */}
      {e.body !== "" && <p class="entry-body">{e.body}</p>}
      {rows.length > 0 && (
        <table class="vitals-table">
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {e.attachments.length > 0 && (
        <ul class="entry-attachments">
          {e.attachments.map((a) => (
            <li key={a.id}>
              {a.name}（{formatFileSize(a.size)}）
              {a.held ? (
                <>
                  <button type="button" class="link-button" onClick={() => void open(a.id)}>
                    開く
                  </button>
                  <button type="button" class="link-button" onClick={() => void save(a.id)}>
                    保存
                  </button>
                </>
              ) : (
                <span class="letter-meta">（次の同期で受信します）</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <footer class="entry-foot">
        <span class="entry-receipts" title={receiptLines(e.receipts).join("\n")} data-testid="entry-read">
          {e.readLabel}・{e.acknowledgedLabel}
        </span>
        {e.receipts.length > 0 && (
          <details class="entry-receipt-list">
            <summary>誰が見たか</summary>
            <ul>
              {receiptLines(e.receipts).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </details>
        )}
        {e.mayAcknowledge && (
          <button type="button" class="button button-small" disabled={props.busy} onClick={props.onAcknowledge} data-testid="entry-acknowledge">
            確認しました
          </button>
        )}
        {e.acknowledgedByUs && <span class="status">確認済み</span>}
        {e.mayReply && (
          <button type="button" class="button button-ghost button-small" onClick={props.onReply}>
            返信
          </button>
        )}
        {e.mayCorrect && (
          <button type="button" class="button button-ghost button-small" onClick={props.onCorrect}>
            訂正
          </button>
        )}
        {e.mayClose && (
          <button type="button" class="button button-ghost button-small" disabled={props.busy} onClick={props.onClose}>
            相談を終了
          </button>
        )}
      </footer>
    </article>
  );
}

function PostForm(props: {
  teamId: string;
  composing: Composing;
  onPosted: (t: Timeline) => void;
  onCancel: () => void;
}) {
  const { composing } = props;
  const [values, setValues] = useState<PostInput>(
    composing.kind === "reply"
      ? emptyPost(composing.to.kind === "referral_event" ? "note" : composing.to.kind, { replyTo: composing.to.id })
      : composing.kind === "correct"
        ? // A correction of a reply is itself a reply to the same post.
          emptyPost("note", { strikes: composing.of, ...(composing.of.replyTo === null ? {} : { replyTo: composing.of.replyTo }) })
        : emptyPost(),
  );
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const labels: Record<string, string> = {
    kind: "種類",
    body: "本文",
    attachments: "添付ファイル",
    ...Object.fromEntries(VITALS_FIELDS.map((f) => [f.name, f.label])),
  };
  const title =
    composing.kind === "reply"
      ? `「${composing.to.body.slice(0, 20)}」への返信`
      : composing.kind === "correct"
        ? "訂正の投稿（元の投稿は取り消し線付きで残ります）"
        : "投稿";
  return (
    <form
      class="form team-form"
      id="team-post-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          props.onPosted(await postToTeam(props.teamId, postToSend(values), files.map((f) => f.token)));
          setFiles([]);
        });
      }}
    >
      <h3 class="subsection-title">{title}</h3>
      <FormAlert error={error} formId="team-post" labels={labels} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <label class="field">
          <span class="field-label">種類</span>
          <select
            id="team-post-kind"
            value={values.kind}
            disabled={composing.kind === "correct"}
            onChange={(e) => {
              const kind = e.currentTarget.value;
              setValues((v) => ({ ...v, kind }));
            }}
          >
            {ENTRY_KINDS.map((k) => (
              <option key={k.code} value={k.code}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {values.kind === "urgent" && (
          <p class="field-hint">緊急はチーム全員にすぐ通知されます。</p>
        )}
        <TextAreaField
          formId="team-post"
          name="body"
          label="本文"
          value={values.body}
          error={errors.body}
          rows={4}
          onInput={(_, body) => { setValues((v) => ({ ...v, body })); }}
        />
        {values.kind === "visit_report" && (
          <div class="form-grid vitals-grid" role="group" aria-label="バイタルサイン">
            {VITALS_FIELDS.map((f) => (
              <TextField
                key={f.name}
                formId="team-post"
                name={f.name}
                label={`${f.label}（${f.unit}）`}
                value={values.vitals[f.name]}
                error={errors[f.name]}
                inputMode="decimal"
                onInput={(_, value) => { setValues((v) => ({ ...v, vitals: { ...v.vitals, [f.name]: value } })); }}
              />
            ))}
          </div>
        )}
        <div class="field">
          <button
            type="button"
            class="button button-ghost"
            id="team-attach"
            onClick={() =>
              void run(async () => {
                const chosen = await chooseTeamAttachment();
                if (chosen !== null) setFiles((f) => [...f, chosen]);
              })
            }
          >
            ファイルを添付…
          </button>
          {files.map((f) => (
            <span key={f.token} class="chosen-file">
              {f.name}（{formatFileSize(f.size)}）
              <button type="button" class="link-button" onClick={() => { setFiles((all) => all.filter((x) => x.token !== f.token)); }}>
                外す
              </button>
            </span>
          ))}
          {errors.attachments !== undefined && <p class="field-error">{errors.attachments}</p>}
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="team-post-submit">
            投稿する
          </button>
          {composing.kind !== "new" && (
            <button type="button" class="button button-ghost" onClick={props.onCancel}>
              やめる
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}
