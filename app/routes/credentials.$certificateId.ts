import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/modules/api/errors.server";
import { publicCredential } from "~/modules/certificates/badge-files.server";
import { db } from "~/modules/db/db.server";

/**
 * An Open Badge at its own address (its `id`): what a wallet adds from a link or QR code.
 * Public like /verify/<id>: the id is unguessable and the credential names no one.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const credential = await publicCredential(db(), params.certificateId);
  return Response.json(credential, {
    headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
