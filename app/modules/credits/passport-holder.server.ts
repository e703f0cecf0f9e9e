import { hashSecretToken } from "../accounts/secret-token.server";
import type { DB } from "../db/database.server";
import { parsePassportNumber } from "../passports/passport-number";
import { isWellFormedPassportToken } from "../passports/passport.server";

export interface PassportHolder {
  childId: string;
  givenName: string;
  /** Enough to check the right card was scanned; staff never need the full name at a session. */
  familyInitial: string;
}

export type PassportLookup =
  | { ok: true; holder: PassportHolder }
  | { ok: false; code: "PASSPORT_NOT_FOUND" | "PASSPORT_REPLACED" | "PASSPORT_NUMBER_MISTYPED" };

/**
 * The child a scanned or typed passport belongs to, in one area: from the QR code's address
 * (`…/p/<token>`), a bare token, or a typed passport number (whose check character catches
 * a mistyped character before any lookup). Withdrawn children are not found; a replaced card
 * is recognised as such.
 */
export async function findPassportHolder(db: DB, areaId: string, input: string): Promise<PassportLookup> {
  const text = input.trim();
  const fromUrl = /\/p\/([A-Za-z0-9_-]+)\/?$/.exec(text)?.[1];
  let query = db
    .selectFrom("child")
    .select(["id", "given_name", "family_name"])
    .where("area_id", "=", areaId)
    .where("status", "=", "active");
  if (fromUrl || isWellFormedPassportToken(text)) {
    query = query.where("passport_token", "=", fromUrl ?? text);
  } else if (/^[a-z]{2}[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}$/i.test(text)) {
    const number = parsePassportNumber(text);
    if (!number) return { ok: false, code: "PASSPORT_NUMBER_MISTYPED" };
    query = query.where("passport_number", "=", number);
  } else {
    return { ok: false, code: "PASSPORT_NOT_FOUND" };
  }
  const child = await query.executeTakeFirst();
  if (!child) {
    // A lost card that was replaced: say so, so staff ask for the new one.
    const token = fromUrl ?? (isWellFormedPassportToken(text) ? text : null);
    const replaced = token
      ? await db
          .selectFrom("passport_replacement")
          .select("child_id")
          .where("area_id", "=", areaId)
          .where("old_token_hash", "=", hashSecretToken(token))
          .executeTakeFirst()
      : undefined;
    return { ok: false, code: replaced ? "PASSPORT_REPLACED" : "PASSPORT_NOT_FOUND" };
  }
  return { ok: true, holder: { childId: child.id, givenName: child.given_name, familyInitial: child.family_name.slice(0, 1).toUpperCase() } };
}
