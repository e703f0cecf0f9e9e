import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/modules/api/errors.server";
import { issuerBySlug, ownDidDocument } from "~/modules/certificates/issuer-keys.server";
import { db } from "~/modules/db/db.server";

/**
 * An area's issuer as did:web resolves it (did:web:<host>:issuers:<slug> → this address):
 * every public key the area ever signed with, so any verifier can check its Open Badges.
 * Public and readable from any site (verifiers run in browsers too).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const issuer = await issuerBySlug(db(), params.slug ?? "");
  const document = issuer ? await ownDidDocument(db(), issuer.did) : null;
  if (!document) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return Response.json(document, {
    headers: { "Content-Type": "application/did+json", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" },
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
