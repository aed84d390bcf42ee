import { useState } from "preact/hooks";
import {
  ApiError,
  changePassword,
  createFirstAccount,
  signIn,
  signOut,
  unlock,
  type Session,
} from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { NewSecretFields } from "../components/NewSecretFields";
import { RoleSelect } from "../components/RoleSelect";
import { toFieldErrors } from "../lib/format";
import { checkConfirmation } from "../lib/session";
import { useAction } from "../lib/useAction";

interface Props {
  onSession: (session: Session) => void;
}

const LABELS: Record<string, string> = {
  login: "ログイン名",
  displayName: "氏名",
  role: "職種",
  password: "パスワード",
  confirmation: "確認のためもう一度",
  secret: "PINまたはパスワード",
  oldPassword: "今のパスワード",
  newPassword: "新しいパスワード",
};

function Card({ id, title, children }: { id: string; title: string; children: preact.ComponentChildren }) {
  return (
    <main class="start-screen" id={id}>
      <div class="start-card session-card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The first start: the clinic's administrator account (usually the physician). */
export function FirstAccountForm({ onSession }: Props) {
  const [input, setInput] = useState({ login: "", displayName: "", role: "doctor", password: "" });
  const [confirmation, setConfirmation] = useState("");
  const { busy, error, setError, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const set = (name: string, value: string) => {
    setInput((old) => ({ ...old, [name]: value }));
  };
  return (
    <Card id="first-account" title="管理者アカウントの作成">
      <p>
        このパソコンでつなぐを使う人は、それぞれのアカウントでサインインします。最初に、アカウントを管理する人（通常は院長）のアカウントを作ってください。
      </p>
      <form
        id="first-account-form"
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const mismatch = checkConfirmation(input.password, confirmation);
          if (mismatch.length > 0) {
            setError(new ApiError("validation", "入力内容を確認してください。", mismatch));
            return;
          }
          void run(async () => {
            onSession(await createFirstAccount({ ...input, isAdmin: true }));
          });
        }}
      >
        <FormAlert error={error} formId="first-account" labels={LABELS} />
        <fieldset class="plain-fieldset" disabled={busy}>
          <div class="form-grid">
            <TextField formId="first-account" name="displayName" label="氏名" value={input.displayName} error={errors.displayName} onInput={set} />
            <TextField formId="first-account" name="login" label="ログイン名（半角英数字）" autoComplete="username" value={input.login} error={errors.login} onInput={set} />
            <RoleSelect
              value={input.role}
              onChange={(role) => {
                set("role", role);
              }}
            />
            <NewSecretFields
              formId="first-account"
              name="password"
              label="パスワード（10文字以上）"
              value={input.password}
              confirmation={confirmation}
              errors={errors}
              onValue={(v) => {
                set("password", v);
              }}
              onConfirmation={setConfirmation}
            />
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" id="create-first-account" class="button button-primary" disabled={busy}>
            アカウントを作成
          </button>
        </div>
      </form>
    </Card>
  );
}

export function SignInForm({ onSession }: Props) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  return (
    <Card id="sign-in" title="サインイン">
      <form
        id="sign-in-form"
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const session = await signIn(login, password);
            setPassword("");
            onSession(session);
          });
        }}
      >
        <FormAlert error={error} formId="sign-in" labels={LABELS} />
        <fieldset class="plain-fieldset" disabled={busy}>
          <TextField formId="sign-in" name="login" label="ログイン名" autoComplete="username" autoFocus value={login} onInput={(_, v) => { setLogin(v); }} />
          <TextField formId="sign-in" name="password" label="パスワード" type="password" autoComplete="current-password" value={password} error={errors.password} onInput={(_, v) => { setPassword(v); }} />
        </fieldset>
        <p class="field-hint">パスワードを忘れたときは、管理者に仮のパスワードを設定してもらってください。</p>
        <div class="form-actions">
          <button type="submit" id="sign-in-submit" class="button button-primary" disabled={busy}>
            サインイン
          </button>
        </div>
      </form>
    </Card>
  );
}

/** The lock screen: nothing of the app shows until the same account unlocks. */
export function LockScreen({ session, onSession }: Props & { session: Session }) {
  const [secret, setSecret] = useState("");
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const name = session.account?.displayName ?? "";
  return (
    <Card id="lock-screen" title="画面をロックしています">
      <p>
        {name} さんがサインインしています。続けるには{session.pinUnlocks ? "PINまたはパスワード" : "パスワード"}
        を入力してください。同期とバックアップはロック中も続きます。
      </p>
      <form
        id="unlock-form"
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const next = await unlock(secret);
            setSecret("");
            onSession(next);
          });
        }}
      >
        <FormAlert error={error} formId="unlock" labels={LABELS} />
        <fieldset class="plain-fieldset" disabled={busy}>
          <TextField
            formId="unlock"
            name="secret"
            label={session.pinUnlocks ? "PINまたはパスワード" : "パスワード"}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={secret}
            error={errors.secret}
            onInput={(_, v) => {
              setSecret(v);
            }}
          />
        </fieldset>
        <div class="form-actions">
          <button
            type="button"
            id="switch-account"
            class="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                onSession(await signOut());
              })
            }
          >
            別のアカウントでサインイン
          </button>
          <button type="submit" id="unlock-submit" class="button button-primary" disabled={busy}>
            ロックを解除
          </button>
        </div>
      </form>
    </Card>
  );
}

/** After the administrator's reset: the account's own password before anything else. */
export function ChangePasswordForm({ onSession, title }: Props & { title?: string }) {
  const [old, setOld] = useState("");
  const [next, setNext] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const { busy, error, setError, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  return (
    <form
      id="change-password-form"
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const mismatch = checkConfirmation(next, confirmation);
        if (mismatch.length > 0) {
          setError(new ApiError("validation", "入力内容を確認してください。", mismatch));
          return;
        }
        void run(async () => {
          const session = await changePassword(old, next);
          setOld("");
          setNext("");
          setConfirmation("");
          onSession(session);
        });
      }}
    >
      {title !== undefined && <h3 class="subsection-title">{title}</h3>}
      <FormAlert error={error} formId="change-password" labels={LABELS} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <TextField formId="change-password" name="oldPassword" label="今のパスワード" type="password" autoComplete="current-password" value={old} error={errors.oldPassword} onInput={(_, v) => { setOld(v); }} />
          <NewSecretFields
            formId="change-password"
            name="newPassword"
            label="新しいパスワード（10文字以上）"
            value={next}
            confirmation={confirmation}
            errors={errors}
            onValue={setNext}
            onConfirmation={setConfirmation}
          />
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" id="change-password-submit" class="button button-primary" disabled={busy}>
          パスワードを変更
        </button>
      </div>
    </form>
  );
}

export function MustChangePassword({ onSession }: Props) {
  return (
    <Card id="must-change-password" title="パスワードの変更">
      <p>管理者が設定した仮のパスワードでサインインしました。自分だけが知っている新しいパスワードに変更してください。</p>
      <ChangePasswordForm onSession={onSession} />
    </Card>
  );
}
