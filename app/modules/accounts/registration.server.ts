import { z } from "zod";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { sendEmail } from "../email/email.server";
import type { FieldErrors } from "../forms/parse-form.server";
import { translator } from "../i18n/i18n";
import { displayNameField, languageField, newPasswordError, newPasswordField } from "./account-fields.server";
import { loadMemberships } from "./actor.server";
import { consumeUserToken, inspectUserToken, isWellFormedToken, storeUserToken } from "./links.server";
import { hashPassword } from "./password.server";
import { countAttempts, PER_ACCOUNT, PER_ADDRESS } from "./rate-limit.server";
import { newSecretToken } from "./secret-token.server";
import { emailField } from "./sign-in.server";

export const CONFIRMATION_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const registrationForm = z.object({
  displayName: displayNameField,
  email: emailField,
  password: newPasswordField,
  language: languageField,
  areaId: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null),
});

export type RegistrationInput = z.output<typeof registrationForm>;

/** The Children's Universities a parent can join; the form asks which only when there is more than one. */
export function registrationAreas(db: DB) {
  return db.selectFrom("area").select(["id", "name_en", "name_cy"]).orderBy("name_en").execute();
}

export type RegistrationResult = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * A parent or carer creates their own account. The answer never says whether the address
 * already has one: a new address gets a confirmation link, a known one a note saying so (or
 * a fresh link when it was never confirmed), and the password is hashed either way so the
 * time taken tells nothing either. The typed password never replaces an existing one.
 */
export async function registerGuardian(db: DB, input: RegistrationInput, clientAddress: string, origin: string, now = new Date()): Promise<RegistrationResult> {
  const limit = await countAttempts(
    db,
    [
      [`register:account:${input.email}`, PER_ACCOUNT],
      [`register:address:${clientAddress}`, PER_ADDRESS],
    ],
    now,
  );
  if (!limit.allowed) return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };

  const errors: FieldErrors = {};
  const passwordError = newPasswordError(input.password, [input.email, input.displayName]);
  if (passwordError) errors.password = passwordError;
  const areas = await registrationAreas(db);
  let areaId: string | null = areas.length === 1 ? areas[0]!.id : null;
  if (areas.length > 1) {
    areaId = areas.find((area) => area.id === input.areaId)?.id ?? null;
    if (!areaId) errors.areaId = "register.areaRequired";
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const passwordHash = await hashPassword(input.password);
  const existing = await db
    .selectFrom("app_user")
    .select(["id", "display_name", "preferred_language", "email_verified_at"])
    .where("email", "=", input.email)
    .executeTakeFirst();

  if (existing) {
    const t = translator(existing.preferred_language);
    const memberArea = (await loadMemberships(db, existing.id))[0]?.areaId ?? areaId;
    if (existing.email_verified_at) {
      await sendEmail(db, {
        to: input.email,
        language: existing.preferred_language,
        areaId: memberArea,
        subject: t("emails.alreadyRegistered.subject"),
        text: t("emails.alreadyRegistered.body", {
          name: existing.display_name,
          signInLink: `${origin}/login`,
          resetLink: `${origin}/forgot-password`,
        }),
      });
    } else {
      // Never confirmed (the first email lost?): a fresh link, but the first password stands.
      const token = await issueConfirmation(db, existing.id, areaId, now);
      const link = `${origin}/confirm-email/${token}`;
      await sendEmail(db, {
        to: input.email,
        language: existing.preferred_language,
        areaId: memberArea,
        subject: t("emails.confirmEmail.subject"),
        text: t("emails.confirmEmail.bodyAgain", { name: existing.display_name, link, resetLink: `${origin}/forgot-password` }),
        secrets: [link],
      });
    }
    return { ok: true };
  }

  const user = await db
    .insertInto("app_user")
    .values({ email: input.email, display_name: input.displayName, password_hash: passwordHash, preferred_language: input.language })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  // Registered a moment ago by a parallel request, which has sent its own email.
  if (!user) return { ok: true };
  const token = await issueConfirmation(db, user.id, areaId, now);
  const t = translator(input.language);
  const link = `${origin}/confirm-email/${token}`;
  await sendEmail(db, {
    to: input.email,
    language: input.language,
    areaId,
    subject: t("emails.confirmEmail.subject"),
    text: t("emails.confirmEmail.body", { name: input.displayName, link }),
    secrets: [link],
  });
  await recordAudit(db, {
    areaId,
    actorUserId: user.id,
    action: "guardian_registered",
    subjectType: "app_user",
    subjectId: user.id,
    details: { clientAddress },
  });
  return { ok: true };
}

/**
 * A confirmation link. The chosen area travels in the link after a dot (user_token has no
 * column for it); the stored hash covers the whole link, so the area cannot be altered.
 */
async function issueConfirmation(db: DB, userId: string, areaId: string | null, now: Date) {
  const token = areaId ? `${newSecretToken()}.${areaId}` : newSecretToken();
  await storeUserToken(db, token, userId, "email_confirmation", CONFIRMATION_LINK_LIFETIME_MS, now);
  return token;
}

export type ConfirmationResult = { state: "confirmed" | "expired" | "invalid" };

/**
 * Confirms an email address from its link and gives the parent their guardian membership:
 * in the area chosen on the form, or the only area there is. A link that was already used
 * still says "confirmed" (mail scanners often open links before the person does).
 */
export async function confirmEmail(db: DB, token: string | undefined, now = new Date()): Promise<ConfirmationResult> {
  if (!isWellFormedToken(token)) return { state: "invalid" };
  const link = await inspectUserToken(db, token, "email_confirmation", now);
  if (link.state === "used" && link.user?.emailVerified) return { state: "confirmed" };
  if (link.state !== "valid") return { state: link.state === "expired" ? "expired" : "invalid" };

  const chosenAreaId = token.includes(".") ? token.slice(token.indexOf(".") + 1) : null;
  const areas = await registrationAreas(db);
  const areaId = areas.find((area) => area.id === chosenAreaId)?.id ?? (areas.length === 1 ? areas[0]!.id : null);

  return db.transaction().execute(async (trx): Promise<ConfirmationResult> => {
    const userId = await consumeUserToken(trx, token, "email_confirmation", now);
    if (!userId) return { state: "confirmed" };
    await trx
      .updateTable("app_user")
      .set((eb) => ({ email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)) }))
      .where("id", "=", userId)
      .execute();
    await recordAudit(trx, { areaId, actorUserId: userId, action: "email_confirmed", subjectType: "app_user", subjectId: userId });
    if (areaId) {
      const membership = await trx
        .insertInto("membership")
        .values({ area_id: areaId, user_id: userId, role: "guardian" })
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .executeTakeFirst();
      if (membership) {
        await recordAudit(trx, {
          areaId,
          actorUserId: userId,
          action: "membership_added",
          subjectType: "membership",
          subjectId: membership.id,
          details: { role: "guardian", via: "registration" },
        });
      }
    }
    return { state: "confirmed" };
  });
}
