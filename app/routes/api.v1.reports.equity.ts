import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiError, apiHandler, apiJson, methodNotAllowed } from "~/modules/api/errors.server";
import { db, reportsDb } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport } from "~/modules/reports/equity.server";
import { receivedKey } from "~/modules/i18n/i18n";

/**
 * GET /api/v1/reports/equity?period=&by= (or from=&to= of a published period) — the equity
 * report for the token's provider: its own participants and its own credits, through the
 * same disclosure control as the page. Published periods only: a token is not a coordinator.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, async () => {
    const client = await requireApiClient(db(), request);
    const params = new URL(request.url).searchParams;
    const parsed = parseEquityQuery(params, new Date(), { allowCustom: false });
    if (!parsed.ok) {
      const lang = await resolveLanguage(request);
      if (parsed.status === 403) return apiError(403, "PERIOD_NOT_PUBLISHED", receivedKey(parsed.errors.period!), lang);
      // A period that is backwards, too long or out of range gets its own message; anything else the general one.
      const specific = Object.values(parsed.errors).find((key) =>
        [
          "reports.errors.toBeforeFrom",
          "reports.errors.tooLong",
          "reports.errors.fromTooEarly",
          "reports.errors.fromFuture",
          "reports.errors.periodUnknown",
        ].includes(key),
      );
      return apiError(400, "BAD_REQUEST", specific ? receivedKey(specific) : "reports.errors.apiQuery", lang);
    }
    const { from, to, by, edition, domain } = parsed.query;
    return apiJson(await equityReport(reportsDb(), { areaId: client.areaId, providerId: client.providerId }, { from, to, by, edition, domain }));
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
