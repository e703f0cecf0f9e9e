import { isCalendarDate, ukDate } from "../activities/uk-time.server";
import { sql } from "kysely";
import { z } from "zod";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { sendEmail } from "../email/email.server";
import type { FieldErrors } from "../forms/parse-form.server";
import { formatDate } from "../i18n/format";
import { translator } from "../i18n/i18n";
import { graduationEligibility } from "./eligibility.server";
import { columns, pick } from "../i18n/bilingual";

/**
 * Graduations (issue 7): a ceremony with a cut-off date, its live list of children who have
 * reached a new award (eligibility.server.ts), invitations, attendance, and the moment the
 * coordinator marks it graduated, which freezes the cohort into `graduate` rows.
 *
 * Working rows: before the graduation is marked, `graduate` rows of this graduation only
 * remember invitations emailed (invited_at) and attendance ticked (attended); who is on the
 * list is still worked out live from `award`. Marking it graduated rewrites them to the
 * final list (award at the cut-off, attendance kept) and nothing changes them afterwards.
 */

export interface GraduationActor {
  areaId: string;
  userId: string;
}

const calendarDate = (error: string) =>
  z
    .string()
    .trim()
    .refine((value) => isCalendarDate(value) && value >= "2000-01-01" && value <= "2999-12-31", { error });

/**
 * The ceremony's start time on the 24-hour clock. Typed as 'HH:MM' (an hour of one digit, or
 * a dot as in "18.30", is accepted too) and always handed on as 'HH:MM'.
 */
const startTime = z
  // A form without the field at all (a page from before start times were stored) reads as empty.
  .string({ error: "graduations.errors.timeRequired" })
  .trim()
  .min(1, { error: "graduations.errors.timeRequired" })
  .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, { error: "graduations.errors.timeInvalid" })
  .transform((value) => value.replace(".", ":").padStart(5, "0"));

/** 'HH:MM' from a Postgres `time` ('HH:MM:SS' from both pg and PGlite), or null. */
export function hourMinute(value: string | null | undefined): string | null {
  return value ? value.slice(0, 5) : null;
}

export const graduationForm = z
  .object({
    name: z.string().trim().min(1, { error: "graduations.errors.nameRequired" }).max(200, { error: "graduations.errors.nameTooLong" }),
    heldOn: z.string().trim().min(1, { error: "graduations.errors.heldOnRequired" }).pipe(calendarDate("graduations.errors.heldOnInvalid")),
    startsAt: startTime,
    venue: z.string().trim().min(1, { error: "graduations.errors.venueRequired" }).max(300, { error: "graduations.errors.venueTooLong" }),
    cutoffOn: z.string().trim().min(1, { error: "graduations.errors.cutoffRequired" }).pipe(calendarDate("graduations.errors.cutoffInvalid")),
  })
  .refine((form) => form.cutoffOn <= form.heldOn, { path: ["cutoffOn"], error: "graduations.errors.cutoffAfterCeremony" });

export type GraduationInput = z.output<typeof graduationForm>;

/** The graduation page's start-time form (sets or changes the stored time). */
export const startTimeForm = z.object({ startsAt: startTime });

/** The invitations form: letters or emails, optionally for one school (the time is the stored one). */
export const invitationForm = z.object({
  school: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null),
});

export interface GraduationSummary {
  id: string;
  name: string;
  heldOn: string;
  venue: string;
  cutoffOn: string;
  /** 'HH:MM', or null for a graduation created before start times were stored. */
  startsAt: string | null;
  graduatedAt: Date | null;
}

const summaryColumns = ["id", "name", "held_on", "venue", "cutoff_on", "starts_at", "graduated_at"] as const;

function toSummary(row: {
  id: string;
  name: string;
  held_on: string;
  venue: string;
  cutoff_on: string;
  starts_at: string | null;
  graduated_at: Date | null;
}): GraduationSummary {
  return {
    id: row.id,
    name: row.name,
    heldOn: row.held_on,
    venue: row.venue,
    cutoffOn: row.cutoff_on,
    startsAt: hourMinute(row.starts_at),
    graduatedAt: row.graduated_at,
  };
}

/** The area's graduations, latest cut-off first. */
export async function listGraduations(db: DB, areaId: string): Promise<GraduationSummary[]> {
  const rows = await db.selectFrom("graduation").select(summaryColumns).where("area_id", "=", areaId).orderBy("cutoff_on", "desc").execute();
  return rows.map(toSummary);
}

