import { publicOriginFromEnv } from "../db/config";
import type { DB } from "../db/database.server";
import type { UserTokenTable } from "../db/schema";
import { hashSecretToken } from "./secret-token.server";

/**
 * The site's address for links in emails and printed letters: from configuration only
 * (publicOriginFromEnv, checked at start-up), never from the request.
 */
export function publicOrigin(env: Record<string, string | undefined> = process.env) {
  return publicOriginFromEnv(env);
}

/** What a one-time link turned out to be when opened. */
export type LinkState = "valid" | "used" | "expired" | "invalid";

/** A token from a URL is only looked up when it could be one of ours (base64url, maybe with a suffix). */
export function isWellFormedToken(token: string | undefined): token is string {
  return typeof token === "string" && token.length >= 40 && token.length <= 120 && /^[A-Za-z0-9_.-]+$/.test(token);
}

export function linkStateOf(row: { used: boolean; expiresAt: Date } | undefined, now = new Date()): LinkState {
  if (!row) return "invalid";
  if (row.used) return "used";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

type Purpose = UserTokenTable["purpose"];

/** Stores a one-time link's token (as its hash) for a person. */
export async function storeUserToken(db: DB, token: string, userId: string, purpose: Purpose, lifetimeMs: number, now = new Date()) {
  await db
    .insertInto("user_token")
    .values({ token_hash: hashSecretToken(token), user_id: userId, purpose, expires_at: new Date(now.getTime() + lifetimeMs) })
    .execute();
}

/** The state of a password-reset or confirmation link, and whose it is, without using it up. */
export async function inspectUserToken(db: DB, token: string | undefined, purpose: Purpose, now = new Date()) {
  if (!isWellFormedToken(token)) return { state: "invalid" as const, user: null };
  const row = await db
    .selectFrom("user_token")
    .innerJoin("app_user", "app_user.id", "user_token.user_id")
    .select(["user_token.used_at", "user_token.expires_at", "app_user.id", "app_user.email", "app_user.display_name", "app_user.email_verified_at"])
    .where("user_token.token_hash", "=", hashSecretToken(token))
    .where("user_token.purpose", "=", purpose)
    .executeTakeFirst();
  const state = linkStateOf(row && { used: row.used_at !== null, expiresAt: row.expires_at }, now);
  return { state, user: row ? { id: row.id, email: row.email, displayName: row.display_name, emailVerified: row.email_verified_at !== null } : null };
}

/**
 * Uses a link up, in one statement: of two requests racing with the same link only one
 * gets the person's id back; the other (and any later one) gets null.
 */
export async function consumeUserToken(db: DB, token: string, purpose: Purpose, now = new Date()) {
  const row = await db
    .updateTable("user_token")
    .set({ used_at: now })
    .where("token_hash", "=", hashSecretToken(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id ?? null;
}
