import { addMonths, isCalendarDate, ukDate } from "../activities/uk-time.server";
import { academicYearOf, PUBLISHED_SINCE, publishedPeriod, publishedPeriodOf, termPeriodOf } from "./published-periods";
import { BREAKDOWNS, type Breakdown } from "./breakdowns";
import { DEFAULT_WIMD_EDITION, isWimdDomain, isWimdEdition, type WimdDomain, type WimdEdition } from "../reference/wimd-editions";

export interface EquityQuery {
  /** A published period's name ("2026-autumn", "2026-27": published-periods.ts) or "custom". */
  period: string;
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
  | {
      ok: false;
      /** 403 when the asker may not have a custom period; 400 for anything else wrong. */
      status: 400 | 403;
      errors: Record<string, string>;
      values: { period: string; from: string; to: string; by: string; edition: string; domain: string };
    };

/**
 * Reads a report's period and breakdown from a URL's search parameters. `period` is a
 * published period's name, "term" (the school term today is in, the default), "year" (this
 * academic year) or "custom" (`from` and `to`, inclusive); giving `from` and `to` without a
 * period means custom, as the API does. Custom dates that are exactly a term or an academic
 * year are that published period, for everyone; any other custom period only for those who
 * may ask for one (`allowCustom`: coordinators), refused with 403 otherwise. Errors are
 * translation keys by field.
 */
export function parseEquityQuery(params: URLSearchParams, now = new Date(), options: { allowCustom?: boolean } = {}): ParsedEquityQuery {
  const values = {
    period: params.get("period") ?? "",
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    by: params.get("by") ?? "",
    edition: params.get("edition") ?? "",
    domain: params.get("domain") ?? "",
  };
  const errors: Record<string, string> = {};
  let status: 400 | 403 = 400;
  const by = (values.by || "quintile") as Breakdown;
  if (!BREAKDOWNS.includes(by)) errors.by = "reports.errors.breakdown";
  const edition = values.edition || DEFAULT_WIMD_EDITION;
  if (!isWimdEdition(edition)) errors.edition = "reports.errors.edition";
  if (values.domain && !isWimdDomain(values.domain)) errors.domain = "reports.errors.domain";
  else if (values.domain && by !== "quintile") errors.domain = "reports.errors.domainNeedsQuintile";
  const today = ukDate(now);
  const asked = values.period || (values.from || values.to ? "custom" : "term");
  let period = "custom";
  let from = "";
  let to = "";
  if (asked === "custom") {
    if (!isCalendarDate(values.from)) errors.from = "reports.errors.from";
    if (!isCalendarDate(values.to)) errors.to = "reports.errors.to";
    if (!errors.from && !errors.to) {
      const published = publishedPeriodOf(values.from, values.to);
      if (values.from > values.to) errors.to = "reports.errors.toBeforeFrom";
      // A report covers at most a year (an academic year, say): children's homes, schools and
      // enrolment change over longer spans, so one table for several years would mislead.
      else if (values.to >= addMonths(values.from, 12)) errors.to = "reports.errors.tooLong";
      else if (values.from < PUBLISHED_SINCE) errors.from = "reports.errors.fromTooEarly";
      else if (values.from > today) errors.from = "reports.errors.fromFuture";
      else if (published) period = published.id;
      else if (!options.allowCustom) {
        // Custom periods could be differenced against each other or against a release.
        errors.period = "reports.errors.customNotAllowed";
        status = 403;
      }
    }
    from = values.from;
    to = values.to;
  } else {
    const published = asked === "term" ? termPeriodOf(today) : asked === "year" ? academicYearOf(today) : publishedPeriod(asked, today);
    if (!published) errors.period = "reports.errors.periodUnknown";
    else ({ id: period, from, to } = published);
  }
  if (Object.keys(errors).length) return { ok: false, status: errors.period === "reports.errors.customNotAllowed" ? status : 400, errors, values };
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
