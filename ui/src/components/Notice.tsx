import { useEffect } from "preact/hooks";

const VISIBLE_MS = 6000;

interface Props {
  message: string | null;
  onDismiss: () => void;
}

/** A short confirmation after save/delete; it goes away on its own so the list stays calm. */
export function Notice({ message, onDismiss }: Props) {
  useEffect(() => {
    if (message === null) {
      return undefined;
    }
    const timer = setTimeout(onDismiss, VISIBLE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [message, onDismiss]);

  // The live region stays mounted so screen readers announce the message when it appears.
  return (
    <div class="notice-region" role="status" aria-live="polite">
      {message !== null && (
        <div class="notice" id="notice">
          <span>{message}</span>
          <button type="button" class="icon-button" aria-label="閉じる" onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
