import { sql } from "kysely";
import type { DB } from "../db/database.server";
import { childrenVisibleTo, sessionsManagedBy } from "./access.server";
import { isUuid, notFound, type Membership } from "./actor.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/** Counts for the coordinator's home page. */
export async function areaSummary(db: DB, areaId: string) {
  const count = (table: "school" | "provider" | "child") => {
    let query = db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("area_id", "=", areaId);
    // Withdrawn children are kept only as anonymous counts for reports: they hold no passport.
    if (table === "child") query = query.where("status", "=", "active");
    return query.executeTakeFirstOrThrow().then((row) => row.n);
  };
  const [schools, providers, children] = await Promise.all([count("school"), count("provider"), count("child")]);
  return { schools, providers, children };
}

/** The children a guardian or school coordinator sees on their home page, with each one's hours so far. */
export function childList(db: DB, m: Membership, limit = 500) {
  return childrenVisibleTo(db, m)
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.passport_number",
      "child.birth_year",
      "child.birth_month",
      "school.name as school_name",
    ])
    .select((eb) =>
      eb
        .selectFrom("credit")
        .select(sql<number>`coalesce(sum(credit.quarter_hours), 0)::int`.as("quarter_hours"))
        .where(sameAreaRef("credit.child_id", "child.id"))
        .where("credit.revoked_at", "is", null)
        .as("quarter_hours"),
    )
    .orderBy("child.family_name")
    .orderBy("child.given_name")
    .limit(limit)
    .execute();
}

/** A provider's sessions from now on, soonest first. */
export function upcomingSessions(db: DB, m: Membership, now = new Date(), limit = 20) {
  return sessionsManagedBy(db, m)
    .select([
      "activity_session.id",
      "activity_session.starts_at",
      "activity_session.ends_at",
      "activity_session.cancelled_at",
      "activity.title_en",
      "activity.title_cy",
    ])
    .where("activity_session.ends_at", ">=", now)
    .orderBy("activity_session.starts_at")
    .limit(limit)
    .execute();
}

/** One session, for staff allowed to manage it; a 404 for anyone else. */
export async function sessionForStaff(db: DB, m: Membership, sessionId: string) {
  if (!isUuid(sessionId)) notFound();
  const session = await sessionsManagedBy(db, m)
    .select([
      "activity_session.id",
      "activity_session.starts_at",
      "activity_session.ends_at",
      "activity_session.quarter_hours",
      "activity_session.cancelled_at",
      "activity.title_en",
      "activity.title_cy",
      "activity.provider_id",
      "activity.id as activity_id",
    ])
    .where("activity_session.id", "=", sessionId)
    .executeTakeFirst();
  return session ?? notFound();
}
