import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import type { DB } from "../db/database.server";
import { isBundledContext, type DidDocument } from "./document-loader.server";
import { credentialLoader, resolveIssuer, type IssuerSource } from "./resolver.server";
import type en from "../i18n/locales/en.json";

/**
 * Checks a credential someone pasted or uploaded, as four plain answers: signature, issuer,
 * status (revoked or not) and dates. Everything is checked from this app's own database and
 * bundled contexts (no network): an issuer is one of this deployment's Children's Universities
 * or one whose records were transferred here. Bad input is an answer too, never an exception.
 */

export type CheckOutcome = "pass" | "fail" | "unknown";
/** Each reason names its sentence, badges.verify.reasons.* (so a reason without one fails the type check). */
export type CheckReason = keyof typeof en.badges.verify.reasons;
export interface BadgeCheck {
  outcome: CheckOutcome;
  reason: CheckReason;
}

export type BadgeVerification =
  | { kind: "malformed"; reason: "not_json" | "not_credential" | "too_large" | "unknown_context" }
  | {
      kind: "checked";
      valid: boolean;
      checks: { signature: BadgeCheck; issuer: BadgeCheck; status: BadgeCheck; dates: BadgeCheck };
      summary: {
        name: string | null;
        issuerName: string | null;
        issuerId: string | null;
        validFrom: string | null;
        awardedDate: string | null;
        childName: string | null;
      };
    };

export const MAX_CREDENTIAL_BYTES = 256 * 1024;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const asStringArray = (value: unknown) => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string");

/** Reads what was pasted or uploaded: JSON text of one credential. */
export function parseCredentialText(text: string): { credential: Record<string, unknown> } | { error: "not_json" | "not_credential" | "too_large" } {
  if (Buffer.byteLength(text, "utf8") > MAX_CREDENTIAL_BYTES) return { error: "too_large" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { error: "not_json" };
  }
  if (!isObject(parsed) || !asStringArray(parsed.type).includes("VerifiableCredential") || !isObject(parsed.proof)) return { error: "not_credential" };
  return { credential: parsed };
}

function issuerIdOf(credential: Record<string, unknown>) {
  const issuer = credential.issuer;
  if (typeof issuer === "string") return issuer;
  if (isObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return null;
}

function summaryOf(credential: Record<string, unknown>) {
  const issuer = credential.issuer;
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
  const named = identifiers.find((item) => item.identityType === "name" && item.hashed === false);
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 300) : null);
  return {
    name: text(credential.name),
    issuerName: isObject(issuer) ? text(issuer.name) : null,
    issuerId: text(issuerIdOf(credential)),
    validFrom: text(credential.validFrom),
    awardedDate: text(credential.awardedDate),
    childName: named ? text(named.identityHash) : null,
  };
}

function datesCheck(credential: Record<string, unknown>, now: Date): BadgeCheck {
  const from = typeof credential.validFrom === "string" ? Date.parse(credential.validFrom) : NaN;
  if (credential.validFrom !== undefined && Number.isNaN(from)) return { outcome: "fail", reason: "dates_invalid" };
  if (!Number.isNaN(from) && from > now.getTime()) return { outcome: "fail", reason: "not_yet_valid" };
  if (credential.validUntil !== undefined) {
    const until = typeof credential.validUntil === "string" ? Date.parse(credential.validUntil) : NaN;
    if (Number.isNaN(until) || (!Number.isNaN(from) && until < from)) return { outcome: "fail", reason: "dates_invalid" };
    if (until < now.getTime()) return { outcome: "fail", reason: "expired" };
  }
  return { outcome: "pass", reason: "dates_ok" };
}

/** Where a check finds issuers (their DID documents, and whether they are ours or transferred) and status lists. */
export interface VerificationSources {
  resolveIssuer: (did: string) => Promise<{ document: DidDocument; source: IssuerSource } | null>;
  documentLoader: DocumentLoader;
}

/** This deployment's sources: its own issuers and the ones trusted with transferred records (resolver.server.ts). */
export function databaseSources(db: DB): VerificationSources {
  return { resolveIssuer: (did) => resolveIssuer(db, did), documentLoader: credentialLoader(db) };
}

export async function verifyBadgeCredential(db: DB, credential: Record<string, unknown>, now = new Date()): Promise<BadgeVerification> {
  return verifyBadgeWith(databaseSources(db), credential, now);
}

