import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { guardianCredential } from "~/modules/certificates/badge-files.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { queryValues } from "~/modules/forms/read-form.server";
import { flag } from "~/modules/forms/fields.server";

/**
 * One award's Open Badge as a file for a wallet or to keep, made with its certificate the first
 * time. `?name=1` adds the child's name (the guardian's choice); without it the badge names
 * no one. Another family's child, or an award not reached, is a 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const { name: withName } = queryValues({ name: flag("1") }, new URL(request.url).searchParams);
  const origin = publicOrigin();
  const { certificate, credential } = await guardianCredential(db(), membership, params.childId ?? "", params.awardLevelId ?? "", origin, { withName });
  return downloadResponse(
    JSON.stringify(credential, null, 2),
    "application/json; charset=utf-8",
    `open-badge-${certificate.childGivenName}-${certificate.serial}.json`,
  );
}
