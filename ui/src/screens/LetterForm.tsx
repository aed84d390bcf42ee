import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  ApiError,
  getLetterDraft,
  importLabCsv,
  issueLetter,
  letterDestinations,
  saveLetterDraft,
  setFavouriteDestination,
  toApiError,
  type Destination,
  type Destinations,
  type IssuedLetter,
  type LetterDraft,
  type LetterDraftContent,
  type LetterKind,
  type LabRowDraft,
} from "../api";
import { TextAreaField, TextField, fieldId } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { DirectorySearch } from "./DirectorySearch";
import { toFieldErrors } from "../lib/format";
import {
  LAB_COLUMNS,
  LAB_RESULTS_KEY,
  MAX_LAB_ROWS,
  filledCount,
  labMessages,
  withCell,
  withRowAdded,
  withRowRemoved,
} from "../lib/labResults";
import {
  LETTER_TITLES,
  joinNonEmpty,
  sameDestination,
  saveText,
  uniqueDestinations,
  type SaveState,
} from "../lib/letters";

const FORM_ID = "letter-field";
/** Saved this long after the last keystroke; closing the form saves at once. */
const AUTOSAVE_MS = 500;

type Key = keyof LetterDraftContent;
/** The draft's text fields (all but the 検査結果 rows). */
type TextKey = Exclude<Key, "labResults">;

const LABELS: Record<Key, string> = {
  toInstitution: "紹介先医療機関名",
  toDepartment: "診療科",
  toDoctor: "医師名（空欄なら「担当医」）",
  toHonorific: "脇付",
  purpose: "紹介目的",
  diagnoses: "傷病名（1行に1つ）",
  history: "既往歴及び家族歴",
  course: "症状経過及び検査結果",
  treatment: "治療経過",
  prescriptions: "現在の処方（1行に1剤）",
  remarks: "備考",
  enclosures: "添付資料（1行に1つ）",
  admittedOn: "入院日",
  dischargedOn: "退院日",
  reason: "入院理由",
  admissionDiagnoses: "入院時診断（1行に1つ）",
  chiefComplaint: "主訴",
  presentIllness: "現病歴",
  hospitalCourse: "入院中経過",
  dischargeDiagnoses: "退院時診断（1行に1つ）",
  dischargePrescriptions: "退院時処方（1行に1剤）",
  plan: "退院後の方針（フォローアップ、介護の必要性、手配済みのサービス）",
  contact: "連絡先",
  labResults: "検査結果",
};

/** The field the 検査結果 table sits under: it prints inside that section. */
const LAB_SECTION: Record<LetterKind, TextKey> = {
  referral: "course",
  discharge: "hospitalCourse",
};

const BODY_FIELDS: Record<LetterKind, readonly { key: TextKey; rows: number; required?: boolean }[]> = {
  referral: [
    { key: "purpose", rows: 2, required: true },
    { key: "diagnoses", rows: 3, required: true },
    { key: "history", rows: 3 },
    { key: "course", rows: 6 },
    { key: "treatment", rows: 4 },
    { key: "prescriptions", rows: 4 },
    { key: "remarks", rows: 2 },
    { key: "enclosures", rows: 2 },
  ],
  discharge: [
    { key: "reason", rows: 1 },
    { key: "admissionDiagnoses", rows: 2 },
    { key: "chiefComplaint", rows: 1 },
    { key: "presentIllness", rows: 3 },
    { key: "hospitalCourse", rows: 6 },
    { key: "dischargeDiagnoses", rows: 3, required: true },
    { key: "dischargePrescriptions", rows: 4 },
    { key: "plan", rows: 4, required: true },
    { key: "contact", rows: 1 },
  ],
};

interface Props {
  draftId: string;
  patientName: string;
  /** The patient's address: 地域の機関からさがす suggests its area. */
  patientAddress?: string | undefined;
  onIssued: (letter: IssuedLetter) => void;
  onClose: () => void;
}

export function LetterForm({ draftId, patientName, patientAddress, onIssued, onClose }: Props) {
  const [draft, setDraft] = useState<LetterDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    getLetterDraft(draftId).then(
      (d) => {
        if (!stale) setDraft(d);
      },
      (e: unknown) => {
        if (!stale) setLoadError(toApiError(e).message);
      },
    );
    return () => {
      stale = true;
    };
  }, [draftId]);

  if (loadError !== null) {
    return (
      <section class="page">
        <div class="page-card">
          <p class="alert alert-error" role="alert">
            {loadError}
          </p>
          <button type="button" class="button" onClick={onClose}>
            戻る
          </button>
        </div>
      </section>
    );
  }
  if (draft === null) {
    return <p class="list-status">読み込み中…</p>;
  }
  return (
    <LetterEditor
      draft={draft}
      patientName={patientName}
      patientAddress={patientAddress}
      onIssued={onIssued}
      onClose={onClose}
    />
  );
}

