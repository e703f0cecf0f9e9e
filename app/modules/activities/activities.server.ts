import { z } from "zod";
import { activitiesManagedBy } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import type { ActivityStatus, Skill } from "../db/schema";
import { checkbox, optionalText, requiredText } from "../forms/fields.server";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { ageField, hoursField, priceField } from "./fields.server";
import { CATEGORIES, COST_BANDS, MAX_SKILLS, SKILLS } from "./options";
import { localAuthoritiesOf } from "./places.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * Activities, as a Learning Destination's staff manage them. The owner describes them (what
 * the coordinator validates); members run them. A new activity waits for the coordinator;
 * changing the credit hours of a validated one sends it back, other changes do not.
 */

const activityFields = {
  titleEn: optionalText(120, "activities.errors.titleTooLong"),
  titleCy: optionalText(120, "activities.errors.titleTooLong"),
  descriptionEn: optionalText(2000, "activities.errors.descriptionTooLong"),
  descriptionCy: optionalText(2000, "activities.errors.descriptionTooLong"),
  category: z.enum(CATEGORIES, { error: "activities.errors.categoryRequired" }),
  creditHours: hoursField(),
  // Checkboxes sharing one name, read with getAll below; listed here for the errors' order.
  skills: z.unknown(),
  costBand: z.enum(COST_BANDS, { error: "activities.errors.costRequired" }),
  price: priceField,
  minAge: ageField("activities.errors.minAgeRequired"),
  maxAge: ageField("activities.errors.maxAgeRequired"),
  venue: requiredText(200, "activities.errors.venueRequired", "activities.errors.venueTooLong"),
  town: requiredText(80, "activities.errors.townRequired", "activities.errors.townTooLong"),
  laCode: z.string({ error: "activities.errors.laRequired" }).trim().min(1, { error: "activities.errors.laRequired" }),
  welshLanguage: checkbox,
  accessibilityNotes: optionalText(1000, "activities.errors.accessibilityTooLong"),
};

export type ActivityInput = {
  titleEn: string | null;
  titleCy: string | null;
  descriptionEn: string | null;
  descriptionCy: string | null;
  category: (typeof CATEGORIES)[number];
  /** Up to MAX_SKILLS of the framework's skills, in the framework's order. */
  skills: Skill[];
  quarterHours: number;
  costBand: (typeof COST_BANDS)[number];
  pricePence: number | null;
  minAge: number;
  maxAge: number;
  venue: string;
  town: string;
  laCode: string;
  welshLanguage: boolean;
  accessibilityNotes: string | null;
};

/** Reads the activity form. One title (Welsh or English) is enough; a description needs a title in its language. */
export function parseActivityForm(formData: FormData) {
  const ticked = formData.getAll("skills").map(String);
  const skills = SKILLS.filter((skill) => ticked.includes(skill));
  const parsed = parseForm(activityFields, formData, (v) => {
    const errors: FieldErrors = {};
    if (ticked.some((value) => !(SKILLS as readonly string[]).includes(value))) errors.skills = "activities.errors.skillUnknown";
    else if (skills.length > MAX_SKILLS) errors.skills = "activities.errors.skillsTooMany";
    if (v.titleEn === null && v.titleCy === null) errors.titleEn = "activities.errors.titleRequired";
    if (v.descriptionEn && v.titleEn === null) errors.titleEn ??= "activities.errors.titleEnForDescription";
    if (v.descriptionCy && v.titleCy === null) errors.titleCy = "activities.errors.titleCyForDescription";
    if (v.costBand && v.costBand !== "free") {
      if (v.price === null) errors.price = "activities.errors.priceRequired";
      else if (v.price === 0) errors.price = "activities.errors.pricePaidZero";
    }
    if (v.minAge !== undefined && v.maxAge !== undefined && v.maxAge < v.minAge) errors.maxAge = "activities.errors.maxAgeBelowMin";
    return errors;
  });
  // The ticked boxes go back to the form as one value (the form's values are one string a field).
  if (!parsed.ok) return { ...parsed, values: { ...parsed.values, skills: ticked.join(" ") } };
  const { creditHours, price, skills: _skills, ...rest } = parsed.data;
  const input: ActivityInput = { ...rest, skills, quarterHours: creditHours!, pricePence: rest.costBand === "free" ? null : price };
  return { ok: true as const, data: input };
}

