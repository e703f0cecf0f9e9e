import { sql } from "kysely";
import { z } from "zod";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { badRequest, forbidden, notFound, type Membership } from "./actor.server";
import { attemptVerdict, countAttemptsQuery, type AttemptVerdict, type RateLimit } from "./rate-limit.server";
import { hashSecretToken, newSecretToken } from "./secret-token.server";

/**
 * API tokens let a provider's device or program call /api/v1 without a person's password.
 * A token belongs to one provider; only its hash is stored, so the plain token exists once,
 * on the page that created it.
 */

/** Marks our tokens, so a secret pasted into a chat or a repository can be recognised (and a stray string refused cheaply). */
export const API_TOKEN_PREFIX = "pbt_";

/** last_used_at is written at most this often, so a busy device does not turn every call into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const apiTokenForm = z.object({
  name: z.string({ error: "apiTokens.nameRequired" }).trim().min(1, { error: "apiTokens.nameRequired" }).max(80, { error: "apiTokens.nameTooLong" }),
});

/**
 * The provider whose tokens this membership manages. Another provider (or one in another
 * area) is a 404, so nothing tells whether it exists; roles that never manage tokens get 403.
 */
export async function managedProvider(db: DB, m: Membership, providerId: string) {
  if (m.role === "provider_owner") {
    if (providerId !== m.providerId) notFound();
  } else if (m.role !== "coordinator") {
    forbidden();
  }
  if (!UUID.test(providerId)) notFound();
  const provider = await db
    .selectFrom("provider")
    .select(["id", "name_en", "name_cy"])
    .where("area_id", "=", m.areaId)
    .where("id", "=", providerId)
    .executeTakeFirst();
  if (!provider) notFound();
  return provider;
}

/** A provider's tokens, newest first: never the secret, only its last four characters. */
export async function listApiTokens(db: DB, m: Membership, providerId: string) {
  const provider = await managedProvider(db, m, providerId);
  const tokens = await db
    .selectFrom("api_token")
    .select(["id", "name", "token_hint", "created_at", "last_used_at", "revoked_at"])
    .where("area_id", "=", m.areaId)
    .where("provider_id", "=", provider.id)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return { provider, tokens };
}

/** Creates a token and returns it in plain text: the caller shows it once and never again. */
export async function createApiToken(db: DB, m: Membership, providerId: string, input: z.output<typeof apiTokenForm>) {
  const provider = await managedProvider(db, m, providerId);
  const token = `${API_TOKEN_PREFIX}${newSecretToken()}`;
  const hint = token.slice(-4);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("api_token")
      .values({
        area_id: m.areaId,
        provider_id: provider.id,
        name: input.name,
        token_hash: hashSecretToken(token),
        token_hint: hint,
        created_by: m.userId,
      })
      .returning(["id", "name", "token_hint"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "api_token_created",
      subjectType: "api_token",
      subjectId: row.id,
      details: { name: row.name, providerId: provider.id, hint },
    });
    return { id: row.id, name: row.name, hint: row.token_hint, token };
  });
}

/**
 * Revokes a token of the provider; it stops working on the next request (every request
 * looks the token up). Revoking twice is harmless and audited once.
 */
export async function revokeApiToken(db: DB, m: Membership, providerId: string, tokenId: string) {
  const provider = await managedProvider(db, m, providerId);
  if (!UUID.test(tokenId)) notFound();
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("api_token")
      .select(["id", "name", "revoked_at"])
      .where("area_id", "=", m.areaId)
      .where("provider_id", "=", provider.id)
      .where("id", "=", tokenId)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) notFound();
    if (existing.revoked_at) return { id: existing.id, name: existing.name, alreadyRevoked: true };
    await trx
      .updateTable("api_token")
      .set({ revoked_at: sql<Date>`now()`, revoked_by: m.userId })
      .where("area_id", "=", m.areaId)
      .where("id", "=", existing.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "api_token_revoked",
      subjectType: "api_token",
      subjectId: existing.id,
      details: { name: existing.name, providerId: provider.id },
    });
    return { id: existing.id, name: existing.name, alreadyRevoked: false };
  });
}

