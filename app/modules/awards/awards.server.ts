import { sql } from "kysely";
import type { DB } from "../db/database.server";

export interface ReachedAward {
  levelId: string;
  thresholdHours: number;
  nameEn: string;
  nameCy: string;
}

/**
 * Brings a child's awards in step with their ledger, inside the caller's transaction: every
 * level at or below the child's hours is reached (once — running it again changes nothing);
 * a level the hours fall back below loses its award if it was never certified, and is
 * flagged for the coordinator if it was (unless the coordinator already chose to keep it).
 * Returns the awards reached by this call.
 */
export async function syncAwards(db: DB, areaId: string, childId: string, on: string): Promise<ReachedAward[]> {
  // A ladder change (ladder.server.ts) holds the area row FOR UPDATE: wait for it, so the
  // awards are worked out against one ladder, never half of an edit.
  await db.selectFrom("area").select("id").where("id", "=", areaId).forKeyShare().execute();
  const [total, levels, held] = await Promise.all([
    db
      .selectFrom("credit")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("quarter_hours"), sql<number>`0`).as("quarter_hours"))
      .where("area_id", "=", areaId)
      .where("child_id", "=", childId)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow(),
    db.selectFrom("award_level").select(["id", "threshold_hours", "name_en", "name_cy"]).where("area_id", "=", areaId).orderBy("threshold_hours").execute(),
    db.selectFrom("award").select(["award_level_id", "certified_at", "flagged_at", "kept_at"]).where("area_id", "=", areaId).where("child_id", "=", childId).execute(),
  ]);
  const hours = total.quarter_hours / 4;
  const heldByLevel = new Map(held.map((award) => [award.award_level_id, award]));
  const reached = levels.filter((level) => level.threshold_hours <= hours);
  const lost = levels.filter((level) => level.threshold_hours > hours && heldByLevel.has(level.id));

  const fresh = reached.filter((level) => !heldByLevel.has(level.id));
  if (fresh.length) {
    await db
      .insertInto("award")
      .values(fresh.map((level) => ({ area_id: areaId, child_id: childId, award_level_id: level.id, reached_on: on })))
      .onConflict((oc) => oc.columns(["area_id", "child_id", "award_level_id"]).doNothing())
      .execute();
  }
  const regained = reached.filter((level) => heldByLevel.get(level.id)?.flagged_at).map((level) => level.id);
  if (regained.length) {
    await db.updateTable("award").set({ flagged_at: null }).where("area_id", "=", areaId).where("child_id", "=", childId).where("award_level_id", "in", regained).execute();
  }
  const uncertified = lost.filter((level) => !heldByLevel.get(level.id)!.certified_at).map((level) => level.id);
  if (uncertified.length) {
    await db.deleteFrom("award").where("area_id", "=", areaId).where("child_id", "=", childId).where("award_level_id", "in", uncertified).execute();
  }
  // A certified award the coordinator decided to keep stays as it is: it is not flagged again.
  const certified = lost
    .filter((level) => {
      const award = heldByLevel.get(level.id)!;
      return award.certified_at && !award.flagged_at && !award.kept_at;
    })
    .map((level) => level.id);
  if (certified.length) {
    await db.updateTable("award").set({ flagged_at: new Date() }).where("area_id", "=", areaId).where("child_id", "=", childId).where("award_level_id", "in", certified).execute();
  }
  return fresh.map((level) => ({ levelId: level.id, thresholdHours: level.threshold_hours, nameEn: level.name_en, nameCy: level.name_cy }));
}
