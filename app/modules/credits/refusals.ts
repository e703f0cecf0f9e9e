import type { CreditRefusal } from "./ledger.server";

export type PassportRefusal = "PASSPORT_NOT_FOUND" | "PASSPORT_REPLACED" | "PASSPORT_NUMBER_MISTYPED";
/** Every reason a scan or a claim can give no credit: the passport's, then the ledger's. */
export type RefusalCode = CreditRefusal | PassportRefusal;

/**
 * What anyone outside the ledger is told: another provider's session is simply not found,
 * so a token or a staff member cannot tell it from a session that does not exist.
 */
export function outwardRefusal<Code extends RefusalCode>(code: Code): Exclude<Code, "WRONG_PROVIDER"> | "SESSION_NOT_FOUND" {
  return code === "WRONG_PROVIDER" ? "SESSION_NOT_FOUND" : (code as Exclude<Code, "WRONG_PROVIDER">);
}

/** The thing is not there, or is another provider's (404), the rules say no (422), or it clashes with what is recorded (409). */
export const REFUSAL_STATUS: Record<RefusalCode, number> = {
  SESSION_NOT_FOUND: 404,
  PASSPORT_NOT_FOUND: 404,
  CHILD_NOT_FOUND: 404,
  PASSPORT_REPLACED: 404,
  CHILD_WITHDRAWN: 404,
  WRONG_PROVIDER: 404,
  PASSPORT_NUMBER_MISTYPED: 422,
  SESSION_CANCELLED: 422,
  SESSION_NOT_STARTED: 422,
  SESSION_CLOSED: 422,
  PROVIDER_NOT_VALIDATED: 422,
  ACTIVITY_NOT_VALIDATED: 422,
  VALIDATION_EXPIRED: 422,
  DAILY_CAP_REACHED: 422,
  TERM_CAP_REACHED: 422,
  ALREADY_CREDITED: 409,
  OVERLAPPING_SESSION: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
};

/**
 * The stable code the public API gives for each reason (docs/api.md): coarser than ours
 * where a client needs no more (every kind of "not validated" is NOT_VALIDATED), while the
 * message keeps the precise reason.
 */
export const API_REFUSAL_CODE = {
  SESSION_NOT_FOUND: "SESSION_NOT_FOUND",
  PASSPORT_NOT_FOUND: "UNKNOWN_PASSPORT",
  CHILD_NOT_FOUND: "UNKNOWN_PASSPORT",
  PASSPORT_REPLACED: "PASSPORT_REPLACED",
  CHILD_WITHDRAWN: "CHILD_WITHDRAWN",
  WRONG_PROVIDER: "SESSION_NOT_FOUND",
  PASSPORT_NUMBER_MISTYPED: "PASSPORT_NUMBER_MISTYPED",
  SESSION_CANCELLED: "SESSION_CANCELLED",
  SESSION_NOT_STARTED: "SESSION_NOT_OPEN",
  SESSION_CLOSED: "SESSION_NOT_OPEN",
  PROVIDER_NOT_VALIDATED: "NOT_VALIDATED",
  ACTIVITY_NOT_VALIDATED: "NOT_VALIDATED",
  VALIDATION_EXPIRED: "NOT_VALIDATED",
  DAILY_CAP_REACHED: "DAILY_CAP",
  TERM_CAP_REACHED: "TERM_CAP",
  ALREADY_CREDITED: "ALREADY_CREDITED",
  OVERLAPPING_SESSION: "OVERLAPPING_SESSION",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const satisfies Record<RefusalCode, string>;

export type ApiRefusalCode = (typeof API_REFUSAL_CODE)[RefusalCode];
