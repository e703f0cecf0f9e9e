import { sql } from "kysely";
import { childrenInScope, type ChildPrincipal } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { ukDate } from "../activities/uk-time.server";
import type { DB } from "../db/database.server";
import type { Category, Skill } from "../db/schema";
import { SKILLS } from "../activities/options";
import { sameArea, sameAreaRef } from "../db/same-area.server";

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

/** Stamps shown on the passport page until the guardian asks for all of them. */
export const RECENT_STAMPS = 30;

/**
 * A child's passport as their guardian (and the child, on the guardian's phone) sees it: the
 * latest stamps (all of them with `allStamps`), with hours and kinds tried over the whole ledger.
 */
export async function passportSummary(db: DB, m: Membership | ChildPrincipal, childId: string, options: { allStamps?: boolean } = {}) {
  if (!isUuid(childId)) notFound();
  const child = await childrenInScope(db, m)
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.passport_number",
      "child.preferred_language",
      "child.passport_issued_at",
      "school.name as school_name",
      "child.birth_year",
      "child.birth_month",
      "child.home_lsoa_code",
    ])
    .where("child.id", "=", childId)
    .executeTakeFirst();
  if (!child) notFound();

  const [stamps, totals, ladder, awards, suggestions, skills] = await Promise.all([
    db
      .selectFrom("credit")
      .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
      .innerJoin("provider", sameArea("provider.id", "credit.provider_id"))
      .select([
        "credit.id",
        "credit.earned_on",
        "credit.quarter_hours",
        "activity.title_en",
        "activity.title_cy",
        "activity.category",
        "activity.skills",
        "provider.name_en as provider_name_en",
        "provider.name_cy as provider_name_cy",
      ])
      .where("credit.area_id", "=", m.areaId)
      .where("credit.child_id", "=", child.id)
      .where("credit.revoked_at", "is", null)
      .orderBy("credit.earned_on", "desc")
      .orderBy("credit.created_at", "desc")
      .$if(!options.allStamps, (query) => query.limit(RECENT_STAMPS))
      .execute(),
    db
      .selectFrom("credit")
      .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
      .select([
        sql<number>`count(*)`.as("stamps"),
        sql<number>`coalesce(sum(credit.quarter_hours), 0)`.as("quarter_hours"),
        sql<Category[]>`coalesce(json_agg(distinct activity.category), '[]'::json)`.as("categories"),
      ])
      .where("credit.area_id", "=", m.areaId)
      .where("credit.child_id", "=", child.id)
      .where("credit.revoked_at", "is", null)
      .executeTakeFirstOrThrow(),
    db.selectFrom("award_level").select(["threshold_hours", "name_en", "name_cy"]).where("area_id", "=", m.areaId).execute(),
    db
      .selectFrom("award")
      .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
      .select(["award_level.id", "award_level.threshold_hours", "award_level.name_en", "award_level.name_cy", "award.reached_on", "award.certified_at"])
      .where("award.area_id", "=", m.areaId)
      .where("award.child_id", "=", child.id)
      .orderBy("award_level.threshold_hours", "desc")
      .execute(),
    somethingNew(db, m.areaId, child),
    // The skills the child's stamps practised (issue 16): how many stamps carried each one.
    db
      .selectFrom(
        db
          .selectFrom("credit")
          .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
          .select(sql<Skill>`unnest(activity.skills)`.as("skill"))
          .where("credit.area_id", "=", m.areaId)
          .where("credit.child_id", "=", child.id)
          .where("credit.revoked_at", "is", null)
          .as("practised"),
      )
      .select(["practised.skill", sql<number>`count(*)::int`.as("stamps")])
      .groupBy("practised.skill")
      .execute(),
  ]);

  const tried = new Set(totals.categories);
  return {
    child,
    progress: awardProgress(totals.quarter_hours, ladder),
    awards,
    suggestions,
    stamps,
    stampCount: totals.stamps,
    categories: CATEGORIES.map((category) => ({ category, tried: tried.has(category) })),
    skills: SKILLS.flatMap((skill) => skills.filter((row) => row.skill === skill)),
  };
}

export const SOMETHING_NEW_LIMIT = 6;

/**
 * "Try something new": listed activities (activity and Learning Destination validated and
 * current) with a session still to come, in the kinds of activity the child has no stamp in
 * yet and suiting their age. Free ones first; then those in the child's own local authority
 * (from their home LSOA); then the soonest. One query.
 */
export function somethingNew(
  db: DB,
  areaId: string,
  child: { id: string; birth_year: number; birth_month: number | null; home_lsoa_code: string | null },
  now = new Date(),
  limit = SOMETHING_NEW_LIMIT,
  /** Only these kinds of activity (a child's wishes), tried or not; otherwise those not tried yet. */
  only?: readonly Category[],
) {
  const today = ukDate(now);
  const [year, month] = today.split("-").map(Number) as [number, number];
  const age = year - child.birth_year - (child.birth_month && month < child.birth_month ? 1 : 0);
  const homeLa = child.home_lsoa_code
    ? sql<string | null>`(select lsoa.la_code from lsoa where lsoa.code = ${child.home_lsoa_code})`
    : sql<string | null>`null::text`;
  return db
    .selectFrom("activity")
    .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
    .select((eb) => [
      "activity.id",
      "activity.title_en",
      "activity.title_cy",
      "activity.category",
      "activity.cost_band",
      "activity.town",
      "provider.name_en as provider_name_en",
      "provider.name_cy as provider_name_cy",
      sql<boolean>`coalesce(coalesce(activity.la_code, provider.la_code) = ${homeLa}, false)`.as("near"),
      eb
        .selectFrom("activity_session")
        .select((inner) => inner.fn.min("activity_session.starts_at").as("starts_at"))
        .where(sameAreaRef("activity_session.activity_id", "activity.id"))
        .where("activity_session.cancelled_at", "is", null)
        .where("activity_session.starts_at", ">", now)
        .as("next_starts_at"),
    ])
    .where("activity.area_id", "=", areaId)
    .where("activity.status", "=", "validated")
    .where("activity.validated_until", ">=", today)
    .where("provider.status", "=", "validated")
    .where("provider.validated_until", ">=", today)
    .where((eb) => eb.or([eb("activity.min_age", "is", null), eb("activity.min_age", "<=", age)]))
    .where((eb) => eb.or([eb("activity.max_age", "is", null), eb("activity.max_age", ">=", age)]))
    .where((eb) =>
      only
        ? eb("activity.category", "in", only.length ? [...only] : ["none" as Category])
        : eb.not(
            eb.exists(
              eb
                .selectFrom("credit")
                .innerJoin("activity as done", sameArea("done.id", "credit.activity_id"))
                .select("credit.id")
                .where("credit.area_id", "=", areaId)
                .where("credit.child_id", "=", child.id)
                .where("credit.revoked_at", "is", null)
                .whereRef("done.category", "=", "activity.category"),
            ),
          ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("activity_session")
          .select("activity_session.id")
          .where(sameAreaRef("activity_session.activity_id", "activity.id"))
          .where("activity_session.cancelled_at", "is", null)
          .where("activity_session.starts_at", ">", now),
      ),
    )
    .orderBy(sql`case when activity.cost_band = 'free' then 0 else 1 end`)
    .orderBy(sql`case when coalesce(activity.la_code, provider.la_code) = ${homeLa} then 0 else 1 end`)
    .orderBy("next_starts_at")
    .orderBy("activity.id")
    .limit(limit)
    .execute();
}
