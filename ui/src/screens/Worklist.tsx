import { useEffect, useState } from "preact/hooks";
import {
  dischargeRequestsWaiting,
  dismissWorklistItem,
  getBackupStatus,
  getWorklist,
  getWorklistSettings,
  intakes,
  saveWorklistSettings,
  toApiError,
  type DischargeRequest,
  type Worklist as WorklistPage,
  type WorklistItem,
  type WorklistSettings,
} from "../api";
import { DischargeRequestCard } from "../components/DischargeRequestCard";
import { replaceRequest, waitingForAnswer } from "../lib/discharge";
import { waitingIntakes } from "../lib/intake";
import { toFieldErrors } from "../lib/format";
import { clearsWhen, parseDays, worklistMoreText } from "../lib/worklist";

/** How often the worklist is looked at again while the app stays open. */
const REFRESH_MS = 10 * 60 * 1000;
/** Items shown before 「すべて表示」, so the patient list stays in view. */
const FIRST_ITEMS = 20;

/** 要確認: shown above the patient list, so it is the first thing seen at start-up. */
export function Worklist({
  onOpenPatient,
  onOpenIntakes,
}: {
  onOpenPatient: (patientId: string) => void;
  /** Opens 受入相談 (received requests wait there for the doctor's answer). */
  onOpenIntakes?: () => void;
}) {
  const [worklist, setWorklist] = useState<WorklistPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);

  const [settingsOpen, setSettingsOpen] = useState(false);
  const [showAll, setShowAll] = useState(false);
  /** A missed backup (要確認 of the clinic's own, not a referral's). */
  const [backupAttention, setBackupAttention] = useState<string | null>(null);
  /** Hospitals' 退院後の在宅医療の相談 waiting for the physician, shown first. */
  const [requests, setRequests] = useState<DischargeRequest[]>([]);
  /** 受入相談 asked of the clinic, still unanswered. */
  const [asked, setAsked] = useState(0);

  const refresh = () => {
    getBackupStatus().then(
      (status) => {
        setBackupAttention(status.attention === null ? null : `${status.attention}（${status.lastBackupLabel}）`);
      },
      () => {
        // The backup settings screen reports why the status cannot be read.
      },
    );
    dischargeRequestsWaiting().then(
      (list) => {
        setRequests(list);
      },
      (e: unknown) => {
        // A role that may not read clinical text (事務) does not see them.
        const failure = toApiError(e);
        setRequests([]);
        if (failure.code !== "forbidden") setError(failure.message);
      },
    );
    intakes().then(
      (list) => {
        setAsked(waitingIntakes(list));
      },
      () => {
        // A role that may not read clinical text (事務) does not see them.
        setAsked(0);
      },
    );
    getWorklist().then(
      (list) => {
        setWorklist(list);
      },
      (e: unknown) => {
        setError(toApiError(e).message);
      },
    );
  };

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, []);

  const dismiss = async (item: WorklistItem) => {
    setBusy(true);
    setError(null);
    try {
      setWorklist(await dismissWorklistItem(item.referralId, item.key, reason));
      setDismissing(null);
      setReason("");
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (worklist === null) {
    return null;
  }
  const items: WorklistItem[] = worklist.items;
  const more = worklistMoreText(items.length, worklist.total);
  return (
    <section class="page-card worklist" aria-labelledby="worklist-heading" id="worklist">
      <div class="worklist-head">
        <h2 id="worklist-heading" class="section-title">
          要確認（{worklist.total + waitingForAnswer(requests) + asked}件）
        </h2>
        <button
          type="button"
          id="worklist-settings"
          class="link-button"
          aria-expanded={settingsOpen}
          onClick={() => {
            setSettingsOpen(!settingsOpen);
          }}
        >
          確認の基準…
        </button>
      </div>
      {settingsOpen && (
        <ThresholdsForm
          onSaved={() => {
            setSettingsOpen(false);
            refresh();
          }}
        />
      )}
      {backupAttention !== null && (
        <p class="alert alert-error" id="backup-attention-worklist" role="alert">
          {backupAttention} 設定画面の「バックアップ」を確認してください。
        </p>
      )}
      {asked > 0 && (
        <p class="alert alert-warning worklist-intake" id="worklist-intake" role="status">
          受入相談が{asked}件届いています。
          {onOpenIntakes !== undefined && (
            <button type="button" class="link-button" id="worklist-intake-open" onClick={onOpenIntakes}>
              受入相談を開く
            </button>
          )}
        </p>
      )}
      {requests.length > 0 && (
        <div class="discharge-requests" data-testid="discharge-requests">
          {requests.map((r) => (
            <DischargeRequestCard
              key={r.id}
              request={r}
              onOpenPatient={onOpenPatient}
              onAnswered={(updated) => {
                setRequests((list) => replaceRequest(list, updated));
              }}
            />
          ))}
        </div>
      )}
      {items.length === 0 && requests.length === 0 && error === null && (
        <p class="list-empty">確認が必要な紹介はありません。</p>
      )}
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <ul class="letter-list">
        {(showAll ? items : items.slice(0, FIRST_ITEMS)).map((item) => (
          <li key={item.key} class="worklist-row" data-testid="worklist-item">
            <span class="worklist-title">{item.title}</span>
            <button
              type="button"
              class="link-button"
              onClick={() => {
                onOpenPatient(item.patientId);
              }}
            >
              {item.patientName}
            </button>
            <span class="worklist-detail">
              {item.hospital}・{item.detail}
            </span>
            {!item.dismissible ? (
              <span class="letter-meta">{clearsWhen(item)}</span>
            ) : dismissing === item.key ? (
              <span class="void-controls">
                <input
                  type="text"
                  aria-label="確認した内容"
                  placeholder="確認した内容（例: 在宅医と電話で確認）"
                  value={reason}
                  onInput={(e) => {
                    setReason(e.currentTarget.value);
                  }}
                />
                <button type="button" class="button button-primary" disabled={busy} onClick={() => void dismiss(item)}>
                  確認済みにする
                </button>
              </span>
            ) : (
              <button
                type="button"
                class="button"
                onClick={() => {
                  setDismissing(item.key);
                  setReason("");
                }}
              >
                確認済み…
              </button>
            )}
          </li>
        ))}
      </ul>
      {!showAll && items.length > FIRST_ITEMS && (
        <button
          type="button"
          class="link-button"
          onClick={() => {
            setShowAll(true);
          }}
        >
          すべて表示（ほか{items.length - FIRST_ITEMS}件）
        </button>
      )}
      {(showAll || items.length <= FIRST_ITEMS) && more !== null && <p class="list-empty">{more}</p>}
    </section>
  );
}

/** The worklist's thresholds: days to the hospital's first word, and to a reply letter. */
function ThresholdsForm({ onSaved }: { onSaved: () => void }) {
  const [values, setValues] = useState<{ ack: string; reply: string } | null>(null);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    getWorklistSettings().then(
      (s) => {
        setValues({ ack: String(s.daysToAcknowledgement), reply: String(s.daysToReply) });
      },
      (e: unknown) => {
        setMessage(toApiError(e).message);
      },
    );
  }, []);

  if (values === null) {
    return message === null ? null : <p class="alert alert-error">{message}</p>;
  }
  const save = async () => {
    const settings: WorklistSettings = {
      daysToAcknowledgement: parseDays(values.ack),
      daysToReply: parseDays(values.reply),
    };
    try {
      await saveWorklistSettings(settings);
      onSaved();
    } catch (e) {
      const error = toApiError(e);
      setErrors(toFieldErrors(error.fields));
      setMessage(error.fields.length > 0 ? null : error.message);
    }
  };
  return (
    <form
      id="thresholds-form"
      class="thresholds"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        紹介後、受付の連絡がないまま
        <input
          id="threshold-ack"
          class="days-input"
          inputMode="numeric"
          value={values.ack}
          aria-invalid={errors.daysToAcknowledgement !== undefined}
          onInput={(e) => {
            setValues({ ...values, ack: e.currentTarget.value });
          }}
        />
        日
      </label>
      <label>
        受診・入院後、返書がないまま
        <input
          id="threshold-reply"
          class="days-input"
          inputMode="numeric"
          value={values.reply}
          aria-invalid={errors.daysToReply !== undefined}
          onInput={(e) => {
            setValues({ ...values, reply: e.currentTarget.value });
          }}
        />
        日
      </label>
      <button type="submit" class="button button-primary">
        保存
      </button>
      {[errors.daysToAcknowledgement, errors.daysToReply, message]
        .filter((m): m is string => m !== undefined && m !== null)
        .map((m) => (
          <p key={m} class="field-error">
            {m}
          </p>
        ))}
      <p class="field-hint">過ぎたものを「要確認」に挙げ、紹介患者一覧で期限超過として示します。</p>
    </form>
  );
}
