import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { BoardFilter, ClinicProfile, Patient } from "../api";
import { Notice } from "../components/Notice";
import { LETTER_TITLES } from "../lib/letters";
import { ClinicForm } from "./ClinicForm";
import { DirectoryWithIntake, IntakeRequests } from "./IntakeRequests";
import { LetterForm } from "./LetterForm";
import { PatientFormScreen, type PatientFormTarget } from "./PatientForm";
import { PatientList } from "./PatientList";
import { LoopFigures } from "./LoopFigures";
import { SharingFeeReport } from "./SharingFeeReport";
import { DEFAULT_BOARD_FILTER, ReferralBoard } from "./ReferralBoard";
import { SyncIndicator } from "../components/SyncIndicator";
import { TeamBadgeIndicator } from "../components/TeamBadge";
import { lockNow, signOut } from "../api";
import { AccountSettings } from "./AccountSettings";
import { BackupSettings } from "./BackupSettings";
import type { SessionControls } from "./SessionGate";
import { SyncSettings } from "./SyncSettings";
import { Worklist } from "./Worklist";

type View =
  | { kind: "list" }
  | { kind: "board" }
  | { kind: "figures" }
  | { kind: "sharingFee" }
  | { kind: "directory" }
  | { kind: "intake" }
  | { kind: "clinic" }
  | {
      kind: "patient";
      target: PatientFormTarget;
      highlightLetter: string | null;
      /** From an accepted 受入相談: the team's invitation opens with this organisation. */
      invite?: string;
    }
  | { kind: "letter"; draftId: string; patient: Patient };

interface Props {
  clinic: ClinicProfile;
  session: SessionControls;
  onClinicSaved: (clinic: ClinicProfile) => void;
}