export interface ApiClient {
  areaId: string;
  providerId: string;
  tokenId: string;
  /** The request counted against the token's limit (when the caller asked for one). */
  limit?: AttemptVerdict;
}

/** A limit per token: the key it is counted under (with the token's id) and its rule. */
export interface ApiTokenLimit {
  name: string;
  rule: RateLimit;
}

/**
 * The client a presented token stands for, or null when it is unknown or revoked (the two
 * are not told apart). Records when the token was last used, to the minute. With a `limit`,
 * counts the request against the token's limit in the same statement (countAttemptsQuery):
 * shared by every server process, at no extra round trip on the scanners' busiest path.
 */
export async function authenticateApiToken(db: DB, presented: string, now = new Date(), limit?: ApiTokenLimit): Promise<ApiClient | null> {
  // Anything that cannot be one of our tokens is refused without touching the database.
  if (!presented.startsWith(API_TOKEN_PREFIX) || presented.length > 200) return null;
  const hash = hashSecretToken(presented);
  const row: (TokenRow & Partial<CountedRow>) | undefined = limit
    ? (
        await sql<TokenRow & CountedRow>`
          with token as (
            select area_id, id, provider_id, revoked_at, last_used_at from api_token where token_hash = ${hash}
          ), counted as (
            ${countAttemptsQuery(sql`select ${limit.name + ":"}::text || id::text from token where revoked_at is null`, limit.rule, now)}
          )
          select token.*, counted.attempts, counted.window_started_at from token left join counted on true`.execute(db)
      ).rows[0]
    : await db.selectFrom("api_token").select(["area_id", "id", "provider_id", "revoked_at", "last_used_at"]).where("token_hash", "=", hash).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.last_used_at || row.last_used_at < staleBefore) {
    // The condition is repeated in SQL so that concurrent requests write it once.
    await db
      .updateTable("api_token")
      .set({ last_used_at: now })
      .where("area_id", "=", row.area_id)
      .where("id", "=", row.id)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", staleBefore)]))
      .execute();
  }
  const client: ApiClient = { areaId: row.area_id, providerId: row.provider_id, tokenId: row.id };
  if (limit && row.attempts != null && row.window_started_at != null) {
    client.limit = attemptVerdict({ attempts: row.attempts, window_started_at: row.window_started_at }, limit.rule, now);
  }
  return client;
}

type TokenRow = { area_id: string; id: string; provider_id: string; revoked_at: Date | null; last_used_at: Date | null };
type CountedRow = { attempts: number | null; window_started_at: Date | null };

export type ApiTokenFormResult =
  | { intent: "create"; ok: true; created: { id: string; name: string; token: string } }
  | { intent: "create"; ok: false; errors: FieldErrors; values: Record<string, string> }
  | { intent: "revoke"; ok: true; revoked: { name: string } };

/**
 * The token page's two forms (create, revoke), shared by the provider's and the
 * coordinator's page. Plain POST forms, so they work without JavaScript.
 */
export async function handleApiTokenForm(db: DB, m: Membership, providerId: string, formData: FormData): Promise<ApiTokenFormResult> {
  const intent = formData.get("intent");
  if (intent === "create") {
    const parsed = parseForm(apiTokenForm, formData);
    if (!parsed.ok) return { intent, ok: false, errors: parsed.errors, values: parsed.values };
    const created = await createApiToken(db, m, providerId, parsed.data);
    return { intent, ok: true, created: { id: created.id, name: created.name, token: created.token } };
  }
  if (intent === "revoke") {
    const tokenId = formData.get("tokenId");
    const revoked = await revokeApiToken(db, m, providerId, typeof tokenId === "string" ? tokenId : "");
    return { intent, ok: true, revoked: { name: revoked.name } };
  }
  badRequest();
}
