import type { DB } from "../db/database.server";
import type { ApiClient } from "./api-auth.server";

/** GET /api/v1/provider: the token's own provider, read only through the token's area and provider. */
export async function providerForClient(db: DB, client: ApiClient) {
  const provider = await db
    .selectFrom("provider")
    .select(["id", "name_en", "name_cy", "status", "validated_until"])
    .where("area_id", "=", client.areaId)
    .where("id", "=", client.providerId)
    .executeTakeFirstOrThrow();
  const activities = await db
    .selectFrom("activity")
    .select(["id", "title_en", "title_cy"])
    .where("area_id", "=", client.areaId)
    .where("provider_id", "=", client.providerId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return {
    id: provider.id,
    name: provider.name_en,
    name_cy: provider.name_cy,
    status: provider.status,
    validatedUntil: provider.validated_until,
    activities,
  };
}