function LetterEditor({
  draft,
  patientName,
  patientAddress,
  onIssued,
  onClose,
}: Omit<Props, "draftId"> & { draft: LetterDraft }) {
  const [values, setValues] = useState<LetterDraftContent>(draft.content);
  const [save, setSave] = useState<SaveState>({ kind: "saved", at: draft.updatedAt });
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [destinations, setDestinations] = useState<Destinations>({ recent: [], favourites: [], registered: [] });
  const [searchingDirectory, setSearchingDirectory] = useState(false);
  const fieldErrors = toFieldErrors(error?.fields ?? []);

  // The latest values and whether they still need saving, for the timer and for closing.
  const latest = useRef(values);
  const dirty = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  // Saves run one after another so an older save never lands after a newer one.
  const queue = useRef<Promise<void>>(Promise.resolve());

  const flush = useCallback((): Promise<void> => {
    window.clearTimeout(timer.current);
    if (!dirty.current) {
      return queue.current;
    }
    dirty.current = false;
    const content = latest.current;
    setSave({ kind: "saving" });
    queue.current = queue.current.then(() =>
      saveLetterDraft(draft.id, content).then(
        (saved) => {
          if (!dirty.current) setSave({ kind: "saved", at: saved.updatedAt });
        },
        (e: unknown) => {
          // Keep the text on screen and try again on the next keystroke or on close.
          dirty.current = true;
          setSave({ kind: "failed", message: toApiError(e).message });
        },
      ),
    );
    return queue.current;
  }, [draft.id]);

  useEffect(() => {
    letterDestinations().then(setDestinations, () => {
      // Suggestions are a convenience; the form works without them.
    });
    return () => {
      void flush();
    };
  }, [flush]);

  const change = (edit: (v: LetterDraftContent) => LetterDraftContent) => {
    setValues((v) => {
      const next = edit(v);
      latest.current = next;
      return next;
    });
    dirty.current = true;
    setSave({ kind: "pending" });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), AUTOSAVE_MS);
  };

  const onInput = (name: string, value: string) => {
    change((v) => ({ ...v, [name]: value }));
  };

  const setLabRows = (edit: (rows: readonly LabRowDraft[]) => LabRowDraft[]) => {
    change((v) => ({ ...v, labResults: edit(v.labResults) }));
  };

  // The file is chosen and read in Rust; the draft comes back with the rows added,
  // or unchanged with each bad line named.
  const importCsv = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush();
      const updated = await importLabCsv(draft.id);
      if (updated !== null) {
        latest.current = updated.content;
        setValues(updated.content);
        setSave({ kind: "saved", at: updated.updatedAt });
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const chooseDestination = (d: Destination) => {
    onInput("toInstitution", d.institution);
    onInput("toDepartment", d.department);
    onInput("toDoctor", d.doctor);
  };

  const current: Destination = {
    institution: values.toInstitution.trim(),
    department: values.toDepartment.trim(),
    doctor: values.toDoctor.trim(),
  };
  const isFavourite = destinations.favourites.some((f) => sameDestination(f, current));

  const toggleFavourite = async () => {
    try {
      setDestinations(await setFavouriteDestination(current, !isFavourite));
    } catch (e) {
      setError(toApiError(e));
    }
  };

  const issue = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush();
      onIssued(await issueLetter(draft.id));
    } catch (e) {
      setConfirming(false);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const close = async () => {
    await flush();
    onClose();
  };

  const text = (key: TextKey) => ({
    formId: FORM_ID,
    name: key,
    label: LABELS[key],
    value: values[key],
    error: fieldErrors[key],
    onInput,
  });

  const suggestions = uniqueDestinations([...destinations.favourites, ...destinations.recent]);
  const title = LETTER_TITLES[draft.kind];

  return (
    <section class="page" aria-labelledby="letter-heading">
      <div class="page-card">
        <div class="page-header">
          <h1 id="letter-heading" class="page-title">
            {title}
            {draft.supersedes !== null && "（訂正）"}
            <span class="page-subtitle">{patientName} さん</span>
          </h1>
          <p class="page-meta" id="letter-save-state" aria-live="polite" data-state={save.kind}>
            {saveText(save)}
          </p>
        </div>
        <form
          id="letter-form"
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setConfirming(true);
          }}
        >
          <FormAlert error={error} formId={FORM_ID} labels={LABELS} />
          <fieldset class="plain-fieldset" disabled={busy}>
            <fieldset class="group">
              <legend>{draft.kind === "referral" ? "紹介先" : "宛先（退院後の担当医）"}</legend>
              {suggestions.length > 0 && (
                <div class="chips" aria-label="よく使う紹介先・最近の紹介先">
                  {suggestions.map((d) => (
                    <button
                      key={`${d.institution}|${d.department}|${d.doctor}`}
                      type="button"
                      class="chip"
                      data-testid="destination-chip"
                      onClick={() => {
                        chooseDestination(d);
                      }}
                    >
                      {destinations.favourites.some((f) => sameDestination(f, d)) ? "★ " : ""}
                      {joinNonEmpty([d.institution, d.department, d.doctor])}
                    </button>
                  ))}
                </div>
              )}
              {draft.kind === "referral" && destinations.registered.length > 0 && (
                <div class="chips registered" aria-label="地域連携サーバーに登録された病院">
                  <span class="chips-label">連携病院</span>
                  {destinations.registered.map((name) => (
                    <button
                      key={name}
                      type="button"
                      class={values.toInstitution.trim() === name ? "chip chip-registered is-chosen" : "chip chip-registered"}
                      data-testid="registered-hospital"
                      onClick={() => {
                        onInput("toInstitution", name);
                      }}
                    >
                      {name}
                    </button>
                  ))}
                </div>
              )}
              <div class="directory-open">
                <button
                  type="button"
                  id="letter-directory"
                  class="button button-ghost"
                  aria-pressed={searchingDirectory}
                  onClick={() => {
                    setSearchingDirectory((s) => !s);
                  }}
                >
                  地域の機関からさがす
                </button>
              </div>
              {searchingDirectory && (
                <DirectorySearch
                  patient={{ name: patientName, address: patientAddress ?? "" }}
                  onChooseDestination={(listing) => {
                    onInput("toInstitution", listing.name);
                    setSearchingDirectory(false);
                  }}
                  onClose={() => {
                    setSearchingDirectory(false);
                  }}
                />
              )}
              {draft.kind === "referral" && destinations.registered.includes(values.toInstitution.trim()) && (
                <p class="field-hint" id="registered-destination">
                  地域連携サーバーに登録された病院です。同意があれば、紹介はこの病院の地域連携室に直接届きます。
                </p>
              )}
              <div class="form-grid form-grid-3">
                <TextField
                  {...text("toInstitution")}
                  label={draft.kind === "referral" ? LABELS.toInstitution : "医療機関名"}
                  className="span-2"
                  autoFocus
                />
                <TextField {...text("toDepartment")} />
                <TextField {...text("toDoctor")} />
                <div class="field">
                  <label class="field-label" for={fieldId(FORM_ID, "toHonorific")}>
                    {LABELS.toHonorific}
                  </label>
                  <p class="field-hint">医師名があれば御侍史、なければ御机下</p>
                  <select
                    id={fieldId(FORM_ID, "toHonorific")}
                    value={values.toHonorific}
                    onChange={(e) => {
                      onInput("toHonorific", e.currentTarget.value);
                    }}
                  >
                    <option value="">自動</option>
                    <option value="御侍史">御侍史</option>
                    <option value="御机下">御机下</option>
                  </select>
                </div>
                <div class="field field-action">
                  <button
                    type="button"
                    class="button button-ghost"
                    id="favourite-destination"
                    aria-pressed={isFavourite}
                    disabled={current.institution === ""}
                    onClick={() => void toggleFavourite()}
                  >
                    {isFavourite ? "★ よく使う紹介先から外す" : "☆ よく使う紹介先に登録"}
                  </button>
                </div>
              </div>
            </fieldset>
            {draft.kind === "discharge" && (
              <div class="form-grid">
                <TextField {...text("admittedOn")} placeholder="例: 令和8年5月20日" />
                <TextField {...text("dischargedOn")} placeholder="例: R8.6.18" />
              </div>
            )}
            {BODY_FIELDS[draft.kind].map(({ key, rows, required }) => (
              <div key={key}>
                <TextAreaField
                  {...text(key)}
                  label={required === true ? `${LABELS[key]}（必須）` : LABELS[key]}
                  rows={rows}
                />
                {key === LAB_SECTION[draft.kind] && (
                  <LabResultsSection
                    rows={values.labResults}
                    messages={labMessages(error?.fields ?? [])}
                    sectionLabel={LABELS[key]}
                    onChange={setLabRows}
                    onImport={() => void importCsv()}
                  />
                )}
              </div>
            ))}
          </fieldset>

          {confirming && (
            <div class="confirm" role="alertdialog" aria-labelledby="issue-confirm-title">
              <p id="issue-confirm-title" class="confirm-title">
                この内容で{title}を発行しますか？
              </p>
              <p>
                発行するとPDFが作成され、内容は変更できなくなります（直すときは「訂正」から新しい版を発行します）。
                {draft.kind === "referral" && "紹介の経過を追うための追跡コードが印字されます。"}
              </p>
              <div class="form-actions">
                <button
                  type="button"
                  class="button"
                  disabled={busy}
                  onClick={() => {
                    setConfirming(false);
                  }}
                >
                  戻る
                </button>
                <button
                  type="button"
                  id="confirm-issue"
                  class="button button-primary"
                  disabled={busy}
                  onClick={() => void issue()}
                >
                  {busy ? "発行中…" : "発行する"}
                </button>
              </div>
            </div>
          )}

          {!confirming && (
            <div class="form-actions">
              <button type="button" id="close-letter" class="button" disabled={busy} onClick={() => void close()}>
                下書きを保存して閉じる
              </button>
              <button type="submit" id="issue-letter" class="button button-primary" disabled={busy}>
                発行…
              </button>
            </div>
          )}
        </form>
      </div>
    </section>
  );
}

