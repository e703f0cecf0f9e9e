import { isUuid } from "../accounts/actor.server";
import { ukDate } from "../activities/uk-time.server";
import type { DB } from "../db/database.server";

/**
 * Whether a session can earn credits at all: the one place that says so, for every way a
 * credit is issued (passport scan, session code, roster, import). The credit itself (caps,
 * the grace window after a session, one per child) is the credits module's business.
 *
 * A session earns credits only when
 * - it exists in the area and is not cancelled;
 * - it has started by `at` (a passport is never stamped for something that has not happened);
 * - its Learning Destination and its activity are both validated, and both validations run
 *   to at least the session's date in Wales. An expired validation therefore stops new
 *   credits on its own, with no job to run.
 */
export type NotCreditableReason =
  | "SESSION_NOT_FOUND"
  | "SESSION_CANCELLED"
  | "SESSION_NOT_STARTED"
  | "PROVIDER_NOT_VALIDATED"
  | "ACTIVITY_NOT_VALIDATED"
  | "VALIDATION_EXPIRED";

export interface CreditableSession {
  sessionId: string;
  activityId: string;
  providerId: string;
  quarterHours: number;
  startsAt: Date;
  endsAt: Date;
  /** The session's date in Wales: what a credit's earned_on is. */
  earnedOn: string;
  /** The activity's cap on hours per child per term, if it has one. */
  termCapQuarterHours: number | null;
}

export type Creditability = { ok: true; session: CreditableSession } | { ok: false; reason: NotCreditableReason };

export async function isCreditable(db: DB, areaId: string, sessionId: string, at: Date = new Date()): Promise<Creditability> {
  if (!isUuid(sessionId)) return { ok: false, reason: "SESSION_NOT_FOUND" };
  const row = await db
    .selectFrom("activity_session as s")
    .innerJoin("activity as a", (join) => join.onRef("a.area_id", "=", "s.area_id").onRef("a.id", "=", "s.activity_id"))
    .innerJoin("provider as p", (join) => join.onRef("p.area_id", "=", "a.area_id").onRef("p.id", "=", "a.provider_id"))
    .select([
      "s.id",
      "s.starts_at",
      "s.ends_at",
      "s.quarter_hours",
      "s.cancelled_at",
      "a.id as activity_id",
      "a.status as activity_status",
      "a.validated_until as activity_validated_until",
      "a.term_cap_quarter_hours",
      "p.id as provider_id",
      "p.status as provider_status",
      "p.validated_until as provider_validated_until",
    ])
    .where("s.area_id", "=", areaId)
    .where("s.id", "=", sessionId)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "SESSION_NOT_FOUND" };
  if (row.cancelled_at) return { ok: false, reason: "SESSION_CANCELLED" };
  if (row.starts_at.getTime() > at.getTime()) return { ok: false, reason: "SESSION_NOT_STARTED" };
  if (row.provider_status !== "validated") return { ok: false, reason: "PROVIDER_NOT_VALIDATED" };
  if (row.activity_status !== "validated") return { ok: false, reason: "ACTIVITY_NOT_VALIDATED" };
  const sessionDate = ukDate(row.starts_at);
  if (!row.provider_validated_until || row.provider_validated_until < sessionDate) return { ok: false, reason: "VALIDATION_EXPIRED" };
  if (!row.activity_validated_until || row.activity_validated_until < sessionDate) return { ok: false, reason: "VALIDATION_EXPIRED" };
  return {
    ok: true,
    session: {
      sessionId: row.id,
      activityId: row.activity_id,
      providerId: row.provider_id,
      quarterHours: row.quarter_hours,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      earnedOn: sessionDate,
      termCapQuarterHours: row.term_cap_quarter_hours,
    },
  };
}
