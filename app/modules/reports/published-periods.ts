import { termOf } from "../credits/terms";

/**
 * The periods figures are published for (issue 15): school terms (credits/terms.ts) and
 * academic years (1 September – 31 August), dates in UK time. Published periods do not
 * overlap except by nesting (a year holds its three terms), so two releases cannot be
 * differenced down to a few days. Anything else is a custom period: only a coordinator may
 * ask for one, and its figures say they are for internal use.
 *
 * Names: "2026-autumn" (1 Sep – 31 Dec 2026), "2027-spring" (1 Jan – 31 Mar 2027),
 * "2027-summer" (1 Apr – 31 Aug 2027) and "2026-27" (the academic year).
 */

/** The first academic year figures are published for (WIMD 2019 and the programme's first year here). */
export const PUBLISHED_SINCE = "2019-09-01";

export interface PublishedPeriod {
  id: string;
  kind: "term" | "year";
  /** For a term: its name; for a year: null. */
  term: "autumn" | "spring" | "summer" | null;
  /** The calendar year the period starts in. */
  year: number;
  from: string;
  to: string;
}

const TERM_STARTS = { autumn: "09-01", spring: "01-01", summer: "04-01" } as const;

/** The academic year (1 September – 31 August) a date falls in. */
export function academicYearOf(date: string): PublishedPeriod {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? year : year - 1;
  return { id: `${start}-${String(start + 1).slice(2)}`, kind: "year", term: null, year: start, from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/** The school term a date falls in, as a published period. */
export function termPeriodOf(date: string): PublishedPeriod {
  const term = termOf(date);
  const year = Number(term.from.slice(0, 4));
  return { id: `${year}-${term.name}`, kind: "term", term: term.name, year, from: term.from, to: term.to };
}

/**
 * A published period by name, or null when there is no such period or it is out of range
 * (before PUBLISHED_SINCE, or not yet started on `today`).
 */
export function publishedPeriod(id: string, today: string): PublishedPeriod | null {
  const term = /^(\d{4})-(autumn|spring|summer)$/.exec(id);
  const year = /^(\d{4})-(\d{2})$/.exec(id);
  let period: PublishedPeriod | null = null;
  if (term) period = termPeriodOf(`${term[1]}-${TERM_STARTS[term[2] as keyof typeof TERM_STARTS]}`);
  else if (year && (Number(year[1]) + 1) % 100 === Number(year[2])) period = academicYearOf(`${year[1]}-09-01`);
  if (!period || period.from < PUBLISHED_SINCE || period.from > today) return null;
  return period;
}

/** The published period with exactly these dates (a term or an academic year), if there is one. */
export function publishedPeriodOf(from: string, to: string): PublishedPeriod | null {
  for (const period of [termPeriodOf(from), academicYearOf(from)]) if (period.from === from && period.to === to) return period;
  return null;
}

/** Whether figures for these dates are a published release (not a custom period). */
export function isPublishedPeriod(from: string, to: string): boolean {
  return publishedPeriodOf(from, to) !== null;
}

/** The periods to choose from, newest first: this academic year and the `years − 1` before it, each followed by its terms that have started. */
export function recentPublishedPeriods(today: string, years = 3): PublishedPeriod[] {
  const periods: PublishedPeriod[] = [];
  let year = academicYearOf(today);
  for (let n = 0; n < years && year.from >= PUBLISHED_SINCE; n++) {
    periods.push(year);
    const terms = (["summer", "spring", "autumn"] as const).map((name) =>
      termPeriodOf(`${name === "autumn" ? year.year : year.year + 1}-${TERM_STARTS[name]}`),
    );
    periods.push(...terms.filter((term) => term.from <= today));
    year = academicYearOf(`${year.year - 1}-09-01`);
  }
  return periods;
}
