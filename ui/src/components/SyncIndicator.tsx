import { useEffect, useRef, useState } from "preact/hooks";
import { getSyncState, syncNow, toApiError, type SyncState } from "../api";
import { formatDateTime } from "../lib/format";

/** How often the header re-reads the sync state (the sync itself runs in Rust). */
const POLL_MS = 15_000;

/**
 * The header's sync line: 最終同期, the changes not yet sent, and 今すぐ同期.
 * Hidden until this install is enrolled with the regional server.
 */
export function SyncIndicator({ onSynced }: { onSynced: () => void }) {
  const [state, setState] = useState<SyncState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // News brought by the background sync reloads the screens, as 今すぐ同期 does.
  const newsSeen = useRef<number | null>(null);
  const refresh = () =>
    getSyncState().then(
      (next) => {
        setState(next);
        if (next !== null) {
          if (newsSeen.current !== null && next.newsArrivals > newsSeen.current) {
            onSynced();
          }
          newsSeen.current = next.newsArrivals;
        }
      },
      () => {
        // The next poll tries again; the header is not the place for this error.
      },
    );

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), POLL_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, []);

  if (state === null) {
    return null;
  }
  const failing = error ?? state.lastError;
  return (
    <div class="sync-indicator" id="sync-indicator" role="status">
      <span class="sync-last">
        最終同期 <strong id="sync-last">{state.lastSyncedAt === null ? "未同期" : formatDateTime(state.lastSyncedAt)}</strong>
      </span>
      <span class={state.pending > 0 ? "sync-pending sync-pending-some" : "sync-pending"} id="sync-pending">
        未送信 {state.pending}件
      </span>
      {state.refused > 0 && (
        <span class="sync-refused" id="sync-refused" title="医療機関情報の「地域連携サーバー」で確認できます">
          同期できなかった変更 {state.refused}件
        </span>
      )}
      {failing !== null && (
        <span class="sync-error" id="sync-error" title={failing}>
          接続できません
        </span>
      )}
      <button
        type="button"
        id="sync-now"
        class="button button-ghost button-small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          syncNow()
            .then(
              () => {
                onSynced();
              },
              (e: unknown) => {
                setError(toApiError(e).message);
              },
            )
            .finally(() => {
              setBusy(false);
              void refresh();
            });
        }}
      >
        {busy ? "同期中…" : "今すぐ同期"}
      </button>
    </div>
  );
}
