import { useEffect, useRef, useState } from "preact/hooks";
import { searchPatients, toApiError, type PatientSummary, type SearchResult } from "../api";
import { SEX_LABELS } from "../lib/format";
import { patientCountText } from "../lib/patients";

/** Short enough to feel instant, long enough not to search on every keystroke of a name. */
const SEARCH_DEBOUNCE_MS = 120;

interface Props {
  query: string;
  includeDeleted: boolean;
  onQueryChange: (query: string) => void;
  onIncludeDeletedChange: (value: boolean) => void;
  onOpen: (id: string) => void;
  onNew: () => void;
}

type ListState =
  | { kind: "loading" }
  | { kind: "loaded"; result: SearchResult }
  | { kind: "error"; message: string };

export function PatientList(props: Props) {
  const { query, includeDeleted } = props;
  const [state, setState] = useState<ListState>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const lastQuery = useRef(query);

  useEffect(() => {
    // Typing is debounced; the first load and the checkbox answer at once.
    const delay = lastQuery.current === query ? 0 : SEARCH_DEBOUNCE_MS;
    lastQuery.current = query;
    // Cleanup marks this run stale, so a slow answer to an older query never
    // overwrites the answer to the newer one.
    let stale = false;
    const timer = setTimeout(() => {
      setBusy(true);
      searchPatients(query, includeDeleted).then(
        (result) => {
          if (!stale) {
            setState({ kind: "loaded", result });
            setBusy(false);
          }
        },
        (e: unknown) => {
          if (!stale) {
            setState({ kind: "error", message: toApiError(e).message });
            setBusy(false);
          }
        },
      );
    }, delay);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query, includeDeleted]);

  return (
    <section class="patient-list" aria-labelledby="patient-list-heading">
      <div class="list-toolbar">
        <h1 id="patient-list-heading" class="section-title">
          患者一覧
        </h1>
        <button type="button" id="new-patient" class="button button-primary" onClick={props.onNew}>
          ＋ 新規患者
        </button>
      </div>
      <div class="search-row">
        <label class="visually-hidden" for="patient-search">
          患者を検索
        </label>
        <input
          id="patient-search"
          type="search"
          class="search-input"
          placeholder="氏名・ふりがな・カルテ番号・生年月日で検索"
          autoComplete="off"
          value={query}
          onInput={(e) => {
            props.onQueryChange(e.currentTarget.value);
          }}
        />
        <label class="checkbox">
          <input
            id="show-deleted"
            type="checkbox"
            checked={includeDeleted}
            onChange={(e) => {
              props.onIncludeDeletedChange(e.currentTarget.checked);
            }}
          />
          削除済みも表示
        </label>
      </div>
      <ListBody state={state} busy={busy} query={query} onOpen={props.onOpen} />
    </section>
  );
}

function ListBody({
  state,
  busy,
  query,
  onOpen,
}: {
  state: ListState;
  busy: boolean;
  query: string;
  onOpen: (id: string) => void;
}) {
  if (state.kind === "loading") {
    return <p class="list-status">読み込み中…</p>;
  }
  if (state.kind === "error") {
    return (
      <p class="alert alert-error" role="alert">
        {state.message}
      </p>
    );
  }
  const { patients, total, totalCapped } = state.result;
  return (
    <>
      <p class="list-count" id="patient-count" aria-live="polite">
        {patientCountText(patients.length, total, totalCapped)}
      </p>
      {patients.length === 0 ? (
        <p class="list-empty">
          {query.trim() === ""
            ? "患者はまだ登録されていません。「新規患者」から登録してください。"
            : "条件に合う患者は見つかりませんでした。"}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="patient-table" aria-busy={busy} aria-describedby="patient-count">
            <thead>
              <tr>
                <th scope="col" class="col-chart">
                  カルテ番号
                </th>
                <th scope="col">氏名</th>
                <th scope="col" class="col-sex">
                  性別
                </th>
                <th scope="col" class="col-birth">
                  生年月日（年齢）
                </th>
              </tr>
            </thead>
            <tbody>
              {patients.map((p) => (
                <PatientRow key={p.id} patient={p} onOpen={onOpen} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PatientRow({ patient: p, onOpen }: { patient: PatientSummary; onOpen: (id: string) => void }) {
  // The whole row is the click target for the mouse; the name button gives keyboard
  // users the same action (its click bubbles to the row).
  return (
    <tr
      data-testid="patient-row"
      data-patient-id={p.id}
      class={p.deleted ? "is-deleted" : undefined}
      onClick={() => {
        onOpen(p.id);
      }}
    >
      <td class="col-chart">{p.chartNumber ?? <span class="muted">—</span>}</td>
      <td>
        <button type="button" class="row-name">
          <span class="kana">{p.kana}</span>
          <span class="name">{p.name}</span>
        </button>
        {p.deleted && <span class="badge badge-deleted">削除済み</span>}
      </td>
      <td class="col-sex">{SEX_LABELS[p.sex]}</td>
      <td class="col-birth">{p.birthDateDisplay}</td>
    </tr>
  );
}
