import { creditsVisibleTo, sessionsManagedBy } from "../accounts/access.server";
import { forbidden, type Membership } from "../accounts/actor.server";
import { addDays, ukDate } from "../activities/uk-time.server";
import type { DB } from "../db/database.server";
import { EXPIRY_WARNING_DAYS } from "./validation.server";
import { sameArea } from "../db/same-area.server";

/**
 * What a Learning Destination's staff see first: where their validation stands (and why, when
 * the coordinator asked for changes or refused), today's and the coming sessions, the
 * activities that need their attention, and the credits given most recently.
 */
export async function providerHome(db: DB, m: Membership, now = new Date()) {
  if (m.role !== "provider_owner" && m.role !== "provider_member") forbidden();
  const today = ukDate(now);
  const provider = await db
    .selectFrom("provider")
    .select(["name_en", "name_cy", "status", "status_reason", "validated_until"])
    .where("area_id", "=", m.areaId)
    .where("id", "=", m.providerId)
    .executeTakeFirstOrThrow();

  const [sessions, attention, credits] = await Promise.all([
    sessionsManagedBy(db, m)
      .select([
        "activity_session.id",
        "activity_session.starts_at",
        "activity_session.ends_at",
        "activity_session.quarter_hours",
        "activity_session.cancelled_at",
        "activity.id as activity_id",
        "activity.title_en",
        "activity.title_cy",
      ])
      .where("activity_session.ends_at", ">=", now)
      .orderBy("activity_session.starts_at")
      .limit(20)
      .execute(),
    db
      .selectFrom("activity")
      .select(["id", "title_en", "title_cy", "status", "status_reason", "validated_until"])
      .where("area_id", "=", m.areaId)
      .where("provider_id", "=", m.providerId)
      .where((eb) =>
        eb.or([
          eb("status", "in", ["pending", "changes_requested", "refused"]),
          eb.and([eb("status", "=", "validated"), eb("validated_until", "<=", addDays(today, EXPIRY_WARNING_DAYS))]),
        ]),
      )
      .orderBy("created_at", "desc")
      .execute(),
    creditsVisibleTo(db, m)
      .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
      .innerJoin("child", sameArea("child.id", "credit.child_id"))
      .select([
        "credit.id",
        "credit.quarter_hours",
        "credit.earned_on",
        "credit.created_at",
        "credit.revoked_at",
        "activity.title_en",
        "activity.title_cy",
        // Staff see a first name and an initial: enough to spot a mistake, no more.
        "child.given_name",
        "child.family_name",
      ])
      .orderBy("credit.created_at", "desc")
      .limit(10)
      .execute(),
  ]);

  const validation = {
    status: provider.status,
    reason: provider.status === "changes_requested" || provider.status === "refused" || provider.status === "suspended" ? provider.status_reason : null,
    validatedUntil: provider.validated_until,
    expired: provider.status === "validated" && (!provider.validated_until || provider.validated_until < today),
    expiresSoon:
      provider.status === "validated" &&
      Boolean(provider.validated_until) &&
      provider.validated_until! >= today &&
      provider.validated_until! <= addDays(today, EXPIRY_WARNING_DAYS),
  };
  return {
    provider: { nameEn: provider.name_en, nameCy: provider.name_cy },
    validation,
    today,
    todaysSessions: sessions.filter((session) => ukDate(session.starts_at) === today),
    upcomingSessions: sessions.filter((session) => ukDate(session.starts_at) > today),
    attention: attention.map((activity) => ({ ...activity, expired: activity.status === "validated" && (activity.validated_until ?? "") < today })),
    credits: credits.map(({ family_name, ...credit }) => ({ ...credit, family_initial: family_name.slice(0, 1) })),
  };
}
