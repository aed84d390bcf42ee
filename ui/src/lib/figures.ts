import type { FiguresPeriod } from "../api";
import { fiscalYearStart, isoDate } from "./dates";

/** The twelve months up to and including today. */
export function lastTwelveMonths(t: Date): FiguresPeriod {
  const from = new Date(t.getFullYear() - 1, t.getMonth(), t.getDate() + 1);
  return { from: isoDate(from), to: isoDate(t) };
}

/** The period buttons of 連携の実績, each computed from today's date. */
export const FIGURE_PRESETS: readonly { label: string; period: (today: Date) => FiguresPeriod }[] = [
  { label: "過去12か月", period: lastTwelveMonths },
  { label: "今年度", period: (t) => ({ from: isoDate(fiscalYearStart(t, 0)), to: isoDate(t) }) },
  {
    label: "前年度",
    period: (t) => {
      const start = fiscalYearStart(t, 1);
      return { from: isoDate(start), to: isoDate(new Date(start.getFullYear() + 1, 2, 31)) };
    },
  },
];

/** A rate in percent with one decimal; null (nothing to divide by) as a dash. */
export const formatPercent = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);

/** A median number of days with one decimal; null (no data) as a dash. */
export const formatDays = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}日`);

/** The hospital's name as a chart label: at most 12 characters, then an ellipsis. */
export function chartLabel(hospital: string): string {
  return hospital.length > 12 ? `${hospital.slice(0, 12)}…` : hospital;
}
