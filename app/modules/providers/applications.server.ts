import { z } from "zod";
import { emailField } from "../accounts/sign-in.server";
import { isWellFormedToken } from "../accounts/links.server";
import { countAttempts } from "../accounts/rate-limit.server";
import { hashSecretToken, newSecretToken } from "../accounts/secret-token.server";
import { checkbox, optionalText, requiredText } from "../forms/fields.server";
import { PROVIDER_KINDS } from "../activities/options";
import { areaForLocalAuthority } from "../activities/places.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";
import { sendEmail } from "../email/email.server";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { translator } from "../i18n/i18n";

/**
 * Applying to be a Learning Destination: a public form, no account needed. It makes a pending
 * provider in the area that covers the chosen local authority. The applicant gets a private
 * status link (only its hash is kept) to follow the decision and, when the coordinator asks
 * for changes, to edit and send the application again. The owner's account comes later, by
 * invitation, once the application is approved.
 */

/** Applications per client address per hour: enough for a shared office, too few for a spam run. */
export const APPLICATIONS_PER_HOUR = 5;

const applicationFields = {
  name: requiredText(150, "apply.errors.nameRequired", "apply.errors.nameTooLong"),
  nameCy: optionalText(150, "apply.errors.nameTooLong"),
  kind: z.enum(PROVIDER_KINDS, { error: "apply.errors.kindRequired" }),
  laCode: z.string({ error: "apply.errors.laRequired" }).trim().min(1, { error: "apply.errors.laRequired" }),
  town: requiredText(80, "apply.errors.townRequired", "apply.errors.townTooLong"),
  contactName: requiredText(100, "apply.errors.contactNameRequired", "apply.errors.contactNameTooLong"),
  contactEmail: emailField,
  contactPhone: requiredText(30, "apply.errors.phoneRequired", "apply.errors.phoneInvalid").regex(/^\+?[0-9 ()-]{7,}$/, {
    error: "apply.errors.phoneInvalid",
  }),
  activitiesSummary: requiredText(2000, "apply.errors.summaryRequired", "apply.errors.summaryTooLong"),
  dbs: checkbox,
  policy: checkbox,
  insurance: checkbox,
};

export type ApplicationInput = {
  name: string;
  nameCy: string | null;
  kind: (typeof PROVIDER_KINDS)[number];
  laCode: string;
  town: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  activitiesSummary: string;
  dbs: boolean;
  policy: boolean;
  insurance: boolean;
};

/** Reads the application form. All three safeguarding confirmations are required. */
export function parseApplicationForm(formData: FormData) {
  return parseForm(applicationFields, formData, (v) => {
    const errors: FieldErrors = {};
    if (v.dbs === false) errors.dbs = "apply.errors.dbsRequired";
    if (v.policy === false) errors.policy = "apply.errors.policyRequired";
    if (v.insurance === false) errors.insurance = "apply.errors.insuranceRequired";
    return errors;
  });
}

export type SubmitApplicationResult =
  { ok: true; providerId: string; token: string } | { ok: false; errors: FieldErrors; formError?: string | { key: string; count: number } };

function applicationColumns(input: ApplicationInput, now: Date) {
  return {
    name_en: input.name,
    name_cy: input.nameCy,
    kind: input.kind,
    town: input.town,
    la_code: input.laCode,
    contact_name: input.contactName,
    contact_email: input.contactEmail,
    contact_phone: input.contactPhone,
    activities_summary: input.activitiesSummary,
    safeguarding: JSON.stringify({ dbs: input.dbs, policy: input.policy, insurance: input.insurance, confirmedAt: now.toISOString() }),
  };
}

/** Emails the applicant their status link, in the language they applied in. */
export async function emailApplicant(
  db: DB,
  provider: { area_id: string; name_en: string; contact_email: string | null; application_language: Language },
  kind: "received" | "validated" | "changes_requested" | "refused",
  link: string,
  reason: string | null = null,
) {
  if (!provider.contact_email) return;
  const t = translator(provider.application_language);
  await sendEmail(db, {
    to: provider.contact_email,
    language: provider.application_language,
    areaId: provider.area_id,
    subject: t(`apply.emails.${kind}Subject`, { name: provider.name_en }),
    text: t(`apply.emails.${kind}Body`, { name: provider.name_en, link, reason: reason ?? "" }),
    secrets: [link],
  });
}

