import { z } from "zod";
import type { DB } from "../db/database.server";
import { recordAudit } from "../audit/audit.server";
import { homePathFor, loadMemberships } from "./actor.server";
import { startSession } from "./auth.server";
import { timingSafeDummyHash, verifyPassword } from "./password.server";
import {
  clientNetwork,
  countAttempt,
  countFailure,
  forgetFailures,
  overLimit,
  SIGN_IN_PER_ACCOUNT_AND_ADDRESS,
  SIGN_IN_PER_ADDRESS,
} from "./rate-limit.server";

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

/** The sign-in page's form: the credentials and where to go after (checked by safeRedirectPath). */
export const signInPageForm = signInForm.extend({ redirectTo: z.string().optional() });

export type SignInResult =
  | { ok: true; userId: string; setCookie: string; home: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * Checks an email and password. Unknown email and wrong password give the same answer after
 * the same work, so nothing says whether an account exists. Only failures count: per account
 * and address with growing delays (while one runs, even the right password waits, from that
 * address only), and per address across accounts; every outcome is audited.
 */
export async function signIn(db: DB, input: { email: string; password: string }, clientAddress: string, now = new Date()): Promise<SignInResult> {
  const network = clientNetwork(clientAddress);
  const pairKey = `sign-in:account-address:${input.email}:${network}`;
  const addressKey = `sign-in:address:${network}`;
  const limit = await overLimit(
    db,
    [
      [pairKey, SIGN_IN_PER_ACCOUNT_AND_ADDRESS],
      [addressKey, SIGN_IN_PER_ADDRESS],
    ],
    now,
  );
  if (!limit.allowed) {
    await recordAudit(db, { action: "sign_in_failed", details: { email: input.email, reason: "rate_limited", clientAddress } });
    return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };
  }
  const user = await db.selectFrom("app_user").select(["id", "password_hash"]).where("email", "=", input.email).executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? (await timingSafeDummyHash()), input.password);
  if (!user?.password_hash || !valid) {
    // Only failures count towards the limits.
    await countFailure(db, pairKey, SIGN_IN_PER_ACCOUNT_AND_ADDRESS, now);
    await countAttempt(db, addressKey, SIGN_IN_PER_ADDRESS, now);
    await recordAudit(db, { actorUserId: user?.id ?? null, action: "sign_in_failed", details: { email: input.email, clientAddress } });
    return { ok: false, reason: "invalid" };
  }
  await forgetFailures(db, pairKey);
  const memberships = await loadMemberships(db, user.id);
  const active = memberships[0] ?? null;
  const { setCookie } = await startSession(db, user.id, active?.id ?? null);
  await recordAudit(db, { areaId: active?.areaId ?? null, actorUserId: user.id, action: "sign_in", details: { clientAddress } });
  return { ok: true, userId: user.id, setCookie, home: homePathFor(active) };
}
