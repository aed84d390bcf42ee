import { useState } from "preact/hooks";
import { startNewStore, type StartupState } from "../api";
import { useAction } from "../lib/useAction";
import { RestoreFromBackup } from "./RestoreFromBackup";

interface Props {
  dataDir: string;
  onStarted: (state: StartupState) => void;
}

/**
 * The first start on a PC with no data: a new clinic starts empty; a
 * clinic moving to a new PC (or replacing a broken one) restores its backup.
 * Nothing is created before the choice, so a restore never meets a store.
 */
export function StartScreen({ dataDir, onStarted }: Props) {
  const [restoring, setRestoring] = useState(false);
  const { busy, error, run } = useAction();

  return (
    <main class="start-screen" id="start-screen">
      <div class="start-card">
        <h1>つなぐへようこそ</h1>
        <p>このパソコンにはまだつなぐのデータがありません。どちらかを選んでください。</p>
        {error !== null && (
          <p class="alert alert-error" role="alert">
            {error.message}
          </p>
        )}
        <div class={restoring ? "start-choices start-choices-restoring" : "start-choices"}>
          <section class="start-choice" aria-labelledby="start-new-heading">
            <h2 id="start-new-heading">新しく始める</h2>
            <p>初めてつなぐを使う診療所です。医療機関の情報の入力から始めます。</p>
            <button
              type="button"
              id="start-new"
              class="button button-primary"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  onStarted(await startNewStore());
                })
              }
            >
              新しく始める
            </button>
          </section>
          <section class="start-choice" aria-labelledby="start-restore-heading">
            <h2 id="start-restore-heading">バックアップから復元</h2>
            {restoring ? (
              <RestoreFromBackup onRestored={onStarted} />
            ) : (
              <>
                <p>パソコンを買い替えた・故障したときは、バックアップファイルと復旧用パスフレーズからデータを戻します。</p>
                <button
                  type="button"
                  id="start-restore"
                  class="button"
                  disabled={busy}
                  onClick={() => {
                    setRestoring(true);
                  }}
                >
                  バックアップから復元
                </button>
              </>
            )}
          </section>
        </div>
        <p class="start-footer">
          データフォルダ: <code>{dataDir}</code>
        </p>
      </div>
    </main>
  );
}
