import { sql } from "kysely";
import type { ApiClient } from "../accounts/api-tokens.server";
import type { DB } from "../db/database.server";
import type { Language } from "../i18n/i18n";
import { parsePassportNumber } from "../passports/passport-number";
import { apiError, apiJson } from "./errors.server";
import { sameAreaRef } from "../db/same-area.server";

/** Shaped like a passport number (prefix and eight characters, any case, hyphens or spaces optional). */
const NUMBER_SHAPE = /^[a-z]{2}[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}$/i;

/**
 * `GET /api/v1/passports/{number}`: what staff see of a child at a session — given name,
 * family initial and total hours — for a passport number typed at the token's provider.
 *
 * Only for those allowed to see it: a child of the token's area who has taken part with the
 * token's provider before (the rule of childrenVisibleTo for provider staff, in
 * accounts/access.server.ts). Every other number — unknown, another area's, another
 * provider's participant, a withdrawn child's — gets the same 404 UNKNOWN_PASSPORT, so the
 * API cannot be used to find out which numbers exist. A number whose check character does
 * not fit is caught before any lookup: 422 PASSPORT_NUMBER_MISTYPED.
 */
export async function passportForClient(db: DB, client: ApiClient, input: string, lang: Language) {
  const text = input.trim();
  if (!NUMBER_SHAPE.test(text)) return apiError(404, "UNKNOWN_PASSPORT", "api.errors.UNKNOWN_PASSPORT", lang);
  const number = parsePassportNumber(text);
  if (!number) return apiError(422, "PASSPORT_NUMBER_MISTYPED", "credits.refusals.PASSPORT_NUMBER_MISTYPED", lang);

  const child = await db
    .selectFrom("child")
    .select((eb) => [
      "child.passport_number",
      "child.given_name",
      "child.family_name",
      eb
        .selectFrom("credit")
        .select((inner) => inner.fn.coalesce(inner.fn.sum<number>("credit.quarter_hours"), sql<number>`0`).as("total"))
        .where(sameAreaRef("credit.child_id", "child.id"))
        .where("credit.revoked_at", "is", null)
        .as("quarter_hours"),
    ])
    .where("child.area_id", "=", client.areaId)
    .where("child.status", "=", "active")
    .where("child.passport_number", "=", number)
    .where((eb) =>
      eb.exists(
        eb.selectFrom("credit").select("credit.id").where(sameAreaRef("credit.child_id", "child.id")).where("credit.provider_id", "=", client.providerId),
      ),
    )
    .executeTakeFirst();
  if (!child) return apiError(404, "UNKNOWN_PASSPORT", "api.errors.UNKNOWN_PASSPORT", lang);
  return apiJson({
    passportNumber: child.passport_number,
    givenName: child.given_name,
    familyInitial: child.family_name.slice(0, 1).toUpperCase(),
    totalHours: Number(child.quarter_hours ?? 0) / 4,
  });
}
