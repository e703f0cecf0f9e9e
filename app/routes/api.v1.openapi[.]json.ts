import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/modules/api/errors.server";
import { openApiDocument } from "~/modules/api/openapi";

/** Public: the description holds no data, and client generators fetch it without a token. */
export function loader() {
  return Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
