import { z } from "zod";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { sendInvitation } from "../accounts/invitations.server";
import { optionalText } from "../forms/fields.server";
import { EXPIRY_WARNING_DAYS } from "../activities/options";
import { validationMonthsOf } from "../activities/places.server";
import { addDays, addMonths, ukDate } from "../activities/uk-time.server";
import { recordAudit, type AuditAction } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import type { ValidationDecisionKind } from "../db/schema";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { emailApplicant, newStatusToken, statusLink } from "./applications.server";
import { ACTIVITY_DETAIL_COLUMNS } from "../activities/activities.server";
import { sameArea } from "../db/same-area.server";

/**
 * Validation by the area coordinator: the queue, the Children's University criteria, and the
 * decisions (approve, ask for changes, refuse) on Learning Destinations and their activities.
 * A validation lasts the area's validationMonths (12 by default); it runs out on its own date,
 * which is what stops new credits (credits/eligibility.server.ts), so nothing has to run at expiry.
 */

/** The Children's University's criteria for learning that earns credits: all four to approve. */
export const CRITERIA = ["voluntary", "outsideSchoolHours", "learningAim", "furtherStudy"] as const;
export type Criterion = (typeof CRITERIA)[number];
export const DECISIONS = ["validated", "changes_requested", "refused"] as const satisfies readonly ValidationDecisionKind[];

export { EXPIRY_WARNING_DAYS };

export interface DecisionInput {
  decision: ValidationDecisionKind;
  reason: string | null;
  criteria: Record<Criterion, boolean>;
}

export function parseDecisionForm(formData: FormData) {
  const ticked = new Set(formData.getAll("criteria").map(String));
  const criteria = Object.fromEntries(CRITERIA.map((criterion) => [criterion, ticked.has(criterion)])) as Record<Criterion, boolean>;
  const parsed = parseForm(
    {
      // Listed first only so that its error comes first in the summary, as on the page.
      criteria: z.unknown(),
      decision: z.enum(DECISIONS, { error: "validation.errors.decisionRequired" }),
      reason: optionalText(2000, "validation.errors.reasonTooLong"),
    },
    formData,
    (v) => {
      const errors: FieldErrors = {};
      if (v.decision === "validated" && !CRITERIA.every((criterion) => criteria[criterion])) errors.criteria = "validation.errors.criteriaRequired";
      if (v.decision && v.decision !== "validated" && !v.reason) errors.reason = "validation.errors.reasonRequired";
      return errors;
    },
  );
  if (!parsed.ok) return parsed;
  const input: DecisionInput = { decision: parsed.data.decision, reason: parsed.data.reason, criteria };
  return { ok: true as const, data: input };
}

export type DecisionResult = { ok: true; validatedUntil: string | null; invitationSent: boolean } | { ok: false; formError: string };

/** A renewal runs on from the current expiry when that is still ahead, so renewing early loses nothing. */
function newExpiry(current: { status: string; validated_until: string | null }, today: string, months: number) {
  const base = current.status === "validated" && current.validated_until && current.validated_until > today ? current.validated_until : today;
  return addMonths(base, months);
}

const PROVIDER_ACTIONS: Record<ValidationDecisionKind, AuditAction> = {
  validated: "provider_validated",
  changes_requested: "provider_changes_requested",
  refused: "provider_refused",
};
const ACTIVITY_ACTIONS: Record<ValidationDecisionKind, AuditAction> = {
  validated: "activity_validated",
  changes_requested: "activity_changes_requested",
  refused: "activity_refused",
};

/** Keeps a decision in the history the applicant and later coordinators see. */
async function recordDecision(
  trx: DB,
  m: Membership,
  decision: { providerId: string; activityId: string | null; input: DecisionInput; reason: string | null; validatedUntil: string | null; now: Date },
) {
  await trx
    .insertInto("validation_decision")
    .values({
      area_id: m.areaId,
      provider_id: decision.providerId,
      activity_id: decision.activityId,
      decision: decision.input.decision,
      reason: decision.reason,
      criteria: JSON.stringify(decision.input.criteria),
      validated_until: decision.validatedUntil,
      decided_by: m.userId,
      decided_at: decision.now,
    })
    .execute();
}

function requireCoordinator(m: Membership) {
  if (m.role !== "coordinator") forbidden();
}

/**
 * Decides on a Learning Destination of the coordinator's own area (anyone else's is a 404).
 * Approving it for the first time invites its contact as the owner (provider_owner), through
 * the invitations module, in the language they applied in. Every decision emails the
 * applicant a fresh status link showing it, with the reason.
 */
