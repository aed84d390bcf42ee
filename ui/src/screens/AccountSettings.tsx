import { useEffect, useState } from "preact/hooks";
import {
  addAccount,
  listAccounts,
  resetPassword,
  setAccountDisabled,
  setLockMinutes,
  setPin,
  toApiError,
  type Account,
  type AccountInput,
} from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { RoleSelect } from "../components/RoleSelect";
import { toFieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";
import { ChangePasswordForm } from "./SessionForms";
import type { SessionControls } from "./SessionGate";

const LABELS: Record<string, string> = {
  login: "ログイン名",
  displayName: "氏名",
  role: "職種",
  password: "仮のパスワード",
  pin: "PIN",
  lockMinutes: "自動ロックまでの時間",
};

const EMPTY: AccountInput = { login: "", displayName: "", role: "nurse", isAdmin: false, password: "" };

/** アカウント: one's own password and PIN; for the administrator, the clinic's accounts and the lock time. */
export function AccountSettings({ session }: { session: SessionControls }) {
  const { account } = session;
  return (
    <section class="page-card" aria-labelledby="accounts-heading" id="account-settings">
      <h2 id="accounts-heading" class="section-title">
        アカウント
      </h2>
      <p id="signed-in-as">
        {account.displayName}（{account.roleLabel}
        {account.isAdmin ? "・管理者" : ""}）でサインインしています。
      </p>
      <OwnPin session={session} />
      <ChangePasswordForm title="パスワードの変更" onSession={session.onSession} />
      {account.isAdmin && <ClinicAccounts session={session} />}
    </section>
  );
}

function OwnPin({ session }: { session: SessionControls }) {
  const [pin, setPinText] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  return (
    <form
      id="pin-form"
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          session.onSession(await setPin(pin));
          setPinText("");
          setMessage("PINを設定しました。ロックの解除に使えます。");
        });
      }}
    >
      <h3 class="subsection-title">ロック解除用のPIN</h3>
      <p class="field-hint">
        半角数字4〜8桁。ロックの解除だけに使えます（サインインにはパスワードが必要です）。現在:{" "}
        {session.account.hasPin ? "設定済み" : "未設定"}
      </p>
      {message !== null && <p class="alert alert-success">{message}</p>}
      <FormAlert error={error} formId="pin" labels={LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <TextField formId="pin" name="pin" label="PIN" type="password" inputMode="numeric" autoComplete="off" value={pin} error={errors.pin} onInput={(_, v) => { setPinText(v); }} />
      </fieldset>
      <div class="form-actions">
        {session.account.hasPin && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                session.onSession(await setPin(null));
                setMessage("PINを削除しました。");
              })
            }
          >
            PINを削除
          </button>
        )}
        <button type="submit" id="set-pin" class="button button-primary" disabled={busy}>
          PINを設定
        </button>
      </div>
    </form>
  );
}

function ClinicAccounts({ session }: { session: SessionControls }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [input, setInput] = useState<AccountInput>(EMPTY);
  const [minutes, setMinutes] = useState(String(session.session.lockMinutes));
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);

  useEffect(() => {
    listAccounts().then(setAccounts, (e: unknown) => {
      setError(toApiError(e));
    });
  }, []);

  const act = (action: () => Promise<void>) => {
    setMessage(null);
    void run(action);
  };
  const set = (name: string, value: string) => {
    setInput((old) => ({ ...old, [name]: value }));
  };

  return (
    <div id="clinic-accounts">
      <h3 class="subsection-title">診療所のアカウント（管理者）</h3>
      {message !== null && <p class="alert alert-success">{message}</p>}
      <FormAlert error={error} formId="account" labels={LABELS} />
      {accounts !== null && (
        <table class="patient-table" id="accounts-table">
          <thead>
            <tr>
              <th>氏名</th>
              <th>ログイン名</th>
              <th>職種</th>
              <th>状態</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid="account-row">
                <td>{a.displayName}</td>
                <td>{a.login}</td>
                <td>
                  {a.roleLabel}
                  {a.isAdmin ? "・管理者" : ""}
                </td>
                <td>{a.disabled ? "無効" : a.mustChangePassword ? "仮パスワード" : "有効"}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="button button-small"
                    disabled={busy}
                    onClick={() => {
                      const temporary = window.prompt(`${a.displayName} さんの仮のパスワード（10文字以上）`);
                      if (temporary === null) return;
                      act(async () => {
                        setAccounts(await resetPassword(a.id, temporary));
                        setMessage(`${a.displayName} さんの仮のパスワードを設定しました。次のサインインで変更してもらいます。`);
                      });
                    }}
                  >
                    パスワードを再設定
                  </button>
                  <button
                    type="button"
                    class="button button-small"
                    disabled={busy}
                    onClick={() => {
                      act(async () => {
                        setAccounts(await setAccountDisabled(a.id, !a.disabled));
                      });
                    }}
                  >
                    {a.disabled ? "有効にする" : "無効にする"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        id="add-account-form"
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          act(async () => {
            setAccounts(await addAccount(input));
            setMessage(`${input.displayName} さんのアカウントを作りました。仮のパスワードを本人に伝えてください。`);
            setInput(EMPTY);
          });
        }}
      >
        <h4>アカウントを追加</h4>
        <fieldset class="plain-fieldset" disabled={busy}>
          <div class="form-grid form-grid-3">
            <TextField formId="account" name="displayName" label="氏名" value={input.displayName} error={errors.displayName} onInput={set} />
            <TextField formId="account" name="login" label="ログイン名" value={input.login} error={errors.login} onInput={set} />
            <RoleSelect
              value={input.role}
              onChange={(role) => {
                set("role", role);
              }}
            />
            <TextField formId="account" name="password" label="仮のパスワード（10文字以上）" type="password" autoComplete="new-password" value={input.password} error={errors.password} onInput={set} />
            <label class="checkbox">
              <input
                type="checkbox"
                name="isAdmin"
                checked={input.isAdmin}
                onChange={(e) => {
                  setInput((old) => ({ ...old, isAdmin: e.currentTarget.checked }));
                }}
              />
              管理者にする
            </label>
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" id="add-account" class="button button-primary" disabled={busy}>
            アカウントを追加
          </button>
        </div>
      </form>
      <form
        id="lock-minutes-form"
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          act(async () => {
            session.onSession(await setLockMinutes(Number.parseInt(minutes, 10) || 0));
            setMessage("自動ロックまでの時間を変更しました。");
          });
        }}
      >
        <h4>自動ロック</h4>
        <fieldset class="plain-fieldset" disabled={busy}>
          <TextField formId="account" name="lockMinutes" label="操作がないときにロックするまで（分・1〜120）" inputMode="numeric" value={minutes} error={errors.lockMinutes} onInput={(_, v) => { setMinutes(v); }} />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            保存
          </button>
        </div>
      </form>
    </div>
  );
}
