import { addMonths, isCalendarDate, ukDate } from "../activities/uk-time.server";
import { termOf } from "../credits/terms";
import { BREAKDOWNS, type Breakdown } from "./breakdowns";
import { DEFAULT_WIMD_EDITION, isWimdDomain, isWimdEdition, type WimdDomain, type WimdEdition } from "../reference/wimd-editions";

export const PERIODS = ["term", "year", "custom"] as const;
export type Period = (typeof PERIODS)[number];

export interface EquityQuery {
  period: Period;
  from: string;
  to: string;
  by: Breakdown;
  /** The deprivation index: WIMD 2025 unless WIMD 2019 is asked for (`edition=wimd2019`). */
  edition: WimdEdition;
  /** A domain's quintiles instead of the overall index's (`domain=income`, with by=quintile only); null: the index. */
  domain: WimdDomain | null;
}

export type ParsedEquityQuery =
  | { ok: true; query: EquityQuery }
  | { ok: false; errors: Record<string, string>; values: { period: string; from: string; to: string; by: string; edition: string; domain: string } };

/** The academic year (1 September – 31 August) a date falls in. */
export function academicYearOf(date: string) {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? year : year - 1;
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/**
 * Reads a report's period and breakdown from a URL's search parameters. `period` is "term"
 * (the default: the school term today is in), "year" (this academic year) or "custom"
 * (`from` and `to`, inclusive). Giving `from` and `to` without a period means custom, as
 * the API does. Errors are translation keys by field.
 */
export function parseEquityQuery(params: URLSearchParams, now = new Date()): ParsedEquityQuery {
  const values = {
    period: params.get("period") ?? "",
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    by: params.get("by") ?? "",
    edition: params.get("edition") ?? "",
    domain: params.get("domain") ?? "",
  };
  const errors: Record<string, string> = {};
  const by = (values.by || "quintile") as Breakdown;
  if (!BREAKDOWNS.includes(by)) errors.by = "reports.errors.breakdown";
  const edition = values.edition || DEFAULT_WIMD_EDITION;
  if (!isWimdEdition(edition)) errors.edition = "reports.errors.edition";
  if (values.domain && !isWimdDomain(values.domain)) errors.domain = "reports.errors.domain";
  else if (values.domain && by !== "quintile") errors.domain = "reports.errors.domainNeedsQuintile";
  let period = (values.period || (values.from || values.to ? "custom" : "term")) as Period;
  if (!PERIODS.includes(period)) {
    errors.period = "reports.errors.period";
    period = "term";
  }
  const today = ukDate(now);
  let from = "";
  let to = "";
  if (period === "term") ({ from, to } = termOf(today));
  else if (period === "year") ({ from, to } = academicYearOf(today));
  else {
    if (!isCalendarDate(values.from)) errors.from = "reports.errors.from";
    if (!isCalendarDate(values.to)) errors.to = "reports.errors.to";
    if (!errors.from && !errors.to && values.from > values.to) errors.to = "reports.errors.toBeforeFrom";
    // A report covers at most a year (an academic year, say): children's homes, schools and
    // enrolment change over longer spans, so one table for several years would mislead.
    else if (!errors.from && !errors.to && values.to >= addMonths(values.from, 12)) errors.to = "reports.errors.tooLong";
    from = values.from;
    to = values.to;
  }
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, query: { period, from, to, by, edition: edition as WimdEdition, domain: (values.domain || null) as WimdDomain | null } };
}

/** The search string that asks for a query again (for the CSV link and the form). */
export function equitySearch(query: EquityQuery) {
  const params = new URLSearchParams({ period: query.period, by: query.by });
  if (query.edition !== DEFAULT_WIMD_EDITION) params.set("edition", query.edition);
  if (query.domain) params.set("domain", query.domain);
  if (query.period === "custom") {
    params.set("from", query.from);
    params.set("to", query.to);
  }
  return params.toString();
}
