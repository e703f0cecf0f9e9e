import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiError, apiHandler, methodNotAllowed } from "~/modules/api/errors.server";
import { apiScanLimit, issueCreditFromApi } from "~/modules/credits/credit-api.server";
import { db } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}

export function action({ request }: ActionFunctionArgs) {
  return apiHandler(request, async () => {
    if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
    const client = await requireApiClient(db(), request, apiScanLimit());
    const lang = await resolveLanguage(request);
    const body: unknown = await request.json().catch(() => undefined);
    if (body === undefined) return apiError(400, "BAD_REQUEST", "api.errors.badJson", lang);
    return issueCreditFromApi(db(), client, body, lang);
  });
}
