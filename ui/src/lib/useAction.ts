import { useState } from "preact/hooks";
import { toApiError, type ApiError } from "../api";

/**
 * A form's backend call: `busy` while it runs (to disable the form), and the
 * error it ended with, if any (cleared when the next call starts).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