export async function decideProvider(
  db: DB,
  m: Membership,
  providerId: string,
  input: DecisionInput,
  origin: string,
  now = new Date(),
): Promise<DecisionResult> {
  requireCoordinator(m);
  if (!isUuid(providerId)) notFound();
  const provider = await db
    .selectFrom("provider")
    .select(["area_id", "id", "name_en", "status", "validated_until", "contact_email", "application_language"])
    .where("area_id", "=", m.areaId)
    .where("id", "=", providerId)
    .executeTakeFirst();
  if (!provider) notFound();
  if (provider.status === "refused") return { ok: false, formError: "validation.errors.alreadyRefused" };
  const validatedUntil = input.decision === "validated" ? newExpiry(provider, ukDate(now), await validationMonthsOf(db, m.areaId)) : null;
  const reason = input.decision === "validated" ? null : input.reason;
  const { token, hash } = newStatusToken();

  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("provider")
      .set({
        status: input.decision,
        status_reason: reason,
        decided_at: now,
        decided_by: m.userId,
        application_token_hash: hash,
        ...(validatedUntil ? { validated_at: now, validated_until: validatedUntil } : {}),
      })
      .where("area_id", "=", m.areaId)
      .where("id", "=", provider.id)
      .execute();
    await recordDecision(trx, m, { providerId: provider.id, activityId: null, input, reason, validatedUntil, now });
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: PROVIDER_ACTIONS[input.decision],
      subjectType: "provider",
      subjectId: provider.id,
      details: { name: provider.name_en, from: provider.status, reason, criteria: input.criteria, validatedUntil },
    });

    let invitationSent = false;
    if (input.decision === "validated" && provider.contact_email && !(await hasOwnerOrInvitation(trx, m.areaId, provider.id, now))) {
      const invited = await sendInvitation(
        trx,
        m,
        { email: provider.contact_email, role: "provider_owner", providerId: provider.id, language: provider.application_language },
        origin,
        now,
      );
      invitationSent = invited.ok;
    }
    await emailApplicant(trx, provider, input.decision, statusLink(origin, token), reason);
    return { ok: true as const, validatedUntil, invitationSent };
  });
}

/** Whether the Learning Destination already has an owner, or an owner's invitation still open. */
async function hasOwnerOrInvitation(db: DB, areaId: string, providerId: string, now: Date) {
  const owner = await db
    .selectFrom("membership")
    .select("id")
    .where("area_id", "=", areaId)
    .where("provider_id", "=", providerId)
    .where("role", "=", "provider_owner")
    .executeTakeFirst();
  if (owner) return true;
  const invitation = await db
    .selectFrom("invitation")
    .select("id")
    .where("area_id", "=", areaId)
    .where("provider_id", "=", providerId)
    .where("role", "=", "provider_owner")
    .where("accepted_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Boolean(invitation);
}

/**
 * Decides on an activity of the coordinator's own area. It can only be approved while its
 * Learning Destination is validated and current; the reason for changes or a refusal shows on
 * the provider's pages.
 */
export async function decideActivity(db: DB, m: Membership, activityId: string, input: DecisionInput, now = new Date()): Promise<DecisionResult> {
  requireCoordinator(m);
  if (!isUuid(activityId)) notFound();
  const activity = await db
    .selectFrom("activity")
    .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
    .select([
      "activity.id",
      "activity.provider_id",
      "activity.title_en",
      "activity.title_cy",
      "activity.status",
      "activity.validated_until",
      "provider.status as provider_status",
      "provider.validated_until as provider_validated_until",
    ])
    .where("activity.area_id", "=", m.areaId)
    .where("activity.id", "=", activityId)
    .executeTakeFirst();
  if (!activity) notFound();
  if (activity.status === "refused" || activity.status === "withdrawn") return { ok: false, formError: "validation.errors.alreadyRefused" };
  const today = ukDate(now);
  if (
    input.decision === "validated" &&
    (activity.provider_status !== "validated" || !activity.provider_validated_until || activity.provider_validated_until < today)
  ) {
    return { ok: false, formError: "validation.errors.providerNotValidated" };
  }
  const validatedUntil = input.decision === "validated" ? newExpiry(activity, today, await validationMonthsOf(db, m.areaId)) : null;
  const reason = input.decision === "validated" ? null : input.reason;

  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("activity")
      .set({
        status: input.decision,
        status_reason: reason,
        ...(validatedUntil ? { validated_at: now, validated_until: validatedUntil } : {}),
      })
      .where("area_id", "=", m.areaId)
      .where("id", "=", activity.id)
      .execute();
    await recordDecision(trx, m, { providerId: activity.provider_id, activityId: activity.id, input, reason, validatedUntil, now });
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: ACTIVITY_ACTIONS[input.decision],
      subjectType: "activity",
      subjectId: activity.id,
      details: { name: activity.title_en ?? activity.title_cy, from: activity.status, reason, criteria: input.criteria, validatedUntil },
    });
  });
  return { ok: true, validatedUntil, invitationSent: false };
}