export type SaveActivityResult = { ok: true; activityId: string; sentForValidation: boolean } | { ok: false; errors: FieldErrors; formError?: string };

function mayDescribeActivities(m: Membership) {
  return m.role === "provider_owner";
}

function columnsFor(input: ActivityInput) {
  return {
    title_en: input.titleEn,
    title_cy: input.titleCy,
    description_en: input.descriptionEn,
    description_cy: input.descriptionCy,
    category: input.category,
    skills: input.skills,
    credit_quarter_hours: input.quarterHours,
    cost_band: input.costBand,
    price_pence: input.costBand === "free" ? 0 : input.pricePence,
    min_age: input.minAge,
    max_age: input.maxAge,
    venue: input.venue,
    town: input.town,
    la_code: input.laCode,
    welsh_language: input.welshLanguage,
    accessibility_notes: input.accessibilityNotes,
  };
}

/** A new activity from the owner's form: it waits in the coordinator's queue. */
export async function createActivity(db: DB, m: Membership, input: ActivityInput, now = new Date()): Promise<SaveActivityResult> {
  if (!mayDescribeActivities(m)) forbidden();
  if (!(await localAuthoritiesOf(db, m.areaId)).includes(input.laCode)) return { ok: false, errors: { laCode: "activities.errors.laRequired" } };
  const activity = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("activity")
      .values({ area_id: m.areaId, provider_id: m.providerId, ...columnsFor(input), status: "pending", submitted_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "activity_created",
      subjectType: "activity",
      subjectId: row.id,
      details: { name: input.titleEn ?? input.titleCy, providerId: m.providerId, quarterHours: input.quarterHours },
    });
    return row;
  });
  return { ok: true, activityId: activity.id, sentForValidation: true };
}

/** Statuses in which the owner may still change an activity. */
const EDITABLE: ActivityStatus[] = ["draft", "pending", "changes_requested", "validated"];

/**
 * Saves the owner's changes. What happens to the validation: a change of credit hours to a
 * validated activity sends it back to the coordinator (the hours are what was checked);
 * saving an activity the coordinator asked changes to resubmits it; nothing else does.
 * Future sessions that used the old hours follow the new ones, in the same transaction.
 */
export async function updateActivity(db: DB, m: Membership, activityId: string, input: ActivityInput, now = new Date()): Promise<SaveActivityResult> {
  const current = await activityForStaff(db, m, activityId);
  if (!mayDescribeActivities(m)) forbidden();
  if (!EDITABLE.includes(current.status)) return { ok: false, errors: {}, formError: "activities.errors.notEditable" };
  if (!(await localAuthoritiesOf(db, m.areaId)).includes(input.laCode)) return { ok: false, errors: { laCode: "activities.errors.laRequired" } };

  const hoursChanged = input.quarterHours !== current.credit_quarter_hours;
  const resubmitted = current.status === "changes_requested" || current.status === "draft";
  const backToValidation = resubmitted || (current.status === "validated" && hoursChanged);
  const columns = columnsFor(input);
  const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.join() === b.join() : a === b);
  const changed = (Object.keys(columns) as Array<keyof typeof columns>).filter((key) => !same(columns[key], current[key]));

  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("activity")
      .set({
        ...columns,
        updated_at: now,
        ...(backToValidation ? { status: "pending" as const, status_reason: null, submitted_at: now } : {}),
      })
      .where("area_id", "=", m.areaId)
      .where("provider_id", "=", m.providerId)
      .where("id", "=", current.id)
      .execute();
    if (hoursChanged) {
      await trx
        .updateTable("activity_session")
        .set({ quarter_hours: input.quarterHours })
        .where("area_id", "=", m.areaId)
        .where("activity_id", "=", current.id)
        .where("quarter_hours", "=", current.credit_quarter_hours)
        .where("starts_at", ">", now)
        .where("cancelled_at", "is", null)
        .execute();
    }
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "activity_updated",
      subjectType: "activity",
      subjectId: current.id,
      details: {
        name: input.titleEn ?? input.titleCy,
        changed,
        ...(hoursChanged ? { quarterHoursFrom: current.credit_quarter_hours, quarterHoursTo: input.quarterHours } : {}),
        sentForValidation: backToValidation,
      },
    });
  });
  return { ok: true, activityId: current.id, sentForValidation: backToValidation };
}

