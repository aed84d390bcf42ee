import { useEffect, useState } from "preact/hooks";
import {
  checkConnection,
  enrollDevice,
  getSyncConflicts,
  getSyncStatus,
  toApiError,
  type EnrollInput,
  type SyncConflict,
  type SyncStatus,
} from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { formatDateTime, toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "sync-field";

const LABELS: Record<keyof EnrollInput, string> = {
  serverUrl: "サーバーのアドレス",
  code: "登録コード",
  deviceName: "この端末の名前",
};

/** 地域連携サーバー: enrollment with the desk's one-time code, and the connection check. */
export function SyncSettings() {
  const [status, setStatus] = useState<SyncStatus | null | undefined>(undefined);
  const [values, setValues] = useState<EnrollInput>({ serverUrl: "https://", code: "", deviceName: "" });
  const { busy, error, setError, run: call } = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<SyncConflict[]>([]);

  useEffect(() => {
    getSyncStatus().then(setStatus, (e: unknown) => {
      setError(toApiError(e));
    });
    getSyncConflicts().then(setConflicts, () => {
      // Shown only when there are some; the status above reports failures.
    });
  }, []);

  const run = (action: () => Promise<void>) => {
    setMessage(null);
    return call(action);
  };
  const errors = toFieldErrors(error?.fields ?? []);
  const onInput = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  const field = (name: keyof EnrollInput) => ({
    formId: FORM_ID,
    name,
    label: LABELS[name],
    value: values[name],
    error: errors[name],
    onInput,
  });

  return (
    <section class="page-card" aria-labelledby="sync-heading" id="sync-settings">
      <h2 id="sync-heading" class="section-title">
        地域連携サーバー
      </h2>
      {status === undefined && <p class="list-status">読み込み中…</p>}
      {status !== undefined && status !== null && (
        <>
          <dl class="reply-findings" id="sync-status">
            <div>
              <dt>登録先</dt>
              <dd>{status.organisationName}</dd>
            </div>
            <div>
              <dt>サーバー</dt>
              <dd>{status.serverUrl}</dd>
            </div>
            <div>
              <dt>登録日時</dt>
              <dd>{formatDateTime(status.enrolledAt)}</dd>
            </div>
          </dl>
          {error !== null && (
            <p class="alert alert-error" role="alert">
              {error.message}
            </p>
          )}
          {message !== null && <p class="alert alert-success">{message}</p>}
          <div class="form-actions">
            <button
              type="button"
              id="check-connection"
              class="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const name = await checkConnection();
                  setMessage(`接続できました（${name}として登録されています）。`);
                })
              }
            >
              接続を確認
            </button>
          </div>
          {conflicts.length > 0 && (
            <div class="sync-conflicts" id="sync-conflicts">
              <h3 class="form-subtitle">同期できなかった変更</h3>
              <p class="field-hint">
                地域連携サーバーが受け付けなかった記録です。病院・窓口が先に別の記録をしていた場合などに起こります。紹介の経過を確認し、必要なら記録し直してください。
              </p>
              <ul>
                {conflicts.map((c) => (
                  <li key={`${c.at}-${c.patientId}-${c.what}`}>
                    {formatDateTime(c.at)} ・ {c.patientName} ・ {c.what}：{c.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      {status === null && (
        <form
          id="enroll-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              setStatus(await enrollDevice(values));
              setMessage("地域連携サーバーに登録しました。");
            });
          }}
        >
          <p class="field-hint">
            在宅医療相談窓口から受け取ったサーバーのアドレスと登録コードを入力してください。登録コードは1回だけ使えます。
          </p>
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <div class="form-grid form-grid-3">
              <TextField {...field("serverUrl")} className="span-3" placeholder="https://renkei.example.jp" />
              <TextField {...field("code")} placeholder="例: 7K2M-XR4P-9QTB-H3NA" />
              <TextField {...field("deviceName")} placeholder="例: 診察室PC" />
            </div>
          </fieldset>
          <div class="form-actions">
            <button type="submit" id="enroll" class="button button-primary" disabled={busy}>
              登録する
            </button>
          </div>
        </form>
      )}
      {status === undefined && error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
