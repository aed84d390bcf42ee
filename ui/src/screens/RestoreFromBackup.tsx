import { useState } from "preact/hooks";
import { chooseBackupFile, restoreFromBackup, type ChosenBackup, type StartupState } from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "restore-field";
const LABELS: Record<string, string> = { passphrase: "復旧用パスフレーズ" };

interface Props {
  onRestored: (state: StartupState) => void;
}

/**
 * バックアップから復元: the backup file (chosen in the OS dialog; the webview
 * holds a token, never the path) and the recovery passphrase. A refusal
 * changes nothing, so the form simply stays for another try.
 */
export function RestoreFromBackup({ onRestored }: Props) {
  const [file, setFile] = useState<ChosenBackup | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);

  return (
    <form
      id="restore-form"
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (file === null) return;
        void run(async () => {
          const state = await restoreFromBackup(file.token, passphrase);
          setPassphrase("");
          onRestored(state);
        });
      }}
    >
      <p class="field-hint">
        以前のパソコンで作られたバックアップファイル（「.tsunagu-backup」で終わるファイル）と、復旧シートに書いた復旧用パスフレーズで、患者・紹介・文書・同意・地域との同期の状態をすべて戻します。
      </p>
      <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="restore-file">
          <button
            type="button"
            id="choose-backup-file"
            class="button"
            onClick={() =>
              void run(async () => {
                const chosen = await chooseBackupFile();
                if (chosen !== null) setFile(chosen);
              })
            }
          >
            バックアップファイルを選ぶ
          </button>
          <p id="chosen-backup">
            {file === null ? "ファイルが選ばれていません" : `${file.name}（${file.madeAt} に作成）`}
          </p>
        </div>
        <TextField
          formId={FORM_ID}
          name="passphrase"
          label="復旧用パスフレーズ"
          type="password"
          autoComplete="off"
          value={passphrase}
          error={errors.passphrase}
          onInput={(_, v) => {
            setPassphrase(v);
          }}
        />
      </fieldset>
      <div class="form-actions">
        <button
          type="submit"
          id="restore-backup"
          class="button button-primary"
          disabled={busy || file === null || passphrase.length === 0}
        >
          {busy ? "復元しています…" : "復元する"}
        </button>
      </div>
    </form>
  );
}
