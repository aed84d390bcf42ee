import { BackupSettings } from "./BackupSettings";

interface Props {
  onDone: () => void;
}

/**
 * The first start's last step: the recovery passphrase and the backup folder, so a
 * dead PC never costs the clinic its records. It can wait (要確認 keeps reminding).
 */
export function FirstBackupSetup({ onDone }: Props) {
  return (
    <div class="setup-shell" id="first-backup-setup">
      <header class="app-header">
        <div class="brand">
          <span class="app-name">つなぐ</span>
        </div>
      </header>
      <main class="app-main">
        <section class="page-card">
          <h2 class="section-title">最後に、バックアップを設定してください</h2>
          <p>
            パソコンの故障や買い替えに備えて、データを毎日暗号化してUSBディスクやNASに保存します。復旧用パスフレーズを決めて、復旧シートを印刷し、保存先のフォルダを選んでください。
          </p>
        </section>
        <BackupSettings isAdmin />
        <div class="button-row">
          <button type="button" id="finish-setup" class="button button-primary" onClick={onDone}>
            つなぐを使い始める
          </button>
        </div>
        <p class="field-hint">設定は後から「医療機関情報」でもできます。設定するまで、要確認に表示されます。</p>
      </main>
    </div>
  );
}
