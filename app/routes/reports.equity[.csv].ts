import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest, requireActor } from "~/modules/accounts/actor.server";
import { db, reportsDb } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { REPORT_ROLES } from "~/modules/reports/breakdowns";
import { equityReport, equityScopeFor } from "~/modules/reports/equity.server";

/** The equity report as CSV: the same figures, with the same suppression, as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, REPORT_ROLES);
  const parsed = parseEquityQuery(new URL(request.url).searchParams);
  if (!parsed.ok) badRequest();
  const { from, to, by, edition, domain } = parsed.query;
  const report = await equityReport(reportsDb(), equityScopeFor(membership), { from, to, by, edition, domain });
  const lang = await resolveLanguage(request);
  return downloadResponse(equityCsv(report, lang), "text/csv; charset=utf-8", `equity-${edition}-${domain ? `${domain}-` : ""}${by}-${from}-${to}.csv`);
}
