import { z } from "zod";
import type { Membership } from "../accounts/actor.server";
import { apiError, apiJson, type ApiErrorCode } from "../api/errors.server";
import { API_REFUSAL_CODE } from "../credits/refusals";
import type { DB } from "../db/database.server";
import { translator, type Language } from "../i18n/i18n";
import { openClaim, submitClaim, type ChildClaimResult } from "./claims.server";
import { refusalKey } from "./refusals";
import { claimByTypedCode } from "./session-codes.server";

/** The most children one claim takes (claims.server.ts takes no more either). */
const MAX_CHILDREN = 20;

export const claimRequestBody = z.object({
  /** The session code: the QR code's address (…/claim/<token>), the token itself, or the 8 digits typed from the screen. */
  code: z.string().trim().min(1).max(500),
  childIds: z.array(z.string().trim().min(1).max(100)).min(1).max(MAX_CHILDREN),
});

const TYPED_CODE = /^\d{4}[\s-]?\d{4}$/;

/**
 * A child's refusal as the API names it: the ledger's reasons by the same stable codes as
 * POST /credits (credits/refusals.ts), the claim-only ones (CLAIM_REJECTED, CREDIT_REVOKED)
 * as they are. The message keeps the precise reason.
 */
function apiRefusalCode(code: string): string {
  return (API_REFUSAL_CODE as Record<string, string>)[code] ?? code;
}

type ApiChildResult =
  | { childId: string; givenName: string; outcome: "credited"; hours: number; totalHours: number }
  | { childId: string; givenName: string; outcome: "already" | "pending" }
  | { childId: string; givenName: string | null; outcome: "refused"; code: string; message: string; reason: string | null };

function toApiResult(result: ChildClaimResult, lang: Language): ApiChildResult {
  const who = { childId: result.childId, givenName: result.givenName };
  switch (result.outcome) {
    case "added":
      return { ...who, outcome: "credited", hours: result.quarterHours / 4, totalHours: result.totalQuarterHours / 4 };
    case "already":
    case "pending":
      return { ...who, outcome: result.outcome };
    case "refused": {
      return { ...who, outcome: "refused", code: apiRefusalCode(result.code), message: translator(lang)(refusalKey(result.code)), reason: result.reason };
    }
  }
}

/** A refused session code, as the API answers it. */
function codeRefusal(reason: string, lang: Language) {
  const code: ApiErrorCode = reason === "CODE_EXPIRED" ? "CODE_EXPIRED" : reason === "SESSION_NOT_STARTED" ? "SESSION_NOT_OPEN" : "CODE_INVALID";
  const key = code === "SESSION_NOT_OPEN" ? "claims.errors.SESSION_NOT_STARTED" : (`api.errors.${code}` as const);
  return apiError(422, code, key, lang);
}

/**
 * `POST /api/v1/claims`: a signed-in guardian claims for their children with a session code,
 * as on the /claim pages and through the same code (claims.server.ts): the code becomes a
 * ticket bound to this guardian, then each child is credited at once, or left waiting for
 * the provider's approval, or refused with the reason. Ids that are not the guardian's own
 * children are answered `refused` / CHILD_NOT_FOUND, whether or not such a child exists.
 */
export async function claimFromApi(db: DB, m: Membership, body: unknown, lang: Language, now = new Date()) {
  const parsed = claimRequestBody.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "body");
    return apiError(400, "BAD_REQUEST", `api.errors.badField.${field === "code" || field === "childIds" ? field : "body"}`, lang);
  }
  const { code, childIds } = parsed.data;

  let ticket: string;
  if (TYPED_CODE.test(code)) {
    const typed = await claimByTypedCode(db, m, code, now);
    if (!typed.ok) {
      if (typed.reason === "RATE_LIMITED") {
        return apiError(429, "RATE_LIMITED", "api.errors.RATE_LIMITED", lang, { "Retry-After": String((typed.retryAfterMinutes ?? 15) * 60) });
      }
      return codeRefusal("CODE_INVALID", lang);
    }
    ticket = typed.ticket;
  } else {
    const token = /\/claim\/([A-Za-z0-9_-]+)\/?$/.exec(code)?.[1] ?? code;
    const opened = await openClaim(db, m, token, now);
    if (opened.kind === "refused") return codeRefusal(opened.reason, lang);
    // A code becomes a ticket of this guardian's; a ticket (from a /claim page) is used as it is.
    ticket = opened.kind === "ticket" ? opened.ticket : token;
  }

  const result = await submitClaim(db, m, ticket, childIds, now);
  if (!result.ok) {
    if (result.reason === "NO_CHILD") return apiError(422, "CHILD_NOT_FOUND", "api.errors.noChildOfYours", lang);
    return codeRefusal(result.reason, lang);
  }
  const results: ApiChildResult[] = result.results.map((one) => toApiResult(one, lang));
  // Every id sent gets an answer, in the order sent; those not the guardian's say only "not found".
  const byId = new Map(results.map((one) => [one.childId, one]));
  const ordered: ApiChildResult[] = [];
  const seen = new Set<string>();
  for (const raw of childIds) {
    const id = raw.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    ordered.push(
      byId.get(id) ?? {
        childId: raw,
        givenName: null,
        outcome: "refused",
        code: "CHILD_NOT_FOUND",
        message: translator(lang)("api.errors.childNotYours"),
        reason: null,
      },
    );
  }
  return apiJson({ needsApproval: result.needsApproval, results: ordered }, { status: 201 });
}
