import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiError, apiHandler, apiJson, methodNotAllowed } from "~/modules/api/errors.server";
import { db, reportsDb } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport } from "~/modules/reports/equity.server";

/**
 * GET /api/v1/reports/equity?from=&to=&by= — the equity report for the token's provider:
 * its own participants and its own credits, with the same suppression as the page.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, async () => {
    const client = await requireApiClient(db(), request);
    const params = new URL(request.url).searchParams;
    const parsed = parseEquityQuery(params);
    if (!parsed.ok || !params.get("from") || !params.get("to")) {
      // A period that is backwards or too long gets its own message; anything else the general one.
      const specific =
        !parsed.ok && ["reports.errors.toBeforeFrom", "reports.errors.tooLong"].includes(parsed.errors.to ?? "") && params.get("from")
          ? parsed.errors.to!
          : null;
      return apiError(400, "BAD_REQUEST", specific ?? "reports.errors.apiQuery", await resolveLanguage(request));
    }
    const { from, to, by, edition, domain } = parsed.query;
    return apiJson(await equityReport(reportsDb(), { areaId: client.areaId, providerId: client.providerId }, { from, to, by, edition, domain }));
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
