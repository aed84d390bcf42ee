import { useEffect, useState } from "preact/hooks";
import {
  loopFigures,
  saveLoopFiguresCsv,
  toApiError,
  type FigureRow,
  type FiguresPeriod,
  type LoopFigures as Figures,
} from "../api";
import { chartLabel, FIGURE_PRESETS, formatDays, formatPercent, lastTwelveMonths } from "../lib/figures";
import { firstErrorMessage, formatCount } from "../lib/format";

/** 連携の実績: how referrals went, per hospital and overall, for a period. */
export function LoopFigures() {
  const [period, setPeriod] = useState<FiguresPeriod>(() => lastTwelveMonths(new Date()));
  const [typed, setTyped] = useState<FiguresPeriod>(period);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    setError(null);
    loopFigures(period).then(
      (f) => {
        if (!stale) setFigures(f);
      },
      (e: unknown) => {
        const err = toApiError(e);
        if (!stale) setError(firstErrorMessage(err));
      },
    );
    return () => {
      stale = true;
    };
  }, [period]);

  const exportCsv = async () => {
    setSaved(null);
    try {
      const result = await saveLoopFiguresCsv(period);
      if (result.path !== null) setSaved(`CSVを保存しました: ${result.path}`);
    } catch (e) {
      setError(toApiError(e).message);
    }
  };

  return (
    <section class="page" aria-labelledby="figures-heading">
      <div class="list-toolbar board-toolbar">
        <h1 id="figures-heading" class="page-title">
          連携の実績
        </h1>
        <form
          class="board-filters"
          id="figures-period"
          onSubmit={(e) => {
            e.preventDefault();
            setPeriod({ ...typed });
          }}
        >
          <label>
            紹介日
            <input
              id="figures-from"
              class="date-input"
              value={typed.from}
              onInput={(e) => {
                setTyped({ ...typed, from: e.currentTarget.value });
              }}
            />
            〜
            <input
              id="figures-to"
              class="date-input"
              aria-label="集計の終了日"
              value={typed.to}
              onInput={(e) => {
                setTyped({ ...typed, to: e.currentTarget.value });
              }}
            />
          </label>
          <button type="submit" class="button">
            集計
          </button>
          {FIGURE_PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              class="button"
              onClick={() => {
                const next = p.period(new Date());
                setTyped(next);
                setPeriod(next);
              }}
            >
              {p.label}
            </button>
          ))}
          <button type="button" id="figures-csv" class="button" disabled={figures === null} onClick={() => void exportCsv()}>
            CSVで保存
          </button>
        </form>
      </div>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {saved !== null && <p class="alert alert-success">{saved}</p>}
      {figures !== null && <FiguresView figures={figures} />}
    </section>
  );
}

