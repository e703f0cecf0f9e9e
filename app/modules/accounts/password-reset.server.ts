import { z } from "zod";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { sendEmail } from "../email/email.server";
import type { FieldErrors } from "../forms/parse-form.server";
import { translator } from "../i18n/i18n";
import { newPasswordError, newPasswordField } from "./account-fields.server";
import { homePathFor, loadMemberships } from "./actor.server";
import { endAllSessions, startSession } from "./auth.server";
import { consumeUserToken, inspectUserToken, storeUserToken, type LinkState } from "./links.server";
import { hashPassword } from "./password.server";
import { countAttempts, PER_ACCOUNT, PER_ADDRESS } from "./rate-limit.server";
import { newSecretToken } from "./secret-token.server";
import { emailField } from "./sign-in.server";

export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;

export const forgotPasswordForm = z.object({ email: emailField });
export const resetPasswordForm = z.object({ password: newPasswordField });

export type ResetRequestResult = { ok: true } | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * Emails a reset link when the address has an account. The answer is the same whether or not
 * it has one (only the rate limit can refuse, and it counts unknown addresses alike), so the
 * form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  db: DB,
  input: { email: string },
  clientAddress: string,
  origin: string,
  now = new Date(),
): Promise<ResetRequestResult> {
  const limit = await countAttempts(
    db,
    [
      [`reset:account:${input.email}`, PER_ACCOUNT],
      [`reset:address:${clientAddress}`, PER_ADDRESS],
    ],
    now,
  );
  if (!limit.allowed) return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };

  const user = await db.selectFrom("app_user").select(["id", "display_name", "preferred_language"]).where("email", "=", input.email).executeTakeFirst();
  if (!user) {
    await recordAudit(db, { action: "password_reset_requested", details: { email: input.email, known: false, clientAddress } });
    return { ok: true };
  }
  const token = newSecretToken();
  await storeUserToken(db, token, user.id, "password_reset", RESET_LINK_LIFETIME_MS, now);
  const areaId = (await loadMemberships(db, user.id))[0]?.areaId ?? null;
  const t = translator(user.preferred_language);
  const link = `${origin}/reset-password/${token}`;
  await sendEmail(db, {
    to: input.email,
    language: user.preferred_language,
    areaId,
    subject: t("emails.passwordReset.subject"),
    text: t("emails.passwordReset.body", { name: user.display_name, link }),
    secrets: [link],
  });
  await recordAudit(db, { areaId, actorUserId: user.id, action: "password_reset_requested", details: { known: true, clientAddress } });
  return { ok: true };
}

/** Whether a reset link can still be used, without using it. */
export async function checkResetLink(db: DB, token: string | undefined, now = new Date()) {
  return (await inspectUserToken(db, token, "password_reset", now)).state;
}

export type ResetResult =
  { ok: true; setCookie: string; home: string } | { ok: false; errors: FieldErrors } | { ok: false; state: Exclude<LinkState, "valid"> };

/**
 * Sets a new password through a reset link. The link works once; every session of the person
 * is ended (a thief signed in elsewhere is thrown out) and a fresh one started here. The link
 * also proves the email address, so it counts as confirmed.
 */
export async function resetPassword(db: DB, token: string, input: { password: string }, now = new Date()): Promise<ResetResult> {
  const link = await inspectUserToken(db, token, "password_reset", now);
  if (link.state !== "valid" || !link.user) return { ok: false, state: link.state === "valid" ? "invalid" : link.state };
  const passwordError = newPasswordError(input.password, [link.user.email, link.user.displayName]);
  if (passwordError) return { ok: false, errors: { password: passwordError } };
  const passwordHash = await hashPassword(input.password);

  const userId = await db.transaction().execute(async (trx) => {
    const owner = await consumeUserToken(trx, token, "password_reset", now);
    if (!owner) return null;
    await trx
      .updateTable("app_user")
      .set((eb) => ({ password_hash: passwordHash, email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)) }))
      .where("id", "=", owner)
      .execute();
    // Any other reset links sent earlier stop working too.
    await trx
      .updateTable("user_token")
      .set({ used_at: now })
      .where("user_id", "=", owner)
      .where("purpose", "=", "password_reset")
      .where("used_at", "is", null)
      .execute();
    return owner;
  });
  if (!userId) return { ok: false, state: (await checkResetLink(db, token, now)) === "expired" ? "expired" : "used" };

  await endAllSessions(db, userId);
  const memberships = await loadMemberships(db, userId);
  const active = memberships[0] ?? null;
  const { setCookie } = await startSession(db, userId, active?.id ?? null);
  await recordAudit(db, { areaId: active?.areaId ?? null, actorUserId: userId, action: "password_reset" });
  return { ok: true, setCookie, home: homePathFor(active) };
}
