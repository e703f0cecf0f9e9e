import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { db, reportsDb } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { mayAskCustomPeriod, REPORT_ROLES } from "~/modules/reports/breakdowns";
import { equityReport, equityScopeFor } from "~/modules/reports/equity.server";

/**
 * The equity report as CSV: the same figures, through the same disclosure control, as the
 * page. A query the page would refuse is refused here with the same reasons, as plain text
 * in the reader's language (a download has no page to show them on).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, REPORT_ROLES);
  const lang = await resolveLanguage(request);
  const parsed = parseEquityQuery(new URL(request.url).searchParams, new Date(), { allowCustom: mayAskCustomPeriod(membership.role) });
  if (!parsed.ok) {
    const t = translator(lang);
    const reasons = Object.values(parsed.errors).map((key) => t(receivedKey(key)));
    return new Response(`${reasons.join("\n")}\n`, {
      status: parsed.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const { from, to, by, edition, domain } = parsed.query;
  const report = await equityReport(reportsDb(), equityScopeFor(membership), { from, to, by, edition, domain });
  return downloadResponse(equityCsv(report, lang), "text/csv; charset=utf-8", `equity-${edition}-${domain ? `${domain}-` : ""}${by}-${from}-${to}.csv`);
}