/** A fresh status link: the token goes in the email, only its hash is stored. */
export function newStatusToken() {
  const token = newSecretToken();
  return { token, hash: hashSecretToken(token) };
}

export function statusLink(origin: string, token: string) {
  return `${origin}/apply/status/${token}`;
}

export async function submitApplication(
  db: DB,
  input: ApplicationInput,
  options: { language: Language; origin: string; clientAddress: string },
  now = new Date(),
): Promise<SubmitApplicationResult> {
  const limited = await countAttempts(db, [[`apply:${options.clientAddress}`, { limit: APPLICATIONS_PER_HOUR, windowMinutes: 60 }]], now);
  if (!limited.allowed) return { ok: false, errors: {}, formError: { key: "apply.rateLimited", count: limited.retryAfterMinutes } };
  const area = await areaForLocalAuthority(db, input.laCode);
  if (!area) return { ok: false, errors: { laCode: "apply.errors.laRequired" } };
  const { token, hash } = newStatusToken();
  const provider = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("provider")
      .values({
        area_id: area.id,
        ...applicationColumns(input, now),
        status: "pending",
        application_language: options.language,
        application_token_hash: hash,
        submitted_at: now,
      })
      .returning(["area_id", "id", "name_en", "contact_email", "application_language"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      areaId: area.id,
      actorUserId: null,
      action: "provider_applied",
      subjectType: "provider",
      subjectId: row.id,
      details: { name: input.name, kind: input.kind, laCode: input.laCode, safeguarding: { dbs: input.dbs, policy: input.policy, insurance: input.insurance } },
    });
    await emailApplicant(trx, row, "received", statusLink(options.origin, token));
    return row;
  });
  return { ok: true, providerId: provider.id, token };
}

/** The application behind a status link, or null for a link that is not one. */
export async function applicationByToken(db: DB, token: string | undefined) {
  if (!isWellFormedToken(token)) return null;
  const row = await db
    .selectFrom("provider")
    .innerJoin("area", "area.id", "provider.area_id")
    .select([
      "provider.area_id",
      "provider.id",
      "provider.name_en",
      "provider.name_cy",
      "provider.kind",
      "provider.town",
      "provider.la_code",
      "provider.contact_name",
      "provider.contact_email",
      "provider.contact_phone",
      "provider.activities_summary",
      "provider.safeguarding",
      "provider.status",
      "provider.status_reason",
      "provider.validated_until",
      "provider.submitted_at",
      "provider.application_language",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
    ])
    .where("provider.application_token_hash", "=", hashSecretToken(token))
    .executeTakeFirst();
  return row ?? null;
}

export function applicationFormValues(application: NonNullable<Awaited<ReturnType<typeof applicationByToken>>>): Record<string, string> {
  return {
    name: application.name_en,
    nameCy: application.name_cy ?? "",
    kind: application.kind,
    laCode: application.la_code ?? "",
    town: application.town ?? "",
    contactName: application.contact_name ?? "",
    contactEmail: application.contact_email ?? "",
    contactPhone: application.contact_phone ?? "",
    activitiesSummary: application.activities_summary ?? "",
  };
}

/**
 * Sends the application again after the coordinator asked for changes. It stays in its area
 * (the local authority must be one of that area's), and goes back to the queue.
 */
export async function resubmitApplication(
  db: DB,
  token: string,
  input: ApplicationInput,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; errors: FieldErrors; formError?: string }> {
  const application = await applicationByToken(db, token);
  if (!application) return { ok: false, errors: {}, formError: "apply.status.unknown" };
  if (application.status !== "changes_requested") return { ok: false, errors: {}, formError: "apply.errors.notAwaitingChanges" };
  const area = await areaForLocalAuthority(db, input.laCode);
  if (!area || area.id !== application.area_id) return { ok: false, errors: { laCode: "apply.errors.laOtherArea" } };
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("provider")
      .set({ ...applicationColumns(input, now), status: "pending", status_reason: null, submitted_at: now })
      .where("area_id", "=", application.area_id)
      .where("id", "=", application.id)
      .where("status", "=", "changes_requested")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return;
    await recordAudit(trx, {
      areaId: application.area_id,
      actorUserId: null,
      action: "provider_resubmitted",
      subjectType: "provider",
      subjectId: application.id,
      details: { name: input.name },
    });
  });
  return { ok: true };
}
