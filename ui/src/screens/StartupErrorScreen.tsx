import type { StartupState } from "../api";
import { RestoreFromBackup } from "./RestoreFromBackup";

interface Props {
  message: string;
  code: string;
  dataDir: string | null;
  onRestored: (state: StartupState) => void;
}

/** Shown when the local store cannot be opened; the app must not be usable then. */
export function StartupErrorScreen({ message, code, dataDir, onRestored }: Props) {
  return (
    <main class="startup-error" id="startup-error">
      <div class="startup-error-card" role="alert">
        <h1>つなぐを起動できませんでした</h1>
        <p class="startup-error-message">{message}</p>
        {dataDir !== null && (
          <dl class="startup-error-details">
            <dt>データフォルダ</dt>
            <dd>
              <code>{dataDir}</code>
            </dd>
            <dt>エラーコード</dt>
            <dd>
              <code>{code}</code>
            </dd>
          </dl>
        )}
        {code === "store_file_missing" && (
          <section class="startup-error-restore" aria-labelledby="restore-heading">
            <h2 id="restore-heading">バックアップから復元</h2>
            <RestoreFromBackup onRestored={onRestored} />
          </section>
        )}
        <p class="startup-error-footer">問題を解決してから、アプリを起動し直してください。</p>
      </div>
    </main>
  );
}
