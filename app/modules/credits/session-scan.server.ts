import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import type { Language, TranslationKey } from "../i18n/i18n";
import { databaseUnavailable, jsonError } from "../api/errors.server";
import { isDatabaseUnavailable } from "../db/unavailable.server";
import { resolveLanguage } from "../i18n/language.server";
import type { AwardReached, ScanChild, ScanErrorBody, ScanIssuedBody } from "../scanner/protocol";
import { isCreditable, type NotCreditableReason } from "./eligibility.server";
import { DEFAULT_CREDIT_WINDOW_MINUTES } from "./ledger.server";
import { creditPassportHolder } from "./passport-holder.server";
import { outwardRefusal, REFUSAL_STATUS, type RefusalCode } from "./refusals";

/**
 * Staff scanning passports into one of their sessions: from the scanner page's camera or its
 * typed-number form, online or replayed from the phone's offline queue. Finds the child
 * (QR address, token or typed number) and goes through the ledger's one door, issueCredit.
 */

/** Who may scan: the provider's own staff, and the area's coordinator. */
export const SCAN_ROLES = ["coordinator", "provider_owner", "provider_member"] as const;

export const scanFields = {
  passport: z
    .string({ error: "scanner.errors.passportRequired" })
    .trim()
    .min(1, { error: "scanner.errors.passportRequired" })
    .max(300, { error: "scanner.errors.passportRequired" }),
  /** Chosen by the client once per scan (the form carries one made when the page was drawn). */
  idempotencyKey: z
    .string({ error: "scanner.errors.keyMissing" })
    .trim()
    .min(8, { error: "scanner.errors.keyMissing" })
    .max(100, { error: "scanner.errors.keyMissing" }),
};
export const scanBody = z.object(scanFields);

/** The idempotency key the no-JavaScript form carries: one per drawing of the page. */
export function newFormKey() {
  return randomUUID();
}

export type ScanRefusalCode = RefusalCode;

export type ScanOutcome =
  | {
      ok: true;
      replayed: boolean;
      creditId: string;
      earnedOn: string;
      child: ScanChild;
      quarterHours: number;
      totalQuarterHours: number;
      /** Award levels this credit took the child to (the ledger keeps awards in step). */
      awardsReached: AwardReached[];
    }
  | { ok: false; code: ScanRefusalCode; child: ScanChild | null };

/** The session being scanned into, already checked to be one the membership manages (sessionForStaff). */
export interface ScanTarget {
  id: string;
  provider_id: string;
}

export async function scanIntoSession(
  db: DB,
  m: Membership,
  session: ScanTarget,
  input: { passport: string; idempotencyKey: string },
  at?: Date,
): Promise<ScanOutcome> {
  const credited = await creditPassportHolder(db, input.passport, {
    areaId: m.areaId,
    sessionId: session.id,
    // Staff issue only for their own provider; a coordinator for the session's.
    providerId: m.providerId ?? session.provider_id,
    method: "passport_scan",
    issuedBy: m.userId,
    idempotencyKey: input.idempotencyKey,
    at,
  });
  if (!credited.ok) return { ok: false, code: credited.code, child: null };
  const { holder, outcome } = credited;
  const child = { givenName: holder.givenName, familyInitial: holder.familyInitial };
  if (!outcome.ok) return { ok: false, code: outcome.code, child: outcome.code === "CHILD_NOT_FOUND" ? null : child };
  return {
    ok: true,
    replayed: outcome.replayed,
    creditId: outcome.credit.id,
    earnedOn: outcome.credit.earnedOn,
    child,
    quarterHours: outcome.credit.quarterHours,
    totalQuarterHours: outcome.childQuarterHours,
    awardsReached: outcome.awardsReached.map(({ nameEn, nameCy, thresholdHours }) => ({ nameEn, nameCy, thresholdHours })),
  };
}

const NO_STORE = { "Cache-Control": "no-store" };

/** The JSON answer to a scan: 201 for a new credit, 200 for a replayed key, an error body otherwise. */
export function scanResponse(outcome: ScanOutcome, lang: Language): Response {
  if (!outcome.ok) {
    const code = outwardRefusal(outcome.code);
    return jsonError(REFUSAL_STATUS[code], code, `credits.refusals.${code}`, lang, {
      extra: outcome.child ? ({ child: outcome.child } satisfies Partial<ScanErrorBody>) : {},
    });
  }
  const body: ScanIssuedBody = {
    replayed: outcome.replayed,
    credit: { id: outcome.creditId, hours: outcome.quarterHours / 4, earnedOn: outcome.earnedOn },
    child: { ...outcome.child, totalHours: outcome.totalQuarterHours / 4 },
    awardsReached: outcome.awardsReached,
  };
  return Response.json(body, { status: outcome.replayed ? 200 : 201, headers: NO_STORE });
}

/** A scanner error: the API's JSON error, without the API's bearer challenge (the scanner signs in with its cookie). */
export function scanError(status: number, code: string, messageKey: TranslationKey, lang: Language): Response {
  return jsonError(status, code, messageKey, lang);
}

/**
 * Runs the scanner's JSON handler so every answer is JSON the phone's queue can read: the
 * page gates' thrown answers (a redirect to sign in, 403, 404) become 401, 403 and 404 with
 * an error code, and anything unexpected a 500 (which the queue retries).
 */
export async function scanJsonHandler(request: Request, handler: (lang: Language) => Promise<Response>): Promise<Response> {
  const lang = await resolveLanguage(request);
  try {
    return await handler(lang);
  } catch (thrown) {
    if (thrown instanceof Response) {
      if (thrown.status === 401 || (thrown.status >= 300 && thrown.status < 400)) return scanError(401, "UNAUTHORIZED", "scanner.api.signedOut", lang);
      if (thrown.status === 403) return scanError(403, "FORBIDDEN", "scanner.api.forbidden", lang);
      if (thrown.status === 404) return scanError(404, "SESSION_NOT_FOUND", "credits.refusals.SESSION_NOT_FOUND", lang);
      return thrown;
    }
    // The scanner keeps the scan and sends it again with the same key.
    if (isDatabaseUnavailable(thrown)) return databaseUnavailable(lang);
    console.error(thrown);
    return scanError(500, "INTERNAL_ERROR", "api.errors.internal", lang);
  }
}

export type Openness = "OPEN" | NotCreditableReason | "SESSION_CLOSED";

/**
 * Whether a scan into this session would be credited now, as far as the session goes (the
 * child's caps aside): shown at the top of the scanner so nobody scans a queue of children
 * into a session that will refuse them all. The ledger checks again on every scan.
 */
export async function sessionOpenness(db: DB, areaId: string, sessionId: string, now = new Date()): Promise<Openness> {
  const creditable = await isCreditable(db, areaId, sessionId, now);
  if (!creditable.ok) return creditable.reason;
  const area = await db.selectFrom("area").select("settings").where("id", "=", areaId).executeTakeFirstOrThrow();
  const windowMinutes = area.settings?.creditWindowMinutes ?? DEFAULT_CREDIT_WINDOW_MINUTES;
  return now.getTime() > creditable.session.endsAt.getTime() + windowMinutes * 60_000 ? "SESSION_CLOSED" : "OPEN";
}
