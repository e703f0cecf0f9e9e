import { z } from "zod";
import type { DB } from "../db/database.server";
import type { ApiClient } from "../accounts/api-tokens.server";
import { apiError, apiJson } from "../api/errors.server";
import type { Language } from "../i18n/i18n";
import { issueCredit, type CreditRefusal } from "./ledger.server";
import { findPassportHolder } from "./passport-holder.server";

export const creditRequestBody = z.object({
  sessionId: z.string().uuid(),
  /** What the scanner read: the QR code's address, the bare token, or a typed passport number. */
  passport: z.string().trim().min(1).max(300),
  /** Chosen by the client once per scan and sent again on every retry (UUID recommended). */
  idempotencyKey: z.string().trim().min(8).max(100),
});

/** Which HTTP status each refusal is: the request was fine but the rules say no (422), or it clashes (409). */
const STATUS: Record<CreditRefusal | "PASSPORT_NOT_FOUND" | "PASSPORT_NUMBER_MISTYPED", number> = {
  SESSION_NOT_FOUND: 404,
  PASSPORT_NOT_FOUND: 404,
  CHILD_NOT_FOUND: 404,
  PASSPORT_NUMBER_MISTYPED: 422,
  SESSION_CANCELLED: 422,
  SESSION_NOT_STARTED: 422,
  SESSION_CLOSED: 422,
  PROVIDER_NOT_VALIDATED: 422,
  ACTIVITY_NOT_VALIDATED: 422,
  VALIDATION_EXPIRED: 422,
  WRONG_PROVIDER: 404,
  DAILY_CAP_REACHED: 422,
  TERM_CAP_REACHED: 422,
  ALREADY_CREDITED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
};

/** A session outside its window is "not open" to the API, whichever side of it the request falls. */
function apiCode(code: keyof typeof STATUS) {
  return code === "SESSION_NOT_STARTED" || code === "SESSION_CLOSED" ? "SESSION_NOT_OPEN" : code === "WRONG_PROVIDER" ? "SESSION_NOT_FOUND" : code;
}

/**
 * `POST /api/v1/credits`: a provider's device issues a credit by passport. The token's
 * provider is the only one it can credit; a session of another provider is simply not found.
 */
export async function issueCreditFromApi(db: DB, client: ApiClient, body: unknown, lang: Language) {
  const parsed = creditRequestBody.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "body");
    return apiError(400, "BAD_REQUEST", `api.errors.badField.${field}`, lang);
  }
  const { sessionId, passport, idempotencyKey } = parsed.data;
  const lookup = await findPassportHolder(db, client.areaId, passport);
  if (!lookup.ok) return apiError(STATUS[lookup.code], lookup.code, `credits.refusals.${lookup.code}`, lang);
  const outcome = await issueCredit(db, {
    areaId: client.areaId,
    childId: lookup.holder.childId,
    sessionId,
    providerId: client.providerId,
    method: "passport_scan",
    issuedBy: null,
    idempotencyKey,
  });
  if (!outcome.ok) {
    const code = apiCode(outcome.code);
    return apiError(STATUS[outcome.code], code, `credits.refusals.${code}`, lang);
  }
  return apiJson(
    {
      replayed: outcome.replayed,
      credit: { id: outcome.credit.id, sessionId: outcome.credit.sessionId, hours: outcome.credit.quarterHours / 4, earnedOn: outcome.credit.earnedOn },
      child: { givenName: lookup.holder.givenName, familyInitial: lookup.holder.familyInitial, totalHours: outcome.childQuarterHours / 4 },
      awardsReached: outcome.awardsReached.map((award) => ({ thresholdHours: award.thresholdHours, name: lang === "cy" ? award.nameCy : award.nameEn })),
    },
    { status: outcome.replayed ? 200 : 201 },
  );
}