/** The four checks of one credential, with issuers and status lists from `sources` only (no network). */
export async function verifyBadgeWith(sources: VerificationSources, credential: Record<string, unknown>, now = new Date()): Promise<BadgeVerification> {
  const contexts = Array.isArray(credential["@context"]) ? credential["@context"] : [credential["@context"]];
  // Inline contexts could redefine terms or pull in others: only the bundled ones, by URL.
  if (contexts.some((context) => typeof context !== "string")) return { kind: "malformed", reason: "unknown_context" };
  for (const context of asStringArray(credential["@context"])) {
    // An unknown context would need the network; refuse it plainly rather than fail deep inside.
    if (!(await isBundledContext(context))) return { kind: "malformed", reason: "unknown_context" };
  }
  const summary = summaryOf(credential);
  const dates = datesCheck(credential, now);
  const issuerId = issuerIdOf(credential);
  const proof = credential.proof as Record<string, unknown>;
  const method = typeof proof.verificationMethod === "string" ? proof.verificationMethod : "";

  let issuer: BadgeCheck;
  const resolved = issuerId ? await sources.resolveIssuer(issuerId) : null;
  const transferred = resolved?.source.kind === "transferred";
  if (!issuerId) issuer = { outcome: "fail", reason: "issuer_missing" };
  else if (method.split("#")[0] !== issuerId) issuer = { outcome: "fail", reason: "issuer_mismatch" };
  else if (!resolved) issuer = { outcome: "fail", reason: "issuer_unknown" };
  else issuer = { outcome: "pass", reason: transferred ? "issuer_transferred" : "issuer_known" };

  const { documentLoader } = sources;
  const suite = new DataIntegrityProof({ cryptosuite });
  let signature: BadgeCheck;
  if (issuer.reason === "issuer_unknown" || issuer.reason === "issuer_missing") {
    signature = { outcome: "unknown", reason: "signature_unchecked" };
  } else {
    // Dates and status are reported on their own, so the library is asked about the signature
    // alone: "now" inside the validity period, status passed through.
    const validFrom = typeof credential.validFrom === "string" ? new Date(credential.validFrom) : now;
    const result = await vc
      .verifyCredential({
        credential,
        suite,
        documentLoader,
        now: Number.isNaN(validFrom.getTime()) ? now : validFrom,
        checkStatus: async () => ({ verified: true }),
      })
      .catch((error: Error) => ({ verified: false, error }));
    signature = result.verified ? { outcome: "pass", reason: "signature_ok" } : { outcome: "fail", reason: "signature_invalid" };
  }

  let status: BadgeCheck;
  if (credential.credentialStatus === undefined) {
    status = { outcome: "pass", reason: "status_none" };
  } else {
    const result = await checkStatus({ credential, documentLoader, suite, verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true }).catch(
      (error: Error) => ({ verified: false, error, results: undefined }),
    );
    if (!result.verified) status = { outcome: "unknown", reason: "status_unavailable" };
    else if (result.results?.some((entry) => entry.status)) status = { outcome: "fail", reason: "revoked" };
    // A transferred issuer's list is the one handed over with its records: not revoked as of then.
    else status = { outcome: "pass", reason: transferred ? "not_revoked_at_transfer" : "not_revoked" };
  }

  const checks = { signature, issuer, status, dates };
  return { kind: "checked", valid: Object.values(checks).every((check) => check.outcome === "pass"), checks, summary };
}

/** What the /verify page shows for a pasted or uploaded badge: an error key (and the text back), or the checks. */
export type PastedBadgeCheck = { kind: "error"; error: string; pasted: string } | (Extract<BadgeVerification, { kind: "checked" }> & { kind: "checked" });

/** Checks the text of a pasted or uploaded badge; every bad input is an error key under badges.verify.errors. */
export async function checkPastedBadge(db: DB, text: string): Promise<PastedBadgeCheck> {
  const pasted = text.length > MAX_CREDENTIAL_BYTES ? "" : text;
  if (!text.trim()) return { kind: "error", error: "badges.verify.errors.missing", pasted };
  const parsed = parseCredentialText(text);
  if ("error" in parsed) return { kind: "error", error: `badges.verify.errors.${parsed.error}`, pasted };
  const result = await verifyBadgeCredential(db, parsed.credential);
  if (result.kind === "malformed") return { kind: "error", error: `badges.verify.errors.${result.reason}`, pasted };
  return result;
}
