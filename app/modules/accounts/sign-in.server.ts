import { z } from "zod";
import type { DB } from "../db/database.server";
import { recordAudit } from "../audit/audit.server";
import { homePathFor, loadMemberships } from "./actor.server";
import { startSession } from "./auth.server";
import { timingSafeDummyHash, verifyPassword } from "./password.server";
import { countAttempts, overLimit, PER_ACCOUNT, PER_ADDRESS, type RateLimit } from "./rate-limit.server";

/** An email address as typed: trimmed, lower-cased, and checked for shape. */
export const emailField = z
  .string({ error: "forms.emailRequired" })
  .trim()
  .toLowerCase()
  .min(1, { error: "forms.emailRequired" })
  .max(254, { error: "forms.emailInvalid" })
  .pipe(z.email({ error: "forms.emailInvalid" }));

export const signInForm = z.object({
  email: emailField,
  password: z.string({ error: "forms.passwordRequired" }).min(1, { error: "forms.passwordRequired" }).max(200, { error: "signIn.invalid" }),
});

export type SignInResult =
  | { ok: true; userId: string; setCookie: string; home: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * Checks an email and password. Unknown email and wrong password give the same answer after
 * the same work, so nothing says whether an account exists. Failed attempts are limited per
 * account and per client address (after 10 failures even the right password waits); every
 * outcome is audited.
 */
export async function signIn(db: DB, input: { email: string; password: string }, clientAddress: string): Promise<SignInResult> {
  const limits: Array<[string, RateLimit]> = [
    [`sign-in:account:${input.email}`, PER_ACCOUNT],
    [`sign-in:address:${clientAddress}`, PER_ADDRESS],
  ];
  const limit = await overLimit(db, limits);
  if (!limit.allowed) {
    await recordAudit(db, { action: "sign_in_failed", details: { email: input.email, reason: "rate_limited", clientAddress } });
    return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };
  }
  const user = await db
    .selectFrom("app_user")
    .select(["id", "password_hash"])
    .where("email", "=", input.email)
    .executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? (await timingSafeDummyHash()), input.password);
  if (!user?.password_hash || !valid) {
    // Only failures count towards the limits.
    await countAttempts(db, limits);
    await recordAudit(db, { actorUserId: user?.id ?? null, action: "sign_in_failed", details: { email: input.email, clientAddress } });
    return { ok: false, reason: "invalid" };
  }
  const memberships = await loadMemberships(db, user.id);
  const active = memberships[0] ?? null;
  const { setCookie } = await startSession(db, user.id, active?.id ?? null);
  await recordAudit(db, { areaId: active?.areaId ?? null, actorUserId: user.id, action: "sign_in", details: { clientAddress } });
  return { ok: true, userId: user.id, setCookie, home: homePathFor(active) };
}
