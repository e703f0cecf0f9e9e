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
  // The rule lives in the database (`pasbort_sync_awards`, migration 0013), where issuing a credit uses it too.
  const { rows } = await sql<{ level_id: string; threshold_hours: number; name_en: string; name_cy: string }>`
    select * from pasbort_sync_awards(${areaId}, ${childId}, ${on})`.execute(db);
  return rows.map((level) => ({ levelId: level.level_id, thresholdHours: level.threshold_hours, nameEn: level.name_en, nameCy: level.name_cy }));
}