export async function loadGraduation(db: DB, areaId: string, graduationId: string): Promise<GraduationSummary | null> {
  const row = await db.selectFrom("graduation").select(summaryColumns).where("area_id", "=", areaId).where("id", "=", graduationId).executeTakeFirst();
  return row ? toSummary(row) : null;
}

/** The latest cut-off of the area's graduations: a new one must come after it. */
export async function latestCutoff(db: DB, areaId: string): Promise<string | null> {
  const row = await db.selectFrom("graduation").select("cutoff_on").where("area_id", "=", areaId).orderBy("cutoff_on", "desc").limit(1).executeTakeFirst();
  return row?.cutoff_on ?? null;
}

export async function areaSchools(db: DB, areaId: string) {
  return db.selectFrom("school").select(["id", "name"]).where("area_id", "=", areaId).orderBy("name").execute();
}

export type CreateResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/**
 * Creates a graduation. Its cut-off must come after the cut-off of every earlier graduation
 * of the area, so that each award is counted by exactly one ceremony (checked under a lock on
 * the area row, so two coordinators cannot both slip one in).
 */
export async function createGraduation(db: DB, actor: GraduationActor, input: GraduationInput): Promise<CreateResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select id from area where id = ${actor.areaId} for update`.execute(trx);
    const previous = await latestCutoff(trx, actor.areaId);
    if (previous && input.cutoffOn <= previous) return { ok: false, errors: { cutoffOn: "graduations.errors.cutoffNotAfterPrevious" } };
    const row = await trx
      .insertInto("graduation")
      .values({
        area_id: actor.areaId,
        name: input.name,
        held_on: input.heldOn,
        starts_at: input.startsAt,
        venue: input.venue,
        cutoff_on: input.cutoffOn,
        created_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      areaId: actor.areaId,
      actorUserId: actor.userId,
      action: "graduation_created",
      subjectType: "graduation",
      subjectId: row.id,
      details: { name: input.name, heldOn: input.heldOn, startsAt: input.startsAt, cutoffOn: input.cutoffOn },
    });
    return { ok: true, id: row.id };
  });
}

export type StepRefusal = "not_found" | "already_graduated" | "before_cutoff" | "no_start_time";

async function lockOpenGraduation(trx: DB, areaId: string, graduationId: string) {
  const row = await sql<{ cutoff_on: string; starts_at: string | null; graduated_at: Date | null }>`
    select cutoff_on, starts_at, graduated_at from graduation where area_id = ${areaId} and id = ${graduationId} for update`.execute(trx);
  return row.rows[0] ?? null;
}

/**
 * Sets or changes the start time of a graduation not yet marked graduated (a graduation
 * created before times were stored has none; letters and emails need one). Audited with the
 * time it replaced.
 */
export async function setStartTime(
  db: DB,
  actor: GraduationActor,
  graduationId: string,
  startsAt: string,
): Promise<{ ok: true; startsAt: string } | { ok: false; reason: StepRefusal }> {
  return db.transaction().execute(async (trx) => {
    const graduation = await lockOpenGraduation(trx, actor.areaId, graduationId);
    if (!graduation) return { ok: false as const, reason: "not_found" as const };
    if (graduation.graduated_at) return { ok: false as const, reason: "already_graduated" as const };
    const previous = hourMinute(graduation.starts_at);
    if (previous === startsAt) return { ok: true as const, startsAt };
    await trx.updateTable("graduation").set({ starts_at: startsAt }).where("area_id", "=", actor.areaId).where("id", "=", graduationId).execute();
    await recordAudit(trx, {
      areaId: actor.areaId,
      actorUserId: actor.userId,
      action: "graduation_start_time_set",
      subjectType: "graduation",
      subjectId: graduationId,
      details: { from: previous, to: startsAt },
    });
    return { ok: true as const, startsAt };
  });
}

/**
 * Records who attended, for the children shown on the form (`shown`): those in `attended`
 * did, the others did not. Only children on the live list are recorded; anything else in the
 * form is ignored. Refused once the graduation is marked graduated (attendance is frozen).
 */
export async function recordAttendance(
  db: DB,
  actor: GraduationActor,
  graduationId: string,
  form: { shown: string[]; attended: string[] },
): Promise<{ ok: true; attended: number; absent: number } | { ok: false; reason: StepRefusal }> {
  return db.transaction().execute(async (trx) => {
    const graduation = await lockOpenGraduation(trx, actor.areaId, graduationId);
    if (!graduation) return { ok: false as const, reason: "not_found" as const };
    if (graduation.graduated_at) return { ok: false as const, reason: "already_graduated" as const };
    const shown = new Set(form.shown);
    const attended = new Set(form.attended);
    const rows = (await graduationEligibility(trx, actor.areaId, graduationId)).filter((row) => shown.has(row.childId));
    if (rows.length) {
      await trx
        .insertInto("graduate")
        .values(
          rows.map((row) => ({
            area_id: actor.areaId,
            graduation_id: graduationId,
            child_id: row.childId,
            award_level_id: row.awardLevelId,
            attended: attended.has(row.childId),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(["area_id", "graduation_id", "child_id"])
            .doUpdateSet((eb) => ({ attended: eb.ref("excluded.attended"), award_level_id: eb.ref("excluded.award_level_id") })),
        )
        .execute();
    }
    const present = rows.filter((row) => attended.has(row.childId)).length;
    await recordAudit(trx, {
      areaId: actor.areaId,
      actorUserId: actor.userId,
      action: "graduation_attendance_recorded",
      subjectType: "graduation",
      subjectId: graduationId,
      details: { attended: present, absent: rows.length - present },
    });
    return { ok: true as const, attended: present, absent: rows.length - present };
  });
}

/**
 * Marks the graduation graduated: the live list (all schools) becomes its `graduate` rows,
 * each with the award the child had at the cut-off and the attendance recorded (children
 * never ticked did not attend); working rows of children no longer on the list go. Refused
 * before the cut-off day (the list is not final yet) and a second time.
 */
export async function markGraduated(
  db: DB,
  actor: GraduationActor,
  graduationId: string,
  now = new Date(),
): Promise<{ ok: true; graduates: number; attended: number } | { ok: false; reason: StepRefusal }> {
  return db.transaction().execute(async (trx) => {
    const graduation = await lockOpenGraduation(trx, actor.areaId, graduationId);
    if (!graduation) return { ok: false as const, reason: "not_found" as const };
    if (graduation.graduated_at) return { ok: false as const, reason: "already_graduated" as const };
    if (ukDate(now) < graduation.cutoff_on) return { ok: false as const, reason: "before_cutoff" as const };
    const rows = await graduationEligibility(trx, actor.areaId, graduationId);
    const ids = rows.map((row) => row.childId);
    let remove = trx.deleteFrom("graduate").where("area_id", "=", actor.areaId).where("graduation_id", "=", graduationId);
    if (ids.length) remove = remove.where("child_id", "not in", ids);
    await remove.execute();
    if (rows.length) {
      await trx
        .insertInto("graduate")
        .values(
          rows.map((row) => ({
            area_id: actor.areaId,
            graduation_id: graduationId,
            child_id: row.childId,
            award_level_id: row.awardLevelId,
            attended: row.attended,
          })),
        )
        .onConflict((oc) => oc.columns(["area_id", "graduation_id", "child_id"]).doUpdateSet((eb) => ({ award_level_id: eb.ref("excluded.award_level_id") })))
        .execute();
    }
    await trx.updateTable("graduation").set({ graduated_at: now }).where("area_id", "=", actor.areaId).where("id", "=", graduationId).execute();
    const attended = rows.filter((row) => row.attended).length;
    await recordAudit(trx, {
      areaId: actor.areaId,
      actorUserId: actor.userId,
      action: "graduation_graduated",
      subjectType: "graduation",
      subjectId: graduationId,
      details: { graduates: rows.length, attended },
    });
    return { ok: true as const, graduates: rows.length, attended };
  });
}

/**
 * Emails an invitation to every guardian account linked to a child on the list (optionally
 * one school's), each in the guardian's own language. A child's `graduate` row gets
 * invited_at when their guardians are emailed, and children already invited are skipped, so
 * a second click (or a double submit: the rows are claimed inside the transaction) sends
 * nothing twice. Children with no guardian account are left for the printed letters. The
 * emails give the graduation's stored start time; without one nothing is sent.
 */
export async function emailInvitations(
  db: DB,
  actor: GraduationActor,
  graduationId: string,
  options: { schoolId?: string | null } = {},
): Promise<{ ok: true; children: number; emails: number } | { ok: false; reason: StepRefusal }> {
  return db.transaction().execute(async (trx) => {
    const graduation = await lockOpenGraduation(trx, actor.areaId, graduationId);
    if (!graduation) return { ok: false as const, reason: "not_found" as const };
    if (graduation.graduated_at) return { ok: false as const, reason: "already_graduated" as const };
    const time = hourMinute(graduation.starts_at);
    if (!time) return { ok: false as const, reason: "no_start_time" as const };
    const details = await trx
      .selectFrom("graduation")
      .select(["name", "held_on", "venue"])
      .where("area_id", "=", actor.areaId)
      .where("id", "=", graduationId)
      .executeTakeFirstOrThrow();
    const area = await trx.selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", actor.areaId).executeTakeFirstOrThrow();
    const rows = (await graduationEligibility(trx, actor.areaId, graduationId, { schoolId: options.schoolId })).filter(
      (row) => row.guardianLinked && !row.invitedAt,
    );
    if (rows.length === 0) return { ok: true as const, children: 0, emails: 0 };
    const now = new Date();
    // Claims the children: a row already invited (by a click a moment ago) is not returned.
    const claimed = await trx
      .insertInto("graduate")
      .values(
        rows.map((row) => ({ area_id: actor.areaId, graduation_id: graduationId, child_id: row.childId, award_level_id: row.awardLevelId, invited_at: now })),
      )
      .onConflict((oc) =>
        oc
          .columns(["area_id", "graduation_id", "child_id"])
          .doUpdateSet((eb) => ({ invited_at: eb.ref("excluded.invited_at") }))
          .where("graduate.invited_at", "is", null),
      )
      .returning("child_id")
      .execute();
    const claimedIds = new Set(claimed.map((row) => row.child_id));
    const children = rows.filter((row) => claimedIds.has(row.childId));
    if (children.length === 0) return { ok: true as const, children: 0, emails: 0 };
    const guardians = await trx
      .selectFrom("guardian_child")
      .innerJoin("app_user", "app_user.id", "guardian_child.user_id")
      .select(["guardian_child.child_id", "app_user.email", "app_user.preferred_language"])
      .where("guardian_child.area_id", "=", actor.areaId)
      .where(
        "guardian_child.child_id",
        "in",
        children.map((row) => row.childId),
      )
      .execute();
    const byChild = new Map(children.map((row) => [row.childId, row]));
    for (const guardian of guardians) {
      const child = byChild.get(guardian.child_id)!;
      const lang = guardian.preferred_language;
      const t = translator(lang);
      const values = {
        child: `${child.givenName} ${child.familyName}`,
        award: pick({ en: child.awardNameEn, cy: child.awardNameCy }, lang),
        graduation: details.name,
        date: formatDate(details.held_on, lang),
        time,
        venue: details.venue,
        area: pick(columns(area, "name"), lang),
      };
      await sendEmail(trx, {
        to: guardian.email,
        language: lang,
        subject: t("graduations.email.subject", values),
        text: t("graduations.email.body", values),
        areaId: actor.areaId,
      });
    }
    await recordAudit(trx, {
      areaId: actor.areaId,
      actorUserId: actor.userId,
      action: "graduation_invitations_emailed",
      subjectType: "graduation",
      subjectId: graduationId,
      details: { children: children.length, emails: guardians.length, schoolId: options.schoolId ?? null, time },
    });
    return { ok: true as const, children: children.length, emails: guardians.length };
  });
}

/** Audits a download of the list or the letters (they carry children's names). */
export async function recordGraduationDownload(
  db: DB,
  actor: GraduationActor,
  graduationId: string,
  what: "list_csv" | "letters_pdf" | "certificates_pdf",
  details: Record<string, unknown>,
) {
  await recordAudit(db, {
    areaId: actor.areaId,
    actorUserId: actor.userId,
    action: what === "list_csv" ? "graduation_list_exported" : what === "letters_pdf" ? "graduation_letters_printed" : "graduation_certificates_printed",
    subjectType: "graduation",
    subjectId: graduationId,
    details,
  });
}
