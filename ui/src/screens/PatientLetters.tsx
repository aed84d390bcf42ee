import { useEffect, useState } from "preact/hooks";
import {
  correctLetter,
  discardLetterDraft,
  openLetterPdf,
  patientLetters,
  saveLetterPdf,
  saveLetterWithFhir,
  startLetter,
  toApiError,
  type IssuedLetter,
  type LetterDraft,
  type LetterKind,
  type PatientLetters as Letters,
} from "../api";
import { savedWithFhirText } from "../lib/fhir";
import { formatDateTime } from "../lib/format";
import { LETTER_TITLES, joinNonEmpty, versionBadge } from "../lib/letters";

interface Props {
  patientId: string;
  /** The letter just issued, to point it out. */
  highlight: string | null;
  /** Bumped when a referral event is recorded: the letters' statuses follow. */
  referralChanges: number;
  onOpenDraft: (draftId: string) => void;
}

type Load = { kind: "loading" } | { kind: "loaded"; letters: Letters } | { kind: "error"; message: string };

/** The patient's letters: drafts to finish, issued letters to save, print or correct. */
export function PatientLettersPanel({ patientId, highlight, referralChanges, onOpenDraft }: Props) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = () =>
    patientLetters(patientId).then(
      (letters) => {
        setLoad({ kind: "loaded", letters });
      },
      (e: unknown) => {
        setLoad({ kind: "error", message: toApiError(e).message });
      },
    );

  // A recorded event changes the referral status shown beside its letter.
  useEffect(() => {
    void reload();
  }, [patientId, referralChanges]);

  const run = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await action();
      if (text !== null) setMessage({ kind: "ok", text });
    } catch (e) {
      setMessage({ kind: "error", text: toApiError(e).message });
    } finally {
      setBusy(false);
    }
  };

  const create = (kind: LetterKind) =>
    run(async () => {
      onOpenDraft((await startLetter(patientId, kind)).id);
      return null;
    });

  const save = (letter: IssuedLetter) =>
    run(async () => {
      const saved = await saveLetterPdf(letter.id);
      return saved.path === null ? null : `PDFを保存しました：${saved.path}`;
    });

  // The PDF where the user picks and its JP-CLINS FHIR document beside it.
  const saveWithFhir = (letter: IssuedLetter) =>
    run(async () => savedWithFhirText(await saveLetterWithFhir(letter.id)));

  const open = (letter: IssuedLetter) =>
    run(async () => {
      await openLetterPdf(letter.id);
      return "PDFビューアで開きました。ビューアから印刷してください。";
    });

  const correct = (letter: IssuedLetter) =>
    run(async () => {
      onOpenDraft((await correctLetter(letter.id)).id);
      return null;
    });

  const discard = (draft: LetterDraft) =>
    run(async () => {
      await discardLetterDraft(draft.id);
      await reload();
      return "下書きを削除しました。";
    });

  return (
    <section class="page-card letters" aria-labelledby="letters-heading">
      <div class="page-header">
        <h2 id="letters-heading" class="section-title">
          紹介状・退院時サマリー
        </h2>
        <div class="header-buttons">
          <button
            type="button"
            id="new-referral"
            class="button button-primary"
            disabled={busy}
            onClick={() => void create("referral")}
          >
            診療情報提供書を作成
          </button>
          <button
            type="button"
            id="new-discharge"
            class="button"
            disabled={busy}
            onClick={() => void create("discharge")}
          >
            退院時サマリーを作成
          </button>
        </div>
      </div>
      {message !== null && (
        <p
          class={`alert ${message.kind === "ok" ? "alert-success" : "alert-error"}`}
          role={message.kind === "ok" ? "status" : "alert"}
          id="letters-message"
        >
          {message.text}
        </p>
      )}
      {load.kind === "loading" && <p class="list-status">読み込み中…</p>}
      {load.kind === "error" && (
        <p class="alert alert-error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === "loaded" && (
        <>
          {load.letters.drafts.length > 0 && (
            <ul class="letter-list" aria-label="下書き">
              {load.letters.drafts.map((d) => (
                <li key={d.id} class="letter-row is-draft" data-testid="letter-draft">
                  <span class="badge">下書き</span>
                  <span class="letter-title">
                    {LETTER_TITLES[d.kind]}
                    {d.supersedes !== null && "（訂正）"}
                  </span>
                  <span class="letter-to">{d.content.toInstitution === "" ? "宛先未入力" : d.content.toInstitution}</span>
                  <span class="letter-meta">更新 {formatDateTime(d.updatedAt)}</span>
                  <span class="letter-actions">
                    <button
                      type="button"
                      class="button"
                      disabled={busy}
                      onClick={() => {
                        onOpenDraft(d.id);
                      }}
                    >
                      続きを書く
                    </button>
                    <button
                      type="button"
                      class="button button-danger-outline"
                      disabled={busy}
                      onClick={() => void discard(d)}
                    >
                      削除
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {load.letters.letters.length === 0 && load.letters.drafts.length === 0 && (
            <p class="list-empty">発行した文書はまだありません。</p>
          )}
          {load.letters.letters.length > 0 && (
            <ul class="letter-list" aria-label="発行済みの文書">
              {load.letters.letters.map((l) => (
                <li
                  key={l.id}
                  class={`letter-row${l.id === highlight ? " is-new" : ""}${l.supersededBy === null ? "" : " is-superseded"}`}
                  data-testid="issued-letter"
                  data-letter-id={l.id}
                >
                  <span class="badge badge-issued">{versionBadge(l.version)}</span>
                  <span class="letter-title">{LETTER_TITLES[l.kind]}</span>
                  <span class="letter-to">
                    {joinNonEmpty([l.to.institution, l.to.department])}
                  </span>
                  <span class="letter-meta">
                    {l.issuedOn}
                    {l.referralStatus !== null && <span class="status">{l.referralStatus}</span>}
                    {l.trackingCode !== null && <code class="tracking-code">{l.trackingCode}</code>}
                    {l.supersededBy !== null && <span class="status status-muted">訂正済み</span>}
                  </span>
                  <span class="letter-actions">
                    <button type="button" class="button open-pdf" disabled={busy} onClick={() => void open(l)}>
                      開いて印刷
                    </button>
                    <button type="button" class="button save-pdf" disabled={busy} onClick={() => void save(l)}>
                      PDFを保存
                    </button>
                    <button
                      type="button"
                      class="button save-pdf-fhir"
                      disabled={busy}
                      title="PDFと、同じ名前のFHIR（JP-CLINS）ファイル（.json）を並べて保存します"
                      onClick={() => void saveWithFhir(l)}
                    >
                      PDF＋FHIRを保存
                    </button>
                    {l.supersededBy === null && (
                      <button type="button" class="button correct-letter" disabled={busy} onClick={() => void correct(l)}>
                        訂正
                      </button>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
