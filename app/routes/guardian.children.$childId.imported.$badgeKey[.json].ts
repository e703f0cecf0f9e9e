import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { importedCredential } from "~/modules/certificates/imported-badges.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * One badge the child brought from another Children's University, as that issuer signed it, for
 * a wallet or to keep. Another family's child, or a key that is none of the child's, is a 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const key = params.badgeKey ?? "";
  const credential = await importedCredential(db(), membership, params.childId ?? "", key);
  return downloadResponse(JSON.stringify(credential, null, 2), "application/json; charset=utf-8", `open-badge-imported-${key.slice(0, 8)}.json`);
}
