import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { sessionsManagedBy } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { optionalCount, optionalText } from "../forms/fields.server";
import { activityForStaff } from "./activities.server";
import { hoursField } from "./fields.server";
import { MAX_SERIES_MONTHS } from "./options";
import { addMonths, isCalendarDate, isClockTime, ukDate, ukInstant, weeklyDates } from "./uk-time.server";

/**
 * Sessions: the dates and times an activity happens, one-off or weekly over a date range of
 * at most a year, in UK local time. Provider staff (owner and members) plan and cancel them;
 * a cancelled session earns no credits.
 */

export { MAX_SERIES_MONTHS };

const sessionFields = {
  repeat: z.enum(["once", "weekly"], { error: "sessions.errors.repeatRequired" }),
  date: z
    .string({ error: "sessions.errors.dateRequired" })
    .trim()
    .min(1, { error: "sessions.errors.dateRequired" })
    .refine(isCalendarDate, { error: "sessions.errors.dateInvalid" }),
  until: z
    .string()
    .optional()
    .transform((value) => value?.trim() || null)
    .refine((value) => value === null || isCalendarDate(value), { error: "sessions.errors.untilInvalid" }),
  startTime: z
    .string({ error: "sessions.errors.startRequired" })
    .trim()
    .min(1, { error: "sessions.errors.startRequired" })
    .refine(isClockTime, { error: "sessions.errors.timeInvalid" }),
  endTime: z
    .string({ error: "sessions.errors.endRequired" })
    .trim()
    .min(1, { error: "sessions.errors.endRequired" })
    .refine(isClockTime, { error: "sessions.errors.timeInvalid" }),
  hours: hoursField({ optional: true }),
  capacity: optionalCount("sessions.errors.capacityInvalid"),
};

export interface SessionInput {
  repeat: "once" | "weekly";
  date: string;
  until: string | null;
  startTime: string;
  endTime: string;
  /** Credit hours for each session, in quarter hours; null takes the activity's. */
  quarterHours: number | null;
  capacity: number | null;
}

/** Reads the session form; `today` (a UK date) is the earliest a session can be planned for. */
export function parseSessionForm(formData: FormData, today: string) {
  const parsed = parseForm(sessionFields, formData, (v) => {
    const errors: FieldErrors = {};
    if (v.date && v.date < today) errors.date = "sessions.errors.dateInPast";
    if (v.startTime && v.endTime && v.endTime <= v.startTime) errors.endTime = "sessions.errors.endBeforeStart";
    if (v.repeat === "weekly" && v.date && v.until !== undefined) {
      if (v.until === null) errors.until = "sessions.errors.untilRequired";
      else if (v.until < v.date) errors.until = "sessions.errors.untilBeforeDate";
      else if (v.until > addMonths(v.date, MAX_SERIES_MONTHS)) errors.until = "sessions.errors.rangeTooLong";
    }
    return errors;
  });
  if (!parsed.ok) return parsed;
  const { hours, ...rest } = parsed.data;
  const input: SessionInput = { ...rest, until: rest.repeat === "weekly" ? rest.until : null, quarterHours: hours };
  return { ok: true as const, data: input };
}

export interface PlannedSession {
  startsAt: Date;
  endsAt: Date;
  quarterHours: number;
}

/**
 * The sessions a form asks for, as instants. Each date gets the same clock times in Wales,
 * so a 16:00 club stays at 16:00 across the change to and from summer time. Refused (with the
 * field to blame) when the hours are more than the activity was validated for or more than
 * the session lasts, or when a start time does not exist on one of the dates.
 */
export function planSessions(input: SessionInput, activityQuarterHours: number): { ok: true; sessions: PlannedSession[] } | { ok: false; errors: FieldErrors } {
  const quarterHours = input.quarterHours ?? activityQuarterHours;
  if (quarterHours > activityQuarterHours) {
    return { ok: false, errors: { hours: "sessions.errors.hoursAboveActivity" } };
  }
  const dates = input.repeat === "weekly" && input.until ? weeklyDates(input.date, input.until) : [input.date];
  const sessions: PlannedSession[] = [];
  for (const date of dates) {
    const startsAt = ukInstant(date, input.startTime);
    const endsAt = ukInstant(date, input.endTime);
    if (!startsAt) return { ok: false, errors: { startTime: "sessions.errors.timeSkipped" } };
    if (!endsAt) return { ok: false, errors: { endTime: "sessions.errors.timeSkipped" } };
    if (endsAt <= startsAt) return { ok: false, errors: { endTime: "sessions.errors.endBeforeStart" } };
    if (quarterHours * 15 * 60_000 > endsAt.getTime() - startsAt.getTime()) {
      return { ok: false, errors: { hours: "sessions.errors.hoursAboveLength" } };
    }
    sessions.push({ startsAt, endsAt, quarterHours });
  }
  return { ok: true, sessions };
}

