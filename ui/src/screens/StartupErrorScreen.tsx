interface Props {
  message: string;
  code: string;
  dataDir: string | null;
}

/** Shown when the local store cannot be opened; the app must not be usable then. */
export function StartupErrorScreen({ message, code, dataDir }: Props) {
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
        <p class="startup-error-footer">問題を解決してから、アプリを起動し直してください。</p>
      </div>
    </main>
  );
}
