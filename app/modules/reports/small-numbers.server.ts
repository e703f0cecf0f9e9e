import type { DB } from "../db/database.server";
import { equitySearch, type EquityQuery } from "./equity-query.server";
import { academicYearOf } from "./published-periods";
import { equityReport, type EquityReport, type EquityScope } from "./equity.server";

/**
 * What to tell a reader when the gap between the most and least deprived fifths cannot be
 * shown (too few children in a fifth for its figures to be published): a longer period that
 * can show it, or that even the academic year cannot; and, for a school or a Learning
 * Destination, that the whole area's report (the coordinators') covers more children.
 */
export interface SmallNumbersAdvice {
  /** The academic year holding the period, when the period is shorter: its search string and whether it shows the gap. */
  longer: { search: string; showsGap: boolean } | null;
  /** The reader sees only a school or a provider: the area's report is wider. */
  wider: boolean;
}

export async function smallNumbersAdvice(
  db: DB,
  scope: EquityScope,
  query: EquityQuery,
  report: EquityReport,
  today: string,
): Promise<SmallNumbersAdvice | null> {
  if (report.gap.verdict !== null) return null;
  let longer: SmallNumbersAdvice["longer"] = null;
  const year = academicYearOf(query.to);
  // Every academic year that has started is a published period, asked for by its name.
  if (query.period !== year.id && year.from <= today) {
    const yearQuery: EquityQuery = { ...query, by: "quintile", period: year.id, from: year.from, to: year.to };
    const yearReport = await equityReport(db, scope, { from: year.from, to: year.to, by: "quintile", edition: query.edition, domain: query.domain });
    longer = { search: equitySearch(yearQuery), showsGap: yearReport.gap.verdict !== null };
  }
  return { longer, wider: Boolean(scope.schoolId || scope.providerId) };
}
