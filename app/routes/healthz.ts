import { checkHealth } from "~/modules/db/health.server";
import { db } from "~/modules/db/db.server";

export async function loader() {
  const health = await checkHealth(db());
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
