import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import type { DB } from "../db/database.server";
import type { ApiClient } from "../accounts/api-tokens.server";
import { apiError, apiJson } from "../api/errors.server";
import type { Language } from "../i18n/i18n";
import { creditPassportHolder } from "./passport-holder.server";
import { API_REFUSAL_CODE, outwardRefusal, REFUSAL_STATUS, type RefusalCode } from "./refusals";

/**
 * Scans one token may send in a minute: far more than the busiest real session, few enough
 * that a runaway device or a stolen token cannot flood the ledger. API_CREDITS_PER_MINUTE
 * changes it; 0 turns it off (benchmarks).
 */
export function apiCreditsPerMinute(env: NodeJS.ProcessEnv = process.env) {
  const value = Number(env.API_CREDITS_PER_MINUTE ?? 600);
  return Number.isInteger(value) && value >= 0 ? value : 600;
}

let limiter: { perMinute: number; memory: RateLimiterMemory } | null = null;

/**
 * Counts a scan against the token's limit. Counted in the server process's memory, not the
 * database (unlike sign-in attempts, rate-limit.server.ts): it guards against runaway devices,
 * not password guessing, so N server processes allowing N times the limit is still a guard,
 * and a database write per scan would cost a commit per credit (ADR 0015).
 */
async function scanAllowed(tokenId: string, perMinute: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  if (limiter?.perMinute !== perMinute) limiter = { perMinute, memory: new RateLimiterMemory({ points: perMinute, duration: 60 }) };
  try {
    await limiter.memory.consume(tokenId);
    return { allowed: true };
  } catch (refused) {
    if (!(refused instanceof RateLimiterRes)) throw refused;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
  }
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
  const perMinute = apiCreditsPerMinute();
  if (perMinute > 0) {
    const scan = await scanAllowed(client.tokenId, perMinute);
    if (!scan.allowed) return apiError(429, "RATE_LIMITED", "api.errors.rateLimited", lang, { "Retry-After": String(scan.retryAfterSeconds) });
  }
  const parsed = creditRequestBody.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "body");
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
      awardsReached: outcome.awardsReached.map((award) => ({ thresholdHours: award.thresholdHours, name: lang === "cy" ? award.nameCy : award.nameEn })),
    },
    { status: outcome.replayed ? 200 : 201 },
  );
}
