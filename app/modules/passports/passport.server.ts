import { randomBytes, randomInt } from "node:crypto";
import { recordAudit } from "../audit/audit.server";
import { childrenVisibleTo } from "../accounts/access.server";
import { isUuid, notFound, type Actor, type Membership } from "../accounts/actor.server";
import { hashSecretToken } from "../accounts/secret-token.server";
import type { DB } from "../db/database.server";
import { generatePassportNumber } from "./passport-number";

/**
 * A passport's two identities: the number people read and type (`WF-7K3M-9Q2D`, with a check
 * character), and the token its QR code carries — 160 random bits, opaque, so a found card
 * tells nobody anything without signing in as staff.
 */

export const PASSPORT_TOKEN_BYTES = 20;

export function newPassportToken() {
  return randomBytes(PASSPORT_TOKEN_BYTES).toString("base64url");
}

/** Tokens are base64url (new) or hex (the demo's); anything else is refused without a query. */
export function isWellFormedPassportToken(token: string | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{22,64}$/.test(token);
}

/** The address a passport's QR code holds. */
export function passportUrl(origin: string, token: string) {
  return `${origin}/p/${token}`;
}

/** A passport number not yet used in the area. Collisions are rare (32⁷ numbers); retried all the same. */
export async function newPassportNumber(db: DB, areaId: string) {
  const area = await db.selectFrom("area").select("passport_prefix").where("id", "=", areaId).executeTakeFirstOrThrow();
  for (let attempt = 0; attempt < 20; attempt++) {
    const number = generatePassportNumber(area.passport_prefix, () => randomInt(0, 2 ** 32) / 2 ** 32);
    const taken = await db.selectFrom("child").select("id").where("area_id", "=", areaId).where("passport_number", "=", number).executeTakeFirst();
    if (!taken) return number;
  }
  throw new Error("Could not find an unused passport number.");
}

/** A fresh number and token for a new child. */
export async function issuePassport(db: DB, areaId: string) {
  return { passportNumber: await newPassportNumber(db, areaId), passportToken: newPassportToken() };
}

/**
 * A lost card: the child gets a new token, and the old one is refused from now on. Only the
 * old token's hash is kept (so a replaced card shown later is recorded in the audit trail).
 * The passport number stays: it is the child's, not the card's.
 */
export async function replacePassportCard(db: DB, m: Membership, childId: string, now = new Date()) {
  if (!isUuid(childId)) notFound();
  if (m.role !== "guardian" && m.role !== "school" && m.role !== "coordinator") notFound();
  return db.transaction().execute(async (trx) => {
    const child = await childrenVisibleTo(trx, m)
      .select(["child.id", "child.passport_token"])
      .where("child.id", "=", childId)
      .where("child.status", "=", "active")
      .forUpdate()
      .executeTakeFirst();
    if (!child) notFound();
    const token = newPassportToken();
    await trx
      .insertInto("passport_replacement")
      .values({ area_id: m.areaId, child_id: child.id, old_token_hash: hashSecretToken(child.passport_token), replaced_by: m.userId })
      .execute();
    await trx.updateTable("child").set({ passport_token: token, passport_issued_at: now }).where("area_id", "=", m.areaId).where("id", "=", child.id).execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "passport_replaced",
      subjectType: "child",
      subjectId: child.id,
      details: { role: m.role },
    });
    return { token };
  });
}

export type PassportScan =
  | { kind: "signedOut" }
  | { kind: "invalid" }
  | { kind: "guardian"; childId: string }
  | { kind: "staff"; givenName: string; familyInitial: string; passportNumber: string }
  | { kind: "notForYou" };

/**
 * What opening a passport's QR address shows. Signed out: nothing about the child (only a
 * sign-in prompt) — not even whether the token is real. A wrong, tampered or replaced token
 * is always the same "not a valid passport", with no detail. A guardian of the child goes to
 * the passport; provider staff (and the area's coordinator, the child's school) see the given
 * name and family initial, enough to check they scanned the right card.
 */