/** What a page about one activity shows (staff's and the coordinator's), with its Learning Destination. */
export const ACTIVITY_DETAIL_COLUMNS = [
  "activity.id",
  "activity.provider_id",
  "activity.title_en",
  "activity.title_cy",
  "activity.description_en",
  "activity.description_cy",
  "activity.category",
  "activity.skills",
  "activity.credit_quarter_hours",
  "activity.cost_band",
  "activity.price_pence",
  "activity.min_age",
  "activity.max_age",
  "activity.venue",
  "activity.town",
  "activity.la_code",
  "activity.welsh_language",
  "activity.accessibility_notes",
  "activity.status",
  "activity.status_reason",
  "activity.validated_until",
  "activity.submitted_at",
  "provider.name_en as provider_name_en",
  "provider.name_cy as provider_name_cy",
  "provider.status as provider_status",
  "provider.validated_until as provider_validated_until",
] as const;

/** One activity for staff allowed to manage it; a 404 for anyone else, another provider's included. */
export async function activityForStaff(db: DB, m: Membership, activityId: string) {
  if (!isUuid(activityId)) notFound();
  const activity = await activitiesManagedBy(db, m)
    .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
    .select([...ACTIVITY_DETAIL_COLUMNS, "provider.la_code as provider_la_code", "provider.town as provider_town"])
    .where("activity.id", "=", activityId)
    .executeTakeFirst();
  return activity ?? notFound();
}

/** The form's values for an existing activity. */
export function activityFormValues(activity: Awaited<ReturnType<typeof activityForStaff>>): Record<string, string> {
  return {
    titleEn: activity.title_en ?? "",
    titleCy: activity.title_cy ?? "",
    descriptionEn: activity.description_en ?? "",
    descriptionCy: activity.description_cy ?? "",
    category: activity.category,
    skills: activity.skills.join(" "),
    creditHours: String(activity.credit_quarter_hours / 4),
    costBand: activity.cost_band,
    price: activity.cost_band === "free" || activity.price_pence === null ? "" : (activity.price_pence / 100).toFixed(2),
    minAge: activity.min_age === null ? "" : String(activity.min_age),
    maxAge: activity.max_age === null ? "" : String(activity.max_age),
    venue: activity.venue ?? "",
    town: activity.town ?? activity.provider_town ?? "",
    laCode: activity.la_code ?? activity.provider_la_code ?? "",
    welshLanguage: activity.welsh_language ? "on" : "",
    accessibilityNotes: activity.accessibility_notes ?? "",
  };
}

/** A Learning Destination's activities, newest first, with their next session. */
export async function listProviderActivities(db: DB, m: Membership, now = new Date()) {
  if (m.role !== "provider_owner" && m.role !== "provider_member") forbidden();
  return activitiesManagedBy(db, m)
    .select((eb) => [
      "activity.id",
      "activity.title_en",
      "activity.title_cy",
      "activity.category",
      "activity.credit_quarter_hours",
      "activity.status",
      "activity.status_reason",
      "activity.validated_until",
      eb
        .selectFrom("activity_session")
        .select((sub) => sub.fn.min("activity_session.starts_at").as("next"))
        .where(sameAreaRef("activity_session.activity_id", "activity.id"))
        .where("activity_session.starts_at", ">=", now)
        .where("activity_session.cancelled_at", "is", null)
        .as("next_session_at"),
    ])
    .orderBy("activity.created_at", "desc")
    .execute();
}

/** Defaults for a new activity: where the Learning Destination is. */
export async function newActivityDefaults(db: DB, m: Membership) {
  if (!mayDescribeActivities(m)) forbidden();
  const provider = await db
    .selectFrom("provider")
    .select(["town", "la_code"])
    .where("area_id", "=", m.areaId)
    .where("id", "=", m.providerId)
    .executeTakeFirstOrThrow();
  return { town: provider.town ?? "", laCode: provider.la_code ?? "", costBand: "free" };
}
