import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loadActor } from "~/modules/accounts/actor.server";
import { apiError, apiHandler, methodNotAllowed } from "~/modules/api/errors.server";
import { claimFromApi } from "~/modules/claims/claim-api.server";
import { db } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

/** What a client without a guardian's session is told: this address takes the session cookie, not a bearer token. */
const COOKIE_CHALLENGE = { "WWW-Authenticate": 'Cookie realm="pasbort"' };

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}

/**
 * POST /api/v1/claims: a guardian's claim with a session code, for Pasbort's own pages and
 * app. API tokens belong to providers, so this one address is authenticated by the guardian's
 * session cookie instead (same-origin only: the server refuses cross-site writes), and an
 * Authorization header is ignored.
 */
export function action({ request, context }: ActionFunctionArgs) {
  return apiHandler(request, async () => {
    if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
    const lang = await resolveLanguage(request);
    if (!context.signedIn) return apiError(401, "UNAUTHORIZED", "api.errors.signInGuardian", lang, COOKIE_CHALLENGE);
    const { membership } = await loadActor(db(), context.signedIn);
    if (membership?.role !== "guardian") return apiError(403, "FORBIDDEN", "api.errors.guardianOnly", lang);
    if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) return apiError(400, "BAD_REQUEST", "api.errors.badJson", lang);
    const body: unknown = await request.json().catch(() => undefined);
    if (body === undefined) return apiError(400, "BAD_REQUEST", "api.errors.badJson", lang);
    return claimFromApi(db(), membership, body, lang);
  });
}
