import { useEffect, useState } from "preact/hooks";
import { dismissWorklistItem, getWorklist, toApiError, type WorklistItem } from "../api";

/** 要確認: shown above the patient list, so it is the first thing seen at start-up. */
export function Worklist({ onOpenPatient }: { onOpenPatient: (patientId: string) => void }) {
  const [items, setItems] = useState<WorklistItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getWorklist().then(setItems, (e: unknown) => {
      setError(toApiError(e).message);
    });
  }, []);

  const dismiss = async (item: WorklistItem) => {
    setBusy(true);
    setError(null);
    try {
      setItems(await dismissWorklistItem(item.referralId, item.key, reason));
      setDismissing(null);
      setReason("");
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (items === null || (items.length === 0 && error === null)) {
    return null;
  }
  return (
    <section class="page-card worklist" aria-labelledby="worklist-heading" id="worklist">
      <h2 id="worklist-heading" class="section-title">
        要確認（{items.length}件）
      </h2>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <ul class="letter-list">
        {items.map((item) => (
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
            <span class="letter-meta">
              {item.hospital}・{item.detail}
            </span>
            {dismissing === item.key ? (
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
    </section>
  );
}
