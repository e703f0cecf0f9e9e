import { checkHealth } from "~/modules/db/health.server";
import { db, reportsHealth } from "~/modules/db/db.server";

/**
 * The primary decides the status (503 when it is down). Reports are reported beside it: where
 * they read (the replica, or the primary while the replica is down or behind), never a 503.
 */
export async function loader() {
  const [health, reports] = await Promise.all([checkHealth(db()), reportsHealth()]);
  return Response.json(
    { ...health, reports },
    {
      status: health.status === "ok" ? 200 : 503,
      headers: { "Cache-Control": "no-store" },
    },
  );
}
