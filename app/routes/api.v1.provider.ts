import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiHandler, apiJson, methodNotAllowed } from "~/modules/api/errors.server";
import { providerForClient } from "~/modules/api/provider.server";
import { db } from "~/modules/db/db.server";

export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, async () => {
    const client = await requireApiClient(db(), request);
    return apiJson(await providerForClient(db(), client));
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