export function MainScreen({ clinic, session, onClinicSaved }: Props) {
  const [view, setView] = useState<View>({ kind: "list" });
  // Search state lives here, not in the list, so coming back from a patient keeps
  // the query while the list itself remounts and searches afresh.
  const [query, setQuery] = useState("");
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [boardFilter, setBoardFilter] = useState<BoardFilter>(DEFAULT_BOARD_FILTER);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped by 今すぐ同期: the read-only views load again (forms keep what is typed).
  const [syncs, setSyncs] = useState(0);
  // Unlocking loads the read-only views again too: what they asked while the
  // app was locked was refused, and they would go on showing that refusal.
  const locked = session.session.locked;
  const wasLocked = useRef(locked);
  const [unlocks, setUnlocks] = useState(0);
  useEffect(() => {
    if (wasLocked.current && !locked) setUnlocks((n) => n + 1);
    wasLocked.current = locked;
  }, [locked]);
  const dismissNotice = useCallback(() => {
    setNotice(null);
  }, []);

  const backToList = (message: string | null) => {
    setNotice(message);
    setView({ kind: "list" });
  };

  const openPatient = (target: PatientFormTarget, highlightLetter: string | null = null) => {
    setNotice(null);
    setView({ kind: "patient", target, highlightLetter });
  };

  return (
    <div class="app-shell">
      <header class="app-header">
        <div class="brand">
          <span class="app-name">つなぐ</span>
          <span class="clinic-name" id="clinic-name">
            {clinic.name}
          </span>
        </div>
        <SyncIndicator
          onSynced={() => {
            setSyncs((n) => n + 1);
          }}
        />
        <TeamBadgeIndicator refreshKey={syncs + unlocks} />
        <nav class="header-actions" aria-label="メニュー">
          {view.kind !== "list" && (
            <button
              type="button"
              id="back-to-list"
              class="button button-ghost"
              onClick={() => {
                backToList(null);
              }}
            >
              患者一覧
            </button>
          )}
          <button
            type="button"
            id="referral-board-nav"
            class="button button-ghost"
            aria-pressed={view.kind === "board"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "board" });
            }}
          >
            紹介患者
          </button>
          <button
            type="button"
            id="directory-nav"
            class="button button-ghost"
            aria-pressed={view.kind === "directory"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "directory" });
            }}
          >
            地域の機関をさがす
          </button>
          <button
            type="button"
            id="intake-nav"
            class="button button-ghost"
            aria-pressed={view.kind === "intake"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "intake" });
            }}
          >
            受入相談
          </button>
          <button
            type="button"
            id="figures-nav"
            class="button button-ghost"
            aria-pressed={view.kind === "figures"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "figures" });
            }}
          >
            連携の実績
          </button>
          <button
            type="button"
            id="sharing-fee-nav"
            class="button button-ghost"
            aria-pressed={view.kind === "sharingFee"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "sharingFee" });
            }}
          >
            連携加算
          </button>
          <button
            type="button"
            id="clinic-settings"
            class="button button-ghost"
            aria-pressed={view.kind === "clinic"}
            onClick={() => {
              setNotice(null);
              setView({ kind: "clinic" });
            }}
          >
            医療機関情報
          </button>
          <span class="signed-in" id="signed-in-name" title={session.account.roleLabel}>
            {session.account.displayName}
          </span>
          <button
            type="button"
            id="lock-now"
            class="button button-ghost"
            onClick={() => {
              lockNow().then(session.onSession, () => undefined);
            }}
          >
            ロック
          </button>
          <button
            type="button"
            id="sign-out"
            class="button button-ghost"
            onClick={() => {
              signOut().then(session.onSession, () => undefined);
            }}
          >
            サインアウト
          </button>
        </nav>
      </header>
      <main class="app-main">
        <Notice message={notice} onDismiss={dismissNotice} />
        {view.kind === "list" && (
          <Worklist
            key={`worklist-${syncs}-${unlocks}`}
            onOpenIntakes={() => {
              setNotice(null);
              setView({ kind: "intake" });
            }}
            onOpenPatient={(id) => {
              openPatient({ kind: "edit", id });
            }}
          />
        )}
        {view.kind === "list" && (
          <PatientList
            query={query}
            includeDeleted={includeDeleted}
            onQueryChange={setQuery}
            onIncludeDeletedChange={setIncludeDeleted}
            onOpen={(id) => {
              openPatient({ kind: "edit", id });
            }}
            onNew={() => {
              openPatient({ kind: "new" });
            }}
          />
        )}
        {view.kind === "board" && (
          <ReferralBoard
            key={`board-${syncs}-${unlocks}`}
            filter={boardFilter}
            onFilterChange={setBoardFilter}
            onOpenPatient={(id) => {
              openPatient({ kind: "edit", id });
            }}
          />
        )}
        {view.kind === "figures" && <LoopFigures />}
        {view.kind === "sharingFee" && (
          <SharingFeeReport
            key={`fee-${syncs}-${unlocks}`}
            onOpenPatient={(id) => {
              openPatient({ kind: "edit", id });
            }}
          />
        )}
        {view.kind === "directory" && <DirectoryWithIntake key={`directory-${syncs}-${unlocks}`} />}
        {view.kind === "intake" && (
          <IntakeRequests
            key={`intake-${syncs}-${unlocks}`}
            onInvite={(r) => {
              if (r.patientId === null) return;
              setNotice(null);
              setView({ kind: "patient", target: { kind: "edit", id: r.patientId }, highlightLetter: null, invite: r.toOrg });
            }}
          />
        )}
        {view.kind === "clinic" && (
          <ClinicForm
            mode="edit"
            initial={clinic}
            onSaved={(saved) => {
              onClinicSaved(saved);
              backToList("医療機関情報を保存しました。");
            }}
            onCancel={() => {
              backToList(null);
            }}
          />
        )}
        {view.kind === "clinic" && <SyncSettings />}
        {view.kind === "clinic" && <BackupSettings key={`backup-${unlocks}`} isAdmin={session.account.isAdmin} />}
        {view.kind === "clinic" && <AccountSettings key={`accounts-${unlocks}`} session={session} />}
        {view.kind === "patient" && (
          <PatientFormScreen
            key={view.target.kind === "edit" ? view.target.id : "new"}
            target={view.target}
            highlightLetter={view.highlightLetter}
            inviteOrganisation={view.invite}
            syncs={syncs + unlocks}
            onOpenDraft={(draftId, patient) => {
              setNotice(null);
              setView({ kind: "letter", draftId, patient });
            }}
            onSaved={(p: Patient, action) => {
              backToList(action === "created" ? `${p.name} さんを登録しました。` : `${p.name} さんの情報を保存しました。`);
            }}
            onDeleted={(p: Patient) => {
              backToList(`${p.name} さんを削除しました。`);
            }}
            onClose={() => {
              backToList(null);
            }}
          />
        )}
        {view.kind === "letter" && (
          <LetterForm
            key={view.draftId}
            draftId={view.draftId}
            patientName={view.patient.name}
            patientAddress={view.patient.address}
            onIssued={(letter) => {
              openPatient({ kind: "edit", id: view.patient.id }, letter.id);
              setNotice(
                letter.trackingCode === null
                  ? `${LETTER_TITLES[letter.kind]}を発行しました。`
                  : `${LETTER_TITLES[letter.kind]}を発行しました（追跡コード ${letter.trackingCode}）。「開いて印刷」から印刷できます。`,
              );
            }}
            onClose={() => {
              openPatient({ kind: "edit", id: view.patient.id });
              setNotice("下書きを保存しました。");
            }}
          />
        )}
      </main>
    </div>
  );
}
