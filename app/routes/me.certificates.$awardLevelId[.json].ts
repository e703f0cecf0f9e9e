import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireChild } from "~/modules/accounts/access.server";
import { guardianCredential } from "~/modules/certificates/badge-files.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * The child's own Open Badge of an award they have reached, as a JSON file (the same stored
 * credential the guardian downloads), with the PDF's scope: their session's child only, so an
 * award not reached, waiting or another area's is a 404 and there is no child id to change.
 * It names no one: adding the name is the guardian's choice (`?name=1` on their download).
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const me = requireChild(context);
  const { certificate, credential } = await guardianCredential(db(), me, me.childId, params.awardLevelId ?? "", publicOrigin(), { withName: false });
  return downloadResponse(
    JSON.stringify(credential, null, 2),
    "application/json; charset=utf-8",
    `open-badge-${certificate.childGivenName}-${certificate.serial}.json`,
  );
}