/** 検査結果: typed rows with add and remove, or rows read from a lab system's CSV. */
function LabResultsSection({
  rows,
  messages,
  sectionLabel,
  onChange,
  onImport,
}: {
  rows: readonly LabRowDraft[];
  messages: readonly string[];
  sectionLabel: string;
  onChange: (edit: (rows: readonly LabRowDraft[]) => LabRowDraft[]) => void;
  onImport: () => void;
}) {
  const id = fieldId(FORM_ID, LAB_RESULTS_KEY);
  return (
    <fieldset class="field group lab-results" id={id} aria-describedby={messages.length > 0 ? `${id}-error` : undefined}>
      <legend class="field-label">検査結果</legend>
      <p class="field-hint">
        {sectionLabel}の欄に表で印刷されます（入りきらないときは別紙）。H・L は基準値から自動で付きます。CSV は
        「項目,値,単位,基準値,検査日」の見出し行つき（UTF-8 または Shift_JIS）。
      </p>
      {rows.length > 0 && (
        <table class="lab-table" data-testid="lab-table">
          <thead>
            <tr>
              <th scope="col" class="lab-row-number">
                行
              </th>
              {LAB_COLUMNS.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span class="visually-hidden">削除</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} data-testid="lab-row">
                <td class="lab-row-number">{i + 1}</td>
                {LAB_COLUMNS.map((c) => (
                  <td key={c.key}>
                    <input
                      type="text"
                      class={`lab-cell lab-cell-${c.key}`}
                      aria-label={`${String(i + 1)}行目の${c.label}`}
                      placeholder={c.placeholder}
                      inputMode={c.key === "value" ? "decimal" : undefined}
                      value={row[c.key]}
                      onInput={(e) => {
                        const value = e.currentTarget.value;
                        onChange((r) => withCell(r, i, c.key, value));
                      }}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    class="button"
                    aria-label={`${String(i + 1)}行目を削除`}
                    onClick={() => {
                      onChange((r) => withRowRemoved(r, i));
                    }}
                  >
                    削除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {messages.length > 0 && (
        <ul class="field-error lab-errors" id={`${id}-error`} data-error-for={LAB_RESULTS_KEY}>
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      <div class="lab-actions">
        <button
          type="button"
          class="button"
          id="lab-add-row"
          disabled={rows.length >= MAX_LAB_ROWS}
          onClick={() => {
            onChange(withRowAdded);
          }}
        >
          行を追加
        </button>
        <button type="button" class="button button-primary" id="lab-import-csv" onClick={onImport}>
          CSVから読み込む
        </button>
        {rows.length > 0 && <span class="field-hint">{filledCount(rows)}件</span>}
      </div>
    </fieldset>
  );
}
