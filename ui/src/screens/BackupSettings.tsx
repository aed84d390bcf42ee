import { useEffect, useState } from "preact/hooks";
import {
  ApiError,
  backupNow,
  changeBackupPassphrase,
  chooseBackupFolder,
  openRecoverySheet,
  getBackupStatus,
  setBackupPassphrase,
  toApiError,
  type BackupStatus,
} from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { NewSecretFields } from "../components/NewSecretFields";
import { backupSetupSteps, checkPassphrase } from "../lib/backup";
import { toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "backup-field";

const LABELS: Record<string, string> = {
  passphrase: "復旧用パスフレーズ",
  confirmation: "確認のためもう一度",
  currentPassphrase: "今の復旧用パスフレーズ",
};

/**
 * バックアップ: the recovery passphrase, the folder, 最終バックアップ and 今すぐバックアップ;
 * the 復旧シート to print. Setting them up is the administrator's.
 */
export function BackupSettings({ isAdmin }: { isAdmin: boolean }) {
  const [status, setStatus] = useState<BackupStatus | undefined>(undefined);
  const [passphrase, setPassphrase] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [current, setCurrent] = useState("");
  const [changing, setChanging] = useState(false);
  // The passphrase just typed (set or changed), kept only while this page is
  // open so the sheet can print it; it is never read back from the backend.
  const [justSet, setJustSet] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run: call } = useAction();

  useEffect(() => {
    getBackupStatus().then(setStatus, (e: unknown) => {
      setError(toApiError(e));
    });
  }, []);

  const run = (action: () => Promise<void>) => {
    setMessage(null);
    return call(action);
  };
  const errors = toFieldErrors(error?.fields ?? []);
  const steps = status === undefined ? [] : backupSetupSteps(status);

  return (
    <section class="page-card" aria-labelledby="backup-heading" id="backup-settings">
      <h2 id="backup-heading" class="section-title">
        バックアップ
      </h2>
      {status === undefined && error === null && <p class="list-status">読み込み中…</p>}
      {status !== undefined && (
        <>
          <p id="last-backup">{status.lastBackupLabel}</p>
          {status.attention !== null && (
            <p class="alert alert-error" id="backup-attention" role="alert">
              {status.attention}
            </p>
          )}
          <dl class="reply-findings">
            <div>
              <dt>バックアップ先</dt>
              <dd id="backup-folder">{status.folder ?? "未設定"}</dd>
            </div>
            <div>
              <dt>復旧用パスフレーズ</dt>
              <dd id="backup-passphrase-state">{status.passphraseSet ? "設定済み" : "未設定"}</dd>
            </div>
          </dl>
          <p class="field-hint">
            データ全体を毎日1回、暗号化して選んだフォルダ（USBディスクやNAS）に保存します。直近7日分・4週分・12か月分を残します。パソコンが壊れたときは、新しいパソコンでバックアップファイルと復旧用パスフレーズから復元できます。
          </p>
        </>
      )}
      {message !== null && <p class="alert alert-success">{message}</p>}
      {status !== undefined && isAdmin && status.passphraseSet && changing && (
        <form
          id="change-backup-passphrase-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const local = checkPassphrase(passphrase, confirmation);
            if (local.length > 0) {
              setError(new ApiError("validation", "入力内容を確認してください。", local));
              return;
            }
            void run(async () => {
              setStatus(await changeBackupPassphrase(current, passphrase));
              setJustSet(passphrase);
              setCurrent("");
              setPassphrase("");
              setConfirmation("");
              setChanging(false);
              setMessage(
                "復旧用パスフレーズを変更しました。新しい復旧シートを印刷してください。変更前のバックアップから戻すときは、古いパスフレーズが必要です。",
              );
            });
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <div class="form-grid form-grid-3">
              <TextField
                formId={FORM_ID}
                name="currentPassphrase"
                label="今の復旧用パスフレーズ"
                type="password"
                autoComplete="current-password"
                value={current}
                error={errors.currentPassphrase}
                onInput={(_, v) => {
                  setCurrent(v);
                }}
              />
              <NewSecretFields
                formId={FORM_ID}
                name="passphrase"
                label="新しい復旧用パスフレーズ"
                value={passphrase}
                confirmation={confirmation}
                errors={errors}
                onValue={setPassphrase}
                onConfirmation={setConfirmation}
              />
            </div>
          </fieldset>
          <div class="form-actions">
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => {
                setChanging(false);
              }}
            >
              やめる
            </button>
            <button type="submit" id="change-backup-passphrase" class="button button-primary" disabled={busy}>
              パスフレーズを変更
            </button>
          </div>
        </form>
      )}
      {status !== undefined && isAdmin && !status.passphraseSet && (
        <form
          id="backup-passphrase-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const local = checkPassphrase(passphrase, confirmation);
            if (local.length > 0) {
              setError(new ApiError("validation", "入力内容を確認してください。", local));
              return;
            }
            void run(async () => {
              setStatus(await setBackupPassphrase(passphrase));
              setJustSet(passphrase);
              setPassphrase("");
              setConfirmation("");
              setMessage("復旧用パスフレーズを設定しました。復旧シートを印刷して、パソコンとは別の安全な場所に保管してください。");
            });
          }}
        >
          <p class="field-hint">
            バックアップを開くためのパスフレーズです（12文字以上）。忘れるとバックアップから復元できません。アプリには保存されず、後から表示することもできません。
          </p>
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <div class="form-grid form-grid-3">
              <NewSecretFields
                formId={FORM_ID}
                name="passphrase"
                label="復旧用パスフレーズ"
                value={passphrase}
                confirmation={confirmation}
                errors={errors}
                onValue={setPassphrase}
                onConfirmation={setConfirmation}
              />
            </div>
          </fieldset>
          <div class="form-actions">
            <button type="submit" id="set-backup-passphrase" class="button button-primary" disabled={busy}>
              パスフレーズを設定
            </button>
          </div>
        </form>
      )}
      {status !== undefined && status.passphraseSet && !changing && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {status !== undefined && isAdmin && status.passphraseSet && (
        <div class="button-row">
          {justSet !== null && (
            <button
              type="button"
              id="print-recovery-sheet"
              class="button button-primary"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await openRecoverySheet(justSet);
                })
              }
            >
              復旧シートを印刷（パスフレーズ入り）
            </button>
          )}
          <button
            type="button"
            id="print-blank-recovery-sheet"
            class="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await openRecoverySheet(null);
              })
            }
          >
            復旧シートを印刷（パスフレーズは手書き）
          </button>
          {!changing && (
            <button
              type="button"
              id="start-change-backup-passphrase"
              class="button"
              disabled={busy}
              onClick={() => {
                setMessage(null);
                setChanging(true);
              }}
            >
              パスフレーズを変更
            </button>
          )}
        </div>
      )}
      {status !== undefined && (
        <div class="form-actions">
          <button
            type="button"
            id="choose-backup-folder"
            class="button"
            disabled={busy || !isAdmin}
            onClick={() =>
              void run(async () => {
                setStatus(await chooseBackupFolder());
              })
            }
          >
            フォルダを選ぶ
          </button>
          <button
            type="button"
            id="backup-now"
            class="button button-primary"
            disabled={busy || steps.length > 0}
            title={steps.length > 0 ? `先に${steps.join("、")}必要があります` : undefined}
            onClick={() =>
              void run(async () => {
                setStatus(await backupNow());
                setMessage("バックアップしました。");
              })
            }
          >
            今すぐバックアップ
          </button>
        </div>
      )}
    </section>
  );
}
