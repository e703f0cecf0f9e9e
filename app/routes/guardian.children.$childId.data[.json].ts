import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { exportChildData } from "~/modules/children/data-rights.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/** Everything held about a child, as JSON, for their guardian. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const data = await exportChildData(db(), membership, params.childId ?? "");
  const day = data.exportedAt.slice(0, 10);
  return downloadResponse(JSON.stringify(data, null, 2), "application/json; charset=utf-8", `pasbort-${data.child.givenName}-${day}.json`);
}
