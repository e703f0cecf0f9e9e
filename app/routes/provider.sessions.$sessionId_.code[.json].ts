import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { pendingClaimCount } from "~/modules/claims/claims.server";
import { freshScreenCode } from "~/modules/claims/session-codes.server";
import { db } from "~/modules/db/db.server";

/** The screen's next code, for the code page's script: `{ code, pendingClaims }`, with `code: null` once claims stop. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "provider_owner", "provider_member"]);
  const code = await freshScreenCode(db(), membership, params.sessionId ?? "", new URL(request.url).origin);
  const pendingClaims = await pendingClaimCount(db(), membership, params.sessionId);
  return Response.json({ code, pendingClaims }, { headers: { "Cache-Control": "no-store" } });
}
