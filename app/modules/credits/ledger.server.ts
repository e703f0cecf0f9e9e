import { sql, type RawBuilder } from "kysely";
import type { DB } from "../db/database.server";
import type { CreditMethod } from "../db/schema";
import { creditsVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import { ukDate } from "../activities/uk-time.server";
import { syncAwards, type ReachedAward } from "../awards/awards.server";
import type { NotCreditableReason } from "./eligibility.server";

/** Area defaults where its settings say nothing: 8 hours a day, and two days to scan after a session ends. */
export const DEFAULT_DAILY_CAP_QUARTER_HOURS = 32;
export const DEFAULT_CREDIT_WINDOW_MINUTES = 48 * 60;
/** Provider staff may revoke their own credits for this long; coordinators at any time. */
export const STAFF_REVOKE_DAYS = 30;

export interface CreditRequest {
  areaId: string;
  childId: string;
  sessionId: string;
  method: CreditMethod;
  /** Who issued it: a staff member, a guardian claiming, or null for an API device. */
  issuedBy: string | null;
  /**
   * Chosen by the client; replaying it returns the first result (offline scanners retry).
   * Unique within its issuer's scope only: a guardian's claim is the guardian's, anything
   * else the session's provider's (migration 0021), so nobody can answer or block another's.
   */
  idempotencyKey: string;
  /** When set, the session must belong to this provider (staff and API tokens issue only their own). */
  providerId?: string | null;
  at?: Date;
}

export type CreditRefusal =
  | NotCreditableReason
  | "SESSION_CLOSED"
  | "WRONG_PROVIDER"
  | "CHILD_NOT_FOUND"
  | "CHILD_WITHDRAWN"
  | "ALREADY_CREDITED"
  | "OVERLAPPING_SESSION"
  | "DAILY_CAP_REACHED"
  | "TERM_CAP_REACHED"
  | "IDEMPOTENCY_KEY_REUSED";

export interface IssuedCredit {
  id: string;
  childId: string;
  sessionId: string;
  quarterHours: number;
  earnedOn: string;
}

export type CreditOutcome =
  { ok: true; replayed: boolean; credit: IssuedCredit; childQuarterHours: number; awardsReached: ReachedAward[] } | { ok: false; code: CreditRefusal };

/**
 * The one door into the ledger. Every rule that makes a credit trustworthy is checked in one
 * call to the database (`pasbort_issue_credit`, migrations 0013 and 0021), in one transaction
 * that holds the child's row, so two scans at once cannot both slip under a cap: the child
 * found, the session found and the issuer's own (before any key is looked up), the key not
 * used before in the issuer's scope (a retry gets the first answer again), the child active,
 * the session creditable (eligibility.server.ts), the grace window after it, one credit per
 * child and session, none for a session overlapping one the child already has, the daily and
 * term caps; then the credit, its audit row and,
 * when it crosses a threshold, the child's awards. Credits are only ever added; mistakes are
 * revoked, never edited. Called inside a transaction (a claim being approved), it runs in it.
 */
export async function issueCredit(db: DB, request: CreditRequest): Promise<CreditOutcome> {
  if (!isUuid(request.sessionId)) return refuse("SESSION_NOT_FOUND");
  if (!isUuid(request.childId)) return refuse("CHILD_NOT_FOUND");
  const { rows } = await sql<IssueCreditRow>`select * from ${issueCreditCall(request, request.childId)}`.execute(db);
  return creditOutcome(rows[0]!, request.childId);
}

/** What `pasbort_issue_credit` answers: an outcome code, and the credit when it is 'OK'. */
export interface IssueCreditRow {
  outcome: CreditRefusal | "OK";
  replayed: boolean;
  credit_id: string;
  session_id: string;
  quarter_hours: number;
  earned_on: string;
  child_quarter_hours: number;
  awards_reached: ReachedAward[];
}

/**
 * The door's call, for issueCredit and for a statement that finds the child in the same round
 * trip (passport-holder.server.ts): the child is a value, or a column of the caller's query.
 * The session id must already be known to be a UUID.
 */
export function issueCreditCall(request: Omit<CreditRequest, "childId">, childId: string | RawBuilder<string>) {
  return sql`pasbort_issue_credit(
    ${request.areaId}, ${childId}, ${request.sessionId}, ${request.providerId ?? null}, ${request.method},
    ${request.issuedBy}, ${request.idempotencyKey}, ${request.at ?? new Date()},
    ${DEFAULT_DAILY_CAP_QUARTER_HOURS}, ${DEFAULT_CREDIT_WINDOW_MINUTES})`;
}

export function creditOutcome(row: IssueCreditRow, childId: string): CreditOutcome {
  if (row.outcome !== "OK") return refuse(row.outcome);
  return {
    ok: true,
    replayed: row.replayed,
    credit: { id: row.credit_id, childId, sessionId: row.session_id, quarterHours: row.quarter_hours, earnedOn: row.earned_on },
    childQuarterHours: row.child_quarter_hours,
    awardsReached: row.awards_reached,
  };
}

function refuse(code: CreditRefusal): CreditOutcome {
  return { ok: false, code };
}

export type RevokeOutcome = { ok: true } | { ok: false; code: "NOT_FOUND" | "ALREADY_REVOKED" | "TOO_LATE" | "REASON_REQUIRED" };

/**
 * Takes a mistaken credit back: the row stays, marked revoked, with who, when and why.
 * Provider staff may revoke their own provider's credits for 30 days; coordinators any of
 * their area's, at any time. Nobody else may revoke.
 */
export async function revokeCredit(db: DB, m: Membership, creditId: string, reason: string, now = new Date()): Promise<RevokeOutcome> {
  if (!["coordinator", "provider_owner", "provider_member"].includes(m.role)) forbidden();
  const why = reason.trim();
  if (why.length < 3) return { ok: false, code: "REASON_REQUIRED" };
  if (!isUuid(creditId)) return { ok: false, code: "NOT_FOUND" };
  return db.transaction().execute(async (trx) => {
    const credit = await creditsVisibleTo(trx, m)
      .select(["credit.id", "credit.created_at", "credit.revoked_at", "credit.child_id"])
      .where("credit.id", "=", creditId)
      .forUpdate()
      .executeTakeFirst();
    if (!credit) return { ok: false as const, code: "NOT_FOUND" as const };
    if (credit.revoked_at) return { ok: false as const, code: "ALREADY_REVOKED" as const };
    const ageDays = (now.getTime() - credit.created_at.getTime()) / 86_400_000;
    if (m.role !== "coordinator" && ageDays > STAFF_REVOKE_DAYS) return { ok: false as const, code: "TOO_LATE" as const };
    await trx
      .updateTable("credit")
      .set({ revoked_at: now, revoked_by: m.userId, revoke_reason: why })
      .where("area_id", "=", m.areaId)
      .where("id", "=", credit.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "credit_revoked",
      subjectType: "credit",
      subjectId: credit.id,
      details: { childId: credit.child_id, reason: why, role: m.role },
    });
    await syncAwards(trx, m.areaId, credit.child_id, ukDate(now));
    return { ok: true as const };
  });
}
