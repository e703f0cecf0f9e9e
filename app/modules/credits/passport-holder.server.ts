import { sql } from "kysely";
import { isUuid } from "../accounts/actor.server";
import { hashSecretToken } from "../accounts/secret-token.server";
import type { DB } from "../db/database.server";
import { parsePassportNumber } from "../passports/passport-number";
import { isWellFormedPassportToken } from "../passports/passport.server";
import { creditOutcome, issueCreditCall, type CreditOutcome, type CreditRequest, type IssueCreditRow } from "./ledger.server";

export interface PassportHolder {
  childId: string;
  givenName: string;
  /** Enough to check the right card was scanned; staff never need the full name at a session. */
  familyInitial: string;
}

export type PassportRefusal = "PASSPORT_NOT_FOUND" | "PASSPORT_REPLACED" | "PASSPORT_NUMBER_MISTYPED";

export type PassportCredit = { ok: true; holder: PassportHolder; outcome: CreditOutcome } | { ok: false; code: PassportRefusal };

type PassportKey = { token: string } | { number: string };

/**
 * What was scanned or typed: the QR code's address (`…/p/<token>`), a bare token, or a typed
 * passport number, whose check character catches a mistyped character before any lookup.
 */
function readPassport(input: string): PassportKey | { code: "PASSPORT_NOT_FOUND" | "PASSPORT_NUMBER_MISTYPED" } {
  const text = input.trim();
  const fromUrl = /\/p\/([A-Za-z0-9_-]+)\/?$/.exec(text)?.[1];
  if (fromUrl || isWellFormedPassportToken(text)) return { token: fromUrl ?? text };
  if (/^[a-z]{2}[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}$/i.test(text)) {
    const number = parsePassportNumber(text);
    return number ? { number } : { code: "PASSPORT_NUMBER_MISTYPED" };
  }
  return { code: "PASSPORT_NOT_FOUND" };
}

/**
 * Credits the child a passport belongs to, in one area, for a scan at a session (the in-app
 * scanner and `POST /api/v1/credits`). The child is found and the credit goes through the
 * ledger's one door (`pasbort_issue_credit`) in one statement: one round trip on the
 * scanners' busiest path (ADR 0015). Withdrawn children are not found; a replaced card is
 * recognised as such, so staff ask for the new one. `request.sessionId` must be a UUID.
 */
export async function creditPassportHolder(db: DB, passport: string, request: Omit<CreditRequest, "childId">): Promise<PassportCredit> {
  if (!isUuid(request.sessionId)) throw new Error("creditPassportHolder: the session id is not a UUID.");
  const key = readPassport(passport);
  if ("code" in key) return { ok: false, code: key.code };
  const { rows } = await sql<IssueCreditRow & { child_id: string; given_name: string; family_name: string }>`
    select child.id as child_id, child.given_name, child.family_name, credit.*
    from child cross join lateral ${issueCreditCall(request, sql.ref("child.id"))} as credit
    where child.area_id = ${request.areaId} and child.status = 'active'
      and ${"token" in key ? sql`child.passport_token = ${key.token}` : sql`child.passport_number = ${key.number}`}`.execute(db);
  const row = rows[0];
  if (!row) return { ok: false, code: "token" in key && (await wasReplaced(db, request.areaId, key.token)) ? "PASSPORT_REPLACED" : "PASSPORT_NOT_FOUND" };
  return {
    ok: true,
    holder: { childId: row.child_id, givenName: row.given_name, familyInitial: row.family_name.slice(0, 1).toUpperCase() },
    outcome: creditOutcome(row, row.child_id),
  };
}

/** A lost card that was replaced: its old token is kept, hashed, for this answer only. */
async function wasReplaced(db: DB, areaId: string, token: string) {
  const replaced = await db
    .selectFrom("passport_replacement")
    .select("child_id")
    .where("area_id", "=", areaId)
    .where("old_token_hash", "=", hashSecretToken(token))
    .executeTakeFirst();
  return Boolean(replaced);
}
