import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/modules/api/errors.server";
import { issuerBySlug } from "~/modules/certificates/issuer-keys.server";
import { statusListCredential } from "~/modules/certificates/status-list.server";
import { db } from "~/modules/db/db.server";

/**
 * An area's Bitstring Status List (revocation) as a signed credential: what a verifier fetches
 * to see whether an Open Badge has been withdrawn. Public, readable from any site, cached briefly.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const issuer = await issuerBySlug(db(), params.slug ?? "");
  const list = /^[1-9][0-9]{0,5}$/.test(params.list ?? "") ? Number(params.list) : null;
  if (!issuer || list === null) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const credential = await statusListCredential(db(), issuer.area_id, issuer.base_url, list);
  return Response.json(credential, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60" } });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
