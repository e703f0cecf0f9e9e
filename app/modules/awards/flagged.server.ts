import { sql } from "kysely";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * Certified awards that a credit revocation took the child back below (award.flagged_at).
 * The area coordinator decides each one: keep it (it is never flagged again) or withdraw it
 * (the award goes and its certificates are revoked with the reason given).
 */

export const MAX_REASON_LENGTH = 500;

export async function flaggedAwardCount(db: DB, areaId: string): Promise<number> {
  const row = await db
    .selectFrom("award")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("area_id", "=", areaId)
    .where("flagged_at", "is not", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The area's flagged awards, longest waiting first, with the child's hours now. */
export function flaggedAwards(db: DB, m: Membership, limit = 500) {
  return db
    .selectFrom("award")
    .innerJoin("child", sameArea("child.id", "award.child_id"))
    .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .select((eb) => [
      "award.child_id",
      "award.award_level_id",
      "award.reached_on",
      "award.flagged_at",
      "award.certified_at",
      "child.given_name",
      "child.family_name",
      "child.passport_number",
      "school.name as school_name",
      "award_level.name_en",
      "award_level.name_cy",
      "award_level.threshold_hours",
      eb
        .selectFrom("credit")
        .select(sql<number>`coalesce(sum(credit.quarter_hours), 0)`.as("qh"))
        .where(sameAreaRef("credit.child_id", "award.child_id"))
        .where("credit.revoked_at", "is", null)
        .as("quarter_hours"),
    ])
    .where("award.area_id", "=", m.areaId)
    .where("award.flagged_at", "is not", null)
    .orderBy("award.flagged_at")
    .orderBy("child.family_name")
    .limit(limit)
    .execute()
    .then((rows) => rows.map((row) => ({ ...row, quarter_hours: Number(row.quarter_hours ?? 0) })));
}

function checkIds(childId: string, levelId: string) {
  if (!isUuid(childId) || !isUuid(levelId)) notFound();
}

/** Keeps a flagged award: it stays, and the ledger sync no longer flags it. 404 if not flagged in this area. */
export async function keepFlaggedAward(db: DB, m: Membership, childId: string, levelId: string) {
  checkIds(childId, levelId);
  await db.transaction().execute(async (trx) => {
    const kept = await trx
      .updateTable("award")
      .set({ kept_at: new Date(), flagged_at: null })
      .where("area_id", "=", m.areaId)
      .where("child_id", "=", childId)
      .where("award_level_id", "=", levelId)
      .where("flagged_at", "is not", null)
      .returning(["reached_on"])
      .executeTakeFirst();
    if (!kept) notFound();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "award_kept",
      subjectType: "child",
      subjectId: childId,
      details: { awardLevelId: levelId, reachedOn: kept.reached_on },
    });
  });
}

export type WithdrawResult = { ok: true; certificatesRevoked: number } | { ok: false; error: string };

/**
 * Withdraws a flagged award: the award row goes and every certificate printed for it is
 * revoked (never deleted) with the coordinator's reason. 404 if not flagged in this area.
 */
export async function withdrawFlaggedAward(db: DB, m: Membership, childId: string, levelId: string, rawReason: string): Promise<WithdrawResult> {
  checkIds(childId, levelId);
  const reason = rawReason.normalize("NFC").trim();
  if (!reason) return { ok: false, error: "awards.flagged.errors.reasonRequired" };
  if (reason.length > MAX_REASON_LENGTH) return { ok: false, error: "awards.flagged.errors.reasonTooLong" };
  return db.transaction().execute(async (trx) => {
    const withdrawn = await trx
      .deleteFrom("award")
      .where("area_id", "=", m.areaId)
      .where("child_id", "=", childId)
      .where("award_level_id", "=", levelId)
      .where("flagged_at", "is not", null)
      .returning(["reached_on", "certified_at"])
      .executeTakeFirst();
    if (!withdrawn) notFound();
    const revoked = await trx
      .updateTable("certificate")
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where("area_id", "=", m.areaId)
      .where("child_id", "=", childId)
      .where("award_level_id", "=", levelId)
      .where("revoked_at", "is", null)
      .returning(["id", "serial"])
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "award_withdrawn",
      subjectType: "child",
      subjectId: childId,
      details: { awardLevelId: levelId, reachedOn: withdrawn.reached_on, reason, certificates: revoked.map((certificate) => certificate.serial) },
    });
    return { ok: true as const, certificatesRevoked: revoked.length };
  });
}
