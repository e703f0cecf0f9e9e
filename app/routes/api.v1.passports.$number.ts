import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiHandler, methodNotAllowed } from "~/modules/api/errors.server";
import { passportForClient } from "~/modules/api/passport-lookup.server";
import { db } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

/** GET /api/v1/passports/{number}: a typed passport number, for the token's provider's own participants only. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, async () => {
    const client = await requireApiClient(db(), request);
    return passportForClient(db(), client, params.number ?? "", await resolveLanguage(request));
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
