import { useEffect, useState } from "preact/hooks";
import { referralBoard, toApiError, type Referral } from "../api";

type Load = { kind: "loading" } | { kind: "loaded"; rows: Referral[] } | { kind: "error"; message: string };

/** 紹介患者: every open referral, the longest without news first. */
export function ReferralBoard({ onOpenPatient }: { onOpenPatient: (patientId: string) => void }) {
  const [includeClosed, setIncludeClosed] = useState(false);
  const [filter, setFilter] = useState("");
  const [load, setLoad] = useState<Load>({ kind: "loading" });

  useEffect(() => {
    let stale = false;
    referralBoard(includeClosed).then(
      (rows) => {
        if (!stale) setLoad({ kind: "loaded", rows });
      },
      (e: unknown) => {
        if (!stale) setLoad({ kind: "error", message: toApiError(e).message });
      },
    );
    return () => {
      stale = true;
    };
  }, [includeClosed]);

  const needle = filter.trim();
  const rows =
    load.kind === "loaded"
      ? load.rows.filter(
          (r) =>
            needle === "" ||
            [r.patientName, r.hospital, r.statusLabel, r.whereNow, r.trackingCode].some((t) => t.includes(needle)),
        )
      : [];

  return (
    <section class="page" aria-labelledby="board-heading">
      <div class="list-toolbar">
        <h1 id="board-heading" class="page-title">
          紹介患者
        </h1>
        <div class="search-row">
          <input
            id="board-filter"
            class="search-input"
            type="search"
            placeholder="患者名・紹介先・状態・追跡コードで絞り込み"
            value={filter}
            onInput={(e) => {
              setFilter(e.currentTarget.value);
            }}
          />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={includeClosed}
              onChange={(e) => {
                setIncludeClosed(e.currentTarget.checked);
              }}
            />
            終了・取消も表示
          </label>
        </div>
      </div>
      {load.kind === "loading" && <p class="list-status">読み込み中…</p>}
      {load.kind === "error" && (
        <p class="alert alert-error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === "loaded" && rows.length === 0 && <p class="list-empty">該当する紹介はありません。</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="patient-table" id="referral-board">
            <thead>
              <tr>
                <th scope="col">患者</th>
                <th scope="col">紹介先</th>
                <th scope="col">状態</th>
                <th scope="col">現在の所在</th>
                <th scope="col">紹介日</th>
                <th scope="col">最終更新</th>
                <th scope="col">追跡コード</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  data-testid="board-row"
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
                  <td>{r.hospital}</td>
                  <td>
                    <span class={`status${r.open ? "" : " status-muted"}`}>{r.statusLabel}</span>
                  </td>
                  <td>{r.whereNow}</td>
                  <td>{r.sentOn}</td>
                  <td>{r.daysSinceNews}日前</td>
                  <td>
                    <code class="tracking-code">{r.trackingCode}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
