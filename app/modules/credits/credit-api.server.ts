import { z } from "zod";
import type { DB } from "../db/database.server";
import type { ApiClient, ApiTokenLimit } from "../accounts/api-tokens.server";
import { apiError, apiJson } from "../api/errors.server";
import type { Language } from "../i18n/i18n";
import { creditPassportHolder } from "./passport-holder.server";
import { API_REFUSAL_CODE, outwardRefusal, REFUSAL_STATUS, type RefusalCode } from "./refusals";
import { pick } from "../i18n/bilingual";

/**
 * Scans one token may send in a minute: far more than the busiest real session, few enough
 * that a runaway device or a stolen token cannot flood the ledger. API_CREDITS_PER_MINUTE
 * changes it; 0 turns it off.
 */
export function apiCreditsPerMinute(env: NodeJS.ProcessEnv = process.env) {
  const value = Number(env.API_CREDITS_PER_MINUTE ?? 600);
  return Number.isInteger(value) && value >= 0 ? value : 600;
}

/**
 * The token's limit on scans, counted in PostgreSQL as the token is looked up (one statement,
 * api-tokens.server.ts), so every app server counts against the same limit (ADR 0028);
 * undefined when API_CREDITS_PER_MINUTE is 0.
 */
export function apiScanLimit(env: NodeJS.ProcessEnv = process.env): ApiTokenLimit | undefined {
  const perMinute = apiCreditsPerMinute(env);
  return perMinute > 0 ? { name: "api-credits", rule: { limit: perMinute, windowMinutes: 1 } } : undefined;
}

/** A refusal as the API gives it: its stable code, and the precise reason in the message (another provider's session: not found). */
function refusal(given: RefusalCode, lang: Language) {
  const code = outwardRefusal(given);
  return apiError(REFUSAL_STATUS[code], API_REFUSAL_CODE[code], `credits.refusals.${code}`, lang);
}

export const creditRequestBody = z.object({
  sessionId: z.string().uuid(),
  /** What the scanner read: the QR code's address, the bare token, or a typed passport number. */
  passport: z.string().trim().min(1).max(300),
  /** Chosen by the client once per scan and sent again on every retry (UUID recommended). */
  idempotencyKey: z.string().trim().min(8).max(100),
});

/**
 * `POST /api/v1/credits`: a provider's device issues a credit by passport. The token's
 * provider is the only one it can credit; a session of another provider is simply not found,
 * and its idempotency keys are its own (a repeated key is answered only to its provider).
 */
export async function issueCreditFromApi(db: DB, client: ApiClient, body: unknown, lang: Language) {
  // Counted when the token was looked up (requireApiClient with apiScanLimit()).
  if (client.limit && !client.limit.allowed) {
    return apiError(429, "RATE_LIMITED", "api.errors.rateLimited", lang, { "Retry-After": String(client.limit.retryAfterSeconds) });
  }
  const parsed = creditRequestBody.safeParse(body);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path[0];
    const field = (["sessionId", "passport", "idempotencyKey"] as const).find((name) => name === path) ?? "body";
    return apiError(400, "BAD_REQUEST", `api.errors.badField.${field}`, lang);
  }
  const { sessionId, passport, idempotencyKey } = parsed.data;
  const credited = await creditPassportHolder(db, passport, {
    areaId: client.areaId,
    sessionId,
    providerId: client.providerId,
    method: "passport_scan",
    issuedBy: null,
    idempotencyKey,
  });
  if (!credited.ok) return refusal(credited.code, lang);
  const { holder, outcome } = credited;
  if (!outcome.ok) return refusal(outcome.code, lang);
  return apiJson(
    {
      replayed: outcome.replayed,
      credit: { id: outcome.credit.id, sessionId: outcome.credit.sessionId, hours: outcome.credit.quarterHours / 4, earnedOn: outcome.credit.earnedOn },
      child: { givenName: holder.givenName, familyInitial: holder.familyInitial, totalHours: outcome.childQuarterHours / 4 },
      awardsReached: outcome.awardsReached.map((award) => ({ thresholdHours: award.thresholdHours, name: pick({ en: award.nameEn, cy: award.nameCy }, lang) })),
    },
    { status: outcome.replayed ? 200 : 201 },
  );
}