export async function scanPassport(db: DB, token: string | undefined, actor: Actor | null): Promise<PassportScan> {
  if (!actor) return { kind: "signedOut" };
  const m = actor.membership;
  const invalid = async (): Promise<PassportScan> => {
    if (m && isWellFormedPassportToken(token)) {
      const replaced = await db
        .selectFrom("passport_replacement")
        .select("child_id")
        .where("area_id", "=", m.areaId)
        .where("old_token_hash", "=", hashSecretToken(token))
        .executeTakeFirst();
      if (replaced) {
        await recordAudit(db, {
          areaId: m.areaId,
          actorUserId: m.userId,
          action: "passport_token_refused",
          subjectType: "child",
          subjectId: replaced.child_id,
          details: { reason: "replaced", role: m.role },
        });
      }
    }
    return { kind: "invalid" };
  };
  if (!m || !isWellFormedPassportToken(token)) return invalid();
  // Only within the membership's own area: a card from another Children's University is not valid here.
  const child = await db
    .selectFrom("child")
    .select(["child.id", "child.given_name", "child.family_name", "child.passport_number"])
    .where("child.area_id", "=", m.areaId)
    .where("child.passport_token", "=", token)
    .where("child.status", "=", "active")
    .executeTakeFirst();
  if (!child) return invalid();
  if (m.role === "guardian") {
    const own = await childrenVisibleTo(db, m).select("child.id").where("child.id", "=", child.id).executeTakeFirst();
    return own ? { kind: "guardian", childId: child.id } : { kind: "notForYou" };
  }
  if (m.role === "viewer") return { kind: "notForYou" };
  if (m.role === "school") {
    const own = await childrenVisibleTo(db, m).select("child.id").where("child.id", "=", child.id).executeTakeFirst();
    if (!own) return { kind: "notForYou" };
  }
  await recordAudit(db, {
    areaId: m.areaId,
    actorUserId: m.userId,
    action: "passport_scanned",
    subjectType: "child",
    subjectId: child.id,
    details: { role: m.role, providerId: m.providerId },
  });
  return {
    kind: "staff",
    givenName: child.given_name,
    familyInitial: child.family_name.slice(0, 1).toUpperCase(),
    passportNumber: child.passport_number,
  };
}

/**
 * The children whose cards a membership may print: one of a guardian's own, or a school's
 * pupils (all, one year group or one class). Recorded in the audit trail with a count.
 */
export async function cardsToPrint(db: DB, m: Membership, origin: string, filter: { childId?: string; yearGroup?: number | null; className?: string | null }) {
  if (m.role !== "guardian" && m.role !== "school") notFound();
  if (filter.childId !== undefined && !isUuid(filter.childId)) notFound();
  let query = childrenVisibleTo(db, m).select(["child.id", "child.given_name", "child.family_name", "child.passport_number", "child.passport_token"]);
  if (filter.childId !== undefined) query = query.where("child.id", "=", filter.childId);
  if (filter.yearGroup !== undefined && filter.yearGroup !== null) query = query.where("child.year_group", "=", filter.yearGroup);
  if (filter.className) query = query.where("child.class_name", "=", filter.className);
  const children = await query.orderBy("child.class_name").orderBy("child.family_name").orderBy("child.given_name").execute();
  if (filter.childId !== undefined && children.length === 0) notFound();
  const area = await db.selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", m.areaId).executeTakeFirstOrThrow();
  await recordAudit(db, {
    areaId: m.areaId,
    actorUserId: m.userId,
    action: "passport_card_printed",
    subjectType: filter.childId ? "child" : "school",
    subjectId: filter.childId ?? m.schoolId ?? undefined,
    details: { cards: children.length, yearGroup: filter.yearGroup ?? null, className: filter.className ?? null },
  });
  return {
    area: { nameEn: area.name_en, nameCy: area.name_cy },
    cards: children.map((child) => ({
      givenName: child.given_name,
      familyName: child.family_name,
      passportNumber: child.passport_number,
      passportUrl: passportUrl(origin, child.passport_token),
    })),
  };
}
