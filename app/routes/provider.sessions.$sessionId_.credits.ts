import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { sessionForStaff } from "~/modules/accounts/homes.server";
import { scanBody, scanError, scanIntoSession, scanJsonHandler, scanResponse, SCAN_ROLES } from "~/modules/credits/session-scan.server";
import { db } from "~/modules/db/db.server";

/**
 * `POST /provider/sessions/:sessionId/credits` `{passport, idempotencyKey}`: the scanner
 * page's own door to the ledger, authenticated by the staff member's session cookie (same
 * origin only: cross-site posts are refused in server.ts). Always answers JSON, so the
 * phone's offline queue can tell an answer from a lost connection. Devices without a person
 * signed in use the bearer-token API, /api/v1/credits.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return scanJsonHandler(request, async (lang) => scanError(405, "METHOD_NOT_ALLOWED", "api.errors.methodNotAllowed", lang));
}

export function action({ request, context, params }: ActionFunctionArgs) {
  return scanJsonHandler(request, async (lang) => {
    if (request.method !== "POST") return scanError(405, "METHOD_NOT_ALLOWED", "api.errors.methodNotAllowed", lang);
    if (!context.signedIn) return scanError(401, "UNAUTHORIZED", "scanner.api.signedOut", lang);
    const { membership } = await requireActor(db(), request, context, SCAN_ROLES);
    const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
    const parsed = scanBody.safeParse(await request.json().catch(() => undefined));
    if (!parsed.success) return scanError(400, "BAD_REQUEST", "api.errors.badRequest", lang);
    return scanResponse(await scanIntoSession(db(), membership, session, parsed.data), lang);
  });
}