export type CreateSessionsResult =
  { ok: true; count: number; seriesId: string | null; firstSessionId: string } | { ok: false; errors: FieldErrors; formError?: string };

/** Adds one session or a weekly series to an activity of the staff member's own provider, all or nothing. */
export async function createSessions(db: DB, m: Membership, activityId: string, input: SessionInput): Promise<CreateSessionsResult> {
  const activity = await activityForStaff(db, m, activityId);
  if (m.role !== "provider_owner" && m.role !== "provider_member") forbidden();
  if (activity.status === "refused" || activity.status === "withdrawn") return { ok: false, errors: {}, formError: "sessions.errors.activityClosed" };
  const plan = planSessions(input, activity.credit_quarter_hours);
  if (!plan.ok) return plan;
  const seriesId = plan.sessions.length > 1 ? randomUUID() : null;
  const firstSessionId = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto("activity_session")
      .values(
        plan.sessions.map((session) => ({
          area_id: m.areaId,
          activity_id: activity.id,
          starts_at: session.startsAt,
          ends_at: session.endsAt,
          quarter_hours: session.quarterHours,
          capacity: input.capacity,
          // What a session's claim code is signed with: 256 random bits, never shown.
          claim_secret: randomBytes(32).toString("hex"),
          series_id: seriesId,
        })),
      )
      .returning("id")
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "sessions_created",
      subjectType: "activity",
      subjectId: activity.id,
      details: {
        name: activity.title_en ?? activity.title_cy,
        count: rows.length,
        seriesId,
        first: plan.sessions[0]!.startsAt.toISOString(),
        last: plan.sessions.at(-1)!.startsAt.toISOString(),
      },
    });
    return rows[0]!.id;
  });
  return { ok: true, count: plan.sessions.length, seriesId, firstSessionId };
}

export const cancelFields = {
  sessionId: z.string({ error: "forms.invalid" }),
  reason: optionalText(500, "sessions.errors.reasonTooLong"),
};

export type CancelResult = { ok: true } | { ok: false; formError: string };

/**
 * Cancels a session of the staff member's own provider (a 404 for anyone else's). A session
 * that already has credits is not cancelled: those credits are revoked first, with a reason.
 */
export async function cancelSession(db: DB, m: Membership, sessionId: string, reason: string | null, now = new Date()): Promise<CancelResult> {
  if (m.role !== "provider_owner" && m.role !== "provider_member") forbidden();
  if (!isUuid(sessionId)) notFound();
  const session = await sessionsManagedBy(db, m)
    .select(["activity_session.id", "activity_session.activity_id", "activity_session.starts_at", "activity_session.cancelled_at"])
    .where("activity_session.id", "=", sessionId)
    .executeTakeFirst();
  if (!session) notFound();
  if (session.cancelled_at) return { ok: true };
  return db.transaction().execute(async (trx) => {
    const credits = await trx
      .selectFrom("credit")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("area_id", "=", m.areaId)
      .where("session_id", "=", session.id)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(credits.n) > 0) return { ok: false as const, formError: "sessions.errors.hasCredits" };
    await trx
      .updateTable("activity_session")
      .set({ cancelled_at: now, cancelled_by: m.userId, cancel_reason: reason })
      .where("area_id", "=", m.areaId)
      .where("id", "=", session.id)
      .where("cancelled_at", "is", null)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "session_cancelled",
      subjectType: "activity_session",
      subjectId: session.id,
      details: { activityId: session.activity_id, startsAt: session.starts_at.toISOString(), reason },
    });
    return { ok: true as const };
  });
}

/** An activity's sessions for its staff page: upcoming first, then the last few that have passed. */
export async function sessionsOfActivity(db: DB, m: Membership, activityId: string, now = new Date()) {
  const base = () =>
    sessionsManagedBy(db, m)
      .select([
        "activity_session.id",
        "activity_session.starts_at",
        "activity_session.ends_at",
        "activity_session.quarter_hours",
        "activity_session.capacity",
        "activity_session.cancelled_at",
        "activity_session.cancel_reason",
      ])
      .where("activity_session.activity_id", "=", activityId);
  const [upcoming, past] = await Promise.all([
    base().where("activity_session.ends_at", ">=", now).orderBy("activity_session.starts_at").limit(100).execute(),
    base().where("activity_session.ends_at", "<", now).orderBy("activity_session.starts_at", "desc").limit(10).execute(),
  ]);
  return { upcoming, past };
}

/** Today's date in Wales, the earliest a session can be planned for. */
export function sessionFormToday(now = new Date()) {
  return ukDate(now);
}