function FiguresView({ figures }: { figures: Figures }) {
  const all = figures.overall;
  if (all.sent === 0) {
    return (
      <p class="list-empty">
        {figures.from}〜{figures.to}に送った紹介はありません。
      </p>
    );
  }
  return (
    <>
      <div class="figure-cards" id="figures-summary">
        <Card label="紹介" value={`${formatCount(all.sent)}件`} />
        <Card
          label="受付確認"
          value={formatPercent(all.acknowledgedPct)}
          sub={`中央値 ${formatDays(all.medianDaysToAcknowledgement)}`}
        />
        <Card
          label="返書受領（連携完結）"
          value={formatPercent(all.repliedPct)}
          sub={`中央値 ${formatDays(all.medianDaysToReply)}`}
        />
        <Card label="追跡不能" value={`${formatCount(all.lost)}件`} />
      </div>
      <RateChart rows={figures.byHospital} />
      <OutcomeBar row={all} labels={figures.outcomeLabels} />
      <div class="table-wrap">
        <table class="patient-table figures-table" id="figures-table">
          <thead>
            <tr>
              <th scope="col">紹介先</th>
              <th scope="col">紹介</th>
              <th scope="col">受付確認</th>
              <th scope="col">返書受領</th>
              <th scope="col">受付まで</th>
              <th scope="col">返書まで</th>
              {figures.outcomeLabels.map((l) => (
                <th key={l} scope="col">
                  {l}
                </th>
              ))}
              <th scope="col">追跡不能</th>
            </tr>
          </thead>
          <tbody>
            {[all, ...figures.byHospital].map((r, i) => (
              <tr key={r.hospital} class={i === 0 ? "total-row" : undefined} data-testid="figures-row">
                <th scope="row">{r.hospital}</th>
                <td>{formatCount(r.sent)}</td>
                <td>
                  {formatCount(r.acknowledged)}（{formatPercent(r.acknowledgedPct)}）
                </td>
                <td>
                  {formatCount(r.replied)}（{formatPercent(r.repliedPct)}）
                </td>
                <td>{formatDays(r.medianDaysToAcknowledgement)}</td>
                <td>{formatDays(r.medianDaysToReply)}</td>
                {r.outcomes.map((n, j) => (
                  <td key={j}>{formatCount(n)}</td>
                ))}
                <td>{formatCount(r.lost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="field-hint">
        {figures.from}〜{figures.to}に送った紹介。「受付まで」「返書まで」は紹介日から数えた日数の中央値です。取消{figures.cancelled}
        件は集計から除いています。追跡不能: 行き先が分からないまま{figures.lostAfterDays}
        日以上連絡がないもの、または行き先不明で終了したもの。
      </p>
    </>
  );
}

function Card({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div class="figure-card">
      <span class="figure-label">{label}</span>
      <span class="figure-value">{value}</span>
      {sub !== undefined && <span class="figure-sub">{sub}</span>}
    </div>
  );
}

const CHART_ROWS = 10;

/** Acknowledged and closed-loop rates per hospital, most referred-to first. */
function RateChart({ rows }: { rows: FigureRow[] }) {
  const shown = rows.slice(0, CHART_ROWS);
  const rowHeight = 34;
  const labelWidth = 180;
  const barWidth = 360;
  const height = shown.length * rowHeight + 28;
  return (
    <figure class="figure-chart">
      <figcaption>
        医療機関ごとの受付確認率と返書受領率
        <span class="legend legend-ack">受付確認</span>
        <span class="legend legend-reply">返書受領</span>
      </figcaption>
      <svg
        width={labelWidth + barWidth + 70}
        height={height}
        role="img"
        aria-label="医療機関ごとの受付確認率と返書受領率"
      >
        {[0, 50, 100].map((t) => (
          <g key={t}>
            <line
              x1={labelWidth + (barWidth * t) / 100}
              x2={labelWidth + (barWidth * t) / 100}
              y1={0}
              y2={height - 20}
              class="chart-grid"
            />
            <text x={labelWidth + (barWidth * t) / 100} y={height - 6} class="chart-axis">
              {t}%
            </text>
          </g>
        ))}
        {shown.map((r, i) => {
          const y = i * rowHeight + 4;
          const w = (v: number | null) => (barWidth * (v ?? 0)) / 100;
          return (
            <g key={r.hospital}>
              <text x={labelWidth - 8} y={y + 18} class="chart-label">
                {chartLabel(r.hospital)}
              </text>
              <rect x={labelWidth} y={y + 2} width={w(r.acknowledgedPct)} height={11} class="bar-ack" />
              <rect x={labelWidth} y={y + 15} width={w(r.repliedPct)} height={11} class="bar-reply" />
              <text x={labelWidth + w(r.acknowledgedPct) + 4} y={y + 12} class="chart-value">
                {formatPercent(r.acknowledgedPct)}
              </text>
              <text x={labelWidth + w(r.repliedPct) + 4} y={y + 25} class="chart-value">
                {formatPercent(r.repliedPct)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** How the period's referrals ended, as one stacked bar. */
function OutcomeBar({ row, labels }: { row: FigureRow; labels: string[] }) {
  const total = row.outcomes.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  return (
    <figure class="figure-chart">
      <figcaption>転帰</figcaption>
      <div class="outcome-bar" role="img" aria-label="転帰の内訳">
        {row.outcomes.map((n, i) =>
          n === 0 ? null : (
            <span key={i} class={`outcome outcome-${i}`} style={{ flexGrow: n }} title={`${labels[i]}: ${n}件`}>
              {labels[i]} {n}
            </span>
          ),
        )}
      </div>
    </figure>
  );
}
