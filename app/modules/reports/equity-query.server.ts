import { addMonths, isCalendarDate, ukDate } from "../activities/uk-time.server";
import { academicYearOf, PUBLISHED_SINCE, publishedPeriod, publishedPeriodOf, termPeriodOf } from "./published-periods";
import { BREAKDOWNS, type Breakdown } from "./breakdowns";
import { DEFAULT_WIMD_EDITION, WIMD_DOMAINS, WIMD_EDITIONS, type WimdDomain, type WimdEdition } from "../reference/wimd-editions";
import { anyText, choice, message, trimmedText } from "../forms/fields.server";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { queryValues } from "../forms/read-form.server";

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

/** The query as the form shows it again: the dates trimmed, the rest as it came. */
const equityQuerySent = { period: anyText, from: trimmedText(), to: trimmedText(), by: anyText, edition: anyText, domain: anyText };

/** The query's fields, in the order their problems are listed; the period is checked across period, from and to. */
const equityQueryFields = {
  by: choice(BREAKDOWNS, message("reports.errors.breakdown"), "quintile"),
  edition: choice(WIMD_EDITIONS, message("reports.errors.edition"), DEFAULT_WIMD_EDITION),
  domain: choice(WIMD_DOMAINS, message("reports.errors.domain"), null),
  from: equityQuerySent.from,
  to: equityQuerySent.to,
  period: equityQuerySent.period,
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
  const today = ukDate(now);
  const allowCustom = options.allowCustom ?? false;
  // The period is worked out once, in the cross-check; a query that parses has its dates.
  let period: ReturnType<typeof periodOf>["period"];
  const parsed = parseForm(equityQueryFields, params, (query) => {
    const asked = periodOf(query, today, allowCustom);
    period = asked.period;
    return { domain: query.domain && query.by !== "quintile" ? message("reports.errors.domainNeedsQuintile") : undefined, ...asked.errors };
  });
  if (!parsed.ok || !period) {
    // parseForm lists only the fields with a problem.
    const errors = (parsed.ok ? {} : parsed.errors) as Record<string, string>;
    return { ok: false, status: errors.period === "reports.errors.customNotAllowed" ? 403 : 400, errors, values: queryValues(equityQuerySent, params) };
  }
  const { by, edition, domain } = parsed.data;
  return { ok: true, query: { ...period, by, edition, domain } };
}

/** The dates of the period a query asks for, or what is wrong with it, by field. */
function periodOf(
  query: { period?: string; from?: string; to?: string },
  today: string,
  allowCustom: boolean,
): { period?: { period: string; from: string; to: string }; errors?: FieldErrors } {
  const { from = "", to = "" } = query;
  const asked = query.period || (from || to ? "custom" : "term");
  if (asked !== "custom") {
    const published = asked === "term" ? termPeriodOf(today) : asked === "year" ? academicYearOf(today) : publishedPeriod(asked, today);
    return published
      ? { period: { period: published.id, from: published.from, to: published.to } }
      : { errors: { period: message("reports.errors.periodUnknown") } };
  }
  const errors: FieldErrors = {
    from: isCalendarDate(from) ? undefined : message("reports.errors.from"),
    to: isCalendarDate(to) ? undefined : message("reports.errors.to"),
  };
  if (errors.from || errors.to) return { errors };
  if (from > to) return { errors: { to: message("reports.errors.toBeforeFrom") } };
  // A report covers at most a year (an academic year, say): children's homes, schools and
  // enrolment change over longer spans, so one table for several years would mislead.
  if (to >= addMonths(from, 12)) return { errors: { to: message("reports.errors.tooLong") } };
  if (from < PUBLISHED_SINCE) return { errors: { from: message("reports.errors.fromTooEarly") } };
  if (from > today) return { errors: { from: message("reports.errors.fromFuture") } };
  const published = publishedPeriodOf(from, to);
  if (published) return { period: { period: published.id, from, to } };
  // Custom periods could be differenced against each other or against a release.
  if (!allowCustom) return { errors: { period: message("reports.errors.customNotAllowed") } };
  return { period: { period: "custom", from, to } };
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
