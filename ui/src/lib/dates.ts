/** A local calendar date as YYYY-MM-DD (what date inputs and the backend accept). */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today's local date as YYYY-MM-DD. */
export function today(): string {
  return isoDate(new Date());
}

/** The first day of the fiscal year `yearsBack` years before today's; Japan's fiscal year starts on 1 April. */
export function fiscalYearStart(today: Date, yearsBack: number): Date {
  const year = today.getMonth() >= 3 ? today.getFullYear() : today.getFullYear() - 1;
  return new Date(year - yearsBack, 3, 1);
}
