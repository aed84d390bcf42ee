import { useEffect, useState } from "preact/hooks";
import { saveSharingFeeReportCsv, sharingFeeReport, toApiError, type SharingFeeReport as Report } from "../api";
import { firstErrorMessage } from "../lib/format";
import { japanMonth, missingText, othersText, previousMonth } from "../lib/sharingFee";

/**
 * The clinic's monthly check list for 在宅医療情報連携加算: every home-care patient,
 * what the fee asks that Tsunagu can see, met or missing (ADR 0039). It opens on the
 * month just ended, the one being billed.
 */
export function SharingFeeReport({ onOpenPatient }: { onOpenPatient: (id: string) => void }) {
  const [month, setMonth] = useState<string>(() => previousMonth(japanMonth(new Date())));
  const [typed, setTyped] = useState<string>(month);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    setError(null);
    sharingFeeReport(month).then(
      (r) => {
        if (!stale) setReport(r);
      },
      (e: unknown) => {
        if (!stale) setError(firstErrorMessage(toApiError(e)));
      },
    );
    return () => {
      stale = true;
    };
  }, [month]);

  const exportCsv = async () => {
    setSaved(null);
    try {
      const result = await saveSharingFeeReportCsv(month);
      if (result.path !== null) setSaved(`CSVを保存しました: ${result.path}`);
    } catch (e) {
      setError(firstErrorMessage(toApiError(e)));
    }
  };

  const columns = report?.rows[0]?.checks ?? [];

  return (
    <section class="page" aria-labelledby="fee-heading">
      <div class="list-toolbar board-toolbar">
        <h1 id="fee-heading" class="page-title">
          在宅医療情報連携加算
        </h1>
        <form
          class="board-filters"
          id="fee-month"
          onSubmit={(e) => {
            e.preventDefault();
            setMonth(typed.trim());
          }}
        >
          <label class="field-label" for="fee-month-input">
            対象月
          </label>
          <input
            id="fee-month-input"
            class="input"
            value={typed}
            placeholder="2026-11"
            onInput={(e) => {
              setTyped(e.currentTarget.value);
            }}
          />
          <button type="submit" class="button" id="fee-month-show">
            表示
          </button>
          <button type="button" class="button" id="fee-csv" disabled={report === null} onClick={() => void exportCsv()}>
            CSVを保存
          </button>
        </form>
      </div>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {saved !== null && <p class="alert alert-success">{saved}</p>}
      {report !== null && (
        <>
          <p class="fee-summary" id="fee-summary">
            {report.monthLabel}：在宅チームのある患者 {report.rows.length}人のうち、要件を満たしている患者 {report.complete}人
          </p>
          {report.rows.length === 0 ? (
            <p class="list-empty">この月に在宅チームのある患者はいません。</p>
          ) : (
            <div class="table-wrap">
              <table class="patient-table fee-table" id="fee-table">
                <thead>
                  <tr>
                    <th scope="col">患者</th>
                    <th scope="col">当月の記録</th>
                    <th scope="col">他職種の記録</th>
                    {columns.map((c) => (
                      <th scope="col" key={c.code} class="fee-check" title={c.label}>
                        {c.shortLabel}
                      </th>
                    ))}
                    <th scope="col">不足している要件</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((row) => (
                    <tr
                      key={row.patientId}
                      data-complete={row.complete ? "true" : "false"}
                      onClick={() => {
                        onOpenPatient(row.patientId);
                      }}
                    >
                      <td class="fee-nowrap">
                        {row.patientName}
                        <br />
                        <small>{row.patientKana}</small>
                      </td>
                      <td>{row.record === null ? "—" : `次回 ${row.record.nextVisitLabel}`}</td>
                      <td class="fee-nowrap">{othersText(row)}</td>
                      {row.checks.map((c) => (
                        <td key={c.code} class="fee-check" data-code={c.code}>
                          {c.met ? <span class="fee-met">○</span> : <span class="fee-missing">×</span>}
                        </td>
                      ))}
                      <td class={row.complete ? "fee-met" : "fee-missing"}>{missingText(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="form-hint">
            Tsunagu で確認できる要件だけを示します。届出（施設基準）、在医総管等の算定、連携機関の数は医療機関で確認してください。
          </p>
        </>
      )}
    </section>
  );
}
