import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireChild } from "~/modules/accounts/access.server";
import { importedCredential } from "~/modules/certificates/imported-badges.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * One badge the child brought from another Children's University, as that issuer signed it,
 * with the guardian's download's scope narrowed to the session's own child (there is no child
 * id to change): a key that is none of their badges is a 404.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const me = requireChild(context);
  const key = params.badgeKey ?? "";
  const credential = await importedCredential(db(), me, me.childId, key);
  return downloadResponse(JSON.stringify(credential, null, 2), "application/json; charset=utf-8", `open-badge-imported-${key.slice(0, 8)}.json`);
}
