import { useEffect, useState } from "preact/hooks";
import { referralBoard, toApiError, type Board, type BoardFilter } from "../api";
import { firstErrorMessage } from "../lib/format";
import {
  REFERRAL_STATUSES,
  boardCountText,
  boardGroupOf,
  boardPageCount,
  daysAgoText,
  hospitalOptions,
  referredToText,
} from "../lib/referrals";

type Load = { kind: "loading" } | { kind: "loaded"; board: Board } | { kind: "error"; message: string; field: boolean };

export const DEFAULT_BOARD_FILTER: BoardFilter = {
  scope: "open",
  status: "",
  hospital: "",
  sentFrom: "",
  sentTo: "",
  text: "",
  overdueOnly: false,
  order: "attention",
  page: 0,
};

/** How long typing pauses before the board asks again. */
const TYPING_PAUSE_MS = 300;

interface Props {
  filter: BoardFilter;
  onFilterChange: (filter: BoardFilter) => void;
  onOpenPatient: (patientId: string) => void;
}

/** 紹介患者: referrals with where each patient is, what is overdue, filtered, ordered and grouped. */
export function ReferralBoard({ filter, onFilterChange, onOpenPatient }: Props) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [text, setText] = useState(filter.text);

  useEffect(() => {
    let stale = false;
    referralBoard(filter).then(
      (board) => {
        if (!stale) setLoad({ kind: "loaded", board });
      },
      (e: unknown) => {
        const error = toApiError(e);
        const message = firstErrorMessage(error);
        if (!stale) setLoad({ kind: "error", message, field: error.fields.length > 0 });
      },
    );
    return () => {
      stale = true;
    };
  }, [filter]);

  useEffect(() => {
    if (text === filter.text) return;
    const timer = window.setTimeout(() => {
      onFilterChange({ ...filter, text, page: 0 });
    }, TYPING_PAUSE_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [text]);

  const set = (change: Partial<BoardFilter>) => {
    onFilterChange({ ...filter, page: 0, ...change });
  };
  const board = load.kind === "loaded" ? load.board : null;
  const hospitals = hospitalOptions(board, filter.hospital);

  return (
    <section class="page" aria-labelledby="board-heading">
      <div class="list-toolbar board-toolbar">
        <h1 id="board-heading" class="page-title">
          紹介患者
        </h1>
        <div class="search-row">
          <input
            id="board-filter"
            class="search-input"
            type="search"
            aria-label="患者名・ふりがな・紹介先・追跡コードで検索"
            placeholder="患者名・ふりがな・紹介先・追跡コードで検索"
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
            }}
          />
        </div>
        <div class="board-filters" role="group" aria-label="絞り込み">
          <label>
            範囲
            <select
              id="board-scope"
              value={filter.scope}
              onChange={(e) => {
                set({ scope: e.currentTarget.value });
              }}
            >
              <option value="open">継続中</option>
              <option value="closed">終了・取消</option>
              <option value="all">すべて</option>
            </select>
          </label>
          <label>
            状態
            <select
              id="board-status"
              value={filter.status}
              onChange={(e) => {
                set({ status: e.currentTarget.value });
              }}
            >
              <option value="">すべて</option>
              {REFERRAL_STATUSES.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            紹介先
            <select
              id="board-hospital"
              value={filter.hospital}
              onChange={(e) => {
                set({ hospital: e.currentTarget.value });
              }}
            >
              <option value="">すべて</option>
              {hospitals.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
          <label>
            紹介日
            <input
              id="board-sent-from"
              class="date-input"
              type="text"
              placeholder="から（例: R8.4.1）"
              value={filter.sentFrom}
              onChange={(e) => {
                set({ sentFrom: e.currentTarget.value });
              }}
            />
            〜
            <input
              id="board-sent-to"
              class="date-input"
              type="text"
              aria-label="紹介日（まで）"
              placeholder="まで"
              value={filter.sentTo}
              onChange={(e) => {
                set({ sentTo: e.currentTarget.value });
              }}
            />
          </label>
          <label>
            並び・まとめ
            <select
              id="board-order"
              value={filter.order}
              onChange={(e) => {
                set({ order: e.currentTarget.value });
              }}
            >
              <option value="attention">要対応を先に</option>
              <option value="status">状態ごと</option>
              <option value="hospital">医療機関ごと</option>
              <option value="sent">紹介日の新しい順</option>
            </select>
          </label>
          <label class="checkbox">
            <input
              id="board-overdue"
              type="checkbox"
              checked={filter.overdueOnly}
              onChange={(e) => {
                set({ overdueOnly: e.currentTarget.checked });
              }}
            />
            期限超過のみ
          </label>
        </div>
      </div>
      {load.kind === "loading" && <p class="list-status">読み込み中…</p>}
      {load.kind === "error" && (
        <p class="alert alert-error" role="alert">
          {load.message}
        </p>
      )}
      {board !== null && board.rows.length === 0 && <p class="list-empty">該当する紹介はありません。</p>}
      {board !== null && board.rows.length > 0 && (
        <>
          <p class="list-status" id="board-count">
            {boardCountText(board)}
          </p>
          <BoardTable board={board} order={filter.order} onOpenPatient={onOpenPatient} />
          <Pager
            board={board}
            onPage={(page) => {
              onFilterChange({ ...filter, page });
            }}
          />
        </>
      )}
    </section>
  );
}

function BoardTable({
  board,
  order,
  onOpenPatient,
}: {
  board: Board;
  order: string;
  onOpenPatient: (patientId: string) => void;
}) {
  const rows: preact.JSX.Element[] = [];
  let group: string | null = null;
  for (const r of board.rows) {
    const g = boardGroupOf(r, order);
    if (g !== null && g !== group) {
      group = g;
      rows.push(
        <tr key={`group-${g}`} class="group-row">
          <th colSpan={8} scope="rowgroup">
            {g}
          </th>
        </tr>,
      );
    }
    rows.push(
      <tr
        key={r.referralId}
        data-testid="board-row"
        class={r.overdue !== null ? "is-overdue" : undefined}
        onClick={() => {
          onOpenPatient(r.patientId);
        }}
      >
        <td>
          <button
            type="button"
            class="link-button"
            onClick={(e) => {
              e.stopPropagation();
              onOpenPatient(r.patientId);
            }}
          >
            {r.patientName}
          </button>
        </td>
        <td>
          {referredToText(r)}
          {r.hospital !== r.referredTo && <span class="letter-meta">→ {r.hospital}</span>}
        </td>
        <td>
          <span class={`status${r.open ? "" : " status-muted"}`}>{r.statusLabel}</span>
          {r.overdue !== null && (
            <span class="overdue-badge" data-testid="overdue">
              {r.overdue}
            </span>
          )}
        </td>
        <td>{r.whereNow}</td>
        <td>{r.sentOn}</td>
        <td>{daysAgoText(r.daysSinceNews)}</td>
        <td>{r.replied ? "受領" : "—"}</td>
        <td>
          <code class="tracking-code">{r.trackingCode}</code>
        </td>
      </tr>,
    );
  }
  return (
    <div class="table-wrap">
      <table class="patient-table" id="referral-board">
        <thead>
          <tr>
            <th scope="col">患者</th>
            <th scope="col">紹介先</th>
            <th scope="col">状態</th>
            <th scope="col">現在の所在</th>
            <th scope="col">紹介日</th>
            <th scope="col">最終連絡</th>
            <th scope="col">返書</th>
            <th scope="col">追跡コード</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </div>
  );
}

function Pager({ board, onPage }: { board: Board; onPage: (page: number) => void }) {
  const pages = boardPageCount(board);
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="ページ">
      <button
        type="button"
        class="button"
        disabled={board.page === 0}
        onClick={() => {
          onPage(board.page - 1);
        }}
      >
        前の{board.pageSize}件
      </button>
      <span>
        {board.page + 1} / {pages}
      </span>
      <button
        type="button"
        class="button"
        disabled={board.page + 1 >= pages}
        onClick={() => {
          onPage(board.page + 1);
        }}
      >
        次の{board.pageSize}件
      </button>
    </nav>
  );
}
