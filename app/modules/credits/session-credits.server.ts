import { z } from "zod";
import { creditsVisibleTo } from "../accounts/access.server";
import { isUuid, type Membership } from "../accounts/actor.server";
import { requiredText } from "../forms/fields.server";
import { parseForm } from "../forms/parse-form.server";
import type { DB } from "../db/database.server";
import type { CreditMethod } from "../db/schema";
import { revokeCredit, STAFF_REVOKE_DAYS } from "./ledger.server";
import { sameArea } from "../db/same-area.server";

/**
 * A session's credits as its staff see them on the session page — who (first name and
 * initial), how, by whom, and whether it was revoked — with the means to revoke a mistake.
 */

export interface SessionCredit {
  id: string;
  /** Null for a child who has since withdrawn: their row is anonymous. */
  child: { givenName: string; familyInitial: string } | null;
  quarterHours: number;
  method: CreditMethod;
  createdAt: Date;
  issuedBy: string | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  /** Whether this membership may still revoke it (staff: for 30 days; coordinators: always). */
  canRevoke: boolean;
}

export async function creditsOfSession(db: DB, m: Membership, sessionId: string, now = new Date()): Promise<SessionCredit[]> {
  const rows = await creditsVisibleTo(db, m)
    .innerJoin("child", sameArea("child.id", "credit.child_id"))
    .leftJoin("app_user as issuer", "issuer.id", "credit.issued_by")
    .select([
      "credit.id",
      "credit.quarter_hours",
      "credit.method",
      "credit.created_at",
      "credit.revoked_at",
      "credit.revoke_reason",
      "child.given_name",
      "child.family_name",
      "issuer.display_name as issued_by",
    ])
    .where("credit.session_id", "=", sessionId)
    .orderBy("credit.created_at", "desc")
    .limit(1000)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    child: row.given_name ? { givenName: row.given_name, familyInitial: (row.family_name ?? "").slice(0, 1).toUpperCase() } : null,
    quarterHours: row.quarter_hours,
    method: row.method,
    createdAt: row.created_at,
    issuedBy: row.issued_by,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    canRevoke: !row.revoked_at && (m.role === "coordinator" || now.getTime() - row.created_at.getTime() <= STAFF_REVOKE_DAYS * 86_400_000),
  }));
}

const revokeFields = {
  creditId: z.string({ error: "sessionCredits.errors.NOT_FOUND" }).refine(isUuid, { error: "sessionCredits.errors.NOT_FOUND" }),
  reason: requiredText(500, "sessionCredits.errors.REASON_REQUIRED", "sessionCredits.errors.reasonTooLong"),
};

export type RevokeFormResult = { ok: true } | { ok: false; errors: Record<string, string | undefined>; formError: string | null };

/**
 * The session page's revoke form. Only a credit of this session is taken back here (the
 * ledger's revokeCredit checks who may, and until when).
 */
export async function revokeFromSessionPage(db: DB, m: Membership, sessionId: string, formData: FormData, now = new Date()): Promise<RevokeFormResult> {
  const parsed = parseForm(revokeFields, formData);
  if (!parsed.ok) {
    const { creditId, ...fieldErrors } = parsed.errors;
    return { ok: false, errors: fieldErrors, formError: creditId ?? null };
  }
  const inSession = await creditsVisibleTo(db, m)
    .select("credit.id")
    .where("credit.id", "=", parsed.data.creditId)
    .where("credit.session_id", "=", sessionId)
    .executeTakeFirst();
  if (!inSession) return { ok: false, errors: {}, formError: "sessionCredits.errors.NOT_FOUND" };
  const outcome = await revokeCredit(db, m, parsed.data.creditId, parsed.data.reason, now);
  if (outcome.ok) return { ok: true };
  if (outcome.code === "REASON_REQUIRED") return { ok: false, errors: { reason: "sessionCredits.errors.REASON_REQUIRED" }, formError: null };
  return { ok: false, errors: {}, formError: `sessionCredits.errors.${outcome.code}` };
}
