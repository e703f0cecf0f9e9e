import { receivedKey, type TranslationKey } from "../i18n/i18n";

/**
 * Why a claim did not add a credit, as a translation key: the ledger's refusals are shared
 * with every way of giving credits (credits.refusals.*); the few that only claims have live
 * under claims.refusals.*. Safe for the browser bundle.
 */
export const CLAIM_ONLY_REFUSALS = ["CLAIM_REJECTED", "CREDIT_REVOKED"] as const;
export type ClaimOnlyRefusal = (typeof CLAIM_ONLY_REFUSALS)[number];

/** The code comes from the database (credit_claim.refusal_code) or the ledger, as text. */
export function refusalKey(code: string): TranslationKey {
  return receivedKey((CLAIM_ONLY_REFUSALS as readonly string[]).includes(code) ? `claims.refusals.${code}` : `credits.refusals.${code}`);
}
