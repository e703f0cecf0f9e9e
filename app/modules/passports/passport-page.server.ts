import { childrenVisibleTo } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import type { Category } from "../db/schema";

export const CATEGORIES: Category[] = ["sport", "volunteering", "nature", "arts", "stem", "reading", "community", "welsh"];

export interface AwardProgress {
  hours: number;
  /** The last level reached, if any. */
  reached: { thresholdHours: number; nameEn: string; nameCy: string } | null;
  /** The next level, or null at the top of the ladder. */
  next: { thresholdHours: number; nameEn: string; nameCy: string; hoursToGo: number } | null;
  /** 0–100: how far from the last level (or zero) to the next. */
  percent: number;
}

/**
 * Where a child stands on the area's ladder. Hours carry forward, so thresholds are totals.
 * (The awards issue will record awards; this only reads the ladder and the hours.)
 */
export function awardProgress(quarterHours: number, ladder: Array<{ threshold_hours: number; name_en: string; name_cy: string }>): AwardProgress {
  const hours = quarterHours / 4;
  const levels = [...ladder].sort((a, b) => a.threshold_hours - b.threshold_hours);
  const reachedLevel = levels.filter((level) => level.threshold_hours <= hours).at(-1) ?? null;
  const nextLevel = levels.find((level) => level.threshold_hours > hours) ?? null;
  const from = reachedLevel?.threshold_hours ?? 0;
  const percent = nextLevel ? Math.floor(((hours - from) / (nextLevel.threshold_hours - from)) * 100) : 100;
  return {
    hours,
    reached: reachedLevel && { thresholdHours: reachedLevel.threshold_hours, nameEn: reachedLevel.name_en, nameCy: reachedLevel.name_cy },
    next: nextLevel && {
      thresholdHours: nextLevel.threshold_hours,
      nameEn: nextLevel.name_en,
      nameCy: nextLevel.name_cy,
      hoursToGo: nextLevel.threshold_hours - hours,
    },
    percent: Math.max(0, Math.min(100, percent)),
  };
}

/** A child's passport as their guardian (and the child, on the guardian's phone) sees it. */
export async function passportSummary(db: DB, m: Membership, childId: string) {
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m)
    .leftJoin("school", (join) => join.onRef("school.area_id", "=", "child.area_id").onRef("school.id", "=", "child.school_id"))
    .select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.passport_number",
      "child.preferred_language",
      "child.passport_issued_at",
      "school.name as school_name",
    ])
    .where("child.id", "=", childId)
    .executeTakeFirst();
  if (!child) notFound();

  const [stamps, ladder] = await Promise.all([
    db
      .selectFrom("credit")
      .innerJoin("activity", (join) => join.onRef("activity.area_id", "=", "credit.area_id").onRef("activity.id", "=", "credit.activity_id"))
      .innerJoin("provider", (join) => join.onRef("provider.area_id", "=", "credit.area_id").onRef("provider.id", "=", "credit.provider_id"))
      .select([
        "credit.id",
        "credit.earned_on",
        "credit.quarter_hours",
        "activity.title_en",
        "activity.title_cy",
        "activity.category",
        "provider.name_en as provider_name_en",
        "provider.name_cy as provider_name_cy",
      ])
      .where("credit.area_id", "=", m.areaId)
      .where("credit.child_id", "=", child.id)
      .where("credit.revoked_at", "is", null)
      .orderBy("credit.earned_on", "desc")
      .orderBy("credit.created_at", "desc")
      .execute(),
    db.selectFrom("award_level").select(["threshold_hours", "name_en", "name_cy"]).where("area_id", "=", m.areaId).execute(),
  ]);

  const quarterHours = stamps.reduce((sum, stamp) => sum + stamp.quarter_hours, 0);
  const tried = new Set(stamps.map((stamp) => stamp.category));
  return {
    child,
    progress: awardProgress(quarterHours, ladder),
    stamps,
    categories: CATEGORIES.map((category) => ({ category, tried: tried.has(category) })),
  };
}