/**
 * The coordinator's queue: applications and activities waiting for a decision (oldest first),
 * applications sent back for changes, and validations that run out within
 * EXPIRY_WARNING_DAYS or already have.
 */
export async function validationQueue(db: DB, m: Membership, now = new Date()) {
  requireCoordinator(m);
  const today = ukDate(now);
  const horizon = addDays(today, EXPIRY_WARNING_DAYS);
  const providers = () =>
    db
      .selectFrom("provider")
      .select(["id", "name_en", "name_cy", "kind", "town", "la_code", "status", "status_reason", "submitted_at", "created_at", "validated_until"])
      .where("area_id", "=", m.areaId);
  const activities = () =>
    db
      .selectFrom("activity")
      .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
      .select([
        "activity.id",
        "activity.title_en",
        "activity.title_cy",
        "activity.category",
        "activity.credit_quarter_hours",
        "activity.status",
        "activity.submitted_at",
        "activity.created_at",
        "activity.validated_until",
        "provider.id as provider_id",
        "provider.name_en as provider_name_en",
        "provider.name_cy as provider_name_cy",
        "provider.status as provider_status",
      ])
      .where("activity.area_id", "=", m.areaId);

  const [applications, awaitingChanges, waitingActivities, expiringProviders, expiringActivities] = await Promise.all([
    providers().where("status", "=", "pending").orderBy("submitted_at").orderBy("created_at").execute(),
    providers().where("status", "=", "changes_requested").orderBy("submitted_at").execute(),
    activities().where("activity.status", "=", "pending").orderBy("activity.submitted_at").orderBy("activity.created_at").execute(),
    providers().where("status", "=", "validated").where("validated_until", "<=", horizon).orderBy("validated_until").execute(),
    activities().where("activity.status", "=", "validated").where("activity.validated_until", "<=", horizon).orderBy("activity.validated_until").execute(),
  ]);
  return { today, horizon, applications, awaitingChanges, activities: waitingActivities, expiringProviders, expiringActivities };
}

function decisionHistory(db: DB, areaId: string, providerId: string, activityId: string | null) {
  return db
    .selectFrom("validation_decision")
    .leftJoin("app_user", "app_user.id", "validation_decision.decided_by")
    .select([
      "validation_decision.id",
      "validation_decision.decision",
      "validation_decision.reason",
      "validation_decision.validated_until",
      "validation_decision.decided_at",
      "app_user.display_name as decided_by_name",
    ])
    .where("validation_decision.area_id", "=", areaId)
    .where("validation_decision.provider_id", "=", providerId)
    .where("validation_decision.activity_id", activityId ? "=" : "is", activityId)
    .orderBy("validation_decision.decided_at", "desc")
    .execute();
}

/** A Learning Destination of the coordinator's area, with its activities and past decisions. */
export async function providerForValidation(db: DB, m: Membership, providerId: string) {
  requireCoordinator(m);
  if (!isUuid(providerId)) notFound();
  const provider = await db
    .selectFrom("provider")
    .select([
      "id",
      "name_en",
      "name_cy",
      "kind",
      "town",
      "la_code",
      "contact_name",
      "contact_email",
      "contact_phone",
      "activities_summary",
      "safeguarding",
      "status",
      "status_reason",
      "validated_at",
      "validated_until",
      "submitted_at",
      "created_at",
      "application_language",
    ])
    .where("area_id", "=", m.areaId)
    .where("id", "=", providerId)
    .executeTakeFirst();
  if (!provider) notFound();
  const [activities, history] = await Promise.all([
    db
      .selectFrom("activity")
      .select(["id", "title_en", "title_cy", "status", "validated_until"])
      .where("area_id", "=", m.areaId)
      .where("provider_id", "=", provider.id)
      .orderBy("created_at")
      .execute(),
    decisionHistory(db, m.areaId, provider.id, null),
  ]);
  return { provider, activities, history };
}

/** An activity of the coordinator's area, with its Learning Destination and past decisions. */
export async function activityForValidation(db: DB, m: Membership, activityId: string) {
  requireCoordinator(m);
  if (!isUuid(activityId)) notFound();
  const activity = await db
    .selectFrom("activity")
    .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
    .select(ACTIVITY_DETAIL_COLUMNS)
    .where("activity.area_id", "=", m.areaId)
    .where("activity.id", "=", activityId)
    .executeTakeFirst();
  if (!activity) notFound();
  return { activity, history: await decisionHistory(db, m.areaId, activity.provider_id, activity.id) };
}
